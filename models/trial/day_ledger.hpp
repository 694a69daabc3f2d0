#pragma once
// What is booked on each local day of one resource (staff time, scanner slots). Capacity is
// planned by the day, as sites plan appointments: a visit books a day, not a minute.
//
// Amounts are whole units (seconds of staff time, machine slots), so bookings add up exactly
// whatever their order, and a day holds 4 bytes: the diaries of a trial's sites are read on
// every booking and every decision epoch, and their size showed in the run time.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace trial {

class DayLedger {
  public:
    std::int32_t booked(int day) const {
        return day >= 0 && static_cast<std::size_t>(day) < booked_.size() ? booked_[day] : 0;
    }
    void book(int day, std::int32_t amount) {
        if (day < 0) return;
        if (static_cast<std::size_t>(day) >= booked_.size()) [[unlikely]]
            grow_to(day);
        booked_[day] += amount;
    }
    // What is booked over the days [from, to].
    std::int64_t total(int from, int to) const {
        const int last = std::min(to, last_day());
        std::int64_t sum = 0;
        for (int day = std::max(from, 0); day <= last; ++day)
            sum += booked_[day];
        return sum;
    }
    // What is booked over the seven days from `first` (an epoch's look at the past week: a
    // fixed count, summed without a loop's set-up).
    std::int64_t total_of_seven_days(int first) const {
        if (first < 0 || first + 6 > last_day()) return total(first, first + 6);
        const std::int32_t* d = booked_.data() + first;
        return std::int64_t{d[0]} + d[1] + d[2] + d[3] + d[4] + d[5] + d[6];
    }
    // Adds what is booked on each day of [first, last] to its week: by_week[day / 7], the last
    // entry taking every day from its week on.
    void add_by_week(int first, int last, std::span<std::int64_t> by_week) const;
    int last_day() const { return static_cast<int>(booked_.size()) - 1; }
    // Room for days [0, days) without moving what is booked as the diary fills up.
    void reserve_days(int days) { booked_.reserve(static_cast<std::size_t>(std::max(days, 0))); }

  private:
    // Out of line: a booking is a few instructions, and growing the diary inline made every
    // booking save and restore registers for it.
    [[gnu::noinline]] void grow_to(int day) { booked_.resize(day + 256, 0); }

    std::vector<std::int32_t> booked_;
};

// Staff time is booked in seconds: finer than any protocol states a visit's duration.
inline std::int32_t staff_seconds(double hours) {
    return static_cast<std::int32_t>(hours * 3600.0 + (hours >= 0 ? 0.5 : -0.5));
}
inline double staff_hours(std::int64_t seconds) {
    return static_cast<double>(seconds) / 3600.0;
}

}  // namespace trial
