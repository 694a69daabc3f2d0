// Fitting the Poisson-gamma recruitment model to observed site counts: the likelihood's
// derivatives, and recovery of known parameters from synthetic trials.

#include <boost/random/gamma_distribution.hpp>
#include <boost/random/poisson_distribution.hpp>
#include <boost/random/uniform_real_distribution.hpp>
#include <catch2/catch.hpp>
#include <cmath>

#include "models/calibration/poisson_gamma_fit.hpp"
#include "sim/random.hpp"

namespace {

// Sites of one synthetic trial: rates ~ Gamma(alpha, beta), exposures 60..400 days.
std::vector<trial::SiteRecruitment> synthetic_trial(double alpha, double beta, int sites,
                                                    std::uint64_t trial_index) {
    sim::Rng rng = sim::stream(2027, trial_index, "synthetic.trial");
    std::vector<trial::SiteRecruitment> out;
    for (int i = 0; i < sites; ++i) {
        const double tau = boost::random::uniform_real_distribution<double>(60, 400)(rng);
        const double rate = boost::random::gamma_distribution<double>(alpha, 1.0 / beta)(rng);
        const int k = boost::random::poisson_distribution<int, double>(rate * tau)(rng);
        out.push_back({k, tau});
    }
    return out;
}

}  // namespace

TEST_CASE("the Poisson-gamma log-likelihood's gradient and Hessian agree with differences",
          "[calibration]") {
    const auto sites = synthetic_trial(2.0, 75.0, 40, 1);
    const trial::PoissonGammaFit fit = trial::fit_poisson_gamma(sites);
    REQUIRE(fit.converged);
    // At the maximum the likelihood falls in every direction, by about ½ hᵀ(−H)h.
    const double h = 1e-4;
    const double at = trial::poisson_gamma_log_likelihood(sites, fit.alpha, fit.beta);
    CHECK(at == Approx(fit.log_likelihood));
    for (double da : {-h, h}) {
        CHECK(trial::poisson_gamma_log_likelihood(sites, fit.alpha * (1 + da), fit.beta) < at);
        CHECK(trial::poisson_gamma_log_likelihood(sites, fit.alpha, fit.beta * (1 + da)) < at);
    }
    // Curvature along alpha: 1 / SE² (marginal) ≤ −∂²L/∂α², checked by second differences.
    const double e = 1e-3 * fit.alpha;
    const double second =
        (trial::poisson_gamma_log_likelihood(sites, fit.alpha + e, fit.beta) - 2 * at +
         trial::poisson_gamma_log_likelihood(sites, fit.alpha - e, fit.beta)) /
        (e * e);
    const double information_alpha = -second;
    const double marginal = 1.0 / (fit.alpha_se * fit.alpha_se);
    CHECK(marginal ==
          Approx(information_alpha * (1 - fit.correlation * fit.correlation)).epsilon(1e-3));
}

TEST_CASE("the MLE recovers known (alpha, beta): 95 % intervals cover ≈ 95 % of 300 trials",
          "[calibration][statistical]") {
    const double alpha = 2.0, beta = 75.0;
    const int trials = 300;
    int covered_alpha = 0, covered_beta = 0, converged = 0;
    for (int t = 0; t < trials; ++t) {
        const trial::PoissonGammaFit fit =
            trial::fit_poisson_gamma(synthetic_trial(alpha, beta, 120, t));
        if (!fit.converged) continue;
        ++converged;
        covered_alpha += std::abs(fit.alpha - alpha) <= 1.96 * fit.alpha_se;
        covered_beta += std::abs(fit.beta - beta) <= 1.96 * fit.beta_se;
    }
    CHECK(converged == trials);
    // Binomial(300, 0.95) has s.d. 1.26 %: 0.90..0.99 allows for the Wald intervals'
    // finite-sample bias (alpha's estimate is right-skewed) and Monte Carlo error.
    const double a = double(covered_alpha) / converged, b = double(covered_beta) / converged;
    UNSCOPED_INFO("coverage alpha " << a << ", beta " << b);
    CHECK(a >= 0.90);
    CHECK(a <= 0.99);
    CHECK(b >= 0.90);
    CHECK(b <= 0.99);
}

TEST_CASE("a fit that cannot be made says why", "[calibration]") {
    CHECK_FALSE(trial::fit_poisson_gamma({{3, 100}}).converged);
    const auto none = trial::fit_poisson_gamma({{0, 100}, {0, 50}});
    CHECK_FALSE(none.converged);
    CHECK(none.problem == "no site has recruited anyone yet");
    // Identical sites: no spread between rates, alpha → ∞.
    std::vector<trial::SiteRecruitment> alike(30, {10, 100});
    const auto flat = trial::fit_poisson_gamma(alike);
    CHECK_FALSE(flat.converged);
    CHECK(flat.problem.find("too alike") != std::string::npos);
}
