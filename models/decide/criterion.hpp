#pragma once
// What a decision is judged by: a statistic of one outcome over the replications, written
// STATISTIC:METRIC — `mean:cost_total`, `median:target_met_day`, `p90:enrollment_duration_days`,
// `p:target_met_by_plan` (the probability of a yes/no outcome) — and the constraints on such
// values, `p:target_met_by_plan>=0.9`, `p90:stock_outs<=2`.
//
// A statistic is taken over the replications that reached the outcome (a target never met has
// no day); when none did, it is NaN, which no constraint accepts and every objective ranks last.

#include <span>
#include <string>
#include <vector>

namespace decide {

enum class Statistic { mean, probability, quantile };

struct Criterion {
    std::string text;  // as given, e.g. "mean:cost_total"
    Statistic statistic = Statistic::mean;
    double quantile = 0.5;  // for Statistic::quantile: median 0.5, p90 0.9
    std::string metric;     // a summary metric's key
};

struct Constraint {
    std::string text;  // as given, e.g. "p:target_met_by_plan>=0.9"
    Criterion of;
    bool at_least = true;  // >= bound (else <=)
    double bound = 0;
};

// The outcomes a `p:` statistic applies to: those whose every value is 0 or 1.
bool is_yes_no(const std::string& metric_key);

// Parses "STATISTIC:METRIC" against the metrics the scenario has; false with a message
// naming `flag` and what would be accepted.
bool parse_criterion(const std::string& flag, const std::string& text,
                     std::span<const std::string> metric_keys, Criterion& out, std::string& error);
// Parses "STATISTIC:METRIC>=BOUND" (or <=); a probability's bound must lie in [0, 1].
bool parse_constraint(const std::string& flag, const std::string& text,
                      std::span<const std::string> metric_keys, Constraint& out,
                      std::string& error);

// The statistic of one outcome's per-replication values (NaN: not reached).
double value_of(const Criterion& criterion, std::span<const double> per_replication);

// How far `value` falls short of the constraint, relative to the bound's size (0 when met;
// 1e9 for NaN, an outcome never reached).
double shortfall(const Constraint& constraint, double value);

}  // namespace decide
