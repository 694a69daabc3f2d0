#pragma once
// Capacity that follows a repeating pattern: working hours, weekly shifts, a maintenance day
// every quarter. A calendar is a period and the capacity from each offset into it onwards.

#include <cstdint>
#include <string>
#include <vector>

#include "sim/pool.hpp"
#include "sim/process.hpp"

namespace sim {

struct CapacityStep {
    double offset_days;  // from the start of each period, in [0, period_days)
    std::int64_t capacity;
};

struct CapacityCalendar {
    double period_days = 7.0;
    std::vector<CapacityStep> steps;  // ascending offsets; the first applies from offset 0

    // Empty if the calendar is usable, else what is wrong with it.
    std::string problem() const;
    // The capacity in force at `day`, for a calendar whose periods start at `start_day`.
    std::int64_t capacity_at(double day, double start_day = 0.0) const;
};

// A process that keeps `pool`'s capacity on `calendar` from `start_day` on, for ever
// (run the simulation with run_until or stop()).
Process follow_calendar(Pool& pool, CapacityCalendar calendar, double start_day = 0.0);

}  // namespace sim
