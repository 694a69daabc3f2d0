#pragma once
// The time average of a piecewise-constant quantity (queue length, servers busy, stock level).

namespace sim {

class TimeWeighted {
  public:
    explicit TimeWeighted(double start_day = 0.0, double value = 0.0) noexcept
        : start_day_(start_day), last_day_(start_day), value_(value) {}

    void set(double day, double value) noexcept {
        area_ += value_ * (day - last_day_);
        last_day_ = day;
        value_ = value;
    }
    // Forgets the past (e.g. a warm-up period), keeping the current value.
    void restart(double day) noexcept {
        start_day_ = last_day_ = day;
        area_ = 0.0;
    }

    double value() const noexcept { return value_; }
    double area(double day) const noexcept { return area_ + value_ * (day - last_day_); }
    double mean(double day) const noexcept {
        const double span = day - start_day_;
        return span > 0.0 ? area(day) / span : value_;
    }

  private:
    double start_day_;
    double last_day_;
    double value_;
    double area_ = 0.0;
};

}  // namespace sim
