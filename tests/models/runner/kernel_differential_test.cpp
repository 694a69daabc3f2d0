// The differential test between the kernels: the same replications run on the native kernel
// and on SimGrid must agree bit for bit — every per-replication summary value, every weekly
// series, every site's row, and the full event log, event by event in order. It guards both
// against event-ordering bugs in either kernel and against model code that leans on something
// only one kernel does.

#include <bit>
#include <catch2/catch.hpp>
#include <cstdint>
#include <sstream>
#include <string>
#include <vector>

#include "models/runner/metrics.hpp"
#include "models/trial/event_log.hpp"
#include "models/trial/trial.hpp"
#include "tests/models/capture.hpp"

namespace {

// A replication written out as numbers: doubles by their bits, so that NaN equals NaN and a
// last-bit difference shows.
struct Fingerprint {
    std::vector<std::uint64_t> values;
    std::vector<std::string> names;

    void add(const std::string& name, double v) {
        values.push_back(std::bit_cast<std::uint64_t>(v));
        names.push_back(name);
    }
    template <class T>
    void add_all(const std::string& name, const std::vector<T>& series) {
        add(name + ".size", static_cast<double>(series.size()));
        for (std::size_t i = 0; i < series.size(); ++i)
            add(name + "[" + std::to_string(i) + "]", static_cast<double>(series[i]));
    }
    template <class T>
    void add_grid(const std::string& name, const std::vector<std::vector<T>>& grid) {
        add(name + ".rows", static_cast<double>(grid.size()));
        for (std::size_t i = 0; i < grid.size(); ++i)
            add_all(name + "[" + std::to_string(i) + "]", grid[i]);
    }
};

Fingerprint fingerprint(const trial::Scenario& scenario, const trial::ReplicationSummary& s) {
    Fingerprint f;
    for (const trial::MetricDefinition& m : trial::metric_definitions(scenario))
        f.add(m.key, m.of(s));
    for (std::size_t c = 0; c < s.cost.size(); ++c)
        f.add("cost[" + std::to_string(c) + "]", s.cost[c]);
    for (std::size_t k = 0; k < s.deviations.size(); ++k) {
        for (std::size_t c = 0; c < s.deviations[k].size(); ++c)
            f.add("deviations[" + std::to_string(k) + "][" + std::to_string(c) + "]",
                  s.deviations[k][c]);
    }
    for (std::size_t e = 0; e < s.events_by_week.size(); ++e)
        f.add_grid("events_by_week[" + std::to_string(e) + "]", s.events_by_week[e]);
    for (std::size_t a = 0; a < s.analyses.size(); ++a) {
        f.add_all("analyses[" + std::to_string(a) + "].events", s.analyses[a].events_by_arm);
        f.add_all("analyses[" + std::to_string(a) + "].at_risk", s.analyses[a].at_risk_by_arm);
    }
    f.add("kits_left", s.kits_left);
    f.add("shipments", s.shipments);
    f.add("monitoring_visits", s.monitoring_visits);
    for (std::size_t i = 0; i < s.sites.size(); ++i) {
        const trial::SiteSummary& site = s.sites[i];
        const std::string n = "sites[" + std::to_string(i) + "].";
        f.add(n + "opened", site.opened);
        f.add(n + "approval_day", site.approval_day);
        f.add(n + "activation_day", site.activation_day);
        f.add(n + "recruitment_end_day", site.recruitment_end_day);
        f.add(n + "last_activity_day", site.last_activity_day);
        f.add(n + "recruitment_rate_per_day", site.recruitment_rate_per_day);
        f.add(n + "arrived", site.arrived);
        f.add(n + "screened", site.screened);
        f.add(n + "randomised", site.randomised);
        f.add(n + "stock_outs", site.stock_outs);
        f.add(n + "deviations", site.deviations);
    }
    for (std::size_t i = 0; i < s.anomalies.size(); ++i) {
        const std::string n = "anomalies[" + std::to_string(i) + "].";
        f.add(n + "day", s.anomalies[i].day);
        f.add(n + "site", s.anomalies[i].site);
        f.add(n + "kind", static_cast<double>(s.anomalies[i].kind));
        f.add(n + "value", s.anomalies[i].value);
    }
    f.add_all("cra_utilisation", s.cra_utilisation);
    f.add("weeks", s.weeks);
    f.add_all("randomised_by_week", s.randomised_by_week);
    f.add_grid("site_randomised_by_week", s.site_randomised_by_week);
    f.add_grid("staff_utilisation", s.staff_utilisation);
    f.add_grid("equipment_utilisation", s.equipment_utilisation);
    f.add_grid("kits_on_hand", s.kits_on_hand);
    f.add_grid("equipment_down", s.equipment_down);
    f.add_grid("site_stock_outs_by_week", s.site_stock_outs_by_week);
    f.add_grid("site_deviations_by_week", s.site_deviations_by_week);
    f.add_grid("site_equipment_conflicts_by_week", s.site_equipment_conflicts_by_week);
    return f;
}

std::string describe(const trial::Event& e) {
    std::ostringstream out;
    out.precision(17);
    out << "day " << e.day << " " << trial::name_of(static_cast<trial::EventKind>(e.kind))
        << " site " << e.site << " patient " << e.patient << " visit " << e.visit << " detail "
        << e.detail << " value " << e.value;
    return out.str();
}

bool same(const trial::Event& a, const trial::Event& b) {
    return std::bit_cast<std::uint64_t>(a.day) == std::bit_cast<std::uint64_t>(b.day) &&
           a.kind == b.kind && a.site == b.site && a.patient == b.patient && a.visit == b.visit &&
           a.detail == b.detail &&
           std::bit_cast<std::uint64_t>(a.value) == std::bit_cast<std::uint64_t>(b.value);
}

// Runs replications 0..n-1 on both kernels and checks that they agree; returns the events
// compared, so that a test can make sure there was something to compare.
std::size_t check_kernels_agree(const trial::Scenario& scenario, int replications,
                                std::uint64_t seed) {
    std::size_t events = 0;
    for (int r = 0; r < replications; ++r) {
        INFO("replication " << r);
        trial::EventLog native_log, simgrid_log;
        const trial::ReplicationSummary native =
            trial::run_replication(scenario, seed, r, &native_log, nullptr, sim::Kernel::native);
        const trial::ReplicationSummary simgrid =
            trial::run_replication(scenario, seed, r, &simgrid_log, nullptr, sim::Kernel::simgrid);

        const Fingerprint a = fingerprint(scenario, native);
        const Fingerprint b = fingerprint(scenario, simgrid);
        REQUIRE(a.names == b.names);
        for (std::size_t i = 0; i < a.values.size(); ++i) {
            if (a.values[i] != b.values[i]) FAIL_CHECK("summary value differs: " << a.names[i]);
        }

        const auto& x = native_log.events();
        const auto& y = simgrid_log.events();
        CHECK(x.size() == y.size());
        for (std::size_t i = 0; i < std::min(x.size(), y.size()); ++i) {
            if (!same(x[i], y[i])) {
                FAIL("event " << i << " differs: native " << describe(x[i]) << "; simgrid "
                              << describe(y[i]));
            }
        }
        events += x.size();
    }
    return events;
}

}  // namespace

TEST_CASE("kernels agree on demo_small, 50 replications", "[model][kernel][simgrid]") {
    const trial::Scenario scenario = test::load_bundled("demo_small.toml");
    CHECK(check_kernels_agree(scenario, 50, 2027) > 50 * 1000);
}

TEST_CASE("kernels agree when events pile up at equal times, 50 replications",
          "[model][kernel][simgrid]") {
    const trial::Scenario scenario = test::load_bundled("differential/equal_times.toml");
    CHECK(check_kernels_agree(scenario, 50, 11) > 50 * 1000);
}

TEST_CASE("kernels agree through equipment downtime and stock-outs, 50 replications",
          "[model][kernel][simgrid]") {
    const trial::Scenario scenario = test::load_bundled("differential/equipment_and_supply.toml");
    CHECK(check_kernels_agree(scenario, 50, 5) > 50 * 1000);
}

TEST_CASE("kernels agree on the reference trial under the adaptive policy",
          "[model][kernel][simgrid]") {
    trial::Scenario scenario = test::load_bundled("oncology_ph3_50sites.toml");
    scenario.policy.allocation = "adaptive";
    scenario.policy.booking = "window_slack";
    scenario.policy.resupply = "predictive";
    CHECK(check_kernels_agree(scenario, 4, 1) > 4 * 10000);
}

TEST_CASE("kernels agree on the 120-site trial: weekend screening, predictive supply",
          "[model][kernel][simgrid]") {
    // The default screening window that reaches the next working day, deviations of every
    // cause, and predictive levels from the Poisson quantile (issue 25), on 120 sites.
    trial::Scenario scenario = test::load_bundled("cardio_ph3_120sites.toml");
    scenario.policy.allocation = "adaptive";
    scenario.policy.resupply = "predictive";
    CHECK(check_kernels_agree(scenario, 2, 3) > 2 * 50000);
}
