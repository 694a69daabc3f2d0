#pragma once
// Many replications of one scenario, on several threads, with results that do not depend on
// the thread count: replication r always uses the streams of (seed, r) and lands in slot r,
// and what is summed across replications is summed exactly (integers), so the order in which
// threads finish cannot change a bit of it.

#include <atomic>
#include <cstdint>
#include <functional>
#include <stdexcept>
#include <vector>

#include "models/runner/weekly_event_counts.hpp"
#include "models/scenario/scenario.hpp"
#include "models/trial/event_log.hpp"
#include "models/trial/site_weeks.hpp"
#include "models/trial/summary.hpp"
#include "models/trial/trial_start.hpp"
#include "sim/simulation.hpp"

namespace trial {

// Per-site weekly series summed over replications, in fixed point (1e-6) so that the sums are
// exact and order-free. Each replication adds its sites' rows as its books close.
struct SiteSeriesTotals final : SiteWeeksSink {
    // Grids span the whole horizon, the same for every thread, so that a short replication's
    // cumulative counts are carried to the end whatever order replications are added in.
    SiteSeriesTotals() = default;
    SiteSeriesTotals(std::size_t sites, int horizon_weeks);
    int weeks = 0;       // grid width (the horizon)
    int used_weeks = 0;  // the longest replication
    // [site][week]
    std::vector<std::vector<std::int64_t>> staff_utilisation_micro;
    std::vector<std::vector<std::int32_t>> staff_utilisation_count;  // replications active
    std::vector<std::vector<std::int64_t>> equipment_utilisation_micro;
    std::vector<std::vector<std::int32_t>> equipment_utilisation_count;
    // Levels, summed: cumulative randomised and kits on hand at each week's end, a finished
    // replication's last value carried on to the horizon. Until carry_forward() they hold what
    // each week changed the level by: a replication then writes only the weeks that changed
    // something, and none past its end.
    std::vector<std::vector<std::int64_t>> randomised;
    std::vector<std::vector<std::int64_t>> kits_on_hand;
    std::vector<std::vector<std::int64_t>> equipment_down_micro;  // share of machine-days down
    std::vector<std::vector<std::int32_t>> equipment_down_count;
    std::vector<std::vector<std::int64_t>> stock_outs;           // in the week, summed
    std::vector<std::vector<std::int64_t>> deviations;           // in the week, summed
    std::vector<std::vector<std::int64_t>> equipment_conflicts;  // deviations caused by equipment

    void add(const SiteWeeks& site) override;
    void merge(const SiteSeriesTotals& other);
    void carry_forward();  // once, after the last add and merge
};

struct MonteCarloOptions {
    int replications = 100;
    std::uint64_t seed = 1;
    int threads = 1;
    // Called about ten times a second, from a thread of its own: (replications done, total).
    std::function<void(int, int)> on_progress;
    const std::atomic<bool>* cancel = nullptr;  // set from a signal handler to stop early
    int traced = 0;                     // keep the full event log of replications 0 .. traced-1
    const TrialStart* start = nullptr;  // a running trial's as-of state (the digital twin)
    // SimGrid runs one replication at a time, on the calling thread (one engine per process);
    // results are the same either way.
    sim::Kernel kernel = sim::Kernel::native;
};

struct MonteCarloResult {
    // One summary per replication, in replication order; the per-site weekly series went
    // straight into `site_totals`, and the weekly endpoint events into `endpoint_events`, so
    // these hold the scalars and the trial-wide randomised series only.
    std::vector<ReplicationSummary> replications;
    std::vector<int>
        replication_index;         // which replication each entry is (all of them unless cancelled)
    SiteSeriesTotals site_totals;  // over exactly these replications
    WeeklyEventCounts endpoint_events;       // over exactly these replications
    std::vector<std::vector<Event>> traces;  // events of replication r, for r < options.traced
    bool cancelled = false;
    double wall_seconds = 0.0;
};

// Runs the replications: on this process's threads, or, when the program runs as several MPI
// ranks (parallel/ranks.hpp), each rank its share (replications rank, rank + ranks, ...), put
// together at rank 0 into the result one process would have: every rank must call it alike.
// Rank 0 gets every replication; the other ranks get their own share (they write and print
// nothing). When a replication fails, every rank throws RunFailed naming the replication (and
// with several ranks, the rank); when any rank is stopped (Ctrl-C), every rank's result says
// cancelled.
MonteCarloResult run_monte_carlo(const Scenario& scenario, const MonteCarloOptions& options);

// One rank's share: replications rank, rank + ranks, ... on options.threads threads (what each
// rank of run_monte_carlo runs; wire.hpp puts shares together). Throws RunFailed when one of
// them fails.
MonteCarloResult run_share(const Scenario& scenario, const MonteCarloOptions& options, int rank,
                           int ranks);

// A run that failed, on every rank alike.
class RunFailed : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

}  // namespace trial
