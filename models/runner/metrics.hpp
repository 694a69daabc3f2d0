#pragma once
// The numbers a run is summarised by, computed once over the replications and then printed as
// a table, written as JSON or stored in HDF5: median and P10/P90 of each outcome, and how many
// replications reached it (a target never met has no day).

#include <cstdint>
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
    double (*of)(const ReplicationSummary&);
};
// Every metric, in report order; labels of costs carry the scenario's currency.
std::vector<MetricDefinition> metric_definitions(const std::string& currency);

struct RunSummary {
    std::vector<Metric> metrics;
    double p_target_met_by_plan = 0;
    int replications = 0;
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
