// Quantiles of a run's replications (type 7: linear between order statistics), one at a time
// or several from one sort: the same numbers either way, NaN (never reached) left out.

#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <vector>

#include "models/stats/quantiles.hpp"

TEST_CASE("quantiles interpolate between order statistics and skip what was never reached",
          "[metrics]") {
    const std::vector<double> values{7, std::nan(""), 1, 3, 5, std::nan(""), 9};  // 1 3 5 7 9
    CHECK(stats::quantile(values, 0.0) == 1);
    CHECK(stats::quantile(values, 0.5) == 5);
    CHECK(stats::quantile(values, 1.0) == 9);
    CHECK(stats::quantile(values, 0.1) == Approx(1.8));   // position 0.4 between 1 and 3
    CHECK(stats::quantile(values, 0.95) == Approx(8.6));  // position 3.8 between 7 and 9
    const double ps[] = {0.05, 0.25, 0.5, 0.75, 0.95};
    const std::vector<double> together = stats::quantiles(values, ps);
    REQUIRE(together.size() == 5);
    for (std::size_t i = 0; i < 5; ++i)
        CHECK(together[i] == stats::quantile(values, ps[i]));
    const std::vector<double> none{std::nan(""), std::nan("")};
    CHECK(std::isnan(stats::quantile(none, 0.5)));
    for (double q : stats::quantiles(none, ps))
        CHECK(std::isnan(q));
}

TEST_CASE("quantiles of whole counts from a histogram are those of a sort, bit for bit",
          "[metrics]") {
    const double ps[] = {0.0, 0.05, 0.25, 0.5, 0.75, 0.95, 1.0};
    std::uint32_t state = 12345;
    auto next = [&state] { return state = state * 1664525u + 1013904223u; };
    for (int n : {1, 2, 7, 1000, 10000}) {
        for (int spread : {1, 13, 700, 1 << 30}) {  // the last one too wide for a histogram
            std::vector<std::int32_t> counts(n);
            for (auto& c : counts)
                c = static_cast<std::int32_t>(next() % static_cast<std::uint32_t>(spread)) - 5;
            const std::vector<double> sorted =
                stats::quantiles(std::vector<double>(counts.begin(), counts.end()), ps);
            const std::vector<double> counted = stats::quantiles_of_counts(counts, ps);
            INFO("n " << n << ", spread " << spread);
            REQUIRE(counted.size() == sorted.size());
            for (std::size_t i = 0; i < sorted.size(); ++i)
                CHECK(counted[i] == sorted[i]);
        }
    }
    for (double q : stats::quantiles_of_counts({}, ps))
        CHECK(std::isnan(q));
}
