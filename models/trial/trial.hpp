#pragma once
// One replication of a trial: the scenario, a seed and a replication index in; what happened
// out, as a summary and, through `also`, as a stream of records. Same arguments, same result.

#include <cstdint>

#include "models/scenario/scenario.hpp"
#include "models/trial/recorder.hpp"
#include "models/trial/site_weeks.hpp"
#include "models/trial/summary.hpp"
#include "models/trial/trial_start.hpp"
#include "sim/simulation.hpp"

namespace trial {

// With `start`, the replication continues a running trial from its as-of day (trial_start.hpp):
// what happened before is taken as observed, the unknowns are drawn from their posteriors.
// `kernel` picks the kernel that runs it; both give the same result, bit for bit.
// Each site's weekly series go to `site_weeks` if given (site_weeks.hpp), else into the
// summary's own per-site series.
ReplicationSummary run_replication(const Scenario& scenario, std::uint64_t seed,
                                   std::uint64_t replication, Recorder* also = nullptr,
                                   const TrialStart* start = nullptr,
                                   sim::Kernel kernel = sim::Kernel::native,
                                   SiteWeeksSink* site_weeks = nullptr);

}  // namespace trial
