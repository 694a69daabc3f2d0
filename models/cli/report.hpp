#pragma once
// The run summary for people (a table) and for programs (JSON with stable keys, documented
// in results/README.md).

#include <iosfwd>
#include <string>

#include "models/runner/metrics.hpp"

namespace trial {

void print_summary(std::ostream& out, const Scenario& scenario, const RunSummary& run);
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
