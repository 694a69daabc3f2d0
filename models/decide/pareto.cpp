#include "models/decide/pareto.hpp"

#include <algorithm>
#include <cmath>

namespace decide {

std::vector<std::size_t> pareto_front(std::span<const TradeOffPoint> points, bool x_smaller_better,
                                      bool y_larger_better) {
    // Both as "larger is better".
    auto x = [&](std::size_t i) { return x_smaller_better ? -points[i].x : points[i].x; };
    auto y = [&](std::size_t i) { return y_larger_better ? points[i].y : -points[i].y; };
    std::vector<std::size_t> front;
    for (std::size_t i = 0; i < points.size(); ++i) {
        if (std::isnan(points[i].x) || std::isnan(points[i].y)) continue;
        bool beaten = false;
        for (std::size_t j = 0; j < points.size() && !beaten; ++j) {
            if (j == i || std::isnan(points[j].x) || std::isnan(points[j].y)) continue;
            const bool as_good = x(j) >= x(i) && y(j) >= y(i);
            const bool strictly = x(j) > x(i) || y(j) > y(i);
            beaten = as_good && (strictly || j < i);
        }
        if (!beaten) front.push_back(i);
    }
    std::stable_sort(front.begin(), front.end(),
                     [&](std::size_t a, std::size_t b) { return points[a].x < points[b].x; });
    return front;
}

}  // namespace decide
