#include "models/trial/summary_recorder.hpp"

#include <algorithm>
#include <cmath>

namespace trial {

SummaryRecorder::SummaryRecorder(ReplicationSummary& summary, const Scenario& scenario,
                                 const TrialStart* start, Recorder* next, SiteWeeksSink* site_weeks)
    : s_(summary),
      next_(next),
      own_site_weeks_(summary),
      site_weeks_(site_weeks ? site_weeks : &own_site_weeks_) {
    s_.sites.resize(scenario.sites.size());
    s_.site_days.resize(scenario.sites.size());
    s_.plan_target_met_day = scenario.trial.plan_target_met_day;
    s_.analyses.resize(scenario.analyses.size());
    s_.events_by_week.assign(scenario.endpoints.size(),
                             std::vector<std::vector<int>>(scenario.trial.arms.size()));
    if (!start) return;
    for (const SiteStart& site : start->sites) {
        s_.arrived += site.arrived - site.screening;
        s_.randomised += static_cast<int>(site.randomised_days.size());
        for (double day : site.randomised_days) {
            if (std::isnan(s_.first_patient_in_day) || day < s_.first_patient_in_day)
                s_.first_patient_in_day = day;
            s_.randomised_by_plan += day <= s_.plan_target_met_day;
        }
    }
    if (s_.randomised >= scenario.trial.randomisation_target) s_.target_met_day = start->as_of_day;
}

void SummaryRecorder::site_books_closed(const SiteWeeks& weeks, const SiteClosing& site) {
    if (s_.randomised_by_week.empty()) s_.randomised_by_week.assign(weeks.weeks, 0);
    for (int w = 0; w < weeks.weeks; ++w)
        s_.randomised_by_week[w] += weeks.randomised[w];
    // The days of the site's stock-outs and deviations, as they were recorded, binned by the
    // sink into weeks.
    const ReplicationSummary::SiteDays& days = s_.site_days[site.site];
    SiteWeeks with_days = weeks;
    with_days.stock_out_days = days.stock_outs;
    with_days.deviation_days = days.deviations;
    with_days.equipment_conflict_days = days.equipment_deviations;
    site_weeks_->add(with_days);

    SiteSummary& out = s_.sites[site.site];
    out.stock_outs = static_cast<int>(days.stock_outs.size());
    out.deviations = static_cast<int>(days.deviations.size());
    out.recruitment_end_day = site.recruitment_end_day;
    out.last_activity_day = site.last_activity_day;
    out.backup = site.backup;
    out.opened = site.opened;
    out.activation_day = site.activation_day;
    out.approval_day = site.approval_day;
    out.recruitment_rate_per_day = site.recruitment_rate_per_day;
    out.arrived = site.arrived;
    out.screened = site.screened;
    out.randomised = site.randomised;
    out.target_randomised = site.target_randomised;
    out.met_target = site.randomised >= site.target_randomised;
    if (next_) next_->site_books_closed(weeks, site);
}

void SummaryRecorder::analysis_cut_off(const AnalysisCutOff& cut) {
    AnalysisResult& a = s_.analyses[cut.analysis];
    a.cutoff_day = cut.cutoff_day;
    a.lock_day = cut.lock_day;
    a.readout_day = cut.readout_day;
    a.by_max_date = cut.by_max_date;
    a.events_by_arm.assign(cut.events_by_arm.begin(), cut.events_by_arm.end());
    a.at_risk_by_arm.assign(cut.at_risk_by_arm.begin(), cut.at_risk_by_arm.end());
    if (next_) next_->analysis_cut_off(cut);
}

void SummaryRecorder::trial_books_closed(const TrialClosing& trial) {
    s_.weeks = trial.weeks;
    for (auto& by_arm : s_.events_by_week) {
        for (std::vector<int>& weekly : by_arm) {
            // (An event on the last day counts in the last week.)
            const std::size_t weeks = std::max(trial.weeks, 1);
            for (std::size_t w = weeks; w < weekly.size(); ++w)
                weekly[weeks - 1] += weekly[w];
            weekly.resize(weeks, 0);
            for (std::size_t w = 1; w < weekly.size(); ++w)
                weekly[w] += weekly[w - 1];
        }
    }
    if (s_.randomised_by_week.empty()) s_.randomised_by_week.assign(trial.weeks, 0);
    s_.last_patient_last_visit_day = trial.last_patient_last_visit_day;
    if (!std::isnan(s_.target_met_day)) {
        s_.enrollment_duration_days = s_.target_met_day - s_.first_patient_in_day;
        s_.target_met_by_plan = s_.target_met_day <= s_.plan_target_met_day;
    }
    s_.staff_utilisation_overall = trial.staff_utilisation_overall;
    s_.equipment_utilisation_overall = trial.equipment_utilisation_overall;
    s_.kits_left = trial.kits_left;
    s_.cra_utilisation.assign(trial.cra_utilisation.begin(), trial.cra_utilisation.end());
    std::vector<ReplicationSummary::SiteDays>().swap(s_.site_days);  // `= {}` keeps capacity
    if (next_) next_->trial_books_closed(trial);
}

}  // namespace trial
