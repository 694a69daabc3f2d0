// Counts gathered one at a time (a week's events over the replications, as each finishes):
// the quantiles of a sort of the same counts, bit for bit, however they were added, merged or
// sent; the same tallied form whatever the order.

#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <vector>

#include "models/stats/count_sample.hpp"
#include "models/stats/quantiles.hpp"
#include "tests/models/same_numbers.hpp"

namespace {

const double ps[] = {0.0, 0.05, 0.25, 0.5, 0.75, 0.95, 1.0};

}  // namespace

TEST_CASE("a count sample's quantiles are a sort's, however the counts came", "[metrics]") {
    std::uint32_t state = 777;
    auto next = [&state] { return state = state * 1664525u + 1013904223u; };
    for (int n : {0, 1, 2, 63, 64, 65, 1000, 10000}) {
        // Narrow (tallied early), wide (kept as listed), and a few far outliers on a narrow
        // bulk (tallied, the outliers listed beside it).
        for (int shape = 0; shape < 3; ++shape) {
            std::vector<std::int32_t> counts(n);
            for (int i = 0; i < n; ++i) {
                const std::uint32_t r = next();
                counts[i] = shape == 0    ? static_cast<std::int32_t>(r % 40) + 100
                            : shape == 1  ? static_cast<std::int32_t>(r % 2000000) - 1000000
                            : i % 97 == 5 ? static_cast<std::int32_t>(r % 100000) - 50000
                                          : static_cast<std::int32_t>(r % 300);
            }
            INFO("n " << n << ", shape " << shape);
            const std::vector<double> sorted =
                stats::quantiles(std::vector<double>(counts.begin(), counts.end()), ps);
            const std::vector<double> from_histogram = stats::quantiles_of_counts(counts, ps);
            CHECK(test::same_numbers(from_histogram, sorted));

            stats::CountSample one_by_one, backwards, in_parts;
            for (std::int32_t c : counts)
                one_by_one.add(c);
            for (auto c = counts.rbegin(); c != counts.rend(); ++c)
                backwards.add(*c);
            // Three parts added one by one, then merged (threads, then ranks).
            stats::CountSample parts[3];
            for (int i = 0; i < n; ++i)
                parts[i % 3].add(counts[i]);
            in_parts.add(parts[2]);
            in_parts.add(parts[0]);
            in_parts.add(parts[1]);
            CHECK(one_by_one.size() == n);
            CHECK(in_parts.size() == n);
            CHECK(test::same_numbers(one_by_one.quantiles(ps), sorted));
            CHECK(test::same_numbers(backwards.quantiles(ps), sorted));
            CHECK(test::same_numbers(in_parts.quantiles(ps), sorted));

            // The tallied form: ascending values, the same whatever the order; rebuilt from it,
            // the same quantiles.
            const stats::CountSample::Tallied t = one_by_one.tallied();
            CHECK(t.values == backwards.tallied().values);
            CHECK(t.times == in_parts.tallied().times);
            stats::CountSample rebuilt;
            std::int64_t total = 0;
            for (std::size_t i = 0; i < t.values.size(); ++i) {
                if (i > 0) CHECK(t.values[i - 1] < t.values[i]);
                CHECK(t.times[i] > 0);
                total += t.times[i];
                rebuilt.add(t.values[i], t.times[i]);
            }
            CHECK(total == n);
            CHECK(test::same_numbers(rebuilt.quantiles(ps), sorted));
        }
    }
}

TEST_CASE("a count sample with a few counts stays exact at the extremes", "[metrics]") {
    stats::CountSample s;
    for (std::int32_t c : {INT32_MAX, INT32_MIN, 0, 5})
        s.add(c);
    const std::vector<double> q = s.quantiles(ps);
    CHECK(q.front() == double(INT32_MIN));
    CHECK(q.back() == double(INT32_MAX));
    CHECK(q[3] == 2.5);  // between 0 and 5
    // Far-off values more than once (as a sample is rebuilt from its tallied form), and a
    // tally with a far-off value beside it: the same quantiles as a sort, without a tally
    // spanning billions of values (which would not fit in memory).
    stats::CountSample repeated;
    std::vector<std::int32_t> counts;
    for (std::int32_t c : {INT32_MIN, INT32_MAX, 7}) {
        repeated.add(c, 3);
        counts.insert(counts.end(), 3, c);
    }
    for (int i = 0; i < 500; ++i) {
        repeated.add(i % 50);
        counts.push_back(i % 50);
    }
    repeated.add(-2'000'000'000, 2);
    counts.insert(counts.end(), 2, -2'000'000'000);
    CHECK(repeated.size() == static_cast<std::int64_t>(counts.size()));
    CHECK(test::same_numbers(
        repeated.quantiles(ps),
        stats::quantiles(std::vector<double>(counts.begin(), counts.end()), ps)));
    stats::CountSample rebuilt;
    const stats::CountSample::Tallied t = repeated.tallied();
    for (std::size_t i = 0; i < t.values.size(); ++i)
        rebuilt.add(t.values[i], t.times[i]);
    CHECK(test::same_numbers(rebuilt.quantiles(ps), repeated.quantiles(ps)));

    stats::CountSample empty;
    for (double v : empty.quantiles(ps))
        CHECK(std::isnan(v));
    empty.add(3, 0);  // nothing added
    CHECK(empty.size() == 0);
}
