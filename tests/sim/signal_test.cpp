#include <catch2/catch.hpp>

#include "sim/sim.hpp"
#include "tests/sim/test_support.hpp"

using Names = std::vector<std::string>;

namespace {

template <class Waitable>
sim::Process waiter(test::Log& log, Waitable& signal, std::string name, double arrive = 0) {
    co_await sim::until(arrive);
    co_await signal.wait();
    log(name);
}

}  // namespace

TEST_CASE("a signal wakes all waiters in order and stays triggered", "[kernel][signal]") {
    sim::Simulation sim{EACH_KERNEL};
    test::Log log{sim};
    sim::Signal approved(sim);
    sim.spawn(waiter(log, approved, "site a"));
    sim.spawn(waiter(log, approved, "site b"));
    sim.spawn(waiter(log, approved, "late site", 9));
    auto approve = [](sim::Signal& signal) -> sim::Process {
        co_await sim::until(4);
        signal.trigger();
        signal.trigger();  // a second trigger changes nothing
    };
    sim.spawn(approve(approved));
    sim.run();
    CHECK(log.entries == std::vector<std::pair<double, std::string>>{
                             {4.0, "site a"}, {4.0, "site b"}, {9.0, "late site"}});
    approved.reset();
    CHECK_FALSE(approved.triggered());
}

TEST_CASE("a broadcast wakes only those waiting when it is sent", "[kernel][signal]") {
    sim::Simulation sim{EACH_KERNEL};
    test::Log log{sim};
    sim::Broadcast weekly(sim);
    sim.spawn(waiter(log, weekly, "early"));
    sim.spawn(waiter(log, weekly, "after first", 5));
    auto tick = [](sim::Broadcast& b) -> sim::Process {
        co_await sim::until(3);
        b.notify();
        co_await sim::until(7);
        b.notify();
        co_await sim::until(8);
        b.notify();  // nobody waiting: lost
    };
    sim.spawn(tick(weekly));
    sim.run();
    CHECK(log.entries ==
          std::vector<std::pair<double, std::string>>{{3.0, "early"}, {7.0, "after first"}});
}

TEST_CASE("waiting for a signal can time out", "[kernel][signal][timeout]") {
    sim::Simulation sim{EACH_KERNEL};
    test::Log log{sim};
    sim::Signal contract_signed(sim);
    auto site = [](test::Log& log, sim::Signal& signal, double deadline) -> sim::Process {
        log(co_await signal.wait_before(deadline) ? "activated" : "gave up");
    };
    sim.spawn(site(log, contract_signed, 10));
    sim.spawn(site(log, contract_signed, 30));
    auto sign = [](sim::Signal& signal) -> sim::Process {
        co_await sim::until(20);
        signal.trigger();
    };
    sim.spawn(sign(contract_signed));
    sim.run();
    CHECK(log.entries ==
          std::vector<std::pair<double, std::string>>{{10.0, "gave up"}, {20.0, "activated"}});
    CHECK(sim.now() == 20.0);  // the timer at day 30 was cancelled
}
