#pragma once
// From what a running trial observed to where its replications start: the Poisson-gamma prior
// refitted to the active sites (maximum likelihood), each site's rate posterior, screen failure
// and dropout posteriors, and the patients already randomised.

#include <string>
#include <vector>

#include "models/calibration/event_time_fit.hpp"
#include "models/calibration/observed_data.hpp"
#include "models/calibration/poisson_gamma_fit.hpp"
#include "models/trial/trial_start.hpp"

namespace trial {

// An endpoint refitted to the patients file's event and censoring dates: pooled over the
// arms (blinded), or arm by arm when every patient's arm is given.
struct EndpointCalibration {
    bool by_arm = false;
    std::vector<EventTimeFit> fits;  // one pooled fit, or one per arm
    int events = 0;
};

struct Calibration {
    PoissonGammaFit fit;
    bool fitted = false;         // false: the scenario's prior was kept (fit.problem says why)
    double alpha = 0, beta = 0;  // the prior used for sites' rates
    double dropout_rate_per_year = 0;  // posterior mean
    int active_sites = 0;
    int randomised = 0;
    std::vector<EndpointCalibration> endpoints;  // with [[endpoints]] and a patients file
    TrialStart start;
};

// Screen failure: the scenario's probability as a Beta prior worth this many screenings.
inline constexpr double screen_failure_prior_weight = 10.0;
// Dropout: the scenario's hazard as a Gamma prior worth this many dropouts.
inline constexpr double dropout_prior_weight = 2.0;

Calibration calibrate(const Scenario& scenario, const ObservedTrial& observed);

}  // namespace trial
