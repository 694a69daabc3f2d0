#pragma once
// Forecasting inside the trial, from what has been observed so far: each site's recruitment
// rate by the Poisson-gamma model (Anisimov & Fedorov 2007). With the scenario's prior
// Gamma(alpha, beta) on a site's rate and k patients seen over tau days of exposure, the
// posterior is Gamma(alpha + k, beta + tau); the number still to come in T days is then
// negative binomial. Summed over sites (normal approximation) it gives the probability that
// the trial meets its target by the plan date.

#include <vector>

#include "models/policy/gamma_cdf.hpp"
#include "models/policy/trial_view.hpp"

namespace trial {

struct SiteForecast {
    double shape = 0;  // posterior Gamma of the site's base rate of arrivals per day
    double rate = 0;   // (per day; the effort multiplier is applied on top)
    double mean_arrivals_per_day = 0;        // posterior mean x the current multiplier
    double plan_arrivals_per_day = 0;        // what meets the site's target by the plan date
    bool judged = false;                     // recruited long enough to be judged
    double p_lagging = 0;                    // P(rate x multiplier < plan rate), when judged
    double expected_randomised_by_plan = 0;  // more randomisations by the plan date
    double variance_by_plan = 0;
};

struct TrialForecast {
    std::vector<SiteForecast> sites;
    int still_needed = 0;  // randomisations to the target
    double expected_by_plan = 0;
    double sd_by_plan = 0;
    double p_meet_plan = 1;  // P(target met by the plan date)
};

TrialForecast forecast_trial(const TrialView& trial);
// The same into `out`, reusing its storage (the decision epochs forecast every week).
void forecast_trial(const TrialView& trial, TrialForecast& out);
// The same in steps, for a caller that goes through the sites once for everything it does at
// an epoch: start (sizes `out`), each site's forecast once its view is filled in, then the
// trial-wide sums (in site order, as forecast_trial makes them).
void start_forecast(const TrialView& trial, TrialForecast& out);
void forecast_site(const TrialView& trial, const SiteView& site, SiteForecast& f);
// Of a site's forecast only its recruitment rate (shape, rate, the means, judged, p_lagging),
// from the view's recruitment fields (activity, arrivals, exposure, multiplier, expected
// activation): what the anomaly flags need. forecast_site starts with it. Without
// `with_p_lagging`, p_lagging stays 0, for a caller that only needs to know whether it
// reaches a threshold (lagging_reaches, much cheaper) and its value only when it does.
void forecast_recruitment(const TrialView& trial, const SiteView& site, SiteForecast& f,
                          bool with_p_lagging = true);
// p_lagging of a judged site: P(rate x multiplier < plan rate) (0 for a site without a target).
double lagging_probability(const SiteView& site, const SiteForecast& f);
// Whether lagging_probability(site, f) >= p, exactly as that comparison finds.
bool lagging_reaches(const SiteView& site, const SiteForecast& f, double p);
void finish_forecast(const TrialView& trial, TrialForecast& out);

}  // namespace trial
