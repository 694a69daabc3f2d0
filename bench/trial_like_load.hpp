#pragma once
// The load the architecture was sized on: 50 sites with 3 staff each, 1,000 patients
// (20 per site, entering uniformly over the first year), each making 20 visits spaced
// Exp(mean 30 days), each visit holding one staff member for Exp(mean 0.1 day).

#include <cstdint>

namespace bench {

struct TrialLoadResult {
    std::uint64_t events = 0;
    std::uint64_t visits = 0;
    double mean_wait_days = 0;
    double last_visit_day = 0;
};

TrialLoadResult run_trial_like_load(std::uint64_t seed, std::uint64_t replication);

}  // namespace bench
