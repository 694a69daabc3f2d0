#include "models/calibration/event_time_fit.hpp"

#include <Eigen/Dense>
#include <cmath>

#include "models/trial/time_to_event.hpp"

namespace trial {
namespace {

// Log posterior: log likelihood plus the weak prior around the scenario's log parameters.
double log_posterior(const EventTimeModel& like, const std::vector<FollowUp>& data,
                     const std::vector<double>& prior, const Eigen::VectorXd& theta) {
    const std::vector<double> p(theta.data(), theta.data() + theta.size());
    const EventTimeModel m = with_log_params(like, p);
    double ll = 0;
    for (const FollowUp& f : data)
        ll += f.event ? event_log_density(m, f.days) : log_survival(m, f.days);
    for (std::size_t i = 0; i < prior.size(); ++i) {
        const double z = (p[i] - prior[i]) / event_fit_prior_sd;
        ll -= 0.5 * z * z;
    }
    return ll;
}

}  // namespace

EventTimeFit fit_event_times(const EventTimeModel& scenario_model,
                             const std::vector<FollowUp>& data) {
    EventTimeFit fit;
    fit.model = scenario_model;
    for (const FollowUp& f : data) {
        fit.events += f.event;
        fit.exposure_days += f.days;
    }
    const std::vector<double> prior = log_params_of(scenario_model);
    fit.log_params = prior;
    if (fit.events < event_fit_min_events) {
        fit.problem = std::to_string(fit.events) + " events observed; at least " +
                      std::to_string(event_fit_min_events) + " are needed";
        return fit;
    }
    EventTimeModel like = scenario_model;
    like.hazard_ratio = 1.0;
    const int k = static_cast<int>(prior.size());
    Eigen::VectorXd theta = Eigen::Map<const Eigen::VectorXd>(prior.data(), k);
    auto f = [&](const Eigen::VectorXd& t) { return log_posterior(like, data, prior, t); };
    // Central differences: gradient and Hessian.
    const double step = 1e-4;
    auto derivatives = [&](const Eigen::VectorXd& t, Eigen::VectorXd& g, Eigen::MatrixXd& h) {
        const double f0 = f(t);
        g.resize(k);
        h.resize(k, k);
        for (int i = 0; i < k; ++i) {
            Eigen::VectorXd a = t, b = t;
            a[i] += step;
            b[i] -= step;
            const double fa = f(a), fb = f(b);
            g[i] = (fa - fb) / (2 * step);
            h(i, i) = (fa - 2 * f0 + fb) / (step * step);
            for (int j = 0; j < i; ++j) {
                Eigen::VectorXd pp = t, pm = t, mp = t, mm = t;
                pp[i] += step, pp[j] += step;
                pm[i] += step, pm[j] -= step;
                mp[i] -= step, mp[j] += step;
                mm[i] -= step, mm[j] -= step;
                h(i, j) = h(j, i) = (f(pp) - f(pm) - f(mp) + f(mm)) / (4 * step * step);
            }
        }
    };
    Eigen::VectorXd g;
    Eigen::MatrixXd h;
    bool converged = false;
    for (fit.iterations = 1; fit.iterations <= 100; ++fit.iterations) {
        derivatives(theta, g, h);
        Eigen::VectorXd move;
        const Eigen::LLT<Eigen::MatrixXd> negative(-h);
        if (negative.info() == Eigen::Success) {
            move = negative.solve(g);
        } else {
            move = g * 0.1;  // not concave here: a gradient step
        }
        // Step halving until the posterior does not fall; at most a unit change a step.
        const double largest = move.cwiseAbs().maxCoeff();
        if (largest > 1.0) move /= largest;
        const double before = f(theta);
        double scale = 1.0;
        while (scale > 1e-6 && !(f(theta + scale * move) >= before - 1e-12))
            scale /= 2;
        theta += scale * move;
        if ((scale * move).cwiseAbs().maxCoeff() < 1e-7) {
            converged = true;
            break;
        }
    }
    derivatives(theta, g, h);
    const Eigen::LLT<Eigen::MatrixXd> information(-h);
    if (!converged || information.info() != Eigen::Success || !theta.allFinite()) {
        fit.problem = "the likelihood's maximum was not found (kept the scenario's model)";
        return fit;
    }
    const Eigen::MatrixXd covariance = information.solve(Eigen::MatrixXd::Identity(k, k));
    fit.fitted = true;
    fit.log_params.assign(theta.data(), theta.data() + k);
    fit.model = with_log_params(like, fit.log_params);
    fit.covariance.assign(k * k, 0.0);
    fit.se.assign(k, 0.0);
    for (int i = 0; i < k; ++i) {
        fit.se[i] = std::sqrt(covariance(i, i));
        for (int j = 0; j < k; ++j)
            fit.covariance[i * k + j] = covariance(i, j);
    }
    return fit;
}

}  // namespace trial
