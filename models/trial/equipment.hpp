#pragma once
// A machine at a site (CT scanner, lab analyser): slots per day, planned maintenance days, and a
// calibration that lapses: when it expires the machine is out of use until recalibrated, which
// takes a random time. Downtime is generated as the calendar is consulted, from the machine's
// own random stream, so it does not depend on who asks first.

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "models/scenario/scenario.hpp"
#include "models/trial/day_ledger.hpp"
#include "sim/random.hpp"

namespace trial {

enum class Downtime : std::uint8_t { none, maintenance, calibration };

class alignas(64) Equipment {
  public:
    Equipment(const EquipmentSpec& spec, sim::Rng rng, SiteDiary& diary)
        : slots_(diary), slots_per_day_(spec.slots_per_day), spec_(&spec), rng_(rng) {}

    const std::string& kind() const { return spec_->kind; }
    Downtime downtime(int local_day) {
        if (local_day >= 0 && static_cast<std::size_t>(local_day) < by_day_.size())
            return by_day_[local_day];
        return extend_to(local_day);
    }
    int free_slots(int local_day) {
        if (downtime(local_day) != Downtime::none) return 0;
        return slots_per_day_ - slots_.booked(local_day);
    }
    // Calls `on_day(day)` for each day in [from, to] the machine is out of use, in order.
    template <class OnDay>
    void for_each_down_day(int from, int to, OnDay&& on_day) {
        if (to < 0) return;
        downtime(to);  // works the calendar out up to `to`
        int day = std::max(from, 0);
        // Eight days at a time: most weeks have no downtime at all (Downtime::none is 0).
        for (; day + 8 <= to + 1; day += 8) {
            std::uint64_t eight;
            std::memcpy(&eight, by_day_.data() + day, sizeof eight);
            if (eight == 0) continue;
            for (int d = day; d < day + 8; ++d) {
                if (by_day_[d] != Downtime::none) on_day(d);
            }
        }
        for (; day <= to; ++day) {
            if (by_day_[day] != Downtime::none) on_day(day);
        }
    }
    void book(int local_day, int slots) { slots_.book(local_day, slots); }
    const DayLedger& slots() const { return slots_; }
    int slots_per_day() const { return slots_per_day_; }
    // Room for days [0, days) in the downtime calendar without moving it.
    void reserve_days(int days) { by_day_.reserve(static_cast<std::size_t>(std::max(days, 0))); }

  private:
    Downtime extend_to(int local_day);  // works out the days up to `local_day`
    bool in_maintenance(int local_day) const;
    // Mark the days [from, to) that fall in a calibration lapse / planned maintenance (which
    // takes precedence: it is marked last). Days are worked out in increasing order.
    void mark_calibration_lapses(int from, int to);
    void mark_maintenance(int from, int to);

    // First what a booking reads (free_slots): the day's downtime and booked slots, and the
    // slots a day (a copy: the scenario's spec is one more cache line away); with the machine
    // aligned to a cache line, one line.
    DayLedger slots_;               // a column of the site's diary
    std::vector<Downtime> by_day_;  // downtime by local day, worked out as days are asked about
    int slots_per_day_;
    const EquipmentSpec* spec_;
    sim::Rng rng_;
    // Calibration lapses: [start, end) local days, generated in order.
    std::vector<std::pair<double, double>> lapses_;
    std::size_t lapse_cursor_ = 0;    // first lapse not over before the days being worked out
    double calibrated_until_ = -1.0;  // < 0: not generated yet
};

}  // namespace trial
