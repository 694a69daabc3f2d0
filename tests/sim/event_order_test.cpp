#include <catch2/catch.hpp>

#include "sim/sim.hpp"
#include "tests/sim/test_support.hpp"

using Names = std::vector<std::string>;

namespace {

sim::Process wake_at(test::Log& log, std::string name, double day) {
    co_await sim::until(day);
    log(name);
}

sim::Process say(test::Log& log, std::string name) {
    log(name);
    co_return;
}

sim::Process yield_twice(test::Log& log, std::string name) {
    log(name + "1");
    co_await sim::delay(0);
    log(name + "2");
    co_await sim::delay(0);
    log(name + "3");
}

}  // namespace

TEST_CASE("events at equal times run in the order they were scheduled", "[kernel][order]") {
    sim::Simulation sim{EACH_KERNEL};
    test::Log log{sim};
    sim.spawn(wake_at(log, "c", 5.0));
    sim.spawn(wake_at(log, "a", 5.0));
    sim.spawn(wake_at(log, "early", 2.0));
    sim.spawn(wake_at(log, "b", 5.0));
    sim.run();
    CHECK(log.names() == Names{"early", "c", "a", "b"});
    CHECK(sim.now() == 5.0);
}

TEST_CASE("delay(0) lets every process due now run before it resumes", "[kernel][order]") {
    sim::Simulation sim{EACH_KERNEL};
    test::Log log{sim};
    sim.spawn(yield_twice(log, "x"));
    sim.spawn(yield_twice(log, "y"));
    sim.run();
    CHECK(log.names() == Names{"x1", "y1", "x2", "y2", "x3", "y3"});
    CHECK(sim.now() == 0.0);
}

TEST_CASE("events already due run before wakes made at the same time", "[kernel][order]") {
    // "timer" was scheduled for day 1 before "parent"; "spawned" is started by "parent" at
    // day 1 and runs inside spawn(); "parent again" waits behind the wakes already due.
    sim::Simulation sim{EACH_KERNEL};
    test::Log log{sim};
    sim.spawn(wake_at(log, "timer", 1.0));
    auto parent = [](sim::Simulation& sim, test::Log& log) -> sim::Process {
        co_await sim::until(1.0);
        log("parent");
        sim.spawn(say(log, "spawned"));
        co_await sim::delay(0);
        log("parent again");
    };
    sim.spawn(parent(sim, log));
    sim.run();
    CHECK(log.names() == Names{"timer", "parent", "spawned", "parent again"});
}

TEST_CASE("a wait until a day already past resumes now, in FIFO order", "[kernel][order]") {
    sim::Simulation sim{EACH_KERNEL};
    test::Log log{sim};
    auto late = [](test::Log& log) -> sim::Process {
        co_await sim::until(3.0);
        co_await sim::until(1.0);  // past
        log("late");
    };
    sim.spawn(late(log));
    sim.spawn(wake_at(log, "on time", 3.0));
    sim.run();
    CHECK(log.names() == Names{"on time", "late"});
    CHECK(log.entries[1].first == 3.0);
}

TEST_CASE("spawn runs the new process until its first wait", "[kernel][order]") {
    sim::Simulation sim{EACH_KERNEL};
    test::Log log{sim};
    sim.spawn(say(log, "started inside spawn"));
    CHECK(log.names() == Names{"started inside spawn"});
    for (int i = 0; i < 5; ++i)
        sim.spawn(wake_at(log, std::to_string(i), 0.0));
    CHECK(log.entries.size() == 1);  // each is now waiting
    sim.run();
    CHECK(log.names() == Names{"started inside spawn", "0", "1", "2", "3", "4"});
    CHECK(sim.events_processed() == 5);  // one wake each; starting is not an event
    CHECK(sim.live_processes() == 0);
}
