#include "models/stats/paired_difference.hpp"

#include <boost/math/distributions/students_t.hpp>
#include <cmath>

namespace stats {

MeanInterval mean_with_95_interval(const RunningStats& differences) {
    MeanInterval m;
    m.count = static_cast<int>(differences.count());
    m.mean = differences.mean();
    double half_width = std::nan("");
    if (m.count >= 2) {
        const boost::math::students_t t(m.count - 1);
        half_width = boost::math::quantile(t, 0.975) * differences.standard_error();
    }
    m.low = m.mean - half_width;
    m.high = m.mean + half_width;
    return m;
}

}  // namespace stats
