#include "models/trial/booking.hpp"

#include <algorithm>
#include <boost/container/small_vector.hpp>

#include "models/trial/world.hpp"

namespace trial {
namespace {

struct Choice {
    int group;
    std::int32_t seconds;
};
// Per-call scratch that stays on the stack (a visit rarely needs more than a few resources).
using StaffChoices = boost::container::small_vector<Choice, 8>;
using MachineChoices = boost::container::small_vector<int, 4>;

// Whether `visit` fits on `day`; if so the staff groups and machines to book, else what was
// short.
bool fits(SiteState& site, const VisitResources& resources, int day, StaffChoices& staff,
          MachineChoices& machines, Cause& short_of) {
    staff.clear();
    machines.clear();
    for (const VisitResources::Need& need : resources.staff) {
        const std::int32_t seconds = need.amount;
        int best = -1;
        std::int64_t best_free = 0;
        for (int k = need.first; k < need.first + need.count; ++k) {
            const int g = resources.candidates[k];
            const StaffOnSite& group = site.staff[g];
            std::int64_t already = 0;
            if (resources.shared_groups) {
                for (const Choice& c : staff)
                    already += c.group == g ? c.seconds : 0;
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
        staff.push_back({best, seconds});
    }
    for (std::size_t n = 0; n < resources.machines.size(); ++n) {
        const VisitResources::Need& need = resources.machines[n];
        const int slots = need.amount;
        int chosen = -1;
        for (int k = need.first; k < need.first + need.count; ++k) {
            const int m = resources.candidates[k];
            int already = 0;
            for (std::size_t j = 0; j < machines.size(); ++j) {
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
        machines.push_back(chosen);
    }
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

}  // namespace

bool needs_booking(const VisitSpec& visit) {
    return !visit.staff.empty() || !visit.equipment.empty();
}

Booking book_visit(SiteState& site, const VisitSpec& visit, const DayWindow& days) {
    const VisitResources& resources = site.resources_for(visit);
    StaffChoices staff;
    MachineChoices machines;
    int short_of_staff = 0;
    int short_of_equipment = 0;
    auto try_day = [&](int day, bool in_window) {
        if (day < days.earliest || !site.calendar.is_working_day(day)) return false;
        Cause cause = Cause::staff;
        if (fits(site, resources, day, staff, machines, cause)) {
            book(site, visit, day, staff, machines);
            return true;
        }
        if (in_window) (cause == Cause::staff ? short_of_staff : short_of_equipment) += 1;
        return false;
    };
    Booking booking;
    booking.cause = Cause::staff;
    auto found = [&](int day) {
        booking.found = true;
        booking.local_day = day;
        booking.blocked = short_of_staff + short_of_equipment > 0;
        booking.cause = short_of_equipment > short_of_staff ? Cause::equipment : Cause::staff;
        return booking;
    };
    for (int day = std::max(days.target, days.earliest); day <= days.last; ++day) {
        if (try_day(day, true)) return found(day);
    }
    for (int day = std::min(days.target, days.last + 1) - 1; day >= days.first; --day) {
        if (day < days.earliest) break;
        if (try_day(day, true)) return found(day);
    }
    for (int day = std::max(days.last + 1, days.earliest); day <= days.latest; ++day) {
        if (try_day(day, false)) return found(day);
    }
    booking.blocked = short_of_staff + short_of_equipment > 0;
    booking.cause = short_of_equipment > short_of_staff ? Cause::equipment : Cause::staff;
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
    StaffChoices staff;
    MachineChoices machines;
    for (BookingRequest* r : open) {
        if (day > r->days.latest) {
            r->decided = true;  // missed: found stays false
        } else if (working && day >= r->days.earliest) {
            const VisitResources& resources = site.resources_for(*r->visit);
            Cause cause = Cause::staff;
            if (fits(site, resources, day, staff, machines, cause)) {
                book(site, *r->visit, day, staff, machines);
                r->decided = true;
                r->result.found = true;
                r->result.local_day = day;
            } else if (day <= r->days.last) {
                (cause == Cause::staff ? r->short_of_staff : r->short_of_equipment) += 1;
            }
        }
        if (r->decided) {
            r->result.blocked = r->short_of_staff + r->short_of_equipment > 0;
            r->result.cause =
                r->short_of_equipment > r->short_of_staff ? Cause::equipment : Cause::staff;
        }
    }
    std::erase_if(pending, [](const BookingRequest* r) { return r->decided; });
}

}  // namespace trial
