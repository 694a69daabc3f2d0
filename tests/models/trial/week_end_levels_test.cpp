// The level at each week's end is the last change before that end, exactly at the boundaries.

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <random>
#include <utility>
#include <vector>

#include "models/trial/week_end_levels.hpp"

namespace {

// The rule as the books state it: the level after the last change on a day before 7 (w + 1).
std::vector<int> by_the_rule(const std::vector<std::pair<double, int>>& changes, int weeks) {
    std::vector<int> out(weeks, 0);
    for (int w = 0; w < weeks; ++w) {
        for (const auto& [day, level] : changes) {
            if (day < 7.0 * (w + 1)) out[w] = level;
        }
    }
    return out;
}

}  // namespace

TEST_CASE("a week's end level is its last change, including changes just before the end",
          "[supply][counts]") {
    std::mt19937_64 rng(11);
    std::uniform_real_distribution<double> day_in(0.0, 140.0);
    std::uniform_int_distribution<int> level_in(0, 500);
    for (int trial = 0; trial < 200; ++trial) {
        std::vector<double> days;
        for (int k = 0; k < 30; ++k)
            days.push_back(day_in(rng));
        // The hard cases: on a week's end, one double before it, one after.
        for (int w = 1; w <= 20; w += 3) {
            const double end = 7.0 * w;
            days.push_back(std::nextafter(end, 0.0));
            days.push_back(end);
            days.push_back(std::nextafter(end, 1e9));
        }
        days.push_back(0.0);
        std::sort(days.begin(), days.end());  // changes come in time order
        std::vector<std::pair<double, int>> changes;
        trial::WeekEndLevels levels;
        for (double day : days) {
            const int level = level_in(rng);
            changes.emplace_back(day, level);
            levels.set(day, level);
        }
        const int weeks = 25;  // past the last change: the last level carries on
        std::vector<int> kept(weeks, -7);
        levels.for_each_week(weeks, [&](int w, int level) { kept[w] = level; });
        REQUIRE(kept == by_the_rule(changes, weeks));
    }
}

TEST_CASE("weeks before the first change are at zero", "[supply][counts]") {
    trial::WeekEndLevels levels;
    levels.set(15.5, 40);  // week 2
    std::vector<int> kept;
    levels.for_each_week(4, [&](int, int level) { kept.push_back(level); });
    CHECK(kept == std::vector<int>{0, 0, 40, 40});
}
