#include <catch2/catch.hpp>
#include <stdexcept>

#include "sim/sim.hpp"
#include "tests/sim/test_support.hpp"

using Names = std::vector<std::string>;

namespace {

sim::Process work(test::Log& log, std::string name, double days) {
    co_await sim::delay(days);
    log(name + " done");
}

// Returns how long the slot took, waiting included.
sim::Task<double> book_slot(sim::Simulation& sim, sim::Pool& pool, double service) {
    const double asked = sim.now();
    co_await pool.acquire();
    co_await sim::delay(service);
    pool.release();
    co_return sim.now() - asked;
}

sim::Task<int> nested_levels(int depth) {
    if (depth == 0) {
        co_await sim::delay(1);
        co_return 0;
    }
    const int below = co_await nested_levels(depth - 1);
    co_return below + 1;
}

sim::Task<> failing_step() {
    co_await sim::delay(1);
    throw std::runtime_error("step failed");
}

}  // namespace

TEST_CASE("join waits for a sub-process to end", "[kernel][join]") {
    sim::Simulation sim{EACH_KERNEL};
    test::Log log{sim};
    auto parent = [](sim::Simulation& sim, test::Log& log) -> sim::Process {
        const sim::ProcessRef slow = sim.spawn(work(log, "slow", 5));
        const sim::ProcessRef fast = sim.spawn(work(log, "fast", 1));
        co_await sim::join(slow);
        log("joined slow");
        co_await sim::join(fast);  // already over: passes at once
        log("joined fast");
    };
    sim.spawn(parent(sim, log));
    sim.run();
    CHECK(log.entries ==
          std::vector<std::pair<double, std::string>>{
              {1.0, "fast done"}, {5.0, "slow done"}, {5.0, "joined slow"}, {5.0, "joined fast"}});
}

TEST_CASE("several processes can join one", "[kernel][join]") {
    sim::Simulation sim{EACH_KERNEL};
    test::Log log{sim};
    const sim::ProcessRef approval = sim.spawn(work(log, "approval", 3));
    auto site = [](test::Log& log, sim::ProcessRef approval, std::string name) -> sim::Process {
        co_await sim::join(approval);
        log(name);
    };
    sim.spawn(site(log, approval, "site 1"));
    sim.spawn(site(log, approval, "site 2"));
    sim.run();
    CHECK(log.names() == Names{"approval done", "site 1", "site 2"});
}

TEST_CASE("a task runs inside its process and returns a value", "[kernel][task]") {
    sim::Simulation sim{EACH_KERNEL};
    test::Log log{sim};
    sim::Pool pool(sim, 1);
    auto patient = [](sim::Simulation& sim, test::Log& log, sim::Pool& pool,
                      std::string name) -> sim::Process {
        const double length = co_await book_slot(sim, pool, 2);
        log(name + " " + std::to_string(static_cast<int>(length)));
        const int depth = co_await nested_levels(3);
        log(name + " depth " + std::to_string(depth));
    };
    sim.spawn(patient(sim, log, pool, "p1"));
    sim.spawn(patient(sim, log, pool, "p2"));
    sim.run();
    CHECK(log.entries ==
          std::vector<std::pair<double, std::string>>{
              {2.0, "p1 2"}, {3.0, "p1 depth 3"}, {4.0, "p2 4"}, {5.0, "p2 depth 3"}});
}

TEST_CASE("a task's exception reaches the awaiting process", "[kernel][task]") {
    sim::Simulation sim{EACH_KERNEL};
    test::Log log{sim};
    auto caller = [](test::Log& log) -> sim::Process {
        try {
            co_await failing_step();
        } catch (const std::runtime_error& error) {
            log(error.what());
        }
    };
    sim.spawn(caller(log));
    sim.run();
    CHECK(log.names() == Names{"step failed"});
}

TEST_CASE("an interrupt reaches a process waiting inside a task", "[kernel][task][interrupt]") {
    sim::Simulation sim{EACH_KERNEL};
    test::Log log{sim};
    sim::Pool pool(sim, 1);
    auto patient = [](sim::Simulation& sim, test::Log& log, sim::Pool& pool) -> sim::Process {
        try {
            co_await book_slot(sim, pool, 10);
        } catch (const sim::Interrupted&) {
            log("dropped out");
        }
    };
    const sim::ProcessRef p = sim.spawn(patient(sim, log, pool));
    auto dropout = [](sim::Simulation& sim, sim::ProcessRef p) -> sim::Process {
        co_await sim::until(3);
        sim.interrupt(p);
    };
    sim.spawn(dropout(sim, p));
    sim.run();
    CHECK(log.entries == std::vector<std::pair<double, std::string>>{{3.0, "dropped out"}});
    // book_slot never released its unit: explicit acquire/release does not unwind (use hold()).
    CHECK(pool.in_use() == 1);
}
