#include "models/calibration/poisson_gamma_fit.hpp"

#include <Eigen/Dense>
#include <algorithm>
#include <boost/math/special_functions/digamma.hpp>
#include <boost/math/special_functions/trigamma.hpp>
#include <cmath>
#include <optional>

namespace trial {
namespace {

struct Derivatives {
    double value = 0;
    Eigen::Vector2d gradient = Eigen::Vector2d::Zero();  // d/d(alpha, beta)
    Eigen::Matrix2d hessian = Eigen::Matrix2d::Zero();
};

Derivatives derivatives(const std::vector<SiteRecruitment>& sites, double alpha, double beta) {
    using boost::math::digamma;
    using boost::math::trigamma;
    Derivatives d;
    const double digamma_alpha = digamma(alpha), trigamma_alpha = trigamma(alpha);
    for (const SiteRecruitment& s : sites) {
        if (s.exposure_days <= 0) continue;
        const double k = s.patients, tau = s.exposure_days;
        d.value += std::lgamma(alpha + k) - std::lgamma(alpha) - std::lgamma(k + 1) +
                   alpha * std::log(beta) - (alpha + k) * std::log(beta + tau) +
                   (k > 0 ? k * std::log(tau) : 0.0);
        d.gradient(0) += digamma(alpha + k) - digamma_alpha + std::log(beta) - std::log(beta + tau);
        d.gradient(1) += alpha / beta - (alpha + k) / (beta + tau);
        d.hessian(0, 0) += trigamma(alpha + k) - trigamma_alpha;
        d.hessian(0, 1) += 1.0 / beta - 1.0 / (beta + tau);
        d.hessian(1, 1) += -alpha / (beta * beta) + (alpha + k) / ((beta + tau) * (beta + tau));
    }
    d.hessian(1, 0) = d.hessian(0, 1);
    return d;
}

// Where Newton's method starts: the method of moments on the site rates k/tau. None, with the
// reason in `problem`, when the data cannot give a spread.
std::optional<Eigen::Vector2d> moments_start(const std::vector<SiteRecruitment>& sites,
                                             std::string& problem) {
    double n = 0, mean = 0, square = 0, inverse_exposure = 0;
    for (const SiteRecruitment& s : sites) {
        if (s.exposure_days <= 0) continue;
        const double rate = s.patients / s.exposure_days;
        n += 1;
        mean += rate;
        square += rate * rate;
        inverse_exposure += 1.0 / s.exposure_days;
    }
    if (n < 2) {
        problem = "needs at least two sites that have been recruiting";
        return std::nullopt;
    }
    mean /= n;
    const double variance = (square - n * mean * mean) / (n - 1);
    if (mean <= 0) {
        problem = "no site has recruited anyone yet";
        return std::nullopt;
    }
    // Var(k/tau) = mean/tau + mean²/alpha (averaged over tau): the spread beyond Poisson noise.
    const double extra = variance - mean * inverse_exposure / n;
    if (extra <= 0) {
        problem =
            "the sites recruit too alike for a rate spread to be estimated (no "
            "variation beyond Poisson noise; alpha -> infinity): a common rate fits as well";
        return std::nullopt;
    }
    const double alpha = std::clamp(mean * mean / extra, 0.05, 1e3);
    return Eigen::Vector2d(alpha, alpha / mean);
}

// The gradient and Hessian in (u, v) = (ln alpha, ln beta).
void in_logs(const Derivatives& at, double a, double b, Eigen::Vector2d& g, Eigen::Matrix2d& h) {
    g = Eigen::Vector2d(a * at.gradient(0), b * at.gradient(1));
    h(0, 0) = a * a * at.hessian(0, 0) + a * at.gradient(0);
    h(1, 1) = b * b * at.hessian(1, 1) + b * at.gradient(1);
    h(0, 1) = h(1, 0) = a * b * at.hessian(0, 1);
}

// The direction of one step from `d`: Newton's where the Hessian is negative definite, else
// the gradient's; at most a factor e² in either parameter.
Eigen::Vector2d step_direction(const Derivatives& d, double alpha, double beta) {
    Eigen::Vector2d g;
    Eigen::Matrix2d h;
    in_logs(d, alpha, beta, g, h);
    Eigen::Vector2d step;
    const Eigen::LDLT<Eigen::Matrix2d> negative(-h);
    if (negative.info() == Eigen::Success && negative.isPositive() &&
        negative.vectorD().minCoeff() > 1e-12) {
        step = negative.solve(g);
    } else {
        step = g;
    }
    const double longest = step.cwiseAbs().maxCoeff();
    if (longest > 2.0) step *= 2.0 / longest;
    return step;
}

// The standard errors and correlation from the observed information at the estimate.
void standard_errors(const Derivatives& d, PoissonGammaFit& fit) {
    const Eigen::Matrix2d covariance = (-d.hessian).inverse();
    fit.alpha_se = std::sqrt(covariance(0, 0));
    fit.beta_se = std::sqrt(covariance(1, 1));
    fit.correlation = covariance(0, 1) / (fit.alpha_se * fit.beta_se);
    if (!(std::isfinite(fit.alpha_se) && std::isfinite(fit.beta_se))) {
        fit.converged = false;
        fit.problem = "the information matrix is singular at the estimate";
    }
}

}  // namespace

double poisson_gamma_log_likelihood(const std::vector<SiteRecruitment>& sites, double alpha,
                                    double beta) {
    return derivatives(sites, alpha, beta).value;
}

PoissonGammaFit fit_poisson_gamma(const std::vector<SiteRecruitment>& sites) {
    PoissonGammaFit fit;
    const std::optional<Eigen::Vector2d> start = moments_start(sites, fit.problem);
    if (!start) return fit;
    double alpha = (*start)(0);
    double beta = (*start)(1);

    // Newton's method on (u, v) = (ln alpha, ln beta), where the likelihood is closer to
    // quadratic and the parameters stay positive; where the Hessian there is not negative
    // definite (far from the maximum), a gradient step instead. Each step is halved until the
    // likelihood does not fall.
    Derivatives d = derivatives(sites, alpha, beta);
    for (fit.iterations = 1; fit.iterations <= 500; ++fit.iterations) {
        const Eigen::Vector2d step = step_direction(d, alpha, beta);
        double scale = 1.0;
        Derivatives next;
        bool moved = false;
        for (int halving = 0; halving < 60; ++halving, scale *= 0.5) {
            const double a = alpha * std::exp(scale * step(0)),
                         b = beta * std::exp(scale * step(1));
            if (a > 1e7) continue;
            next = derivatives(sites, a, b);
            if (next.value >= d.value - 1e-12 * std::abs(d.value)) {
                alpha = a;
                beta = b;
                moved = true;
                break;
            }
        }
        if (!moved) break;
        d = next;
        Eigen::Vector2d g;
        Eigen::Matrix2d h;
        in_logs(d, alpha, beta, g, h);
        if ((std::abs(scale * step(0)) < 1e-10 && std::abs(scale * step(1)) < 1e-10) ||
            g.cwiseAbs().maxCoeff() < 1e-9) {
            fit.converged = true;
            break;
        }
    }
    fit.alpha = alpha;
    fit.beta = beta;
    fit.log_likelihood = d.value;
    if (alpha >= 1e5) {
        fit.converged = false;
        fit.problem =
            "the sites recruit too alike for a rate spread to be estimated (alpha -> "
            "infinity): a common rate fits as well";
        return fit;
    }
    if (!fit.converged) {
        fit.problem = "Newton's method did not converge";
        return fit;
    }
    standard_errors(d, fit);
    return fit;
}

}  // namespace trial
