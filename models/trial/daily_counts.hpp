#pragma once
// How many of something happened on each day (randomisations at a site), kept as running
// totals so that "how many in the last four weeks" is two lookups, not a walk over the days:
// decision epochs and kit resupply ask it of every site.

#include <algorithm>
#include <vector>

namespace trial {

class DailyCounts {
  public:
    void add(int day, int n = 1) {
        if (day < 0) return;
        if (static_cast<int>(through_.size()) <= day) through_.resize(day + 1, total());
        for (std::size_t d = day; d < through_.size(); ++d)  // one step unless `day` is past
            through_[d] += n;
    }
    // Days 0 .. day.
    int through(int day) const {
        if (day < 0 || through_.empty()) return 0;
        return through_[std::min<std::size_t>(day, through_.size() - 1)];
    }
    // Days from .. to.
    int between(int from, int to) const { return through(to) - through(from - 1); }
    int total() const { return through_.empty() ? 0 : through_.back(); }

  private:
    std::vector<int> through_;  // through_[d]: days 0 .. d
};

}  // namespace trial
