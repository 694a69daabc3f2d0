#include "models/decide/search.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>

namespace decide {
namespace {

// The objective as a number to maximise; NaN (never reached) below everything.
double goodness(double objective, bool maximise) {
    if (std::isnan(objective)) return -std::numeric_limits<double>::infinity();
    return maximise ? objective : -objective;
}

bool any_open(const Decision& d) {
    return d.open.empty() || std::any_of(d.open.begin(), d.open.end(), [](char o) { return o; });
}

// How much constraint slack going from `from` to `to` uses up (relative units).
double slack_used(const Score& from, const Score& to) {
    double used = 0;
    for (std::size_t j = 0; j < from.margins.size() && j < to.margins.size(); ++j)
        used += std::max(0.0, from.margins[j] - to.margins[j]);
    return used;
}

struct Flip {
    std::size_t candidate;
    Score score;
    double priority;  // higher first
};

}  // namespace

bool better(const Score& a, const Score& b, bool maximise) {
    if (a.feasible() != b.feasible()) return a.feasible();
    if (!a.feasible()) return a.shortfall < b.shortfall;
    return goodness(a.objective, maximise) > goodness(b.objective, maximise);
}

std::optional<Decision> choose_sites(const Decision& start, const Evaluate& evaluate, bool maximise,
                                     int max_rounds) {
    Decision current = start;
    std::optional<Score> current_score = evaluate(current, phase_sites);
    if (!current_score) return std::nullopt;
    for (int round = 0; round < max_rounds; ++round) {
        // Every single flip, ranked by what it is worth.
        std::vector<Flip> flips;
        std::optional<Flip> best_flip;
        for (std::size_t c = 0; c < current.open.size(); ++c) {
            Decision d = current;
            d.open[c] = !d.open[c];
            if (!any_open(d)) continue;
            std::optional<Score> s = evaluate(d, phase_sites);
            if (!s) return std::nullopt;
            if (!best_flip || better(*s, best_flip->score, maximise)) best_flip = Flip{c, *s, 0};
            const double gain =
                goodness(s->objective, maximise) - goodness(current_score->objective, maximise);
            double priority;
            if (!current_score->feasible()) {
                // Out of bounds: first what brings it nearer to them.
                const double nearer = current_score->shortfall - s->shortfall;
                if (nearer <= 0) continue;
                priority = nearer;
            } else {
                if (!(gain > 0)) continue;
                priority = gain / (slack_used(*current_score, *s) + 1e-9);
            }
            flips.push_back({c, *s, priority});
        }
        std::stable_sort(flips.begin(), flips.end(),
                         [](const Flip& a, const Flip& b) { return a.priority > b.priority; });
        // The walk along the ranking: flips applied one after another while it keeps finding a
        // better selection (two misses in a row end it).
        Decision best = current;
        Score best_score = *current_score;
        if (best_flip && better(best_flip->score, best_score, maximise)) {
            best = current;
            best.open[best_flip->candidate] = !best.open[best_flip->candidate];
            best_score = best_flip->score;
        }
        Decision walk = current;
        int misses = 0;
        for (const Flip& f : flips) {
            walk.open[f.candidate] = !walk.open[f.candidate];
            if (!any_open(walk)) break;
            std::optional<Score> s = evaluate(walk, phase_sites);
            if (!s) return std::nullopt;
            if (better(*s, best_score, maximise)) {
                best = walk;
                best_score = *s;
                misses = 0;
            } else if (++misses >= 2) {
                break;
            }
        }
        if (best == current) break;
        current = best;
        current_score = best_score;
    }
    return current;
}

double written_value(const Variable& variable, double value) {
    value = std::clamp(value, variable.low, variable.high);
    if (variable.integer) return std::round(value);
    // Six significant digits, read back: exactly the number the scenario will hold.
    char text[32];
    std::snprintf(text, sizeof text, "%.6g", value);
    return std::strtod(text, nullptr);
}

std::optional<Decision> pattern_search(const Decision& start,
                                       const std::vector<Variable>& variables,
                                       const Evaluate& evaluate, bool maximise, int budget) {
    const std::size_t n = variables.size();
    Decision current = start;
    for (std::size_t k = 0; k < n; ++k)
        current.values[k] = written_value(variables[k], current.values[k]);
    std::optional<Score> current_score = evaluate(current, phase_values);
    if (!current_score) return std::nullopt;
    std::vector<double> step(n);
    std::vector<bool> settled(n);
    for (std::size_t k = 0; k < n; ++k) {
        const double range = variables[k].high - variables[k].low;
        step[k] = variables[k].integer ? std::max(1.0, std::round(range / 4)) : range / 4;
        settled[k] = range <= 0;
    }
    int evaluations = 0;
    while (evaluations < budget &&
           std::any_of(settled.begin(), settled.end(), [](bool s) { return !s; })) {
        std::optional<Decision> best_poll;
        std::optional<Score> best_poll_score;
        for (std::size_t k = 0; k < n; ++k) {
            if (settled[k]) continue;
            for (const double direction : {-1.0, 1.0}) {
                Decision d = current;
                d.values[k] = written_value(variables[k], d.values[k] + direction * step[k]);
                if (d == current) continue;
                std::optional<Score> s = evaluate(d, phase_values);
                if (!s) return std::nullopt;
                ++evaluations;
                if (!best_poll_score || better(*s, *best_poll_score, maximise)) {
                    best_poll = d;
                    best_poll_score = s;
                }
            }
        }
        if (best_poll_score && better(*best_poll_score, *current_score, maximise)) {
            current = *best_poll;
            current_score = best_poll_score;
            continue;
        }
        for (std::size_t k = 0; k < n; ++k) {
            if (settled[k]) continue;
            if (variables[k].integer) {
                if (step[k] <= 1) settled[k] = true;
                step[k] = std::max(1.0, std::floor(step[k] / 2));
            } else {
                step[k] /= 2;
                if (step[k] < (variables[k].high - variables[k].low) / 64) settled[k] = true;
            }
        }
    }
    return current;
}

}  // namespace decide
