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
