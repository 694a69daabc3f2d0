#pragma once
// A duration in days that varies from one replication (or site) to the next: regulatory
// approval, contracting, activation, recalibration. Written in a scenario as
//   approval_days = { distribution = "lognormal", median = 60, sigma = 0.35 }
// or as a plain number for a fixed delay. Drawn by the trial (models/trial/sample_delay.hpp).

#include <string>

namespace trial {

struct Delay {
    enum class Kind { fixed, uniform, triangular, lognormal, gamma, exponential };

    Kind kind = Kind::fixed;
    double days = 0.0;         // fixed
    double min_days = 0.0;     // uniform, triangular
    double max_days = 0.0;     // uniform, triangular
    double mode_days = 0.0;    // triangular
    double median_days = 0.0;  // lognormal
    double sigma = 0.0;        // lognormal: s.d. of log(days)
    double mean_days = 0.0;    // gamma, exponential
    double shape = 0.0;        // gamma

    static Delay fixed(double days) {
        Delay d;
        d.days = days;
        return d;
    }

    double mean() const;
    std::string describe() const;
};

}  // namespace trial
