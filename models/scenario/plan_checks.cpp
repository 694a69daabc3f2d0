#include "models/scenario/plan_checks.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace trial {
namespace {

std::string number(double v, int digits = 4) {
    std::ostringstream out;
    out.precision(digits);
    out << v;
    return out.str();
}

// The last day after randomisation a patient's protocol can reach (visits, windows, and
// how late a visit may still happen).
double protocol_span_days(const Scenario& s) {
    double span = 0;
    for (const VisitSpec& v : s.protocol.visits)
        span = std::max(span, v.day + v.every_days * std::max(0, v.repeat - 1) +
                                  v.window_after_days + s.trial.late_tolerance_days);
    return span;
}

// The longest run of consecutive days without visits in a week (cyclic).
int longest_closed_run(const Country& c) {
    int longest = 0;
    for (int start = 0; start < 7; ++start) {
        int run = 0;
        while (run < 7 && !c.working_days[(start + run) % 7])
            ++run;
        longest = std::max(longest, run);
    }
    return longest;
}

// Patients randomised by `day` at one site on average: its mean rate (the prior's mean when
// the file gives none) past screening, from its mean start-up, with its decay.
double expected_randomised_by(const Scenario& s, const SiteSpec& site, double day) {
    const int ci = s.country_index(site.country);
    if (ci < 0) return 0;
    const Country& c = s.countries[ci];
    const double prior_mean = s.recruitment.rate_rate_days > 0
                                  ? s.recruitment.rate_shape / s.recruitment.rate_rate_days
                                  : 0.0;
    const double rate =
        site.recruitment_rate_per_day.value_or(prior_mean) * (1 - site.screen_failure_probability);
    const double opens =
        c.approval_days.mean() + c.contracting_days.mean() + c.activation_days.mean();
    const double until =
        std::min(day, site.closes_day.value_or(day)) - s.protocol.screening_to_randomisation_days;
    const double open_days = until - opens;
    if (open_days <= 0 || rate <= 0) return 0;
    const double decay = site.recruitment_decay_per_year / 365.25;
    return decay > 0 ? rate * (1 - std::exp(-decay * open_days)) / decay : rate * open_days;
}

}  // namespace

std::vector<PlanWarning> plan_warnings(const Scenario& s) {
    std::vector<PlanWarning> out;
    const double plan = s.trial.plan_target_met_day;

    // The horizon against the last patient's protocol.
    const double span = protocol_span_days(s);
    if (span > 0 && plan + span > s.trial.horizon_days) {
        out.push_back({"trial.horizon_days",
                       "the horizon (day " + number(s.trial.horizon_days) +
                           ") ends before a patient randomised on the plan date (day " +
                           number(plan) + ") finishes the protocol (" + number(span) +
                           " days after randomisation): follow-up is cut off and the horizon "
                           "reported as the last visit; set horizon_days to at least " +
                           number(std::ceil(plan + span))});
    }

    // Sites no CRA team covers.
    if (!s.cra_teams.empty()) {
        std::vector<std::string> uncovered;
        for (const SiteSpec& site : s.sites) {
            if (site.left_out) continue;
            const bool covered =
                std::any_of(s.cra_teams.begin(), s.cra_teams.end(), [&](const CraTeam& t) {
                    return t.sites.empty() ||
                           std::find(t.sites.begin(), t.sites.end(), site.id) != t.sites.end();
                });
            if (!covered) uncovered.push_back(site.id);
        }
        if (!uncovered.empty()) {
            std::string ids;
            for (std::size_t i = 0; i < uncovered.size() && i < 10; ++i)
                ids += (i ? ", " : "") + uncovered[i];
            if (uncovered.size() > 10) ids += ", … (" + std::to_string(uncovered.size()) + ")";
            out.push_back(
                {"cra_teams", "no CRA team covers " + ids +
                                  ": these sites start up without an initiation visit and are "
                                  "never monitored; add them to a team's sites"});
        }
    }

    // Visit windows shorter than a run of days without visits.
    int closed = 0;
    std::string where;
    for (const Country& c : s.countries) {
        const int run = longest_closed_run(c);
        if (run > closed) closed = run, where = c.code;
    }
    if (closed > 0 && closed < 7) {
        auto check = [&](const VisitSpec& v, const std::string& key) {
            if (v.window_to_next_working_day) return;
            const int days = static_cast<int>(std::floor(v.window_before_days) +
                                              std::floor(v.window_after_days)) +
                             1;
            if (days > closed) return;
            out.push_back({key, "the window of '" + v.name + "' spans " + std::to_string(days) +
                                    " day(s); sites in " + where + " see no visits " +
                                    std::to_string(closed) +
                                    " days in a row, so a window falling on them has no working "
                                    "day (a calendar deviation); widen it to at least " +
                                    std::to_string(closed + 1) + " days"});
        };
        for (std::size_t i = 0; i < s.protocol.visits.size(); ++i)
            check(s.protocol.visits[i], "protocol.visits[" + std::to_string(i) + "]");
    }

    // The plan date at the prior's mean rates.
    double expected = 0;
    for (const SiteSpec& site : s.sites)
        if (!site.backup && !site.left_out) expected += expected_randomised_by(s, site, plan);
    if (s.trial.randomisation_target > 0 && expected < s.trial.randomisation_target) {
        out.push_back(
            {"trial.plan_target_met_date",
             "out of reach on average: at the recruitment prior's mean rates and the mean "
             "start-up delays, the open sites randomise about " +
                 number(std::floor(expected), 6) + " patients by the plan date (day " +
                 number(plan) + ") against a target of " +
                 std::to_string(s.trial.randomisation_target) +
                 " (before staffing, capacity and backup sites)"});
    }

    // Drug supply against what the protocol dispenses.
    if (s.supply.enabled) {
        double per_patient = 0;
        for (const VisitSpec& v : s.protocol.visits)
            per_patient += static_cast<double>(v.kits) * std::max(1, v.repeat);
        double held = 0;
        for (const Batch& b : s.supply.batches)
            held += b.kits;
        const double needed = per_patient * s.trial.randomisation_target;
        if (needed > held) {
            out.push_back({"supply.batches",
                           "the batches hold " + number(held, 9) +
                               " kits; the protocol dispenses " + number(per_patient) +
                               " a patient, " + number(needed, 9) + " for the target's " +
                               std::to_string(s.trial.randomisation_target) +
                               " patients (before dropouts and waste): sites will run out"});
        }
    }
    return out;
}

}  // namespace trial
