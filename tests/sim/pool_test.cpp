#include <catch2/catch.hpp>

#include "sim/sim.hpp"
#include "tests/sim/test_support.hpp"

using Names = std::vector<std::string>;

namespace {

sim::Process use(test::Log& log, sim::Pool& pool, std::string name, double arrive, double service,
                 std::int64_t units = 1, std::int32_t priority = 0) {
    co_await sim::until(arrive);
    co_await pool.acquire(units, priority);
    log(name);
    co_await sim::delay(service);
    pool.release(units);
}

}  // namespace

TEST_CASE("a free pool grants at once without waiting", "[kernel][pool]") {
    sim::Simulation sim{EACH_KERNEL};
    test::Log log{sim};
    sim::Pool pool(sim, 3);
    sim.spawn(use(log, pool, "a", 0, 1));
    sim.spawn(use(log, pool, "b", 0, 1));
    sim.run_until(0.5);
    CHECK(pool.in_use() == 2);
    CHECK(pool.free() == 1);
    sim.run();
    CHECK(pool.in_use() == 0);
}

TEST_CASE("waiters are served first come, first served", "[kernel][pool]") {
    sim::Simulation sim{EACH_KERNEL};
    test::Log log{sim};
    sim::Pool pool(sim, 1);
    sim.spawn(use(log, pool, "first", 0, 5));
    sim.spawn(use(log, pool, "third", 2, 1));
    sim.spawn(use(log, pool, "second", 1, 1));
    sim.run();
    CHECK(log.names() == Names{"first", "second", "third"});
    CHECK(log.entries[1].first == 5.0);
    CHECK(log.entries[2].first == 6.0);
}

TEST_CASE("a large request at the head is not overtaken by smaller ones", "[kernel][pool]") {
    sim::Simulation sim{EACH_KERNEL};
    test::Log log{sim};
    sim::Pool pool(sim, 2);
    sim.spawn(use(log, pool, "holder", 0, 4));
    sim.spawn(use(log, pool, "needs two", 1, 1, 2));
    sim.spawn(use(log, pool, "needs one", 2, 1, 1));  // one unit is free, but it queues
    sim.run();
    CHECK(log.names() == Names{"holder", "needs two", "needs one"});
    CHECK(log.entries[1].first == 4.0);
    CHECK(log.entries[2].first == 5.0);
}

TEST_CASE("a priority pool serves lower priority values first, FIFO among equals",
          "[kernel][pool][priority]") {
    sim::Simulation sim{EACH_KERNEL};
    test::Log log{sim};
    sim::Pool pool(sim, 1, sim::QueueDiscipline::priority);
    sim.spawn(use(log, pool, "busy", 0, 10));
    sim.spawn(use(log, pool, "routine 1", 1, 1, 1, 5));
    sim.spawn(use(log, pool, "urgent", 2, 1, 1, 0));
    sim.spawn(use(log, pool, "routine 2", 3, 1, 1, 5));
    sim.spawn(use(log, pool, "urgent 2", 4, 1, 1, 0));
    sim.run();
    CHECK(log.names() == Names{"busy", "urgent", "urgent 2", "routine 1", "routine 2"});
}

TEST_CASE("raising capacity serves queued waiters at once", "[kernel][pool][capacity]") {
    sim::Simulation sim{EACH_KERNEL};
    test::Log log{sim};
    sim::Pool pool(sim, 0);
    for (int i = 0; i < 3; ++i)
        sim.spawn(use(log, pool, "w" + std::to_string(i), 0, 10));
    auto open_at = [](sim::Pool& pool, double day, std::int64_t capacity) -> sim::Process {
        co_await sim::until(day);
        pool.set_capacity(capacity);
    };
    sim.spawn(open_at(pool, 3, 2));
    sim.run_until(5);
    CHECK(log.names() == Names{"w0", "w1"});
    CHECK(log.entries[0].first == 3.0);
    CHECK(pool.waiting() == 1);
    sim.run();
    CHECK(log.entries[2].first == 13.0);
}

TEST_CASE("lowering capacity pre-empts nobody and takes effect as units return",
          "[kernel][pool][capacity]") {
    sim::Simulation sim{EACH_KERNEL};
    test::Log log{sim};
    sim::Pool pool(sim, 2);
    sim.spawn(use(log, pool, "a", 0, 10));
    sim.spawn(use(log, pool, "b", 0, 20));
    sim.spawn(use(log, pool, "c", 1, 1));
    auto maintenance = [](sim::Pool& pool) -> sim::Process {
        co_await sim::until(5);
        pool.set_capacity(1);  // one machine down from day 5 to day 30
        co_await sim::until(30);
        pool.set_capacity(2);
    };
    sim.spawn(maintenance(pool));
    sim.run_until(15);
    CHECK(pool.in_use() == 1);  // a returned at 10, but capacity is now 1 and b still holds one
    CHECK(pool.waiting() == 1);
    sim.run();
    // c got a unit when b returned at day 20, not when a returned at day 10
    CHECK(log.names() == Names{"a", "b", "c"});
    CHECK(log.entries[2].first == 20.0);
}

TEST_CASE("acquire_before gives up at the deadline", "[kernel][pool][timeout]") {
    sim::Simulation sim{EACH_KERNEL};
    test::Log log{sim};
    sim::Pool pool(sim, 1);
    sim.spawn(use(log, pool, "holder", 0, 10));
    auto impatient = [](test::Log& log, sim::Pool& pool, double deadline) -> sim::Process {
        co_await sim::delay(1);
        if (co_await pool.acquire_before(deadline)) {
            log("granted");
            pool.release();
        } else {
            log("gave up");
        }
    };
    sim.spawn(impatient(log, pool, 4));
    sim.spawn(impatient(log, pool, 12));
    sim.run();
    CHECK(log.names() == Names{"holder", "gave up", "granted"});
    CHECK(log.entries[1].first == 4.0);
    CHECK(log.entries[2].first == 10.0);
    CHECK(pool.in_use() == 0);
}

TEST_CASE("waiters who gave up or were interrupted are never served", "[kernel][pool][timeout]") {
    sim::Simulation sim{EACH_KERNEL};
    const auto discipline = GENERATE(sim::QueueDiscipline::fifo, sim::QueueDiscipline::priority);
    test::Log log{sim};
    sim::Pool pool(sim, 1, discipline);
    sim.spawn(use(log, pool, "holder", 0, 10));
    auto impatient = [](test::Log& log, sim::Pool& pool, std::string name, double arrive,
                        double deadline) -> sim::Process {
        co_await sim::until(arrive);
        if (co_await pool.acquire_before(deadline)) {
            log(name + " granted");
            co_await sim::delay(1);
            pool.release();
        } else {
            log(name + " gave up");
        }
    };
    // Everybody waiting gives up (days 2 and 3), then one is interrupted: the queue is empty
    // of live waiters three times before the holder releases.
    sim.spawn(impatient(log, pool, "a", 1, 2));
    sim.spawn(impatient(log, pool, "b", 1, 3));
    const sim::ProcessRef c = sim.spawn(use(log, pool, "c", 4, 1));
    sim.spawn([](sim::Simulation& sim, sim::ProcessRef c) -> sim::Process {
        co_await sim::until(5);
        sim.interrupt(c);
    }(sim, c));
    // Then two wait again; the first gives up while the second still waits behind it.
    sim.spawn(impatient(log, pool, "d", 6, 8));
    sim.spawn(impatient(log, pool, "e", 7, 20));
    sim.spawn(use(log, pool, "f", 9, 1));
    sim.run();
    CHECK(log.names() == Names{"holder", "a gave up", "b gave up", "d gave up", "e granted", "f"});
    CHECK(log.entries[4].first == 10.0);
    CHECK(log.entries[5].first == 11.0);
    CHECK(pool.in_use() == 0);
    CHECK(pool.waiting() == 0);
}

TEST_CASE("utilisation is busy time over offered time", "[kernel][pool][statistics]") {
    sim::Simulation sim{EACH_KERNEL};
    test::Log log{sim};
    sim::Pool pool(sim, 2);
    sim.spawn(use(log, pool, "a", 0, 6));
    sim.spawn(use(log, pool, "b", 2, 2));
    sim.run_until(10);
    // busy: 6 + 2 = 8 unit-days of 2 × 10 offered
    CHECK(pool.utilisation() == Approx(0.4));
    CHECK(pool.mean_in_use() == Approx(0.8));
    CHECK(pool.mean_waiting() == 0.0);
}

TEST_CASE("releasing more than is in use is a model error", "[kernel][pool]") {
    sim::Simulation sim{EACH_KERNEL};
    sim::Pool pool(sim, 2);
    CHECK_THROWS_AS(pool.release(1), std::logic_error);
    CHECK_THROWS_AS(pool.acquire(0), std::invalid_argument);
    CHECK_THROWS_AS(sim::Pool(sim, -1), std::invalid_argument);
}
