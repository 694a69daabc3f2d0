#pragma once
// Each endpoint's cumulative events by week, per arm and all arms together, over the
// replications run: for every week, the counts the replications had reached by then (a
// finished replication's last count carried on), for the results file's quantile bands. Each
// replication is added as it finishes, so that its own weekly counts (2 KB, 20 MB over 10,000
// replications) need not be kept to the end of the run; the sums are of whole counts, so
// threads and ranks may add in any order.

#include <cstddef>
#include <span>
#include <vector>

#include "models/stats/count_sample.hpp"

namespace trial {

struct WeeklyEventCounts {
    WeeklyEventCounts() = default;
    WeeklyEventCounts(std::size_t endpoints, std::size_t arms);
    std::size_t endpoints = 0;
    std::size_t arms = 0;
    // Series endpoint * (arms + 1) + arm, arm == arms standing for all arms together.
    std::size_t series() const { return endpoints * (arms + 1); }
    // [series][week]: the counts of replications that ran past the week.
    std::vector<std::vector<stats::CountSample>> running;
    // [series][weeks]: the last counts of the replications that ran that many weeks (their
    // count in every week from then on).
    std::vector<std::vector<stats::CountSample>> finished;

    // A replication's cumulative events, [endpoint][arm][week] (ReplicationSummary).
    void add(const std::vector<std::vector<std::vector<int>>>& events_by_week);
    void merge(const WeeklyEventCounts& other);
    // The quantiles ps of each series in weeks 0 .. weeks - 1: [series][week][p], flattened.
    std::vector<double> bands(std::size_t weeks, std::span<const double> ps) const;
};

}  // namespace trial
