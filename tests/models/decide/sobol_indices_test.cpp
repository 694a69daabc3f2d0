// Sobol indices on functions whose indices are known analytically: an additive function
// (S_i = ST_i = a_i² / Σ a_j²) and Ishigami's (Ishigami & Homma 1990; values as tabulated by
// Saltelli et al. 2010), each estimated on the Saltelli design within Monte Carlo error.

#include <catch2/catch.hpp>
#include <cmath>
#include <numbers>
#include <vector>

#include "models/decide/sobol_indices.hpp"

namespace {

template <class F>
std::vector<double> outputs_at(int inputs, int points, F f) {
    std::vector<double> y;
    for (const std::vector<double>& u : decide::saltelli_points(inputs, points))
        y.push_back(f(u));
    return y;
}

}  // namespace

TEST_CASE("the Saltelli design: A, B, then A with each column from B", "[decide][sobol]") {
    const auto p = decide::saltelli_points(3, 8);
    REQUIRE(p.size() == 8 * 5);
    for (const auto& u : p) {
        REQUIRE(u.size() == 3);
        for (double x : u) {
            CHECK(x >= 0);
            CHECK(x < 1);
        }
    }
    for (int i = 0; i < 3; ++i)
        for (int j = 0; j < 8; ++j)
            for (int c = 0; c < 3; ++c)
                CHECK(p[(2 + i) * 8 + j][c] == (c == i ? p[8 + j][c] : p[j][c]));
    // Quasi-random: A's first coordinate over 64 points puts exactly 8 in each eighth of
    // [0, 1), which a pseudo-random sample would do only by luck.
    const auto q = decide::saltelli_points(3, 64);
    std::vector<int> eighths(8, 0);
    for (int j = 0; j < 64; ++j)
        ++eighths[static_cast<int>(q[j][0] * 8)];
    CHECK(eighths == std::vector<int>(8, 8));
    CHECK(decide::saltelli_points(3, 8) == p);  // the same design every time
}

TEST_CASE("an additive function's indices are a_i^2 / sum a_j^2, first-order = total",
          "[decide][sobol]") {
    const std::vector<double> a{4, 2, 1, 0};
    const double sum = 16 + 4 + 1;
    const int n = 1024;
    const auto y = outputs_at(4, n, [&](const std::vector<double>& u) {
        double f = 10;  // a large mean: the estimators must not care
        for (std::size_t i = 0; i < a.size(); ++i)
            f += a[i] * u[i];
        return f;
    });
    const decide::SobolIndices s = decide::sobol_indices(y, 4, n, 500, 7);
    CHECK(s.variance == Approx(sum / 12).epsilon(0.03));
    for (std::size_t i = 0; i < a.size(); ++i) {
        const double truth = a[i] * a[i] / sum;
        INFO("input " << i);
        CHECK(s.first[i].value == Approx(truth).margin(0.03));
        CHECK(s.total[i].value == Approx(truth).margin(0.03));
        CHECK(s.first[i].low <= truth + 0.005);
        CHECK(s.first[i].high >= truth - 0.005);
        CHECK(s.total[i].low <= truth + 0.005);
        CHECK(s.total[i].high >= truth - 0.005);
    }
    // The input with no effect: exactly 0 in every A/AB pair, so its total index is exactly 0.
    CHECK(s.total[3].value == 0);
    CHECK(s.total[3].low == 0);
    CHECK(s.total[3].high == 0);
    CHECK(s.first[3].value == 0);
}

TEST_CASE("Ishigami's function: interactions show as total above first order", "[decide][sobol]") {
    const double pi = std::numbers::pi;
    const int n = 4096;
    const auto y = outputs_at(3, n, [&](const std::vector<double>& u) {
        const double x1 = -pi + 2 * pi * u[0], x2 = -pi + 2 * pi * u[1], x3 = -pi + 2 * pi * u[2];
        return std::sin(x1) + 7 * std::sin(x2) * std::sin(x2) +
               0.1 * std::pow(x3, 4) * std::sin(x1);
    });
    const decide::SobolIndices s = decide::sobol_indices(y, 3, n, 200, 7);
    // Analytic: S = (0.3139, 0.4424, 0), ST = (0.5576, 0.4424, 0.2437).
    CHECK(s.first[0].value == Approx(0.3139).margin(0.04));
    CHECK(s.first[1].value == Approx(0.4424).margin(0.04));
    CHECK(s.first[2].value == Approx(0.0).margin(0.04));
    CHECK(s.total[0].value == Approx(0.5576).margin(0.03));
    CHECK(s.total[1].value == Approx(0.4424).margin(0.03));
    CHECK(s.total[2].value == Approx(0.2437).margin(0.03));
    CHECK(s.first[2].low <= 0);
    CHECK(s.first[2].high >= 0);
}

TEST_CASE("an outcome that does not vary explains nothing", "[decide][sobol]") {
    const std::vector<double> y(16 * 4, 3.5);
    const decide::SobolIndices s = decide::sobol_indices(y, 2, 16, 100, 1);
    CHECK(s.variance == 0);
    for (int i = 0; i < 2; ++i) {
        CHECK(s.first[i].value == 0);
        CHECK(s.total[i].value == 0);
    }
    CHECK_THROWS(decide::sobol_indices(std::vector<double>(10, 1.0), 2, 16, 0, 1));
}
