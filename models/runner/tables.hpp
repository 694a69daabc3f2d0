#pragma once
// A policy's run turned into what its part of the results file holds (models/results/
// tables.hpp): the per-replication rows, the weekly quantile bands, the site table's medians
// and means, the per-site weekly means, the anomaly rows and the summary metrics. Every
// statistic a results file carries is computed here or in metrics.hpp; the store only writes.

#include <string>

#include "models/results/tables.hpp"
#include "models/runner/metrics.hpp"
#include "models/runner/monte_carlo.hpp"

namespace trial {

// `scenario`: as this policy ran; `base`: the file's scenario (a variant whose text differs
// keeps its own). The replications' anomaly lists and weekly randomised series move into the
// tables (left empty in `run`: at 10,000 replications, both copies at once were 65 MB); the
// tables refer to `run`'s traces: keep `run` while they are in use.
PolicyTables tabulate(const std::string& name, const Scenario& scenario, const Scenario& base,
                      MonteCarloResult& run, const RunSummary& summary);

}  // namespace trial
