#include "models/stats/poisson_quantile.hpp"

#include <boost/math/distributions/poisson.hpp>
#include <cmath>

namespace stats {

int poisson_quantile(double mean, double level) {
    if (!(mean > 0.0)) return 0;
    // Small means (every site, most depots), many times a replication: the distribution summed
    // term by term, ~mean + 3 sqrt(mean) terms, where Boost.Math's root search takes ~3 us.
    // exp(-mean) stays a normal double up to mean ~700.
    constexpr double summed_up_to = 600.0;
    if (mean <= summed_up_to) {
        double term = std::exp(-mean);
        double cumulative = term;
        int k = 0;
        // (The bound only stops rounding from looping: the sum reaches `level` long before.)
        const int most = static_cast<int>(mean + 40.0 * std::sqrt(mean) + 40.0);
        while (cumulative < level && k < most) {
            ++k;
            term *= mean / k;
            cumulative += term;
        }
        return k;
    }
    const boost::math::poisson_distribution<double> demand(mean);
    return static_cast<int>(boost::math::quantile(demand, level));
}

}  // namespace stats
