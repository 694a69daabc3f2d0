#pragma once
// The run summary for people (a table) and for programs (JSON with stable keys, documented
// in results/README.md).

#include <iosfwd>
#include <string>

#include "models/calibration/as_of.hpp"
#include "models/runner/metrics.hpp"
#include "models/store/results_file.hpp"

namespace trial {

void print_summary(std::ostream& out, const Scenario& scenario, const RunSummary& run);
// Each analysis' cut-off and readout as dates (median, P10 to P90), its events, and
// P(readout by the date asked about); nothing without [[analyses]].
void print_readout(std::ostream& out, const Scenario& scenario, const RunSummary& run);

// The calendar date `days` after the trial's start date (YYYY-MM-DD).
std::string date_after(const std::string& start_date, double days);
// forecast: what was fitted to the observed data, and when the target will be met.
void print_calibration(std::ostream& out, const Scenario& scenario, const Calibration& c,
                       const std::string& as_of);
void print_forecast(std::ostream& out, const Scenario& scenario, const std::string& policy,
                    const std::vector<ReplicationSummary>& replications, const std::string& as_of);
// Adds "forecast": {as_of, fit, per policy the target-met date median and 90 % interval} to
// a summary or comparison JSON (keys: results/README.md).
std::string with_forecast_json(const std::string& json, const Scenario& scenario,
                               const ForecastOrigin& origin, const std::vector<std::string>& names,
                               const std::vector<const std::vector<ReplicationSummary>*>& runs);
// The /observed record of a forecast's results file.
ForecastOrigin forecast_origin(const Scenario& scenario, const ObservedTrial& observed,
                               const Calibration& c);
std::string summary_json(const Scenario& scenario, const RunSummary& run, std::uint64_t seed);

// A variant against the baseline: paired differences with 95 % confidence intervals.
void print_comparison(std::ostream& out, const std::string& baseline, const std::string& variant,
                      const std::vector<PairedDifference>& differences);
// The few lines a sponsor reads (duration, delay, visit deviations, staffing cost, sites on
// target, plan met), with relative changes.
void print_headline(std::ostream& out, const std::string& baseline, const std::string& variant,
                    const std::vector<PairedDifference>& differences);
std::string comparison_json(const Scenario& baseline, const std::string& baseline_name,
                            const RunSummary& baseline_summary,
                            const std::vector<std::string>& names,
                            const std::vector<RunSummary>& summaries,
                            const std::vector<std::vector<PairedDifference>>& differences,
                            std::uint64_t seed);

}  // namespace trial
