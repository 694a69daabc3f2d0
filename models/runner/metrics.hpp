#pragma once
// The numbers a run is summarised by, computed once over the replications and then printed as
// a table, written as JSON or stored in HDF5: median and P10/P90 of each outcome, and how many
// replications reached it (a target never met has no day).

#include <string>
#include <vector>

#include "models/scenario/scenario.hpp"
#include "models/trial/summary.hpp"

namespace trial {

struct Metric {
    std::string key;    // stable, snake_case: the JSON and HDF5 name
    std::string label;  // for people
    double median = 0, p10 = 0, p90 = 0, mean = 0;
    int reached = 0;  // replications with a value
    int replications = 0;
};

struct RunSummary {
    std::vector<Metric> metrics;
    double p_target_met_by_plan = 0;
    int replications = 0;
};

// Quantile p of the values that are not NaN: linear between order statistics (type 7).
double quantile(std::vector<double> values, double p);

RunSummary summarise(const Scenario& scenario, const std::vector<ReplicationSummary>& replications);

}  // namespace trial
