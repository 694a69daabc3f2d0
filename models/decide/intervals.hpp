#pragma once
// Intervals for a criterion's value (criterion.hpp) over replications, and for the difference
// between two decisions run on the same replications (paired: common random numbers).
// Means and probabilities of differences: Student t on the per-replication differences;
// a probability alone: Wilson's score interval; quantiles: a bootstrap over replications
// (resampled in pairs for a difference), seeded so that the same run gives the same interval.

#include <cstdint>
#include <span>

#include "models/decide/criterion.hpp"
#include "models/decide/sobol_indices.hpp"

namespace decide {

// The criterion's value over `values` with its 95 % interval.
Index interval_of(const Criterion& criterion, std::span<const double> values, std::uint64_t seed);

// value(b) − value(a), b and a the same replications under two decisions, with its 95 %
// interval. For a mean or a probability: the mean of the paired differences over the
// replications where both reached the outcome.
Index paired_difference(const Criterion& criterion, std::span<const double> a,
                        std::span<const double> b, std::uint64_t seed);

}  // namespace decide
