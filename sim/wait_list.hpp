#pragma once
// Who waits for a counted resource, in service order: FIFO, or by priority (lower value
// first) and FIFO among equals. Entries whose wait has ended otherwise (timed out,
// interrupted) are stale and skipped when they reach the front.

#include <algorithm>
#include <cstdint>
#include <vector>

#include "sim/ring_buffer.hpp"
#include "sim/simulation.hpp"

namespace sim {

enum class QueueDiscipline : std::uint8_t { fifo, priority };

struct Waiter {
    Wake wait;
    std::int64_t amount;
    std::int32_t priority;
    std::uint64_t order;
};

class WaitList {
  public:
    explicit WaitList(QueueDiscipline discipline) noexcept : discipline_(discipline) {}

    QueueDiscipline discipline() const noexcept { return discipline_; }

    void push(std::int64_t amount, std::int32_t priority, Wake wait) {
        const Waiter waiter{wait, amount, priority, next_order_++};
        if (discipline_ == QueueDiscipline::fifo) {
            fifo_.push_back(waiter);
        } else {
            ranked_.push_back(waiter);
            std::push_heap(ranked_.begin(), ranked_.end(), ServedLater{});
        }
    }

    // The first waiter still waiting, or nullptr; drops stale entries on the way.
    const Waiter* front(const Simulation& sim) {
        if (discipline_ == QueueDiscipline::fifo) {
            while (!fifo_.empty() && !sim.is_waiting(fifo_.front().wait))
                fifo_.pop_front();
            return fifo_.empty() ? nullptr : &fifo_.front();
        }
        while (!ranked_.empty() && !sim.is_waiting(ranked_.front().wait))
            pop_ranked();
        return ranked_.empty() ? nullptr : &ranked_.front();
    }

    void clear() noexcept {
        fifo_.clear();
        ranked_.clear();
    }

    void pop_front() {
        if (discipline_ == QueueDiscipline::fifo) {
            fifo_.pop_front();
        } else {
            pop_ranked();
        }
    }

  private:
    struct ServedLater {
        bool operator()(const Waiter& a, const Waiter& b) const noexcept {
            if (a.priority != b.priority) return a.priority > b.priority;
            return a.order > b.order;
        }
    };
    void pop_ranked() {
        std::pop_heap(ranked_.begin(), ranked_.end(), ServedLater{});
        ranked_.pop_back();
    }

    QueueDiscipline discipline_;
    RingBuffer<Waiter> fifo_;
    std::vector<Waiter> ranked_;
    std::uint64_t next_order_ = 0;
};

}  // namespace sim
