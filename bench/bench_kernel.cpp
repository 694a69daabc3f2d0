// Kernel benchmarks (issue: foundation). Not a test: prints measurements.
//
//   bench_kernel mmc   [customers]     M/M/3 (λ 2.4, μ 1): kernel vs bare event loop
//   bench_kernel trial [replications]  the trial-like load, replication after replication
//
// Run each in its own process so that peak RSS belongs to that load alone.

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "bench/peak_rss.hpp"
#include "bench/queueing_models.hpp"
#include "bench/trial_like_load.hpp"

namespace {

using Clock = std::chrono::steady_clock;

template <class F>
double seconds_of(F&& run) {
    const auto start = Clock::now();
    run();
    return std::chrono::duration<double>(Clock::now() - start).count();
}

int bench_mmc(std::uint64_t customers) {
    bench::QueueSpec spec;  // M/M/3, λ = 2.4, μ = 1
    spec.warmup_customers = 0;
    spec.measured_customers = customers;
    bench::QueueResult kernel, bare;
    // Alternate the two so that any drift in machine load hits both alike; keep the best.
    double bare_s = 1e300, kernel_s = 1e300;
    constexpr int rounds = 7;
    for (int round = 0; round < rounds; ++round) {
        bare_s = std::min(bare_s, seconds_of([&] { bare = bench::run_queue_bare(spec, 1, 0); }));
        kernel_s = std::min(kernel_s,
                            seconds_of([&] { kernel = bench::run_queue_on_kernel(spec, 1, 0); }));
    }
    const bool identical = kernel.sum_of_waits == bare.sum_of_waits;
    std::printf("M/M/3 lambda=2.4 mu=1, %llu customers (best of %d, alternating)\n",
                static_cast<unsigned long long>(customers), rounds);
    std::printf("  bare loop : %8.3f s  %6.2f M events/s  (%llu events)\n", bare_s,
                bare.events / bare_s / 1e6, static_cast<unsigned long long>(bare.events));
    std::printf("  kernel    : %8.3f s  %6.2f M events/s  (%llu events)\n", kernel_s,
                kernel.events / kernel_s / 1e6, static_cast<unsigned long long>(kernel.events));
    std::printf("  kernel/bare wall-time ratio: %.2f (target <= 1.5)\n", kernel_s / bare_s);
    std::printf("  kernel ns per customer: %.1f\n", kernel_s / customers * 1e9);
    std::printf("  mean wait %.4f d (Erlang C 1.0787), identical waits kernel vs bare: %s\n",
                kernel.mean_wait_days, identical ? "yes" : "NO");
    std::printf("  peak RSS: %.1f MiB\n", bench::peak_rss_mib());
    return identical ? 0 : 1;
}

int bench_trial(int replications) {
    std::uint64_t events = 0, visits = 0;
    double wait = 0;
    const auto start = Clock::now();
    for (int r = 0; r < replications; ++r) {
        const bench::TrialLoadResult result = bench::run_trial_like_load(1, r);
        events += result.events;
        visits += result.visits;
        wait += result.mean_wait_days;
    }
    const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
    std::printf("trial-like load: 50 sites x 3 staff, 1000 patients x 20 visits, %d replications\n",
                replications);
    std::printf("  wall %.3f s, %.3f ms per replication, %.2f M events/s\n", seconds,
                seconds / replications * 1e3, events / seconds / 1e6);
    std::printf("  %llu events and %llu visits per replication, mean wait %.4f d\n",
                static_cast<unsigned long long>(events / replications),
                static_cast<unsigned long long>(visits / replications), wait / replications);
    std::printf("  peak RSS: %.1f MiB (target <= 50 MB)\n", bench::peak_rss_mib());
    return visits == static_cast<std::uint64_t>(replications) * 20'000 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
    const std::string what = argc > 1 ? argv[1] : "";
    if (what == "mmc") return bench_mmc(argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 1'000'000);
    if (what == "trial") return bench_trial(argc > 2 ? std::atoi(argv[2]) : 200);
    std::fprintf(stderr, "usage: bench_kernel mmc [customers] | trial [replications]\n");
    return 2;
}
