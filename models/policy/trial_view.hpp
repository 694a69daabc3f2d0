#pragma once
// What a policy can observe of the running trial at a decision epoch: per site, what it has
// done so far and how it is staffed, as an operations team would see it on its dashboards.

#include <vector>

#include "models/scenario/scenario.hpp"

namespace trial {

struct StaffView {
    const StaffGroup* spec;
    double planned_hours_per_day = 0;  // count x hours, as the scenario staffs the site
    double hours_per_day = 0;          // as staffed now (policies change it)
    double cost_per_hour = 0;
    double booked_peak_ahead = 0;  // most hours booked on one day of the next four weeks
                                   // (only for policies that read bookings)
    double utilisation_last_week = 0;
};

struct SiteView {
    int index = 0;
    const SiteSpec* spec = nullptr;
    bool opened = false;                 // planned, or a backup site a policy has opened
    bool active = false;                 // initiated: may see patients
    bool recruiting = false;             // may still take new patients
    double activation_day = 0;           // NaN until active
    double expected_activation_day = 0;  // activation day, or when start-up should end
    int arrived = 0;
    int randomised = 0;
    int awaiting_randomisation = 0;  // arrived, screening not yet decided
    int on_treatment = 0;            // randomised, still due drug kits
    double exposure_days = 0;        // days recruiting, each weighted by the effort multiplier then
    double rate_multiplier = 1;
    double working_days_per_week = 5;
    int effort_group = -1;  // index in `staff` of the effort role's group; -1: none
    // The effort-role hours a week at which the site recruits at its stated rate (the effort
    // model's reference; the scenario's planned hours unless it states one).
    double effort_reference_hours_per_week = 0;
    std::vector<StaffView> staff;

    double effort_hours_per_week() const {
        return effort_group < 0 ? 0 : staff[effort_group].hours_per_day * working_days_per_week;
    }
    double planned_effort_hours_per_week() const {
        return effort_group < 0 ? 0
                                : staff[effort_group].planned_hours_per_day * working_days_per_week;
    }
};

struct TrialView {
    const Scenario* scenario = nullptr;
    double today = 0;
    int randomised = 0;
    bool recruitment_open = true;
    std::vector<SiteView> sites;
};

}  // namespace trial
