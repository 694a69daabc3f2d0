#pragma once
// A site's days as its staff live them: local calendar days (the trial's day 0 is the start
// date), which of them are working days, and when visits start on a day.

#include <algorithm>
#include <array>
#include <cmath>

namespace trial {

class WorkCalendar {
  public:
    WorkCalendar(int start_weekday, double utc_offset_hours, std::array<bool, 7> working_days,
                 double opens_hour)
        : start_weekday_(start_weekday),
          offset_days_(utc_offset_hours / 24.0),
          working_days_(working_days),
          opens_day_fraction_(opens_hour / 24.0),
          working_days_per_week_(
              static_cast<int>(std::count(working_days.begin(), working_days.end(), true))) {}

    // The local calendar day (0 = the trial's start date) at simulation time `day`.
    int local_day(double day) const { return floor_to_int(day + offset_days_); }
    bool is_working_day(int local_day) const {
        int weekday = (start_weekday_ + local_day) % 7;
        if (weekday < 0) weekday += 7;  // days before the start
        return working_days_[weekday];
    }
    // Simulation time at which visits start on `local_day`.
    double opening_time(int local_day) const {
        return local_day + opens_day_fraction_ - offset_days_;
    }
    // Simulation time at which `local_day` begins (local midnight).
    double start_of(int local_day) const { return local_day - offset_days_; }
    int working_days_per_week() const { return working_days_per_week_; }

  private:
    // std::floor for a day number: the same result, without a libm call (x86-64's baseline has
    // no rounding instruction) on every visit.
    static int floor_to_int(double x) {
        const int truncated = static_cast<int>(x);
        return truncated - (x < truncated ? 1 : 0);
    }

    int start_weekday_;
    double offset_days_;
    std::array<bool, 7> working_days_;
    double opens_day_fraction_;
    int working_days_per_week_;
};

}  // namespace trial
