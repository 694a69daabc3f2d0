#pragma once
// What is booked on each local day of a site's resources (staff time, scanner slots). Capacity
// is planned by the day, as sites plan appointments: a visit books a day, not a minute.
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

// The diaries of one site, a row per local day with a cell per diary (each staff group's, each
// machine's): what a booking reads, every staff group and machine a visit needs on a day,
// is one or two cache lines, not a line in each diary's own array (at 850 sites those misses
// grew the time per visit with the trial). Columns are added before anything is booked.
class SiteDiary {
  public:
    int add_column();
    int columns() const { return columns_; }
    std::int32_t booked(int column, int day) const {
        const std::size_t at = cell(column, day);
        return day >= 0 && at < cells_.size() ? cells_[at] : 0;
    }
    void book(int column, int day, std::int32_t amount) {
        if (day < 0) return;
        const std::size_t at = cell(column, day);
        if (at >= cells_.size()) [[unlikely]]
            grow_to(day);
        cells_[at] += amount;
    }
    // Asks the processor to fetch `day`'s row before it is read (a booking's first day tried):
    // in a large trial the row is out of cache, and fetched alongside the booking index and
    // staff rather than after them.
    void prefetch_row(int day) const {
        if (day < 0 || columns_ == 0) return;
        const std::size_t at = cell(0, day);
        if (at + columns_ > cells_.size()) return;
        __builtin_prefetch(cells_.data() + at);
        __builtin_prefetch(cells_.data() + at + columns_ - 1);
    }
    int last_day() const {
        return columns_ > 0 ? static_cast<int>(cells_.size() / columns_) - 1 : -1;
    }
    // Room for days [0, days) without moving what is booked as the diary fills up.
    void reserve_days(int days) {
        cells_.reserve(static_cast<std::size_t>(std::max(days, 0)) * columns_);
    }
    // Column `column` from day 0 on: every columns()-th cell.
    const std::int32_t* column_start(int column) const { return cells_.data() + column; }

  private:
    std::size_t cell(int column, int day) const {
        return static_cast<std::size_t>(day) * columns_ + column;
    }
    // Out of line: a booking is a few instructions, and growing the diary inline made every
    // booking save and restore registers for it.
    [[gnu::noinline]] void grow_to(int day);

    std::vector<std::int32_t> cells_;
    int columns_ = 0;
};

// What is booked on each local day of one resource (staff time, scanner slots): a column of
// its site's diary.
class DayLedger {
  public:
    explicit DayLedger(SiteDiary& diary) : diary_(&diary), column_(diary.add_column()) {}

    std::int32_t booked(int day) const { return diary_->booked(column_, day); }
    void book(int day, std::int32_t amount) { diary_->book(column_, day, amount); }
    // What is booked over the days [from, to].
    std::int64_t total(int from, int to) const {
        const int last = std::min(to, last_day());
        std::int64_t sum = 0;
        for (int day = std::max(from, 0); day <= last; ++day)
            sum += at(day);
        return sum;
    }
    // What is booked over the seven days from `first` (an epoch's look at the past week).
    std::int64_t total_of_seven_days(int first) const { return total(first, first + 6); }
    // Adds what is booked on each day of [first, last] to its week: by_week[day / 7], the last
    // entry taking every day from its week on.
    void add_by_week(int first, int last, std::span<std::int64_t> by_week) const;
    int last_day() const { return diary_->last_day(); }

  private:
    std::int32_t at(int day) const {  // a day within the diary
        return diary_->column_start(column_)[static_cast<std::size_t>(day) * diary_->columns()];
    }
    SiteDiary* diary_;
    int column_;
};

// Staff time is booked in seconds: finer than any protocol states a visit's duration.
inline std::int32_t staff_seconds(double hours) {
    return static_cast<std::int32_t>(hours * 3600.0 + (hours >= 0 ? 0.5 : -0.5));
}
inline double staff_hours(std::int64_t seconds) {
    return static_cast<double>(seconds) / 3600.0;
}

}  // namespace trial
