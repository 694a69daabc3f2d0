#include "bench/queueing_models.hpp"

#include <boost/random/exponential_distribution.hpp>
#include <queue>
#include <vector>

#include "sim/ring_buffer.hpp"
#include "sim/sim.hpp"

namespace bench {
namespace {

class ServiceTimes {
  public:
    ServiceTimes(const QueueSpec& spec, sim::Rng rng)
        : rng_(rng),
          mean_(spec.service_mean_days),
          deterministic_(spec.deterministic_service),
          exponential_(1.0 / spec.service_mean_days) {}
    double next() { return deterministic_ ? mean_ : exponential_(rng_); }

  private:
    sim::Rng rng_;
    double mean_;
    bool deterministic_;
    boost::random::exponential_distribution<double> exponential_;
};

class Interarrivals {
  public:
    Interarrivals(const QueueSpec& spec, sim::Rng rng)
        : rng_(rng), exponential_(spec.arrival_rate) {}
    double next() { return exponential_(rng_); }

  private:
    sim::Rng rng_;
    boost::random::exponential_distribution<double> exponential_;
};

sim::Rng arrival_stream(std::uint64_t seed, std::uint64_t replication) {
    return sim::stream(seed, replication, "queue.arrivals");
}
sim::Rng service_stream(std::uint64_t seed, std::uint64_t replication) {
    return sim::stream(seed, replication, "queue.service");
}

// ---- on the kernel -------------------------------------------------------------------------

struct Station {
    sim::Simulation& sim;
    sim::Pool servers;
    ServiceTimes service;
    QueueResult result;
};

sim::Process customer(Station& station, bool measured) {
    const double arrived = station.sim.now();
    co_await station.servers.acquire();
    if (measured) {
        station.result.sum_of_waits += station.sim.now() - arrived;
        ++station.result.customers_served;
    }
    co_await sim::delay(station.service.next());
    station.servers.release();
}

sim::Process arrivals(Station& station, Interarrivals interarrivals, const QueueSpec& spec) {
    const std::uint64_t total = spec.warmup_customers + spec.measured_customers;
    for (std::uint64_t i = 0; i < total; ++i) {
        co_await sim::delay(interarrivals.next());
        if (i == spec.warmup_customers) station.servers.restart_statistics();
        station.sim.spawn(customer(station, i >= spec.warmup_customers));
    }
    station.result.mean_queue_length = station.servers.mean_waiting();
    station.result.utilisation = station.servers.utilisation();
}

// ---- bare loop -----------------------------------------------------------------------------

struct BareEvent {
    double time;
    std::uint64_t sequence;
    bool is_arrival;
};
struct LaterFirst {
    bool operator()(const BareEvent& a, const BareEvent& b) const noexcept {
        if (a.time != b.time) return a.time > b.time;
        return a.sequence > b.sequence;
    }
};

}  // namespace

QueueResult run_queue_on_kernel(const QueueSpec& spec, std::uint64_t seed,
                                std::uint64_t replication) {
    sim::Simulation simulation;
    Station station{simulation,
                    sim::Pool(simulation, spec.servers),
                    ServiceTimes(spec, service_stream(seed, replication)),
                    {}};
    simulation.spawn(
        arrivals(station, Interarrivals(spec, arrival_stream(seed, replication)), spec));
    simulation.run();
    station.result.mean_wait_days =
        station.result.sum_of_waits / static_cast<double>(station.result.customers_served);
    station.result.events = simulation.events_processed();
    return station.result;
}

QueueResult run_queue_bare(const QueueSpec& spec, std::uint64_t seed, std::uint64_t replication) {
    Interarrivals interarrivals(spec, arrival_stream(seed, replication));
    ServiceTimes service(spec, service_stream(seed, replication));
    std::priority_queue<BareEvent, std::vector<BareEvent>, LaterFirst> events;
    struct Waiting {
        double arrived;
        bool measured;
    };
    sim::RingBuffer<Waiting> queue;
    QueueResult result;
    std::uint64_t sequence = 0;
    std::uint64_t arrived = 0;
    const std::uint64_t total = spec.warmup_customers + spec.measured_customers;
    int busy = 0;
    double now = 0;
    // time averages over [start of measurement, last arrival]
    double stats_start = 0, last_change = 0, queue_area = 0, busy_area = 0;
    auto account = [&] {
        queue_area += static_cast<double>(queue.size()) * (now - last_change);
        busy_area += busy * (now - last_change);
        last_change = now;
    };
    auto start_service = [&](double arrived_at, bool measured) {
        if (measured) {
            result.sum_of_waits += now - arrived_at;
            ++result.customers_served;
        }
        events.push({now + service.next(), sequence++, false});
    };

    events.push({interarrivals.next(), sequence++, true});
    while (!events.empty()) {
        const BareEvent event = events.top();
        events.pop();
        now = event.time;
        ++result.events;
        account();
        if (event.is_arrival) {
            const bool measured = arrived >= spec.warmup_customers;
            if (arrived == spec.warmup_customers) {
                stats_start = now;
                queue_area = busy_area = 0;
            }
            ++arrived;
            if (busy < spec.servers) {
                ++busy;
                start_service(now, measured);
            } else {
                queue.push_back({now, measured});
            }
            if (arrived < total) {
                events.push({now + interarrivals.next(), sequence++, true});
            } else {
                const double span = now - stats_start;
                result.mean_queue_length = queue_area / span;
                result.utilisation = busy_area / (span * spec.servers);
            }
        } else if (!queue.empty()) {
            const Waiting next = queue.front();
            queue.pop_front();
            start_service(next.arrived, next.measured);
        } else {
            --busy;
        }
    }
    result.mean_wait_days = result.sum_of_waits / static_cast<double>(result.customers_served);
    return result;
}

}  // namespace bench
