#pragma once
// Booking a protocol visit at a site: the earliest good day for it, the way a coordinator
// fills the diary. First the target day and on to the end of the window; failing that, earlier
// in the window; failing that, late, up to the protocol's tolerance. A day is good when it is a
// working day and every staff role and machine the visit needs has room left that day.

#include "models/scenario/scenario.hpp"
#include "models/trial/recorder.hpp"

namespace trial {

struct SiteState;

struct DayWindow {
    int earliest;  // not before (today)
    int target;
    int first;   // window opens
    int last;    // window closes
    int latest;  // beyond this the visit is missed
};

// Where a visit was booked, and why not earlier: the window's days from today on that it was
// tried on and did not get.
struct Booking {
    bool found = false;
    int local_day = 0;
    int short_of_staff = 0;      // working days whose staff were full
    int short_of_equipment = 0;  // working days whose machines were full
    int closed_days = 0;         // days the site does not work

    // What kept the visit out of its window, if it was: the resource that was full on most of
    // its working days; the calendar when no working day was full.
    Cause cause() const {
        if (short_of_staff + short_of_equipment == 0) return Cause::calendar;
        return short_of_equipment > short_of_staff ? Cause::equipment : Cause::staff;
    }
    // How a day of the window that did not take the visit counts.
    void turned_away(Cause why) {
        (why == Cause::staff       ? short_of_staff
         : why == Cause::equipment ? short_of_equipment
                                   : closed_days) += 1;
    }
};

inline bool needs_booking(const VisitSpec& visit) {
    return !visit.staff.empty() || !visit.equipment.empty();
}
Booking book_visit(SiteState& site, const VisitSpec& visit, const DayWindow& days);

// window_slack booking. Requests wait (BookingRequest, world.hpp); the round run at the start
// of local day T fills day T + horizon: among the requests whose window has opened by then,
// those with least slack to the window's end go first (earliest deadline first), then in order
// of request. A request that does not fit waits for the next round; one past its latest day
// is missed. Runs once a day, when the first waiting request wakes.
void run_booking_round(SiteState& site, int today, int horizon);

}  // namespace trial
