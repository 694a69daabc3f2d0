#pragma once
// Mean, variance and standard error of a stream of observations (Welford's algorithm,
// Knuth TAOCP vol. 2, 4.2.2), stable for long runs.

#include <cmath>
#include <cstdint>

namespace stats {

class RunningStats {
  public:
    void add(double x) noexcept {
        ++count_;
        const double delta = x - mean_;
        mean_ += delta / static_cast<double>(count_);
        sum_sq_ += delta * (x - mean_);
    }
    std::uint64_t count() const noexcept { return count_; }
    double mean() const noexcept { return mean_; }
    double variance() const noexcept {
        return count_ > 1 ? sum_sq_ / static_cast<double>(count_ - 1) : 0.0;
    }
    double stddev() const noexcept { return std::sqrt(variance()); }
    double standard_error() const noexcept {
        return count_ > 0 ? std::sqrt(variance() / static_cast<double>(count_)) : 0.0;
    }

  private:
    std::uint64_t count_ = 0;
    double mean_ = 0.0;
    double sum_sq_ = 0.0;
};

}  // namespace stats
