#pragma once
// Writes a run to an HDF5 results file (schema: results/README.md). The file is written under
// a temporary name beside the target and renamed when complete, so a crash or an interrupt
// never leaves a truncated file under the final name.

#include <atomic>
#include <string>

#include "models/results/decision_tables.hpp"
#include "models/results/schema.hpp"
#include "models/results/tables.hpp"
#include "models/scenario/scenario.hpp"

namespace trial {

struct RunMetadata {
    std::string tool_version;
    std::string command_line;
    std::string created_utc;  // ISO 8601; the only value that differs between identical runs
    std::uint64_t seed = 0;
    int threads = 1;
    std::string engine = "native";
};

inline constexpr int results_format_version = schema::format_version_value;

// The design of a sweep: which keys varied and each point's values (TOML literals).
struct SweepTable {
    std::string design;  // "grid" or "lhs"
    std::vector<std::string> keys;
    std::vector<std::vector<std::string>> values;  // [point][key]
};

// A forecast's starting point (trialtwin forecast): what was observed and what was fitted.
struct ForecastOrigin {
    std::string as_of_date;
    double as_of_day = 0;
    bool fitted = false;
    std::string fit_problem;
    double alpha = 0, beta = 0, alpha_se = 0, beta_se = 0, log_likelihood = 0;
    double dropout_rate_per_year = 0;
    int active_sites = 0, randomised = 0;
    std::string sites_csv, patients_csv;
    std::vector<std::int32_t> randomised_by_week;  // observed, cumulative, to the as-of week
};

// What a decision command adds to its results file (/optimise, /sensitivity); none by default.
struct DecisionGroups {
    const OptimiseTables* optimise = nullptr;
    const SensitivityTables* sensitivity = nullptr;
};

// `base` is the scenario file as read (stored as /scenario); each policy's tables (the runner's
// tabulate()) go under /policies/<name>, with their own scenario text where it differs. The
// file is made in memory and then put on disk (file_image.hpp): a disk that refuses it throws
// ResultsNotWritten, which still holds the file's bytes; Ctrl-C (`stop`) while writing throws
// WritingStopped; either way nothing is left behind.
void write_results_file(const std::string& path, const RunMetadata& metadata, const Scenario& base,
                        const std::vector<PolicyTables>& runs,
                        const ForecastOrigin* origin = nullptr,
                        const std::atomic<bool>* stop = nullptr, DecisionGroups decision = {});

// A sweep whose points were written to files of their own (so that an interrupted sweep keeps
// them): one results file holding every point's group and the /sweep table.
void assemble_sweep_file(const std::string& path, const RunMetadata& metadata, const Scenario& base,
                         int replications, const std::vector<std::string>& point_files,
                         const std::vector<std::string>& point_names, const SweepTable& sweep,
                         const std::atomic<bool>* stop = nullptr);

// Whether `point_file` holds a finished run of `scenario` under `point_name` with this seed and
// number of replications (so that --resume can keep it).
bool holds_finished_point(const std::string& point_file, const std::string& point_name,
                          const Scenario& scenario, std::uint64_t seed, int replications);

}  // namespace trial
