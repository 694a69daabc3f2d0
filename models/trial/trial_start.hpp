#pragma once
// Where a replication starts when the trial is already running (the digital twin): what was
// observed up to the as-of day, and the posteriors the unknowns are drawn from in each
// replication. Built by models/calibration/as_of.cpp from observed data; without it a
// replication starts at day 0 from the plan.

#include <vector>

#include "models/scenario/endpoint.hpp"

namespace trial {

struct SiteStart {
    bool active = false;        // initiated before the as-of day
    double activation_day = 0;  // when (active sites)
    // The site's recruitment rate (patients presenting a day) ~ Gamma(shape, rate): the
    // posterior for active sites, the fitted prior for the others.
    double rate_shape = 1, rate_rate_days = 1;
    // Screen failure ~ Beta(a, b): the scenario's value updated with the site's screenings.
    double screen_failure_a = 1, screen_failure_b = 1;
    int arrived = 0;    // presented by the as-of day
    int screening = 0;  // arrived, not yet randomised or failed: they continue at the as-of day
    std::vector<double> randomised_days;    // every randomisation so far
    std::vector<double> on_study_days;      // randomisation days of those still on study
    std::vector<int> on_study_visits_done;  // their protocol visits done; -1: by the dates
    int kits_on_hand = -1;                  // at the as-of day; -1: not known (resupplied)
};

// A running trial's endpoint: the event-time model of each arm, refitted to what was observed;
// each replication draws its parameters as log_params + cholesky × N(0, 1) (cholesky lower
// triangular, row-major; empty: the model as it is).
struct EndpointStart {
    struct ArmModel {
        EventTimeModel model;
        std::vector<double> log_params, cholesky;
        int fit = 0;  // arms of one fit (a pooled, blinded fit: every arm) share each draw
    };
    std::vector<ArmModel> by_arm;  // one per arm of [trial]
};

// A patient randomised before the as-of day, as followed for the endpoints.
struct FollowedPatient {
    int site = 0;
    double randomised_day = 0;
    int arm = -1;              // -1: not observed (blinded): drawn by the allocation ratio
    int on_study_number = -1;  // the patient's number at its site when still on study
    bool dropped_out = false;  // censored for every endpoint (at censored_day, else the as-of day)
    // Per endpoint: the day of the event or of censoring; NaN: none.
    std::vector<double> event_day, censored_day;
};

struct TrialStart {
    double as_of_day = 0;
    std::vector<SiteStart> sites;  // in scenario order
    // Dropout hazard per year ~ Gamma(shape, rate in years).
    double dropout_shape = 1, dropout_rate_years = 1;
    // Endpoints (with [[endpoints]] and a patients file): their models and the patients.
    std::vector<EndpointStart> endpoints;
    std::vector<FollowedPatient> followed;
};

}  // namespace trial
