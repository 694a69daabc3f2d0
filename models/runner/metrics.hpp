#pragma once
// The numbers a run is summarised by, computed once over the replications and then printed as
// a table, written as JSON or stored in HDF5: median and P10/P90 of each outcome, and how many
// replications reached it (a target never met has no day).

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "models/results/tables.hpp"
#include "models/scenario/scenario.hpp"
#include "models/trial/summary.hpp"

namespace trial {

// One outcome of a replication, by name: what summaries and comparisons are made of.
struct MetricDefinition {
    std::string key;
    std::string label;
    std::function<double(const ReplicationSummary&)> of;
};
// Every metric, in report order; labels of costs carry the scenario's currency; each analysis
// of the scenario adds its cut-off, lock and readout days, its events and whether it was
// reached (analysis_<name>_...: the name in lower case, other than letters and digits as _).
std::vector<MetricDefinition> metric_definitions(const Scenario& scenario);

// The key an analysis' metrics start with.
std::string analysis_key(const std::string& name);

struct RunSummary {
    std::vector<Metric> metrics;
    double p_target_met_by_plan = 0;
    int replications = 0;
    // P(readout by readout_by_day) for each analysis (over every replication: one never read
    // out counts as not by then); readout_by_day NaN: no date to ask about.
    double readout_by_day = std::nan("");
    std::vector<double> p_readout_by;
    // The share of replications whose last visit ran into the horizon (follow-up cut off).
    double share_cut_off_by_horizon = 0;
};

RunSummary summarise(const Scenario& scenario, const std::vector<ReplicationSummary>& replications);

// A variant against the baseline on the same replications (common random numbers): the mean
// of the per-replication differences (variant − baseline) with a 95 % confidence interval
// (Student t on the paired differences), over replications where both have a value.
struct PairedDifference {
    std::string key;
    std::string label;
    double baseline_mean = 0, variant_mean = 0;
    double mean_difference = 0, ci_low = 0, ci_high = 0;
    int pairs = 0;
};
std::vector<PairedDifference> paired_differences(const Scenario& scenario,
                                                 const std::vector<ReplicationSummary>& baseline,
                                                 const std::vector<ReplicationSummary>& variant);

}  // namespace trial
