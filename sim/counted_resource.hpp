#pragma once
// What pools and stores share: a count of available units and a queue of processes that each
// want some of them. Service is strictly in queue order: a waiter that wants more than is
// available holds back those behind it (no overtaking), so no request can starve.

#include <cstdint>
#include <stdexcept>

#include "sim/awaitable.hpp"
#include "sim/time_weighted.hpp"
#include "sim/wait_list.hpp"

namespace sim {

class CountedResource : protected WaitQueueOwner {
  public:
    CountedResource(Simulation& sim, std::int64_t available, QueueDiscipline discipline)
        : sim_(sim),
          available_(available),
          waiters_(discipline),
          stats_start_day_(sim.now()),
          stats_last_day_(sim.now()) {}
    CountedResource(const CountedResource&) = delete;
    CountedResource& operator=(const CountedResource&) = delete;
    // Derived classes call Simulation::destroy_processes() in their own destructors, while
    // they are still whole: a process's locals may call into them as they are destroyed.
    ~CountedResource() = default;

    // Processes waiting now.
    std::int64_t waiting() const noexcept { return waiting_; }
    double mean_waiting() const noexcept {
        return mean_of(waiting_area_, static_cast<double>(waiting_));
    }
    QueueDiscipline discipline() const noexcept { return waiters_.discipline(); }

    // The awaitable of take/acquire; Timed ones have a deadline and say whether they got it.
    template <bool Timed>
    class Take : WaitingProcess {
      public:
        Take(CountedResource& resource, std::int64_t amount, std::int32_t priority,
             double deadline_day) noexcept
            : resource_(resource), amount_(amount), priority_(priority), deadline_(deadline_day) {}

        bool await_ready() { return resource_.take_now(amount_); }
        template <InProcess Promise>
        bool await_suspend(std::coroutine_handle<Promise> waiting) {
            if (!begin(waiting)) return false;
            resource_.enqueue(amount_, priority_, simulation().current_wait(slot()));
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
        CountedResource& resource_;
        std::int64_t amount_;
        std::int32_t priority_;
        double deadline_;
    };

  protected:
    Simulation& simulation() const noexcept { return sim_; }
    std::int64_t available() const noexcept { return available_; }

    void check_amount(std::int64_t amount) const {
        if (amount <= 0) throw std::invalid_argument("sim: a resource request must be positive");
    }

    // Takes at once if nobody waits ahead and enough is available.
    bool take_now(std::int64_t amount) {
        if (waiting_ != 0 || available_ < amount) return false;
        set_available(available_ - amount);
        return true;
    }

    void add_available(std::int64_t delta) {
        set_available(available_ + delta);
        if (delta > 0) serve_waiters();
    }

    void serve_waiters() {
        // Amounts are positive: with nothing available, or nobody waiting, nobody is served
        // (the usual release, in a queue that is not overloaded, finds nobody waiting).
        while (available_ > 0 && waiting_ > 0) {
            const Waiter* next = waiters_.front(sim_);
            if (!next || next->amount > available_) break;
            const Waiter served = *next;
            waiters_.pop_front();
            bring_areas_up_to_date();
            available_ -= served.amount;
            --waiting_;
            sim_.wake_now(served.wait);
        }
    }

    void restart_statistics() {
        stats_start_day_ = stats_last_day_ = sim_.now();
        available_area_ = waiting_area_ = 0.0;
    }
    double available_area() const noexcept {
        return available_area_ + static_cast<double>(available_) * (sim_.now() - stats_last_day_);
    }
    double mean_available() const noexcept {
        return mean_of(available_area_, static_cast<double>(available_));
    }

  private:
    void enqueue(std::int64_t amount, std::int32_t priority, Wake wait) {
        waiters_.push(amount, priority, wait);
        sim_.wait_in(wait.slot, this);
        set_waiting(waiting_ + 1);
    }
    void on_waiter_cancelled() override {
        set_waiting(waiting_ - 1);
        if (waiting_ == 0) {
            waiters_.clear();  // every entry left is stale; serve_waiters() would skip them
        } else {
            serve_waiters();  // the one who left may have been holding the others back
        }
    }
    // The time averages are kept as areas brought up to date before each change; several
    // changes at one instant (a release that serves a waiter) cost one update.
    void bring_areas_up_to_date() noexcept {
        const double now = sim_.now();
        if (now == stats_last_day_) return;
        const double span = now - stats_last_day_;
        available_area_ += static_cast<double>(available_) * span;
        waiting_area_ += static_cast<double>(waiting_) * span;
        stats_last_day_ = now;
    }
    void set_available(std::int64_t value) noexcept {
        bring_areas_up_to_date();
        available_ = value;
    }
    void set_waiting(std::int64_t value) noexcept {
        bring_areas_up_to_date();
        waiting_ = value;
    }
    double mean_of(double area, double current) const noexcept {
        const double now = sim_.now();
        const double span = now - stats_start_day_;
        return span > 0.0 ? (area + current * (now - stats_last_day_)) / span : current;
    }

    Simulation& sim_;
    std::int64_t available_;
    std::int64_t waiting_ = 0;
    WaitList waiters_;
    double stats_start_day_;
    double stats_last_day_;
    double available_area_ = 0.0;
    double waiting_area_ = 0.0;
};

}  // namespace sim
