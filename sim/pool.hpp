#pragma once
// A pool of identical servers (people, machines, beds): `co_await pool.acquire(n)` waits until
// n are free, `pool.release(n)` gives them back. Capacity can change while the simulation runs
// (shifts, downtime); lowering it below what is in use pre-empts nobody: it takes effect as
// units come back.

#include <cstdint>
#include <stdexcept>
#include <utility>

#include "sim/counted_resource.hpp"

namespace sim {

class Pool final : public CountedResource {
  public:
    // Releases its units when it goes out of scope, including when an interrupt unwinds the
    // process that holds it.
    class Hold {
      public:
        Hold(Pool& pool, std::int64_t units) noexcept : pool_(&pool), units_(units) {}
        Hold(Hold&& other) noexcept
            : pool_(std::exchange(other.pool_, nullptr)), units_(other.units_) {}
        Hold& operator=(Hold&&) = delete;
        ~Hold() { release(); }
        void release() {
            if (pool_) std::exchange(pool_, nullptr)->release(units_);
        }

      private:
        Pool* pool_;
        std::int64_t units_;
    };

    Pool(Simulation& sim, std::int64_t capacity, QueueDiscipline discipline = QueueDiscipline::fifo)
        : CountedResource(sim, capacity, discipline),
          capacity_(capacity),
          capacity_stat_(sim.now(), static_cast<double>(capacity)) {
        if (capacity < 0) throw std::invalid_argument("sim: pool capacity must be >= 0");
    }
    // Processes holding this pool must go while all of it still exists (see Simulation).
    ~Pool() { simulation().destroy_processes(); }

    // Waits until `units` are free (served in queue order; with QueueDiscipline::priority,
    // lower `priority` first).
    Take<false> acquire(std::int64_t units = 1, std::int32_t priority = 0) {
        check_amount(units);
        return Take<false>(*this, units, priority, forever);
    }
    // As acquire, but gives up at `deadline_day`; yields true if the units were granted.
    Take<true> acquire_before(double deadline_day, std::int64_t units = 1,
                              std::int32_t priority = 0) {
        check_amount(units);
        return Take<true>(*this, units, priority, deadline_day);
    }
    // As acquire, yielding a Hold that gives the units back when it goes out of scope.
    auto hold(std::int64_t units = 1, std::int32_t priority = 0) {
        struct HoldAwaiter : Take<false> {
            Pool& pool;
            std::int64_t units;
            Hold await_resume() const {
                Take<false>::await_resume();
                return Hold(pool, units);
            }
        };
        return HoldAwaiter{acquire(units, priority), *this, units};
    }

    void release(std::int64_t units = 1) {
        if (simulation().tearing_down()) return;
        if (units <= 0 || units > in_use()) {
            throw std::logic_error("sim: pool released more units than are in use");
        }
        add_available(units);
    }

    void set_capacity(std::int64_t capacity) {
        if (capacity < 0) throw std::invalid_argument("sim: pool capacity must be >= 0");
        const std::int64_t delta = capacity - capacity_;
        capacity_ = capacity;
        capacity_stat_.set(simulation().now(), static_cast<double>(capacity));
        add_available(delta);
    }

    std::int64_t capacity() const noexcept { return capacity_; }
    std::int64_t in_use() const noexcept { return capacity_ - available(); }
    std::int64_t free() const noexcept { return available() > 0 ? available() : 0; }

    // Busy unit-time over offered unit-time since the start (or the last restart).
    double utilisation() const noexcept {
        const double offered = capacity_stat_.area(simulation().now());
        return offered > 0.0 ? (offered - available_area()) / offered : 0.0;
    }
    double mean_in_use() const noexcept {
        return capacity_stat_.mean(simulation().now()) - mean_available();
    }
    void restart_statistics() {
        CountedResource::restart_statistics();
        capacity_stat_.restart(simulation().now());
    }

  private:
    std::int64_t capacity_;
    TimeWeighted capacity_stat_;
};

}  // namespace sim
