#include "sim/capacity_calendar.hpp"

#include <cmath>
#include <stdexcept>

#include "sim/timing.hpp"

namespace sim {

std::string CapacityCalendar::problem() const {
    if (!(period_days > 0.0) || !std::isfinite(period_days)) return "period must be > 0 days";
    if (steps.empty()) return "needs at least one step";
    if (steps.front().offset_days != 0.0) return "first step must start at offset 0";
    for (std::size_t i = 0; i < steps.size(); ++i) {
        if (steps[i].capacity < 0) return "capacity must be >= 0";
        if (steps[i].offset_days < 0.0 || steps[i].offset_days >= period_days) {
            return "step offsets must lie in [0, period)";
        }
        if (i > 0 && steps[i].offset_days <= steps[i - 1].offset_days) {
            return "step offsets must increase";
        }
    }
    return {};
}

std::int64_t CapacityCalendar::capacity_at(double day, double start_day) const {
    const double into_period = std::fmod(day - start_day, period_days);
    const double offset = into_period < 0.0 ? into_period + period_days : into_period;
    std::int64_t capacity = steps.front().capacity;
    for (const CapacityStep& step : steps) {
        if (step.offset_days <= offset) capacity = step.capacity;
    }
    return capacity;
}

Process follow_calendar(Pool& pool, CapacityCalendar calendar, double start_day) {
    if (const std::string why = calendar.problem(); !why.empty()) {
        throw std::invalid_argument("sim: capacity calendar: " + why);
    }
    co_await until(start_day);
    for (std::uint64_t period = 0;; ++period) {
        const double period_start = start_day + static_cast<double>(period) * calendar.period_days;
        for (const CapacityStep& step : calendar.steps) {
            co_await until(period_start + step.offset_days);
            pool.set_capacity(step.capacity);
        }
    }
}

}  // namespace sim
