#pragma once
// Waiting for another process to end: `co_await join(child)`.

#include "sim/awaitable.hpp"

namespace sim {

class Join : WaitingProcess {
  public:
    explicit Join(ProcessRef target) noexcept : target_(target) {}
    bool await_ready() const noexcept { return false; }
    template <InProcess Promise>
    bool await_suspend(std::coroutine_handle<Promise> waiting) {
        Simulation& sim = *waiting.promise().sim;
        if (sim.finished(target_)) return false;
        if (!begin(waiting)) return false;
        sim.add_joiner(target_, sim.current_wait(slot()));
        return true;
    }
    void await_resume() const { end(); }

  private:
    ProcessRef target_;
};

inline Join join(ProcessRef target) noexcept {
    return Join(target);
}

}  // namespace sim
