#include "models/trial/booking_rule.hpp"

#include <algorithm>
#include <stdexcept>

#include "models/trial/world.hpp"

namespace trial {

sim::Task<Booking> BookingRule::book_later(World&, SiteState&, const VisitSpec&, DayWindow, Booking,
                                           double) {
    throw std::logic_error("trial: this booking rule books every visit at once");
    co_return Booking{};
}

namespace {

class FirstComeFirstServed final : public BookingRule {
  public:
    Now book_now(SiteState& site, const VisitSpec& visit, const DayWindow& days) override {
        return {book_visit(site, visit, days), false};
    }
};

class WindowSlack final : public BookingRule {
  public:
    explicit WindowSlack(const Scenario& scenario)
        : horizon_(static_cast<int>(scenario.policy.booking_horizon_days)) {}

    Now book_now(SiteState& site, const VisitSpec& visit, const DayWindow& days) override {
        const int planned_until = days.earliest + horizon_;  // days the rounds have filled
        // Too short notice for the rounds: booked at once.
        if (days.last <= planned_until) return {book_visit(site, visit, days), false};
        // Room left in the days already planned, else the rounds to come.
        Now now;
        if (days.first <= planned_until) {
            DayWindow soon = days;
            soon.last = soon.latest = planned_until;
            now.booking = book_visit(site, visit, soon);
        }
        now.waits = !now.booking.found;
        return now;
    }

    // Waits for the site's daily booking rounds to place the visit (booking.hpp).
    sim::Task<Booking> book_later(World& world, SiteState& site, const VisitSpec& visit,
                                  DayWindow days, Booking so_far, double leaves_day) override {
        BookingRequest request{&visit, days, world.booking_sequence++, so_far, false};
        site.pending_bookings.push_back(&request);
        // A patient who leaves while waiting withdraws the request (not when the world is torn
        // down: the site may be gone by then).
        struct Withdraw {
            World& world;
            SiteState& site;
            BookingRequest& request;
            ~Withdraw() {
                if (!request.decided && !world.sim.tearing_down())
                    std::erase(site.pending_bookings, &request);
            }
        } withdraw{world, site, request};
        // The first round that can place it: tomorrow's, or the one filling its window's first
        // day.
        const int today = site.calendar.local_day(world.sim.now());
        int round = std::max(days.first - horizon_, today + 1);
        for (;;) {
            co_await sim::until(std::min(site.calendar.start_of(round), leaves_day));
            if (world.sim.now() >= leaves_day) co_return Booking{};
            run_booking_round(site, round, horizon_);
            if (request.decided) co_return request.result;
            ++round;
        }
    }

  private:
    int horizon_;
};

}  // namespace

std::unique_ptr<BookingRule> make_fcfs_booking(const Scenario&) {
    return std::make_unique<FirstComeFirstServed>();
}
std::unique_ptr<BookingRule> make_window_slack_booking(const Scenario& scenario) {
    return std::make_unique<WindowSlack>(scenario);
}

}  // namespace trial
