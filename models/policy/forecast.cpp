#include "models/policy/forecast.hpp"

#include <algorithm>
#include <boost/math/special_functions/erf.hpp>
#include <cmath>

namespace trial {

TrialForecast forecast_trial(const TrialView& trial) {
    TrialForecast out;
    forecast_trial(trial, out);
    return out;
}

void forecast_trial(const TrialView& trial, TrialForecast& out) {
    start_forecast(trial, out);
    for (const SiteView& site : trial.sites)
        forecast_site(trial, site, out.sites[site.index]);
    finish_forecast(trial, out);
}

void start_forecast(const TrialView& trial, TrialForecast& out) {
    out = TrialForecast{std::move(out.sites)};
    out.sites.resize(trial.sites.size());
}

void forecast_recruitment(const TrialView& trial, const SiteView& site, SiteForecast& f,
                          bool with_p_lagging) {
    const Scenario& scenario = *trial.scenario;
    const double alpha = scenario.recruitment.rate_shape > 0 ? scenario.recruitment.rate_shape : 1;
    const double beta =
        scenario.recruitment.rate_rate_days > 0 ? scenario.recruitment.rate_rate_days : 1;
    const double plan_day = scenario.trial.plan_target_met_day;
    const PolicySpec& policy = scenario.policy;

    f = SiteForecast{};
    const double eligible = 1.0 - site.spec->screen_failure_probability;
    f.shape = alpha + site.arrived;
    f.rate = beta + site.exposure_days;
    f.mean_arrivals_per_day = f.shape / f.rate * site.rate_multiplier;
    const double planned_days = std::max(30.0, plan_day - site.expected_activation_day);
    f.plan_arrivals_per_day =
        site.spec->target_randomised / (std::max(eligible, 1e-6) * planned_days);
    f.judged = site.active && site.recruiting &&
               trial.today - site.activation_day >= policy.lagging_min_days;
    if (f.judged && with_p_lagging) f.p_lagging = lagging_probability(site, f);
}

namespace {
// rate x m ~ Gamma(shape, rate / m)
double multiplied_rate(const SiteView& site, const SiteForecast& f) {
    return f.rate / std::max(site.rate_multiplier, 1e-9);
}
}  // namespace

double lagging_probability(const SiteView& site, const SiteForecast& f) {
    if (site.spec->target_randomised <= 0) return 0.0;
    return gamma_cdf(f.shape, multiplied_rate(site, f), f.plan_arrivals_per_day);
}

bool lagging_reaches(const SiteView& site, const SiteForecast& f, double p) {
    if (site.spec->target_randomised <= 0) return 0.0 >= p;
    return gamma_cdf_reaches(f.shape, multiplied_rate(site, f), f.plan_arrivals_per_day, p);
}

void forecast_site(const TrialView& trial, const SiteView& site, SiteForecast& f) {
    forecast_recruitment(trial, site, f);
    const Scenario& scenario = *trial.scenario;
    const double plan_day = scenario.trial.plan_target_met_day;
    const double to_randomisation = scenario.protocol.screening_to_randomisation_days;
    const double eligible = 1.0 - site.spec->screen_failure_probability;
    if (!site.opened) return;
    // Patients already screening: each randomised with probability `eligible`.
    f.expected_randomised_by_plan = site.awaiting_randomisation * eligible;
    f.variance_by_plan = site.awaiting_randomisation * eligible * (1 - eligible);
    if (site.recruiting && trial.recruitment_open) {
        const double days =
            plan_day - to_randomisation - std::max(trial.today, site.expected_activation_day);
        if (days > 0) {
            // Arrivals in `days` ~ NegBin: mean m·T·a/b, variance mean + (m·T)²·a/b²;
            // thinning by `eligible` scales the Poisson part by p and the rest by p².
            const double exposure = site.rate_multiplier * days;
            const double mean = exposure * f.shape / f.rate;
            f.expected_randomised_by_plan += eligible * mean;
            f.variance_by_plan += eligible * mean + eligible * eligible * exposure * exposure *
                                                        f.shape / (f.rate * f.rate);
        }
    }
}

void finish_forecast(const TrialView& trial, TrialForecast& out) {
    const Scenario& scenario = *trial.scenario;
    const double plan_day = scenario.trial.plan_target_met_day;
    out.still_needed = std::max(0, scenario.trial.randomisation_target - trial.randomised);
    out.expected_by_plan = 0;
    double variance = 0;
    for (const SiteForecast& f : out.sites) {  // a site not opened adds zeros
        out.expected_by_plan += f.expected_randomised_by_plan;
        variance += f.variance_by_plan;
    }
    out.sd_by_plan = std::sqrt(variance);
    if (out.still_needed == 0) {
        out.p_meet_plan = 1.0;
    } else if (trial.today > plan_day) {
        out.p_meet_plan = 0.0;
    } else if (out.sd_by_plan <= 0) {
        out.p_meet_plan = out.expected_by_plan >= out.still_needed ? 1.0 : 0.0;
    } else {
        // P(N >= needed) with a continuity correction.
        const double z = (out.still_needed - 0.5 - out.expected_by_plan) / out.sd_by_plan;
        out.p_meet_plan = 0.5 * boost::math::erfc(z / std::sqrt(2.0));
    }
}

}  // namespace trial
