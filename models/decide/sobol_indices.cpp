#include "models/decide/sobol_indices.hpp"

#include <algorithm>
#include <boost/random/mersenne_twister.hpp>
#include <boost/random/sobol.hpp>
#include <boost/random/uniform_int_distribution.hpp>
#include <stdexcept>

#include "models/stats/quantiles.hpp"

namespace decide {

std::vector<std::vector<double>> saltelli_points(int inputs, int base_points) {
    const std::size_t k = static_cast<std::size_t>(inputs);
    const std::size_t n = static_cast<std::size_t>(base_points);
    boost::random::sobol sequence(2 * k);
    std::vector<std::vector<double>> a(n, std::vector<double>(k)), b = a;
    // The sequence's first point is the origin, a corner of the cube: left out.
    sequence.discard(2 * k);
    const double unit = 0x1p-64;
    for (std::size_t j = 0; j < n; ++j) {
        for (std::size_t i = 0; i < k; ++i)
            a[j][i] = static_cast<double>(sequence()) * unit;
        for (std::size_t i = 0; i < k; ++i)
            b[j][i] = static_cast<double>(sequence()) * unit;
    }
    std::vector<std::vector<double>> points;
    points.reserve(n * (k + 2));
    points.insert(points.end(), a.begin(), a.end());
    points.insert(points.end(), b.begin(), b.end());
    for (std::size_t i = 0; i < k; ++i) {
        for (std::size_t j = 0; j < n; ++j) {
            std::vector<double> ab = a[j];
            ab[i] = b[j][i];
            points.push_back(std::move(ab));
        }
    }
    return points;
}

namespace {

struct Estimate {
    std::vector<double> first, total;
    double mean = 0, variance = 0;
};

// The estimators over the rows `rows` (a bootstrap resample, or every row once).
Estimate estimate(std::span<const double> y, std::size_t k, std::size_t n,
                  std::span<const std::size_t> rows) {
    auto f_a = [&](std::size_t j) { return y[j]; };
    auto f_b = [&](std::size_t j) { return y[n + j]; };
    auto f_ab = [&](std::size_t i, std::size_t j) { return y[(2 + i) * n + j]; };
    Estimate e;
    double sum = 0, sum_sq = 0;
    for (const std::size_t j : rows) {
        sum += f_a(j) + f_b(j);
    }
    const double count = 2.0 * rows.size();
    e.mean = sum / count;
    for (const std::size_t j : rows) {
        sum_sq += (f_a(j) - e.mean) * (f_a(j) - e.mean) + (f_b(j) - e.mean) * (f_b(j) - e.mean);
    }
    e.variance = count > 1 ? sum_sq / (count - 1) : 0.0;
    e.first.assign(k, 0.0);
    e.total.assign(k, 0.0);
    if (!(e.variance > 0)) return e;
    for (std::size_t i = 0; i < k; ++i) {
        double first = 0, total = 0;
        for (const std::size_t j : rows) {
            // f(B) centred: the same expectation, far less variance when the outcome's mean
            // is large against its spread (a day count, a cost).
            first += (f_b(j) - e.mean) * (f_ab(i, j) - f_a(j));
            total += (f_a(j) - f_ab(i, j)) * (f_a(j) - f_ab(i, j));
        }
        e.first[i] = first / rows.size() / e.variance;
        e.total[i] = total / (2.0 * rows.size()) / e.variance;
    }
    return e;
}

}  // namespace

SobolIndices sobol_indices(std::span<const double> outputs, int inputs, int base_points,
                           int bootstrap, std::uint64_t seed) {
    const std::size_t k = static_cast<std::size_t>(inputs);
    const std::size_t n = static_cast<std::size_t>(base_points);
    if (outputs.size() != n * (k + 2))
        throw std::invalid_argument("sobol_indices: expected N(k + 2) outputs");
    std::vector<std::size_t> rows(n);
    for (std::size_t j = 0; j < n; ++j)
        rows[j] = j;
    const Estimate all = estimate(outputs, k, n, rows);
    SobolIndices result;
    result.mean = all.mean;
    result.variance = all.variance;
    result.first.resize(k);
    result.total.resize(k);
    std::vector<std::vector<double>> first(k), total(k);
    boost::random::mt19937_64 rng(seed);
    boost::random::uniform_int_distribution<std::size_t> row(0, n - 1);
    for (int r = 0; r < bootstrap; ++r) {
        for (std::size_t j = 0; j < n; ++j)
            rows[j] = row(rng);
        const Estimate e = estimate(outputs, k, n, rows);
        for (std::size_t i = 0; i < k; ++i) {
            first[i].push_back(e.first[i]);
            total[i].push_back(e.total[i]);
        }
    }
    constexpr double interval[] = {0.025, 0.975};
    for (std::size_t i = 0; i < k; ++i) {
        result.first[i].value = all.first[i];
        result.total[i].value = all.total[i];
        if (bootstrap > 1) {
            const std::vector<double> f = stats::quantiles(first[i], interval);
            const std::vector<double> t = stats::quantiles(total[i], interval);
            result.first[i].low = f[0];
            result.first[i].high = f[1];
            result.total[i].low = t[0];
            result.total[i].high = t[1];
        } else {
            result.first[i].low = result.first[i].high = all.first[i];
            result.total[i].low = result.total[i].high = all.total[i];
        }
    }
    return result;
}

}  // namespace decide
