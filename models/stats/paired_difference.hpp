#pragma once
// A variant against a baseline on the same replications (common random numbers): the mean of
// the per-replication differences (variant − baseline) with its 95 % confidence interval,
// Student t on the paired differences. The runner's comparisons and the visualizer's
// comparison charts both state it this way.

#include "models/stats/running_stats.hpp"

namespace stats {

struct MeanInterval {
    int count = 0;
    double mean = 0, low = 0, high = 0;  // low, high: NaN below two pairs
};
MeanInterval mean_with_95_interval(const RunningStats& differences);

}  // namespace stats
