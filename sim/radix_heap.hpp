#pragma once
// The timed part of the future event list: a radix heap (Ahuja, Mehlhorn, Orlin and Tarjan,
// "Faster algorithms for the shortest path problem", J. ACM 37(2), 1990), which is what a
// clock that never goes back allows.
//
// Keys are the bits of non-negative event times, so they order as the times do. Every key
// pushed is above the last key taken (`last_`): a wait due at or before now never comes here.
// Bucket b > 0 holds the keys whose highest bit differing from `last_` is bit b - 1; bucket 0
// holds keys equal to `last_`. Taking the next event when bucket 0 is empty moves the lowest
// non-empty bucket down around its smallest key; each event moves down at most 64 times in its
// life and usually a few, in sequential memory, where a binary heap of a thousand waiting
// processes sifts through ten scattered levels on every push and pop.
//
// Bucket 0 is filled only by those moves, all at one time, and is then put in sequence order:
// events run by (time, sequence), exactly as a binary heap on both would run them.

#include <algorithm>
#include <array>
#include <bit>
#include <cassert>
#include <cstdint>
#include <vector>

namespace sim {

template <class Event>  // Event: .time_bits, .sequence
class RadixHeap {
  public:
    bool empty() const noexcept { return size_ == 0; }
    std::size_t size() const noexcept { return size_; }

    void push(const Event& event) {
        assert(event.time_bits >> 63 == 0);  // a non-negative time
        const int b = bucket_of(event.time_bits);
        buckets_[b].push_back(event);
        smallest_[b] = std::min(smallest_[b], event.time_bits);
        occupied_ |= std::uint64_t{1} << b;  // b > 0: pushed keys are above last_
        ++size_;
    }

    // The next event in (time, sequence) order if its key is at most `limit`, else null (and
    // nothing changes). The pointer is good until the next push or pop.
    const Event* next_at_most(std::uint64_t limit) {
        if (front_ < buckets_[0].size()) {
            const Event& next = buckets_[0][front_];
            return next.time_bits <= limit ? &next : nullptr;
        }
        // Every key waiting is above last_.
        if (size_ == 0 || limit <= last_) return nullptr;
        const int b = lowest_occupied();
        const std::uint64_t key = smallest_[b];
        if (key > limit) return nullptr;
        settle(b, key);
        return &buckets_[0][front_];
    }

    // Takes the event next_at_most() returned.
    void pop() noexcept {
        ++front_;
        --size_;
    }

    // Calls f(event) for every event waiting, in no particular order.
    template <class F>
    void for_each(F&& f) const {
        for (std::size_t i = front_; i < buckets_[0].size(); ++i)
            f(buckets_[0][i]);
        for (std::size_t b = 1; b < buckets_.size(); ++b) {
            for (const Event& e : buckets_[b])
                f(e);
        }
    }

    void clear() noexcept {
        for (std::vector<Event>& bucket : buckets_)
            bucket.clear();
        smallest_.fill(none);
        occupied_ = 0;
        front_ = 0;
        last_ = 0;
        size_ = 0;
    }

  private:
    static constexpr std::uint64_t none = ~std::uint64_t{0};
    // Keys are the bits of non-negative doubles: bit 63 (the sign) is never set, so no two
    // keys differ in it and bucket_of() is at most 63.
    static constexpr std::size_t buckets = 64;

    static constexpr std::array<std::uint64_t, buckets> filled_with_none() noexcept {
        std::array<std::uint64_t, buckets> a{};
        a.fill(none);
        return a;
    }
    // The bucket is the bit width of key ^ last_: 0 for a key equal to last_. Worked out as
    // the highest set bit of ((key ^ last_) << 1) | 1 (bit 63 is clear in both keys, so the
    // shift loses nothing), which is never zero: no branch for the zero case, where one
    // mispredicted about 10,000 times a replication.
    int bucket_of(std::uint64_t key) const noexcept {
        return 63 - std::countl_zero(((key ^ last_) << 1) | 1);
    }
    // Bit 0 (bucket 0) may be set by a settle; bucket 0 is looked at through front_ instead.
    int lowest_occupied() const noexcept { return std::countr_zero(occupied_ & ~std::uint64_t{1}); }

    // Bucket 0 is used up: refill it with the events of bucket b at its smallest key.
    void settle(int b, std::uint64_t smallest) {
        buckets_[0].clear();
        occupied_ &= ~std::uint64_t{1};
        front_ = 0;
        last_ = smallest;
        std::vector<Event>& lowest = buckets_[b];
        for (const Event& e : lowest) {
            const int to = bucket_of(e.time_bits);  // below b: e shares more bits with last_
            buckets_[to].push_back(e);
            smallest_[to] = std::min(smallest_[to], e.time_bits);
            occupied_ |= std::uint64_t{1} << to;
        }
        lowest.clear();
        smallest_[b] = none;
        occupied_ &= ~(std::uint64_t{1} << b);
        std::vector<Event>& now = buckets_[0];
        if (now.size() > 1) {
            std::sort(now.begin(), now.end(),
                      [](const Event& x, const Event& y) { return x.sequence < y.sequence; });
        }
    }

    std::array<std::vector<Event>, buckets> buckets_;
    // Each bucket's smallest key (none when empty), kept as events arrive, so that refilling
    // bucket 0 passes over the lowest bucket once, not twice.
    std::array<std::uint64_t, buckets> smallest_ = filled_with_none();
    std::uint64_t occupied_ = 0;  // bit b > 0 set: bucket b is not empty
    std::size_t front_ = 0;       // next event of bucket 0
    std::uint64_t last_ = 0;      // key of bucket 0; no key pushed is below it
    std::size_t size_ = 0;
};

}  // namespace sim
