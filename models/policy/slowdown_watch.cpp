#include "models/policy/slowdown_watch.hpp"

#include <algorithm>
#include <cmath>

namespace trial {

SlowdownWatch::SlowdownWatch(const SlowdownSettings& settings)
    : settings_(settings), log_ratio_(std::log(settings.ratio)) {
    recent_.reserve(static_cast<std::size_t>(std::max(settings.lag, 0)));
}

bool SlowdownWatch::observe(int arrivals, double exposure_days) {
    if (!(exposure_days > 0)) return false;
    ++epochs_;
    // The first burn_in epochs form the reference; after them each epoch waits `lag` epochs
    // before joining it.
    if (epochs_ <= settings_.burn_in) {
        reference_arrivals_ += arrivals;
        reference_exposure_ += exposure_days;
        return false;
    }
    const double rate0 = (reference_arrivals_ + 0.5) / reference_exposure_;
    s_ = std::max(0.0, s_ + arrivals * log_ratio_ + (1 - settings_.ratio) * rate0 * exposure_days);
    if (static_cast<int>(recent_.size()) < settings_.lag) {
        recent_.push_back({arrivals, exposure_days});
    } else if (settings_.lag > 0) {
        // The oldest recent epoch joins the reference; this one takes its place.
        reference_arrivals_ += recent_[oldest_].arrivals;
        reference_exposure_ += recent_[oldest_].exposure_days;
        recent_[oldest_] = {arrivals, exposure_days};
        oldest_ = (oldest_ + 1) % recent_.size();
    } else {
        reference_arrivals_ += arrivals;
        reference_exposure_ += exposure_days;
    }
    if (flagged_ || s_ < settings_.threshold) return false;
    flagged_ = true;
    return true;
}

double SlowdownWatch::recent_share() const {
    double arrivals = 0, exposure = 0;
    for (const Epoch& e : recent_) {
        arrivals += e.arrivals;
        exposure += e.exposure_days;
    }
    if (!(exposure > 0) || !(reference_exposure_ > 0)) return std::nan("");
    return (arrivals / exposure) / ((reference_arrivals_ + 0.5) / reference_exposure_);
}

}  // namespace trial
