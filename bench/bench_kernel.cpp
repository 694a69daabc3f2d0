// Kernel benchmarks (issue: foundation). Not a test: prints measurements.
//
//   bench_kernel mmc   [customers]     M/M/3 (λ 2.4, μ 1): kernel vs bare event loop
//   bench_kernel trial [replications]  the trial-like load, replication after replication
//   bench_kernel scale [rounds]        ns a visit of the working-set load at 1x, 4x, 16x
//
// Run each in its own process so that peak RSS belongs to that load alone.

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "bench/peak_rss.hpp"
#include "bench/queueing_models.hpp"
#include "bench/trial_like_load.hpp"
#include "bench/working_set_load.hpp"

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

// The floor under time per visit as the trial grows (working_set_load.hpp): each round times
// every scale in turn (so drift in the machine's speed between scales stays out of the ratio),
// about a million visits each, timing the events alone; the ratio to 1x is the median of the
// rounds' own ratios.
int bench_scale(int rounds) {
    const std::vector<int> scales{1, 4, 16};
    struct Touch {
        const char* what;
        int site_lines;
        bool diary;
    };
    const std::vector<Touch> touches{
        {"frame", 0, false}, {"+3 site lines", 3, false}, {"+diary row", 3, true}};
    constexpr int visits_per_scale_one_rep = 600 * 18;
    std::printf(
        "working-set load: 53K sites, 600K patients x 18 visits (2 events each), %d rounds\n",
        rounds);
    std::printf("%-14s %6s %12s %12s %10s  %s\n", "a visit reads", "scale", "ns/visit", "extra ns",
                "vs 1x", "rounds' ratios");
    int status = 0;
    for (const Touch& touch : touches) {
        std::vector<std::vector<double>> ns(scales.size());
        std::uint64_t checksum = 0;
        for (int scale : scales)
            checksum += bench::run_working_set_load(scale, touch.site_lines, touch.diary, 999)
                            .checksum;  // warm-up
        for (int round = 0; round < rounds; ++round) {
            for (std::size_t s = 0; s < scales.size(); ++s) {
                const int reps = std::max(1, 96 / scales[s]);
                std::uint64_t visits = 0;
                double seconds = 0;
                for (int r = 0; r < reps; ++r) {
                    const bench::WorkingSetResult result = bench::run_working_set_load(
                        scales[s], touch.site_lines, touch.diary, round * 96 + r);
                    visits += result.visits;
                    checksum += result.checksum;
                    seconds += result.run_seconds;
                }
                if (visits !=
                    static_cast<std::uint64_t>(reps) * visits_per_scale_one_rep * scales[s])
                    status = 1;
                ns[s].push_back(seconds / static_cast<double>(visits) * 1e9);
            }
        }
        auto median = [](std::vector<double> v) {
            std::sort(v.begin(), v.end());
            return v[v.size() / 2];
        };
        for (std::size_t s = 0; s < scales.size(); ++s) {
            std::vector<double> ratios;
            std::string listed;
            for (int round = 0; round < rounds; ++round) {
                ratios.push_back(ns[s][round] / ns[0][round]);
                listed += (round ? ", " : "") + std::to_string(ratios.back()).substr(0, 4);
            }
            std::printf("%-14s %5dx %12.1f %12.1f %9.2fx  %s\n", touch.what, scales[s],
                        median(ns[s]), median(ns[s]) - median(ns[0]), median(ratios),
                        listed.c_str());
        }
        if (checksum == 42) std::printf(" \n");  // keeps the reads
    }
    std::printf("peak RSS: %.1f MiB\n", bench::peak_rss_mib());
    return status;
}

}  // namespace

int main(int argc, char** argv) {
    const std::string what = argc > 1 ? argv[1] : "";
    if (what == "mmc") return bench_mmc(argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 1'000'000);
    if (what == "trial") return bench_trial(argc > 2 ? std::atoi(argv[2]) : 200);
    if (what == "scale") return bench_scale(std::max(1, argc > 2 ? std::atoi(argv[2]) : 5));
    std::fprintf(stderr,
                 "usage: bench_kernel mmc [customers] | trial [replications] | scale [rounds]\n");
    return 2;
}
