#pragma once
// The running trial of one replication: the scenario turned into live sites, depots and
// monitors, the kernel they run on, and the counters the processes share. Internal to the
// model: the processes (patient.cpp, site_startup.cpp, supply_chain.cpp, monitoring.cpp) read
// and change it; run_replication() (trial.cpp) builds it.

#include <cstdint>
#include <deque>
#include <memory>
#include <vector>

#include "models/scenario/scenario.hpp"
#include "models/trial/day_ledger.hpp"
#include "models/trial/equipment.hpp"
#include "models/trial/kit_stock.hpp"
#include "models/trial/recorder.hpp"
#include "models/trial/summary.hpp"
#include "models/trial/work_calendar.hpp"
#include "sim/sim.hpp"

namespace trial {

struct StaffOnSite {
    const StaffGroup* spec;
    DayLedger hours;
    double cost_per_hour = 0.0;  // the country's rate for the role
    double hours_per_day() const { return spec->count * spec->hours_per_day; }
    bool has_credential(const std::string& credential) const;
};

// Which of a site's staff groups and machines can serve each need of one visit, worked out
// once so that booking compares indices, not names.
struct VisitResources {
    const VisitSpec* visit;
    std::vector<std::vector<int>> staff_groups;  // per StaffNeed
    std::vector<std::vector<int>> machines;      // per EquipmentNeed
};

struct SiteState {
    SiteState(sim::Simulation& sim, const Scenario& scenario, int index);

    const SiteSpec* spec;
    const Country* country;
    int index;
    int country_index;
    WorkCalendar calendar;
    std::vector<StaffOnSite> staff;
    std::vector<Equipment> equipment;
    std::vector<VisitResources> resources;  // filled as visits are first booked
    const VisitResources& resources_for(const VisitSpec& visit);
    KitStock kits;
    bool kit_order_pending = false;
    sim::Broadcast deliveries;                         // kits arrived
    std::vector<std::pair<double, int>> kits_on_hand;  // (day, level) after every change

    double recruitment_rate_per_day = 0.0;
    double activation_day = not_reached;
    bool active = false;
    bool recruiting = false;
    int arrived = 0;
    int screened = 0;
    int randomised = 0;
    int in_pathway = 0;            // patients arrived and not yet done
    double last_activity_day = 0;  // last visit, arrival or monitoring
    int cra_team = -1;
    std::vector<int> randomised_on_day;  // randomisations by trial day, for weekly series
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
};

// A visit of the expanded protocol schedule (cycles unrolled), in order of target day.
struct ScheduledVisit {
    const VisitSpec* spec;
    int occurrence;
    double day;
};

struct World {
    World(const Scenario& scenario, std::uint64_t seed, std::uint64_t replication,
          Recorder& record);

    sim::Rng stream(std::string_view purpose, std::uint64_t index = 0) const {
        return sim::stream(seed, replication, purpose, index);
    }

    // Declared first so that it is destroyed last: everything below refers to it.
    sim::Simulation sim;
    const Scenario& scenario;
    std::uint64_t seed;
    std::uint64_t replication;
    Recorder& record;

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

    // Assigns an arm and counts the randomisation; closes recruitment at the target.
    int randomise(SiteState& site, const VisitRef& patient);
    // Ends the run once recruitment is over and no patient is left in the pathway.
    void check_finished();
    void note_activity(SiteState& site) { site.last_activity_day = sim.now(); }
};

// The processes (one concept per file).
sim::Process country_approval(World& world, CountryState& country);
sim::Process site_startup(World& world, SiteState& site);
sim::Process patient(World& world, SiteState& site, int patient_number, sim::Rng rng);
sim::Process site_monitoring(World& world, SiteState& site);
sim::Process batch_release(World& world, Batch batch);

// Supply: orders are placed when stock falls to its trigger (supply_chain.cpp).
void resupply_country_depot(World& world, CountryState& country);
void resupply_site(World& world, SiteState& site);
// Takes kits for a dosing visit; false (and nothing taken) if the site has too few.
bool dispense_kits(World& world, SiteState& site, int kits);

}  // namespace trial
