#pragma once
// The run summary for people (a table) and for programs (JSON with stable keys, documented
// in results/README.md).

#include <iosfwd>
#include <string>

#include "models/runner/metrics.hpp"

namespace trial {

void print_summary(std::ostream& out, const Scenario& scenario, const RunSummary& run);
std::string summary_json(const Scenario& scenario, const RunSummary& run, std::uint64_t seed);

}  // namespace trial
