#include "models/parallel/parallel_for.hpp"

#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace parallel {

void parallel_for(
    std::size_t workers,
    const std::function<void(std::size_t worker, const std::atomic<bool>& stop)>& body) {
    std::atomic<bool> stop{false};
    std::exception_ptr first_failure;
    std::mutex failure_lock;
    auto run = [&](std::size_t worker) {
        try {
            body(worker, stop);
        } catch (...) {
            const std::lock_guard<std::mutex> hold(failure_lock);
            if (!first_failure) first_failure = std::current_exception();
            stop = true;
        }
    };
    std::vector<std::thread> pool;
    for (std::size_t w = 1; w < workers; ++w)
        pool.emplace_back(run, w);
    run(0);
    for (std::thread& t : pool)
        t.join();
    if (first_failure) std::rethrow_exception(first_failure);
}

}  // namespace parallel
