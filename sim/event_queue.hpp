#pragma once
// The future event list.
//
// An event wakes one process: it names the process's slot and the wait generation it was
// scheduled for; if the process has since been woken by something else (a timeout lost to a
// grant, an interrupted wait), the generations differ and the event is dropped when popped.
// That keeps events plain 24-byte values with no removal from the heap.
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

namespace sim {

struct Wake {
    std::uint32_t slot;
    std::uint32_t generation;
};

// The time is kept as the bits of the double: event times are never negative (a wait due at
// or before now goes to the ring), and non-negative doubles order as their bits do, so the
// heap compares (time, sequence) as one 128-bit unsigned number, without floating-point
// compares and their NaN branches.
struct TimedWake {
    std::uint64_t time_bits;
    std::uint64_t sequence;
    Wake wake;
    double time() const noexcept { return std::bit_cast<double>(time_bits); }
};

class EventQueue {
  public:
    void schedule_at(double time, Wake wake) {
        heap_.push_back(TimedWake{std::bit_cast<std::uint64_t>(time), next_sequence_++, wake});
        std::push_heap(heap_.begin(), heap_.end(), Later{});
    }
    void schedule_now(Wake wake) {
        ++next_sequence_;
        now_.push_back(wake);
    }

    bool empty() const noexcept { return heap_.empty() && now_.empty(); }
    std::size_t size() const noexcept { return heap_.size() + now_.size(); }

    // Takes the next event if it is due at or before `end`: its wake in `wake`, its time in
    // `time`. Returns false (taking nothing) otherwise.
    bool pop_due(double clock, double end, Wake& wake, double& time) {
        if (!heap_.empty() && (heap_.front().time() <= clock || now_.empty())) {
            const TimedWake& next = heap_.front();
            if (next.time() > end) return false;
            time = next.time();
            wake = next.wake;
            std::pop_heap(heap_.begin(), heap_.end(), Later{});
            heap_.pop_back();
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
        heap_.clear();
        now_.clear();
    }

  private:
    // A function object, not a function pointer: the heap's comparisons must inline.
    struct Later {
        bool operator()(const TimedWake& a, const TimedWake& b) const noexcept {
            return key(a) > key(b);
        }
    };

    __extension__ using Key = unsigned __int128;  // GCC and Clang on 64-bit targets
    static Key key(const TimedWake& e) noexcept { return Key{e.time_bits} << 64 | e.sequence; }

    std::vector<TimedWake> heap_;
    RingBuffer<Wake> now_;
    std::uint64_t next_sequence_ = 0;
};

}  // namespace sim
