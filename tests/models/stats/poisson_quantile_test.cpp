// The Poisson quantile summed term by term (small means) agrees with Boost.Math's, and both
// are what the definition says: the smallest k with P(N <= k) >= level.

#include <boost/math/distributions/poisson.hpp>
#include <catch2/catch.hpp>

#include "models/stats/poisson_quantile.hpp"

TEST_CASE("the Poisson quantile is Boost.Math's, by the definition", "[stats][poisson]") {
    for (const double level : {0.5, 0.9, 0.95, 0.99, 0.999}) {
        for (double mean = 0.01; mean < 1000.0; mean *= 1.37) {
            const boost::math::poisson_distribution<double> n(mean);
            const int k = stats::poisson_quantile(mean, level);
            INFO("mean " << mean << ", level " << level << ": k " << k);
            CHECK(k == static_cast<int>(boost::math::quantile(n, level)));
            CHECK(boost::math::cdf(n, k) >= level);
            if (k > 0) CHECK(boost::math::cdf(n, k - 1) < level);
        }
    }
    CHECK(stats::poisson_quantile(0.0, 0.99) == 0);
    CHECK(stats::poisson_quantile(3.5, 0.99) == 8);  // where 1.5 x the mean is 6
}
