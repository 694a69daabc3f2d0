#pragma once
// `sim::ProcessRef me = co_await sim::this_process();` — the running process's own reference,
// e.g. to hand to a process that may interrupt it. Never suspends.

#include "sim/awaitable.hpp"

namespace sim {

class ThisProcess {
  public:
    bool await_ready() const noexcept { return false; }
    template <InProcess Promise>
    bool await_suspend(std::coroutine_handle<Promise> running) noexcept {
        ref_ = running.promise().sim->reference(running.promise().slot);
        return false;  // carry on at once
    }
    ProcessRef await_resume() const noexcept { return ref_; }

  private:
    ProcessRef ref_;
};

inline ThisProcess this_process() noexcept {
    return {};
}

}  // namespace sim
