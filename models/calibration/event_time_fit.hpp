#pragma once
// An endpoint's time-to-event model refitted to a running trial's follow-up (the digital
// twin's readout forecast): each patient's days from randomisation to the event, or to
// censoring (lost, dropped out, or the as-of day). The family and cure fraction are the
// scenario's; the free parameters (time_to_event.hpp: log rate; log shape and scale; log
// hazard per piece) are estimated by maximum likelihood with a weak normal prior on the log
// scale centred on the scenario's values (sd 2 — so a piece without events stays finite), by
// Newton's method on Eigen with numerical derivatives; their covariance is the inverse of the
// observed information, from which each replication draws its parameters.

#include <string>
#include <vector>

#include "models/scenario/endpoint.hpp"

namespace trial {

struct FollowUp {
    double days = 0;     // from randomisation to the event or censoring
    bool event = false;  // false: censored
};

struct EventTimeFit {
    bool fitted = false;
    std::string problem;   // why not, in words (the scenario's model is kept)
    EventTimeModel model;  // the fitted model (hazard ratio 1)
    std::vector<double> log_params;
    std::vector<double> covariance;  // of log_params, row-major
    std::vector<double> se;          // standard errors of log_params
    int events = 0;
    double exposure_days = 0;
    int iterations = 0;
};

// The weight of the scenario's values: the prior's sd on each log parameter.
inline constexpr double event_fit_prior_sd = 2.0;
// Fewer events than this: the scenario's model is kept.
inline constexpr int event_fit_min_events = 3;

EventTimeFit fit_event_times(const EventTimeModel& scenario_model,
                             const std::vector<FollowUp>& data);

}  // namespace trial
