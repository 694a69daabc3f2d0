#pragma once
// A growable FIFO of trivially copyable values: no allocation once it has grown to its
// working size, unlike std::deque which allocates blocks as it moves.

#include <cstddef>
#include <type_traits>
#include <vector>

namespace sim {

template <class T>
class RingBuffer {
    static_assert(std::is_trivially_copyable_v<T>);

  public:
    bool empty() const noexcept { return head_ == tail_; }
    std::size_t size() const noexcept { return tail_ - head_; }

    void push_back(const T& value) {
        if (size() == slots_.size()) grow();
        slots_[tail_++ & mask_] = value;
    }
    const T& front() const noexcept { return slots_[head_ & mask_]; }
    T& front() noexcept { return slots_[head_ & mask_]; }
    void pop_front() noexcept { ++head_; }
    // i-th element from the front.
    const T& operator[](std::size_t i) const noexcept { return slots_[(head_ + i) & mask_]; }
    void clear() noexcept { head_ = tail_ = 0; }

  private:
    void grow() {
        std::vector<T> bigger(slots_.empty() ? 16 : slots_.size() * 2);
        const std::size_t n = size();
        for (std::size_t i = 0; i < n; ++i)
            bigger[i] = (*this)[i];
        slots_.swap(bigger);
        mask_ = slots_.size() - 1;
        head_ = 0;
        tail_ = n;
    }

    std::vector<T> slots_;
    std::size_t mask_ = 0;
    std::size_t head_ = 0;  // monotonically increasing; wrapped by mask_
    std::size_t tail_ = 0;
};

}  // namespace sim
