// Weekly endpoint events folded as each replication finishes give the bands that keeping every
// replication's series to the end gave: the same numbers, bit for bit, whatever the order the
// replications came in or how they were split between threads, with short replications'
// last counts carried on and arms summed for the all-arms series.

#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <vector>

#include "models/runner/weekly_event_counts.hpp"
#include "models/stats/quantiles.hpp"
#include "tests/models/same_numbers.hpp"

namespace {

using Replication = std::vector<std::vector<std::vector<int>>>;  // [endpoint][arm][week]

const double ps[] = {0.05, 0.25, 0.5, 0.75, 0.95};

// Every replication kept: week w's column of counts, and its quantiles.
std::vector<double> bands_of_all(const std::vector<Replication>& runs, std::size_t endpoints,
                                 std::size_t arms, std::size_t weeks) {
    std::vector<double> out;
    for (std::size_t e = 0; e < endpoints; ++e) {
        for (std::size_t arm = 0; arm <= arms; ++arm) {
            for (std::size_t w = 0; w < weeks; ++w) {
                std::vector<std::int32_t> column;
                for (const Replication& r : runs) {
                    std::int32_t n = 0;
                    for (std::size_t a = arm == arms ? 0 : arm; a < (arm == arms ? arms : arm + 1);
                         ++a) {
                        const std::vector<int>& cumulative = r[e][a];
                        if (!cumulative.empty())
                            n += cumulative[std::min(w, cumulative.size() - 1)];
                    }
                    column.push_back(n);
                }
                const std::vector<double> q = stats::quantiles_of_counts(column, ps);
                out.insert(out.end(), q.begin(), q.end());
            }
        }
    }
    return out;
}

}  // namespace

TEST_CASE("weekly endpoint events folded per replication give the bands of all kept",
          "[runner][readout]") {
    const std::size_t endpoints = 2, arms = 3, weeks = 90;
    std::uint32_t state = 99;
    auto next = [&state] { return state = state * 1664525u + 1013904223u; };
    for (int n : {0, 1, 5, 300}) {
        std::vector<Replication> runs;
        for (int i = 0; i < n; ++i) {
            Replication r(endpoints, std::vector<std::vector<int>>(arms));
            // Lengths from none (an arm that never closed its books) to the full width, some
            // arms of a replication longer than others.
            const std::size_t length = next() % (weeks + 1);
            for (auto& by_arm : r) {
                for (auto& cumulative : by_arm) {
                    const std::size_t own = next() % 7 == 0 ? length / 2 : length;
                    int total = 0;
                    for (std::size_t w = 0; w < own; ++w)
                        cumulative.push_back(total += static_cast<int>(next() % 4));
                }
            }
            runs.push_back(r);
        }
        INFO(n << " replications");
        const std::vector<double> expected = bands_of_all(runs, endpoints, arms, weeks);

        trial::WeeklyEventCounts in_order(endpoints, arms), split(endpoints, arms);
        trial::WeeklyEventCounts thread[2] = {{endpoints, arms}, {endpoints, arms}};
        for (const Replication& r : runs)
            in_order.add(r);
        for (int i = n - 1; i >= 0; --i)
            thread[i % 2].add(runs[i]);
        split.merge(thread[1]);
        split.merge(thread[0]);
        REQUIRE(in_order.series() == endpoints * (arms + 1));
        CHECK(test::same_numbers(in_order.bands(weeks, ps), expected));
        CHECK(test::same_numbers(split.bands(weeks, ps), expected));
    }
}
