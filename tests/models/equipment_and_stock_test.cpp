#include <catch2/catch.hpp>

#include "models/trial/equipment.hpp"
#include "models/trial/kit_stock.hpp"

TEST_CASE("calibration expiry takes a machine out of use until it is recalibrated",
          "[equipment][calibration]") {
    trial::EquipmentSpec spec;
    spec.kind = "lab analyser";
    spec.slots_per_day = 10;
    spec.calibration_valid_days = 100;
    spec.recalibration_days = trial::Delay::fixed(5);
    trial::Equipment analyser(spec, sim::Rng(1));
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
