#include "models/calibration/as_of.hpp"

#include <algorithm>
#include <cmath>

namespace trial {

namespace {

struct Patient {
    double day;
    ObservedPatient::Status status;
    int visits_done;
    const ObservedPatient* source;  // null: spread evenly without a patients file
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
            patients.push_back({p.randomisation_day, p.status, p.visits_done.value_or(-1), &p});
    }
    if (observed.patients.empty()) {
        const double from = std::min(as_of, activation_day + to_randomisation);
        for (int j = 0; j < s.randomised; ++j) {
            patients.push_back({from + (j + 0.5) * (as_of - from) / s.randomised,
                                j < s.dropped_out ? ObservedPatient::Status::dropped_out
                                                  : ObservedPatient::Status::on_study,
                                -1, nullptr});
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
                       double to_randomisation, Calibration& c, SiteStart& site,
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
        int on_study_number = -1;
        if (p.status == ObservedPatient::Status::on_study) {
            // (The number site_startup.cpp gives the patient's process.)
            on_study_number = (1 << 20) + static_cast<int>(site.on_study_days.size());
            site.on_study_days.push_back(p.day);
            site.on_study_visits_done.push_back(p.visits_done);
        }
        dropout.dropped += p.status == ObservedPatient::Status::dropped_out;
        if (!p.source || c.endpoints.empty()) continue;
        FollowedPatient f;
        f.site = s.site;
        f.randomised_day = p.day;
        f.arm = p.source->arm.value_or(-1);
        f.on_study_number = on_study_number;
        f.dropped_out = p.status == ObservedPatient::Status::dropped_out;
        for (std::size_t e = 0; e < c.endpoints.size(); ++e) {
            f.event_day.push_back(p.source->event_day[e].value_or(std::nan("")));
            f.censored_day.push_back(p.source->censored_day[e].value_or(std::nan("")));
        }
        c.start.followed.push_back(std::move(f));
    }
}

// Each endpoint refitted: pooled, or by arm when every patient's arm is known; the fits become
// the models each replication draws from.
void calibrate_endpoints(const Scenario& scenario, const ObservedTrial& observed, Calibration& c) {
    if (scenario.endpoints.empty() || observed.patients.empty()) return;
    const bool by_arm = std::all_of(observed.patients.begin(), observed.patients.end(),
                                    [](const ObservedPatient& p) { return p.arm.has_value(); });
    const std::size_t arms = scenario.trial.arms.size();
    for (std::size_t e = 0; e < scenario.endpoints.size(); ++e) {
        const EndpointSpec& spec = scenario.endpoints[e];
        EndpointCalibration cal;
        cal.by_arm = by_arm;
        const std::size_t groups = by_arm ? arms : 1;
        std::vector<std::vector<FollowUp>> data(groups);
        for (const ObservedPatient& p : observed.patients) {
            const double from = p.randomisation_day;
            FollowUp f;
            if (p.event_day[e]) {
                f = {*p.event_day[e] - from, true};
            } else if (p.censored_day[e]) {
                f = {*p.censored_day[e] - from, false};
            } else {
                f = {observed.as_of_day - from, false};  // (a dropout's day is not known)
            }
            cal.events += f.event;
            if (f.days > 0 || f.event) data[by_arm ? *p.arm : 0].push_back(f);
        }
        EndpointStart start;
        for (std::size_t g = 0; g < groups; ++g) {
            // Pooled: the control arm's family and values (scenario.endpoints: by_arm[control]
            // is the distribution as written, hazard ratio 1) are the prior.
            const EventTimeModel& like = spec.by_arm[by_arm ? g : 0];
            cal.fits.push_back(fit_event_times(like, data[g]));
        }
        for (std::size_t a = 0; a < arms; ++a) {
            const EventTimeFit& fit = cal.fits[by_arm ? a : 0];
            EndpointStart::ArmModel m;
            m.fit = by_arm ? static_cast<int>(a) : 0;
            if (!fit.fitted) {
                m.model = spec.by_arm[a];  // kept as written (with its hazard ratio)
            } else {
                m.model = fit.model;
                m.log_params = fit.log_params;
                const std::size_t k = fit.log_params.size();
                // Cholesky of the covariance (k is small: by hand).
                m.cholesky.assign(k * k, 0.0);
                for (std::size_t i = 0; i < k; ++i) {
                    for (std::size_t j = 0; j <= i; ++j) {
                        double sum = fit.covariance[i * k + j];
                        for (std::size_t l = 0; l < j; ++l)
                            sum -= m.cholesky[i * k + l] * m.cholesky[j * k + l];
                        m.cholesky[i * k + j] =
                            i == j
                                ? std::sqrt(std::max(sum, 0.0))
                                : (m.cholesky[j * k + j] > 0 ? sum / m.cholesky[j * k + j] : 0.0);
                    }
                }
            }
            start.by_arm.push_back(std::move(m));
        }
        c.start.endpoints.push_back(std::move(start));
        c.endpoints.push_back(std::move(cal));
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
    calibrate_endpoints(scenario, observed, c);
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
