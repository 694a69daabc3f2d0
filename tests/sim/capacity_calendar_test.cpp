#include <catch2/catch.hpp>

#include "sim/sim.hpp"
#include "tests/sim/test_support.hpp"

namespace {

// Two staff from 08:00 to 16:00 on weekdays (days 0–4 of each week), nobody otherwise.
sim::CapacityCalendar office_hours() {
    sim::CapacityCalendar calendar{7.0, {}};
    for (int day = 0; day < 5; ++day) {
        calendar.steps.push_back({day + 8.0 / 24.0, 2});
        calendar.steps.push_back({day + 16.0 / 24.0, 0});
    }
    calendar.steps.insert(calendar.steps.begin(), {0.0, 0});
    return calendar;
}

}  // namespace

TEST_CASE("a calendar is checked before use", "[kernel][capacity]") {
    CHECK(office_hours().problem().empty());
    CHECK(sim::CapacityCalendar{0.0, {{0.0, 1}}}.problem() == "period must be > 0 days");
    CHECK(sim::CapacityCalendar{7.0, {}}.problem() == "needs at least one step");
    CHECK(sim::CapacityCalendar{7.0, {{1.0, 1}}}.problem() == "first step must start at offset 0");
    CHECK(sim::CapacityCalendar{7.0, {{0.0, 1}, {0.0, 2}}}.problem() ==
          "step offsets must increase");
    CHECK(sim::CapacityCalendar{7.0, {{0.0, 1}, {8.0, 2}}}.problem() ==
          "step offsets must lie in [0, period)");
    CHECK(sim::CapacityCalendar{7.0, {{0.0, -1}}}.problem() == "capacity must be >= 0");
}

TEST_CASE("capacity_at reads the pattern for any day", "[kernel][capacity]") {
    const sim::CapacityCalendar calendar = office_hours();
    CHECK(calendar.capacity_at(0.1) == 0);
    CHECK(calendar.capacity_at(0.5) == 2);
    CHECK(calendar.capacity_at(5.5) == 0);   // Saturday
    CHECK(calendar.capacity_at(14.5) == 2);  // two weeks later
    CHECK(calendar.capacity_at(-6.5) == 2);  // before the start, the pattern still repeats
}

TEST_CASE("a pool follows its calendar and queued work waits for opening hours",
          "[kernel][capacity]") {
    sim::Simulation sim{EACH_KERNEL};
    test::Log log{sim};
    sim::Pool staff(sim, 0);
    sim.spawn(sim::follow_calendar(staff, office_hours()));
    auto visit = [](test::Log& log, sim::Pool& staff, double arrive) -> sim::Process {
        co_await sim::until(arrive);
        co_await staff.acquire();
        log("seen");
        co_await sim::delay(1.0 / 24.0);
        staff.release();
    };
    sim.spawn(visit(log, staff, 5.2));  // Saturday: waits until Monday 08:00 (day 7 + 1/3)
    sim.spawn(visit(log, staff, 7.5));  // Monday noon: seen at once
    sim.run_until(8);
    REQUIRE(log.entries.size() == 2);
    CHECK(log.entries[0].first == Approx(7.0 + 8.0 / 24.0));
    CHECK(log.entries[1].first == Approx(7.5));
    CHECK(staff.capacity() == 0);  // day 8.0 is Tuesday 00:00
    // busy: two one-hour visits; offered: 2 staff × 8 h on the 6 weekdays in days 0–8
    CHECK(staff.utilisation() == Approx(2.0 / 24.0 / (2.0 * 8.0 / 24.0 * 6.0)));
}
