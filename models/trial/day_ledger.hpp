#pragma once
// What is booked on each local day of one resource (staff hours, scanner slots). Capacity is
// planned by the day, as sites plan appointments: a visit books a day, not a minute.

#include <algorithm>
#include <cstddef>
#include <vector>

namespace trial {

class DayLedger {
  public:
    double booked(int day) const {
        return day >= 0 && static_cast<std::size_t>(day) < booked_.size() ? booked_[day] : 0.0;
    }
    void book(int day, double amount) {
        if (day < 0) return;
        if (static_cast<std::size_t>(day) >= booked_.size()) booked_.resize(day + 64, 0.0);
        booked_[day] += amount;
    }
    // What is booked over the days [from, to].
    double total(int from, int to) const {
        const int last = std::min(to, last_day());
        double sum = 0.0;
        for (int day = std::max(from, 0); day <= last; ++day)
            sum += booked_[day];
        return sum;
    }
    int last_day() const { return static_cast<int>(booked_.size()) - 1; }
    // Room for days [0, days) without moving what is booked as the diary fills up.
    void reserve_days(int days) { booked_.reserve(static_cast<std::size_t>(std::max(days, 0))); }

  private:
    std::vector<double> booked_;
};

}  // namespace trial
