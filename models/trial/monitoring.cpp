// Routine monitoring: a CRA of the site's team visits every few weeks while the site has
// patients or may still recruit, travelling there and back.

#include "models/trial/world.hpp"

namespace trial {

sim::Process site_monitoring(World& world, SiteState& site) {
    const CraTeam& team = world.scenario.cra_teams[site.cra_team];
    sim::Pool& monitors = world.cra_teams[site.cra_team];
    for (;;) {
        co_await sim::delay(team.monitoring_every_days);
        // A site with patients stays open until the final analysis' lock.
        const bool followed = world.readout_pending() && site.patients.randomised() > 0;
        const bool site_done = !site.recruiting && site.patients.in_pathway() == 0 && !followed;
        if (site_done ||
            (!world.recruitment_open && world.in_pathway == 0 && !world.readout_pending()))
            co_return;
        auto monitor = co_await monitors.hold();
        const double left = world.sim.now();
        co_await sim::delay(team.travel_days + team.monitoring_visit_days);
        world.record.monitoring_visit(site.index, world.sim.now());
        world.note_activity(site);
        co_await sim::delay(team.travel_days);
        world.record.cost(CostCategory::monitoring,
                          team.cost_per_day * (world.sim.now() - left) + team.travel_cost,
                          world.sim.now());
    }
}

}  // namespace trial
