#pragma once
// What `trialtwin optimise` and `trialtwin sensitivity` write besides the runs themselves
// (schema: results/README.md, /optimise and /sensitivity), as plain data the commands fill and
// the store serialises.

#include <cstdint>
#include <string>
#include <vector>

#include "models/results/tables.hpp"

namespace trial {

// One row of /optimise/evaluations: a decision evaluated in sample, in evaluation order.
struct OptimiseEvaluationRow {
    std::int32_t evaluation;
    std::int32_t phase;  // 0 the plan as written, 1 site selection, 2 values of the keys
    double objective;
    double shortfall;  // 0: every constraint met in sample
    std::int8_t feasible;
    std::int8_t on_front;  // on the trade-off front of the objective against the first constraint
    std::int32_t sites_open;  // candidate sites open
};

// One row of /optimise/validation: a candidate re-run on fresh replications.
struct OptimiseValidationRow {
    std::int32_t evaluation;  // its row in evaluations (the plan as written: its own row too)
    double in_sample_objective;
    double objective;                                    // out of sample
    double difference, difference_low, difference_high;  // against the plan as written, paired
    std::int8_t feasible;                                // out of sample
    std::int8_t chosen;
};

struct OptimiseTables {
    std::string objective;  // e.g. "mean:cost_total"
    std::string sense;      // "minimise" or "maximise"
    std::vector<std::string> constraints, variables, candidate_sites;
    int replications = 0;
    std::uint64_t seed = 0;
    int validation_replications = 0;
    std::uint64_t validation_seed = 0;
    std::vector<OptimiseEvaluationRow> evaluations;
    Grid<double> constraint_values;      // evaluations × constraints: the statistics' values
    Grid<double> variable_values;        // evaluations × variables
    Grid<std::int8_t> sites_open;        // evaluations × candidate sites
    std::vector<std::string> decisions;  // per evaluation: its --set list, one line
    std::vector<OptimiseValidationRow> validation;
    Grid<double> validation_constraints;  // validated × (constraints × 3: value, low, high)
    std::int32_t chosen_evaluation = -1;  // -1: no candidate held out of sample
    std::vector<std::string> chosen_sets;
    std::string verdict;  // the answer in words
};

struct SensitivityTables {
    std::vector<std::string> keys;     // the inputs varied
    std::vector<double> low, high;     // their ranges
    std::vector<std::string> outputs;  // criteria, e.g. "mean:cost_total"
    int replications = 0;
    std::uint64_t seed = 0;
    std::vector<double> base;  // per output: its value for the scenario as written
    // One at a time (keys × outputs): the value at the key's low and high end, others as
    // written, and the paired difference high − low with its 95 % interval.
    Grid<double> oat_low, oat_high, oat_effect, oat_effect_low, oat_effect_high;
    // Sobol indices (keys × outputs), from a design of base_points × (keys + 2) points.
    bool has_sobol = false;
    int base_points = 0;
    int bootstrap = 0;
    Grid<double> design;          // points × keys, in the keys' own units
    Grid<double> design_outputs;  // points × outputs
    Grid<double> first, first_low, first_high, total, total_low, total_high;
};

}  // namespace trial
