// Randomisations by day as running totals: windows and weeks read off them must be the sums
// of the days, including when a day already past is added to (a running trial's history).

#include <catch2/catch.hpp>
#include <random>
#include <vector>

#include "models/trial/daily_counts.hpp"

TEST_CASE("daily counts answer window sums as the days add up", "[supply][counts]") {
    trial::DailyCounts counts;
    std::vector<int> by_day(400, 0);
    std::mt19937 rng(7);
    for (int i = 0; i < 300; ++i) {
        // Mostly in time order, sometimes on a day already past.
        const int day = i % 10 == 0 ? static_cast<int>(rng() % (i + 1)) : i;
        counts.add(day);
        ++by_day[day];
    }
    for (int from = -3; from < 320; from += 7) {
        for (int to = from; to < from + 40; to += 3) {
            int expected = 0;
            for (int d = std::max(from, 0); d <= to && d < 400; ++d)
                expected += by_day[d];
            REQUIRE(counts.between(from, to) == expected);
        }
    }
    CHECK(counts.between(0, 0) == by_day[0]);
    CHECK(counts.total() == 300);
    CHECK(counts.through(10000) == 300);
    CHECK(counts.through(-1) == 0);
    CHECK(trial::DailyCounts{}.between(0, 50) == 0);
}
