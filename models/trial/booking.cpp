#include "models/trial/booking.hpp"

#include <algorithm>

#include "models/trial/world.hpp"

namespace trial {
namespace {

struct Choice {
    int group;
    double hours;
};

// Whether `visit` fits on `day`; if so the staff groups to book, else what was short.
bool fits(SiteState& site, const VisitSpec& visit, int day, std::vector<Choice>& staff,
          Cause& short_of) {
    staff.clear();
    for (const StaffNeed& need : visit.staff) {
        int best = -1;
        double best_free = 0.0;
        for (std::size_t g = 0; g < site.staff.size(); ++g) {
            const StaffOnSite& group = site.staff[g];
            if (group.spec->role != need.role || !group.has_credential(need.credential)) continue;
            double already = 0.0;
            for (const Choice& c : staff)
                already += c.group == static_cast<int>(g) ? c.hours : 0;
            const double free = group.hours_per_day() - group.hours.booked(day) - already;
            if (free + 1e-9 >= need.hours && free > best_free) {
                best = static_cast<int>(g);
                best_free = free;
            }
        }
        if (best < 0) {
            short_of = Cause::staff;
            return false;
        }
        staff.push_back({best, need.hours});
    }
    for (const EquipmentNeed& need : visit.equipment) {
        bool found = false;
        for (Equipment& machine : site.equipment) {
            if (machine.kind() == need.kind && machine.free_slots(day) >= need.slots) {
                found = true;
                break;
            }
        }
        if (!found) {
            short_of = Cause::equipment;
            return false;
        }
    }
    return true;
}

void book(SiteState& site, const VisitSpec& visit, int day, const std::vector<Choice>& staff) {
    for (const Choice& c : staff)
        site.staff[c.group].hours.book(day, c.hours);
    for (const EquipmentNeed& need : visit.equipment) {
        for (Equipment& machine : site.equipment) {
            if (machine.kind() == need.kind && machine.free_slots(day) >= need.slots) {
                machine.book(day, need.slots);
                break;
            }
        }
    }
}

}  // namespace

bool needs_booking(const VisitSpec& visit) {
    return !visit.staff.empty() || !visit.equipment.empty();
}

Booking book_visit(SiteState& site, const VisitSpec& visit, const DayWindow& days) {
    std::vector<Choice> staff;
    int short_of_staff = 0;
    int short_of_equipment = 0;
    auto try_day = [&](int day, bool in_window) {
        if (day < days.earliest || !site.calendar.is_working_day(day)) return false;
        Cause cause = Cause::staff;
        if (fits(site, visit, day, staff, cause)) {
            book(site, visit, day, staff);
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

}  // namespace trial
