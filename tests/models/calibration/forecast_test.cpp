// The digital twin: observed data read (and refused when wrong), calibration, and forecasts
// from an as-of state that cover the true completion as often as they claim.

#include <catch2/catch.hpp>
#include <cmath>
#include <fstream>
#include <map>

#include "models/calibration/as_of.hpp"
#include "models/runner/metrics.hpp"
#include "models/stats/quantiles.hpp"
#include "models/trial/trial.hpp"
#include "tests/models/capture.hpp"

namespace {

// Sites with rates from the Gamma(2, 75) prior, quick start-up, one treatment visit:
// enrollment is the whole story.
std::string twenty_sites(int sites = 20, int target = 200) {
    std::string text = R"(
[trial]
name = "twenty sites"
start_date = 2027-01-04
randomisation_target = )" +
                       std::to_string(target) + R"(
plan_target_met_date = 2028-06-30
horizon_days = 3000

[recruitment]
rate_shape = 2.0
rate_rate_days = 75.0

[[countries]]
code = "AA"
approval_days = 10
contracting_days = { distribution = "uniform", min = 10, max = 90 }
activation_days = 5
)";
    for (int i = 0; i < sites; ++i) {
        text += "\n[[sites]]\nid = \"S" + std::to_string(i) + "\"\ncountry = \"AA\"\n" +
                "screen_failure_probability = 0.3\ntarget_randomised = 10\n";
    }
    text += R"(
[protocol]
screening_to_randomisation_days = 7

[protocol.screening]

[[protocol.visits]]
name = "treatment"
day = 0
)";
    return text;
}

std::string write(const std::string& name, const std::string& text) {
    const std::string path = std::string(TRIALTWIN_BUILD_DIR) + "/" + name;
    std::ofstream(path) << text;
    return path;
}

// What an observer of one simulated course sees by `as_of`.
struct Observer final : trial::Recorder {
    std::map<int, double> activated;
    struct Record {
        int site;
        double day;
    };
    std::vector<Record> arrivals, randomisations, failures;
    void site_activated(int site, double day) override { activated[site] = day; }
    void patient_arrived(const trial::VisitRef& p, double day) override {
        arrivals.push_back({p.site, day});
    }
    void randomised(const trial::VisitRef& p, int, double day) override {
        randomisations.push_back({p.site, day});
    }
    void screen_failed(const trial::VisitRef& p, double day) override {
        failures.push_back({p.site, day});
    }

    trial::ObservedTrial cut(const trial::Scenario& scenario, double as_of) const {
        trial::ObservedTrial o;
        o.as_of_day = as_of;
        o.as_of_date = "cut";
        for (std::size_t s = 0; s < scenario.sites.size(); ++s) {
            trial::ObservedSite site;
            site.site = static_cast<int>(s);
            const auto a = activated.find(site.site);
            if (a == activated.end() || a->second > as_of) continue;
            site.activation_day = a->second;
            const auto count = [&](const std::vector<Record>& records) {
                return static_cast<int>(std::count_if(records.begin(), records.end(), [&](auto& r) {
                    return r.site == site.site && r.day <= as_of;
                }));
            };
            site.screened = count(arrivals);
            site.randomised = count(randomisations);
            site.screen_failed = count(failures);
            o.sites.push_back(site);
            for (const Record& r : randomisations) {
                if (r.site == site.site && r.day <= as_of) {
                    trial::ObservedPatient p;
                    p.site = site.site;
                    p.randomisation_day = r.day;
                    o.patients.push_back(p);
                }
            }
        }
        return o;
    }
};

}  // namespace

TEST_CASE("observed data: every problem named by file, line and column", "[forecast][input]") {
    const trial::Scenario scenario = test::load_text(twenty_sites());
    const std::string sites = write("obs_sites.csv",
                                    "# comment\n"
                                    "site,activation_date,screened,randomised,screen_failed\n"
                                    "S0,2027-02-01,5,3,1\n"
                                    "S99,2027-02-01,5,3,1\n"
                                    "S1,2027-09-01,5,3,1\n"
                                    "S2,2027-02-01,-1,0,0\n"
                                    "S3,2027-02-01,2,3,0\n"
                                    "S4,,2,0,0\n"
                                    "S5,2027-02-30,1,0,0\n"
                                    "S0,2027-02-01,5,3,1\n"
                                    "S6,2027-02-01,5\n");
    const trial::LoadedObservations bad =
        trial::load_observations(scenario, "2027-06-01", sites, "");
    CHECK_FALSE(bad.observed);
    const auto has = [&](const std::string& text) {
        return std::any_of(bad.errors.begin(), bad.errors.end(),
                           [&](const std::string& e) { return e.find(text) != std::string::npos; });
    };
    for (const auto& e : bad.errors)
        UNSCOPED_INFO(e);
    CHECK(has("obs_sites.csv:4:1: site: unknown site \"S99\""));
    CHECK(has("obs_sites.csv:5:4: activation_date: 2027-09-01 is after the as-of date 2027-06-01"));
    CHECK(has("obs_sites.csv:6:15: screened: must be 0 to 100000, not -1"));
    CHECK(has("obs_sites.csv:7:17: randomised: more randomised (3) than screened (2)"));
    CHECK(
        has("obs_sites.csv:8:4: activation_date: a site with patients needs its activation date"));
    CHECK(has("obs_sites.csv:9:4: activation_date: \"2027-02-30\" is not a date"));
    CHECK(has("obs_sites.csv:10:1: site: site \"S0\" again (first on line 3)"));
    CHECK(has("obs_sites.csv:11:1: expected 5 fields, found 3"));
    CHECK(bad.errors.size() == 8);

    const std::string good = write("obs_good.csv",
                                   "site,activation_date,screened,randomised\n"
                                   "S0,2027-02-01,5,2\n");
    const std::string patients = write("obs_patients.csv",
                                       "site,randomisation_date,status\n"
                                       "S0,2027-03-01,on_study\n"
                                       "S0,2027-07-01,on_study\n"
                                       "S1,2027-03-01,maybe\n");
    const trial::LoadedObservations mismatch =
        trial::load_observations(scenario, "2027-06-01", good, patients);
    REQUIRE(mismatch.errors.size() == 3);
    CHECK(
        mismatch.errors[0].find("obs_patients.csv:3:4: randomisation_date: 2027-07-01 is after") !=
        std::string::npos);
    CHECK(mismatch.errors[1].find("obs_patients.csv:4:") != std::string::npos);
    // A count that disagrees between the files is named at the site's line of the sites file.
    CHECK(mismatch.errors[2].find("obs_good.csv:2:1: site \"S0\" has 2 randomised here but 1 "
                                  "patients listed in") != std::string::npos);
    CHECK(trial::load_observations(scenario, "2026-06-01", good, "").errors.size() == 1);
    CHECK(trial::load_observations(scenario, "2027-06-01", "/no/such.csv", "").errors[0] ==
          "/no/such.csv: no such file");
}

TEST_CASE("observed data: read strictly, as spreadsheets write it", "[forecast][input]") {
    const trial::Scenario scenario = test::load_text(twenty_sites());
    const auto errors_of = [&](const std::string& text, const std::string& as_of = "2027-06-01") {
        return trial::load_observations(scenario, as_of, write("strict.csv", text), "").errors;
    };
    // A byte-order mark and CRLF line ends (Excel's "CSV UTF-8") are read as plain text.
    CHECK(errors_of("\xEF\xBB\xBFsite,activation_date,screened,randomised\r\n"
                    "S0,2027-02-01,5,2\r\n")
              .empty());
    // A header after comments is named at its own line.
    const auto header =
        errors_of("# exported 2027-06-01\n# by the CTMS\nsite,activation,screened\n");
    REQUIRE_FALSE(header.empty());
    CHECK(header[0].find("strict.csv:3:2: unknown column \"activation\"") != std::string::npos);
    CHECK(std::any_of(header.begin(), header.end(), [](const std::string& e) {
        return e.find("strict.csv:3:1: missing column \"randomised\"") != std::string::npos;
    }));
    // Dates and numbers are whole fields, not prefixes.
    const std::string h = "site,activation_date,screened,randomised\n";
    CHECK(errors_of(h + "S0,2027-02-0x,5,2\n").at(0) ==
          std::string(TRIALTWIN_BUILD_DIR) +
              "/strict.csv:2:4: activation_date: \"2027-02-0x\" is "
              "not a date (YYYY-MM-DD)");
    CHECK(errors_of(h + "S0,2027-2-01,5,2\n").size() == 1);
    CHECK(errors_of(h + "S0,2027-02-01,5x,2\n").at(0).find("\"5x\" is not a whole number") !=
          std::string::npos);
    CHECK(errors_of(h + "S0,2027-02-01,5e9,2\n").size() == 1);
    CHECK(errors_of(h + "S0,2027-02-01,99999999999,2\n").at(0).find("must be 0 to 100000") !=
          std::string::npos);
    // An as-of date at or past the horizon leaves nothing to forecast.
    const auto late = errors_of(h + "S0,2027-02-01,5,2\n", "9999-12-31");
    REQUIRE(late.size() == 1);
    CHECK(late[0].find("--as-of: 9999-12-31") != std::string::npos);
    CHECK(late[0].find("horizon") != std::string::npos);
    CHECK(errors_of(h + "S0,2027-02-01,5,2\n", "2027-06-3").size() == 1);
}

TEST_CASE("a forecast carries on from the as-of state", "[forecast]") {
    const trial::Scenario scenario = test::load_text(twenty_sites());
    Observer truth;
    trial::run_replication(scenario, 5, 0, &truth);
    const double as_of = 250;
    const trial::ObservedTrial observed = truth.cut(scenario, as_of);
    const trial::Calibration c = trial::calibrate(scenario, observed);
    REQUIRE(c.fitted);
    CHECK(c.randomised == int(observed.patients.size()));
    Observer next;
    const trial::ReplicationSummary s = trial::run_replication(scenario, 9, 0, &next, &c.start);
    // Nothing new happens before the as-of day; the observed randomisations count.
    for (const auto& a : next.arrivals)
        CHECK(a.day >= as_of);
    CHECK(s.randomised >= 200);
    CHECK(s.first_patient_in_day == Approx(truth.randomisations.front().day));
    // Active sites keep their activation days.
    for (const trial::ObservedSite& site : observed.sites)
        CHECK(s.sites[site.site].activation_day == *site.activation_day);

    // Patients who have done every visit complete at the as-of day; those who have done none
    // start with the first.
    trial::ObservedTrial all_done = observed;
    for (auto& p : all_done.patients)
        p.visits_done = 1;  // the protocol has one visit
    const trial::Calibration done = trial::calibrate(scenario, all_done);
    test::Capture capture;
    trial::run_replication(scenario, 9, 0, &capture, &done.start);
    int at_as_of = 0;
    for (const auto& [ref, day] : capture.completions)
        at_as_of += day == as_of;
    CHECK(at_as_of == int(observed.patients.size()));
    trial::ObservedTrial none_done = observed;
    for (auto& p : none_done.patients)
        p.visits_done = 0;
    const trial::Calibration none = trial::calibrate(scenario, none_done);
    test::Capture redo;
    trial::run_replication(scenario, 9, 0, &redo, &none.start);
    int visits_of_old = 0;
    for (const auto& v : redo.visits)
        visits_of_old += v.ref.patient >= (1 << 20) && v.ref.patient < (1 << 21);
    CHECK(visits_of_old == int(observed.patients.size()));
}

TEST_CASE("the MLE recovers the prior from simulated trials: 95 % intervals cover ≈ 95 %",
          "[forecast][calibration][statistical]") {
    // 100 sites, recruitment never closing: cut at day 300, each active site's patients and
    // days open are the data; the truth is the scenario's Gamma(2, 75).
    const trial::Scenario scenario = test::load_text(twenty_sites(100, 1'000'000));
    const int trials = 200;
    int covered_alpha = 0, covered_beta = 0, fitted = 0;
    for (int t = 0; t < trials; ++t) {
        Observer course;
        trial::Scenario cut = scenario;
        cut.trial.horizon_days = 300;
        trial::run_replication(cut, 5000 + t, 0, &course);
        const trial::Calibration c = trial::calibrate(scenario, course.cut(scenario, 300));
        if (!c.fitted) continue;
        ++fitted;
        covered_alpha += std::abs(c.fit.alpha - 2.0) <= 1.96 * c.fit.alpha_se;
        covered_beta += std::abs(c.fit.beta - 75.0) <= 1.96 * c.fit.beta_se;
    }
    CHECK(fitted == trials);
    const double a = double(covered_alpha) / fitted, b = double(covered_beta) / fitted;
    UNSCOPED_INFO("coverage alpha " << a << ", beta " << b);
    // Binomial(200, 0.95): s.d. 1.5 %; Wald intervals of a skewed estimate run a little short.
    CHECK(a >= 0.90);
    CHECK(a <= 0.99);
    CHECK(b >= 0.90);
    CHECK(b <= 0.99);
}

TEST_CASE("forecasts are calibrated: 90 % intervals cover the true completion ≈ 90 % of the time",
          "[forecast][statistical]") {
    const trial::Scenario scenario = test::load_text(twenty_sites());
    const int trials = 200, reps = 100;
    int covered = 0;
    for (int t = 0; t < trials; ++t) {
        Observer truth;
        const trial::ReplicationSummary course =
            trial::run_replication(scenario, 1000 + t, 0, &truth);
        REQUIRE(!std::isnan(course.target_met_day));
        // Cut at mid-enrollment: the day the 100th patient was randomised.
        const double as_of = std::floor(truth.randomisations[99].day);
        const trial::Calibration c = trial::calibrate(scenario, truth.cut(scenario, as_of));
        std::vector<double> met;
        for (int r = 0; r < reps; ++r)
            met.push_back(trial::run_replication(scenario, 7, r, nullptr, &c.start).target_met_day);
        const double low = stats::quantile(met, 0.05), high = stats::quantile(met, 0.95);
        covered += course.target_met_day >= low && course.target_met_day <= high;
    }
    const double coverage = double(covered) / trials;
    UNSCOPED_INFO("coverage of the 90 % interval: " << coverage);
    // Binomial(200, 0.9): s.d. 2.1 %; 85–95 % as the issue asks.
    CHECK(coverage >= 0.85);
    CHECK(coverage <= 0.95);
}
