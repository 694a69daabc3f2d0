#include "models/trial/time_to_event.hpp"

#include <cmath>

#include "sim/sim.hpp"

namespace trial {

double cumulative_hazard(const EventTimeModel& m, double days) {
    switch (m.kind) {
        case EventTimeModel::Kind::exponential:
            return m.rate_per_day * days;
        case EventTimeModel::Kind::weibull:
            return std::pow(days / m.scale_days, m.shape);
        case EventTimeModel::Kind::piecewise_exponential: {
            double h = 0.0;
            const auto& starts = m.piece_starts_days;
            for (std::size_t i = 0; i < starts.size() && starts[i] < days; ++i) {
                const double end = i + 1 < starts.size() ? std::min(starts[i + 1], days) : days;
                h += m.piece_hazards_per_day[i] * (end - starts[i]);
            }
            return h;
        }
    }
    return 0.0;
}

double days_at_cumulative_hazard(const EventTimeModel& m, double h) {
    switch (m.kind) {
        case EventTimeModel::Kind::exponential:
            return h / m.rate_per_day;
        case EventTimeModel::Kind::weibull:
            return m.scale_days * std::pow(h, 1.0 / m.shape);
        case EventTimeModel::Kind::piecewise_exponential: {
            const auto& starts = m.piece_starts_days;
            for (std::size_t i = 0; i < starts.size(); ++i) {
                const double rate = m.piece_hazards_per_day[i];
                const bool last = i + 1 == starts.size();
                const double in_piece = last ? sim::forever : rate * (starts[i + 1] - starts[i]);
                if (h <= in_piece) return rate > 0 ? starts[i] + h / rate : starts[i];
                h -= in_piece;
            }
            return sim::forever;
        }
    }
    return sim::forever;
}

namespace {

// The hazard at t (before the hazard ratio).
double hazard(const EventTimeModel& m, double days) {
    switch (m.kind) {
        case EventTimeModel::Kind::exponential:
            return m.rate_per_day;
        case EventTimeModel::Kind::weibull:
            return m.shape / m.scale_days * std::pow(days / m.scale_days, m.shape - 1);
        case EventTimeModel::Kind::piecewise_exponential: {
            const auto& starts = m.piece_starts_days;
            std::size_t i = 0;
            while (i + 1 < starts.size() && starts[i + 1] <= days)
                ++i;
            return m.piece_hazards_per_day.empty() ? 0.0 : m.piece_hazards_per_day[i];
        }
    }
    return 0.0;
}

}  // namespace

std::vector<double> log_params_of(const EventTimeModel& m) {
    switch (m.kind) {
        case EventTimeModel::Kind::exponential:
            return {std::log(m.rate_per_day * m.hazard_ratio)};
        case EventTimeModel::Kind::weibull:
            // H = HR (t / s)^k = (t / (s HR^(-1/k)))^k
            return {std::log(m.shape), std::log(m.scale_days) - std::log(m.hazard_ratio) / m.shape};
        case EventTimeModel::Kind::piecewise_exponential: {
            std::vector<double> out;
            for (double h : m.piece_hazards_per_day)
                out.push_back(std::log(std::max(h * m.hazard_ratio, 1e-12)));
            return out;
        }
    }
    return {};
}

EventTimeModel with_log_params(const EventTimeModel& like, const std::vector<double>& p) {
    EventTimeModel m = like;
    m.hazard_ratio = 1.0;
    switch (m.kind) {
        case EventTimeModel::Kind::exponential:
            m.rate_per_day = std::exp(p.at(0));
            break;
        case EventTimeModel::Kind::weibull:
            m.shape = std::exp(p.at(0));
            m.scale_days = std::exp(p.at(1));
            break;
        case EventTimeModel::Kind::piecewise_exponential:
            for (std::size_t i = 0; i < m.piece_hazards_per_day.size(); ++i)
                m.piece_hazards_per_day[i] = std::exp(p.at(i));
            break;
    }
    return m;
}

double event_log_density(const EventTimeModel& m, double days) {
    const double h = m.hazard_ratio * hazard(m, days);
    const double big_h = m.hazard_ratio * cumulative_hazard(m, days);
    return std::log1p(-m.cure_fraction) + std::log(h) - big_h;
}

double log_survival(const EventTimeModel& m, double days) {
    const double big_h = m.hazard_ratio * cumulative_hazard(m, days);
    if (m.cure_fraction <= 0) return -big_h;
    return std::log(m.cure_fraction + (1 - m.cure_fraction) * std::exp(-big_h));
}

double draw_days_to_event(const EventTimeModel& m, sim::Rng& rng, double survived_days) {
    // Two draws whether cured or not, so that one arm's cure fraction leaves the other draws
    // of the stream where they were.
    const double u_cure = rng.uniform01();
    const double e = -std::log1p(-rng.uniform01());  // Exp(1)
    // Given no event in the first s days: cured with c / (c + (1 - c) S(s)), and otherwise
    // the hazard accumulated from s on.
    const double h_survived =
        survived_days > 0 ? m.hazard_ratio * cumulative_hazard(m, survived_days) : 0.0;
    const double c = m.cure_fraction;
    const double cured = c > 0 ? c / (c + (1 - c) * std::exp(-h_survived)) : 0.0;
    if (u_cure < cured) return sim::forever;
    return days_at_cumulative_hazard(m, (h_survived + e) / m.hazard_ratio);
}

}  // namespace trial
