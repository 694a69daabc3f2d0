// The digital twin's readout forecast: the event-time refit against known truths, observed
// event dates checked as input, and the calibration of the forecast's intervals for the final
// analysis' date over many synthetic trials cut mid-way.

#include <boost/random/exponential_distribution.hpp>
#include <boost/random/uniform_real_distribution.hpp>
#include <catch2/catch.hpp>
#include <cmath>
#include <fstream>
#include <string>

#include "models/calibration/as_of.hpp"
#include "models/calibration/event_time_fit.hpp"
#include "models/runner/monte_carlo.hpp"
#include "models/stats/quantiles.hpp"
#include "models/trial/time_to_event.hpp"
#include "models/trial/trial.hpp"
#include "tests/models/capture.hpp"

namespace {

// n patients with event times from `truth`, censored uniformly on [0, 2 × its median].
std::vector<trial::FollowUp> follow_ups(const trial::EventTimeModel& truth, int n, sim::Rng& rng,
                                        double censor_until) {
    std::vector<trial::FollowUp> data;
    boost::random::uniform_real_distribution<double> censor(0, censor_until);
    for (int i = 0; i < n; ++i) {
        const double t = trial::draw_days_to_event(truth, rng);
        const double c = censor(rng);
        data.push_back({std::min(t, c), t <= c});
    }
    return data;
}

trial::EventTimeModel exponential(double median_days) {
    trial::EventTimeModel m;
    m.rate_per_day = std::log(2.0) / median_days;
    return m;
}

}  // namespace

TEST_CASE("the event-time fit recovers known parameters within their standard errors",
          "[forecast][readout][statistical]") {
    sim::Rng rng = sim::stream(9, 0, "event fit test");
    // Exponential: the scenario says a median of 365 days, the truth is 200; 400 patients.
    int covered = 0;
    const int fits = 100;
    for (int k = 0; k < fits; ++k) {
        const auto data = follow_ups(exponential(200), 400, rng, 600);
        const trial::EventTimeFit fit = trial::fit_event_times(exponential(365), data);
        REQUIRE(fit.fitted);
        // Close to the closed-form MLE D / T (the weak prior moves it very little).
        CHECK(fit.model.rate_per_day == Approx(fit.events / fit.exposure_days).epsilon(0.01));
        CHECK(fit.se[0] == Approx(1 / std::sqrt(double(fit.events))).epsilon(0.05));
        covered += std::abs(fit.log_params[0] - std::log(std::log(2.0) / 200)) < 1.96 * fit.se[0];
    }
    // 95 % intervals: 95 of 100, binomial sd 2.2.
    CHECK(covered >= 88);

    // Weibull (shape 1.5, scale 300) from a scenario's (1, 500).
    trial::EventTimeModel truth;
    truth.kind = trial::EventTimeModel::Kind::weibull;
    truth.shape = 1.5;
    truth.scale_days = 300;
    trial::EventTimeModel prior = truth;
    prior.shape = 1;
    prior.scale_days = 500;
    int shape_in = 0, scale_in = 0;
    for (int k = 0; k < fits; ++k) {
        const trial::EventTimeFit fit =
            trial::fit_event_times(prior, follow_ups(truth, 500, rng, 700));
        REQUIRE(fit.fitted);
        shape_in += std::abs(fit.log_params[0] - std::log(1.5)) < 1.96 * fit.se[0];
        scale_in += std::abs(fit.log_params[1] - std::log(300.0)) < 1.96 * fit.se[1];
    }
    CHECK(shape_in >= 88);
    CHECK(scale_in >= 88);

    // Too few events: the scenario's model is kept, and the fit says why.
    const trial::EventTimeFit none =
        trial::fit_event_times(exponential(365), {{10, true}, {20, false}});
    CHECK_FALSE(none.fitted);
    CHECK(none.problem.find("1 events observed") != std::string::npos);
}

namespace {

std::string write(const std::string& name, const std::string& text) {
    const std::string path = std::string(TRIALTWIN_BUILD_DIR) + "/" + name;
    std::ofstream(path) << text;
    return path;
}

// Four sites open from day 0, a patient a day together; PFS with the given median; the final
// analysis at 120 events, cut off, locked and read out the same day.
std::string synthetic_trial(double median_months) {
    return R"(
[trial]
name = "synthetic"
start_date = 2027-01-04
randomisation_target = 200
plan_target_met_date = 2027-12-01
horizon_days = 3000
arms = [ { name = "a", ratio = 1 }, { name = "b", ratio = 1 } ]
[[countries]]
code = "XX"
[[sites]]
id = "S1"
country = "XX"
recruitment_rate_per_day = 0.25
[[sites]]
id = "S2"
country = "XX"
recruitment_rate_per_day = 0.25
[[sites]]
id = "S3"
country = "XX"
recruitment_rate_per_day = 0.25
[[sites]]
id = "S4"
country = "XX"
recruitment_rate_per_day = 0.25
[protocol.screening]
[[endpoints]]
name = "PFS"
distribution = "exponential"
median_months = )" +
           std::to_string(median_months) + R"(
[[analyses]]
name = "final"
events = 120
)";
}

struct Truth {
    std::vector<std::pair<trial::VisitRef, double>> randomised;  // (patient, day)
    std::map<std::pair<int, int>, double> event_day;             // (site, patient) -> day
};
struct TruthRecorder final : trial::Recorder {
    Truth& t;
    explicit TruthRecorder(Truth& truth) : t(truth) {}
    void randomised(const trial::VisitRef& p, int, double day) override {
        t.randomised.push_back({p, day});
    }
    void endpoint_event(const trial::VisitRef& p, int, int, double day) override {
        t.event_day[{p.site, p.patient}] = day;
    }
};

}  // namespace

TEST_CASE("observed event dates: checked against randomisation and the as-of date",
          "[forecast][readout][input]") {
    const trial::Scenario scenario = test::load_text(synthetic_trial(12));
    const std::string sites = write("ev_sites.csv",
                                    "site,activation_date,screened,randomised\n"
                                    "S1,2027-01-04,4,4\n");
    const std::string patients =
        write("ev_patients.csv",
              "site,randomisation_date,status,arm,event_date,censored_date\n"
              "S1,2027-02-01,completed,a,2027-01-20,\n"
              "S1,2027-02-01,completed,b,2027-07-01,\n"
              "S1,2027-02-01,completed,c,,\n"
              "S1,2027-02-01,completed,a,2027-03-01,2027-03-02\n");
    const trial::LoadedObservations bad =
        trial::load_observations(scenario, "2027-06-01", sites, patients);
    for (const auto& e : bad.errors)
        UNSCOPED_INFO(e);
    const auto has = [&](const std::string& text) {
        return std::any_of(bad.errors.begin(), bad.errors.end(),
                           [&](const std::string& e) { return e.find(text) != std::string::npos; });
    };
    CHECK_FALSE(bad.observed);
    CHECK(
        has("ev_patients.csv:2:27: event_date: 2027-01-20 is before the patient's randomisation"));
    CHECK(has("ev_patients.csv:3:27: event_date: 2027-07-01 is after the as-of date 2027-06-01"));
    CHECK(has("ev_patients.csv:4:25: arm: unknown arm \"c\""));
    CHECK(has("ev_patients.csv:5:38: censored_date: both an event and a censoring date for PFS"));
    const std::string named = write("ev_named.csv",
                                    "site,randomisation_date,status,PFS_event_date,OS_event_date\n"
                                    "S1,2027-02-01,completed,2027-03-01,\n");
    const trial::LoadedObservations unknown =
        trial::load_observations(scenario, "2027-06-01", sites, named);
    REQUIRE_FALSE(unknown.errors.empty());
    CHECK(unknown.errors[0].find("ev_named.csv:1:") != std::string::npos);
    CHECK(unknown.errors[0].find("unknown column \"OS_event_date\"") != std::string::npos);
}

// Calibration of the readout forecast: 200 synthetic trials whose true median PFS is anywhere
// from 8 to 16 months (the scenario says 12), each cut a month after its 60th event (half the
// final's 120; after enrollment); the forecast (event dates observed to then, the model
// refitted, blinded) gives a 90 % interval for the final analysis' date, which should hold
// the truth 85–95 % of the time (binomial sd at 90 %: 2.1 points).
TEST_CASE(
    "the readout forecast's 90 % interval for the final analysis covers the truth 85-95 % "
    "of 200 trials cut mid-way",
    "[forecast][readout][statistical]") {
    const trial::Scenario planned = test::load_text(synthetic_trial(12));
    sim::Rng pick = sim::stream(21, 0, "true medians");
    boost::random::uniform_real_distribution<double> median(8, 16);
    const int trials = 200;
    int covered = 0, forecasts = 0;
    for (int k = 0; k < trials; ++k) {
        const trial::Scenario truth_scenario = test::load_text(synthetic_trial(median(pick)));
        Truth truth;
        TruthRecorder recorder(truth);
        const trial::ReplicationSummary s =
            trial::run_replication(truth_scenario, 1000 + k, 0, &recorder);
        REQUIRE(!std::isnan(s.analyses[0].cutoff_day));
        std::vector<double> days;
        for (const auto& [patient, day] : truth.event_day)
            days.push_back(day);
        std::sort(days.begin(), days.end());
        // A calendar cut a month after half the final's events were in (a cut exactly at an
        // event would bias the rate a little upwards: the exposure stops at an event).
        const int as_of = static_cast<int>(std::ceil(days.at(59))) + 30;
        // What the running trial would have observed by then.
        trial::ObservedTrial o;
        o.as_of_day = as_of;
        o.as_of_date = "synthetic";
        for (int site = 0; site < 4; ++site) {
            trial::ObservedSite os;
            os.site = site;
            os.activation_day = 0;
            for (const auto& [p, day] : truth.randomised)
                os.screened += p.site == site && day <= as_of;
            os.randomised = os.screened;
            os.screen_failed = 0;
            o.sites.push_back(os);
        }
        for (const auto& [p, day] : truth.randomised) {
            if (day > as_of) continue;
            trial::ObservedPatient op;
            op.site = p.site;
            op.randomisation_day = day;
            op.status = trial::ObservedPatient::Status::completed;
            const auto event = truth.event_day.find({p.site, p.patient});
            op.event_day.push_back(event != truth.event_day.end() && event->second <= as_of
                                       ? std::optional<double>(event->second)
                                       : std::nullopt);
            op.censored_day.push_back(std::nullopt);
            o.patients.push_back(op);
        }
        const trial::Calibration c = trial::calibrate(planned, o);
        trial::MonteCarloOptions options;
        options.replications = 200;
        options.seed = 5000 + k;
        options.threads = 2;
        options.start = &c.start;
        const trial::MonteCarloResult run = trial::run_monte_carlo(planned, options);
        std::vector<double> readout;
        for (const trial::ReplicationSummary& r : run.replications)
            readout.push_back(r.analyses[0].readout_day);
        const double lo = stats::quantile(readout, 0.05), hi = stats::quantile(readout, 0.95);
        const double actual = s.analyses[0].cutoff_day;
        ++forecasts;
        covered += lo <= actual && actual <= hi;
    }
    INFO(covered << " of " << forecasts << " intervals hold the truth");
    CHECK(covered >= 0.85 * forecasts);
    CHECK(covered <= 0.95 * forecasts);
}
