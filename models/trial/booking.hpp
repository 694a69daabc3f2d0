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

struct Booking {
    bool found = false;
    int local_day = 0;
    bool blocked = false;        // some day in the window was full
    Cause cause = Cause::staff;  // what filled those days
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
