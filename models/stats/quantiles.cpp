#include "models/stats/quantiles.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace stats {

namespace {

// Quantile p of values sorted, without NaN, not empty.
double of_sorted(const std::vector<double>& sorted, double p) {
    const double position = p * static_cast<double>(sorted.size() - 1);
    const auto below = static_cast<std::size_t>(std::floor(position));
    const std::size_t above = std::min(below + 1, sorted.size() - 1);
    return sorted[below] +
           (position - static_cast<double>(below)) * (sorted[above] - sorted[below]);
}

}  // namespace

std::vector<double> quantiles(std::vector<double> values, std::span<const double> ps) {
    std::erase_if(values, [](double v) { return std::isnan(v); });
    std::vector<double> out;
    out.reserve(ps.size());
    if (values.empty()) {
        out.assign(ps.size(), std::nan(""));
        return out;
    }
    std::sort(values.begin(), values.end());
    for (double p : ps)
        out.push_back(of_sorted(values, p));
    return out;
}

std::vector<double> quantiles_of_counts(std::span<const std::int32_t> counts,
                                        std::span<const double> ps) {
    if (counts.empty()) return std::vector<double>(ps.size(), std::nan(""));
    const auto bounds = std::minmax_element(counts.begin(), counts.end());
    const std::int32_t lowest = *bounds.first;
    const std::int64_t range = std::int64_t{*bounds.second} - lowest + 1;
    if (range > 4 * static_cast<std::int64_t>(counts.size()))
        return quantiles(std::vector<double>(counts.begin(), counts.end()), ps);
    std::vector<std::int32_t> tally(range, 0);
    for (std::int32_t c : counts)
        ++tally[c - lowest];
    return quantiles_of_tally(lowest, tally, ps);
}

std::vector<double> quantiles_of_tally(std::int32_t lowest, std::span<const std::int32_t> tally,
                                       std::span<const double> ps) {
    std::vector<std::int64_t> at_most(tally.size());  // how many counts are <= lowest + i
    std::int64_t total = 0;
    for (std::size_t i = 0; i < tally.size(); ++i)
        at_most[i] = total += tally[i];
    if (total == 0) return std::vector<double>(ps.size(), std::nan(""));
    // The k-th smallest (from 0): the first value with more than k at or below it.
    auto order_statistic = [&](std::int64_t k) {
        const auto it = std::upper_bound(at_most.begin(), at_most.end(), k);
        return static_cast<double>(lowest + (it - at_most.begin()));
    };
    std::vector<double> out;
    out.reserve(ps.size());
    for (double p : ps) {
        // As of_sorted reads the sorted values.
        const double position = p * static_cast<double>(total - 1);
        const auto below = static_cast<std::int64_t>(std::floor(position));
        const std::int64_t above = std::min(below + 1, total - 1);
        const double low = order_statistic(below), high = order_statistic(above);
        out.push_back(low + (position - static_cast<double>(below)) * (high - low));
    }
    return out;
}

double quantile(std::vector<double> values, double p) {
    // One quantile needs two order statistics, not a sorted copy: selected, they are the same
    // numbers for a fraction of a sort (a site table takes four for every site).
    std::erase_if(values, [](double v) { return std::isnan(v); });
    if (values.empty()) return std::nan("");
    const double position = p * static_cast<double>(values.size() - 1);
    const auto below = static_cast<std::size_t>(std::floor(position));
    std::nth_element(values.begin(), values.begin() + below, values.end());
    const double low = values[below];
    const double high = below + 1 < values.size()
                            ? *std::min_element(values.begin() + below + 1, values.end())
                            : low;
    return low + (position - static_cast<double>(below)) * (high - low);
}

Distribution describe(std::vector<double> values) {
    Distribution d;
    const auto total = static_cast<int>(values.size());
    std::erase_if(values, [](double v) { return std::isnan(v); });
    d.count = static_cast<int>(values.size());
    d.missing = total - d.count;
    if (values.empty()) {
        d.p5 = d.p25 = d.p50 = d.p75 = d.p95 = d.mean = d.min = d.max =
            std::numeric_limits<double>::quiet_NaN();
        return d;
    }
    std::sort(values.begin(), values.end());
    d.p5 = of_sorted(values, 0.05), d.p25 = of_sorted(values, 0.25);
    d.p50 = of_sorted(values, 0.5);
    d.p75 = of_sorted(values, 0.75), d.p95 = of_sorted(values, 0.95);
    double sum = 0;
    for (double v : values)
        sum += v;
    d.mean = sum / double(values.size());
    d.min = values.front();
    d.max = values.back();
    return d;
}

}  // namespace stats
