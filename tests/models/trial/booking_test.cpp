// Visit windows: a visit is booked on its target day if it can be, else later in the window,
// else earlier in the window (early), else after it (late, up to the tolerance), else missed;
// the cause is what filled the window, or the calendar when the window had no working day.

#include <catch2/catch.hpp>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "models/trial/booking.hpp"
#include "models/trial/world.hpp"
#include "sim/random.hpp"
#include "tests/models/capture.hpp"

namespace {

// A trial of one site in one country that works Monday to Friday; the site's staff, equipment
// and the protocol follow.
const std::string one_site = R"(
[trial]
name = "booking"
start_date = 2027-01-04
randomisation_target = 1
plan_target_met_date = 2027-06-01
[[countries]]
code = "XX"
working_days = ["Mon", "Tue", "Wed", "Thu", "Fri"]
[[sites]]
id = "S1"
country = "XX"
recruitment_rate_per_day = 1
)";

// One coordinator with 1 hour a day, one scanner with 1 slot a day.
const std::string one_slot_site =
    one_site + R"(staff = [ { role = "coordinator", count = 1, hours_per_day = 1 } ]
equipment = [ { kind = "CT", slots_per_day = 1, maintenance_every_days = 28, maintenance_duration_days = 2, maintenance_first_day = 14 } ]
[protocol.screening]
[[protocol.visits]]
name = "clinic"
day = 10
staff = [ { role = "coordinator", hours = 1 } ]
[[protocol.visits]]
name = "scan"
day = 10
equipment = [ { kind = "CT" } ]
)";

struct Fixture {
    trial::Scenario scenario = test::load_text(one_slot_site);
    test::Capture capture;
    trial::World world{scenario, 1, 0, capture};
    trial::SiteState& site = world.sites.front();
    const trial::VisitSpec& clinic = scenario.protocol.visits[0];
    const trial::VisitSpec& scan = scenario.protocol.visits[1];
    // Day 0 is Monday 2027-01-04; days 5, 6, 12, 13 are a weekend. Target Friday 11, window
    // Thursday 10 to Monday 14, late up to Friday 18.
    trial::DayWindow window{0, 11, 10, 14, 18};
};

}  // namespace

TEST_CASE("a visit is booked on its target day when there is room", "[booking]") {
    Fixture f;
    const trial::Booking b = trial::book_visit(f.site, f.clinic, f.window);
    REQUIRE(b.found);
    CHECK(b.local_day == 11);
}

TEST_CASE("a full target day moves the visit later in its window, skipping weekends", "[booking]") {
    Fixture f;
    trial::book_visit(f.site, f.clinic, f.window);  // takes day 11
    const trial::Booking b = trial::book_visit(f.site, f.clinic, f.window);
    REQUIRE(b.found);
    CHECK(b.local_day == 14);  // 12 and 13 are the weekend
}

TEST_CASE("a window full from the target on books early", "[booking][window]") {
    Fixture f;
    trial::book_visit(f.site, f.clinic, f.window);  // 11
    trial::book_visit(f.site, f.clinic, f.window);  // 14
    const trial::Booking b = trial::book_visit(f.site, f.clinic, f.window);
    REQUIRE(b.found);
    CHECK(b.local_day == 10);  // early: before the target, inside the window
    CHECK(b.local_day >= f.window.first);
}

TEST_CASE("a full window books late, and a full tolerance means missed, cause staff",
          "[booking][window]") {
    Fixture f;
    for (int i = 0; i < 3; ++i)
        trial::book_visit(f.site, f.clinic, f.window);  // 11, 14, 10
    const trial::Booking late = trial::book_visit(f.site, f.clinic, f.window);
    REQUIRE(late.found);
    CHECK(late.local_day == 15);  // after the window (ends day 14)
    CHECK(late.cause() == trial::Cause::staff);
    for (int i = 0; i < 3; ++i)
        trial::book_visit(f.site, f.clinic, f.window);  // 16, 17, 18
    const trial::Booking missed = trial::book_visit(f.site, f.clinic, f.window);
    CHECK_FALSE(missed.found);
    CHECK(missed.cause() == trial::Cause::staff);
}

TEST_CASE("a window of weekend days only books late, cause calendar", "[booking][window]") {
    Fixture f;
    // Target Saturday 5, a window of that day alone: Monday 7 is the first day that can.
    const trial::DayWindow weekend{0, 5, 5, 5, 9};
    const trial::Booking b = trial::book_visit(f.site, f.clinic, weekend);
    REQUIRE(b.found);
    CHECK(b.local_day == 7);
    CHECK(b.closed_days == 1);
    CHECK(b.short_of_staff + b.short_of_equipment == 0);
    CHECK(b.cause() == trial::Cause::calendar);
    // With Monday's hour taken, the window is still weekend only: calendar, not staff.
    const trial::Booking next = trial::book_visit(f.site, f.clinic, weekend);
    REQUIRE(next.found);
    CHECK(next.local_day == 8);
    CHECK(next.cause() == trial::Cause::calendar);
    // A window from Friday 4 to Sunday 6 whose Friday is full: staff.
    trial::book_visit(f.site, f.clinic, trial::DayWindow{0, 4, 4, 4, 4});
    const trial::Booking friday = trial::book_visit(f.site, f.clinic, {0, 4, 4, 6, 9});
    REQUIRE(friday.found);
    CHECK(friday.local_day == 9);  // Monday 7 and Tuesday 8 were taken above
    CHECK(friday.short_of_staff == 1);
    CHECK(friday.closed_days == 2);
    CHECK(friday.cause() == trial::Cause::staff);
}

TEST_CASE("a maintenance period blocks bookings on its days", "[booking][equipment]") {
    Fixture f;
    // Scanner down for maintenance on days 14 and 15 (and 42, 43, ...).
    CHECK(f.site.equipment[0].downtime(14) == trial::Downtime::maintenance);
    CHECK(f.site.equipment[0].downtime(15) == trial::Downtime::maintenance);
    CHECK(f.site.equipment[0].downtime(16) == trial::Downtime::none);
    CHECK(f.site.equipment[0].downtime(42) == trial::Downtime::maintenance);
    const trial::DayWindow over_maintenance{0, 14, 14, 15, 20};
    const trial::Booking b = trial::book_visit(f.site, f.scan, over_maintenance);
    REQUIRE(b.found);
    CHECK(b.local_day == 16);  // late: the whole window was maintenance
    CHECK(b.cause() == trial::Cause::equipment);
}

TEST_CASE("a visit without staff or equipment needs no booking", "[booking]") {
    Fixture f;
    trial::VisitSpec phone_call;
    CHECK_FALSE(trial::needs_booking(phone_call));
    CHECK(trial::needs_booking(f.clinic));
}

namespace {

// `text` with `from` (which must be there) replaced by `to`.
std::string edited(std::string text, const std::string& from, const std::string& to) {
    const auto at = text.find(from);
    REQUIRE(at != std::string::npos);
    return text.replace(at, from.size(), to);
}

}  // namespace

TEST_CASE("needs that one staff group serves are added up on the day", "[booking]") {
    // Two coordinator needs of 0.75 h and one coordinator with 1 h a day: the two do not fit
    // on one day together; a second coordinator group with its own hour takes the other.
    const std::string two_needs =
        edited(one_slot_site, "staff = [ { role = \"coordinator\", hours = 1 } ]",
               "staff = [ { role = \"coordinator\", hours = 0.75 }, { role = \"coordinator\", "
               "hours = 0.75 } ]");
    const std::string two_coordinators =
        edited(two_needs, "staff = [ { role = \"coordinator\", count = 1, hours_per_day = 1 } ]",
               "staff = [ { role = \"coordinator\", count = 1, hours_per_day = 1 }, { role = "
               "\"coordinator\", count = 1, hours_per_day = 1 } ]");
    for (const std::string& text : {two_needs, two_coordinators}) {
        const trial::Scenario scenario = test::load_text(text);
        test::Capture capture;
        trial::World world{scenario, 1, 0, capture};
        trial::SiteState& site = world.sites.front();
        const trial::Booking b = trial::book_visit(site, scenario.protocol.visits[0],
                                                   trial::DayWindow{0, 11, 10, 14, 18});
        if (site.staff.size() == 1) {
            CHECK_FALSE(b.found);
            CHECK(b.cause() == trial::Cause::staff);
        } else {
            REQUIRE(b.found);
            CHECK(b.local_day == 11);
            CHECK(site.staff[0].booked_hours(11) == 0.75);
            CHECK(site.staff[1].booked_hours(11) == 0.75);
        }
    }
}

TEST_CASE("a visit with more needs than are kept inline books as one with few", "[booking]") {
    // A visit whose needs each have one group of their own is booked from the needs kept in
    // its resources' first cache line (VisitResources::direct_needs), up to max_direct_needs
    // of them; beyond that through the general search. Both must book alike.
    for (const std::size_t needs :
         {trial::VisitResources::max_direct_needs - 1, trial::VisitResources::max_direct_needs,
          trial::VisitResources::max_direct_needs + 1}) {
        std::string groups, wanted;
        for (std::size_t k = 0; k < needs; ++k) {
            const std::string role = "role" + std::to_string(k);
            if (k > 0) {
                groups += ", ";
                wanted += ", ";
            }
            groups += "{ role = \"" + role + "\", count = 1, hours_per_day = 1 }";
            wanted += "{ role = \"" + role + "\", hours = 1 }";
        }
        std::string text = edited(
            one_slot_site, "staff = [ { role = \"coordinator\", count = 1, hours_per_day = 1 } ]",
            "staff = [ " + groups + " ]");
        text = edited(text, "staff = [ { role = \"coordinator\", hours = 1 } ]",
                      "staff = [ " + wanted + " ]");
        const trial::Scenario scenario = test::load_text(text);
        test::Capture capture;
        trial::World world{scenario, 1, 0, capture};
        trial::SiteState& site = world.sites.front();
        const trial::VisitSpec& visit = scenario.protocol.visits[0];
        const trial::DayWindow window{0, 11, 10, 14, 18};
        const trial::Booking first = trial::book_visit(site, visit, window);
        CHECK(site.booking_index.resources_for(site, visit).direct ==
              (needs <= trial::VisitResources::max_direct_needs));
        REQUIRE(first.found);
        CHECK(first.local_day == 11);
        const trial::Booking second = trial::book_visit(site, visit, window);
        REQUIRE(second.found);
        CHECK(second.local_day == 14);      // Friday 11 full, then the weekend
        CHECK(second.short_of_staff == 1);  // Friday 11
        CHECK(second.closed_days == 2);     // the weekend
        for (std::size_t g = 0; g < needs; ++g) {
            CHECK(site.staff[g].booked_hours(11) == 1.0);
            CHECK(site.staff[g].booked_hours(14) == 1.0);
        }
    }
}

TEST_CASE("staff time adds up exactly: three visits of 0.1 h fill a 0.3 h day", "[booking]") {
    // In hours as doubles 0.1 + 0.1 + 0.1 is 0.30000000000000004: the diaries count seconds.
    const std::string tenth = edited(edited(one_slot_site, "hours = 1 } ]", "hours = 0.1 } ]"),
                                     "hours_per_day = 1 }", "hours_per_day = 0.3 }");
    const trial::Scenario scenario = test::load_text(tenth);
    test::Capture capture;
    trial::World world{scenario, 1, 0, capture};
    trial::SiteState& site = world.sites.front();
    const trial::DayWindow window{0, 11, 10, 14, 18};
    for (int i = 0; i < 3; ++i) {
        const trial::Booking b = trial::book_visit(site, scenario.protocol.visits[0], window);
        REQUIRE(b.found);
        CHECK(b.local_day == 11);
    }
    CHECK(site.staff[0].booked_hours(11) == 0.3);
    const trial::Booking fourth = trial::book_visit(site, scenario.protocol.visits[0], window);
    REQUIRE(fourth.found);
    CHECK(fourth.local_day == 14);
    CHECK(site.staff[0].booked_hours(14) == 0.1);
}

namespace {

// Two coordinator groups and a nurse (one of the coordinators holds a credential), two CT
// scanners (one with maintenance), and visits of one to three needs, some served by several
// groups and some twice by the same group.
const std::string busy_site =
    one_site + R"(staff = [ { role = "coordinator", count = 1, hours_per_day = 3 },
          { role = "coordinator", count = 2, hours_per_day = 1.5, credentials = ["oncology"] },
          { role = "nurse", count = 1, hours_per_day = 2.5 } ]
equipment = [ { kind = "CT", slots_per_day = 2, maintenance_every_days = 20, maintenance_duration_days = 3, maintenance_first_day = 5 },
              { kind = "CT", slots_per_day = 1 } ]
[protocol.screening]
[[protocol.visits]]
name = "clinic"
day = 10
staff = [ { role = "coordinator", hours = 1.25 } ]
[[protocol.visits]]
name = "specialist"
day = 10
staff = [ { role = "coordinator", hours = 0.75, credential = "oncology" }, { role = "nurse", hours = 0.5 } ]
[[protocol.visits]]
name = "double"
day = 10
staff = [ { role = "coordinator", hours = 1 }, { role = "coordinator", hours = 1 } ]
[[protocol.visits]]
name = "scan"
day = 10
staff = [ { role = "nurse", hours = 0.25 } ]
equipment = [ { kind = "CT" } ]
[[protocol.visits]]
name = "two scans"
day = 10
equipment = [ { kind = "CT" }, { kind = "CT" } ]
)";

// The booking rules written out plainly, on a copy of the diaries: days from the target to the
// window's end, then back to its start, then late to the tolerance; working days only; a
// staff need goes to the candidate group with the most time left (> 0, first of equals), a
// machine need to the first candidate with the slots, needs of one visit adding up.
struct ReferenceSite {
    const trial::SiteState& site;
    std::vector<std::map<int, std::int64_t>> seconds;  // by group, by day
    std::vector<std::map<int, int>> slots;             // by machine, by day

    explicit ReferenceSite(const trial::SiteState& s)
        : site(s), seconds(s.staff.size()), slots(s.equipment.size()) {}

    std::optional<int> book(trial::SiteState& live, const trial::VisitSpec& visit,
                            const trial::DayWindow& w) {
        std::vector<int> days;
        for (int d = std::max(w.target, w.earliest); d <= w.last; ++d)
            days.push_back(d);
        for (int d = std::min(w.target, w.last + 1) - 1; d >= w.first && d >= w.earliest; --d)
            days.push_back(d);
        for (int d = std::max(w.last + 1, w.earliest); d <= w.latest; ++d)
            days.push_back(d);
        for (int day : days) {
            if (!site.calendar.is_working_day(day)) continue;
            std::vector<std::pair<int, std::int64_t>> staff;  // (group, seconds)
            bool ok = true;
            for (const trial::StaffNeed& need : visit.staff) {
                const std::int64_t want = trial::staff_seconds(need.hours);
                int best = -1;
                std::int64_t best_free = 0;
                for (std::size_t g = 0; g < site.staff.size(); ++g) {
                    if (site.staff[g].spec->role != need.role ||
                        !site.staff[g].has_credential(need.credential))
                        continue;
                    std::int64_t free = site.staff[g].seconds_per_day() - seconds[g][day];
                    for (const auto& [taken, s] : staff)
                        free -= taken == static_cast<int>(g) ? s : 0;
                    if (free >= want && free > best_free) {
                        best = static_cast<int>(g);
                        best_free = free;
                    }
                }
                if (best < 0) {
                    ok = false;
                    break;
                }
                staff.emplace_back(best, want);
            }
            std::vector<std::pair<int, int>> machines;  // (machine, slots)
            for (const trial::EquipmentNeed& need : visit.equipment) {
                if (!ok) break;
                int chosen = -1;
                for (std::size_t m = 0; m < site.equipment.size() && chosen < 0; ++m) {
                    if (live.equipment[m].kind() != need.kind) continue;
                    int free = live.equipment[m].downtime(day) == trial::Downtime::none
                                   ? live.equipment[m].slots_per_day() - slots[m][day]
                                   : 0;
                    for (const auto& [taken, s] : machines)
                        free -= taken == static_cast<int>(m) ? s : 0;
                    if (free >= need.slots) chosen = static_cast<int>(m);
                }
                if (chosen < 0)
                    ok = false;
                else
                    machines.emplace_back(chosen, need.slots);
            }
            if (!ok) continue;
            for (const auto& [g, s] : staff)
                seconds[g][day] += s;
            for (const auto& [m, s] : machines)
                slots[m][day] += s;
            return day;
        }
        return std::nullopt;
    }
};

}  // namespace

TEST_CASE("bookings follow the rules written out plainly, over many random visits and windows",
          "[booking][window]") {
    const trial::Scenario scenario = test::load_text(busy_site);
    test::Capture capture;
    trial::World world{scenario, 1, 0, capture};
    trial::SiteState& site = world.sites.front();
    ReferenceSite reference(site);
    sim::Rng rng(99);
    int found = 0, missed = 0, moved = 0;
    for (int n = 0; n < 3000; ++n) {
        const auto& visit =
            scenario.protocol.visits[static_cast<std::size_t>(rng.uniform01() * 5) % 5];
        const int today = static_cast<int>(rng.uniform01() * 400);
        const int target = today + static_cast<int>(rng.uniform01() * 12) - 2;
        const int before = static_cast<int>(rng.uniform01() * 4);
        const int after = static_cast<int>(rng.uniform01() * 4);
        const trial::DayWindow window{today, target, target - before, target + after,
                                      target + after + static_cast<int>(rng.uniform01() * 5)};
        const std::optional<int> want = reference.book(site, visit, window);
        const trial::Booking got = trial::book_visit(site, visit, window);
        REQUIRE(got.found == want.has_value());
        if (got.found) {
            REQUIRE(got.local_day == *want);
            ++found;
            moved += got.local_day != std::max(target, today);
        } else {
            ++missed;
        }
    }
    // The diaries agree day by day at the end, too.
    for (std::size_t g = 0; g < site.staff.size(); ++g) {
        for (int day = 0; day < 440; ++day)
            CHECK(site.staff[g].booked_seconds.booked(day) == reference.seconds[g][day]);
    }
    for (std::size_t m = 0; m < site.equipment.size(); ++m) {
        for (int day = 0; day < 440; ++day)
            CHECK(site.equipment[m].slots().booked(day) == reference.slots[m][day]);
    }
    // Every way a booking can go happened: on the day wanted, moved in the window, missed.
    INFO("found " << found << ", moved " << moved << ", missed " << missed);
    CHECK(found > 1000);
    CHECK(moved > 300);
    CHECK(missed > 100);
}
