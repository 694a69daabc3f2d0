#pragma once
// Processes waiting for something to happen.
// - Signal: one-shot and latched. Once triggered, waits pass at once until reset().
// - Broadcast: each notify() wakes those waiting at that moment; later waiters wait for the
//   next notify().
// Waiters wake in the order they began waiting.

#include "sim/awaitable.hpp"
#include "sim/ring_buffer.hpp"

namespace sim {

class WakeList {
  public:
    void add(Wake wait) { waits_.push_back(wait); }
    void wake_all(Simulation& sim) {
        for (std::size_t n = waits_.size(); n > 0; --n) {
            const Wake wait = waits_.front();
            waits_.pop_front();
            if (sim.is_waiting(wait)) sim.wake_now(wait);
        }
    }

  private:
    RingBuffer<Wake> waits_;
};

template <bool Timed>
class SignalWait : WaitingProcess {
  public:
    SignalWait(WakeList& waiters, bool passed, double deadline_day) noexcept
        : waiters_(waiters), passed_(passed), deadline_(deadline_day) {}
    bool await_ready() const noexcept { return passed_; }
    template <InProcess Promise>
    bool await_suspend(std::coroutine_handle<Promise> waiting) {
        if (!begin(waiting)) return false;
        waiters_.add(simulation().current_wait(slot()));
        if constexpr (Timed) simulation().wake_at(slot(), deadline_, WakeReason::timed_out);
        return true;
    }
    auto await_resume() const {
        if constexpr (Timed) {
            return end() == WakeReason::normal;
        } else {
            end();
        }
    }

  private:
    WakeList& waiters_;
    bool passed_;
    double deadline_;
};

class Broadcast {
  public:
    explicit Broadcast(Simulation& sim) noexcept : sim_(sim) {}
    Broadcast(const Broadcast&) = delete;
    Broadcast& operator=(const Broadcast&) = delete;
    ~Broadcast() { sim_.destroy_processes(); }

    void notify() { waiters_.wake_all(sim_); }
    SignalWait<false> wait() noexcept { return {waiters_, false, forever}; }
    // Yields true if notified before `deadline_day`.
    SignalWait<true> wait_before(double deadline_day) noexcept {
        return {waiters_, false, deadline_day};
    }

  private:
    Simulation& sim_;
    WakeList waiters_;
};

class Signal {
  public:
    explicit Signal(Simulation& sim) noexcept : sim_(sim) {}
    Signal(const Signal&) = delete;
    Signal& operator=(const Signal&) = delete;
    ~Signal() { sim_.destroy_processes(); }

    void trigger() {
        if (triggered_) return;
        triggered_ = true;
        waiters_.wake_all(sim_);
    }
    void reset() noexcept { triggered_ = false; }
    bool triggered() const noexcept { return triggered_; }

    SignalWait<false> wait() noexcept { return {waiters_, triggered_, forever}; }
    // Yields true if triggered before `deadline_day` (at once if it already is).
    SignalWait<true> wait_before(double deadline_day) noexcept {
        return {waiters_, triggered_, deadline_day};
    }

  private:
    Simulation& sim_;
    WakeList waiters_;
    bool triggered_ = false;
};

}  // namespace sim
