#pragma once
// What the visualizer knows of a results file: plain data, read once at load and aggregated
// there, so that drawing a frame never touches HDF5 or loops over replications.
// The schema is results/README.md; this reads it and nothing else (no simulator code).

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "models/stats/quantiles.hpp"

namespace viz {

// A results file that cannot be shown: the message names the file and what is wrong with it.
class LoadError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

// A row-major grid of floats (sites × weeks, weeks × quantiles, points × metrics).
struct Grid {
    int rows = 0;
    int cols = 0;
    std::vector<float> values;
    bool empty() const { return values.empty(); }
    float at(int row, int col) const { return values[std::size_t(row) * cols + col]; }
};

// The spread of one outcome over replications, as a box plot needs it (NaNs left out): the
// same quantiles as the command line's summaries (models/stats, pure arithmetic).
using stats::describe;
using stats::Distribution;

struct Metric {
    std::string key, label;
    double median = 0, p10 = 0, p90 = 0, mean = 0;
    int reached = 0;
};

struct Site {
    std::string id, country;
    double recruitment_rate_per_day = 0;
    double approval_day = 0, activation_day = 0, recruitment_end_day = 0, last_activity_day = 0;
    double randomised_mean = 0, p_met_target = 0, stock_outs_mean = 0, deviations_mean = 0;
    int target = 0;
};

struct TraceEvent {
    double day;
    int kind, site, patient, visit, detail;
    double value;
};

struct Trace {
    std::string name;  // replication_NNNN
    std::vector<TraceEvent> events;
};

// Per-replication outcomes the charts compare, in replication order.
struct Outcomes {
    std::vector<int> replication;
    std::vector<double> enrollment_duration_days, target_met_day, last_patient_last_visit_day,
        cost_total, cost_site_staff, deviations, stock_outs;
};

// A policy against its file's baseline on the same replications (common random numbers):
// the per-replication difference (policy − baseline), its mean and Student t 95 % interval.
struct Difference {
    std::string key, label;
    int pairs = 0;
    double mean = 0, ci_low = 0, ci_high = 0;
    Distribution spread;
};

// Anomaly flags raised while the trial ran (policies/<p>/anomalies, written by the policies
// that watch the trial), summarised at load.
struct Anomalies {
    bool recorded = false;
    std::vector<std::string> kinds;
    std::vector<double> per_replication;  // [kind]: flags per replication, on average
    struct SiteFlag {
        int site = 0, kind = 0;
        double share = 0;             // of replications in which the site was flagged
        double first_day_median = 0;  // median over those of the day it was first flagged
    };
    std::vector<SiteFlag> sites;  // every (site, kind) flagged at least once
};

// The readout (policies/<p>/readout, scenarios with [[analyses]]), summarised at load.
struct Readout {
    std::vector<std::string> analyses, endpoints, arms;
    std::vector<int> analysis_endpoint;  // per analysis, in `endpoints`
    double by_day = 0;                   // NaN: no date asked about
    std::vector<double> p_readout_by;    // per analysis
    struct Analysis {
        Distribution cutoff_day, readout_day;  // over the replications that reached it
        double events_median = 0;              // at the cut-off
        int reached = 0, replications = 0;
    };
    std::vector<Analysis> per_analysis;
    int weeks = 0;
    // Per endpoint × (arms + 1) + arm (the last: all arms): weeks × 5, cumulative.
    std::vector<Grid> events_bands;
};

struct Policy {
    std::string name;   // as stored (as_written, a variant, point_NNNN)
    std::string label;  // as shown: prefixed with the file when several files are open
    int file = 0;       // which of the open files
    double p_target_met_by_plan = 0;
    std::vector<Metric> metrics;
    const Metric* metric(const std::string& key) const;

    Outcomes outcomes;
    Distribution enrollment_duration, cost_total, target_met_day;

    int week_length_days = 7;
    Grid randomised_bands;  // weeks × 5
    std::vector<double> band_quantiles;

    std::vector<Site> sites;
    // sites × weeks; empty when the file does not hold them.
    Grid staff_utilisation, equipment_utilisation, equipment_down, equipment_conflicts,
        randomised_mean, kits_on_hand, stock_outs, deviations;

    std::vector<Difference> differences;  // against the first policy of the file; empty for it
    Anomalies anomalies;

    std::vector<std::string> trace_kinds;
    std::vector<std::string> trace_deviation_causes;  // a deviation's detail: kind × these + cause
    std::vector<Trace> traces;
    std::optional<Readout> readout;
};

struct Sweep {
    std::string design;
    std::vector<std::string> keys;
    std::vector<std::vector<std::string>> values;  // [point][key], TOML literals
    std::vector<std::string> metric_keys;
    Grid metric_medians;  // points × metrics
};

// A decision search (/optimise, written by `trialtwin optimise`): every evaluation in
// sample, and the few re-run on fresh replications.
struct Optimisation {
    std::string objective, sense, verdict;  // e.g. "mean:cost_total", "minimise"
    std::vector<std::string> constraints;   // e.g. "p:target_met_by_plan>=0.9"
    std::vector<double> objective_values;   // per evaluation, in sample
    std::vector<int> phase, sites_open;     // per evaluation
    std::vector<bool> feasible, on_front;   // per evaluation
    Grid constraint_values;                 // evaluations × constraints
    int chosen = -1;                        // the chosen evaluation; -1: none
    struct Validated {
        int evaluation = 0;
        double objective = 0;  // on fresh replications
        bool feasible = false, chosen = false;
        std::vector<double> constraints;  // per constraint: value, low, high
    };
    std::vector<Validated> validated;  // the plan as written first
    int candidate_sites = 0;
};

// A sensitivity analysis (/sensitivity, written by `trialtwin sensitivity`). Matrices are
// keys × outputs.
struct Sensitivity {
    std::vector<std::string> keys, outputs;
    std::vector<double> low, high, base;
    Grid oat_low, oat_high, oat_effect, oat_effect_low, oat_effect_high;
    bool sobol = false;
    Grid first, first_low, first_high, total, total_low, total_high;
};

// A forecast's starting point (/observed): what the running trial had done by the as-of date.
struct Observed {
    std::string as_of_date;
    double as_of_day = 0;
    std::vector<int> randomised_by_week;  // cumulative, weeks 0 .. as-of
};

struct ResultsFile {
    std::string path;
    std::optional<Observed> observed;
    std::string trial_name, start_date, currency, engine, tool_version, created_utc, command_line;
    std::string scenario_text;
    std::uint64_t seed = 0;
    int replications = 0;
    int randomisation_target = 0;
    double plan_target_met_day = 0;
    std::vector<Policy> policies;
    std::optional<Sweep> sweep;
    std::optional<Optimisation> optimisation;
    std::optional<Sensitivity> sensitivity;
};

// Reads a results file; throws LoadError naming the file and the object at fault. The file is
// read once in a child process first (models/h5/survives.hpp): one on which the HDF5 library
// crashes or hangs is refused with a message.
ResultsFile load_results(const std::string& path);
// The same without the child process: what the fuzz target (tests/fuzz) exercises.
ResultsFile read_results(const std::string& path);

// Everything the windows show: the files that loaded, the messages of those that did not.
struct Workspace {
    std::vector<ResultsFile> files;
    std::vector<std::string> errors;
    std::vector<const Policy*> policies;  // over all files, in order
    const ResultsFile& file_of(const Policy& p) const { return files[p.file]; }
    bool empty() const { return policies.empty(); }
};
Workspace open_workspace(const std::vector<std::string>& paths);

}  // namespace viz
