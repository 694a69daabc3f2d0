#pragma once
// A probability estimated as a share of replications, with its 95 % interval: Wilson's score
// interval, which stays inside [0, 1] and is not empty when every replication (or none) says
// yes — where p ± 1.96 √(p(1−p)/n) claims a certainty of ± 0.

namespace stats {

struct ProportionInterval {
    double low = 0, high = 1;
};

// `yes` of `n` replications (n > 0); at 0 or n the bound is exactly 0 or 1.
ProportionInterval wilson_95(double yes, double n);

}  // namespace stats
