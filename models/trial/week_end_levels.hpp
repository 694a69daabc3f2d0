#pragma once
// A level (kits on hand at a site) as it stands at the end of each week, kept as it changes:
// the books need only the last change of every week, and keeping every change made each
// dispensing append to a log that grew, and was copied, all replication long.

#include <cstddef>
#include <vector>

namespace trial {

class WeekEndLevels {
  public:
    // Room for weeks [0, weeks) without growing.
    void reserve_weeks(int weeks) { last_in_week_.reserve(weeks > 0 ? weeks : 0); }
    // The level is `level` from `day` (>= 0) on.
    void set(double day, int level) {
        const std::size_t week = week_of(day);
        if (week >= last_in_week_.size()) last_in_week_.resize(week + 1, unchanged);
        last_in_week_[week] = level;
    }
    // Calls `at_end(week, level)` for weeks 0 .. weeks-1 (0 before the first change).
    template <class AtEnd>
    void for_each_week(int weeks, AtEnd&& at_end) const {
        int level = 0;
        for (int w = 0; w < weeks; ++w) {
            if (static_cast<std::size_t>(w) < last_in_week_.size() && last_in_week_[w] != unchanged)
                level = last_in_week_[w];
            at_end(w, level);
        }
    }

  private:
    static constexpr int unchanged = -1;  // levels are never negative
    // The week whose end a change on `day` is seen by: the first w with day < 7 (w + 1). The
    // quotient's truncation is that exactly: 7w is exact, the division is correctly rounded
    // and monotone, and the double just below 7w divided by 7 is at least 4/7 of w's ulp
    // below w (7w's ulp is 4 or 8 times w's), so it never rounds up to w.
    static std::size_t week_of(double day) { return static_cast<std::size_t>(day / 7.0); }

    std::vector<int> last_in_week_;  // the level after the week's last change, or unchanged
};

}  // namespace trial
