#pragma once
// Booking a protocol visit at a site: the earliest good day for it, the way a coordinator
// fills the diary. First the target day and on to the end of the window; failing that, earlier
// in the window; failing that, late, up to the protocol's tolerance. A day is good when it is a
// working day and every staff role and machine the visit needs has room left that day.

#include "models/trial/recorder.hpp"

namespace trial {

struct SiteState;
struct VisitSpec;

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

bool needs_booking(const VisitSpec& visit);
Booking book_visit(SiteState& site, const VisitSpec& visit, const DayWindow& days);

// window_slack booking: the site's booking round for local day `today` books every waiting
// request due by then (BookingRequest, world.hpp), least slack to the window's end first,
// then in order of request. Runs once a day, when the first request due wakes.
void run_booking_round(SiteState& site, int today);

}  // namespace trial
