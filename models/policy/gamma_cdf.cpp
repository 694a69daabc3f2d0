#include "models/policy/gamma_cdf.hpp"

#include <algorithm>
#include <boost/math/special_functions/gamma.hpp>
#include <cmath>
#include <limits>
#include <vector>

namespace trial {
namespace {

// Within 1 .. max_shape whole shapes (the prior's, when whole, plus arrivals counted) and
// rate * x below max_y, the CDF is the Erlang closed form below.
constexpr int max_shape = 200;
constexpr double max_y = 600.0;

bool erlang_case(double shape, double y) {
    // (A whole number: within 1 .. max_shape the conversion to int is exact.)
    return shape >= 1 && shape <= max_shape && shape == static_cast<int>(shape) && y < max_y;
}

// 1 - e^-y sum_{k<n} y^k / k!: a few multiplications where the general series costs an order
// of magnitude more. Positive terms, so it is exact to ~n ulp in absolute terms, as a
// threshold needs.
double erlang_cdf(int n, double y) {
    double term = 1.0, sum = 1.0;
    for (int k = 1; k < n; ++k) {
        term *= y / k;
        sum += term;
    }
    return std::clamp(1.0 - std::exp(-y) * sum, 0.0, 1.0);
}

// Where erlang_cdf(n, .) crosses p, as two points of y: below `under` it is surely below p, at
// or above `reached` surely at least p; between them only working it out tells.
//
// Why surely: the true CDF F increases with y, and erlang_cdf is within e of it, with e below
// 1e-13 for n <= 200 (n terms, each within ~2n ulp, their sum at most e^y; the subtraction one
// ulp more). `under` is a point where erlang_cdf < p - margin; for y <= under, erlang_cdf(y) <=
// F(y) + e <= F(under) + e <= erlang_cdf(under) + 2e < p - margin + 2e < p. `reached` is a point
// where erlang_cdf >= p + margin, and the same argument gives erlang_cdf(y) > p from it on.
struct Crossing {
    double under = std::numeric_limits<double>::quiet_NaN();  // NaN: not worked out yet
    double reached = 0.0;
};
constexpr double margin = 1e-11;  // a hundred times 2e

// Bisection for the y where erlang_cdf(n, .) passes `level`: returns (lo, hi) with
// erlang_cdf(n, lo) < level <= erlang_cdf(n, hi), hi - lo a few ulp; lo = -1 if even y = 0
// reaches the level, hi = +inf if no y below max_y does.
std::pair<double, double> passes(int n, double level) {
    constexpr double never = std::numeric_limits<double>::infinity();
    if (level <= 0.0) return {-1.0, 0.0};
    if (erlang_cdf(n, max_y) < level) return {max_y, never};
    double lo = 0.0, hi = max_y;  // erlang_cdf(n, 0) = 0 < level
    for (int i = 0; i < 200; ++i) {
        const double mid = 0.5 * (lo + hi);
        if (mid <= lo || mid >= hi) break;
        (erlang_cdf(n, mid) < level ? lo : hi) = mid;
    }
    return {lo, hi};
}

Crossing crossing_of(int n, double p) {
    return {passes(n, p - margin).first, passes(n, p + margin).second};
}

// Crossing points by shape for each threshold asked about (a run asks about one or two).
struct Crossings {
    double p;
    std::vector<Crossing> by_shape;  // [n]
};
thread_local std::vector<Crossings> known;

const Crossing& crossing(int n, double p) {
    auto it =
        std::find_if(known.begin(), known.end(), [p](const Crossings& c) { return c.p == p; });
    if (it == known.end()) {
        known.push_back({p, std::vector<Crossing>(max_shape + 1)});
        it = known.end() - 1;
    }
    Crossing& c = it->by_shape[n];
    if (std::isnan(c.under)) [[unlikely]]
        c = crossing_of(n, p);
    return c;
}

}  // namespace

double gamma_cdf(double shape, double rate, double x) {
    if (x <= 0) return 0.0;
    const double y = rate * x;
    // The Erlang case runs for every judged site at every decision epoch.
    if (erlang_case(shape, y)) return erlang_cdf(static_cast<int>(shape), y);
    // Double precision throughout: a flag needs no long-double digits.
    using namespace boost::math::policies;
    return boost::math::gamma_p(shape, y, policy<promote_double<false>>());
}

bool gamma_cdf_reaches(double shape, double rate, double x, double p) {
    if (x > 0 && std::isfinite(p)) {
        const double y = rate * x;
        if (erlang_case(shape, y)) {
            const Crossing& c = crossing(static_cast<int>(shape), p);
            if (y <= c.under) return false;
            if (y >= c.reached) return true;
        }
    }
    return gamma_cdf(shape, rate, x) >= p;
}

}  // namespace trial
