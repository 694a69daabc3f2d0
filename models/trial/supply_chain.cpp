// Drug supply: batches released at the central depot; country depots and sites reordering up
// to their maximum when their usable stock falls to the minimum; shipments taking the lane's
// lead time; kits leaving first-expiry-first-out, never with less than the minimum shelf life
// left on arrival; expired kits thrown away wherever they are.
//
// The minimum and maximum are the resupply rule's (resupply_rule.hpp).

#include "models/trial/world.hpp"

namespace trial {
namespace {

int count(const std::vector<Lot>& lots) {
    int kits = 0;
    for (const Lot& lot : lots)
        kits += lot.kits;
    return kits;
}

void note_level(World& world, SiteState& site) {
    site.kits_on_hand.set(world.sim.now(), site.kits.total());
}

void throw_away_expired(World& world, KitStock& stock, StockPlace place, int index) {
    const int expired = stock.remove_expired(world.sim.now());
    if (expired == 0) return;
    if (place == StockPlace::site) note_level(world, world.sites[index]);
    world.record.kits_expired(place, index, expired, world.sim.now());
    world.record.cost(CostCategory::kits_wasted, expired * world.scenario.supply.kit_cost,
                      world.sim.now());
}

sim::Process ship_to_depot(World& world, CountryState& country, std::vector<Lot> lots) {
    co_await sim::delay(country.spec->depot_lead_days);
    country.depot.add(lots);
    country.kit_order_pending = false;
    resupply_country_depot(world, country);
    // Sites of this country that ran dry while the depot was empty can order now.
    for (int site : country.sites)
        resupply_site(world, world.sites[site]);
}

sim::Process ship_to_site(World& world, SiteState& site, std::vector<Lot> lots) {
    co_await sim::delay(site.country->site_lead_days);
    site.kits.add(lots);
    site.kits_in_transit -= count(lots);
    note_level(world, site);
    site.kit_order_pending = false;
    site.deliveries.notify();
    resupply_site(world, site);
}

}  // namespace

sim::Process batch_release(World& world, Batch batch) {
    co_await sim::until(batch.release_day);
    world.central.add(Lot{batch.kits, batch.expiry_day});
    for (CountryState& country : world.countries) {
        if (country.approved.triggered()) resupply_country_depot(world, country);
    }
}

void resupply_country_depot(World& world, CountryState& country) {
    const SupplySpec& supply = world.scenario.supply;
    if (!supply.enabled || country.kit_order_pending) return;
    const double now = world.sim.now();
    throw_away_expired(world, country.depot, StockPlace::country_depot, country.index);
    // What counts is what can still go to a site with enough shelf life left.
    const int level =
        country.depot.usable(now + country.spec->site_lead_days + supply.min_shelf_life_days);
    const auto [reorder_at, order_up_to] = world.resupply_rule->depot_levels(world, country);
    if (level > reorder_at) return;
    throw_away_expired(world, world.central, StockPlace::central, 0);
    // Lots must still be shippable to a site on arrival.
    std::vector<Lot> lots = world.central.take(
        order_up_to - level, now + country.spec->depot_lead_days + country.spec->site_lead_days +
                                 supply.min_shelf_life_days);
    if (lots.empty()) return;  // nothing at the central depot: the next release retries
    country.kit_order_pending = true;
    world.record.shipment(StockPlace::country_depot, country.index, count(lots), now);
    world.record.cost(CostCategory::shipments, supply.shipment_cost, now);
    world.sim.spawn(ship_to_depot(world, country, std::move(lots)));
}

namespace {

// The order itself, once the site is at or below its reorder level (out of line: every
// dispensing asks whether to reorder, and rarely does).
[[gnu::noinline]] void order_for_site(World& world, SiteState& site, int level, int order_up_to) {
    const SupplySpec& supply = world.scenario.supply;
    const double now = world.sim.now();
    CountryState& country = world.countries[site.country_index];
    throw_away_expired(world, country.depot, StockPlace::country_depot, site.country_index);
    std::vector<Lot> lots = country.depot.take(
        order_up_to - level, now + site.country->site_lead_days + supply.min_shelf_life_days);
    if (!lots.empty()) {
        site.kit_order_pending = true;
        site.kits_in_transit += count(lots);
        world.record.shipment(StockPlace::site, site.index, count(lots), now);
        world.record.cost(CostCategory::shipments, supply.shipment_cost, now);
        world.sim.spawn(ship_to_site(world, site, std::move(lots)));
    }
    // A site in need prompts its depot: it may have just run low, or be empty already.
    resupply_country_depot(world, country);
}

}  // namespace

void resupply_site(World& world, SiteState& site) {
    const SupplySpec& supply = world.scenario.supply;
    if (!supply.enabled || !site.active || site.kit_order_pending) return;
    const double now = world.sim.now();
    throw_away_expired(world, site.kits, StockPlace::site, site.index);
    const int level = site.kits.usable(now);
    const auto [reorder_at, order_up_to] = world.resupply_rule->site_levels(world, site);
    if (level > reorder_at) return;
    order_for_site(world, site, level, order_up_to);
}

bool dispense_kits(World& world, SiteState& site, int kits) {
    const double now = world.sim.now();
    throw_away_expired(world, site.kits, StockPlace::site, site.index);
    if (site.kits.usable(now) < kits) {
        resupply_site(world, site);
        return false;
    }
    site.kits.dispense(kits, now);
    note_level(world, site);
    world.record.kits_dispensed(site.index, kits, now);
    world.record.cost(CostCategory::kits_used, kits * world.scenario.supply.kit_cost, now);
    resupply_site(world, site);
    return true;
}

}  // namespace trial
