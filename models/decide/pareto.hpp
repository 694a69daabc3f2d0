#pragma once
// The trade-off between two outcomes: the points no other point beats on both.

#include <span>
#include <vector>

namespace decide {

struct TradeOffPoint {
    double x = 0;  // e.g. the objective (cost)
    double y = 0;  // e.g. the main constraint's value (P(target by plan))
};

// Indices of the points on the front, sorted by x. `x_smaller_better` / `y_larger_better` say
// which way each outcome is better; a point is on the front when no other is at least as good
// on both and better on one. Points with NaN are never on it; of equal points, the first.
std::vector<std::size_t> pareto_front(std::span<const TradeOffPoint> points, bool x_smaller_better,
                                      bool y_larger_better);

}  // namespace decide
