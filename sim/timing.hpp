#pragma once
// Waiting for time to pass: `co_await delay(days)` and `co_await until(day)`.
// Both always yield, so delay(0) lets every other event due now run first.

#include "sim/awaitable.hpp"

namespace sim {

class UntilDay : WaitingProcess {
public:
    explicit UntilDay(double day, bool relative) noexcept : day_(day), relative_(relative) {}
    bool await_ready() const noexcept { return false; }
    template <InProcess Promise>
    bool await_suspend(std::coroutine_handle<Promise> waiting) {
        if (!begin(waiting)) return false;
        Simulation& sim = simulation();
        sim.wake_at(slot(), relative_ ? sim.now() + day_ : day_, WakeReason::normal);
        return true;
    }
    void await_resume() const { end(); }

private:
    double day_;
    bool relative_;
};

// Waits `days` (≥ 0) of simulated time.
inline UntilDay delay(double days) noexcept { return UntilDay(days, true); }
// Waits until simulated day `day`; a day already past means "now, after what is due now".
inline UntilDay until(double day) noexcept { return UntilDay(day, false); }

}  // namespace sim
