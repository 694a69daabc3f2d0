// How a country and its sites open: regulatory and ethics approval for the country; for each
// site, contracting, activation, the initiation visit by a CRA; then recruitment until the
// trial's target is met or the site closes.

#include <boost/random/exponential_distribution.hpp>
#include <boost/random/gamma_distribution.hpp>
#include <cmath>

#include "models/trial/sample_delay.hpp"
#include "models/trial/world.hpp"

namespace trial {
namespace {

// Arrivals are a Poisson process whose rate decays as rate · exp(-decay · s), s the days
// since activation, times the effort multiplier a policy sets. Each patient comes when the
// cumulative rate since the last one reaches a unit exponential draw; with decay the
// cumulative rate from s0 to s is rate·(e^{−decay·s0} − e^{−decay·s})/decay, inverted in
// closed form. A change of multiplier keeps the hazard already accumulated, so the same draws
// give the same patients under every policy until efforts differ.

// Days since activation at which `hazard` more has accumulated from `since`; forever if never.
double when_hazard_reached(double rate, double decay, double since, double hazard) {
    if (rate <= 0.0) return sim::forever;
    if (decay <= 0.0) return since + hazard / rate;
    const double remaining = std::exp(-decay * since) - decay * hazard / rate;
    if (remaining <= 0.0) return sim::forever;
    return -std::log(remaining) / decay;
}

// Hazard accumulated between `from` and `to` days since activation.
double hazard_between(double rate, double decay, double from, double to) {
    if (decay <= 0.0) return rate * (to - from);
    return rate * (std::exp(-decay * from) - std::exp(-decay * to)) / decay;
}

double unit_exponential(sim::Rng& rng) {
    return boost::random::exponential_distribution<double>(1.0)(rng);
}

sim::Task<> initiation_visit(World& world, SiteState& site) {
    if (site.cra_team < 0) co_return;
    const CraTeam& team = world.scenario.cra_teams[site.cra_team];
    sim::Pool& monitors = world.cra_teams[site.cra_team];
    co_await monitors.acquire();
    const double left = world.sim.now();
    co_await sim::delay(team.travel_days + team.initiation_visit_days);
    // The site is initiated; the monitor travels home before taking on more work.
    auto travel_home = [](World& world, sim::Pool& monitors, const CraTeam& team,
                          double left) -> sim::Process {
        co_await sim::delay(team.travel_days);
        monitors.release();
        world.record.cost(CostCategory::monitoring,
                          team.cost_per_day * (world.sim.now() - left) + team.travel_cost,
                          world.sim.now());
    };
    world.sim.spawn(travel_home(world, monitors, team, left));
}

// `day`: when it was activated (earlier than now for a site of a running trial, whose fee was
// paid before the as-of day).
void activate(World& world, SiteState& site, double day) {
    site.active = true;
    site.activation_day = day;
    site.exposure_since = world.sim.now();
    site.last_activity_day = world.sim.now();
    world.record.site_activated(site.index, day);
    if (day == world.sim.now()) {
        world.record.cost(CostCategory::site_fees, site.country->site_startup_fee, day);
    }
    resupply_site(world, site);
    if (site.cra_team >= 0 && world.scenario.cra_teams[site.cra_team].monitoring_every_days > 0) {
        world.sim.spawn(site_monitoring(world, site));
    }
}

sim::Rng patient_stream(const World& world, const SiteState& site, int number) {
    return world.stream("patient", (std::uint64_t(site.index) << 32) | number);
}

void spawn_patient(World& world, SiteState& site, int number) {
    world.sim.spawn(patient(world, site, number, patient_stream(world, site, number)));
}

// A site active before the as-of day, on that day: its kits and patients as observed, its
// patients on study carrying on with their schedules and those in screening arriving again.
void carry_on_from_as_of(World& world, SiteState& site, const SiteStart& from) {
    if (from.kits_on_hand > 0) {
        // Counted on site; their expiry is not observed: taken as the latest batch's.
        double expiry = world.start->as_of_day + 365.0;
        for (const Batch& batch : world.scenario.supply.batches) {
            if (batch.release_day <= world.start->as_of_day) expiry = batch.expiry_day;
        }
        site.kits.add(Lot{from.kits_on_hand, expiry});
    }
    activate(world, site, from.activation_day);
    world.cap_if_full(site);  // at its cap already on the as-of day
    for (std::size_t p = 0; p < from.on_study_days.size(); ++p) {
        const int number = (1 << 20) + static_cast<int>(p);
        world.sim.spawn(patient_on_study(world, site, number, patient_stream(world, site, number),
                                         from.on_study_days[p], from.on_study_visits_done[p]));
    }
    for (int p = 0; p < from.screening; ++p) {
        site.patients.withdraw_arrival();  // counted again as it arrives
        spawn_patient(world, site, (1 << 21) + p);
    }
}

}  // namespace

sim::Process country_approval(World& world, CountryState& country) {
    sim::Rng rng = world.stream("country.approval", country.index);
    const double approval_days = sample(country.spec->approval_days, rng);
    double approved_on = approval_days;
    if (world.start) {
        // A running trial: approved by the first activation of its sites, if any; otherwise
        // not before the as-of day.
        approved_on = std::max(approval_days, world.start->as_of_day);
        for (int site : country.sites) {
            const SiteStart& from = world.start->sites[site];
            if (from.active) approved_on = std::min(approved_on, from.activation_day);
        }
    }
    co_await sim::until(approved_on);
    country.approval_day = world.sim.now();
    world.record.country_approved(country.index, world.sim.now());
    country.approved.trigger();
    resupply_country_depot(world, country);
}

sim::Process site_startup(World& world, SiteState& site) {
    const SiteSpec& spec = *site.spec;
    sim::Rng startup = world.stream("site.startup", site.index);
    sim::Rng arrivals = world.stream("site.arrivals", site.index);
    const double closes_day = spec.closes_day.value_or(sim::forever);
    const Delay& contracting = spec.contracting_days.value_or(site.country->contracting_days);
    const Delay& activation = spec.activation_days.value_or(site.country->activation_days);
    const double contracting_days = sample(contracting, startup);
    const double activation_days = sample(activation, startup);

    const SiteStart* from = world.start ? &world.start->sites[site.index] : nullptr;
    if (from && from->active) {
        // Active before the as-of day: it carries on from there with its patients.
        co_await sim::until(world.start->as_of_day);
        carry_on_from_as_of(world, site, *from);
    } else {
        co_await world.countries[site.country_index].approved.wait();
        co_await sim::delay(contracting_days + activation_days);
        if (from && world.sim.now() < world.start->as_of_day) {
            // Not active by the as-of day although its delays say it would be: its start-up
            // is taken to run from the as-of day.
            co_await sim::until(world.start->as_of_day);
            co_await sim::delay(sample(contracting, startup) + sample(activation, startup));
        }
        co_await initiation_visit(world, site);
        activate(world, site, world.sim.now());
    }

    // Recruitment: patients present until the trial's target is met or the site closes.
    const double decay_per_day = spec.recruitment_decay_per_year / 365.25;
    const double stop_day = std::min(closes_day, world.scenario.trial.horizon_days);
    double since_activation = world.sim.now() - site.activation_day;
    double hazard_to_next = unit_exponential(arrivals);
    int patients = 0;
    while (world.recruitment_open && !site.capped) {
        const double rate = site.recruitment_rate_per_day * site.rate_multiplier;
        const double next =
            site.activation_day +
            when_hazard_reached(rate, decay_per_day, since_activation, hazard_to_next);
        if (next >= stop_day && !world.policy->needs().changes_effort) break;
        // A policy may change the effort (and so the rate) before then.
        const bool changed = co_await site.rate_changed.wait_before(std::min(next, stop_day));
        if (!world.recruitment_open || site.closed_by_policy || site.capped) break;
        if (changed) {
            const double now = world.sim.now() - site.activation_day;
            hazard_to_next -= hazard_between(rate, decay_per_day, since_activation, now);
            hazard_to_next = std::max(hazard_to_next, 0.0);
            since_activation = now;
            continue;
        }
        if (next >= stop_day) break;
        since_activation = next - site.activation_day;
        hazard_to_next = unit_exponential(arrivals);
        spawn_patient(world, site, patients);
        ++patients;
    }
    site.exposure_days = site.exposure_until(world.sim.now());
    site.exposure_since = not_reached;
    if (site.closed_by_policy || site.capped) {
        site.recruitment_closed_day = world.sim.now();
        world.record.site_closed(site.index, world.sim.now());
    } else if (closes_day != sim::forever && world.recruitment_open) {
        co_await sim::until(closes_day);
        site.recruitment_closed_day = world.sim.now();
        world.record.site_closed(site.index, world.sim.now());
    }
    site.recruiting = false;
    --world.recruiting_sites;
    if (world.recruiting_sites == 0) world.readout_news.notify();
    world.check_finished();
}

}  // namespace trial
