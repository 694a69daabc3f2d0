#pragma once
// A rank's share of a Monte Carlo run as bytes, for the trip to rank 0 (parallel/ranks.hpp),
// and the shares put back together: the same MonteCarloResult, bit for bit, as one process
// running every replication (replication r is (seed, r) wherever it runs; the per-site series
// are integer sums).

#include <string>
#include <vector>

#include "models/runner/monte_carlo.hpp"

namespace trial {

// How a rank's share ended.
struct ShareStatus {
    bool cancelled = false;  // Ctrl-C: stopped early
    int failed_at = -1;      // the first replication (by index) that failed, if any
    std::string failure;     // and why
};

std::string share_to_bytes(const MonteCarloResult& share, const ShareStatus& status);

// The shares of every rank (element k from rank k), into one result in replication order;
// `status` says whether any rank was cancelled, and the failure of the lowest replication
// index with the rank it ran on ("rank K: replication R: what"). Throws std::runtime_error on
// bytes that are not a share.
MonteCarloResult shares_together(const std::vector<std::string>& shares, int traced,
                                 ShareStatus& status);

}  // namespace trial
