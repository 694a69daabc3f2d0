#pragma once
// The summary table printed after a run: median and P10/P90 over replications.

#include <iosfwd>
#include <vector>

#include "models/scenario/scenario.hpp"
#include "models/trial/summary.hpp"

namespace trial {

void print_summary(std::ostream& out, const Scenario& scenario,
                   const std::vector<ReplicationSummary>& replications);

}  // namespace trial
