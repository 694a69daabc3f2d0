// Single mechanisms, each run end to end on a minimal bundled scenario.

#include <catch2/catch.hpp>
#include <cmath>
#include <map>

#include "models/stats/running_stats.hpp"
#include "models/trial/trial.hpp"
#include "tests/models/capture.hpp"

TEST_CASE("a stock-out delays the dosing visit and records the deviation", "[supply][stock-out]") {
    const trial::Scenario scenario = test::load_bundled("minimal/stock_out.toml");
    test::Capture capture;
    const trial::ReplicationSummary s = trial::run_replication(scenario, 3, 0, &capture);
    REQUIRE(s.randomised == 1);
    REQUIRE(capture.visits.size() == 1 + 4);  // screening + 4 doses
    CHECK(s.stock_outs == 4);
    // The site holds one kit at most and resupply takes 10 days: the first kit is ordered at
    // activation (day 0), each later one when the previous is dispensed, so doses fall on
    // days 10, 20, 30, 40, each past its window.
    for (int dose = 0; dose < 4; ++dose) {
        const auto& visit = capture.visits[1 + dose];
        CHECK(visit.day == Approx(10.0 * (dose + 1)));
        CHECK(visit.day > visit.target_day + 1.0);
    }
    REQUIRE(capture.deviations.size() == 4);
    for (const auto& d : capture.deviations) {
        CHECK(d.kind == trial::DeviationKind::late);
        CHECK(d.cause == trial::Cause::kit);
    }
    CHECK(s.kits_dispensed == 4);
    CHECK(s.cost[int(trial::CostCategory::kits_used)] == Approx(400));
}

TEST_CASE("a CRA travels to initiate sites one after the other", "[cra]") {
    const trial::Scenario scenario = test::load_bundled("minimal/cra_travel.toml");
    test::Capture capture;
    const trial::ReplicationSummary s = trial::run_replication(scenario, 3, 0, &capture);
    REQUIRE(capture.activations.size() == 2);
    CHECK(capture.activations[0] == std::pair<int, double>{0, 3.0});  // 2 travel + 1 visit
    CHECK(capture.activations[1] == std::pair<int, double>{1, 8.0});  // after 2 days home
    // Routine monitoring every 10 days from activation, each trip 2 + 1 + 2 days, one CRA:
    // site A at 13 (back 18)... site B's visit at 18 waits for the CRA.
    REQUIRE(capture.monitoring.size() >= 2);
    CHECK(capture.monitoring[0] == std::pair<int, double>{0, 16.0});
    CHECK(capture.monitoring[1] == std::pair<int, double>{1, 21.0});
    // Initiation: 2 trips of 5 days at 500/day + 300 travel each; then monitoring trips.
    CHECK(s.cost[int(trial::CostCategory::monitoring)] >= 2 * (5 * 500 + 300));
    REQUIRE(s.cra_utilisation.size() == 1);
    CHECK(s.cra_utilisation[0] > 0.5);
}

TEST_CASE("scans slip around maintenance and lapsed calibration", "[equipment]") {
    const trial::Scenario scenario = test::load_bundled("minimal/maintenance.toml");
    int on_down_days = 0, scans = 0;
    for (int r = 0; r < 20; ++r) {
        test::Capture capture;
        const trial::ReplicationSummary s = trial::run_replication(scenario, 5, r, &capture);
        for (const auto& v : capture.visits) {
            if (v.ref.visit < 0) continue;
            ++scans;
            const int day = static_cast<int>(std::floor(v.day));
            const bool maintenance = day >= 10 && (day - 10) % 30 < 5;
            const bool calibration = day >= 45 && (day % 48) >= 45;  // lapses 45-47, 93-95, ...
            on_down_days += maintenance || calibration;
        }
        CHECK(s.deviations_by_cause(trial::Cause::equipment) > 0);
    }
    CHECK(scans > 1000);
    CHECK(on_down_days == 0);
}

TEST_CASE("dropout cancels the pending visits", "[dropout]") {
    const trial::Scenario scenario = test::load_bundled("minimal/dropout.toml");
    stats::RunningStats dropped_share;
    for (int r = 0; r < 50; ++r) {
        test::Capture capture;
        const trial::ReplicationSummary s = trial::run_replication(scenario, 9, r, &capture);
        REQUIRE(s.dropped_out + s.completed == s.randomised);
        std::map<std::pair<int, int>, double> dropped_at;
        for (const auto& [p, day] : capture.dropouts)
            dropped_at[{p.site, p.patient}] = day;
        for (const auto& v : capture.visits) {
            const auto it = dropped_at.find({v.ref.site, v.ref.patient});
            if (it != dropped_at.end()) CHECK(v.day <= it->second);  // nothing after dropout
        }
        int completers_with_all_visits = 0;
        std::map<std::pair<int, int>, int> visits_per_patient;
        for (const auto& v : capture.visits) {
            if (v.ref.visit >= 0) ++visits_per_patient[{v.ref.site, v.ref.patient}];
        }
        for (const auto& [p, day] : capture.completions) {
            completers_with_all_visits += visits_per_patient[{p.site, p.patient}] == 10;
        }
        CHECK(completers_with_all_visits == s.completed);
        dropped_share.add(double(s.dropped_out) / s.randomised);
    }
    // Last visit at day 300 after randomisation: P(dropout first) = 1 − exp(−0.5 · 300/365.25).
    const double expected = 1.0 - std::exp(-0.5 * 300.0 / 365.25);
    INFO("dropped " << dropped_share.mean() << " ± " << dropped_share.standard_error()
                    << ", theory " << expected);
    CHECK(std::abs(dropped_share.mean() - expected) <= 3 * dropped_share.standard_error());
}

TEST_CASE("same seed and replication give the same trial; another replication differs",
          "[reproducibility]") {
    const trial::Scenario scenario = test::load_bundled("demo_small.toml");
    const trial::ReplicationSummary a = trial::run_replication(scenario, 42, 7);
    const trial::ReplicationSummary b = trial::run_replication(scenario, 42, 7);
    const trial::ReplicationSummary c = trial::run_replication(scenario, 42, 8);
    CHECK(a.target_met_day == b.target_met_day);
    CHECK(a.last_patient_last_visit_day == b.last_patient_last_visit_day);
    CHECK(a.cost == b.cost);
    CHECK(a.deviations == b.deviations);
    CHECK(a.staff_utilisation.size() == b.staff_utilisation.size());
    CHECK(a.randomised_by_week == b.randomised_by_week);
    CHECK(a.target_met_day != c.target_met_day);
}

TEST_CASE("the demo trial reports every part of its summary", "[summary]") {
    const trial::Scenario scenario = test::load_bundled("demo_small.toml");
    const trial::ReplicationSummary s = trial::run_replication(scenario, 1, 0);
    CHECK(s.randomised >= scenario.trial.randomisation_target);
    CHECK(s.first_patient_in_day > 0);
    CHECK(s.target_met_day > s.first_patient_in_day);
    CHECK(s.last_patient_last_visit_day > s.target_met_day);
    CHECK(s.screened == s.arrived - s.not_screened);
    CHECK(s.completed + s.dropped_out == s.randomised);
    CHECK(s.visits_done > s.randomised * 5);
    REQUIRE(s.sites.size() == 4);
    for (const auto& site : s.sites)
        CHECK(site.activation_day > site.approval_day);
    CHECK(s.weeks * 7 > s.last_patient_last_visit_day);
    CHECK(s.randomised_by_week.back() == s.randomised);
    CHECK(s.site_randomised_by_week[0].back() == s.sites[0].randomised);
    CHECK(s.cost[int(trial::CostCategory::site_staff)] > 0);
    CHECK(s.cost[int(trial::CostCategory::site_fees)] == Approx(2 * 12000 + 2 * 8000));
    CHECK(s.kits_dispensed > 0);
    CHECK(s.monitoring_visits > 0);
    bool some_utilisation = false;
    for (const auto& weeks : s.staff_utilisation) {
        for (float u : weeks) {
            if (!std::isnan(u)) {
                some_utilisation = true;
                CHECK(u >= 0.0f);
                CHECK(u <= 1.0f + 1e-6f);
            }
        }
    }
    CHECK(some_utilisation);
}

TEST_CASE("a replication's result does not depend on what ran before it", "[reproducibility]") {
    // The reference trial has 12 countries: enough to spread the model's containers over
    // several allocations, where anything keyed by an address instead of an index would show.
    const trial::Scenario scenario = test::load_bundled("oncology_ph3_50sites.toml");
    std::vector<trial::ReplicationSummary> forward;
    for (int r = 0; r < 4; ++r)
        forward.push_back(trial::run_replication(scenario, 3, r));
    for (int r = 3; r >= 0; --r) {
        const trial::ReplicationSummary again = trial::run_replication(scenario, 3, r);
        CHECK(again.target_met_day == forward[r].target_met_day);
        CHECK(again.cost == forward[r].cost);
        CHECK(again.deviations == forward[r].deviations);
        for (std::size_t s = 0; s < again.sites.size(); ++s) {
            CHECK(again.sites[s].approval_day == forward[r].sites[s].approval_day);
        }
    }
}
