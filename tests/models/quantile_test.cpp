// Quantiles of a run's replications (type 7: linear between order statistics), one at a time
// or several from one sort: the same numbers either way, NaN (never reached) left out.

#include <catch2/catch.hpp>
#include <cmath>
#include <vector>

#include "models/runner/metrics.hpp"

TEST_CASE("quantiles interpolate between order statistics and skip what was never reached",
          "[metrics]") {
    const std::vector<double> values{7, std::nan(""), 1, 3, 5, std::nan(""), 9};  // 1 3 5 7 9
    CHECK(trial::quantile(values, 0.0) == 1);
    CHECK(trial::quantile(values, 0.5) == 5);
    CHECK(trial::quantile(values, 1.0) == 9);
    CHECK(trial::quantile(values, 0.1) == Approx(1.8));   // position 0.4 between 1 and 3
    CHECK(trial::quantile(values, 0.95) == Approx(8.6));  // position 3.8 between 7 and 9
    const double ps[] = {0.05, 0.25, 0.5, 0.75, 0.95};
    const std::vector<double> together = trial::quantiles(values, ps);
    REQUIRE(together.size() == 5);
    for (std::size_t i = 0; i < 5; ++i)
        CHECK(together[i] == trial::quantile(values, ps[i]));
    const std::vector<double> none{std::nan(""), std::nan("")};
    CHECK(std::isnan(trial::quantile(none, 0.5)));
    for (double q : trial::quantiles(none, ps))
        CHECK(std::isnan(q));
}
