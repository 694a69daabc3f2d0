// The kernel against closed forms: Erlang C for M/M/1 and M/M/c, Pollaczek–Khinchine for
// M/D/1. Each check uses independent replications (fixed seeds) and asks the replication mean
// to lie within 3 standard errors of theory. Starting empty biases the first customers;
// a warm-up of 5,000 customers (many relaxation times at these loads) is discarded.

#include <catch2/catch.hpp>
#include <cmath>

#include "bench/queueing_models.hpp"
#include "models/stats/running_stats.hpp"

namespace {

struct Theory {
    double mean_wait_days;
    double mean_queue_length;
    double utilisation;
};

// Erlang C (e.g. Gross & Harris, Fundamentals of Queueing Theory, eq. 2.30–2.32).
Theory erlang_c(int servers, double arrival_rate, double service_rate) {
    const double offered = arrival_rate / service_rate;  // a = λ/μ
    const double rho = offered / servers;
    double term = 1.0, sum = 0.0;  // a^k / k!
    for (int k = 0; k < servers; ++k) {
        sum += term;
        term *= offered / (k + 1);
    }
    const double tail = term / (1.0 - rho);  // a^c / c! · 1/(1-ρ)
    const double probability_of_waiting = tail / (sum + tail);
    const double wait = probability_of_waiting / (servers * service_rate - arrival_rate);
    return {wait, arrival_rate * wait, rho};
}

// Pollaczek–Khinchine for M/G/1 with deterministic service D: Wq = λD² / (2(1−ρ)).
Theory md1(double arrival_rate, double service_days) {
    const double rho = arrival_rate * service_days;
    const double wait = arrival_rate * service_days * service_days / (2.0 * (1.0 - rho));
    return {wait, arrival_rate * wait, rho};
}

struct Observed {
    stats::RunningStats wait, queue, utilisation;
};

Observed replicate(const bench::QueueSpec& spec, int replications, std::uint64_t seed) {
    Observed observed;
    for (int r = 0; r < replications; ++r) {
        const bench::QueueResult result = bench::run_queue_on_kernel(spec, seed, r);
        observed.wait.add(result.mean_wait_days);
        observed.queue.add(result.mean_queue_length);
        observed.utilisation.add(result.utilisation);
    }
    return observed;
}

void check_within_3_se(const char* what, const stats::RunningStats& observed, double theory) {
    INFO(what << ": observed " << observed.mean() << " ± " << observed.standard_error()
              << " (1 s.e.), theory " << theory);
    CHECK(std::abs(observed.mean() - theory) <= 3.0 * observed.standard_error());
    // The check must be able to fail: the standard error has to be small against the value.
    CHECK(observed.standard_error() < 0.05 * theory);
}

void check_against(const bench::QueueSpec& spec, const Theory& theory, std::uint64_t seed) {
    const Observed observed = replicate(spec, 30, seed);
    check_within_3_se("mean wait in queue", observed.wait, theory.mean_wait_days);
    check_within_3_se("time-average queue length", observed.queue, theory.mean_queue_length);
    check_within_3_se("server utilisation", observed.utilisation, theory.utilisation);
}

}  // namespace

TEST_CASE("M/M/1 matches Erlang C with one server", "[queueing][statistical]") {
    bench::QueueSpec spec;
    spec.servers = 1;
    spec.arrival_rate = 0.7;
    spec.service_mean_days = 1.0;
    spec.measured_customers = 60'000;
    check_against(spec, erlang_c(1, 0.7, 1.0), 101);
}

TEST_CASE("M/M/3 with lambda 2.4 and mu 1 matches Erlang C", "[queueing][statistical]") {
    bench::QueueSpec spec;
    spec.servers = 3;
    spec.arrival_rate = 2.4;
    spec.service_mean_days = 1.0;
    spec.measured_customers = 60'000;
    const Theory theory = erlang_c(3, 2.4, 1.0);
    // Known values for c = 3, a = 2.4: P(wait) = 0.6472, Wq = 1.0787.
    CHECK(theory.mean_wait_days == Approx(1.0787).epsilon(1e-3));
    check_against(spec, theory, 202);
}

TEST_CASE("M/D/1 matches Pollaczek-Khinchine", "[queueing][statistical]") {
    bench::QueueSpec spec;
    spec.servers = 1;
    spec.arrival_rate = 0.7;
    spec.service_mean_days = 1.0;
    spec.deterministic_service = true;
    spec.measured_customers = 60'000;
    check_against(spec, md1(0.7, 1.0), 303);
}

TEST_CASE("kernel and bare event loop serve the same customers identically", "[queueing]") {
    bench::QueueSpec spec;
    spec.measured_customers = 20'000;
    for (std::uint64_t replication = 0; replication < 3; ++replication) {
        const bench::QueueResult kernel = bench::run_queue_on_kernel(spec, 7, replication);
        const bench::QueueResult bare = bench::run_queue_bare(spec, 7, replication);
        CHECK(kernel.customers_served == bare.customers_served);
        CHECK(kernel.sum_of_waits == bare.sum_of_waits);  // bitwise: same draws, same order
        CHECK(kernel.mean_queue_length == Approx(bare.mean_queue_length).epsilon(1e-9));
        CHECK(kernel.utilisation == Approx(bare.utilisation).epsilon(1e-9));
    }
}
