#pragma once
// The running trial of one replication: the scenario turned into live sites, depots and
// monitors, the kernel they run on, and the counters the processes share. Internal to the
// model: the processes (patient.cpp, site_startup.cpp, supply_chain.cpp, monitoring.cpp) read
// and change it; run_replication() (trial.cpp) builds it.

#include <cstdint>
#include <deque>
#include <memory>
#include <unordered_map>
#include <vector>

#include "models/policy/policy.hpp"
#include "models/policy/slowdown_watch.hpp"
#include "models/scenario/scenario.hpp"
#include "models/trial/booking.hpp"
#include "models/trial/booking_index.hpp"
#include "models/trial/booking_rule.hpp"
#include "models/trial/daily_counts.hpp"
#include "models/trial/day_ledger.hpp"
#include "models/trial/endpoint_state.hpp"
#include "models/trial/equipment.hpp"
#include "models/trial/headcount.hpp"
#include "models/trial/kit_stock.hpp"
#include "models/trial/recorder.hpp"
#include "models/trial/resupply_rule.hpp"
#include "models/trial/summary.hpp"
#include "models/trial/trial_start.hpp"
#include "models/trial/week_end_levels.hpp"
#include "models/trial/work_calendar.hpp"
#include "sim/sim.hpp"

namespace trial {

// One staff group of a site: who they are, what they cost, how many hours a day they are on
// duty now (a policy may change it) and the hours booked in their diary.
struct StaffOnSite {
    StaffOnSite(const StaffGroup& group, double cost, SiteDiary& diary)
        : spec(&group),
          cost_per_hour(cost),
          booked_seconds(diary),
          planned_hours(group.count * group.hours_per_day) {
        set_hours_per_day(planned_hours_per_day());
    }

    const StaffGroup* spec;
    double cost_per_hour = 0.0;  // the country's rate for the role
    DayLedger booked_seconds;    // staff time booked by local day (a column of the site's diary)
    // (first local day, hours a day) for each change a policy made, in order.
    std::vector<std::pair<int, double>> changes;

    // As the scenario staffs the site.
    double planned_hours_per_day() const { return planned_hours; }
    // On duty a working day, as staffed now.
    double hours_per_day() const { return hours_now; }
    std::int32_t seconds_per_day() const { return seconds_now; }
    void set_hours_per_day(double hours) {
        hours_now = hours;
        seconds_now = staff_seconds(hours);
    }
    double booked_hours(int day) const { return staff_hours(booked_seconds.booked(day)); }
    bool has_credential(const std::string& credential) const;

  private:
    double planned_hours;
    double hours_now = 0.0;
    std::int32_t seconds_now = 0;
};

// A visit waiting for the site's daily booking rounds (window_slack booking, booking.hpp).
struct BookingRequest {
    const VisitSpec* visit;
    DayWindow days;
    std::uint64_t sequence;
    Booking result;  // with the window days it did not fit on so far, and why
    bool decided = false;
};

// A site as the trial runs: where it is in start-up, its staff, machines and kits, its
// patients, what it recruits, and what the policy's weekly watch has seen of it.
struct SiteState {
    SiteState(sim::Simulation& sim, const Scenario& scenario, int index);

    const SiteSpec* spec;
    const Country* country;
    const Protocol* protocol;
    int index;
    int country_index;
    int cra_team = -1;
    WorkCalendar calendar;

    // Start-up and recruitment.
    bool opened = true;  // false for a backup site until a policy opens it
    bool active = false;
    bool recruiting = false;
    bool closed_by_policy = false;   // recruitment closed for non-performance
    bool capped = false;             // the site or its country reached its max_randomised
    double startup_began_day = 0.0;  // backup sites: the day they were opened
    double activation_day = not_reached;
    double recruitment_closed_day = not_reached;  // the site's own closure, if it closed
    double recruitment_rate_per_day = 0.0;
    double screen_failure_probability = 0.0;
    double rate_multiplier = 1.0;  // effort model, on the recruitment rate
    // The effort-role hours a week at which the site recruits at its stated rate (the effort
    // model's reference, scenarios/README.md "[effort]").
    double effort_reference_hours_per_week = 0.0;
    int effort_group = -1;       // the staff group whose hours drive recruitment effort
    double exposure_days = 0.0;  // ∫ multiplier dt while recruiting, up to exposure_since
    double exposure_since = not_reached;
    sim::Broadcast rate_changed;

    // Patients.
    Headcount patients;             // where the site's patients stand
    DailyCounts randomised_on_day;  // randomisations by trial day
    double last_activity_day = 0;   // last visit, arrival or monitoring

    // Staff, machines and the diary.
    SiteDiary diary;  // every staff group's and machine's bookings, by local day
    std::vector<StaffOnSite> staff;
    std::vector<Equipment> equipment;
    BookingIndex booking_index;  // which staff and machines serve each visit (booking.cpp)
    std::vector<BookingRequest*> pending_bookings;  // window_slack booking's waiting visits
    int booked_round_through = -1;                  // last local day whose booking round has run
    int equipment_deviations = 0;

    // Kits.
    KitStock kits;
    bool kit_order_pending = false;
    int kits_in_transit = 0;
    WeekEndLevels kits_on_hand;  // at each week's end
    sim::Broadcast deliveries;   // kits arrived

    // What the decision epochs have flagged.
    struct {
        bool lagging = false;
        bool stock_risk = false;
        int overloaded_weeks = 0;
        int equipment_deviations_seen = 0;
        SlowdownWatch slowdown;
        bool slowdown_started = false;  // from the first epoch the site is active
        int arrived_seen = 0;           // arrivals and exposure at the last epoch
        double exposure_seen = 0.0;
    } watch;

    // Exposure up to now (what the forecast divides arrivals by).
    double exposure_until(double now) const {
        return std::isnan(exposure_since)
                   ? exposure_days
                   : exposure_days + (now - exposure_since) * rate_multiplier;
    }
};

struct CountryState {
    CountryState(sim::Simulation& sim, const Country& spec, int index)
        : spec(&spec), index(index), approved(sim) {}
    const Country* spec;
    int index;  // in the scenario (the states live in a deque: never compute it from addresses)
    double approval_day = not_reached;
    sim::Signal approved;
    KitStock depot;
    bool kit_order_pending = false;
    // Its sites (indices in World::sites, in order): what a depot delivery or a country-wide
    // sum goes over, instead of every site of the trial (which grew with the trial squared).
    std::vector<int> sites;
};

// A visit of the expanded protocol schedule (cycles unrolled), in order of target day.
struct ScheduledVisit {
    const VisitSpec* spec;
    int occurrence;
    double day;
};

struct World {
    World(const Scenario& scenario, std::uint64_t seed, std::uint64_t replication, Recorder& record,
          const TrialStart* start = nullptr, sim::Kernel kernel = sim::Kernel::native);

    sim::Rng stream(std::string_view purpose, std::uint64_t index = 0) const {
        return sim::stream(seed, replication, purpose, index);
    }

    // Declared first so that it is destroyed last: everything below refers to it.
    sim::Simulation sim;
    const Scenario& scenario;
    std::uint64_t seed;
    std::uint64_t replication;
    Recorder& record;
    const TrialStart* start;  // a running trial's as-of state, or null: from day 0
    double dropout_rate_per_year;

    std::deque<CountryState> countries;
    std::deque<SiteState> sites;
    std::deque<sim::Pool> cra_teams;
    KitStock central;
    std::vector<ScheduledVisit> schedule;

    sim::Rng randomisation_rng;
    std::vector<int> allocation_block;  // permuted block of arms, used from the back
    int randomised = 0;
    bool recruitment_open = true;
    int recruiting_sites = 0;  // sites that may still recruit
    int in_pathway = 0;
    double recruitment_closed_day = not_reached;
    double last_patient_last_visit_day = not_reached;

    // The policy (models/policy) and the rules it chose (rules.hpp).
    std::unique_ptr<AllocationPolicy> policy;
    std::unique_ptr<BookingRule> booking_rule;
    std::unique_ptr<ResupplyRule> resupply_rule;
    std::uint64_t booking_sequence = 0;
    int last_kit_visit = -1;            // index in `schedule` of the last dosing visit
    double kits_per_patient_day = 0.0;  // while on treatment
    int kits_at_randomisation = 0;      // dispensed at the first dosing visit

    // Whether a patient ready for randomisation at `site` may be: not when the site or its
    // country has reached its max_randomised, nor past the target and its over_enrollment.
    bool may_randomise(const SiteState& site) const;
    // Assigns an arm and counts the randomisation (the patient leaves those awaiting it);
    // closes recruitment at the target, and a site (or a country's sites) at its cap.
    int randomise(SiteState& site, const VisitRef& patient);
    // Stops the site, or every site of its country, that has reached its max_randomised.
    void cap_if_full(SiteState& site);
    // Ends the run once recruitment is over and no patient is left in the pathway.
    void check_finished();
    void note_activity(SiteState& site) { site.last_activity_day = sim.now(); }

    // Policy levers (decision_epochs.cpp).
    void set_staff_hours(SiteState& site, int group, double hours_per_day);
    void open_backup_site(SiteState& site);
    // Stops the site's recruitment now (its patients carry on with their visits).
    void close_site(SiteState& site);
    // Forecast kits a day the site will dispense: its patients on treatment and new ones.
    double kit_demand_per_day(const SiteState& site) const;

    // Endpoints and analyses (readout.cpp): one state per [[endpoints]] entry.
    std::deque<EndpointState> endpoints;
    sim::Broadcast readout_news;    // an event counted, or recruitment over: analyses look again
    bool awaiting_readout = false;  // analyses are planned and the final one's lock is to come
    bool final_cut_off = false;     // the final analysis' data cut-off has passed
    int next_analysis = 0;          // the analysis waited for
    double last_randomisation_day = not_reached;
    // Each endpoint's time-to-event model by arm, as this replication draws events: the
    // scenario's, or in a forecast the refitted model with parameters drawn for the replication.
    std::vector<std::vector<EventTimeModel>> event_models;
    // A forecast's patients randomised before the as-of day (TrialStart::followed): each one's
    // arm, and which of them are still on study, by (site << 32 | patient number).
    std::vector<int> followed_arm;
    std::unordered_map<std::uint64_t, int> followed_on_study;
    bool recruitment_over() const { return !recruitment_open || recruiting_sites == 0; }
    // Whether the analyses still have something to wait for besides recruitment and the
    // patients in the pathway: the final lock, a max_date, or events still to come.
    bool readout_pending() const;
    // Whether the trial's work goes on: recruitment, patients in the pathway, or analyses.
    bool work_left() const { return !recruitment_over() || in_pathway > 0 || readout_pending(); }
};

// The processes (one concept per file).
sim::Process country_approval(World& world, CountryState& country);
sim::Process site_startup(World& world, SiteState& site);
sim::Process patient(World& world, SiteState& site, int patient_number, sim::Rng rng);
// A patient randomised before the as-of day, carrying on with the schedule from there.
sim::Process patient_on_study(World& world, SiteState& site, int patient_number, sim::Rng rng,
                              double randomised_day, int visits_done);
sim::Process site_monitoring(World& world, SiteState& site);
sim::Process batch_release(World& world, Batch batch);
sim::Process decision_epochs(World& world);
// Counts an endpoint's events as they come; cuts off, locks and reads out the analyses.
sim::Process event_clock(World& world, int endpoint);
sim::Process analyses(World& world);
// A forecast: each endpoint's model drawn for the replication, the events and censorings
// observed before the as-of day counted, and the future events of the patients followed but
// no longer on study drawn (readout.cpp).
void start_endpoints(World& world);

// When the replication ends: every site's weekly series and facts, then the trial's, to the
// recorder (close_the_books.cpp).
void close_the_books(World& world, double end_day);

// Supply: orders are placed when stock falls to its trigger (supply_chain.cpp).
void resupply_country_depot(World& world, CountryState& country);
void resupply_site(World& world, SiteState& site);
// Takes kits for a dosing visit; false (and nothing taken) if the site has too few.
bool dispense_kits(World& world, SiteState& site, int kits);

}  // namespace trial
