#pragma once
// Waiting for time to pass: `co_await delay(days)` and `co_await until(day)`.
// Both always yield, so delay(0) lets every other event due now run first.

#include "sim/awaitable.hpp"

namespace sim {

template <bool Relative>
class Sleep {
  public:
    explicit Sleep(double days) noexcept : days_(days) {}
    bool await_ready() const noexcept { return false; }
    template <InProcess Promise>
    [[gnu::always_inline]] bool await_suspend(std::coroutine_handle<Promise> waiting) {
        context_ = &waiting.promise();
        Simulation& sim = *context_->sim;
        return sim.sleep_until(context_->slot, waiting, Relative ? sim.now() + days_ : days_);
    }
    void await_resume() const { context_->sim->end_wait(context_->slot); }

  private:
    double days_;
    ProcessContext* context_ = nullptr;
};

// Waits `days` (≥ 0) of simulated time.
inline Sleep<true> delay(double days) noexcept {
    return Sleep<true>(days);
}
// Waits until simulated day `day`; a day already past means "now, after what is due now".
inline Sleep<false> until(double day) noexcept {
    return Sleep<false>(day);
}

}  // namespace sim
