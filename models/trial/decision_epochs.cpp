// The trial's operations meeting, every decision_every_days: look at each site as a team
// would (what it has recruited, how busy its staff are, what is booked, its kits), forecast,
// flag what is going wrong (anomalies, recorded under every policy), and let the policy act
// on its levers: staff hours and backup sites.

#include <algorithm>
#include <array>
#include <cmath>

#include "models/policy/effort_model.hpp"
#include "models/policy/forecast.hpp"
#include "models/trial/world.hpp"

namespace trial {
namespace {

constexpr int days_booked_ahead = 28;

class Levers final : public TrialControl {
  public:
    explicit Levers(World& world) : world_(world) {}
    void set_staff_hours(int site, int group, double hours_per_day) override {
        world_.set_staff_hours(world_.sites[site], group, hours_per_day);
    }
    void open_backup_site(int site) override { world_.open_backup_site(world_.sites[site]); }
    void close_site(int site) override { world_.close_site(world_.sites[site]); }

  private:
    World& world_;
};

// When the site should be ready to recruit, by the mean start-up delays.
double expected_activation(const World& world, const SiteState& site) {
    if (site.active) return site.activation_day;
    const double now = world.sim.now();
    const CountryState& country = world.countries[site.country_index];
    const double approval = country.approved.triggered()
                                ? country.approval_day
                                : std::max(now, site.country->approval_days.mean());
    const Delay& contracting = site.spec->contracting_days.value_or(site.country->contracting_days);
    const Delay& activation = site.spec->activation_days.value_or(site.country->activation_days);
    return std::max(
        now, std::max(approval, site.startup_began_day) + contracting.mean() + activation.mean());
}

// What the forecast of a site's recruitment reads (forecast_recruitment), filled into `v`.
void recruitment_view_of(const World& world, const SiteState& site, SiteView& v) {
    const double now = world.sim.now();
    v.index = site.index;
    v.spec = site.spec;
    v.opened = site.opened;
    v.active = site.active;
    v.recruiting = site.recruiting && site.active;
    v.activation_day = site.activation_day;
    v.expected_activation_day = site.opened ? expected_activation(world, site) : not_reached;
    v.arrived = site.patients.arrived();
    v.awaiting_randomisation = site.patients.awaiting_randomisation();
    v.exposure_days = site.exposure_until(now);
    v.rate_multiplier = site.rate_multiplier;
}

// Booked over offered hours in the seven days before `today`.
double utilisation_last_week(const SiteState& site, const StaffOnSite& group, int today) {
    const double booked = staff_hours(group.booked_seconds.total_of_seven_days(today - 7));
    const double offered = site.calendar.working_days_per_week() * group.hours_per_day();
    return offered > 0 ? booked / offered : 0.0;
}

// Fills `v` in place (its staff vector is reused from one epoch to the next).
void view_of(const World& world, const SiteState& site, bool with_bookings, SiteView& v) {
    recruitment_view_of(world, site, v);
    v.randomised = site.patients.randomised();
    v.on_treatment = site.patients.on_treatment();
    v.working_days_per_week = site.calendar.working_days_per_week();
    v.effort_group = site.effort_group;
    v.effort_reference_hours_per_week = site.effort_reference_hours_per_week;
    const int today = site.calendar.local_day(world.sim.now());
    v.staff.resize(site.staff.size());
    for (std::size_t g = 0; g < site.staff.size(); ++g) {
        const StaffOnSite& group = site.staff[g];
        StaffView& s = v.staff[g];
        s = {group.spec, group.planned_hours_per_day(), group.hours_per_day(), group.cost_per_hour};
        if (!site.active) continue;
        if (with_bookings) {
            // Booked hours, plus visits waiting for a booking round (window_slack) on their
            // target day: work that is coming even if not yet in the diary.
            std::array<double, days_booked_ahead> ahead{};
            for (int d = 0; d < days_booked_ahead; ++d)
                ahead[d] = group.booked_hours(today + 1 + d);
            for (const BookingRequest* r : site.pending_bookings) {
                // A visit due beyond the days looked at is not work of those days (it was
                // counted on the last of them, which sized staff for work months away: the
                // cause of adaptive+window_slack's staff cost, issue 25); one already due
                // counts tomorrow.
                if (r->days.target - today - 1 >= days_booked_ahead) continue;
                const int d = std::max(r->days.target - today - 1, 0);
                for (const StaffNeed& need : r->visit->staff) {
                    if (need.role == group.spec->role) ahead[d] += need.hours;
                }
            }
            s.booked_peak_ahead = *std::max_element(ahead.begin(), ahead.end());
        }
        s.utilisation_last_week = utilisation_last_week(site, group, today);
    }
}

// Flags are raised when a condition starts (a site becomes lagging, a third week of overload),
// not again while it lasts, so that counts are episodes. `busiest`: the highest utilisation of
// the site's staff groups last week; `v`, `f`: the site's view and forecast (judged, and
// p_lagging if `p_lagging_known`; else only whether it reaches the threshold is worked out,
// and its value only when the flag is raised).
void watch(World& world, SiteState& site, double busiest, const SiteView& v, const SiteForecast& f,
           bool p_lagging_known) {
    if (!site.active) return;
    const PolicySpec& p = world.scenario.policy;
    const double now = world.sim.now();

    // With hysteresis: a lagging site stays flagged until it is clearly back on course.
    const double threshold =
        site.watch.lagging ? p.lagging_probability - 0.1 : p.lagging_probability;
    const bool lagging =
        f.judged && (p_lagging_known ? f.p_lagging >= threshold : lagging_reaches(v, f, threshold));
    if (lagging && !site.watch.lagging) {
        const double p_lagging = p_lagging_known ? f.p_lagging : lagging_probability(v, f);
        world.record.anomaly(AnomalyKind::lagging_site, site.index, p_lagging, now);
    }
    site.watch.lagging = lagging;

    if (busiest > p.overload_utilisation) {
        if (++site.watch.overloaded_weeks == p.overload_weeks) {
            world.record.anomaly(AnomalyKind::staff_overload, site.index, busiest, now);
        }
    } else {
        site.watch.overloaded_weeks = 0;
    }

    // Its own recruitment slowed down: arrivals against exposure (effort-weighted days) since
    // the last epoch.
    const double exposure = site.exposure_until(now);
    const int arrived = site.patients.arrived();
    // (From the first epoch it is active: a running trial's site arrives with its history.)
    if (site.watch.slowdown_started &&
        site.watch.slowdown.observe(arrived - site.watch.arrived_seen,
                                    exposure - site.watch.exposure_seen)) {
        world.record.anomaly(AnomalyKind::slowdown, site.index, site.watch.slowdown.recent_share(),
                             now);
    }
    site.watch.slowdown_started = true;
    site.watch.arrived_seen = arrived;
    site.watch.exposure_seen = exposure;

    const int conflicts = site.equipment_deviations - site.watch.equipment_deviations_seen;
    if (conflicts > 0) {
        world.record.anomaly(AnomalyKind::equipment_conflict, site.index, conflicts, now);
        site.watch.equipment_deviations_seen = site.equipment_deviations;
    }

    if (world.scenario.supply.enabled) {
        // At risk: what is on hand and on its way lasts less than a delivery takes.
        const double demand = world.kit_demand_per_day(site);
        const double cover =
            demand > 0 ? (site.kits.usable(now) + site.kits_in_transit) / demand : 1e9;
        const bool at_risk = demand > 0 && cover < site.country->site_lead_days;
        if (at_risk && !site.watch.stock_risk) {
            world.record.anomaly(AnomalyKind::stock_out_risk, site.index, cover, now);
        }
        site.watch.stock_risk = at_risk;
    }
}

// The epoch's look at the trial: each site's view, forecast and flags in one pass over the
// sites (each site's state is read once while it is in cache, not once per step), then the
// trial-wide forecast. A site's flags depend on its own view and forecast only, so what is
// recorded, and in what order, is what three passes (view, forecast, flags) would record.
void observe_and_watch(World& world, TrialView& view, TrialForecast& forecast) {
    view.scenario = &world.scenario;
    view.today = world.sim.now();
    view.randomised = world.randomised;
    view.recruitment_open = world.recruitment_open;
    view.sites.resize(world.sites.size());
    start_forecast(view, forecast);
    const ObservationNeeds needs = world.policy->needs();
    const bool with_bookings = needs.bookings_ahead;
    // A policy that reads nothing (static) leaves only the flags, which only active sites
    // raise, and which need only part of the view and forecast (a fifth less epoch time).
    const bool whole_trial = needs.trial;
    for (SiteState& site : world.sites) {
        if (!whole_trial && !site.active) continue;
        SiteView& v = view.sites[site.index];
        SiteForecast& f = forecast.sites[site.index];
        double busiest = 0;
        if (whole_trial) {
            view_of(world, site, with_bookings, v);
            forecast_site(view, v, f);
            for (const StaffView& s : v.staff)
                busiest = std::max(busiest, s.utilisation_last_week);
        } else {
            // Only what the flags read: the recruitment forecast and last week's utilisation.
            // A site that no longer recruits is not judged, and needs no forecast (nearly half
            // of the active sites' epochs, once recruitment is over).
            if (site.recruiting) {
                recruitment_view_of(world, site, v);
                forecast_recruitment(view, v, f, false);
            } else {
                f = SiteForecast{};
            }
            const int today = site.calendar.local_day(world.sim.now());
            for (const StaffOnSite& group : site.staff)
                busiest = std::max(busiest, utilisation_last_week(site, group, today));
        }
        watch(world, site, busiest, v, f, whole_trial);
    }
    if (whole_trial) finish_forecast(view, forecast);
}

void set_rate_multiplier(World& world, SiteState& site, double multiplier) {
    if (multiplier == site.rate_multiplier) return;
    const double now = world.sim.now();
    if (!std::isnan(site.exposure_since)) {
        site.exposure_days = site.exposure_until(now);
        site.exposure_since = now;
    }
    site.rate_multiplier = multiplier;
    site.rate_changed.notify();
}

}  // namespace

void World::set_staff_hours(SiteState& site, int group_index, double hours_per_day) {
    StaffOnSite& group = site.staff[group_index];
    hours_per_day = std::clamp(hours_per_day, 0.0, 24.0 * group.spec->count);
    if (hours_per_day == group.hours_per_day()) return;
    const int from = site.calendar.local_day(sim.now()) + 1;
    if (!group.changes.empty() && group.changes.back().first == from) {
        group.changes.back().second = hours_per_day;
    } else {
        group.changes.emplace_back(from, hours_per_day);
    }
    group.set_hours_per_day(hours_per_day);
    record.staff_changed(site.index, group_index, hours_per_day, sim.now());
    if (group_index == site.effort_group) {
        const double days = site.calendar.working_days_per_week();
        set_rate_multiplier(
            *this, site,
            recruitment_multiplier(scenario.effort, site.effort_reference_hours_per_week,
                                   hours_per_day * days));
    }
}

void World::open_backup_site(SiteState& site) {
    if (site.opened || site.spec->left_out || !recruitment_open) return;
    site.opened = true;
    site.recruiting = true;
    site.startup_began_day = sim.now();
    ++recruiting_sites;
    record.backup_site_opened(site.index, sim.now());
    sim.spawn(site_startup(*this, site));
}

void World::close_site(SiteState& site) {
    if (!site.active || !site.recruiting || site.closed_by_policy) return;
    site.closed_by_policy = true;
    site.rate_changed.notify();  // the recruitment loop wakes and stops
}

double World::kit_demand_per_day(const SiteState& site) const {
    constexpr int recent_days = 28;
    const int today = static_cast<int>(sim.now());
    const int recent = site.randomised_on_day.between(std::max(0, today - recent_days + 1), today);
    return site.patients.on_treatment() * kits_per_patient_day +
           static_cast<double>(recent) / recent_days * kits_at_randomisation;
}

sim::Process decision_epochs(World& world) {
    Levers levers(world);
    TrialView view;
    TrialForecast forecast;
    for (;;) {
        co_await sim::delay(world.scenario.policy.decision_every_days);
        const bool recruiting = world.recruitment_open && world.recruiting_sites > 0;
        if (!recruiting && world.in_pathway == 0) co_return;
        observe_and_watch(world, view, forecast);
        world.policy->decide(view, forecast, levers);
        if (world.resupply_rule->reviews_at_epochs()) {
            // Periodic review: forecasts move even when stock does not.
            for (SiteState& site : world.sites)
                resupply_site(world, site);
        }
    }
}

}  // namespace trial
