#pragma once
// Events waiting for a time later than now, taken in (time, sequence) order.
//
// A few waiting events (a queueing model: one arrival, a departure per busy server) are
// fastest in a binary heap; hundreds (a trial: every patient waiting for a visit, every site's
// recruitment and monitoring) in a radix heap, which moves events through sequential buckets
// where a binary heap sifts through ten scattered levels on every push and pop. So: a binary heap
// up to `to_radix` events, a radix heap from there until fewer than `to_binary` are left (apart
// enough that a queue hovering near one size does not switch back and forth). Both take
// events in exactly the same order, so which one holds them never shows in a result.

#include <algorithm>
#include <cstdint>
#include <vector>

#include "sim/radix_heap.hpp"

namespace sim {

template <class Event>  // Event: .time_bits (of a non-negative time), .sequence
class TimedEvents {
  public:
    static constexpr std::size_t to_radix = 256;
    static constexpr std::size_t to_binary = 32;

    bool empty() const noexcept { return size() == 0; }
    std::size_t size() const noexcept { return in_radix_ ? radix_.size() : heap_.size(); }
    bool in_radix_heap() const noexcept { return in_radix_; }

    void push(const Event& event) {
        if (in_radix_) return radix_.push(event);
        heap_.push_back(event);
        std::push_heap(heap_.begin(), heap_.end(), Later{});
        if (heap_.size() >= to_radix) {
            radix_.clear();
            for (const Event& e : heap_)
                radix_.push(e);
            heap_.clear();
            in_radix_ = true;
        }
    }

    // The next event if its time bits are at most `limit`, else null (nothing taken). Good
    // until the next push or pop.
    const Event* next_at_most(std::uint64_t limit) {
        if (in_radix_) return radix_.next_at_most(limit);
        if (heap_.empty() || heap_.front().time_bits > limit) return nullptr;
        return &heap_.front();
    }

    // Takes the event next_at_most() returned.
    void pop() {
        if (!in_radix_) {
            std::pop_heap(heap_.begin(), heap_.end(), Later{});
            heap_.pop_back();
            return;
        }
        radix_.pop();
        if (radix_.size() < to_binary) {
            radix_.for_each([&](const Event& e) { heap_.push_back(e); });
            std::make_heap(heap_.begin(), heap_.end(), Later{});
            radix_.clear();
            in_radix_ = false;
        }
    }

    void clear() noexcept {
        heap_.clear();
        radix_.clear();
        in_radix_ = false;
    }

  private:
    // (time, sequence) compared as one 128-bit number: no floating-point compares.
    struct Later {
        bool operator()(const Event& a, const Event& b) const noexcept { return key(a) > key(b); }
    };
    __extension__ using Key = unsigned __int128;  // GCC and Clang on 64-bit targets
    static Key key(const Event& e) noexcept { return Key{e.time_bits} << 64 | e.sequence; }

    std::vector<Event> heap_;
    RadixHeap<Event> radix_;
    bool in_radix_ = false;
};

}  // namespace sim
