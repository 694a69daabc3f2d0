#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <vector>

#include "models/trial/day_ledger.hpp"
#include "models/trial/equipment.hpp"
#include "models/trial/kit_stock.hpp"
#include "models/trial/sample_delay.hpp"
#include "sim/random.hpp"

TEST_CASE("calibration expiry takes a machine out of use until it is recalibrated",
          "[equipment][calibration]") {
    trial::EquipmentSpec spec;
    spec.kind = "lab analyser";
    spec.slots_per_day = 10;
    spec.calibration_valid_days = 100;
    spec.recalibration_days = trial::Delay::fixed(5);
    trial::SiteDiary diary_of_analyser;
    trial::Equipment analyser(spec, sim::Rng(1), diary_of_analyser);
    CHECK(analyser.downtime(99) == trial::Downtime::none);
    for (int day = 100; day < 105; ++day) {
        CHECK(analyser.downtime(day) == trial::Downtime::calibration);
        CHECK(analyser.free_slots(day) == 0);
    }
    CHECK(analyser.downtime(105) == trial::Downtime::none);
    CHECK(analyser.downtime(204) == trial::Downtime::none);  // recalibrated on day 105
    CHECK(analyser.downtime(205) == trial::Downtime::calibration);
    CHECK(analyser.downtime(150) == trial::Downtime::none);  // asking out of order is fine
    CHECK(analyser.free_slots(150) == 10);
}

TEST_CASE("kits leave first-expiry-first-out and expired kits are waste", "[supply]") {
    trial::KitStock stock;
    stock.add({5, 300});
    stock.add({3, 100});
    stock.add({2, 300});  // merges with the lot of the same expiry
    CHECK(stock.total() == 10);
    CHECK(stock.usable(150) == 7);
    const std::vector<trial::Lot> taken = stock.take(4, 0);
    REQUIRE(taken.size() == 2);
    CHECK(taken[0].kits == 3);
    CHECK(taken[0].expiry_day == 100);
    CHECK(taken[1].kits == 1);
    CHECK(taken[1].expiry_day == 300);
    // Kits expiring before a shipment could use them are not taken.
    CHECK(stock.take(2, 300).empty());
    CHECK(stock.remove_expired(299) == 0);
    CHECK(stock.remove_expired(300) == 6);
    CHECK(stock.total() == 0);
}

TEST_CASE("kit stock's running total agrees with its lots through any mix of changes", "[supply]") {
    // The stock keeps its total as lots come and go, and answers usable() from it when nothing
    // has expired; checked against sums over a plain list of lots, on days before and after
    // expiries that have not been removed yet.
    sim::Rng rng = sim::stream(7, 0, "kit stock test");
    trial::KitStock stock;
    std::vector<trial::Lot> lots;  // the same stock, kept naively
    auto usable = [&](double day) {
        int kits = 0;
        for (const trial::Lot& lot : lots)
            kits += lot.expiry_day > day ? lot.kits : 0;
        return kits;
    };
    auto take = [&](int kits, double not_before) {  // earliest expiry first, as the stock does
        std::sort(lots.begin(), lots.end(), [](const trial::Lot& a, const trial::Lot& b) {
            return a.expiry_day < b.expiry_day;
        });
        int took = 0;
        for (trial::Lot& lot : lots) {
            if (lot.expiry_day <= not_before) continue;
            const int n = std::min(kits - took, lot.kits);
            lot.kits -= n;
            took += n;
        }
        return took;
    };
    double today = 0;
    int checks = 0;
    for (int step = 0; step < 2000; ++step) {
        today += 2 * rng.uniform01();
        const double u = rng.uniform01();
        if (u < 0.35) {
            const trial::Lot lot{1 + static_cast<int>(20 * rng.uniform01()),
                                 std::floor(today + 5 + 60 * rng.uniform01())};
            stock.add(lot);
            lots.push_back(lot);
        } else if (u < 0.6) {
            const int kits = 1 + static_cast<int>(6 * rng.uniform01());
            CHECK(stock.dispense(kits, today) == take(kits, today));
        } else if (u < 0.75) {
            const int kits = 1 + static_cast<int>(30 * rng.uniform01());
            const double not_before = today + 10;
            int taken = 0;
            for (const trial::Lot& lot : stock.take(kits, not_before))
                taken += lot.kits;
            CHECK(taken == take(kits, not_before));
        } else if (u < 0.85) {
            const int expired = usable(-1) - usable(today);
            CHECK(stock.remove_expired(today) == expired);
            std::erase_if(lots, [&](const trial::Lot& lot) { return lot.expiry_day <= today; });
        }
        CHECK(stock.total() == usable(-1));
        for (const double day : {today, today + 7, today + 30}) {
            CHECK(stock.usable(day) == usable(day));
            ++checks;
        }
    }
    CHECK(checks == 6000);
}

namespace {

// The definition, day by day: planned maintenance by its cycle, else a lapse of calibration
// (lapses drawn in order from the machine's stream: valid for calibration_valid_days, then out
// for a recalibration delay). Equipment works these out by windows and must agree on every day.
std::vector<trial::Downtime> downtime_by_definition(const trial::EquipmentSpec& spec, sim::Rng rng,
                                                    int days) {
    std::vector<std::pair<double, double>> lapses;
    if (spec.calibration_valid_days > 0) {
        double until = spec.calibration_valid_days;
        while (until <= days + 64) {
            const double back = until + trial::sample(spec.recalibration_days, rng);
            lapses.push_back({until, back});
            until = back + spec.calibration_valid_days;
        }
    }
    std::vector<trial::Downtime> out(days, trial::Downtime::none);
    for (int day = 0; day < days; ++day) {
        const double every = spec.maintenance_every_days;
        if (every > 0 && day >= spec.maintenance_first_day) {
            const double since = day - spec.maintenance_first_day;
            if (since - every * std::floor(since / every) < spec.maintenance_duration_days) {
                out[day] = trial::Downtime::maintenance;
                continue;
            }
        }
        for (const auto& [lapsed, back] : lapses) {
            if (lapsed <= day && day < back) out[day] = trial::Downtime::calibration;
        }
    }
    return out;
}

}  // namespace

TEST_CASE("downtime worked out by windows agrees with the day-by-day definition",
          "[equipment][calibration]") {
    trial::EquipmentSpec spec;
    spec.kind = "CT";
    spec.slots_per_day = 2;
    const int days = 3000;
    struct Case {
        double every, duration, first, valid;
        trial::Delay recalibration;
    };
    trial::Delay lognormal;
    lognormal.kind = trial::Delay::Kind::lognormal;
    lognormal.median_days = 2;
    lognormal.sigma = 0.5;
    const std::vector<Case> cases = {
        {91, 1, 69, 182, lognormal},              // the reference trial's CT
        {30.5, 1.5, 7.25, 45.5, lognormal},       // fractional cycles, windows and lapses
        {7, 2, 0, 0, trial::Delay::fixed(0)},     // maintenance only, from day 0
        {0, 0, 0, 20, trial::Delay::fixed(3.5)},  // calibration only
        {5, 5, 10, 12, lognormal},                // a window as long as its cycle: down for good
        {1000, 10, -50, 300, lognormal},          // first window before day 0
    };
    for (std::size_t c = 0; c < cases.size(); ++c) {
        spec.maintenance_every_days = cases[c].every;
        spec.maintenance_duration_days = cases[c].duration;
        spec.maintenance_first_day = cases[c].first;
        spec.calibration_valid_days = cases[c].valid;
        spec.recalibration_days = cases[c].recalibration;
        const std::vector<trial::Downtime> expected =
            downtime_by_definition(spec, sim::Rng(c), days);
        // Asked in increasing order, and with jumps ahead and back, as booking asks.
        trial::SiteDiary diary_of_in_order;
        trial::Equipment in_order(spec, sim::Rng(c), diary_of_in_order);
        trial::SiteDiary diary_of_jumping;
        trial::Equipment jumping(spec, sim::Rng(c), diary_of_jumping);
        int mismatches = 0, down = 0;
        for (int day = 0; day < days; ++day) {
            mismatches += in_order.downtime(day) != expected[day];
            down += expected[day] != trial::Downtime::none;
        }
        for (int day : {2500, 10, 900, 901, 2999, 0, 1500, 64, 63, 128})
            mismatches += jumping.downtime(day) != expected[day];
        INFO("case " << c << ": " << down << " days down");
        CHECK(mismatches == 0);
        CHECK(down > 0);
    }
}

TEST_CASE("a diary's weekly sums are the sums of its days, over any span of days",
          "[booking][ledger]") {
    // Random diaries, and every way a span can start and end relative to week boundaries and
    // the grid's last week: inside it, on it, before the first booked day, past the last.
    sim::Rng rng(17);
    int spans = 0;
    for (int trial_diary = 0; trial_diary < 40; ++trial_diary) {
        trial::SiteDiary site;
        trial::DayLedger other(site);  // a diary with a neighbour: its days are every other cell
        trial::DayLedger diary(site);
        other.book(0, 1);
        const int days = 1 + static_cast<int>(rng.uniform01() * 200);
        std::vector<std::int64_t> by_day(days + 1, 0);
        for (int b = 0; b < 300; ++b) {
            const int day = static_cast<int>(rng.uniform01() * days);
            const std::int32_t amount = 1 + static_cast<std::int32_t>(rng.uniform01() * 7200);
            diary.book(day, amount);
            by_day[day] += amount;
        }
        for (int n = 0; n < 60; ++n) {
            const int first = static_cast<int>(rng.uniform01() * (days + 20)) - 10;
            const int last = first + static_cast<int>(rng.uniform01() * (days + 20)) - 5;
            const int weeks = 1 + static_cast<int>(rng.uniform01() * (days / 7 + 4));
            std::vector<std::int64_t> got(weeks, 5), want(weeks, 5);  // adds to what is there
            diary.add_by_week(first, last, got);
            for (int day = std::max(first, 0); day <= last && day < days; ++day)
                want[std::min(day / 7, weeks - 1)] += by_day[day];
            INFO("first " << first << " last " << last << " weeks " << weeks << " days " << days);
            CHECK(got == want);
            ++spans;
        }
    }
    CHECK(spans == 2400);
}

TEST_CASE("a machine's down days, listed at once, are the days it reports down one by one",
          "[equipment][calibration]") {
    trial::EquipmentSpec spec;
    spec.kind = "CT scanner";
    spec.slots_per_day = 4;
    spec.calibration_valid_days = 45;
    spec.recalibration_days = trial::Delay::fixed(3.5);
    spec.maintenance_every_days = 30;
    spec.maintenance_first_day = 12;
    spec.maintenance_duration_days = 1.5;
    for (const auto& [from, to] : {std::pair{0, 400}, std::pair{-5, 3}, std::pair{37, 38},
                                   std::pair{101, 250}, std::pair{5, 4}, std::pair{-9, -1}}) {
        trial::SiteDiary diary_of_listed;
        trial::Equipment listed(spec, sim::Rng(3), diary_of_listed);
        trial::SiteDiary diary_of_asked;
        trial::Equipment asked(spec, sim::Rng(3), diary_of_asked);
        std::vector<int> got, want;
        listed.for_each_down_day(from, to, [&](int day) { got.push_back(day); });
        for (int day = from; day <= to; ++day) {
            if (asked.downtime(day) != trial::Downtime::none) want.push_back(day);
        }
        CHECK(got == want);
        if (to - from > 100) CHECK(want.size() > 10);  // maintenance and lapses both show
    }
}
