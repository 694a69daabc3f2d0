#pragma once
// The least a trial-shaped model pays per visit as the trial grows (issue 26): the reference
// trial's shape on the kernel with nothing of the trial's rules left, scaled K times. 53 × K
// sites, 600 × K patients entering over 500 days, each making 18 visits spaced Exp(mean 21
// days); a visit wakes the patient (one event), reads and writes its own ~1 KB of state in its
// coroutine frame, its site's state (`site_lines` cache lines of it) and its diary row of the
// day (a site's rows are a vector of its own, as SiteDiary's), then waits out the visit (a second
// event). At K = 1 the patients in flight hold ~0.7 MB of frames, at K = 16 ~10 MB: the real
// model's working sets (bench/README.md, session 20). Events run in (time, sequence) order as the
// trial's do, so between two visits of a patient every other patient and site has run.
//
// What it measures is a floor: the visit's own lines missed at a larger working set, with
// none of the real model's other reads (booking index, staff, kits, recorder, epochs).

#include <cstdint>

namespace bench {

struct WorkingSetResult {
    std::uint64_t events = 0;
    std::uint64_t visits = 0;
    std::uint64_t checksum = 0;  // so that nothing read is optimised away
    double run_seconds = 0;      // the events alone (not making the sites and patients)
};

// `site_lines` of the site's state read a visit (0 to 12); with `diary`, the diary row too.
WorkingSetResult run_working_set_load(int scale, int site_lines, bool diary,
                                      std::uint64_t replication);

}  // namespace bench
