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
#include <cstdint>
#include <vector>

#include "sim/ring_buffer.hpp"

namespace sim {

struct Wake {
    std::uint32_t slot;
    std::uint32_t generation;
};

struct TimedWake {
    double time;
    std::uint64_t sequence;
    Wake wake;
};

class EventQueue {
public:
    void schedule_at(double time, Wake wake) {
        heap_.push_back(TimedWake{time, next_sequence_++, wake});
        std::push_heap(heap_.begin(), heap_.end(), later);
    }
    void schedule_now(Wake wake) {
        ++next_sequence_;
        now_.push_back(wake);
    }

    bool empty() const noexcept { return heap_.empty() && now_.empty(); }
    std::size_t size() const noexcept { return heap_.size() + now_.size(); }

    // Time of the next event, given the current clock.
    double next_time(double clock) const noexcept {
        if (!heap_.empty() && heap_.front().time <= clock) return heap_.front().time;
        if (!now_.empty()) return clock;
        return heap_.front().time;  // caller checks empty()
    }

    // Removes and returns the next event; `time` receives its time.
    Wake pop(double clock, double& time) {
        if (!heap_.empty() && (heap_.front().time <= clock || now_.empty())) {
            std::pop_heap(heap_.begin(), heap_.end(), later);
            const TimedWake next = heap_.back();
            heap_.pop_back();
            time = next.time;
            return next.wake;
        }
        const Wake next = now_.front();
        now_.pop_front();
        time = clock;
        return next;
    }

    std::uint64_t scheduled_count() const noexcept { return next_sequence_; }

    void clear() noexcept {
        heap_.clear();
        now_.clear();
    }

private:
    static bool later(const TimedWake& a, const TimedWake& b) noexcept {
        if (a.time != b.time) return a.time > b.time;
        return a.sequence > b.sequence;
    }

    std::vector<TimedWake> heap_;
    RingBuffer<Wake> now_;
    std::uint64_t next_sequence_ = 0;
};

}  // namespace sim
