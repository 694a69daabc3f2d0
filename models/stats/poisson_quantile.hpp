#pragma once
// The quantile of a Poisson count: the smallest k with P(N <= k) >= level, N ~ Poisson(mean).
// A stock level that covers the demand of a lead time with probability `level`.

namespace stats {

// mean >= 0 (0: 0), level in (0, 1).
int poisson_quantile(double mean, double level);

}  // namespace stats
