#include <catch2/catch.hpp>

#include "sim/sim.hpp"
#include "tests/sim/test_support.hpp"

using Names = std::vector<std::string>;

namespace {

sim::Process sleeper(test::Log& log, double days) {
    try {
        co_await sim::delay(days);
        log("woke");
    } catch (const sim::Interrupted& interrupted) {
        log("interrupted " + std::to_string(interrupted.cause));
    }
}

sim::Process interrupter(sim::Simulation& sim, sim::ProcessRef target, double at, int cause) {
    co_await sim::until(at);
    sim.interrupt(target, cause);
}

sim::Process visit_schedule(test::Log& log, int visits) {
    for (int v = 1; v <= visits; ++v) {
        co_await sim::delay(10);
        log("visit " + std::to_string(v));
    }
    log("completed");
}

sim::Process customer(test::Log& log, sim::Pool& pool, std::string name, double service) {
    co_await pool.acquire();
    log(name + " served");
    co_await sim::delay(service);
    pool.release();
}

}  // namespace

TEST_CASE("an interrupt ends a delay early and the process can catch it", "[kernel][interrupt]") {
    sim::Simulation sim{EACH_KERNEL};
    test::Log log{sim};
    const sim::ProcessRef target = sim.spawn(sleeper(log, 10));
    sim.spawn(interrupter(sim, target, 3, 42));
    sim.run();
    REQUIRE(log.entries.size() == 1);
    CHECK(log.entries[0] == std::pair<double, std::string>{3.0, "interrupted 42"});
    CHECK(sim.finished(target));
    CHECK(sim.now() == 3.0);  // the cancelled wake at day 10 left no trace
}

TEST_CASE("an uncaught interrupt cancels the rest of a pathway", "[kernel][interrupt]") {
    sim::Simulation sim{EACH_KERNEL};
    test::Log log{sim};
    const sim::ProcessRef patient = sim.spawn(visit_schedule(log, 5));
    sim.spawn(interrupter(sim, patient, 25, 1));  // dropout between visits 2 and 3
    sim.run();
    CHECK(log.names() == Names{"visit 1", "visit 2"});
    CHECK(sim.finished(patient));
    CHECK(sim.live_processes() == 0);
}

TEST_CASE("an interrupted waiter leaves the queue and no longer holds back others",
          "[kernel][interrupt][pool]") {
    sim::Simulation sim{EACH_KERNEL};
    test::Log log{sim};
    sim::Pool pool(sim, 2);
    sim.spawn(customer(log, pool, "a", 10));  // holds 1 of 2 until day 10
    auto greedy = [](test::Log& log, sim::Pool& pool) -> sim::Process {
        co_await pool.acquire(2);  // cannot be served before day 10
        log("greedy served");
        pool.release(2);
    };
    const sim::ProcessRef blocker = sim.spawn(greedy(log, pool));
    sim.spawn(customer(log, pool, "b", 1));  // behind greedy: strict FIFO holds it back
    sim.spawn(interrupter(sim, blocker, 4, 0));
    sim.run();
    REQUIRE(log.entries.size() == 2);
    CHECK(log.entries[0] == std::pair<double, std::string>{0.0, "a served"});
    CHECK(log.entries[1] == std::pair<double, std::string>{4.0, "b served"});
    CHECK(pool.in_use() == 0);
}

TEST_CASE("an interrupt of a process that is not waiting is delivered at its next wait",
          "[kernel][interrupt]") {
    sim::Simulation sim{EACH_KERNEL};
    test::Log log{sim};
    sim::ProcessRef self;
    auto self_interrupting = [](sim::Simulation& sim, test::Log& log,
                                sim::ProcessRef& self) -> sim::Process {
        co_await sim::delay(1);
        sim.interrupt(self, 7);  // running: kept pending
        log("still running");
        try {
            co_await sim::delay(5);
            log("not interrupted");
        } catch (const sim::Interrupted& interrupted) {
            log("interrupted at next wait " + std::to_string(interrupted.cause));
        }
        co_await sim::delay(1);
        log("carried on");
    };
    self = sim.spawn(self_interrupting(sim, log, self));
    sim.run();
    CHECK(log.names() == Names{"still running", "interrupted at next wait 7", "carried on"});
    CHECK(sim.now() == 2.0);
}

TEST_CASE("a Hold gives its units back when an interrupt unwinds the holder",
          "[kernel][interrupt][pool]") {
    sim::Simulation sim{EACH_KERNEL};
    sim::Pool pool(sim, 1);
    auto holder = [](sim::Pool& pool) -> sim::Process {
        auto hold = co_await pool.hold();
        co_await sim::delay(100);
    };
    const sim::ProcessRef target = sim.spawn(holder(pool));
    sim.spawn(interrupter(sim, target, 2, 0));
    sim.run_until(1);
    CHECK(pool.in_use() == 1);
    sim.run();
    CHECK(pool.in_use() == 0);
    CHECK(sim.now() == 2.0);
}

TEST_CASE("interrupting a finished process does nothing", "[kernel][interrupt]") {
    sim::Simulation sim{EACH_KERNEL};
    test::Log log{sim};
    const sim::ProcessRef done = sim.spawn(visit_schedule(log, 1));
    sim.run();
    CHECK(sim.finished(done));
    sim.interrupt(done);
    // The slot is reused by a new process: the stale reference must not reach it.
    const sim::ProcessRef next = sim.spawn(visit_schedule(log, 1));
    CHECK(next.slot == done.slot);
    sim.interrupt(done);
    sim.run();
    CHECK(log.names() == Names{"visit 1", "completed", "visit 1", "completed"});
}

TEST_CASE("a process can hand out its own reference", "[kernel][interrupt]") {
    sim::Simulation sim{EACH_KERNEL};
    test::Log log{sim};
    auto self_aware = [](sim::Simulation& sim, test::Log& log) -> sim::Process {
        const sim::ProcessRef me = co_await sim::this_process();
        sim.spawn(interrupter(sim, me, 2, 9));
        try {
            co_await sim::delay(10);
        } catch (const sim::Interrupted& interrupted) {
            log("interrupted by the clock it armed " + std::to_string(interrupted.cause));
        }
    };
    sim.spawn(self_aware(sim, log));
    sim.run();
    CHECK(log.entries == std::vector<std::pair<double, std::string>>{
                             {2.0, "interrupted by the clock it armed 9"}});
}
