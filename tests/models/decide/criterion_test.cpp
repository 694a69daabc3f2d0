// Criteria and constraints as optimise and sensitivity read them: STATISTIC:METRIC, with
// >=/<= bounds; every malformed text refused with a message naming the flag.

#include <catch2/catch.hpp>
#include <cmath>
#include <string>
#include <vector>

#include "models/decide/criterion.hpp"
#include "models/decide/intervals.hpp"

namespace {
const std::vector<std::string> keys{"cost_total", "target_met_day", "target_met_by_plan",
                                    "analysis_final_reached", "stock_outs"};
}

TEST_CASE("criteria name a statistic of a metric the scenario has", "[decide]") {
    decide::Criterion c;
    std::string error;
    REQUIRE(decide::parse_criterion("--minimise", "mean:cost_total", keys, c, error));
    CHECK(c.statistic == decide::Statistic::mean);
    CHECK(c.metric == "cost_total");
    REQUIRE(decide::parse_criterion("--minimise", "median:target_met_day", keys, c, error));
    CHECK(c.statistic == decide::Statistic::quantile);
    CHECK(c.quantile == 0.5);
    REQUIRE(decide::parse_criterion("--minimise", "p90:target_met_day", keys, c, error));
    CHECK(c.quantile == Approx(0.9));
    REQUIRE(decide::parse_criterion("--maximise", "p:target_met_by_plan", keys, c, error));
    CHECK(c.statistic == decide::Statistic::probability);
    REQUIRE(decide::parse_criterion("--maximise", "p:analysis_final_reached", keys, c, error));

    for (const char* bad : {"cost_total", "mean:", ":cost_total", "mean:cost", "avg:cost_total",
                            "p:cost_total", "p0:cost_total", "p100:cost_total", "p5x:cost_total"}) {
        error.clear();
        CHECK_FALSE(decide::parse_criterion("--minimise", bad, keys, c, error));
        CHECK(error.find("--minimise") == 0);
    }
    // An unknown metric lists the ones there are.
    CHECK_FALSE(decide::parse_criterion("--minimise", "mean:costs", keys, c, error));
    CHECK(error.find("cost_total") != std::string::npos);
}

TEST_CASE("constraints take a bound after >= or <=, a probability's within [0, 1]", "[decide]") {
    decide::Constraint k;
    std::string error;
    REQUIRE(decide::parse_constraint("--subject-to", "p:target_met_by_plan>=0.9", keys, k, error));
    CHECK(k.at_least);
    CHECK(k.bound == 0.9);
    REQUIRE(decide::parse_constraint("--subject-to", "p90:stock_outs<=2", keys, k, error));
    CHECK_FALSE(k.at_least);
    CHECK(k.bound == 2);
    CHECK(decide::shortfall(k, 1) == 0);
    CHECK(decide::shortfall(k, 3) == Approx(0.5));  // one over a bound of two
    CHECK(decide::shortfall(k, std::nan("")) > 1e8);
    for (const char* bad : {"p:target_met_by_plan>0.9", "p:target_met_by_plan>=", ">=0.9",
                            "p:target_met_by_plan>=1.5", "p:target_met_by_plan>=x",
                            "mean:cost_total<=1e9junk", "mean:cost_total==3"}) {
        error.clear();
        CHECK_FALSE(decide::parse_constraint("--subject-to", bad, keys, k, error));
        CHECK(error.find("--subject-to") == 0);
    }
}

TEST_CASE("a criterion's value leaves out replications that never reached the outcome",
          "[decide]") {
    decide::Criterion mean{"mean:x", decide::Statistic::mean, 0.5, "x"};
    decide::Criterion median{"median:x", decide::Statistic::quantile, 0.5, "x"};
    const std::vector<double> values{1, 2, std::nan(""), 6};
    CHECK(decide::value_of(mean, values) == 3);
    CHECK(decide::value_of(median, values) == 2);
    const std::vector<double> none{std::nan("")};
    CHECK(std::isnan(decide::value_of(mean, none)));
}

TEST_CASE("intervals: Wilson for a probability, paired differences on the same replications",
          "[decide]") {
    decide::Criterion p{"p:y", decide::Statistic::probability, 0.5, "y"};
    std::vector<double> zeros(50, 0.0), ones(50, 1.0);
    const decide::Index none = decide::interval_of(p, zeros, 1);
    CHECK(none.value == 0);
    CHECK(none.low == 0);                              // exactly, not a rounding error below
    CHECK(none.high == Approx(0.0713).epsilon(0.01));  // Wilson, 0 of 50
    const decide::Index all = decide::interval_of(p, ones, 1);
    CHECK(all.high == 1);
    // 30 of 100: Wilson's interval is [0.219, 0.396].
    std::vector<double> thirty(100, 0.0);
    for (int i = 0; i < 30; ++i)
        thirty[i] = 1;
    const decide::Index w = decide::interval_of(p, thirty, 1);
    CHECK(w.low == Approx(0.2189).epsilon(0.002));
    CHECK(w.high == Approx(0.3958).epsilon(0.002));

    // b = a + 5 in every replication: the paired difference is exactly 5, with no spread,
    // though a itself varies widely.
    decide::Criterion mean{"mean:x", decide::Statistic::mean, 0.5, "x"};
    std::vector<double> a, b;
    for (int r = 0; r < 40; ++r) {
        a.push_back(100.0 * (r % 7));
        b.push_back(a.back() + 5);
    }
    const decide::Index d = decide::paired_difference(mean, a, b, 1);
    CHECK(d.value == Approx(5));
    CHECK(d.low == Approx(5));
    CHECK(d.high == Approx(5));
    decide::Criterion median{"median:x", decide::Statistic::quantile, 0.5, "x"};
    const decide::Index q = decide::paired_difference(median, a, b, 1);
    CHECK(q.value == Approx(5));
    CHECK(q.low == Approx(5));
    CHECK(q.high == Approx(5));
}
