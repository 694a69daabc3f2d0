#pragma once
// The future event list.
//
// An event wakes one process: it names the process's slot and the wait generation it was
// scheduled for; if the process has since been woken by something else (a timeout lost to a
// grant, an interrupted wait), the generations differ and the event is dropped when popped.
// That keeps events plain 24-byte values with no removal from the timed queue
// (timed_events.hpp).
//
// Order is (time, sequence number): at equal times, events run in the order they were
// scheduled (FIFO). Events due at the current time go to a ring instead of the heap; every one
// of them was scheduled after every heap event already due now, so "heap events due now first,
// then the ring" is exactly (time, sequence) order, at O(1) per event.

#include <algorithm>
#include <bit>
#include <cstdint>
#include <vector>

#include "sim/ring_buffer.hpp"
#include "sim/timed_events.hpp"

namespace sim {

struct Wake {
    std::uint32_t slot;
    std::uint32_t generation;
};

// The time is kept as the bits of the double: event times are never negative (a wait due at
// or before now goes to the ring), and non-negative doubles order as their bits do.
struct TimedWake {
    std::uint64_t time_bits;
    std::uint64_t sequence;
    Wake wake;
    double time() const noexcept { return std::bit_cast<double>(time_bits); }
};

class EventQueue {
  public:
    void schedule_at(double time, Wake wake) {
        timed_.push(TimedWake{std::bit_cast<std::uint64_t>(time), next_sequence_++, wake});
    }
    void schedule_now(Wake wake) {
        ++next_sequence_;
        now_.push_back(wake);
    }

    bool empty() const noexcept { return timed_.empty() && now_.empty(); }
    std::size_t size() const noexcept { return timed_.size() + now_.size(); }

    // Takes the next event if it is due at or before `end`: its wake in `wake`, its time in
    // `time`. Returns false (taking nothing) otherwise.
    bool pop_due(double clock, double end, Wake& wake, double& time) {
        // Timed events due now were scheduled before any wake in the ring: they go first.
        const double limit = now_.empty() ? end : std::min(clock, end);
        if (const TimedWake* next = timed_.next_at_most(std::bit_cast<std::uint64_t>(limit))) {
            time = next->time();
            wake = next->wake;
            timed_.pop();
            return true;
        }
        if (now_.empty() || clock > end) return false;
        wake = now_.front();
        now_.pop_front();
        time = clock;
        return true;
    }

    std::uint64_t scheduled_count() const noexcept { return next_sequence_; }

    void clear() noexcept {
        timed_.clear();
        now_.clear();
    }

  private:
    TimedEvents<TimedWake> timed_;
    RingBuffer<Wake> now_;
    std::uint64_t next_sequence_ = 0;
};

}  // namespace sim
