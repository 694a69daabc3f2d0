#include "models/runner/monte_carlo.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstdlib>
#include <exception>
#include <functional>
#include <iterator>
#include <mutex>
#include <numeric>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>

#include "models/parallel/parallel_for.hpp"
#include "models/parallel/ranks.hpp"
#include "models/runner/wire.hpp"
#include "models/trial/trial.hpp"

namespace trial {
namespace {

constexpr double micro = 1e6;

void grow(std::vector<std::vector<std::int64_t>>& grid, std::size_t sites, int weeks) {
    grid.resize(sites);
    for (auto& row : grid)
        row.resize(weeks, 0);
}
void grow(std::vector<std::vector<std::int32_t>>& grid, std::size_t sites, int weeks) {
    grid.resize(sites);
    for (auto& row : grid)
        row.resize(weeks, 0);
}

// Fixed point for a share (never negative): x + 0.5 is exact for a float times 1e6 (at most 44
// significant bits), so truncating it rounds half away from zero exactly as std::llround does,
// without a library call per cell.
std::int64_t to_micro(float share) {
    return static_cast<std::int64_t>(static_cast<double>(share) * micro + 0.5);
}

}  // namespace

SiteSeriesTotals::SiteSeriesTotals(std::size_t sites, int horizon_weeks) : weeks(horizon_weeks) {
    for (auto* grid :
         {&staff_utilisation_micro, &equipment_utilisation_micro, &randomised, &kits_on_hand,
          &equipment_down_micro, &stock_outs, &deviations, &equipment_conflicts}) {
        grow(*grid, sites, weeks);
    }
    for (auto* grid :
         {&staff_utilisation_count, &equipment_utilisation_count, &equipment_down_count})
        grow(*grid, sites, weeks);
}

void SiteSeriesTotals::add(const SiteWeeks& row) {
    if (row.site < 0 || static_cast<std::size_t>(row.site) >= randomised.size()) return;
    const std::size_t site = row.site;
    const int own_weeks = std::min(row.weeks, weeks);
    used_weeks = std::max(used_weeks, own_weeks);
    // Utilisation is NaN outside the weeks the site was active. (Rows in locals: the compiler
    // cannot tell that a store to one total leaves the others' row pointers as they were.)
    std::int64_t* const staff_micro = staff_utilisation_micro[site].data();
    std::int32_t* const staff_count = staff_utilisation_count[site].data();
    std::int64_t* const machines_micro = equipment_utilisation_micro[site].data();
    std::int32_t* const machines_count = equipment_utilisation_count[site].data();
    std::int64_t* const down_micro = equipment_down_micro[site].data();
    std::int32_t* const down_count = equipment_down_count[site].data();
    const float* const staff_shares = row.staff_utilisation.data();
    const float* const machine_shares = row.equipment_utilisation.data();
    const float* const down_shares = row.equipment_down.data();
    const int active_to = std::min(row.active_to, own_weeks - 1);
    for (int w = std::max(row.active_from, 0); w <= active_to; ++w) {
        const float staff = staff_shares[w];
        if (!std::isnan(staff)) {
            staff_micro[w] += to_micro(staff);
            ++staff_count[w];
        }
        const float machines = machine_shares[w];
        if (!std::isnan(machines)) {
            machines_micro[w] += to_micro(machines);
            ++machines_count[w];
        }
        const float down = down_shares[w];
        if (!std::isnan(down)) {
            down_micro[w] += to_micro(down);
            ++down_count[w];
        }
    }
    // Levels by what each week changed them by (carry_forward sums them up).
    auto add_changes = [&](std::span<const int> levels, std::vector<std::int64_t>& changes) {
        const int n = std::min(static_cast<int>(levels.size()), weeks);
        int before = 0;
        for (int w = 0; w < n; ++w) {
            if (levels[w] != before) changes[w] += levels[w] - before;
            before = levels[w];
        }
    };
    add_changes(row.randomised, randomised[site]);
    add_changes(row.kits_on_hand, kits_on_hand[site]);
    auto add_events = [&](std::span<const double> days, std::vector<std::int64_t>& by_week) {
        for (double day : days) {
            const int w = week_of_day(day, row.weeks);
            if (w < own_weeks) ++by_week[w];
        }
    };
    add_events(row.stock_out_days, stock_outs[site]);
    add_events(row.deviation_days, deviations[site]);
    add_events(row.equipment_conflict_days, equipment_conflicts[site]);
}

void SiteSeriesTotals::carry_forward() {
    for (std::size_t site = 0; site < randomised.size(); ++site) {
        std::partial_sum(randomised[site].begin(), randomised[site].end(),
                         randomised[site].begin());
        std::partial_sum(kits_on_hand[site].begin(), kits_on_hand[site].end(),
                         kits_on_hand[site].begin());
    }
}

void SiteSeriesTotals::merge(const SiteSeriesTotals& other) {
    used_weeks = std::max(used_weeks, other.used_weeks);
    for (std::size_t site = 0; site < randomised.size(); ++site) {
        for (int w = 0; w < weeks; ++w) {
            staff_utilisation_micro[site][w] += other.staff_utilisation_micro[site][w];
            staff_utilisation_count[site][w] += other.staff_utilisation_count[site][w];
            equipment_utilisation_micro[site][w] += other.equipment_utilisation_micro[site][w];
            equipment_utilisation_count[site][w] += other.equipment_utilisation_count[site][w];
            randomised[site][w] += other.randomised[site][w];
            kits_on_hand[site][w] += other.kits_on_hand[site][w];
            equipment_down_micro[site][w] += other.equipment_down_micro[site][w];
            equipment_down_count[site][w] += other.equipment_down_count[site][w];
            stock_outs[site][w] += other.stock_outs[site][w];
            deviations[site][w] += other.deviations[site][w];
            equipment_conflicts[site][w] += other.equipment_conflicts[site][w];
        }
    }
}

namespace {

// What one failed replication said.
class ReplicationFailed : public RunFailed {
  public:
    ReplicationFailed(int replication, const std::string& what)
        : RunFailed("replication " + std::to_string(replication) + ": " + what),
          replication(replication),
          what_alone(what) {}
    int replication;
    std::string what_alone;
};

// The first replication (by index, so whatever the thread count) that failed, and why.
class FirstFailure {
  public:
    void record(int replication, const std::string& what) {
        const std::lock_guard<std::mutex> hold(lock_);
        if (replication_ < 0 || replication < replication_) {
            replication_ = replication;
            what_ = what;
        }
    }
    bool happened() const { return replication_ >= 0; }
    [[noreturn]] void raise() const { throw ReplicationFailed(replication_, what_); }

  private:
    std::mutex lock_;
    int replication_ = -1;
    std::string what_;
};

// Calls `report(done)` about ten times a second from a thread of its own while it lives. Its
// pause between reports ends as soon as the run finishes: a run is never kept waiting for it
// (a fixed 100 ms sleep made every command up to 100 ms late).
class ProgressReporter {
  public:
    ProgressReporter(const std::function<void(int, int)>& report, const std::atomic<int>& done,
                     int total)
        : report_(report), done_(done), total_(total) {
        if (!report_) return;
        thread_ = std::thread([this] {
            std::unique_lock<std::mutex> hold(lock_);
            while (working_) {
                hold.unlock();
                report_(done_.load(std::memory_order_acquire), total_);
                hold.lock();
                finished_.wait_for(hold, std::chrono::milliseconds(100),
                                   [this] { return !working_; });
            }
        });
    }
    // Stops reporting; with `last`, reports once more (the final count).
    void finish(bool last) {
        {
            const std::lock_guard<std::mutex> hold(lock_);
            working_ = false;
        }
        finished_.notify_all();
        if (!thread_.joinable()) return;
        thread_.join();
        if (last) report_(done_.load(), total_);
    }
    ~ProgressReporter() { finish(false); }

  private:
    const std::function<void(int, int)>& report_;
    const std::atomic<int>& done_;
    int total_;
    std::mutex lock_;
    std::condition_variable finished_;
    bool working_ = true;
    std::thread thread_;
};

// What one worker thread finished: (replication, summary) in the order it ran them, and the
// per-site weekly series and weekly endpoint events over them. Grows with the replications done:
// nothing is reserved for replications that have not run (--reps 10,000,000 reserved 4 GB up
// front).
struct WorkerResults {
    std::vector<std::pair<int, ReplicationSummary>> finished;
    SiteSeriesTotals totals;
    WeeklyEventCounts events;
};

}  // namespace

namespace {

int traces_kept(const MonteCarloOptions& options) {
    return std::min(std::max(options.traced, 0), options.replications);
}

}  // namespace

MonteCarloResult run_share(const Scenario& scenario, const MonteCarloOptions& options, int rank,
                           int ranks) {
    MonteCarloResult result;
    result.traces.resize(traces_kept(options));
    const bool simgrid = options.kernel == sim::Kernel::simgrid;
    const int threads = simgrid ? 1 : std::max(1, std::min(options.threads, options.replications));
    const int horizon_weeks = static_cast<int>(std::ceil(scenario.trial.horizon_days / 7.0)) + 2;

    std::atomic<long long> next{0};
    std::atomic<int> done{0};
    const WeeklyEventCounts no_events(scenario.endpoints.size(), scenario.trial.arms.size());
    std::vector<WorkerResults> workers(
        threads,
        WorkerResults{{}, SiteSeriesTotals(scenario.sites.size(), horizon_weeks), no_events});
    FirstFailure failure;
    // For the tests of failing runs (tests/mpi): TRIALTWIN_FAIL_REPLICATION=R makes replication R
    // fail as a scenario error found late would.
    const char* fail_text = std::getenv("TRIALTWIN_FAIL_REPLICATION");
    const int fail_at = fail_text ? std::atoi(fail_text) : -1;
    auto work = [&](std::size_t thread, const std::atomic<bool>& stop) {
        WorkerResults& mine = workers[thread];
        for (;;) {
            if (options.cancel && options.cancel->load(std::memory_order_relaxed)) return;
            if (stop.load(std::memory_order_relaxed)) return;
            const long long k = next.fetch_add(1, std::memory_order_relaxed);
            const long long own = rank + k * ranks;
            if (own >= options.replications) return;
            const int r = static_cast<int>(own);
            ReplicationSummary summary;
            try {
                if (r == fail_at)
                    throw std::runtime_error("injected fault (TRIALTWIN_FAIL_REPLICATION)");
                // The per-site weekly series go straight into this thread's totals.
                if (r < options.traced) {
                    EventLog log;
                    summary = run_replication(scenario, options.seed, r, &log, options.start,
                                              options.kernel, &mine.totals);
                    result.traces[r] = log.events();
                } else {
                    summary = run_replication(scenario, options.seed, r, nullptr, options.start,
                                              options.kernel, &mine.totals);
                }
            } catch (const std::exception& e) {
                failure.record(r, e.what());
                throw;  // parallel_for stops the other workers
            }
            summary.anomalies.shrink_to_fit();
            summary.randomised_by_week.shrink_to_fit();
            mine.events.add(summary.events_by_week);
            decltype(summary.events_by_week)().swap(summary.events_by_week);
            mine.finished.emplace_back(r, std::move(summary));
            done.fetch_add(1, std::memory_order_release);
        }
    };
    // The calling thread always works (SimGrid must stay on it). With several ranks, rank 0's
    // own count stands for every rank's (they run at the same pace).
    const int mine = (options.replications - rank + ranks - 1) / ranks;
    std::function<void(int, int)> report;
    if (options.on_progress) {
        report = [&](int done_here, int) {
            options.on_progress(std::min(options.replications, done_here * ranks),
                                options.replications);
        };
    }
    ProgressReporter progress(report, done, mine);
    try {
        parallel::parallel_for(threads, work);
    } catch (...) {
        progress.finish(false);
        if (failure.happened()) failure.raise();
        throw;  // not from a replication
    }
    progress.finish(true);

    // In replication order. A cancelled run keeps exactly the replications that finished (the
    // totals hold the same).
    result.site_totals = SiteSeriesTotals(scenario.sites.size(), horizon_weeks);
    result.endpoint_events = no_events;
    std::vector<std::pair<int, ReplicationSummary>> finished;
    for (WorkerResults& w : workers) {
        result.site_totals.merge(w.totals);
        result.endpoint_events.merge(w.events);
        std::move(w.finished.begin(), w.finished.end(), std::back_inserter(finished));
        w = {};
    }
    result.site_totals.carry_forward();
    std::sort(finished.begin(), finished.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    result.replications.reserve(finished.size());
    for (auto& [r, summary] : finished) {
        result.replication_index.push_back(r);
        result.replications.push_back(std::move(summary));
    }
    result.cancelled = static_cast<int>(result.replications.size()) < mine;
    return result;
}

MonteCarloResult run_monte_carlo(const Scenario& scenario, const MonteCarloOptions& options) {
    const auto started = std::chrono::steady_clock::now();
    auto timed = [&](MonteCarloResult result) {
        result.wall_seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        return result;
    };
    const int ranks = parallel::rank_count();
    if (ranks == 1) return timed(run_share(scenario, options, 0, 1));

    // Each rank runs its share; rank 0 puts the shares together; every rank learns whether
    // any was stopped or failed, and stops or fails alike (no rank is left waiting).
    MonteCarloResult own;
    ShareStatus status;
    try {
        own = run_share(scenario, options, parallel::rank(), ranks);
        status.cancelled = own.cancelled;
    } catch (const ReplicationFailed& e) {
        status.failed_at = e.replication;
        status.failure = e.what_alone;
    } catch (const std::exception& e) {
        status.failed_at = 0;
        status.failure = e.what();
    }
    const std::vector<std::string> shares = parallel::gather_to_root(share_to_bytes(own, status));
    MonteCarloResult together;
    std::string verdict;
    if (parallel::is_root()) {
        ShareStatus all;
        together = shares_together(shares, traces_kept(options), all);
        verdict = all.failed_at >= 0 ? "failed:" + all.failure : all.cancelled ? "cancelled" : "";
    }
    verdict = parallel::root_says(verdict);
    if (verdict.starts_with("failed:")) throw RunFailed(verdict.substr(7));
    // Ranks other than 0 keep their own share: they write and print nothing.
    MonteCarloResult result = parallel::is_root() ? std::move(together) : std::move(own);
    result.cancelled = verdict == "cancelled";
    return timed(std::move(result));
}

}  // namespace trial
