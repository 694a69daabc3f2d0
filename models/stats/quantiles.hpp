#pragma once
// Quantiles and the spread of a sample, as every summary of trialtwin states them: linear
// between order statistics (Hyndman & Fan 1996, type 7, R's default), NaN (an outcome never
// reached) left out. The runner's summaries and the visualizer's charts both use these.

#include <cstdint>
#include <span>
#include <vector>

namespace stats {

// Quantile p of the values that are not NaN: linear between order statistics (type 7).
double quantile(std::vector<double> values, double p);
// Several quantiles of the same values, sorted once (10,000 replications: a sort each counts).
std::vector<double> quantiles(std::vector<double> values, std::span<const double> ps);
// The same for whole counts (never NaN), from a histogram where their range is small: the
// same order statistics without a sort (a week's band over 10,000 replications sorted 10,000
// numbers, for every week of the results file).
std::vector<double> quantiles_of_counts(std::span<const std::int32_t> counts,
                                        std::span<const double> ps);
// The same for counts given as how many times each value came: tally[i] times lowest + i.
std::vector<double> quantiles_of_tally(std::int32_t lowest, std::span<const std::int32_t> tally,
                                       std::span<const double> ps);

// The spread of a sample as a box plot draws it (NaNs counted as missing, left out).
struct Distribution {
    int count = 0;  // values that were reached
    int missing = 0;
    double p5 = 0, p25 = 0, p50 = 0, p75 = 0, p95 = 0, mean = 0, min = 0, max = 0;
};
Distribution describe(std::vector<double> values);

}  // namespace stats
