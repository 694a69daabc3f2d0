#include <catch2/catch.hpp>
#include <stdexcept>

#include "sim/sim.hpp"
#include "tests/sim/test_support.hpp"

namespace {

sim::Process ticker(test::Log& log, double every) {
    for (;;) {
        co_await sim::delay(every);
        log("tick");
    }
}

}  // namespace

TEST_CASE("run_until stops at the horizon and can be resumed", "[kernel][run]") {
    sim::Simulation sim{EACH_KERNEL};
    test::Log log{sim};
    sim.spawn(ticker(log, 1.0));
    sim.run_until(3.5);
    CHECK(log.entries.size() == 3);
    CHECK(sim.now() == 3.5);
    sim.run_until(5.0);  // an event exactly at the horizon runs
    CHECK(log.entries.size() == 5);
    CHECK(sim.now() == 5.0);
}

TEST_CASE("run_while stops when a condition on the model holds", "[kernel][run]") {
    sim::Simulation sim{EACH_KERNEL};
    test::Log log{sim};
    sim.spawn(ticker(log, 2.0));
    sim.run_while([&] { return log.entries.size() < 4; });
    CHECK(log.entries.size() == 4);
    CHECK(sim.now() == 8.0);
}

TEST_CASE("stop() from a process ends the run after the current event", "[kernel][run]") {
    sim::Simulation sim{EACH_KERNEL};
    test::Log log{sim};
    sim.spawn(ticker(log, 1.0));
    auto target_met = [](sim::Simulation& sim) -> sim::Process {
        co_await sim::until(2.5);
        sim.stop();
    };
    sim.spawn(target_met(sim));
    sim.run();
    CHECK(sim.now() == 2.5);
    CHECK(log.entries.size() == 2);
}

TEST_CASE("an exception escaping a process stops the run and reaches the caller", "[kernel][run]") {
    sim::Simulation sim{EACH_KERNEL};
    auto broken = [](int& reached) -> sim::Process {
        co_await sim::delay(1);
        ++reached;
        throw std::runtime_error("model bug");
    };
    int reached = 0;
    sim.spawn(broken(reached));
    CHECK_THROWS_WITH(sim.run(), "model bug");
    CHECK(reached == 1);
}

TEST_CASE("processes still waiting are destroyed with the simulation", "[kernel][run]") {
    int destroyed = 0;
    struct Tracker {
        int* destroyed;
        ~Tracker() { ++*destroyed; }
    };
    auto waiting_forever = [](sim::Pool& pool, int* destroyed) -> sim::Process {
        Tracker tracker{destroyed};
        auto held = co_await pool.hold();
        co_await pool.acquire();  // never granted
    };
    {
        sim::Simulation sim{EACH_KERNEL};
        sim::Pool pool(sim, 1);
        sim.spawn(waiting_forever(pool, &destroyed));
        sim.spawn(waiting_forever(pool, &destroyed));
        sim.run();
        CHECK(sim.live_processes() == 2);
    }  // pool goes first: it tears the processes down while it still exists
    CHECK(destroyed == 2);
}

TEST_CASE("event count and live process count are reported", "[kernel][run]") {
    sim::Simulation sim{EACH_KERNEL};
    test::Log log{sim};
    sim.spawn(ticker(log, 1.0));
    sim.run_until(10);
    CHECK(sim.events_processed() == 10);  // ten ticks; starting is not an event
    CHECK(sim.live_processes() == 1);
}
