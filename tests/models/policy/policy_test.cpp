// Policies and what they do to a running trial: the effort model, the in-trial forecast, the
// anomaly flags, staff moves and their cost, backup sites, booking and resupply rules, and
// the common random numbers that make policy comparisons paired.

#include <array>
#include <boost/math/distributions/gamma.hpp>
#include <catch2/catch.hpp>
#include <cmath>
#include <map>

#include "models/policy/effort_model.hpp"
#include "models/policy/forecast.hpp"
#include "models/policy/registry.hpp"
#include "models/runner/metrics.hpp"
#include "models/stats/running_stats.hpp"
#include "models/trial/event_log.hpp"
#include "models/trial/rules.hpp"
#include "models/trial/trial.hpp"
#include "tests/models/capture.hpp"

namespace {

const char* every_day = R"(working_days = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"])";

// Two sites that start at once, in countries with different coordinator rates: "slow" barely
// recruits, "fast" recruits well. Both are planned at 8 coordinator hours a day.
std::string two_sites(const std::string& policy, double slow_rate = 0.01, double fast_rate = 0.3,
                      const std::string& extra = "") {
    return std::string(R"(
[trial]
name = "two sites"
start_date = 2027-01-04
randomisation_target = 60
plan_target_met_date = 2027-06-01
horizon_days = 600

[recruitment]
rate_shape = 2.0
rate_rate_days = 40.0

[[countries]]
code = "AA"
)") + every_day +
           R"(
approval_days = 0
contracting_days = 0
activation_days = 0
staff_cost_per_hour = { coordinator = 50 }

[[countries]]
code = "BB"
)" + every_day +
           R"(
approval_days = 0
contracting_days = 0
activation_days = 0
staff_cost_per_hour = { coordinator = 100 }

[[sites]]
id = "slow"
country = "AA"
recruitment_rate_per_day = )" +
           std::to_string(slow_rate) + R"(
target_randomised = 30
staff = [ { role = "coordinator", count = 1, hours_per_day = 8 } ]

[[sites]]
id = "fast"
country = "BB"
recruitment_rate_per_day = )" +
           std::to_string(fast_rate) + R"(
target_randomised = 30
staff = [ { role = "coordinator", count = 1, hours_per_day = 8 } ]
)" + extra +
           R"(
[protocol.screening]
staff = [ { role = "coordinator", hours = 1 } ]

[[protocol.visits]]
name = "treatment"
day = 7
every_days = 14
repeat = 4
window_after_days = 3
staff = [ { role = "coordinator", hours = 1 } ]

[policy]
)" + policy +
           "\n";
}

struct Flags final : trial::Recorder {
    struct Flag {
        trial::AnomalyKind kind;
        int site;
        double value, day;
    };
    struct Change {
        int site, group;
        double hours, day;
    };
    std::vector<Flag> flags;
    std::vector<Change> changes;
    std::vector<std::pair<int, double>> opened, activated;
    std::map<int, std::vector<double>> arrivals;  // by site
    void anomaly(trial::AnomalyKind kind, int site, double value, double day) override {
        flags.push_back({kind, site, value, day});
    }
    void staff_changed(int site, int group, double hours, double day) override {
        changes.push_back({site, group, hours, day});
    }
    void backup_site_opened(int site, double day) override { opened.push_back({site, day}); }
    void site_activated(int site, double day) override { activated.push_back({site, day}); }
    void patient_arrived(const trial::VisitRef& p, double day) override {
        arrivals[p.site].push_back(day);
    }
    int count(trial::AnomalyKind kind, int site) const {
        int n = 0;
        for (const Flag& f : flags)
            n += f.kind == kind && f.site == site;
        return n;
    }
};

}  // namespace

TEST_CASE("effort model: the plan is neutral, extra hours bring diminishing returns",
          "[policy][effort]") {
    trial::EffortSpec e;
    e.max_uplift = 0.5;
    e.half_uplift_hours_per_week = 10;
    e.shortfall_elasticity = 1.0;
    CHECK(trial::recruitment_multiplier(e, 40, 40) == 1.0);
    CHECK(trial::recruitment_multiplier(e, 40, 50) == Approx(1.25));  // half the uplift at +10 h
    CHECK(trial::recruitment_multiplier(e, 40, 1e9) == Approx(1.5).epsilon(1e-6));
    const double first = trial::recruitment_multiplier(e, 40, 45) - 1.0;
    const double second = trial::recruitment_multiplier(e, 40, 50) - (1.0 + first);
    CHECK(second < first);                                           // diminishing
    CHECK(trial::recruitment_multiplier(e, 40, 20) == Approx(0.5));  // proportional below plan
    e.shortfall_elasticity = 2.0;
    CHECK(trial::recruitment_multiplier(e, 40, 20) == Approx(0.25));
    CHECK(trial::recruitment_multiplier(e, 0, 20) == 1.0);  // no plan, no effect
}

TEST_CASE("forecast: Poisson-gamma posterior and P(lagging) against the Gamma CDF",
          "[policy][forecast]") {
    const trial::Scenario scenario = test::load_text(two_sites("allocation = \"static\""));
    trial::TrialView view;
    view.scenario = &scenario;
    view.today = 100;
    view.randomised = 10;
    for (int s = 0; s < 2; ++s) {
        trial::SiteView v;
        v.index = s;
        v.spec = &scenario.sites[s];
        v.opened = v.active = v.recruiting = true;
        v.activation_day = 0;
        v.expected_activation_day = 0;
        v.exposure_days = 100;
        v.arrived = s == 0 ? 1 : 30;
        view.sites.push_back(v);
    }
    const trial::TrialForecast f = trial::forecast_trial(view);
    // Posterior Gamma(2 + k, 40 + 100).
    CHECK(f.sites[0].shape == 3);
    CHECK(f.sites[0].rate == 140);
    CHECK(f.sites[1].shape == 32);
    // The plan: 30 randomised (no screen failures) over the 148 days to the plan date.
    const double plan_rate = 30.0 / 148.0;
    CHECK(f.sites[0].plan_arrivals_per_day == Approx(plan_rate));
    const boost::math::gamma_distribution<double> slow(3, 1.0 / 140), fast(32, 1.0 / 140);
    CHECK(f.sites[0].p_lagging == Approx(boost::math::cdf(slow, plan_rate)).epsilon(1e-9));
    CHECK(f.sites[1].p_lagging == Approx(boost::math::cdf(fast, plan_rate)).epsilon(1e-9));
    CHECK(f.sites[0].p_lagging > 0.99);
    CHECK(f.sites[1].p_lagging < 0.8);
    // Expected randomisations by the plan date (day 148): 48 more days at the posterior means.
    CHECK(f.expected_by_plan == Approx(48.0 * (3.0 / 140 + 32.0 / 140)));
    CHECK(f.still_needed == 50);
    CHECK(f.p_meet_plan < 0.01);  // 12 expected, 50 needed
    view.randomised = 60;
    CHECK(trial::forecast_trial(view).p_meet_plan == 1.0);
}

TEST_CASE("the Gamma CDF agrees with Boost for whole and fractional shapes", "[policy]") {
    // Whole shapes take the Erlang closed form; the rest Boost's series. Both must give the
    // CDF to well within what a flag threshold can tell apart.
    double worst = 0;
    for (double shape : {1.0, 2.0, 3.0, 7.0, 20.0, 57.0, 150.0, 200.0, 2.5, 0.7, 201.0}) {
        for (double y : {1e-6, 0.01, 0.3, 1.0, 2.0, 5.5, 19.0, 60.0, 149.0, 250.0, 599.0}) {
            const boost::math::gamma_distribution<double> g(shape, 1.0 / 4.0);
            const double expected = boost::math::cdf(g, y / 4.0);
            const double got = trial::gamma_cdf(shape, 4.0, y / 4.0);
            worst = std::max(worst, std::abs(got - expected));
            CHECK(got >= 0.0);
            CHECK(got <= 1.0);
        }
    }
    CHECK(worst < 1e-13);
    CHECK(trial::gamma_cdf(3.0, 2.0, 0.0) == 0.0);
    // Erlang(2, 1) at 1: 1 - 2/e.
    CHECK(trial::gamma_cdf(2.0, 1.0, 1.0) == Approx(1.0 - 2.0 / std::exp(1.0)).epsilon(1e-14));
}

TEST_CASE("whether the Gamma CDF reaches a threshold is what comparing the CDF finds", "[policy]") {
    // gamma_cdf_reaches answers most questions without the CDF, from where it crosses the
    // threshold; the answer must be the comparison's, bit for bit, also right at the crossing
    // (where the computed CDF may wobble by an ulp) and outside the Erlang case.
    int asked = 0, wrong = 0;
    auto ask = [&](double shape, double rate, double x, double p) {
        ++asked;
        if (trial::gamma_cdf_reaches(shape, rate, x, p) != (trial::gamma_cdf(shape, rate, x) >= p))
            ++wrong;
    };
    const double thresholds[] = {0.8, 0.7, 0.8 - 0.1, 0.5, 0.05, 1e-9, 0.999999, 0.0, 1.0, -0.1};
    for (double p : thresholds) {
        for (int n : {1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 144, 200}) {
            for (double y = 0.0; y < 700.0; y = y < 1 ? y + 0.01 : y * 1.01)
                ask(n, 2.0, y / 2.0, p);
            // Where the computed CDF passes p (bisection on it), and the doubles around it.
            double lo = 0.0, hi = 599.0;
            if (trial::gamma_cdf(n, 1.0, hi) < p || p <= 0.0) continue;
            for (int i = 0; i < 200; ++i) {
                const double mid = 0.5 * (lo + hi);
                if (mid <= lo || mid >= hi) break;
                (trial::gamma_cdf(n, 1.0, mid) < p ? lo : hi) = mid;
            }
            double y = lo;
            for (int k = 0; k < 40; ++k)
                y = std::nextafter(y, 0.0);
            for (int k = 0; k < 80; ++k, y = std::nextafter(y, 1e9))
                ask(n, 1.0, y, p);
            for (double d : {1e-14, 1e-13, 1e-12, 1e-11, 1e-10, 1e-9, 1e-6}) {
                ask(n, 1.0, hi * (1 + d), p);
                ask(n, 1.0, lo * (1 - d), p);
            }
        }
        for (double shape : {0.5, 2.5, 201.0}) {  // not the Erlang case: the CDF itself
            for (double y : {0.1, 1.0, 3.0, 100.0})
                ask(shape, 1.0, y, p);
        }
        ask(3.0, 1.0, 0.0, p);
        ask(3.0, 1.0, -1.0, p);
    }
    CHECK(asked > 100000);
    CHECK(wrong == 0);
}

TEST_CASE("a lagging site is flagged, once, and a good one is not", "[policy][anomaly]") {
    const trial::Scenario scenario =
        test::load_text(two_sites("allocation = \"static\"", 0.01, 0.6));
    int slow_flagged = 0, fast_flagged = 0;
    for (int r = 0; r < 20; ++r) {
        Flags flags;
        const trial::ReplicationSummary s = trial::run_replication(scenario, 7, r, &flags);
        CHECK(flags.count(trial::AnomalyKind::lagging_site, 0) <= 1);  // an episode, not weekly
        slow_flagged += flags.count(trial::AnomalyKind::lagging_site, 0) > 0;
        fast_flagged += flags.count(trial::AnomalyKind::lagging_site, 1) > 0;
        for (const auto& f : flags.flags) {
            if (f.kind != trial::AnomalyKind::lagging_site) continue;
            CHECK(f.value >= scenario.policy.lagging_probability);
            CHECK(f.day >= scenario.policy.lagging_min_days);  // judged on enough data
        }
        CHECK(s.anomaly_counts[0] ==
              int(std::count_if(flags.flags.begin(), flags.flags.end(), [](auto& f) {
                  return f.kind == trial::AnomalyKind::lagging_site;
              })));
        CHECK(s.anomalies.size() == flags.flags.size());
    }
    CHECK(slow_flagged == 20);
    CHECK(fast_flagged == 0);
}

TEST_CASE("staff overload is flagged after the set number of weeks", "[policy][anomaly]") {
    // One coordinator hour a day for a site seeing many patients: always full.
    std::string text = two_sites("allocation = \"static\"\noverload_weeks = 2", 0.01, 2.0);
    const std::string planned = "hours_per_day = 8 } ]";
    const auto at = text.rfind(planned);  // the fast site's
    REQUIRE(at != std::string::npos);
    text.replace(at, planned.size(), "hours_per_day = 2 } ]");
    const trial::Scenario scenario = test::load_text(text);
    Flags flags;
    trial::run_replication(scenario, 7, 0, &flags);
    REQUIRE(flags.count(trial::AnomalyKind::staff_overload, 1) >= 1);
    CHECK(flags.count(trial::AnomalyKind::staff_overload, 0) == 0);
    for (const auto& f : flags.flags) {
        if (f.kind != trial::AnomalyKind::staff_overload) continue;
        CHECK(f.value > 0.85);
        CHECK(f.day >= 14.0);  // two weekly epochs in a row at least
    }
}

TEST_CASE("adaptive moves coordinator hours to where they raise enrollment, and costs follow",
          "[policy][adaptive]") {
    const trial::Scenario scenario = test::load_text(two_sites("allocation = \"adaptive\""));
    Flags flags;
    const trial::ReplicationSummary s = trial::run_replication(scenario, 11, 0, &flags);
    REQUIRE(!flags.changes.empty());
    // During recruitment, hours leave the slow site for the fast one, in steps, the total kept.
    double slow = 8, fast = 8;
    bool moved = false;
    for (const auto& c : flags.changes) {
        if (c.day > s.target_met_day) break;
        (c.site == 0 ? slow : fast) = c.hours;
        moved = moved || (slow < 8 && fast > 8);
    }
    CHECK(moved);
    CHECK(slow + fast == Approx(16.0).margin(1e-9));
    CHECK(slow >= 8 * scenario.policy.min_staff_share - 1e-9);
    CHECK(fast <= 8 * scenario.policy.max_staff_share + 1e-9);

    // The staff cost is the hours on duty, day by day, at each country's rate: recomputed
    // here from the changes the policy made (each from the next day on).
    double expected = 0;
    const double rates[2] = {50, 100};
    for (int site = 0; site < 2; ++site) {
        const trial::SiteSummary& summary = s.sites[site];
        double hours = 8;
        auto next = flags.changes.begin();
        for (int day = int(std::floor(summary.activation_day));
             day <= int(std::floor(summary.last_activity_day)); ++day) {
            for (; next != flags.changes.end(); ++next) {
                if (next->site != site) continue;
                if (int(std::floor(next->day)) + 1 > day) break;
                hours = next->hours;
            }
            expected += hours * rates[site];
        }
    }
    CHECK(s.cost[int(trial::CostCategory::site_staff)] == Approx(expected));

    // Against the plan as written on the same replication: the fast site recruits faster.
    trial::Scenario as_written = scenario;
    as_written.policy.allocation = "static";
    const trial::ReplicationSummary plan = trial::run_replication(as_written, 11, 0);
    CHECK(s.target_met_day < plan.target_met_day);
    CHECK(s.staff_changes > 0);
    CHECK(plan.staff_changes == 0);
}

TEST_CASE("adaptive cuts staff to booked work once recruitment is over", "[policy][adaptive]") {
    const trial::Scenario scenario = test::load_text(two_sites("allocation = \"adaptive\""));
    trial::Scenario as_written = scenario;
    as_written.policy.allocation = "static";
    stats::RunningStats saved;
    for (int r = 0; r < 10; ++r) {
        Flags flags;
        const trial::ReplicationSummary s = trial::run_replication(scenario, 3, r, &flags);
        const trial::ReplicationSummary plan = trial::run_replication(as_written, 3, r);
        bool cut_after = false;
        for (const auto& c : flags.changes)
            cut_after = cut_after || (c.day > s.target_met_day && c.hours < 8);
        CHECK(cut_after);
        saved.add(plan.cost[0] - s.cost[0]);
        CHECK(s.deviation_count() <= plan.deviation_count() + 2);
    }
    CHECK(saved.mean() > 0);
}

TEST_CASE("backup sites open when the forecast misses the plan, never under static",
          "[policy][backup]") {
    const std::string backup = R"(
[[sites]]
id = "reserve"
country = "AA"
backup = true
recruitment_rate_per_day = 0.3
target_randomised = 30
staff = [ { role = "coordinator", count = 1, hours_per_day = 8 } ]
)";
    const trial::Scenario adaptive =
        test::load_text(two_sites("allocation = \"adaptive\"", 0.01, 0.1, backup));
    trial::Scenario as_written = adaptive;
    as_written.policy.allocation = "static";
    for (int r = 0; r < 5; ++r) {
        Flags flags;
        const trial::ReplicationSummary s = trial::run_replication(adaptive, 5, r, &flags);
        REQUIRE(flags.opened.size() == 1);
        CHECK(flags.opened[0].first == 2);
        CHECK(s.backup_sites_opened == 1);
        CHECK(s.sites[2].opened);
        CHECK(s.sites[2].activation_day >= flags.opened[0].second);
        CHECK(s.sites[2].randomised > 0);

        Flags plan_flags;
        const trial::ReplicationSummary plan =
            trial::run_replication(as_written, 5, r, &plan_flags);
        CHECK(plan_flags.opened.empty());
        CHECK(!plan.sites[2].opened);
        CHECK(plan.sites[2].randomised == 0);
        CHECK(std::isnan(plan.sites[2].activation_day));
        CHECK(plan.sites_opened() == 2);
        CHECK(s.target_met_day < plan.target_met_day);
    }
    // A trial already on course opens none.
    const trial::Scenario on_course =
        test::load_text(two_sites("allocation = \"adaptive\"", 0.5, 0.5, backup));
    Flags flags;
    trial::run_replication(on_course, 5, 0, &flags);
    CHECK(flags.opened.empty());
}

TEST_CASE("policies see the same patients: common random numbers", "[policy][crn]") {
    const trial::Scenario adaptive = test::load_text(two_sites("allocation = \"adaptive\""));
    trial::Scenario as_written = adaptive;
    as_written.policy.allocation = "static";
    trial::Scenario slack = as_written;
    slack.policy.booking = "window_slack";
    for (int r = 0; r < 5; ++r) {
        Flags a, b, c;
        trial::run_replication(as_written, 9, r, &a);
        trial::run_replication(slack, 9, r, &c);
        // Booking rules do not change who comes, or when (only when recruitment closes, so one
        // list of arrivals is the beginning of the other).
        for (int site = 0; site < 2; ++site) {
            const auto& x = a.arrivals[site];
            const auto& y = c.arrivals[site];
            const std::size_t common = std::min(x.size(), y.size());
            CHECK(common > 0);
            CHECK(std::equal(x.begin(), x.begin() + common, y.begin()));
        }
        // Effort changes the rate from the first move on; before it, the same arrivals.
        trial::run_replication(adaptive, 9, r, &b);
        for (int site = 0; site < 2; ++site) {
            double first_change = 1e9;
            for (const auto& ch : b.changes) {
                if (ch.site == site) first_change = std::min(first_change, ch.day);
            }
            std::vector<double> before_a, before_b;
            for (double d : a.arrivals[site])
                if (d < first_change) before_a.push_back(d);
            for (double d : b.arrivals[site])
                if (d < first_change) before_b.push_back(d);
            CHECK(before_a == before_b);
            if (site == 1) CHECK(!before_a.empty());
        }
    }
}

TEST_CASE("policy names combine an allocation, a booking and a resupply rule", "[policy]") {
    trial::PolicySpec p;
    std::string error;
    CHECK(trial::apply_policy_name("adaptive+window_slack+predictive", p, error));
    CHECK(p.allocation == "adaptive");
    CHECK(p.booking == "window_slack");
    CHECK(p.resupply == "predictive");
    trial::PolicySpec q;
    CHECK(trial::apply_policy_name("predictive", q, error));
    CHECK(q.allocation == "static");
    CHECK(q.resupply == "predictive");
    CHECK_FALSE(trial::apply_policy_name("adaptive+static", q, error));
    CHECK(error.find("two allocation") != std::string::npos);
    CHECK_FALSE(trial::apply_policy_name("clever", q, error));
    CHECK(error.find("unknown policy \"clever\"") != std::string::npos);
    CHECK(error.find("proportional") != std::string::npos);

    // A policy registered at run time is found by name.
    struct Idle final : trial::AllocationPolicy {
        void decide(const trial::TrialView&, const trial::TrialForecast&,
                    trial::TrialControl&) override {}
    };
    trial::register_allocation_policy(
        "idle", "does nothing", [](const trial::Scenario&) { return std::make_unique<Idle>(); });
    trial::PolicySpec r;
    CHECK(trial::apply_policy_name("idle", r, error));
    trial::Scenario s = test::load_text(two_sites("allocation = \"static\""));
    s.policy = r;
    CHECK(trial::run_replication(s, 1, 0).randomised == 60);
}

TEST_CASE("a bad [policy] is named by file, line and key", "[policy][scenario]") {
    const trial::LoadedScenario loaded = trial::load_scenario_text(
        two_sites("allocation = \"clever\""), "p.toml", trial::registered_policy_names());
    REQUIRE(loaded.errors.size() == 1);
    const std::string message = loaded.errors[0].to_string();
    CHECK(message.find("p.toml:") == 0);
    CHECK(message.find("policy.allocation") != std::string::npos);
    CHECK(message.find("adaptive") != std::string::npos);
    const trial::LoadedScenario bad_share =
        trial::load_scenario_text(two_sites("max_staff_share = 0.5\nbooking = \"fcfs\""), "p.toml",
                                  trial::registered_policy_names());
    REQUIRE(bad_share.errors.size() == 1);
    CHECK(bad_share.errors[0].key == "policy.max_staff_share");
}

namespace {

// Mean and 95 % half-width of paired differences b − a over replications.
struct Paired {
    double mean, half_width;
};
template <class F>
Paired paired(const trial::Scenario& a, const trial::Scenario& b, int replications, F&& of) {
    stats::RunningStats d;
    for (int r = 0; r < replications; ++r) {
        d.add(of(trial::run_replication(b, 21, r)) - of(trial::run_replication(a, 21, r)));
    }
    return {d.mean(), 1.96 * d.standard_error()};
}

}  // namespace

TEST_CASE("window_slack booking cuts deviations on a busy scanner", "[policy][booking]") {
    const trial::Scenario fcfs = test::load_bundled("minimal/booking_overload.toml");
    trial::Scenario slack = fcfs;
    slack.policy.booking = "window_slack";
    const Paired change = paired(fcfs, slack, 60, [](const trial::ReplicationSummary& s) {
        return double(s.deviation_count());
    });
    UNSCOPED_INFO("deviations, window_slack - fcfs: " << change.mean << " ± " << change.half_width);
    CHECK(change.mean + change.half_width < 0);  // fewer, beyond Monte Carlo error
    // Same patients, same visits done or missed in number: only their days move.
    const trial::ReplicationSummary a = trial::run_replication(fcfs, 21, 0);
    const trial::ReplicationSummary b = trial::run_replication(slack, 21, 0);
    CHECK(a.arrived == b.arrived);
}

TEST_CASE("predictive resupply prevents the stock-outs of levels set too low",
          "[policy][resupply]") {
    const trial::Scenario buffer = test::load_bundled("minimal/resupply_demand.toml");
    trial::Scenario predictive = buffer;
    predictive.policy.resupply = "predictive";
    const Paired change = paired(buffer, predictive, 30, [](const trial::ReplicationSummary& s) {
        return double(s.stock_outs);
    });
    UNSCOPED_INFO("stock-outs, predictive - buffer: " << change.mean << " ± " << change.half_width);
    CHECK(change.mean + change.half_width < 0);
    const trial::ReplicationSummary b = trial::run_replication(buffer, 21, 0);
    const trial::ReplicationSummary p = trial::run_replication(predictive, 21, 0);
    CHECK(p.stock_outs * 10 < b.stock_outs);
    CHECK(p.kits_wasted == 0);  // and nothing thrown away for it
}

TEST_CASE("predictive resupply: fewer stock-outs and fewer kit deviations, not more",
          "[policy][resupply]") {
    // The contradiction issue 25 found on a 120-site trial: predictive levels cut stock-outs
    // but raised kit-caused deviations. Its mechanism: at the low demand of a site, or of a
    // depot late in the trial, safety_factor x the mean demand over the lead time is a few
    // kits, exceeded often enough that a site's stock-out meets an empty depot, whose next
    // delivery (10-21 days, then the site's lead) comes after the visit's window and tolerance:
    // fewer stock-outs, each one longer. The reorder level is now also the Poisson quantile
    // at service_level (0.99); with it set so low that only safety_factor counts, the
    // contradiction comes back, which pins the mechanism.
    const trial::Scenario buffer = test::load_bundled("cardio_ph3_120sites.toml");
    trial::Scenario predictive = buffer;
    predictive.policy.resupply = "predictive";
    trial::Scenario mean_only = predictive;
    mean_only.policy.service_level = 0.01;
    auto stock_outs = [](const trial::ReplicationSummary& s) { return double(s.stock_outs); };
    auto kit_deviations = [](const trial::ReplicationSummary& s) {
        return double(s.deviations_by_cause(trial::Cause::kit));
    };
    const int replications = 12;
    const Paired outs = paired(buffer, predictive, replications, stock_outs);
    const Paired kits = paired(buffer, predictive, replications, kit_deviations);
    const Paired kits_mean_only = paired(buffer, mean_only, replications, kit_deviations);
    UNSCOPED_INFO("predictive - buffer: stock-outs " << outs.mean << " ± " << outs.half_width
                                                     << ", kit deviations " << kits.mean << " ± "
                                                     << kits.half_width);
    UNSCOPED_INFO("levels from the mean alone - buffer: kit deviations "
                  << kits_mean_only.mean << " ± " << kits_mean_only.half_width);
    CHECK(outs.mean + outs.half_width < 0);
    CHECK(kits.mean + kits.half_width < 0);
    CHECK(kits_mean_only.mean - kits_mean_only.half_width > 0);
}

TEST_CASE("the watch flags equipment conflicts and stock-out risk where they happen",
          "[policy][anomaly]") {
    const trial::Scenario scanner = test::load_bundled("minimal/booking_overload.toml");
    Flags flags;
    const trial::ReplicationSummary s = trial::run_replication(scanner, 21, 0, &flags);
    REQUIRE(s.deviations_by_cause(trial::Cause::equipment) > 0);
    int conflicts = 0;
    for (const auto& f : flags.flags) {
        if (f.kind == trial::AnomalyKind::equipment_conflict) conflicts += int(f.value);
    }
    // Every equipment deviation is counted by the flag of the epoch after it (bar the last).
    CHECK(conflicts <= s.deviations_by_cause(trial::Cause::equipment));
    CHECK(conflicts >= s.deviations_by_cause(trial::Cause::equipment) - 5);

    const trial::Scenario kits = test::load_bundled("minimal/resupply_demand.toml");
    Flags kit_flags;
    trial::run_replication(kits, 21, 0, &kit_flags);
    CHECK(kit_flags.count(trial::AnomalyKind::stock_out_risk, 0) > 0);
    trial::Scenario predictive = kits;
    predictive.policy.resupply = "predictive";
    Flags fewer;
    trial::run_replication(predictive, 21, 0, &fewer);
    CHECK(fewer.count(trial::AnomalyKind::stock_out_risk, 0) <
          kit_flags.count(trial::AnomalyKind::stock_out_risk, 0));
}

TEST_CASE("adaptive can close a non-performing site to new patients", "[policy][adaptive]") {
    const trial::Scenario closing =
        test::load_text(two_sites("allocation = \"adaptive\"\nclose_below_plan_share = 0.5"));
    trial::Scenario keeping = closing;
    keeping.policy.close_below_plan_share = 0;  // the default: never
    struct Closed final : trial::Recorder {
        std::vector<std::pair<int, double>> closed;
        std::vector<std::pair<int, double>> arrivals;
        void site_closed(int site, double day) override { closed.push_back({site, day}); }
        void patient_arrived(const trial::VisitRef& p, double day) override {
            arrivals.push_back({p.site, day});
        }
    };
    for (int r = 0; r < 5; ++r) {
        Closed c;
        const trial::ReplicationSummary s = trial::run_replication(closing, 13, r, &c);
        REQUIRE(c.closed.size() == 1);
        CHECK(c.closed[0].first == 0);  // the slow site, not the fast one
        CHECK(c.closed[0].second >= closing.policy.lagging_min_days);
        for (const auto& [site, day] : c.arrivals)
            CHECK((site != 0 || day <= c.closed[0].second));
        CHECK(s.sites[0].recruitment_end_day == Approx(c.closed[0].second));
        Closed k;
        trial::run_replication(keeping, 13, r, &k);
        CHECK(k.closed.empty());
    }
}

TEST_CASE("a policy that reads nothing raises the same flags as one that reads everything",
          "[policy][anomaly]") {
    // static skips the views and forecasts nobody reads (ObservationNeeds::trial); the
    // flags it raises must be those of an idle policy that is shown the whole trial.
    struct Watching final : trial::AllocationPolicy {
        void decide(const trial::TrialView&, const trial::TrialForecast&,
                    trial::TrialControl&) override {}
        trial::ObservationNeeds needs() const override {
            return {.bookings_ahead = false, .changes_effort = false};
        }
    };
    trial::register_allocation_policy(
        "watching", "reads the trial, does nothing",
        [](const trial::Scenario&) { return std::make_unique<Watching>(); });
    // The reference trial (lagging sites, conflicts, stock risks) and a site whose one
    // coordinator hour a day is always full (staff overload).
    std::string overloaded = two_sites("allocation = \"static\"\noverload_weeks = 2", 0.01, 2.0);
    const std::string planned = "hours_per_day = 8 } ]";
    overloaded.replace(overloaded.rfind(planned), planned.size(), "hours_per_day = 2 } ]");
    // And sites whose rates fall by e^-3 a year (halved in under three months): slowdowns.
    std::string slowed = two_sites("allocation = \"static\"", 0.8, 1.0);
    slowed.replace(slowed.find("randomisation_target = 60"), 25, "randomisation_target = 500");
    for (std::size_t at = 0;
         (at = slowed.find("recruitment_rate_per_day", at)) != std::string::npos; at += 60)
        slowed.insert(at, "recruitment_decay_per_year = 3\n");
    std::array<int, trial::anomaly_kind_count> raised{};
    for (const trial::Scenario& fixed : {test::load_bundled("oncology_ph3_50sites.toml"),
                                         test::load_text(overloaded), test::load_text(slowed)}) {
        REQUIRE(fixed.policy.allocation == "static");
        trial::Scenario watched = fixed;
        watched.policy.allocation = "watching";
        for (int r = 0; r < 4; ++r) {
            const trial::ReplicationSummary a = trial::run_replication(fixed, 9, r);
            const trial::ReplicationSummary b = trial::run_replication(watched, 9, r);
            REQUIRE(a.anomalies.size() == b.anomalies.size());
            for (std::size_t i = 0; i < a.anomalies.size(); ++i) {
                CHECK(a.anomalies[i].day == b.anomalies[i].day);
                CHECK(a.anomalies[i].site == b.anomalies[i].site);
                CHECK(a.anomalies[i].kind == b.anomalies[i].kind);
                CHECK(a.anomalies[i].value == b.anomalies[i].value);
            }
            CHECK(a.anomaly_counts == b.anomaly_counts);
            CHECK(a.randomised == b.randomised);
            for (int k = 0; k < trial::anomaly_kind_count; ++k)
                raised[k] += a.anomaly_counts[k];
        }
    }
    // Every kind of flag was raised, so every check the short path makes was compared.
    for (int k = 0; k < trial::anomaly_kind_count; ++k) {
        INFO("anomaly kind " << k);
        CHECK(raised[k] > 0);
    }
}

TEST_CASE("window_slack does not make adaptive staff up for visits months away", "[policy]") {
    // Under window_slack a visit waits for the booking rounds. The adaptive policy sizes staff
    // to the work of the next four weeks; visits waiting further out were once counted on the
    // last of those days, so every site looked busy and kept (or grew) its staff: +2.7 % staff
    // cost on the reference trial for no benefit (issue 25). They are not that work.
    trial::Scenario fcfs = test::load_bundled("oncology_ph3_50sites.toml");
    trial::Scenario slack = fcfs;
    std::string error;
    REQUIRE(trial::apply_policy_name("adaptive+predictive", fcfs.policy, error));
    REQUIRE(trial::apply_policy_name("adaptive+window_slack+predictive", slack.policy, error));
    double fcfs_cost = 0, slack_cost = 0;
    for (int r = 0; r < 12; ++r) {
        fcfs_cost += trial::run_replication(fcfs, 1, r).cost[0];
        slack_cost += trial::run_replication(slack, 1, r).cost[0];
    }
    INFO("site staff cost: fcfs " << fcfs_cost / 12 << ", window_slack " << slack_cost / 12);
    CHECK(slack_cost <= 1.005 * fcfs_cost);
}
