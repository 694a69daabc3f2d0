#pragma once
// An M/M/c (or M/D/c) station written twice: once as kernel processes, once as a bare event
// loop (POD events in a binary heap, FIFO queue). Both draw interarrival times from one stream
// and service times from another, in the same order, so they produce the same customers and
// the same waits: the benchmark measures the kernel's cost as a ratio, and the tests check the
// kernel against queueing theory and against the bare loop.

#include <cstdint>

namespace bench {

struct QueueSpec {
    int servers = 3;
    double arrival_rate = 2.4;  // per day
    double service_mean_days = 1.0;
    bool deterministic_service = false;
    std::uint64_t warmup_customers = 5'000;
    std::uint64_t measured_customers = 100'000;
};

struct QueueResult {
    double mean_wait_days = 0;     // in queue, over measured customers
    double mean_queue_length = 0;  // time average over the measured arrivals' span
    double utilisation = 0;        // same span
    double sum_of_waits = 0;       // for checking two implementations agree exactly
    std::uint64_t customers_served = 0;
    std::uint64_t events = 0;
};

QueueResult run_queue_on_kernel(const QueueSpec& spec, std::uint64_t seed,
                                std::uint64_t replication);
QueueResult run_queue_bare(const QueueSpec& spec, std::uint64_t seed, std::uint64_t replication);

}  // namespace bench
