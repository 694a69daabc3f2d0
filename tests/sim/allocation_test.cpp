// The kernel's hot path allocates nothing once a run has warmed up: events are PODs in
// vectors that have reached their working size, and coroutine frames are recycled. This
// binary replaces the global operator new to count calls (hence its own executable).

#include <boost/random/exponential_distribution.hpp>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <new>

#include "sim/sim.hpp"

namespace {
std::size_t allocations = 0;
}

// The whole family is replaced, so that every form allocates and frees the same way.
void* counted_allocation(std::size_t bytes) {
    ++allocations;
    return std::malloc(bytes ? bytes : 1);
}
void* operator new(std::size_t bytes) {
    if (void* p = counted_allocation(bytes)) return p;
    throw std::bad_alloc();
}
void* operator new[](std::size_t bytes) {
    return operator new(bytes);
}
void* operator new(std::size_t bytes, const std::nothrow_t&) noexcept {
    return counted_allocation(bytes);
}
void* operator new[](std::size_t bytes, const std::nothrow_t&) noexcept {
    return counted_allocation(bytes);
}
void operator delete(void* p) noexcept {
    std::free(p);
}
void operator delete[](void* p) noexcept {
    std::free(p);
}
void operator delete(void* p, std::size_t) noexcept {
    std::free(p);
}
void operator delete[](void* p, std::size_t) noexcept {
    std::free(p);
}
void operator delete(void* p, const std::nothrow_t&) noexcept {
    std::free(p);
}
void operator delete[](void* p, const std::nothrow_t&) noexcept {
    std::free(p);
}

namespace {

struct Station {
    sim::Simulation& sim;
    sim::Pool servers;
    sim::Rng rng;
    boost::random::exponential_distribution<double> service{1.0};
    boost::random::exponential_distribution<double> gap{2.4};
};

sim::Process customer(Station& s) {
    auto held = co_await s.servers.hold();
    co_await sim::delay(s.service(s.rng));
}

sim::Process arrivals(Station& s) {
    for (;;) {
        co_await sim::delay(s.gap(s.rng));
        s.sim.spawn(customer(s));
    }
}

}  // namespace

TEST_CASE("a warmed-up run allocates nothing per event", "[kernel][allocation]") {
    const std::size_t at_start = allocations;
    sim::Simulation simulation;
    Station station{simulation, sim::Pool(simulation, 3), sim::stream(5, 0, "alloc")};
    simulation.spawn(arrivals(station));
    simulation.run_until(50'000);     // warm-up: vectors and frame lists reach working size
    REQUIRE(allocations > at_start);  // the counter sees the kernel's allocations
    const std::uint64_t events_before = simulation.events_processed();
    const std::size_t allocations_before = allocations;
    simulation.run_until(52'000);
    const std::uint64_t events = simulation.events_processed() - events_before;
    const std::size_t allocated = allocations - allocations_before;
    INFO(allocated << " allocations in " << events << " events");
    REQUIRE(events > 10'000);
    // A new record queue length can still grow a vector once in a while; never per event.
    CHECK(allocated <= 2);
}
