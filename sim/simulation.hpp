#pragma once
// The discrete-event kernel: a clock in days, the future event list, and the processes.
//
// Ordering rule (the SimGrid kernel must reproduce it): events run in order of time, and at
// equal times in the order they were scheduled. spawn() starts the new process at once: it runs
// until its first wait, then spawn() returns to the spawner. A process woken by another
// (resource granted, signal, join, interrupt) resumes at the current time, after the events
// already due now, in the order those wakes were made.
//
// Interrupts: interrupt(p) ends p's current wait at once, and the co_await it was waiting at
// throws sim::Interrupted. If p is not waiting (it runs, or has already been woken and not yet
// resumed), the interrupt is kept and delivered at the next co_await at which p would wait.
//
// Two kernels run the same processes: the native one (the event list below) and SimGrid S4U
// (simgrid_kernel.cpp: each process an actor, time kept by SimGrid). A simulation is made for
// one of them; everything above the scheduling (processes, waits, pools, stores, signals) is
// shared, so model code never knows which one runs it.

#include <cassert>
#include <coroutine>
#include <cstdint>
#include <exception>
#include <functional>
#include <limits>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "sim/event_queue.hpp"
#include "sim/process.hpp"

namespace sim {

inline constexpr double forever = std::numeric_limits<double>::infinity();

enum class Kernel : std::uint8_t { native, simgrid };
std::string_view name_of(Kernel kernel);
// "native", or "simgrid " and the SimGrid version this build runs on.
std::string kernel_description(Kernel kernel);

class SimGridKernel;

// Something a process can wait in whose bookkeeping must hear when a waiter leaves without
// being served (timed out or interrupted). Called only then, never on the hot path.
class WaitQueueOwner {
  public:
    virtual void on_waiter_cancelled() = 0;

  protected:
    ~WaitQueueOwner() = default;
};

class Simulation {
  public:
    explicit Simulation(Kernel kernel = Kernel::native);
    Simulation(const Simulation&) = delete;
    Simulation& operator=(const Simulation&) = delete;
    ~Simulation();

    Kernel kernel() const noexcept { return simgrid_ ? Kernel::simgrid : Kernel::native; }

    double now() const noexcept { return now_; }

    // Starts `process` now: it runs until its first wait, then spawn() returns.
    ProcessRef spawn(Process process);
    // Ends the target's current (or next) wait with sim::Interrupted{cause}.
    void interrupt(ProcessRef target, int cause = 0);
    bool finished(ProcessRef process) const noexcept;
    ProcessRef reference(std::uint32_t slot) const noexcept {
        return ProcessRef{slot, records_[slot].incarnation};
    }

    // Runs until no event is left.
    void run() { run_until(forever); }
    // Runs every event due at or before `end_day`; the clock then reads `end_day` (unless the
    // run was stopped: then it reads the time of the event that stopped it).
    void run_until(double end_day);
    // Runs while `keep_going()` holds, checked before each event.
    template <class Predicate>
    void run_while(Predicate keep_going);
    // Called from a process: the run returns once the current event is done.
    void stop() noexcept { stop_requested_ = true; }

    std::uint64_t events_processed() const noexcept { return events_processed_; }
    std::size_t live_processes() const noexcept { return live_processes_; }

    // Destroys every process still alive (their frames, with their locals). The first sim
    // object (pool, store, signal) to be destroyed calls this, so that no frame outlives the
    // objects it refers to; releases made while tearing down are ignored.
    void destroy_processes() noexcept;
    bool tearing_down() const noexcept { return tearing_down_; }

    // ---- Kernel interface for awaitables (not for model code) ----------------------------
    // Starts a wait for the process in `slot`, which will resume at `resume_point`. Returns
    // false if an interrupt is pending: the awaitable must then not suspend.
    bool begin_wait(std::uint32_t slot, std::coroutine_handle<> resume_point) noexcept;
    // The id of the wait just begun; wakes carry it so stale ones can be told apart.
    Wake current_wait(std::uint32_t slot) const noexcept {
        return Wake{slot, records_[slot].generation};
    }
    // The wait ends at `day` (or now, if that is past) unless something else ends it first.
    void wake_at(std::uint32_t slot, double day, WakeReason reason);
    // begin_wait + wake_at for a plain sleep.
    bool sleep_until(std::uint32_t slot, std::coroutine_handle<> resume_point, double day);
    void wait_in(std::uint32_t slot, WaitQueueOwner* owner) noexcept {
        records_[slot].waiting_on = owner;
    }
    bool is_waiting(Wake wait) const noexcept {
        const ProcessRecord& record = records_[wait.slot];
        return record.generation == wait.generation && record.state == State::waiting;
    }
    // Ends the wait `wait` now (it must still be waiting): the process resumes at the current
    // time, after the events already due now.
    void wake_now(Wake wait) noexcept { wake_now(wait.slot, WakeReason::normal); }
    // How the last wait of `slot` ended; throws Interrupted if it was interrupted.
    WakeReason end_wait(std::uint32_t slot) const;
    void add_joiner(ProcessRef target, Wake joiner);

    // Called by the process promise as the process ends (its frame is freed right after).
    void on_process_finished(std::uint32_t slot) noexcept;
    void on_process_failed(std::exception_ptr error) noexcept;

  private:
    friend class SimGridKernel;
    enum class State : std::uint8_t { free, scheduled, running, waiting };

    // What dispatching an event reads and writes, in 32 bytes: two records a cache line (in a
    // large trial the records of the thousands of waiting processes are out of cache, and
    // each event reads one). The root frame and those waiting to join a process, touched only
    // when a process starts or ends, are kept beside it (roots_, joiners_).
    struct alignas(32) ProcessRecord {
        std::coroutine_handle<> resume_point;  // innermost coroutine waiting (may be a Task)
        WaitQueueOwner* waiting_on = nullptr;
        std::uint32_t generation = 0;   // bumped at every wake: stale wakes mismatch
        std::uint32_t incarnation = 0;  // bumped when the slot is freed
        int interrupt_cause = 0;
        State state = State::free;
        WakeReason reason = WakeReason::normal;        // how the last wait ended
        WakeReason timer_reason = WakeReason::normal;  // what the pending timer means
        bool interrupt_pending = false;
    };
    static_assert(sizeof(ProcessRecord) == 32);

    void wake_now(std::uint32_t slot, WakeReason reason) noexcept;
    void wake_joiners(std::uint32_t slot) noexcept;
    void dispatch(Wake wake, double time);
    // The SimGrid kernel's side of scheduling and running (simgrid_kernel.cpp).
    void simgrid_schedule_at(Wake wake, double day);
    void simgrid_schedule_now(Wake wake) noexcept;
    void simgrid_spawned(std::uint32_t slot);
    void simgrid_run(double end_day, const std::function<bool()>* keep_going);

    std::vector<ProcessRecord> records_;
    // By slot: the process frame (destroyed when it ends).
    std::vector<std::coroutine_handle<>> roots_;
    // By slot: the waits of the processes joining it (few processes are ever joined).
    std::unordered_map<std::uint32_t, std::vector<Wake>> joiners_;
    std::vector<std::uint32_t> free_slots_;
    EventQueue queue_;
    double now_ = 0.0;
    std::uint64_t events_processed_ = 0;
    std::size_t live_processes_ = 0;
    bool stop_requested_ = false;
    bool tearing_down_ = false;
    std::exception_ptr failure_;
    std::unique_ptr<SimGridKernel> simgrid_;  // null: the native kernel
};

// ---- inline hot path ----------------------------------------------------------------------

inline bool Simulation::begin_wait(std::uint32_t slot,
                                   std::coroutine_handle<> resume_point) noexcept {
    ProcessRecord& record = records_[slot];
    record.resume_point = resume_point;
    if (record.interrupt_pending) [[unlikely]] {
        record.interrupt_pending = false;
        record.reason = WakeReason::interrupted;
        return false;
    }
    record.state = State::waiting;
    record.reason = WakeReason::normal;
    return true;
}

inline bool Simulation::sleep_until(std::uint32_t slot, std::coroutine_handle<> resume_point,
                                    double day) {
    if (!begin_wait(slot, resume_point)) return false;
    wake_at(slot, day, WakeReason::normal);
    return true;
}

inline void Simulation::wake_at(std::uint32_t slot, double day, WakeReason reason) {
    ProcessRecord& record = records_[slot];
    record.timer_reason = reason;
    const Wake wake{slot, record.generation};
    if (simgrid_) [[unlikely]] {
        if (day <= now_) {
            simgrid_schedule_now(wake);
        } else {
            simgrid_schedule_at(wake, day);
        }
    } else if (day <= now_) {
        queue_.schedule_now(wake);
    } else {
        queue_.schedule_at(day, wake);
    }
}

inline void Simulation::wake_now(std::uint32_t slot, WakeReason reason) noexcept {
    ProcessRecord& record = records_[slot];
    ++record.generation;  // any timer or queue entry of this wait is now stale
    record.state = State::scheduled;
    record.reason = reason;
    record.waiting_on = nullptr;
    if (simgrid_) [[unlikely]] {
        simgrid_schedule_now(Wake{slot, record.generation});
    } else {
        queue_.schedule_now(Wake{slot, record.generation});
    }
}

inline WakeReason Simulation::end_wait(std::uint32_t slot) const {
    const ProcessRecord& record = records_[slot];
    if (record.reason == WakeReason::interrupted) [[unlikely]] {
        throw Interrupted{record.interrupt_cause};
    }
    return record.reason;
}

inline void Simulation::dispatch(Wake wake, double time) {
    ProcessRecord& record = records_[wake.slot];
    if (record.generation != wake.generation) return;  // superseded: leaves no trace
    now_ = time;
    ++record.generation;
    if (record.state == State::waiting) {  // its own timer ended the wait
        record.reason = record.timer_reason;
        if (WaitQueueOwner* owner = record.waiting_on) [[unlikely]] {
            record.waiting_on = nullptr;
            owner->on_waiter_cancelled();
        }
    }
    record.state = State::running;
    ++events_processed_;
    record.resume_point.resume();  // `record` may dangle from here on
}

inline void Simulation::run_until(double end_day) {
    if (simgrid_) [[unlikely]]
        return simgrid_run(end_day, nullptr);
    if (failure_) [[unlikely]]
        std::rethrow_exception(std::exchange(failure_, nullptr));
    stop_requested_ = false;
    Wake wake;
    double time;
    // A failing process also sets stop_requested_, so the loop checks one flag per event.
    while (!stop_requested_ && queue_.pop_due(now_, end_day, wake, time))
        dispatch(wake, time);
    if (failure_) [[unlikely]]
        std::rethrow_exception(std::exchange(failure_, nullptr));
    if (!stop_requested_ && end_day != forever && now_ < end_day) now_ = end_day;
}

template <class Predicate>
void Simulation::run_while(Predicate keep_going) {
    if (simgrid_) [[unlikely]] {
        const std::function<bool()> check = keep_going;
        return simgrid_run(forever, &check);
    }
    if (failure_) [[unlikely]]
        std::rethrow_exception(std::exchange(failure_, nullptr));
    stop_requested_ = false;
    Wake wake;
    double time;
    while (!stop_requested_ && keep_going() && queue_.pop_due(now_, forever, wake, time))
        dispatch(wake, time);
    if (failure_) [[unlikely]]
        std::rethrow_exception(std::exchange(failure_, nullptr));
}

inline void Simulation::on_process_finished(std::uint32_t slot) noexcept {
    if (!joiners_.empty()) [[unlikely]]
        wake_joiners(slot);
    ProcessRecord& record = records_[slot];
    roots_[slot] = {};
    record.state = State::free;
    ++record.generation;
    ++record.incarnation;
    --live_processes_;
    free_slots_.push_back(slot);
}

// ---- process promise hooks ----------------------------------------------------------------

inline bool Process::promise_type::FinalAwaiter::await_ready() noexcept {
    promise.sim->on_process_finished(promise.slot);
    return true;
}

inline void Process::promise_type::unhandled_exception() noexcept {
    try {
        throw;
    } catch (const Interrupted&) {
        // An interrupt that the process did not catch ends it: that is its purpose.
    } catch (...) {
        sim->on_process_failed(std::current_exception());
    }
}

}  // namespace sim
