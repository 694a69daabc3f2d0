#include "models/decide/intervals.hpp"

#include <boost/random/mersenne_twister.hpp>
#include <boost/random/uniform_int_distribution.hpp>
#include <cmath>
#include <vector>

#include "models/stats/paired_difference.hpp"
#include "models/stats/proportion_interval.hpp"
#include "models/stats/quantiles.hpp"

namespace decide {
namespace {

constexpr int bootstrap_resamples = 1000;
constexpr double interval[] = {0.025, 0.975};

// A bootstrap interval of `statistic` over replications resampled with replacement.
template <class Statistic>
Index bootstrap(std::size_t n, std::uint64_t seed, double estimate, Statistic statistic) {
    Index result{estimate, std::nan(""), std::nan("")};
    if (n < 2) return result;
    boost::random::mt19937_64 rng(seed);
    boost::random::uniform_int_distribution<std::size_t> pick(0, n - 1);
    std::vector<std::size_t> rows(n);
    std::vector<double> estimates;
    estimates.reserve(bootstrap_resamples);
    for (int r = 0; r < bootstrap_resamples; ++r) {
        for (std::size_t& row : rows)
            row = pick(rng);
        estimates.push_back(statistic(rows));
    }
    const std::vector<double> q = stats::quantiles(std::move(estimates), interval);
    result.low = q[0];
    result.high = q[1];
    return result;
}

std::vector<double> picked(std::span<const double> values, const std::vector<std::size_t>& rows) {
    std::vector<double> out;
    out.reserve(rows.size());
    for (const std::size_t r : rows)
        out.push_back(values[r]);
    return out;
}

}  // namespace

Index interval_of(const Criterion& criterion, std::span<const double> values, std::uint64_t seed) {
    const double estimate = value_of(criterion, values);
    if (criterion.statistic == Statistic::probability) {
        // Wilson's score interval.
        double n = 0, yes = 0;
        for (const double v : values) {
            if (std::isnan(v)) continue;
            ++n;
            yes += v;
        }
        if (n == 0) return {estimate, std::nan(""), std::nan("")};
        const stats::ProportionInterval wilson = stats::wilson_95(yes, n);
        return {estimate, wilson.low, wilson.high};
    }
    if (criterion.statistic == Statistic::mean) {
        stats::RunningStats s;
        for (const double v : values)
            if (!std::isnan(v)) s.add(v);
        const stats::MeanInterval m = stats::mean_with_95_interval(s);
        return {estimate, m.low, m.high};
    }
    return bootstrap(values.size(), seed, estimate, [&](const std::vector<std::size_t>& rows) {
        return value_of(criterion, picked(values, rows));
    });
}

Index paired_difference(const Criterion& criterion, std::span<const double> a,
                        std::span<const double> b, std::uint64_t seed) {
    if (criterion.statistic != Statistic::quantile) {
        stats::RunningStats differences;
        for (std::size_t r = 0; r < a.size() && r < b.size(); ++r)
            if (!std::isnan(a[r]) && !std::isnan(b[r])) differences.add(b[r] - a[r]);
        const stats::MeanInterval m = stats::mean_with_95_interval(differences);
        return {m.count > 0 ? m.mean : std::nan(""), m.low, m.high};
    }
    const double estimate = value_of(criterion, b) - value_of(criterion, a);
    return bootstrap(
        std::min(a.size(), b.size()), seed, estimate, [&](const std::vector<std::size_t>& rows) {
            return value_of(criterion, picked(b, rows)) - value_of(criterion, picked(a, rows));
        });
}

}  // namespace decide
