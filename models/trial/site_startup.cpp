// How a country and its sites open: regulatory and ethics approval for the country; for each
// site, contracting, activation, the initiation visit by a CRA; then recruitment until the
// trial's target is met or the site closes.

#include <boost/random/exponential_distribution.hpp>
#include <boost/random/gamma_distribution.hpp>
#include <cmath>

#include "models/trial/world.hpp"

namespace trial {
namespace {

// Days from activation to the next patient, for a Poisson process whose rate decays as
// rate · exp(-decay · s) with s the days since activation; infinity when no patient comes.
// With decay, the cumulative rate is rate·(1 − e^{−decay·s})/decay, inverted in closed form.
double next_arrival_since_activation(double rate, double decay, double since, sim::Rng& rng) {
    const double unit_exponential = boost::random::exponential_distribution<double>(1.0)(rng);
    if (rate <= 0.0) return sim::forever;
    if (decay <= 0.0) return since + unit_exponential / rate;
    const double remaining = std::exp(-decay * since) - decay * unit_exponential / rate;
    if (remaining <= 0.0) return sim::forever;
    return -std::log(remaining) / decay;
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

void activate(World& world, SiteState& site) {
    site.active = true;
    site.activation_day = world.sim.now();
    site.last_activity_day = world.sim.now();
    world.record.site_activated(site.index, world.sim.now());
    world.record.cost(CostCategory::site_fees, site.country->site_startup_fee, world.sim.now());
    resupply_site(world, site);
    if (site.cra_team >= 0 && world.scenario.cra_teams[site.cra_team].monitoring_every_days > 0) {
        world.sim.spawn(site_monitoring(world, site));
    }
}

}  // namespace

sim::Process country_approval(World& world, CountryState& country) {
    sim::Rng rng = world.stream("country.approval", country.index);
    co_await sim::delay(country.spec->approval_days.sample(rng));
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
    const double contracting_days = contracting.sample(startup);
    const double activation_days = activation.sample(startup);

    co_await world.countries[site.country_index].approved.wait();
    co_await sim::delay(contracting_days + activation_days);
    co_await initiation_visit(world, site);
    activate(world, site);

    // Recruitment: patients present until the trial's target is met or the site closes.
    const double decay_per_day = spec.recruitment_decay_per_year / 365.25;
    double since_activation = 0.0;
    int patients = 0;
    while (world.recruitment_open) {
        since_activation = next_arrival_since_activation(site.recruitment_rate_per_day,
                                                         decay_per_day, since_activation, arrivals);
        const double next = site.activation_day + since_activation;
        if (next >= closes_day || next > world.scenario.trial.horizon_days) break;
        co_await sim::until(next);
        if (!world.recruitment_open) break;
        world.sim.spawn(
            patient(world, site, patients,
                    world.stream("patient", (std::uint64_t(site.index) << 32) | patients)));
        ++patients;
    }
    if (closes_day != sim::forever && world.recruitment_open) {
        co_await sim::until(closes_day);
        world.record.site_closed(site.index, world.sim.now());
    }
    site.recruiting = false;
    --world.recruiting_sites;
    world.check_finished();
}

}  // namespace trial
