#include <catch2/catch.hpp>
#include <set>

#include "models/runner/sweep_design.hpp"

TEST_CASE("a grid takes every combination of lists and evenly spaced ranges", "[sweep]") {
    trial::SweepDimension shape, count;
    std::string error;
    REQUIRE(trial::parse_dimension("recruitment.rate_shape=1:2", shape, error));
    REQUIRE(trial::parse_dimension("sites[0].staff[0].count=1,2,3", count, error));
    const auto points = trial::sweep_points({shape, count}, trial::SweepDesign::grid, 3, 1);
    REQUIRE(points.size() == 9);
    CHECK(points[0] == std::vector<std::string>{"1.0", "1"});
    CHECK(points[4] == std::vector<std::string>{"1.5", "2"});
    CHECK(points[8] == std::vector<std::string>{"2.0", "3"});
}

TEST_CASE("a Latin hypercube uses each stratum of each range once", "[sweep]") {
    trial::SweepDimension a, b;
    std::string error;
    REQUIRE(trial::parse_dimension("x=0:10", a, error));
    REQUIRE(trial::parse_dimension("y=100:200", b, error));
    b.integer = true;
    const int n = 20;
    const auto points = trial::sweep_points({a, b}, trial::SweepDesign::latin_hypercube, n, 7);
    REQUIRE(points.size() == n);
    std::set<int> strata_a, strata_b;
    for (const auto& p : points) {
        strata_a.insert(static_cast<int>(std::stod(p[0]) / 10.0 * n));
        const int y = std::stoi(p[1]);
        CHECK(y >= 100);
        CHECK(y <= 200);
        strata_b.insert(std::min(n - 1, static_cast<int>((y - 100) / 100.0 * n)));
    }
    CHECK(strata_a.size() == n);      // every stratum exactly once
    CHECK(strata_b.size() >= n - 2);  // integers rounded to a neighbouring stratum at most
    CHECK(trial::sweep_points({a, b}, trial::SweepDesign::latin_hypercube, n, 7) == points);
    CHECK(trial::sweep_points({a, b}, trial::SweepDesign::latin_hypercube, n, 8) != points);
}

TEST_CASE("malformed sweep dimensions are refused with a reason", "[sweep][errors]") {
    trial::SweepDimension d;
    std::string error;
    CHECK_FALSE(trial::parse_dimension("x", d, error));
    CHECK(error.find("expected KEY=V1,V2,... or KEY=LO:HI") != std::string::npos);
    CHECK_FALSE(trial::parse_dimension("x=5:1", d, error));
    CHECK(error.find("LO < HI") != std::string::npos);
    CHECK_FALSE(trial::parse_dimension("x=a:b", d, error));
    CHECK(error.find("two numbers") != std::string::npos);
    CHECK_FALSE(trial::parse_dimension("x=1,,2", d, error));
    CHECK(error.find("empty value") != std::string::npos);
}
