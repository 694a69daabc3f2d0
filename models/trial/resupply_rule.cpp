#include "models/trial/resupply_rule.hpp"

#include <algorithm>
#include <cmath>

#include "models/stats/poisson_quantile.hpp"
#include "models/trial/world.hpp"

namespace trial {
namespace {

class Buffer : public ResupplyRule {
  public:
    StockLevels depot_levels(const World& world, const CountryState& country) const override {
        const SupplySpec& supply = world.scenario.supply;
        return {country.spec->depot_min_kits.value_or(supply.depot_min_kits),
                country.spec->depot_max_kits.value_or(supply.depot_max_kits)};
    }
    StockLevels site_levels(const World& world, const SiteState&) const override {
        const SupplySpec& supply = world.scenario.supply;
        return {supply.site_min_kits, supply.site_max_kits};
    }
};

class Predictive final : public Buffer {
  public:
    StockLevels depot_levels(const World& world, const CountryState& country) const override {
        double demand = 0;
        for (int s : country.sites) {
            const SiteState& site = world.sites[s];
            if (site.active) demand += world.kit_demand_per_day(site);
        }
        if (demand <= 0) return Buffer::depot_levels(world, country);
        return predicted(world.scenario.policy, demand,
                         country.spec->depot_lead_days + country.spec->site_lead_days);
    }
    StockLevels site_levels(const World& world, const SiteState& site) const override {
        const double demand = world.kit_demand_per_day(site);
        if (demand <= 0) return Buffer::site_levels(world, site);
        return predicted(world.scenario.policy, demand, site.country->site_lead_days);
    }
    bool reviews_at_epochs() const override { return true; }

  private:
    // Reorder at the demand over the lead time and review that is exceeded with probability
    // 1 - service_level (Poisson; at low demand safety_factor x the mean alone leaves a site or
    // depot that covers 3.5 kits of mean demand with 6, short one time in 15), and at least
    // safety_factor x the mean.
    static StockLevels predicted(const PolicySpec& p, double demand_per_day, double lead_days) {
        const double mean = demand_per_day * (lead_days + p.review_days);
        const int reorder_at = std::max(static_cast<int>(std::ceil(p.safety_factor * mean)),
                                        stats::poisson_quantile(mean, p.service_level));
        return {
            reorder_at,
            reorder_at + std::max(1, static_cast<int>(std::ceil(demand_per_day * p.cover_days)))};
    }
};

}  // namespace

std::unique_ptr<ResupplyRule> make_buffer_resupply(const Scenario&) {
    return std::make_unique<Buffer>();
}
std::unique_ptr<ResupplyRule> make_predictive_resupply(const Scenario&) {
    return std::make_unique<Predictive>();
}

}  // namespace trial
