#pragma once
// One replication of a trial: the scenario, a seed and a replication index in; what happened
// out, as a summary and, through `also`, as a stream of records. Same arguments, same result.

#include <cstdint>

#include "models/scenario/scenario.hpp"
#include "models/trial/recorder.hpp"
#include "models/trial/summary.hpp"

namespace trial {

ReplicationSummary run_replication(const Scenario& scenario, std::uint64_t seed,
                                   std::uint64_t replication, Recorder* also = nullptr);

}  // namespace trial
