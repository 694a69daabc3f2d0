#pragma once
// The Poisson-gamma recruitment model fitted to what sites have recruited so far (Anisimov &
// Fedorov 2007): site i, open for tau_i days, saw k_i patients; rates lambda_i ~ Gamma(alpha,
// rate beta) and k_i | lambda_i ~ Poisson(lambda_i tau_i), so k_i is negative binomial and
//   log L(alpha, beta) = sum_i [ lnG(alpha + k_i) - lnG(alpha) - ln k_i!
//                                + alpha ln beta - (alpha + k_i) ln(beta + tau_i) + k_i ln tau_i ].
// Maximised by Newton's method with the analytic gradient and Hessian (Eigen); standard errors
// from the observed information. Each site's rate posterior is then Gamma(alpha + k_i,
// beta + tau_i).

#include <string>
#include <vector>

namespace trial {

struct SiteRecruitment {
    int patients = 0;          // k: arrived (screened) so far
    double exposure_days = 0;  // tau: days open to recruitment so far
};

struct PoissonGammaFit {
    bool converged = false;
    std::string problem;         // why not, in words
    double alpha = 0, beta = 0;  // prior shape, and rate in days
    double alpha_se = 0, beta_se = 0;
    double correlation = 0;  // between the two estimates
    double log_likelihood = 0;
    int iterations = 0;
};

// Needs at least two sites with exposure, and some spread in their rates beyond Poisson noise
// (otherwise the MLE of alpha is infinite: all sites alike; the fit then says so).
PoissonGammaFit fit_poisson_gamma(const std::vector<SiteRecruitment>& sites);

double poisson_gamma_log_likelihood(const std::vector<SiteRecruitment>& sites, double alpha,
                                    double beta);

}  // namespace trial
