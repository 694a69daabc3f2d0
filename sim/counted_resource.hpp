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
          available_stat_(sim.now(), static_cast<double>(available)),
          waiting_stat_(sim.now(), 0.0) {}
    CountedResource(const CountedResource&) = delete;
    CountedResource& operator=(const CountedResource&) = delete;
    ~CountedResource() { sim_.destroy_processes(); }

    // Processes waiting now.
    std::int64_t waiting() const noexcept { return waiting_; }
    double mean_waiting() const noexcept { return waiting_stat_.mean(sim_.now()); }
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
        while (const Waiter* next = waiters_.front(sim_)) {
            if (next->amount > available_) break;
            const Waiter served = *next;
            waiters_.pop_front();
            set_available(available_ - served.amount);
            set_waiting(waiting_ - 1);
            sim_.wake_now(served.wait);
        }
    }

    void restart_statistics() {
        available_stat_.restart(sim_.now());
        waiting_stat_.restart(sim_.now());
    }
    double available_area() const noexcept { return available_stat_.area(sim_.now()); }
    double mean_available() const noexcept { return available_stat_.mean(sim_.now()); }

private:
    void enqueue(std::int64_t amount, std::int32_t priority, Wake wait) {
        waiters_.push(amount, priority, wait);
        sim_.wait_in(wait.slot, this);
        set_waiting(waiting_ + 1);
    }
    void on_waiter_cancelled() override {
        set_waiting(waiting_ - 1);
        serve_waiters();  // the one who left may have been holding the others back
    }
    void set_available(std::int64_t value) noexcept {
        available_ = value;
        available_stat_.set(sim_.now(), static_cast<double>(value));
    }
    void set_waiting(std::int64_t value) noexcept {
        waiting_ = value;
        waiting_stat_.set(sim_.now(), static_cast<double>(value));
    }

    Simulation& sim_;
    std::int64_t available_;
    std::int64_t waiting_ = 0;
    WaitList waiters_;
    TimeWeighted available_stat_;
    TimeWeighted waiting_stat_;
};

}  // namespace sim
