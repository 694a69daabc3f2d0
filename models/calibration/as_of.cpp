#include "models/calibration/as_of.hpp"

#include <algorithm>
#include <cmath>

namespace trial {

namespace {

struct Patient {
    double day;
    ObservedPatient::Status status;
    int visits_done;
    bool operator<(const Patient& o) const { return day < o.day; }
};

// The site's randomised patients in order of randomisation: the patients file's, or, without
// one, spread evenly over the site's time open (the earliest taken as those who dropped out).
std::vector<Patient> patients_of(const ObservedTrial& observed, const ObservedSite& s,
                                 double activation_day, double to_randomisation) {
    const double as_of = observed.as_of_day;
    std::vector<Patient> patients;
    for (const ObservedPatient& p : observed.patients) {
        if (p.site == s.site)
            patients.push_back({p.randomisation_day, p.status, p.visits_done.value_or(-1)});
    }
    if (observed.patients.empty()) {
        const double from = std::min(as_of, activation_day + to_randomisation);
        for (int j = 0; j < s.randomised; ++j) {
            patients.push_back({from + (j + 0.5) * (as_of - from) / s.randomised,
                                j < s.dropped_out ? ObservedPatient::Status::dropped_out
                                                  : ObservedPatient::Status::on_study,
                                -1});
        }
    }
    std::stable_sort(patients.begin(), patients.end());
    return patients;
}

// Time at risk of dropping out, and dropouts seen, over the patients randomised so far.
struct DropoutExposure {
    double years_at_risk = 0;
    int dropped = 0;
};

// An active site's as-of state: its rate's posterior, its screen-failure counts, its patients.
void start_active_site(const ObservedTrial& observed, const ObservedSite& s,
                       double to_randomisation, const Calibration& c, SiteStart& site,
                       DropoutExposure& dropout) {
    const double as_of = observed.as_of_day;
    site.active = true;
    site.activation_day = *s.activation_day;
    site.rate_shape = c.alpha + s.screened;
    site.rate_rate_days = c.beta + (as_of - site.activation_day);
    const int failed = s.screen_failed.value_or(s.screened - s.randomised);
    site.screen_failure_a += failed;
    site.screen_failure_b += s.randomised;
    site.arrived = s.screened;
    site.screening = s.screened - s.randomised - failed;
    site.kits_on_hand = s.kits_on_hand.value_or(-1);
    for (const Patient& p : patients_of(observed, s, site.activation_day, to_randomisation)) {
        site.randomised_days.push_back(p.day);
        dropout.years_at_risk += (as_of - p.day) / 365.25;
        if (p.status == ObservedPatient::Status::on_study) {
            site.on_study_days.push_back(p.day);
            site.on_study_visits_done.push_back(p.visits_done);
        }
        dropout.dropped += p.status == ObservedPatient::Status::dropped_out;
    }
}

// Dropout hazard: Gamma prior of mean = the scenario's rate, updated with what was seen.
void start_dropout(const Scenario& scenario, const DropoutExposure& seen, Calibration& c) {
    TrialStart& start = c.start;
    const double r0 = scenario.trial.dropout_rate_per_year;
    if (r0 > 0) {
        start.dropout_shape = dropout_prior_weight + seen.dropped;
        start.dropout_rate_years = dropout_prior_weight / r0 + seen.years_at_risk;
    } else if (seen.dropped > 0) {
        start.dropout_shape = seen.dropped;
        start.dropout_rate_years = std::max(seen.years_at_risk, 1e-3);
    } else {
        start.dropout_shape = 0;  // none expected, none seen
    }
    c.dropout_rate_per_year =
        start.dropout_shape > 0 ? start.dropout_shape / start.dropout_rate_years : 0.0;
}

}  // namespace

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

    c.start.as_of_day = as_of;
    c.start.sites.resize(scenario.sites.size());
    DropoutExposure dropout;
    for (std::size_t i = 0; i < scenario.sites.size(); ++i) {
        SiteStart& site = c.start.sites[i];
        const double p0 = scenario.sites[i].screen_failure_probability;
        site.screen_failure_a = std::max(1e-3, screen_failure_prior_weight * p0);
        site.screen_failure_b = std::max(1e-3, screen_failure_prior_weight * (1 - p0));
        site.rate_shape = c.alpha;  // not active yet: the fitted prior
        site.rate_rate_days = c.beta;
        const ObservedSite* s = by_site[i];
        if (!s || !s->activation_day) continue;
        ++c.active_sites;
        start_active_site(observed, *s, scenario.protocol.screening_to_randomisation_days, c, site,
                          dropout);
        c.randomised += static_cast<int>(site.randomised_days.size());
    }
    start_dropout(scenario, dropout, c);
    return c;
}

}  // namespace trial
