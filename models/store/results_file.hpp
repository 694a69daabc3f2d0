#pragma once
// Writes a run to an HDF5 results file (schema: results/README.md). The file is written under
// a temporary name beside the target and renamed when complete, so a crash or an interrupt
// never leaves a truncated file under the final name.

#include <string>

#include "models/runner/metrics.hpp"
#include "models/runner/monte_carlo.hpp"

namespace trial {

struct RunMetadata {
    std::string tool_version;
    std::string command_line;
    std::string created_utc;  // ISO 8601; the only value that differs between identical runs
    std::uint64_t seed = 0;
    int threads = 1;
    std::string engine = "native";
};

inline constexpr int results_format_version = 1;

// One policy (or scenario variant) run on the file's replications.
struct PolicyRun {
    std::string name;
    const Scenario* scenario;  // as run (variants carry their overrides in their text)
    const MonteCarloResult* result;
    const RunSummary* summary;
};

// Throws std::runtime_error naming the file on failure (and leaves nothing behind). The first
// run is the baseline; its scenario is stored as /scenario.
void write_results_file(const std::string& path, const RunMetadata& metadata,
                        const std::vector<PolicyRun>& runs);

}  // namespace trial
