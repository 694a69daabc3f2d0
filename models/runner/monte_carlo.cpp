#include "models/runner/monte_carlo.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <exception>
#include <mutex>
#include <numeric>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>

#include "models/parallel/parallel_for.hpp"
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

MonteCarloResult run_monte_carlo(const Scenario& scenario, const MonteCarloOptions& options) {
    const auto started = std::chrono::steady_clock::now();
    MonteCarloResult result;
    result.replications.resize(options.replications);
    result.traces.resize(std::min(std::max(options.traced, 0), options.replications));
    const bool simgrid = options.kernel == sim::Kernel::simgrid;
    const int threads = simgrid ? 1 : std::max(1, std::min(options.threads, options.replications));

    std::atomic<int> next{0};
    std::atomic<int> done{0};
    const int horizon_weeks = static_cast<int>(std::ceil(scenario.trial.horizon_days / 7.0)) + 2;
    std::vector<SiteSeriesTotals> per_thread(
        threads, SiteSeriesTotals(scenario.sites.size(), horizon_weeks));
    result.site_totals = SiteSeriesTotals(scenario.sites.size(), horizon_weeks);
    std::vector<char> finished(options.replications, 0);
    // The first replication (by index, so whatever the thread count) that failed, and why.
    std::mutex failure_lock;
    int failed_replication = -1;
    std::string failure;
    auto work = [&](std::size_t thread, const std::atomic<bool>& stop) {
        for (;;) {
            if (options.cancel && options.cancel->load(std::memory_order_relaxed)) return;
            if (stop.load(std::memory_order_relaxed)) return;
            const int r = next.fetch_add(1, std::memory_order_relaxed);
            if (r >= options.replications) return;
            // The per-site weekly series go straight into this thread's totals.
            SiteSeriesTotals& totals = per_thread[thread];
            ReplicationSummary summary;
            try {
                if (r < options.traced) {
                    EventLog log;
                    summary = run_replication(scenario, options.seed, r, &log, options.start,
                                              options.kernel, &totals);
                    result.traces[r] = log.events();
                } else {
                    summary = run_replication(scenario, options.seed, r, nullptr, options.start,
                                              options.kernel, &totals);
                }
            } catch (const std::exception& e) {
                const std::lock_guard<std::mutex> hold(failure_lock);
                if (failed_replication < 0 || r < failed_replication) {
                    failed_replication = r;
                    failure = e.what();
                }
                throw;  // parallel_for stops the other workers
            }
            summary.anomalies.shrink_to_fit();
            summary.randomised_by_week.shrink_to_fit();
            result.replications[r] = std::move(summary);
            finished[r] = 1;
            done.fetch_add(1, std::memory_order_release);
        }
    };
    // The calling thread always works (SimGrid must stay on it); progress comes from a
    // reporter thread of its own.
    std::atomic<bool> working{true};
    std::thread reporter;
    if (options.on_progress) {
        reporter = std::thread([&] {
            while (working.load()) {
                options.on_progress(done.load(std::memory_order_acquire), options.replications);
                std::this_thread::sleep_for(std::chrono::milliseconds(100));
            }
        });
    }
    std::exception_ptr other_failure;  // not from a replication (those are reported below)
    try {
        parallel::parallel_for(threads, work);
    } catch (...) {
        if (failed_replication < 0) other_failure = std::current_exception();
    }
    working = false;
    if (reporter.joinable()) {
        reporter.join();
        if (failed_replication < 0 && !other_failure)
            options.on_progress(done.load(), options.replications);
    }
    if (other_failure) std::rethrow_exception(other_failure);
    if (failed_replication >= 0) {
        throw std::runtime_error("replication " + std::to_string(failed_replication) + ": " +
                                 failure);
    }

    for (const SiteSeriesTotals& totals : per_thread)
        result.site_totals.merge(totals);
    result.site_totals.carry_forward();
    // A cancelled run keeps exactly the replications that finished (the totals hold the same).
    std::vector<ReplicationSummary> kept;
    kept.reserve(options.replications);
    for (int r = 0; r < options.replications; ++r) {
        if (!finished[r]) continue;
        result.replication_index.push_back(r);
        kept.push_back(std::move(result.replications[r]));
    }
    result.cancelled = static_cast<int>(kept.size()) < options.replications;
    result.replications = std::move(kept);
    result.wall_seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return result;
}

}  // namespace trial
