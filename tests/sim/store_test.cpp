#include <catch2/catch.hpp>

#include "sim/sim.hpp"
#include "tests/sim/test_support.hpp"

using Names = std::vector<std::string>;

namespace {

sim::Process taker(test::Log& log, sim::Store& store, std::string name, std::int64_t items) {
    co_await store.take(items);
    log(name);
}

sim::Process deliver(sim::Store& store, double day, std::int64_t items) {
    co_await sim::until(day);
    store.put(items);
}

}  // namespace

TEST_CASE("takers wait for deliveries and are served in order", "[kernel][store]") {
    sim::Simulation sim{EACH_KERNEL};
    test::Log log{sim};
    sim::Store kits(sim, 1);
    sim.spawn(taker(log, kits, "a", 1));
    sim.spawn(taker(log, kits, "b", 2));
    sim.spawn(taker(log, kits, "c", 1));
    sim.spawn(deliver(kits, 3, 1));
    sim.spawn(deliver(kits, 5, 2));
    sim.run();
    CHECK(log.names() == Names{"a", "b", "c"});
    CHECK(log.entries[1].first == 5.0);  // b needed 2: day 3 gave only 1
    CHECK(log.entries[2].first == 5.0);
    CHECK(kits.level() == 0);
}

TEST_CASE("try_take never jumps the queue", "[kernel][store]") {
    sim::Simulation sim{EACH_KERNEL};
    test::Log log{sim};
    sim::Store kits(sim, 1);
    sim.spawn(taker(log, kits, "needs two", 2));
    sim.run();
    CHECK(kits.level() == 1);
    CHECK_FALSE(kits.try_take(1));  // someone is waiting ahead
    kits.put(1);
    sim.run();
    CHECK(log.names() == Names{"needs two"});
    CHECK(kits.try_take(0 + 1) == false);
    kits.put(3);
    CHECK(kits.try_take(2));
    CHECK(kits.level() == 1);
}

TEST_CASE("take_before times out on a stock-out", "[kernel][store][timeout]") {
    sim::Simulation sim{EACH_KERNEL};
    test::Log log{sim};
    sim::Store kits(sim, 0);
    auto dosing_visit = [](test::Log& log, sim::Store& kits, double window_end) -> sim::Process {
        if (co_await kits.take_before(window_end)) {
            log("dosed");
        } else {
            log("stock-out");
        }
    };
    sim.spawn(dosing_visit(log, kits, 2));
    sim.spawn(dosing_visit(log, kits, 10));
    sim.spawn(deliver(kits, 6, 5));
    sim.run();
    CHECK(log.entries ==
          std::vector<std::pair<double, std::string>>{{2.0, "stock-out"}, {6.0, "dosed"}});
    CHECK(kits.level() == 4);
}

TEST_CASE("discard removes what is there and no more", "[kernel][store]") {
    sim::Simulation sim{EACH_KERNEL};
    sim::Store kits(sim, 3);
    CHECK(kits.discard(2) == 2);
    CHECK(kits.discard(5) == 1);
    CHECK(kits.level() == 0);
    CHECK_THROWS_AS(kits.put(0), std::invalid_argument);
}

TEST_CASE("mean stock level is a time average", "[kernel][store][statistics]") {
    sim::Simulation sim{EACH_KERNEL};
    sim::Store kits(sim, 4);
    sim.spawn(deliver(kits, 5, 4));
    sim.run_until(10);
    CHECK(kits.mean_level() == Approx(6.0));  // 4 for 5 days, 8 for 5 days
}
