// Endpoints and analyses against closed forms, and the analysis rules.
//
// Closed form: a site open from day 0 to day A recruits as a Poisson process, so given the N
// randomised its randomisation days are independent and uniform on [0, A]. With no dropout,
// the expected events by day t >= A of a time-to-event CDF F are
//   N (1/A) ∫_0^A F(t - s) ds,
// which for the exponential of rate λ is N (1 - (e^{-λ(t-A)} - e^{-λt}) / (λA)). Summed over
// replications, the simulated events by day t are a sum of independent Bernoulli(p) given
// the N's, so the standard error is sqrt(Σ N p (1 - p)); each check is within 3 of them.

#include <catch2/catch.hpp>
#include <cmath>
#include <functional>
#include <string>

#include "models/trial/trial.hpp"
#include "tests/models/capture.hpp"

namespace {

constexpr double accrual_days = 365;

// One site open from day 0 until day A, 0.5 randomised a day (no screening, no target stop),
// an endpoint of the given distribution, and an analysis at day 3000 so events are counted
// to then.
std::string accrual_trial(const std::string& distribution) {
    return R"(
[trial]
name = "closed form"
start_date = 2027-01-04
randomisation_target = 100000
plan_target_met_date = 2028-01-03
horizon_days = 3100
[[countries]]
code = "XX"
[[sites]]
id = "S1"
country = "XX"
recruitment_rate_per_day = 0.5
closes_day = 365
[protocol.screening]
[[endpoints]]
name = "PFS"
)" + distribution +
           R"(
[[analyses]]
name = "final"
calendar_date = 2035-01-01
)";
}

struct Totals {
    double observed = 0, expected = 0, variance = 0, patients = 0;
};

// Simulated against expected events by day t (a multiple of 7: the end of a week) over
// `replications`, for the CDF F.
std::vector<Totals> compare(const trial::Scenario& scenario, const std::vector<double>& days,
                            const std::function<double(double)>& cdf, int replications) {
    // p(t) = (1/A) ∫_0^A F(t - s) ds, by Simpson's rule on 2000 intervals.
    auto p_event = [&](double t) {
        const int n = 2000;
        const double h = accrual_days / n;
        double sum = cdf(t) + cdf(t - accrual_days);
        for (int i = 1; i < n; ++i)
            sum += (i % 2 ? 4 : 2) * cdf(t - i * h);
        return sum * h / 3 / accrual_days;
    };
    std::vector<Totals> totals(days.size());
    for (int r = 0; r < replications; ++r) {
        const trial::ReplicationSummary s = trial::run_replication(scenario, 42, r);
        const auto& weekly = s.events_by_week.at(0).at(0);
        for (std::size_t i = 0; i < days.size(); ++i) {
            const auto week = static_cast<std::size_t>(days[i] / 7) - 1;  // days [0, t)
            REQUIRE(week < weekly.size());
            const double p = p_event(days[i]);
            totals[i].observed += weekly[week];
            totals[i].expected += s.randomised * p;
            totals[i].variance += s.randomised * p * (1 - p);
            totals[i].patients += s.randomised;
        }
    }
    return totals;
}

}  // namespace

TEST_CASE("expected events under uniform accrual match the exponential closed form",
          "[readout][statistical]") {
    const trial::Scenario scenario =
        test::load_text(accrual_trial("distribution = \"exponential\"\nmedian_days = 180"));
    const double lambda = std::log(2.0) / 180;
    auto cdf = [&](double u) { return u <= 0 ? 0.0 : 1 - std::exp(-lambda * u); };
    const std::vector<double> days = {371, 553, 735, 1099};
    const std::vector<Totals> totals = compare(scenario, days, cdf, 300);
    for (std::size_t i = 0; i < days.size(); ++i) {
        // The closed form itself, against the numerical integral.
        const double t = days[i], a = accrual_days;
        const double closed =
            1 - (std::exp(-lambda * (t - a)) - std::exp(-lambda * t)) / (lambda * a);
        INFO("day " << t << ": observed " << totals[i].observed << ", expected "
                    << totals[i].expected << " (closed form p " << closed << ")");
        CHECK(totals[i].expected / totals[i].patients == Approx(closed).epsilon(1e-9));
        const double se = std::sqrt(totals[i].variance);
        CHECK(std::abs(totals[i].observed - totals[i].expected) < 3 * se);
    }
}

TEST_CASE("expected events under uniform accrual match a Weibull by numerical integration",
          "[readout][statistical]") {
    const trial::Scenario scenario =
        test::load_text(accrual_trial("distribution = \"weibull\"\nshape = 1.6\nscale_days = 400"));
    auto cdf = [](double u) { return u <= 0 ? 0.0 : 1 - std::exp(-std::pow(u / 400, 1.6)); };
    const std::vector<double> days = {371, 553, 735, 1099};
    const std::vector<Totals> totals = compare(scenario, days, cdf, 300);
    for (std::size_t i = 0; i < days.size(); ++i) {
        INFO("day " << days[i] << ": observed " << totals[i].observed << ", expected "
                    << totals[i].expected);
        CHECK(std::abs(totals[i].observed - totals[i].expected) <
              3 * std::sqrt(totals[i].variance));
    }
}

namespace {

struct EventDays final : trial::Recorder {
    std::vector<double> days;
    std::vector<trial::AnalysisCutOff> cuts;
    std::vector<std::vector<int>> events_at_cut;
    void endpoint_event(const trial::VisitRef&, int, int, double day) override {
        days.push_back(day);
    }
    void analysis_cut_off(const trial::AnalysisCutOff& cut) override {
        cuts.push_back(cut);
        events_at_cut.emplace_back(cut.events_by_arm.begin(), cut.events_by_arm.end());
    }
};

// 300 patients 2:1 over two sites, a PFS endpoint with a hazard ratio, an interim at half the
// final's events (and at least 90 days after... nothing: the first), the final at 200 events.
std::string two_analyses(const std::string& endpoint_extra, const std::string& final_trigger) {
    return R"(
[trial]
name = "readout"
start_date = 2027-01-04
randomisation_target = 300
plan_target_met_date = 2028-01-03
plan_readout_date = 2029-06-01
horizon_days = 3000
dropout_rate_per_year = 0.1
arms = [ { name = "experimental", ratio = 2 }, { name = "control", ratio = 1 } ]
[[countries]]
code = "XX"
[[sites]]
id = "S1"
country = "XX"
recruitment_rate_per_day = 0.6
staff = [ { role = "coordinator", count = 1 } ]
[[sites]]
id = "S2"
country = "XX"
recruitment_rate_per_day = 0.4
staff = [ { role = "coordinator", count = 1 } ]
[protocol.screening]
[[protocol.visits]]
name = "cycle"
day = 21
every_days = 21
repeat = 8
window_before_days = 3
window_after_days = 3
staff = [ { role = "coordinator", hours = 1 } ]
[protocol.follow_up]
name = "survival contact"
every_days = 90
window_before_days = 7
window_after_days = 7
staff = [ { role = "coordinator", hours = 0.5 } ]
fee = 100
[[endpoints]]
name = "PFS"
distribution = "exponential"
median_months = 9
control_arm = "control"
hazard_ratio = { experimental = 0.7 }
)" + endpoint_extra +
           R"(
[[analyses]]
name = "interim"
information_fraction = 0.5
cutoff_to_lock_days = { distribution = "uniform", min = 20, max = 40 }
lock_to_readout_days = 14
[[analyses]]
name = "final"
)" + final_trigger +
           R"(
cutoff_to_lock_days = 45
lock_to_readout_days = { distribution = "triangular", min = 10, mode = 20, max = 40 }
)";
}

}  // namespace

TEST_CASE("an event-driven analysis is cut off at the D-th event, then locked and read out",
          "[readout]") {
    const trial::Scenario scenario =
        test::load_text(two_analyses("ends_treatment = true", "events = 200"));
    REQUIRE(scenario.analyses.at(0).events == 100);  // half the final's 200
    for (int r = 0; r < 20; ++r) {
        EventDays seen;
        const trial::ReplicationSummary s = trial::run_replication(scenario, 7, r, &seen);
        REQUIRE(seen.cuts.size() == 2);
        REQUIRE(seen.days.size() >= 200);
        // The cut-off is the day of the 100th and the 200th event itself, not a week's end.
        CHECK(seen.cuts[0].cutoff_day == seen.days[99]);
        CHECK(seen.cuts[1].cutoff_day == seen.days[199]);
        CHECK(s.analyses[0].cutoff_day == seen.days[99]);
        CHECK(s.analyses[0].events() == 100);
        CHECK(s.analyses[1].events() == 200);
        // Events stop being counted at the final cut-off.
        CHECK(seen.days.size() == 200);
        CHECK(s.analyses[0].lock_day - s.analyses[0].cutoff_day >= 20);
        CHECK(s.analyses[0].lock_day - s.analyses[0].cutoff_day <= 40);
        CHECK(s.analyses[0].readout_day - s.analyses[0].lock_day == 14);
        CHECK(s.analyses[1].lock_day - s.analyses[1].cutoff_day == 45);
        // At risk: randomised, no event, not censored; fewer than randomised less events.
        const int at_risk = s.analyses[1].at_risk_by_arm[0] + s.analyses[1].at_risk_by_arm[1];
        CHECK(at_risk > 0);
        CHECK(at_risk <= s.randomised - 200);
        // The run goes on to the final lock (sites close out then).
        CHECK(!s.analyses[1].by_max_date);
        // Cumulative weekly events reach the final's 200.
        const auto& weekly = s.events_by_week.at(0);
        CHECK(weekly.at(0).back() + weekly.at(1).back() == 200);
    }
}

TEST_CASE("an analysis whose trigger is never met is not reached, never day 0", "[readout]") {
    // 90 % cured: 300 patients cannot give 250 events.
    const trial::Scenario scenario =
        test::load_text(two_analyses("cure_fraction = 0.9", "events = 250"));
    for (int r = 0; r < 5; ++r) {
        const trial::ReplicationSummary s = trial::run_replication(scenario, 7, r);
        CHECK(std::isnan(s.analyses[0].cutoff_day));  // 125 events: not reached either
        CHECK(std::isnan(s.analyses[1].cutoff_day));
        CHECK(std::isnan(s.analyses[1].readout_day));
        CHECK(s.analyses[1].events_by_arm.empty());
    }
    // With a max date, the final is cut off on it whatever the events.
    const trial::Scenario capped =
        test::load_text(two_analyses("cure_fraction = 0.9", "events = 250\nmax_date = 2030-01-04"));
    const trial::ReplicationSummary s = trial::run_replication(capped, 7, 0);
    CHECK(s.analyses[1].by_max_date);
    CHECK(s.analyses[1].cutoff_day == 1096);
}

TEST_CASE("calendar and follow-up triggers wait for every condition", "[readout]") {
    // The final: not before 2029-01-01 (day 728), and 12 months after the last randomisation.
    const trial::Scenario scenario = test::load_text(
        two_analyses("", "events = 200\ncalendar_date = 2029-01-01\nmin_follow_up_months = 12"));
    for (int r = 0; r < 10; ++r) {
        EventDays seen;
        const trial::ReplicationSummary s = trial::run_replication(scenario, 7, r, &seen);
        const trial::AnalysisResult& final_one = s.analyses[1];
        REQUIRE(!std::isnan(final_one.cutoff_day));
        CHECK(final_one.cutoff_day >= 728);
        CHECK(final_one.cutoff_day >= s.target_met_day + 365.25 - 1e-9);
        CHECK(final_one.events() >= 200);
        // Cut off when the last condition came true: one of them holds with equality.
        const bool by_date = final_one.cutoff_day == 728;
        const bool by_follow_up = std::abs(final_one.cutoff_day - s.target_met_day - 365.25) < 1e-6;
        const bool by_events = final_one.cutoff_day == seen.days.at(199);
        CHECK((by_date || by_follow_up || by_events));
    }
}

TEST_CASE(
    "an event that ends treatment moves the patient to follow-up contacts until the final "
    "cut-off",
    "[readout]") {
    const trial::Scenario ends =
        test::load_text(two_analyses("ends_treatment = true", "events = 200"));
    const trial::Scenario goes_on = test::load_text(two_analyses("", "events = 200"));
    double completed_ends = 0, completed_on = 0, fees = 0, base_fees = 0;
    for (int r = 0; r < 10; ++r) {
        const trial::ReplicationSummary a = trial::run_replication(ends, 7, r);
        const trial::ReplicationSummary b = trial::run_replication(goes_on, 7, r);
        completed_ends += a.completed;
        completed_on += b.completed;
        fees += a.cost[static_cast<int>(trial::CostCategory::patient_fees)];
        // The same events either way (drawn from the patients' endpoint streams).
        CHECK(a.analyses[1].cutoff_day == b.analyses[1].cutoff_day);
        base_fees += b.cost[static_cast<int>(trial::CostCategory::patient_fees)];
    }
    // Progression before the 8th cycle (day 168) ends treatment: with a 9-month median PFS
    // (HR 0.7 on 2/3), about a third do.
    CHECK(completed_ends < 0.8 * completed_on);
    CHECK(fees > 0);  // contacts paid (no per-patient fee in the country)
    CHECK(base_fees > 0);
}
