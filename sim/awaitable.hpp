#pragma once
// The shape shared by every kernel awaitable: it learns which process is waiting from the
// coroutine that suspends (a Process or a Task inside one), and on resumption reports how the
// wait ended (throwing Interrupted if it was interrupted).

#include <concepts>
#include <coroutine>

#include "sim/process.hpp"
#include "sim/simulation.hpp"

namespace sim {

template <class Promise>
concept InProcess = std::derived_from<Promise, ProcessContext>;

class WaitingProcess {
  protected:
    // Begins the wait; false means an interrupt was pending and the caller must not suspend.
    template <InProcess Promise>
    bool begin(std::coroutine_handle<Promise> waiting) noexcept {
        context_ = &waiting.promise();
        return context_->sim->begin_wait(context_->slot, waiting);
    }
    // How the wait ended; WakeReason::normal if the awaitable never had to wait.
    WakeReason end() const {
        return context_ ? context_->sim->end_wait(context_->slot) : WakeReason::normal;
    }
    Simulation& simulation() const noexcept { return *context_->sim; }
    std::uint32_t slot() const noexcept { return context_->slot; }

  private:
    ProcessContext* context_ = nullptr;
};

}  // namespace sim
