#include "models/stats/proportion_interval.hpp"

#include <algorithm>
#include <cmath>

namespace stats {

ProportionInterval wilson_95(double yes, double n) {
    const double z = 1.959963984540054, p = yes / n;
    const double centre = (p + z * z / (2 * n)) / (1 + z * z / n);
    const double half = z / (1 + z * z / n) * std::sqrt(p * (1 - p) / n + z * z / (4 * n * n));
    return {yes == 0 ? 0.0 : std::max(0.0, centre - half),
            yes == n ? 1.0 : std::min(1.0, centre + half)};
}

}  // namespace stats
