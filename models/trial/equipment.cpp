#include "models/trial/equipment.hpp"

#include "models/trial/sample_delay.hpp"

#include <algorithm>
#include <cmath>

namespace trial {

Downtime Equipment::extend_to(int local_day) {
    if (local_day < 0) return Downtime::none;
    if (static_cast<std::size_t>(local_day) >= by_day_.size()) {
        const int from = static_cast<int>(by_day_.size());
        const int to = local_day + 64;
        by_day_.resize(to, Downtime::none);
        mark_calibration_lapses(from, to);
        mark_maintenance(from, to);
    }
    return by_day_[local_day];
}

bool Equipment::in_maintenance(int local_day) const {
    const double every = spec_->maintenance_every_days;
    if (every <= 0.0 || local_day < spec_->maintenance_first_day) return false;
    const double since = local_day - spec_->maintenance_first_day;
    return since - every * std::floor(since / every) < spec_->maintenance_duration_days;
}

void Equipment::mark_maintenance(int from, int to) {
    const double every = spec_->maintenance_every_days;
    if (every <= 0.0) return;
    const double first = spec_->maintenance_first_day;
    const double duration = spec_->maintenance_duration_days;
    // Only days within a day of a maintenance window [first + k·every, … + duration) can pass
    // in_maintenance(); those are asked exactly, so the days marked are the days it defines.
    const double k_from = std::max(0.0, std::floor((from - first) / every) - 1.0);
    for (double k = k_from;; ++k) {
        const double opens = first + k * every;
        if (opens - 1.0 >= to) break;
        const int lo = std::max(from, static_cast<int>(std::floor(opens)) - 1);
        const int hi = std::min(to - 1, static_cast<int>(std::ceil(opens + duration)) + 1);
        for (int day = lo; day <= hi; ++day) {
            if (in_maintenance(day)) by_day_[day] = Downtime::maintenance;
        }
    }
}

void Equipment::mark_calibration_lapses(int from, int to) {
    const double valid = spec_->calibration_valid_days;
    if (valid <= 0.0) return;
    if (calibrated_until_ < 0.0) calibrated_until_ = valid;  // calibrated at day 0
    // Lapses are drawn in order from the machine's own stream, up to the last day asked about.
    while (calibrated_until_ <= to - 1) {
        const double back = calibrated_until_ + sample(spec_->recalibration_days, rng_);
        lapses_.push_back({calibrated_until_, back});
        calibrated_until_ = back + valid;
    }
    while (lapse_cursor_ < lapses_.size() && lapses_[lapse_cursor_].second <= from)
        ++lapse_cursor_;
    for (std::size_t i = lapse_cursor_; i < lapses_.size() && lapses_[i].first < to; ++i) {
        const auto [lapsed, back] = lapses_[i];
        for (int day = std::max(from, static_cast<int>(std::ceil(lapsed))); day < to && day < back;
             ++day)
            by_day_[day] = Downtime::calibration;
    }
}

}  // namespace trial
