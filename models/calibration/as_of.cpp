#include "models/calibration/as_of.hpp"

#include <algorithm>
#include <cmath>

namespace trial {

Calibration calibrate(const Scenario& scenario, const ObservedTrial& observed) {
    Calibration c;
    const double as_of = observed.as_of_day;
    std::vector<const ObservedSite*> by_site(scenario.sites.size(), nullptr);
    for (const ObservedSite& s : observed.sites)
        by_site[s.site] = &s;

    std::vector<SiteRecruitment> recruitment;
    for (const ObservedSite* s : by_site) {
        if (s && s->activation_day && *s->activation_day < as_of)
            recruitment.push_back({s->screened, as_of - *s->activation_day});
    }
    c.fit = fit_poisson_gamma(recruitment);
    c.fitted = c.fit.converged;
    c.alpha = c.fitted ? c.fit.alpha : scenario.recruitment.rate_shape;
    c.beta = c.fitted ? c.fit.beta : scenario.recruitment.rate_rate_days;

    TrialStart& start = c.start;
    start.as_of_day = as_of;
    start.sites.resize(scenario.sites.size());
    const double to_randomisation = scenario.protocol.screening_to_randomisation_days;
    int dropped = 0;
    double years_at_risk = 0;
    for (std::size_t i = 0; i < scenario.sites.size(); ++i) {
        SiteStart& site = start.sites[i];
        const ObservedSite* s = by_site[i];
        const double p0 = scenario.sites[i].screen_failure_probability;
        site.screen_failure_a = std::max(1e-3, screen_failure_prior_weight * p0);
        site.screen_failure_b = std::max(1e-3, screen_failure_prior_weight * (1 - p0));
        site.rate_shape = c.alpha;
        site.rate_rate_days = c.beta;
        if (!s || !s->activation_day) continue;  // not active yet: the fitted prior
        site.active = true;
        site.activation_day = *s->activation_day;
        ++c.active_sites;
        site.rate_shape = c.alpha + s->screened;
        site.rate_rate_days = c.beta + (as_of - site.activation_day);
        const int failed = s->screen_failed.value_or(s->screened - s->randomised);
        site.screen_failure_a += failed;
        site.screen_failure_b += s->randomised;
        site.arrived = s->screened;
        site.screening = s->screened - s->randomised - failed;
        // Randomisations: the patients file's, or spread evenly over the site's time open.
        site.kits_on_hand = s->kits_on_hand.value_or(-1);
        struct Patient {
            double day;
            ObservedPatient::Status status;
            int visits_done;
            bool operator<(const Patient& o) const { return day < o.day; }
        };
        std::vector<Patient> patients;
        for (const ObservedPatient& p : observed.patients) {
            if (p.site == static_cast<int>(i))
                patients.push_back({p.randomisation_day, p.status, p.visits_done.value_or(-1)});
        }
        if (observed.patients.empty()) {
            const double from = std::min(as_of, site.activation_day + to_randomisation);
            for (int j = 0; j < s->randomised; ++j) {
                // The earliest ones are taken as those who dropped out.
                patients.push_back({from + (j + 0.5) * (as_of - from) / s->randomised,
                                    j < s->dropped_out ? ObservedPatient::Status::dropped_out
                                                       : ObservedPatient::Status::on_study,
                                    -1});
            }
        }
        std::stable_sort(patients.begin(), patients.end());
        for (const Patient& p : patients) {
            site.randomised_days.push_back(p.day);
            years_at_risk += (as_of - p.day) / 365.25;
            if (p.status == ObservedPatient::Status::on_study) {
                site.on_study_days.push_back(p.day);
                site.on_study_visits_done.push_back(p.visits_done);
            }
            dropped += p.status == ObservedPatient::Status::dropped_out;
        }
        c.randomised += static_cast<int>(patients.size());
    }
    // Dropout hazard: Gamma prior of mean = the scenario's rate, updated with what was seen.
    const double r0 = scenario.trial.dropout_rate_per_year;
    if (r0 > 0) {
        start.dropout_shape = dropout_prior_weight + dropped;
        start.dropout_rate_years = dropout_prior_weight / r0 + years_at_risk;
    } else if (dropped > 0) {
        start.dropout_shape = dropped;
        start.dropout_rate_years = std::max(years_at_risk, 1e-3);
    } else {
        start.dropout_shape = 0;  // none expected, none seen
    }
    c.dropout_rate_per_year =
        start.dropout_shape > 0 ? start.dropout_shape / start.dropout_rate_years : 0.0;
    return c;
}

}  // namespace trial
