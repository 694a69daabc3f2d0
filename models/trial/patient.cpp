// A patient's pathway, as the protocol tells it: screening, randomisation, the visit schedule,
// completion, unless the patient drops out first.

#include <algorithm>
#include <boost/random/exponential_distribution.hpp>
#include <cmath>
#include <span>

#include "models/trial/booking.hpp"
#include "models/trial/time_to_event.hpp"
#include "models/trial/world.hpp"

namespace trial {
namespace {

struct VisitOutcome {
    bool done = false;
    double day = 0.0;
    bool dropped_out = false;  // the patient left the study while waiting for it
    int visit = -1;            // which visit of the pathway (VisitRef::visit)
};

// The days a visit due at `target_time` may be booked on, asked for today.
DayWindow window_for(const World& world, const SiteState& site, const VisitSpec& visit,
                     double target_time) {
    const int today = site.calendar.local_day(world.sim.now());
    const int target = site.calendar.local_day(target_time);
    int last = target + static_cast<int>(visit.window_after_days);
    // (Every calendar has a working day a week: scenario_loader.cpp.)
    if (visit.window_to_next_working_day) {
        while (!site.calendar.is_working_day(last))
            ++last;
    }
    return {today, target, target - static_cast<int>(visit.window_before_days), last,
            last + static_cast<int>(world.scenario.trial.late_tolerance_days)};
}

// A dosing visit the site had too few kits for: deliveries awaited until the day after the
// visit's latest day, or until the patient leaves the study (`leaves_day`).
struct KitWait {
    bool dosed = false;
    bool left_the_study = false;
};
sim::Task<KitWait> wait_for_kits(World& world, SiteState& site, int kits, double give_up,
                                 double leaves_day) {
    world.record.stock_out(site.index, world.sim.now());
    // No co_await inside && or ||: GCC 12 evaluates it even when the left side decides.
    for (;;) {
        const bool delivered = co_await site.deliveries.wait_before(std::min(give_up, leaves_day));
        if (world.sim.now() >= leaves_day) co_return KitWait{false, true};
        if (!delivered) co_return KitWait{};
        if (dispense_kits(world, site, kits)) co_return KitWait{true, false};
    }
}

// What became of a visit: missed, or done on local day `day` (early or late if outside its
// window), with the cause of any deviation.
void record_outcome(World& world, SiteState& site, const VisitRef& ref, const DayWindow& days,
                    double target_time, bool missed, int day, Cause cause) {
    const double now = world.sim.now();
    auto deviation = [&](DeviationKind kind) {
        if (cause == Cause::equipment) ++site.equipment_deviations;
        world.record.deviation(ref, kind, cause, now);
    };
    if (missed) {
        deviation(DeviationKind::missed);
        return;
    }
    if (day < days.first) {
        deviation(DeviationKind::early);
    } else if (day > days.last) {
        deviation(DeviationKind::late);
    }
    world.record.visit_done(ref, target_time, now);
    world.note_activity(site);
    if (ref.visit < static_cast<int>(world.schedule.size()))
        world.last_patient_last_visit_day = now;
}

// Books and attends `visits` one after the other: visit `first` + k of the pathway is the k-th,
// due on `from` + its day. Each is booked (by the site's booking rule), attended on its day,
// dosed (waiting for kits if the site is short), and its outcome recorded. A visit that can
// only be late because the previous one was (the patient was still waiting for it) records
// that as its cause. A patient who drops out (on `leaves_day`; forever: never) gives up
// whatever they are waiting for then: every wait below ends on that day at the latest. The
// patient is off treatment once the last dosing visit is over. Returns how the last visit went.
//
// One sub-task for the whole run of visits, not one per visit: a sub-task per visit cost 5 %
// of a replication (only a stock-out waits in a sub-task of its own).
sim::Task<VisitOutcome> attend(World& world, SiteState& site, VisitRef ref,
                               std::span<const ScheduledVisit> visits, int first, double from,
                               double leaves_day = sim::forever) {
    auto left_the_study = [&] { return world.sim.now() >= leaves_day; };
    auto dropped_out = [&] { return VisitOutcome{false, leaves_day, true, ref.visit}; };
    const WorkCalendar& calendar = site.calendar;
    VisitOutcome outcome;
    for (std::size_t k = 0; k < visits.size(); ++k) {
        const VisitSpec& visit = *visits[k].spec;
        const double target_time = from + visits[k].day;
        ref.visit = first + static_cast<int>(k);
        const DayWindow days = window_for(world, site, visit, target_time);
        // A window over before the visit is asked for: the patient was still waiting for the
        // previous visit, which was late.
        Cause cause = Cause::previous_visit_late;
        int day = days.target;
        bool missed = false;
        if (needs_booking(visit)) {
            // The site's booking rule: at once, or a wait for its later rounds.
            const BookingRule::Now now = world.booking_rule->book_now(site, visit, days);
            Booking booking = now.booking;
            if (now.waits) {
                booking = co_await world.booking_rule->book_later(world, site, visit, days,
                                                                  now.booking, leaves_day);
                if (left_the_study()) co_return dropped_out();
            }
            if (days.earliest <= days.last) cause = booking.cause();
            missed = !booking.found;
            if (!missed) {
                day = booking.local_day;
                co_await sim::until(std::min(calendar.opening_time(day), leaves_day));
                if (left_the_study()) co_return dropped_out();
            }
        } else {
            co_await sim::until(std::min(target_time, leaves_day));
            if (left_the_study()) co_return dropped_out();
            day = calendar.local_day(world.sim.now());
        }
        if (!missed && visit.kits > 0 && !dispense_kits(world, site, visit.kits)) {
            cause = Cause::kit;
            const KitWait kits = co_await wait_for_kits(
                world, site, visit.kits, calendar.opening_time(days.latest + 1), leaves_day);
            if (kits.left_the_study) co_return dropped_out();
            missed = !kits.dosed;
            if (kits.dosed) day = calendar.local_day(world.sim.now());
        }
        record_outcome(world, site, ref, days, target_time, missed, day, cause);
        outcome = VisitOutcome{!missed, world.sim.now(), false, ref.visit};
        if (first >= 0 && ref.visit == world.last_kit_visit) site.patients.off_treatment();
    }
    co_return outcome;
}

// A randomised patient's endpoints: each event's day, told to the endpoint's clock when it
// comes before the patient is censored (drops out on `dropout_day`, or is lost to follow-up)
// and within the horizon. Drawn from the patient's own endpoint stream, so that a scenario
// without endpoints draws exactly what it did before they existed.
struct Endpoints {
    double treatment_ends_day = sim::forever;  // an event that ends treatment
    double lost_day = sim::forever;            // lost to follow-up for every endpoint
};
Endpoints expect_events(World& world, const VisitRef& ref, int arm, double randomised_at,
                        double dropout_day) {
    Endpoints out;
    if (world.endpoints.empty()) return out;
    const std::uint64_t key = (std::uint64_t(ref.site) << 32) | std::uint32_t(ref.patient);
    sim::Rng rng = world.stream("endpoint", key);
    const double survived = world.sim.now() - randomised_at;  // > 0: on study at the as-of day
    // A forecast's patient with events or censoring observed (counted by start_endpoints).
    const auto seen = world.followed_on_study.find(key);
    const FollowedPatient* followed =
        seen == world.followed_on_study.end() ? nullptr : &world.start->followed[seen->second];
    out.lost_day = 0.0;
    for (std::size_t e = 0; e < world.endpoints.size(); ++e) {
        const EndpointSpec& spec = world.scenario.endpoints[e];
        const double event =
            randomised_at + draw_days_to_event(world.event_models[e][arm], rng, survived);
        const double lost_rate = spec.lost_to_follow_up_rate_per_year / 365.25;
        const double to_lost = -std::log1p(-rng.uniform01());  // Exp(1), drawn in any case
        const double lost = lost_rate > 0 ? world.sim.now() + to_lost / lost_rate : sim::forever;
        out.lost_day = std::max(out.lost_day, lost);
        if (followed && !std::isnan(followed->event_day[e])) {
            if (spec.ends_treatment)
                out.treatment_ends_day = std::min(out.treatment_ends_day, followed->event_day[e]);
            continue;
        }
        if (followed && !std::isnan(followed->censored_day[e])) continue;
        const double censored = std::min(dropout_day, lost);
        const bool observed = event < censored && event <= world.scenario.trial.horizon_days;
        EndpointState& endpoint = world.endpoints[e];
        endpoint.followed.push_back({randomised_at, observed ? event : censored, arm});
        if (observed) {
            endpoint.expect(event, arm, {ref.site, ref.patient, -1});
            if (spec.ends_treatment)
                out.treatment_ends_day = std::min(out.treatment_ends_day, event);
        }
    }
    return out;
}

// Whether follow-up contacts are still wanted: the analyses wait for data that can come.
bool contacts_wanted(const World& world) {
    return world.awaiting_readout && !world.final_cut_off && world.readout_pending();
}

// Contacts every [protocol.follow_up] every_days from now (the end of the patient's visits),
// each booked like a visit and paid its fee, until the final analysis' cut-off or the patient
// leaves (`leaves_day`: drops out or is lost to follow-up).
sim::Task<> follow_up(World& world, SiteState& site, VisitRef ref, double leaves_day) {
    const VisitSpec& contact = *world.scenario.protocol.follow_up;
    const double from = world.sim.now();
    const int first_index = static_cast<int>(world.schedule.size());
    for (int k = 1;; ++k) {
        const double due = from + k * contact.every_days;
        const double opens = due - contact.window_before_days;
        if (opens >= leaves_day || due > world.scenario.trial.horizon_days) co_return;
        co_await sim::until(std::max(opens, world.sim.now()));
        if (!contacts_wanted(world)) co_return;
        const ScheduledVisit visit{&contact, k, k * contact.every_days};
        const VisitOutcome done =
            co_await attend(world, site, ref, {&visit, 1}, first_index + k - 1, from, leaves_day);
        if (done.dropped_out) co_return;
        if (done.done) {
            world.record.cost(CostCategory::patient_fees, world.scenario.protocol.follow_up_fee,
                              world.sim.now());
        }
    }
}

// The protocol's schedule from randomisation on, from the first visit not yet due (all of them
// for a new patient), until the patient completes, drops out or has an event that ends
// treatment; then follow-up contacts until the final analysis, if the protocol has them.
sim::Task<> on_study(World& world, SiteState& site, VisitRef ref, int arm, double randomised_at,
                     sim::Rng& rng, int visits_done = -1) {
    const double now = world.sim.now();
    std::size_t first = 0;
    if (visits_done >= 0) {
        first = std::min<std::size_t>(visits_done, world.schedule.size());
    } else {
        while (first < world.schedule.size() && randomised_at + world.schedule[first].day < now)
            ++first;
    }
    const bool on_treatment = world.last_kit_visit >= static_cast<int>(first);
    if (on_treatment && randomised_at < now) site.patients.resumes_on_treatment();

    // The day the patient would drop out (past the end of the simulated time: never).
    double leaves_day = sim::forever;
    const double dropout_rate = world.dropout_rate_per_year / 365.25;
    if (dropout_rate > 0.0) {
        boost::random::exponential_distribution<double> time_to_dropout(dropout_rate);
        const double dropout_day = now + time_to_dropout(rng);
        if (dropout_day <= world.scenario.trial.horizon_days) leaves_day = dropout_day;
    }
    const Endpoints endpoints = expect_events(world, ref, arm, randomised_at, leaves_day);
    const double visits_end = std::min(leaves_day, endpoints.treatment_ends_day);
    const std::span<const ScheduledVisit> due = std::span(world.schedule).subspan(first);
    const VisitOutcome last =
        co_await attend(world, site, ref, due, static_cast<int>(first), randomised_at, visits_end);
    ref.visit = last.visit;
    // Still on treatment if the patient left before the last dosing visit was over.
    const bool still_on_treatment = on_treatment && last.visit <= world.last_kit_visit;
    if (last.dropped_out && world.sim.now() >= leaves_day) {
        world.record.dropped_out(ref, world.sim.now());
        if (still_on_treatment) site.patients.off_treatment();
        co_return;
    }
    if (last.dropped_out) {
        if (still_on_treatment) site.patients.off_treatment();  // the event ended treatment
    } else {
        world.record.completed(ref, world.sim.now());
    }
    if (world.scenario.protocol.follow_up && contacts_wanted(world))
        co_await follow_up(world, site, ref, std::min(leaves_day, endpoints.lost_day));
}

}  // namespace

sim::Process patient(World& world, SiteState& site, int patient_number, sim::Rng rng) {
    const Protocol& protocol = world.scenario.protocol;
    VisitRef ref{site.index, patient_number, -1};
    ++world.in_pathway;
    site.patients.presents();
    world.record.patient_arrived(ref, world.sim.now());

    const ScheduledVisit screening_visit{&protocol.screening, 0, 0.0};
    const VisitOutcome screening =
        co_await attend(world, site, ref, {&screening_visit, 1}, -1, world.sim.now());
    const bool eligible = rng.uniform01() >= site.screen_failure_probability;
    if (!screening.done) {
        // could not be screened in time: lost before entering the trial
    } else {
        site.patients.screened_in_time();
        if (!eligible) world.record.screen_failed(ref, world.sim.now());
    }

    if (!(screening.done && eligible)) site.patients.not_randomised();
    if (screening.done && eligible) {
        co_await sim::delay(protocol.screening_to_randomisation_days);
        if (world.may_randomise(site)) {
            const int arm = world.randomise(site, ref);
            co_await on_study(world, site, ref, arm, world.sim.now(), rng);
        } else {
            site.patients.not_randomised();  // the site, its country or the trial is full
        }
    }
    site.patients.leaves_pathway();
    --world.in_pathway;
    world.check_finished();
}

sim::Process patient_on_study(World& world, SiteState& site, int patient_number, sim::Rng rng,
                              double randomised_day, int visits_done) {
    VisitRef ref{site.index, patient_number, -1};
    ++world.in_pathway;
    site.patients.resumes_on_study();
    // Its arm is not observed (blinded): drawn by the allocation ratio, from a stream of its
    // own only when there are endpoints to draw for.
    int arm = 0;
    const auto followed = world.followed_on_study.find((std::uint64_t(site.index) << 32) |
                                                       std::uint32_t(patient_number));
    if (followed != world.followed_on_study.end()) {
        arm = world.followed_arm[followed->second];
    } else if (!world.endpoints.empty()) {
        sim::Rng arm_rng =
            world.stream("endpoint.arm", (std::uint64_t(ref.site) << 32) | ref.patient);
        int ratios = 0;
        for (const Arm& a : world.scenario.trial.arms)
            ratios += a.ratio;
        int pick = static_cast<int>(arm_rng.uniform01() * ratios);
        while (pick >= world.scenario.trial.arms[arm].ratio)
            pick -= world.scenario.trial.arms[arm++].ratio;
    }
    co_await on_study(world, site, ref, arm, randomised_day, rng, visits_done);
    site.patients.leaves_pathway();
    --world.in_pathway;
    world.check_finished();
}

}  // namespace trial
