#pragma once
// Trial days shown as calendar dates: the time axes of every chart read in dates, because
// sponsors plan in dates, while the results file counts days from the trial start.

#include <string>
#include <vector>

namespace viz {

class CalendarAxis {
  public:
    // start: the trial's start date, YYYY-MM-DD; an unreadable date falls back to day numbers.
    explicit CalendarAxis(const std::string& start);

    bool has_dates() const { return valid_; }
    std::string date(double day) const;  // 2027-03-14, or "day 123"

    struct Tick {
        double day;
        std::string label;
    };
    // Ticks for the days [lo, hi], about `wanted` of them: months, quarters or years when
    // dates are known, round day numbers otherwise.
    std::vector<Tick> ticks(double lo, double hi, int wanted) const;

  private:
    bool valid_ = false;
    int start_days_ = 0;  // days since 1970-01-01
};

// Round numbers for a value axis: about `wanted` ticks covering [lo, hi].
std::vector<double> nice_ticks(double lo, double hi, int wanted);

// 1234567 → "1.23 M", 12345 → "12.3 k": for axis labels and cards.
std::string short_number(double value);

}  // namespace viz
