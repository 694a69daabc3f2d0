#include "models/trial/equipment.hpp"

#include <cmath>

namespace trial {

Downtime Equipment::extend_to(int local_day) {
    if (local_day < 0) return Downtime::none;
    if (static_cast<std::size_t>(local_day) >= by_day_.size()) {
        const std::size_t from = by_day_.size();
        by_day_.resize(local_day + 64);
        for (std::size_t day = from; day < by_day_.size(); ++day) {
            const int d = static_cast<int>(day);
            by_day_[day] = in_maintenance(d) ? Downtime::maintenance
                           : uncalibrated(d) ? Downtime::calibration
                                             : Downtime::none;
        }
    }
    return by_day_[local_day];
}

bool Equipment::in_maintenance(int local_day) const {
    const double every = spec_->maintenance_every_days;
    if (every <= 0.0 || local_day < spec_->maintenance_first_day) return false;
    const double since = local_day - spec_->maintenance_first_day;
    return since - every * std::floor(since / every) < spec_->maintenance_duration_days;
}

bool Equipment::uncalibrated(int local_day) {
    const double valid = spec_->calibration_valid_days;
    if (valid <= 0.0) return false;
    if (calibrated_until_ < 0.0) calibrated_until_ = valid;  // calibrated at day 0
    while (calibrated_until_ <= local_day) {
        const double back = calibrated_until_ + spec_->recalibration_days.sample(rng_);
        lapses_.push_back({calibrated_until_, back});
        calibrated_until_ = back + valid;
    }
    for (auto it = lapses_.rbegin(); it != lapses_.rend(); ++it) {
        if (it->second <= local_day) return false;
        if (it->first <= local_day) return true;
    }
    return false;
}

}  // namespace trial
