#include "models/trial/day_ledger.hpp"

#include <stdexcept>

namespace trial {

int SiteDiary::add_column() {
    if (!cells_.empty()) throw std::logic_error("SiteDiary: a column added after bookings");
    return columns_++;
}

void SiteDiary::grow_to(int day) {
    cells_.resize((static_cast<std::size_t>(day) + 256) * columns_, 0);
}

void DayLedger::add_by_week(int first, int last, std::span<std::int64_t> by_week) const {
    if (by_week.empty()) return;
    const int last_week = static_cast<int>(by_week.size()) - 1;
    last = std::min(last, last_day());
    // Days [from, to], all in one week (or from the last week on).
    auto add_days = [&](int from, int to) {
        std::int64_t sum = 0;
        for (int day = from; day <= to; ++day)
            sum += at(day);
        by_week[std::min(from / 7, last_week)] += sum;
    };
    int day = std::max(first, 0);
    if (day > last) return;
    if (day / 7 >= last_week) return add_days(day, last);
    if (day % 7 != 0) {  // the rest of the first week
        const int ends = std::min(last, day / 7 * 7 + 6);
        add_days(day, ends);
        day = ends + 1;
    }
    // Whole weeks, seven days at a time: closing the books of a replication sums every day of
    // every diary, and working out each day's week cost more than the sums.
    for (; day / 7 < last_week && day + 6 <= last; day += 7) {
        std::int64_t sum = 0;
        for (int k = 0; k < 7; ++k)
            sum += at(day + k);
        by_week[day / 7] += sum;
    }
    if (day <= last) add_days(day, last);  // a part week, or the last week on
}

}  // namespace trial
