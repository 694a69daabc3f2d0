#pragma once
// Where a replication starts when the trial is already running (the digital twin): what was
// observed up to the as-of day, and the posteriors the unknowns are drawn from in each
// replication. Built by models/calibration/as_of.cpp from observed data; without it a
// replication starts at day 0 from the plan.

#include <vector>

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

struct TrialStart {
    double as_of_day = 0;
    std::vector<SiteStart> sites;  // in scenario order
    // Dropout hazard per year ~ Gamma(shape, rate in years).
    double dropout_shape = 1, dropout_rate_years = 1;
};

}  // namespace trial
