#pragma once
// How a site books its patients' visits: a rule chosen by name (rules.hpp), so that the
// patient's pathway reads "book the visit" whatever the rule.
//   fcfs          a visit is booked the moment it is asked for, first come first served
//   window_slack  visits due beyond the days the site has planned wait for its daily rounds,
//                 which place them by least slack to the window's end (booking.hpp)

#include <memory>

#include "models/scenario/scenario.hpp"
#include "models/trial/booking.hpp"
#include "sim/sim.hpp"

namespace trial {

struct World;
struct SiteState;

class BookingRule {
  public:
    virtual ~BookingRule() = default;
    // What the rule does the moment a visit is asked for (`days.earliest` is today): the day it
    // booked, if any, or that the visit waits for the rule's later rounds.
    struct Now {
        Booking booking;
        bool waits = false;
    };
    virtual Now book_now(SiteState& site, const VisitSpec& visit, const DayWindow& days) = 0;
    // For a visit book_now left waiting (`so_far`: what book_now tried): placed by the rounds
    // to come, unless the patient leaves first (on `leaves_day`; then nothing is booked).
    virtual sim::Task<Booking> book_later(World& world, SiteState& site, const VisitSpec& visit,
                                          DayWindow days, Booking so_far, double leaves_day);
};

std::unique_ptr<BookingRule> make_fcfs_booking(const Scenario& scenario);
std::unique_ptr<BookingRule> make_window_slack_booking(const Scenario& scenario);

}  // namespace trial
