#include "bench/trial_like_load.hpp"

#include <boost/random/exponential_distribution.hpp>
#include <memory>
#include <vector>

#include "sim/sim.hpp"

namespace bench {
namespace {

constexpr int site_count = 50;
constexpr int staff_per_site = 3;
constexpr int patient_count = 1000;
constexpr int visits_per_patient = 20;
constexpr double mean_visit_gap_days = 30.0;
constexpr double mean_visit_length_days = 0.1;
constexpr double enrolment_span_days = 365.0;

struct Load {
    sim::Simulation& sim;
    std::vector<std::unique_ptr<sim::Pool>> staff;
    TrialLoadResult result;
    double total_wait = 0;
};

sim::Process patient(Load& load, sim::Pool& staff, sim::Rng rng) {
    boost::random::exponential_distribution<double> gap(1.0 / mean_visit_gap_days);
    boost::random::exponential_distribution<double> length(1.0 / mean_visit_length_days);
    co_await sim::delay(enrolment_span_days * rng.uniform01());
    for (int visit = 0; visit < visits_per_patient; ++visit) {
        co_await sim::delay(gap(rng));
        const double asked = load.sim.now();
        co_await staff.acquire();
        load.total_wait += load.sim.now() - asked;
        co_await sim::delay(length(rng));
        staff.release();
        ++load.result.visits;
    }
    if (load.sim.now() > load.result.last_visit_day) load.result.last_visit_day = load.sim.now();
}

}  // namespace

TrialLoadResult run_trial_like_load(std::uint64_t seed, std::uint64_t replication) {
    sim::Simulation simulation;
    Load load{simulation, {}, {}};
    for (int s = 0; s < site_count; ++s) {
        load.staff.push_back(std::make_unique<sim::Pool>(simulation, staff_per_site));
    }
    for (int p = 0; p < patient_count; ++p) {
        simulation.spawn(patient(load, *load.staff[p % site_count],
                                 sim::stream(seed, replication, "patient", p)));
    }
    simulation.run();
    load.result.events = simulation.events_processed();
    load.result.mean_wait_days = load.total_wait / static_cast<double>(load.result.visits);
    return load.result;
}

}  // namespace bench
