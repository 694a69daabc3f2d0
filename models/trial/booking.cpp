#include "models/trial/booking.hpp"

#include <algorithm>
#include <array>
#include <vector>

#include "models/trial/world.hpp"

namespace trial {
namespace {

struct Choice {
    int group;
    std::int32_t seconds;
};
// Per-booking scratch, one entry per need of the visit: on the stack up to N needs (a visit
// rarely has more than a few), on the heap beyond. Sized once per booking, filled in place for
// each day tried.
template <class T, std::size_t N>
class Scratch {
  public:
    explicit Scratch(std::size_t size) : size_(size) {
        if (size > N) {
            heap_.resize(size);
            data_ = heap_.data();
        }
    }
    Scratch(const Scratch&) = delete;
    Scratch& operator=(const Scratch&) = delete;
    T& operator[](std::size_t i) { return data_[i]; }
    const T& operator[](std::size_t i) const { return data_[i]; }
    std::size_t size() const { return size_; }
    const T* begin() const { return data_; }
    const T* end() const { return data_ + size_; }

  private:
    std::array<T, N> local_;
    std::vector<T> heap_;
    T* data_ = local_.data();
    std::size_t size_;
};
using StaffChoices = Scratch<Choice, 8>;
using MachineChoices = Scratch<int, 4>;

// Whether `visit` fits on `day`; if so the staff groups and machines to book (in `staff` and
// `machines`, one entry per need), else what was short. A staff need goes to
// the candidate group with the most time left that day (the first of equals), a machine need
// to the first candidate machine with the slots.
//
// (The usual visit, every need with one candidate of its own, goes to book_directly instead.)
bool fits(SiteState& site, const VisitResources& resources, int day, StaffChoices& staff,
          MachineChoices& machines, Cause& short_of) {
    const std::size_t staff_needs = resources.staff.size();
    for (std::size_t i = 0; i < staff_needs; ++i) {
        const VisitResources::Need& need = resources.staff[i];
        const std::int32_t seconds = need.amount;
        int best = -1;
        std::int64_t best_free = 0;
        for (int k = need.first; k < need.first + need.count; ++k) {
            const int g = resources.candidates[k];
            const StaffOnSite& group = site.staff[g];
            std::int64_t already = 0;  // taken by the needs before this one
            if (resources.shared_groups) {
                for (std::size_t j = 0; j < i; ++j)
                    already += staff[j].group == g ? staff[j].seconds : 0;
            }
            const std::int64_t free =
                std::int64_t{group.seconds_per_day()} - group.booked_seconds.booked(day) - already;
            if (free >= seconds && free > best_free) {
                best = g;
                best_free = free;
            }
        }
        if (best < 0) {
            short_of = Cause::staff;
            return false;
        }
        staff[i] = {best, seconds};
    }
    const std::size_t machine_needs = resources.machines.size();
    for (std::size_t n = 0; n < machine_needs; ++n) {
        const VisitResources::Need& need = resources.machines[n];
        const int slots = need.amount;
        int chosen = -1;
        for (int k = need.first; k < need.first + need.count; ++k) {
            const int m = resources.candidates[k];
            int already = 0;  // taken by the needs before this one
            for (std::size_t j = 0; j < n; ++j) {
                if (machines[j] == m) already += resources.machines[j].amount;
            }
            if (site.equipment[m].free_slots(day) - already >= slots) {
                chosen = m;
                break;
            }
        }
        if (chosen < 0) {
            short_of = Cause::equipment;
            return false;
        }
        machines[n] = chosen;
    }
    return true;
}

// For VisitResources::direct: whether every need has room on `day` (as fits would find: each
// has one candidate and none shares it), and if so booked; else what was short.
bool book_directly(SiteState& site, const VisitResources& resources, int day, Cause& short_of) {
    // Bases in locals: the diaries written below could alias the containers' own pointers, and
    // the compiler would otherwise load them again for every need.
    StaffOnSite* const staff = site.staff.data();
    Equipment* const equipment = site.equipment.data();
    const VisitResources::DirectNeed* const staff_needs = resources.direct_needs.data();
    const std::size_t n_staff = resources.direct_staff;
    const VisitResources::DirectNeed* const machine_needs = staff_needs + n_staff;
    const std::size_t n_machines = resources.direct_machines;
    for (std::size_t i = 0; i < n_staff; ++i) {
        const StaffOnSite& group = staff[staff_needs[i].index];
        const std::int64_t free =
            std::int64_t{group.seconds_per_day()} - group.booked_seconds.booked(day);
        if (free < staff_needs[i].amount || free <= 0) {
            short_of = Cause::staff;
            return false;
        }
    }
    for (std::size_t n = 0; n < n_machines; ++n) {
        if (equipment[machine_needs[n].index].free_slots(day) < machine_needs[n].amount) {
            short_of = Cause::equipment;
            return false;
        }
    }
    for (std::size_t i = 0; i < n_staff; ++i)
        staff[staff_needs[i].index].booked_seconds.book(day, staff_needs[i].amount);
    for (std::size_t n = 0; n < n_machines; ++n)
        equipment[machine_needs[n].index].book(day, machine_needs[n].amount);
    return true;
}

void book(SiteState& site, const VisitSpec& visit, int day, const StaffChoices& staff,
          const MachineChoices& machines) {
    for (const Choice& c : staff)
        site.staff[c.group].booked_seconds.book(day, c.seconds);
    for (std::size_t n = 0; n < machines.size(); ++n) {
        site.equipment[machines[n]].book(day, visit.equipment[n].slots);
    }
}

// Books `visit` on `day` if it fits there; else says what was short.
bool try_to_book(SiteState& site, const VisitSpec& visit, const VisitResources& resources, int day,
                 StaffChoices& staff, MachineChoices& machines, Cause& short_of) {
    if (resources.direct) return book_directly(site, resources, day, short_of);
    if (!fits(site, resources, day, staff, machines, short_of)) return false;
    book(site, visit, day, staff, machines);
    return true;
}

}  // namespace

Booking book_visit(SiteState& site, const VisitSpec& visit, const DayWindow& days) {
    // The first day tried's diary row and the staff groups, asked for before the booking
    // index's entry is read, so that their misses overlap instead of following each other.
    site.diary.prefetch_row(std::max(days.target, days.earliest));
    for (const StaffOnSite& group : site.staff) {
        __builtin_prefetch(&group);
        __builtin_prefetch(reinterpret_cast<const char*>(&group + 1) - 1);
    }
    const VisitResources& resources = site.booking_index.resources_for(site, visit);
    // (A direct visit needs no choices: book_directly reads only the first line of `resources`.)
    StaffChoices staff(resources.direct ? 0 : resources.staff.size());
    MachineChoices machines(resources.direct ? 0 : resources.machines.size());
    Booking booking;
    auto try_day = [&](int day, bool in_window) {
        if (day < days.earliest) return false;
        Cause cause = Cause::calendar;
        if (site.calendar.is_working_day(day) &&
            try_to_book(site, visit, resources, day, staff, machines, cause)) {
            booking.found = true;
            booking.local_day = day;
            return true;
        }
        if (in_window) booking.turned_away(cause);
        return false;
    };
    for (int day = std::max(days.target, days.earliest); day <= days.last; ++day) {
        if (try_day(day, true)) return booking;
    }
    for (int day = std::min(days.target, days.last + 1) - 1; day >= days.first; --day) {
        if (day < days.earliest) break;
        if (try_day(day, true)) return booking;
    }
    for (int day = std::max(days.last + 1, days.earliest); day <= days.latest; ++day) {
        if (try_day(day, false)) return booking;
    }
    return booking;
}

void run_booking_round(SiteState& site, int today, int horizon) {
    if (site.booked_round_through >= today) return;
    site.booked_round_through = today;
    const int day = today + horizon;
    auto& pending = site.pending_bookings;
    std::vector<BookingRequest*> open;
    for (BookingRequest* r : pending) {
        if (r->days.first <= day) open.push_back(r);
    }
    if (open.empty()) return;
    std::sort(open.begin(), open.end(), [](const BookingRequest* a, const BookingRequest* b) {
        return a->days.last != b->days.last ? a->days.last < b->days.last
                                            : a->sequence < b->sequence;
    });
    const bool working = site.calendar.is_working_day(day);
    for (BookingRequest* r : open) {
        Booking& result = r->result;
        if (day > r->days.latest) {
            r->decided = true;  // missed: found stays false
        } else if (day >= r->days.earliest) {
            const VisitResources& resources = site.booking_index.resources_for(site, *r->visit);
            StaffChoices staff(resources.direct ? 0 : resources.staff.size());
            MachineChoices machines(resources.direct ? 0 : resources.machines.size());
            Cause cause = Cause::calendar;
            if (working && try_to_book(site, *r->visit, resources, day, staff, machines, cause)) {
                r->decided = true;
                result.found = true;
                result.local_day = day;
            } else if (day <= r->days.last) {
                result.turned_away(cause);
            }
        }
    }
    std::erase_if(pending, [](const BookingRequest* r) { return r->decided; });
}

}  // namespace trial
