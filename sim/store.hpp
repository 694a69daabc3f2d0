#pragma once
// A store of countable items (drug kits, forms): `put(n)` adds, `co_await store.take(n)`
// waits until n are there. Takers are served in queue order.

#include <cstdint>

#include "sim/counted_resource.hpp"

namespace sim {

class Store final : public CountedResource {
  public:
    explicit Store(Simulation& sim, std::int64_t initial_level = 0,
                   QueueDiscipline discipline = QueueDiscipline::fifo)
        : CountedResource(sim, initial_level, discipline) {
        if (initial_level < 0) throw std::invalid_argument("sim: store level must be >= 0");
    }
    ~Store() { simulation().destroy_processes(); }

    void put(std::int64_t items) {
        check_amount(items);
        add_available(items);
    }
    Take<false> take(std::int64_t items = 1, std::int32_t priority = 0) {
        check_amount(items);
        return Take<false>(*this, items, priority, forever);
    }
    // Gives up at `deadline_day`; yields true if the items were taken.
    Take<true> take_before(double deadline_day, std::int64_t items = 1, std::int32_t priority = 0) {
        check_amount(items);
        return Take<true>(*this, items, priority, deadline_day);
    }
    // Takes at once if nobody is waiting ahead and enough is there; never waits.
    bool try_take(std::int64_t items = 1) {
        check_amount(items);
        return take_now(items);
    }
    // Removes up to `items` at once regardless of waiters (expiry, breakage); returns how many.
    std::int64_t discard(std::int64_t items) {
        const std::int64_t removed = items < level() ? items : level();
        if (removed > 0) add_available(-removed);
        return removed;
    }

    std::int64_t level() const noexcept { return available(); }
    double mean_level() const noexcept { return mean_available(); }
};

}  // namespace sim
