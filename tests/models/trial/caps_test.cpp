// Enrollment caps (max_randomised per site and per country, the trial's over_enrollment). With
// caps the time to target is no longer the Poisson-gamma closed form (the total rate drops as
// sites fill): it is the n-th arrival of the merged capped Poisson processes. Checked against a
// direct simulation of exactly that, written here with its own random numbers: the two means
// must agree within 3.5 standard errors of their difference.

#include <algorithm>
#include <boost/random/exponential_distribution.hpp>
#include <boost/random/gamma_distribution.hpp>
#include <boost/random/mersenne_twister.hpp>
#include <catch2/catch.hpp>
#include <cmath>
#include <map>
#include <sstream>

#include "models/stats/running_stats.hpp"
#include "models/trial/trial.hpp"
#include "tests/models/capture.hpp"

namespace {

// Every site open at day 0, no screen failure or capacity limit: arrival = randomisation.
std::string capped_scenario(int n, int sites, double alpha, double beta, int site_cap,
                            int country_cap, int countries) {
    std::ostringstream toml;
    toml << "[trial]\nname = \"caps\"\nstart_date = 2027-01-04\n"
         << "randomisation_target = " << n << "\nplan_target_met_date = 2030-01-01\n"
         << "horizon_days = 36500\n"
         << "[recruitment]\nrate_shape = " << alpha << "\nrate_rate_days = " << beta << "\n";
    for (int c = 0; c < countries; ++c) {
        toml << "[[countries]]\ncode = \"C" << c << "\"\napproval_days = 0\n"
             << "contracting_days = 0\nactivation_days = 0\n";
        if (country_cap > 0) toml << "max_randomised = " << country_cap << "\n";
    }
    toml << "[protocol.screening]\n";
    for (int s = 0; s < sites; ++s) {
        toml << "[[sites]]\nid = \"S" << s << "\"\ncountry = \"C" << s % countries << "\"\n";
        if (site_cap > 0) toml << "max_randomised = " << site_cap << "\n";
    }
    return toml.str();
}

// The n-th arrival of `sites` Poisson processes with Gamma(α, β) rates, each site taking at
// most site_cap patients and each country (site s in country s mod countries) country_cap.
double direct_time_to_target(boost::random::mt19937_64& rng, int n, int sites, double alpha,
                             double beta, int site_cap, int country_cap, int countries) {
    std::vector<std::pair<double, int>> arrivals;  // (day, country)
    for (int s = 0; s < sites; ++s) {
        const double rate = boost::random::gamma_distribution<double>(alpha, 1.0 / beta)(rng);
        boost::random::exponential_distribution<double> gap(rate);
        double t = 0;
        const int most = site_cap > 0 ? site_cap : n;
        for (int k = 0; k < most; ++k) {
            t += gap(rng);
            arrivals.push_back({t, s % countries});
        }
    }
    std::sort(arrivals.begin(), arrivals.end());
    std::vector<int> by_country(countries, 0);
    int randomised = 0;
    for (const auto& [day, country] : arrivals) {
        if (country_cap > 0 && by_country[country] >= country_cap) continue;
        ++by_country[country];
        if (++randomised == n) return day;
    }
    return std::nan("");
}

void check_against_direct(int n, int sites, double alpha, double beta, int site_cap,
                          int country_cap, int countries, std::uint64_t seed) {
    const trial::Scenario scenario =
        test::load_text(capped_scenario(n, sites, alpha, beta, site_cap, country_cap, countries));
    stats::RunningStats model, direct;
    for (int r = 0; r < 1500; ++r) {
        test::Capture seen;
        const trial::ReplicationSummary s = trial::run_replication(scenario, seed, r, &seen);
        REQUIRE(s.randomised == n);
        model.add(s.target_met_day);
        // The caps hold in every replication.
        std::map<int, int> per_site, per_country;
        for (const auto& [patient, day] : seen.randomisations) {
            ++per_site[patient.site];
            ++per_country[patient.site % countries];
        }
        for (const auto& [site, count] : per_site)
            if (site_cap > 0) REQUIRE(count <= site_cap);
        for (const auto& [country, count] : per_country)
            if (country_cap > 0) REQUIRE(count <= country_cap);
    }
    boost::random::mt19937_64 rng(seed);
    for (int r = 0; r < 6000; ++r)
        direct.add(
            direct_time_to_target(rng, n, sites, alpha, beta, site_cap, country_cap, countries));
    const double se = std::hypot(model.standard_error(), direct.standard_error());
    INFO("model " << model.mean() << " ± " << model.standard_error() << ", direct " << direct.mean()
                  << " ± " << direct.standard_error());
    CHECK(std::abs(model.mean() - direct.mean()) <= 3.5 * se);
    CHECK(se < 0.02 * direct.mean());  // the check can fail
}

}  // namespace

TEST_CASE("site caps: time to target as the n-th arrival of capped Poisson processes",
          "[caps][statistical]") {
    // 10 sites capped at 6 for 50 patients: most sites fill, and the fast ones fill first.
    check_against_direct(50, 10, 1.5, 20.0, 6, 0, 1, 31);
}

TEST_CASE("country caps: a country's sites stop together at its cap", "[caps][statistical]") {
    // 12 sites in 3 countries capped at 20 each, for 50 patients.
    check_against_direct(50, 12, 2.0, 40.0, 0, 20, 3, 32);
}

TEST_CASE("caps leave the uncapped closed form alone and bind when they should", "[caps]") {
    // Caps the trial never reaches change nothing (same replications, same numbers).
    const trial::Scenario free = test::load_text(capped_scenario(30, 6, 2.0, 40.0, 0, 0, 1));
    const trial::Scenario loose = test::load_text(capped_scenario(30, 6, 2.0, 40.0, 1000, 1000, 1));
    for (int r = 0; r < 20; ++r) {
        CHECK(trial::run_replication(free, 7, r).target_met_day ==
              trial::run_replication(loose, 7, r).target_met_day);
    }
    // Caps that add up to less than the target: it is never met, and recruitment ends.
    const trial::Scenario short_of = test::load_text(capped_scenario(30, 6, 2.0, 40.0, 4, 0, 1));
    const trial::ReplicationSummary s = trial::run_replication(short_of, 7, 0);
    CHECK(s.randomised == 24);
    CHECK(std::isnan(s.target_met_day));
}

TEST_CASE("over_enrollment bounds the patients randomised past the target", "[caps]") {
    // Two weeks from screening to randomisation: when the target is met, patients are still in
    // screening. Without over_enrollment they are all randomised; with 0, none past the target.
    std::string text = capped_scenario(40, 8, 2.0, 20.0, 0, 0, 1);
    text.replace(text.find("[protocol.screening]"), 20,
                 "[protocol]\nscreening_to_randomisation_days = 14\n[protocol.screening]");
    const trial::Scenario open = test::load_text(text);
    std::string bounded_text = text;
    bounded_text.insert(bounded_text.find("[recruitment]"), "over_enrollment = 0\n");
    const trial::Scenario bounded = test::load_text(bounded_text);
    int over = 0;
    for (int r = 0; r < 20; ++r) {
        over += trial::run_replication(open, 9, r).randomised - 40;
        CHECK(trial::run_replication(bounded, 9, r).randomised == 40);
    }
    CHECK(over > 20);  // the allowance binds: without it, patients in screening are randomised
}
