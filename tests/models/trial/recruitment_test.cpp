// Recruitment against closed forms. With all N sites open at day 0, rates λᵢ ~ Gamma(α, β)
// (rate β), no screen failure and no capacity limits, the total rate is Gamma(Nα, β) and the
// time T to n randomised patients has (Anisimov & Fedorov 2007)
//   E[T] = nβ/(Nα−1),  Var[T] = n(n+Nα−1)β² / ((Nα−1)²(Nα−2)).
// Mean and standard deviation over 2,000 replications must lie within 3 standard errors.

#include <catch2/catch.hpp>
#include <cmath>
#include <sstream>

#include "models/stats/running_stats.hpp"
#include "models/trial/trial.hpp"
#include "tests/models/capture.hpp"

namespace {

std::string poisson_gamma_scenario(int n, int sites, double alpha, double beta) {
    std::ostringstream toml;
    toml << "[trial]\nname = \"poisson-gamma\"\nstart_date = 2027-01-04\n"
         << "randomisation_target = " << n << "\nplan_target_met_date = 2030-01-01\n"
         << "horizon_days = 36500\n"
         << "[recruitment]\nrate_shape = " << alpha << "\nrate_rate_days = " << beta << "\n"
         << "[[countries]]\ncode = \"XX\"\napproval_days = 0\ncontracting_days = 0\n"
         << "activation_days = 0\n[protocol.screening]\n";
    for (int s = 0; s < sites; ++s)
        toml << "[[sites]]\nid = \"S" << s << "\"\ncountry = \"XX\"\n";
    return toml.str();
}

struct Moments {
    stats::RunningStats times;
    double fourth_central = 0;  // for the standard error of the s.d.
};

void check_time_to_target(int n, int sites, double alpha, double beta, std::uint64_t seed) {
    const trial::Scenario scenario = test::load_text(poisson_gamma_scenario(n, sites, alpha, beta));
    constexpr int replications = 2000;
    std::vector<double> times;
    stats::RunningStats stats;
    for (int r = 0; r < replications; ++r) {
        const trial::ReplicationSummary s = trial::run_replication(scenario, seed, r);
        REQUIRE(s.randomised == n);
        times.push_back(s.target_met_day);
        stats.add(s.target_met_day);
    }
    const double a = sites * alpha;
    const double mean = n * beta / (a - 1);
    const double variance = n * (n + a - 1) * beta * beta / ((a - 1) * (a - 1) * (a - 2));

    // s.e. of the sample s.d. from the sample's fourth central moment (delta method):
    // Var(s²) ≈ (μ₄ − σ⁴)/R, s.e.(s) ≈ s.e.(s²) / (2s).
    double mu4 = 0;
    for (double t : times)
        mu4 += std::pow(t - stats.mean(), 4);
    mu4 /= replications;
    const double se_variance = std::sqrt((mu4 - std::pow(stats.variance(), 2)) / replications);
    const double se_sd = se_variance / (2 * stats.stddev());

    INFO("n=" << n << " N=" << sites << " alpha=" << alpha << " beta=" << beta);
    INFO("mean " << stats.mean() << " ± " << stats.standard_error() << ", theory " << mean);
    INFO("s.d. " << stats.stddev() << " ± " << se_sd << ", theory " << std::sqrt(variance));
    CHECK(std::abs(stats.mean() - mean) <= 3 * stats.standard_error());
    CHECK(std::abs(stats.stddev() - std::sqrt(variance)) <= 3 * se_sd);
    // The checks must be able to fail: errors small against the values.
    CHECK(stats.standard_error() < 0.02 * mean);
    CHECK(se_sd < 0.05 * std::sqrt(variance));
}

}  // namespace

TEST_CASE("time to target matches Poisson-gamma: n=100, N=20, alpha=2, beta=50",
          "[recruitment][statistical]") {
    check_time_to_target(100, 20, 2.0, 50.0, 1001);
}

TEST_CASE("time to target matches Poisson-gamma: n=50, N=10, alpha=1.5, beta=20",
          "[recruitment][statistical]") {
    check_time_to_target(50, 10, 1.5, 20.0, 2002);
}

TEST_CASE("screen failures thin arrivals to a Poisson process of rate lambda(1-p)",
          "[recruitment][screening][statistical]") {
    const trial::Scenario scenario = test::load_bundled("minimal/screen_failure.toml");
    stats::RunningStats time_to_target, failures;
    for (int r = 0; r < 1000; ++r) {
        const trial::ReplicationSummary s = trial::run_replication(scenario, 77, r);
        REQUIRE(s.randomised == 60);
        REQUIRE(s.screened == s.arrived);
        time_to_target.add(s.target_met_day);
        failures.add(s.screen_failed);
    }
    // Gamma(60, 0.3): mean 200 days. The failed share per trial is a ratio estimator of 0.4.
    INFO("time " << time_to_target.mean() << " ± " << time_to_target.standard_error());
    CHECK(std::abs(time_to_target.mean() - 200.0) <= 3 * time_to_target.standard_error());
    CHECK(time_to_target.stddev() == Approx(std::sqrt(60.0) / 0.3).epsilon(0.08));
    // Failures before the 60th eligible patient: negative binomial, mean 60·0.4/0.6 = 40,
    // variance 60·0.4/0.6² = 66.7.
    INFO("failures " << failures.mean() << " ± " << failures.standard_error());
    CHECK(std::abs(failures.mean() - 40.0) <= 3 * failures.standard_error());
    CHECK(failures.variance() == Approx(60 * 0.4 / 0.36).epsilon(0.12));
}
