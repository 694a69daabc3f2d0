#pragma once
// A trial as a planner describes it: plain data built by the scenario loader from TOML and
// read by the model. Units are in the names; days are calendar days from the trial start
// (day 0 = start_date, 00:00 UTC). Every key is documented in scenarios/README.md.

#include <array>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "models/scenario/delay.hpp"

namespace trial {

struct Arm {
    std::string name;
    int ratio = 1;
};

struct TrialSpec {
    std::string name;
    std::string start_date;  // YYYY-MM-DD, day 0
    int start_weekday = 0;   // 0 = Monday, derived from start_date
    int randomisation_target = 0;
    double plan_target_met_day = 0.0;  // the plan: the target is met by this day
    double horizon_days = 3650.0;      // nothing happens after this day
    std::vector<Arm> arms;
    double dropout_rate_per_year = 0.0;  // hazard after randomisation
    double late_tolerance_days = 7.0;    // a visit later than window end + this is missed
    std::string currency = "EUR";
};

// Site recruitment rates (patients per day) ~ Gamma(shape, rate) when a site gives none:
// the Poisson-gamma model (Anisimov & Fedorov 2007). rate is in days.
struct RecruitmentSpec {
    double rate_shape = 0.0;
    double rate_rate_days = 0.0;
};

struct Country {
    std::string code;
    std::string name;
    double utc_offset_hours = 0.0;
    std::array<bool, 7> working_days{true, true, true, true, true, false, false};  // Mon..Sun
    Delay approval_days;     // regulatory + ethics, from day 0
    Delay contracting_days;  // per site, after approval
    Delay activation_days;   // per site, contract signed to ready for the initiation visit
    std::map<std::string, double> staff_cost_per_hour;  // by role
    double site_startup_fee = 0.0;
    double per_patient_fee = 0.0;       // at randomisation
    double depot_lead_days = 14.0;      // central depot -> country depot
    double site_lead_days = 3.0;        // country depot -> site
    std::optional<int> depot_min_kits;  // override SupplySpec's, for a big or small country
    std::optional<int> depot_max_kits;
};

struct StaffGroup {
    std::string role;
    int count = 0;
    double hours_per_day = 8.0;  // each, on working days
    std::vector<std::string> credentials;
};

struct EquipmentSpec {
    std::string kind;  // e.g. "CT"
    int slots_per_day = 0;
    double maintenance_every_days = 0.0;  // 0: no planned maintenance
    double maintenance_duration_days = 0.0;
    double maintenance_first_day = 0.0;
    double calibration_valid_days = 0.0;  // 0: never needs calibration
    Delay recalibration_days;             // unusable while being recalibrated
};

struct SiteSpec {
    std::string id;
    std::string country;                             // Country::code
    std::optional<Delay> contracting_days;           // overrides the country's
    std::optional<Delay> activation_days;            // overrides the country's
    std::optional<double> recruitment_rate_per_day;  // else drawn from the Gamma prior
    double screen_failure_probability = 0.0;
    double recruitment_decay_per_year = 0.0;  // rate falls as exp(-decay * years active)
    int target_randomised = 0;
    std::optional<double> closes_day;
    double opens_hour = 9.0;  // local time visits start
    std::vector<StaffGroup> staff;
    std::vector<EquipmentSpec> equipment;
};

struct StaffNeed {
    std::string role;
    double hours = 0.0;
    std::string credential;  // empty: any of the role
};

struct EquipmentNeed {
    std::string kind;
    int slots = 1;
};

// One entry of the schedule; with repeat > 1 it stands for `repeat` visits every_days apart
// (treatment cycles, imaging every 9 weeks).
struct VisitSpec {
    std::string name;
    double day = 0.0;  // after randomisation (screening: after the patient presents)
    double every_days = 0.0;
    int repeat = 1;
    double window_before_days = 0.0;
    double window_after_days = 0.0;
    std::vector<StaffNeed> staff;
    std::vector<EquipmentNeed> equipment;
    int kits = 0;  // drug kits dispensed
};

struct Protocol {
    VisitSpec screening;
    double screening_to_randomisation_days = 0.0;
    std::vector<VisitSpec> visits;
};

// Shared monitors covering several sites: the site initiation visit (which activates a
// site) and periodic monitoring visits, each with travel.
struct CraTeam {
    std::string name;
    int count = 0;
    std::vector<std::string> sites;  // SiteSpec::id; empty: every site
    double travel_days = 1.0;        // each way
    double initiation_visit_days = 1.0;
    double monitoring_every_days = 0.0;  // 0: no routine monitoring
    double monitoring_visit_days = 1.0;
    double cost_per_day = 0.0;  // while busy (travel included)
    double travel_cost = 0.0;   // per trip
};

struct Batch {
    double release_day = 0.0;
    int kits = 0;
    double expiry_day = 0.0;
};

struct SupplySpec {
    bool enabled = false;
    double kit_cost = 0.0;
    double shipment_cost = 0.0;
    double min_shelf_life_days = 30.0;  // not shipped to a site with less left
    int depot_min_kits = 0;             // country depot: reorder at or below
    int depot_max_kits = 0;             // ... up to
    int site_min_kits = 0;
    int site_max_kits = 0;
    std::vector<Batch> batches;  // released at the central depot
};

struct Scenario {
    std::string source_path;
    std::string source_text;
    TrialSpec trial;
    RecruitmentSpec recruitment;
    std::vector<Country> countries;
    std::vector<SiteSpec> sites;
    Protocol protocol;
    std::vector<CraTeam> cra_teams;
    SupplySpec supply;

    int country_index(const std::string& code) const;
    int site_index(const std::string& id) const;
};

}  // namespace trial
