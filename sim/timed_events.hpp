#pragma once
// Events waiting for a time later than now, taken in (time, sequence) order.
//
// How many wait decides how they are held:
// - a few (a queueing model: one arrival, a departure per busy server): a short array sorted
//   latest first, so taking the next is a pop from the back and a new event slides into
//   place past the few that are later;
// - tens: a binary heap, from `to_heap` events until fewer than `to_few` are left. A pop and
//   the push that usually follows it (the process just woken waits again) are one sift;
// - hundreds (a trial: every patient waiting for a visit, every site's recruitment and
//   monitoring): a radix heap, which moves events through sequential buckets where a binary
//   heap sifts through ten scattered levels on every push and pop; from `to_radix` events
//   until fewer than `to_binary` are left.
// The sizes that switch are apart enough that a queue hovering near one does not switch back
// and forth. All three take events in exactly the same order, so which one holds them never
// shows in a result.

#include <algorithm>
#include <cstdint>
#include <vector>

#include "sim/radix_heap.hpp"

namespace sim {

template <class Event>  // Event: .time_bits (of a non-negative time), .sequence
class TimedEvents {
  public:
    static constexpr std::size_t to_heap = 16;  // few -> binary heap above this many
    static constexpr std::size_t to_few = 8;    // binary heap -> few below this many
    static constexpr std::size_t to_radix = 256;
    static constexpr std::size_t to_binary = 32;

    bool empty() const noexcept { return size() == 0; }
    std::size_t size() const noexcept {
        return mode_ == Mode::radix ? radix_.size() : heap_.size() - (root_taken_ ? 1 : 0);
    }
    bool in_radix_heap() const noexcept { return mode_ == Mode::radix; }
    bool in_sorted_few() const noexcept { return mode_ == Mode::few; }

    void push(const Event& event) {
        if (mode_ == Mode::few) {
            if (heap_.size() < to_heap) return insert_in_order(event);
            move_to_binary_heap_from_few();
        }
        if (mode_ == Mode::radix) return radix_.push(event);
        if (root_taken_) {  // the process just woken waits again: one sift instead of two
            root_taken_ = false;
            return sift_down_from_root(event);
        }
        heap_.push_back(event);
        sift_up(heap_.size() - 1, event);
        if (heap_.size() >= to_radix) [[unlikely]]
            move_to_radix_heap();
    }

    // The next event if its time bits are at most `limit`, else null (nothing taken). Good
    // until the next push or pop.
    const Event* next_at_most(std::uint64_t limit) {
        if (mode_ == Mode::few) {
            if (heap_.empty() || heap_.back().time_bits > limit) return nullptr;
            return &heap_.back();
        }
        if (mode_ == Mode::radix) return radix_.next_at_most(limit);
        if (root_taken_) {
            remove_taken_root();
            if (heap_.size() < to_few) [[unlikely]]
                return move_to_few(), next_at_most(limit);
        }
        if (heap_.empty() || heap_.front().time_bits > limit) return nullptr;
        return &heap_.front();
    }

    // Takes the event next_at_most() returned. In the binary heap the root stays in place,
    // marked taken, until the next push (which takes its place) or the next look at the front.
    void pop() {
        if (mode_ == Mode::few) return heap_.pop_back();
        if (mode_ == Mode::binary) {
            root_taken_ = true;
            return;
        }
        radix_.pop();
        if (radix_.size() < to_binary) [[unlikely]]
            move_to_binary_heap();
    }

    void clear() noexcept {
        heap_.clear();
        radix_.clear();
        mode_ = Mode::few;
        root_taken_ = false;
    }

  private:
    enum class Mode : std::uint8_t { few, binary, radix };

    // (time, sequence) compared as one 128-bit number: no floating-point compares.
    __extension__ using Key = unsigned __int128;  // GCC and Clang on 64-bit targets
    static Key key(const Event& e) noexcept { return Key{e.time_bits} << 64 | e.sequence; }
    static bool earlier(const Event& a, const Event& b) noexcept { return key(a) < key(b); }

    // Few: heap_ sorted, latest first, so the next event is at the back.
    void insert_in_order(const Event& event) {
        const Key k = key(event);
        heap_.push_back(event);
        std::size_t i = heap_.size() - 1;
        while (i > 0 && key(heap_[i - 1]) < k) {
            heap_[i] = heap_[i - 1];
            --i;
        }
        heap_[i] = event;
    }

    // The binary heap, on indices: the children of i are 2i + 1 and 2i + 2.
    void sift_up(std::size_t hole, const Event& event) noexcept {
        const Key k = key(event);
        while (hole > 0) {
            const std::size_t parent = (hole - 1) / 2;
            if (key(heap_[parent]) <= k) break;
            heap_[hole] = heap_[parent];
            hole = parent;
        }
        heap_[hole] = event;
    }
    void sift_down_from_root(const Event& event) noexcept {
        const Key k = key(event);
        const std::size_t n = heap_.size();
        std::size_t hole = 0;
        for (;;) {
            std::size_t child = 2 * hole + 1;
            if (child >= n) break;
            if (child + 1 < n)  // the smaller child, without a branch on which
                child += static_cast<std::size_t>(key(heap_[child + 1]) < key(heap_[child]));
            if (k <= key(heap_[child])) break;
            heap_[hole] = heap_[child];
            hole = child;
        }
        heap_[hole] = event;
    }
    void remove_taken_root() noexcept {
        root_taken_ = false;
        const Event last = heap_.back();
        heap_.pop_back();
        if (!heap_.empty()) sift_down_from_root(last);
    }

    // Sorted earliest first is a binary heap already.
    [[gnu::noinline]] void move_to_binary_heap_from_few() {
        std::reverse(heap_.begin(), heap_.end());
        mode_ = Mode::binary;
    }
    [[gnu::noinline]] void move_to_few() {
        std::sort(heap_.rbegin(), heap_.rend(), earlier);  // latest first
        mode_ = Mode::few;
    }
    [[gnu::noinline]] void move_to_radix_heap() {
        radix_.clear();
        for (const Event& e : heap_)
            radix_.push(e);
        heap_.clear();
        mode_ = Mode::radix;
    }
    [[gnu::noinline]] void move_to_binary_heap() {
        radix_.for_each([&](const Event& e) { heap_.push_back(e); });
        std::sort(heap_.begin(), heap_.end(), earlier);  // sorted is a heap
        radix_.clear();
        mode_ = Mode::binary;
    }

    std::vector<Event> heap_;  // the sorted few (latest first) or the binary heap
    RadixHeap<Event> radix_;
    Mode mode_ = Mode::few;
    bool root_taken_ = false;  // binary heap: heap_[0] has been taken, not yet removed
};

}  // namespace sim
