// What a deviation records as its cause is what kept the visit from its window: staff,
// equipment, kit, the calendar (no working day in the window) or the previous visit being
// late. The weekend test: a scenario whose only constraint is the calendar records no staff
// deviations; patients present on any day, and the screening visit's default window reaches
// the next working day, so a weekend arrival is not a deviation.

#include <catch2/catch.hpp>
#include <cmath>
#include <string>

#include "models/trial/trial.hpp"
#include "tests/models/capture.hpp"

namespace {

// One site, Monday to Friday, patients every day or so. Two visits with zero-day windows a day
// apart: one whose target falls on a weekend is late for the calendar, and the one after it
// can then be late because of it. A third with a window of two days either side.
std::string calendar_only(const std::string& coordinators, const std::string& screening_window) {
    return R"(
[trial]
name = "weekends"
start_date = 2027-01-04
randomisation_target = 200
plan_target_met_date = 2027-12-01
[[countries]]
code = "XX"
working_days = ["Mon", "Tue", "Wed", "Thu", "Fri"]
[[sites]]
id = "S1"
country = "XX"
recruitment_rate_per_day = 1
staff = [ { role = "coordinator", )" +
           coordinators + R"( } ]
[protocol.screening]
staff = [ { role = "coordinator", hours = 1 } ]
)" + screening_window +
           R"(
[[protocol.visits]]
name = "first"
day = 5
staff = [ { role = "coordinator", hours = 1 } ]
[[protocol.visits]]
name = "next day"
day = 6
staff = [ { role = "coordinator", hours = 1 } ]
[[protocol.visits]]
name = "two weeks"
day = 14
window_before_days = 2
window_after_days = 2
staff = [ { role = "coordinator", hours = 1 } ]
)";
}

const std::string plenty = "count = 20, hours_per_day = 8";

bool weekend(double day) {
    const int d = static_cast<int>(std::floor(day)) % 7;  // day 0 is a Monday, UTC
    return d == 5 || d == 6;
}

struct Counts {
    int by_cause[trial::cause_count] = {};
    int screening = 0;                                  // deviations of the screening visit
    int weekend_targets = 0, weekend_targets_late = 0;  // visit "first"
    int total() const {
        int n = 0;
        for (int c : by_cause)
            n += c;
        return n;
    }
    int of(trial::Cause c) const { return by_cause[static_cast<int>(c)]; }
};

Counts run(const std::string& text, int replications) {
    const trial::Scenario scenario = test::load_text(text);
    Counts n;
    for (int r = 0; r < replications; ++r) {
        test::Capture capture;
        trial::run_replication(scenario, 11, r, &capture);
        for (const auto& d : capture.deviations) {
            ++n.by_cause[static_cast<int>(d.cause)];
            n.screening += d.ref.visit < 0;
        }
        for (const auto& v : capture.visits) {
            if (v.ref.visit != 0 || !weekend(v.target_day)) continue;
            ++n.weekend_targets;
            n.weekend_targets_late += std::floor(v.day) > std::floor(v.target_day);
        }
    }
    return n;
}

}  // namespace

TEST_CASE("the weekend test: with the calendar the only constraint, no staff deviations",
          "[deviation][calendar]") {
    const Counts n = run(calendar_only(plenty, ""), 5);
    INFO("staff " << n.of(trial::Cause::staff) << ", calendar " << n.of(trial::Cause::calendar)
                  << ", previous visit late " << n.of(trial::Cause::previous_visit_late));
    CHECK(n.of(trial::Cause::staff) == 0);
    CHECK(n.of(trial::Cause::equipment) == 0);
    CHECK(n.of(trial::Cause::kit) == 0);
    // Patients who present on a weekend are screened on the Monday, within the window.
    CHECK(n.screening == 0);
    // Every visit "first" due on a weekend is late, for the calendar. Patients are
    // randomised when screened, on working days: Monday takes the arrivals of Saturday, Sunday
    // and Monday (3 in 7), Tuesday those of Tuesday (1 in 7), and day 5 after Monday or
    // Tuesday is a weekend day: 4 in 7 of 1,000 patients, 571 expected (binomial sd 16).
    CHECK(n.weekend_targets == n.weekend_targets_late);
    CHECK(n.weekend_targets > 571 - 4 * 16);
    CHECK(n.weekend_targets < 571 + 4 * 16);
    CHECK(n.of(trial::Cause::calendar) >= n.weekend_targets);
    // "first" due on Saturday and done on Monday leaves "next day" (due Sunday) no window:
    // late because the previous visit was.
    CHECK(n.of(trial::Cause::previous_visit_late) > 50);
    CHECK(n.total() == n.of(trial::Cause::calendar) + n.of(trial::Cause::previous_visit_late));
}

TEST_CASE("a zero-day screening window written in the scenario makes weekend arrivals late",
          "[deviation][calendar]") {
    const Counts n = run(calendar_only(plenty, "window_after_days = 0\n"), 5);
    // About 2 in 7 of 1,000-odd arrivals present on a weekend.
    CHECK(n.screening > 200);
    CHECK(n.of(trial::Cause::staff) == 0);
}

TEST_CASE("a site short of staff records staff deviations", "[deviation][staff]") {
    // One coordinator-hour a day for about one arrival a day and three visits each.
    const Counts n = run(calendar_only("count = 1, hours_per_day = 1", ""), 2);
    CHECK(n.of(trial::Cause::staff) > 100);
}
