#pragma once
// What one replication of a trial came to: the numbers a planner reads, per trial and per
// site, and weekly series for charts. Days are from the trial start (day 0).

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <numeric>
#include <string>
#include <vector>

#include "models/trial/recorder.hpp"

namespace trial {

inline constexpr double not_reached = std::numeric_limits<double>::quiet_NaN();

struct SiteSummary {
    bool backup = false;
    bool opened = false;  // planned, or a backup site opened by the policy
    double approval_day = not_reached;
    double activation_day = not_reached;
    double recruitment_end_day = not_reached;  // stopped recruiting: its closure or the trial's
    double last_activity_day = not_reached;    // last visit, arrival or monitoring visit
    double recruitment_rate_per_day = 0.0;
    int arrived = 0;
    int screened = 0;
    int randomised = 0;
    int target_randomised = 0;
    bool met_target = false;
    int stock_outs = 0;
    int deviations = 0;
};

// An analysis of one replication: days NaN when it was not cut off within the horizon.
struct AnalysisResult {
    double cutoff_day = not_reached;
    double lock_day = not_reached;
    double readout_day = not_reached;
    bool by_max_date = false;
    std::vector<int> events_by_arm;   // at the cut-off
    std::vector<int> at_risk_by_arm;  // at the cut-off
    int events() const { return std::accumulate(events_by_arm.begin(), events_by_arm.end(), 0); }
};

struct ReplicationSummary {
    double first_patient_in_day = not_reached;      // first randomisation
    double target_met_day = not_reached;            // randomisation target reached
    double enrollment_duration_days = not_reached;  // first patient in to target met
    double last_patient_last_visit_day = not_reached;
    double plan_target_met_day = 0.0;
    bool target_met_by_plan = false;

    int arrived = 0;
    int screened = 0;
    int not_screened = 0;  // screening visit could not be done in its window
    int screen_failed = 0;
    int randomised = 0;
    int randomised_by_plan = 0;  // by the plan date
    int dropped_out = 0;
    int completed = 0;
    int visits_done = 0;
    std::array<std::array<int, cause_count>, deviation_kind_count> deviations{};  // [kind][cause]

    int stock_outs = 0;
    int kits_dispensed = 0;
    int kits_wasted = 0;
    int kits_left = 0;  // unexpired, anywhere, at the end
    int shipments = 0;
    int monitoring_visits = 0;

    std::array<double, cost_category_count> cost{};

    // What the trial's watch flagged, and what the policy did.
    struct Anomaly {
        double day;
        int site;  // -1: the whole trial
        AnomalyKind kind;
        double value;
    };
    std::vector<Anomaly> anomalies;
    std::array<int, anomaly_kind_count> anomaly_counts{};
    int backup_sites_opened = 0;
    int staff_changes = 0;  // changes of a staff group's hours

    std::vector<SiteSummary> sites;
    // Days of each site's stock-outs and deviations as they happen, binned into the weekly
    // series by close_the_books and then dropped (kept apart from `sites`, which every
    // replication keeps).
    struct SiteDays {
        std::vector<double> stock_outs, deviations, equipment_deviations;
    };
    std::vector<SiteDays> site_days;
    std::vector<double> cra_utilisation;                 // per CRA team, busy share of their time
    double staff_utilisation_overall = not_reached;      // booked / on-duty hours, all sites
    double equipment_utilisation_overall = not_reached;  // booked / available slots

    // Weekly series; week w covers days [7w, 7w + 7).
    int weeks = 0;
    std::vector<int> randomised_by_week;                    // cumulative, trial-wide
    std::vector<std::vector<int>> site_randomised_by_week;  // cumulative, [site][week]
    std::vector<std::vector<float>> staff_utilisation;      // [site][week]; NaN: not active
    std::vector<std::vector<float>> equipment_utilisation;  // [site][week]; NaN: none / down
    std::vector<std::vector<int>> kits_on_hand;             // [site][week], at the week's end
    std::vector<std::vector<float>> equipment_down;         // [site][week]; share of machine-days
    std::vector<std::vector<int>> site_stock_outs_by_week;  // [site][week]
    std::vector<std::vector<int>> site_deviations_by_week;  // [site][week]
    std::vector<std::vector<int>> site_equipment_conflicts_by_week;  // [site][week]

    // Endpoints and analyses (none without [[endpoints]]): each analysis in scenario order,
    // and each endpoint's events counted by week and arm, cumulative, [endpoint][arm][week]
    // (counted until the final analysis' cut-off).
    std::vector<AnalysisResult> analyses;
    std::vector<std::vector<std::vector<int>>> events_by_week;

    int deviation_count() const {
        int n = 0;
        for (const auto& by_cause : deviations)
            n += std::accumulate(by_cause.begin(), by_cause.end(), 0);
        return n;
    }
    int deviations_by_cause(Cause cause) const {
        int n = 0;
        for (const auto& by_cause : deviations)
            n += by_cause[static_cast<int>(cause)];
        return n;
    }
    double total_cost() const { return std::accumulate(cost.begin(), cost.end(), 0.0); }
    // Of the sites that were opened (planned ones and backups opened by the policy).
    int sites_meeting_target() const {
        int n = 0;
        for (const SiteSummary& s : sites)
            n += s.opened && s.met_target;
        return n;
    }
    int sites_opened() const {
        int n = 0;
        for (const SiteSummary& s : sites)
            n += s.opened;
        return n;
    }
    int anomaly_count() const {
        return std::accumulate(anomaly_counts.begin(), anomaly_counts.end(), 0);
    }
    // Days the target was met after the plan date (0 if on time; NaN if never met).
    double delay_days() const {
        return std::isnan(target_met_day) ? target_met_day
                                          : std::max(0.0, target_met_day - plan_target_met_day);
    }
};

}  // namespace trial
