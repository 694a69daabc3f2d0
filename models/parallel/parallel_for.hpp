#pragma once
// The one way trialtwin spreads work over threads (the runner's replications, the summary's
// metrics, the results file's chunks). `body(worker, stop)` runs once for each worker
// 0 .. workers-1, worker 0 on the calling thread (SimGrid must stay on it); each body picks its
// own share of the work. When a body throws, `stop` turns true so that the others can end
// early, and once every worker has ended the first exception is rethrown on the calling
// thread: an error in a worker never takes the process down (std::terminate), and reads the
// same whatever the thread count.

#include <atomic>
#include <cstddef>
#include <functional>

namespace parallel {

void parallel_for(
    std::size_t workers,
    const std::function<void(std::size_t worker, const std::atomic<bool>& stop)>& body);

}  // namespace parallel
