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
#include "models/scenario/endpoint.hpp"

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
    // At most randomisation_target + this many are randomised: patients still in screening when
    // the target is met are randomised only up to it. None: all of them are (over-enrollment).
    std::optional<int> over_enrollment;
    // The plan for the final analysis' readout (plan_readout_date): what "P(readout by)" is
    // measured against when no --by date is given.
    std::optional<double> plan_readout_day;
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
    std::optional<int> max_randomised;  // a cap on the country's sites together
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
    std::optional<double> effort_reference_hours_per_week;  // overrides [effort]'s
    std::optional<int> max_randomised;  // a cap: the site stops screening and randomising there
    std::optional<double> closes_day;
    bool backup = false;  // held in reserve: starts up only when a policy opens it
    // Out of the trial: never starts up, recruits or costs anything, and no policy opens it (a
    // decision `trialtwin optimise` makes; the site keeps its place, and so its random streams,
    // so that every other site sees the same draws with or without it).
    bool left_out = false;
    bool candidate = false;   // `trialtwin optimise` may leave it out (its site selection)
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
    // The window also reaches the first working day on or after its last day: the screening
    // visit's default, so a patient who presents on a weekend is screened on the next working
    // day within the window.
    bool window_to_next_working_day = false;
    std::vector<StaffNeed> staff;
    std::vector<EquipmentNeed> equipment;
    int kits = 0;  // drug kits dispensed
};

struct Protocol {
    VisitSpec screening;
    double screening_to_randomisation_days = 0.0;
    std::vector<VisitSpec> visits;
    // Contacts every follow_up->every_days once a patient's visits are over (completed, or
    // ended by an endpoint's event), until the final analysis' cut-off: booked like visits,
    // each paid follow_up_fee (counted with patient fees).
    std::optional<VisitSpec> follow_up;
    double follow_up_fee = 0.0;
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

// How staff effort changes a site's recruitment rate (scenarios/README.md, "Effort model").
// Only the hours of `role` count. With h the role's hours a week at the site and h0 the plan:
//   h >= h0: rate x (1 + max_uplift * x / (x + half_uplift_hours_per_week)), x = h - h0
//   h <  h0: rate x (h / h0)^shortfall_elasticity
// Extra hours bring diminishing returns; fewer hours cost patients.
struct EffortSpec {
    std::string role = "coordinator";
    // The effort-role hours a week at which a site recruits at its stated rate (its
    // recruitment_rate_per_day, or its draw from the prior). None: each site's own staffing as
    // written is its reference, so staffing in the file cannot move recruitment — but a
    // compare variant or sweep point keeps the baseline's staffing as its reference
    // (pin_effort_reference), so more or fewer staff there recruit faster or slower.
    std::optional<double> reference_hours_per_week;
    double max_uplift = 0.5;
    double half_uplift_hours_per_week = 15.0;
    double shortfall_elasticity = 1.0;
};

// Which policy runs the trial and its settings (scenarios/README.md, "Policies"). The names
// are those registered in models/policy/registry.cpp.
struct PolicySpec {
    std::string allocation = "static";  // static | proportional | adaptive
    std::string booking = "fcfs";       // fcfs | window_slack
    std::string resupply = "buffer";    // buffer | predictive
    double decision_every_days = 7.0;   // how often the policy looks and acts
    double slowdown_ratio = 0.5;        // the drop of a site's own rate the watch looks for
    double slowdown_threshold = 9.0;    // its CUSUM's threshold (policy/slowdown_watch.hpp)

    // Anomaly flags (recorded under every policy).
    double lagging_probability = 0.8;  // P(site rate < its plan rate) at which a site lags
    double lagging_min_days = 42.0;    // days of recruitment before a site can be judged
    double overload_utilisation = 0.85;
    int overload_weeks = 3;  // consecutive weeks above overload_utilisation

    // proportional and adaptive: bounds on a site's effort-role hours, as shares of its plan.
    double min_staff_share = 0.5;
    double max_staff_share = 2.0;
    // adaptive
    double move_step_hours_per_week = 4.0;    // staff move in steps of this many hours a week
    int max_moves_per_decision = 6;           // steps moved at one decision epoch
    double backup_trigger_probability = 0.5;  // open a backup site when P(plan met) is below
    // Close a site to new patients when P(its rate < this share of its plan rate) >= 0.95;
    // 0: never (the default).
    double close_below_plan_share = 0.0;
    double follow_up_headroom = 0.25;  // staff kept above booked work once recruiting ends

    // window_slack booking: each day the site fills the day this far ahead, taking the
    // waiting visits whose window is open in order of least slack to the window's end.
    double booking_horizon_days = 2.0;

    // predictive resupply: reorder when stock is at or below the forecast demand over the lead
    // time plus review_days that is exceeded with probability at most 1 - service_level
    // (Poisson), and at least safety_factor x its mean; order up to that plus cover_days of
    // demand.
    double service_level = 0.99;
    double safety_factor = 1.5;
    double review_days = 7.0;
    double cover_days = 21.0;
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
    PolicySpec policy;
    EffortSpec effort;
    std::vector<EndpointSpec> endpoints;
    std::vector<AnalysisSpec> analyses;  // in the order they happen; the last is the final

    int country_index(const std::string& code) const;
    int site_index(const std::string& id) const;
};

// The effort-role hours a week the site is staffed with as written: its first staff group of
// [effort] role, count × hours a day × its country's working days a week (0 without one).
double written_effort_hours_per_week(const Scenario& scenario, const SiteSpec& site);

// The hours a week at which the site recruits at its stated rate: its own reference, else
// [effort]'s, else its staffing as written.
double effort_reference_hours_per_week(const Scenario& scenario, const SiteSpec& site);

// A variant of `baseline` (same sites) keeps the baseline's staffing as the reference of every
// site that states none, so that a variant with more or fewer staff recruits faster or slower.
void pin_effort_reference(Scenario& variant, const Scenario& baseline);

}  // namespace trial
