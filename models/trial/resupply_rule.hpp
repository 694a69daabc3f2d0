#pragma once
// When a country depot or a site reorders kits, and up to what: a rule chosen by name
// (rules.hpp).
//   buffer      the scenario's min/max stock levels ([supply] and the countries)
//   predictive  reorder at safety_factor x forecast demand (World::kit_demand_per_day) over the
//               lead time plus the review period, order up to that plus cover_days of demand;
//               without demand yet (no patient on treatment) as buffer. Every site's stock is
//               reviewed at each decision epoch too: forecasts move even when stock does not.

#include <memory>

#include "models/scenario/scenario.hpp"

namespace trial {

struct World;
struct SiteState;
struct CountryState;

struct StockLevels {
    int reorder_at;   // order when usable stock is at or below this
    int order_up_to;  // then bring it up to this
};

class ResupplyRule {
  public:
    virtual ~ResupplyRule() = default;
    virtual StockLevels depot_levels(const World& world, const CountryState& country) const = 0;
    virtual StockLevels site_levels(const World& world, const SiteState& site) const = 0;
    // Whether every site's stock is reviewed at each decision epoch.
    virtual bool reviews_at_epochs() const { return false; }
};

std::unique_ptr<ResupplyRule> make_buffer_resupply(const Scenario& scenario);
std::unique_ptr<ResupplyRule> make_predictive_resupply(const Scenario& scenario);

}  // namespace trial
