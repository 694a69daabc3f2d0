// proportional: the effort role's hours (coordinators, by default) follow the forecast
// enrollment. At each decision the hours planned for the sites still recruiting are pooled and
// shared out in proportion to each site's forecast randomisations a day, within
// [min_staff_share, max_staff_share] of the site's own plan. The total, and so roughly the
// cost, stays as planned; sites that stop recruiting go back to their plan.

#include <algorithm>
#include <cmath>

#include "models/policy/registry.hpp"

namespace trial {
namespace {

class ProportionalPolicy final : public AllocationPolicy {
  public:
    explicit ProportionalPolicy(const PolicySpec& spec) : spec_(spec) {}

    void decide(const TrialView& trial, const TrialForecast& forecast,
                TrialControl& control) override {
        struct Share {
            const SiteView* site;
            double plan;    // hours a week
            double weight;  // forecast randomisations a day at planned effort
            double hours = 0;
            bool fixed = false;
        };
        std::vector<Share> shares;
        double pool = 0;
        for (const SiteView& site : trial.sites) {
            if (site.effort_group < 0 || !site.active) continue;
            const double plan = site.planned_effort_hours_per_week();
            if (!site.recruiting || !trial.recruitment_open) {
                restore_plan(site, control);
                continue;
            }
            const SiteForecast& f = forecast.sites[site.index];
            const double base_rate = f.shape / f.rate;
            shares.push_back(
                {&site, plan, base_rate * (1 - site.spec->screen_failure_probability)});
            pool += plan;
        }
        // Proportional shares, clamped to the bounds; the clamped are fixed and the rest of
        // the pool shared again among the others.
        for (int round = 0; round < 8; ++round) {
            double left = pool, weights = 0;
            for (const Share& s : shares) {
                if (s.fixed) {
                    left -= s.hours;
                } else {
                    weights += s.weight;
                }
            }
            bool clamped = false;
            for (Share& s : shares) {
                if (s.fixed) continue;
                const double want = weights > 0 ? left * s.weight / weights : s.plan;
                s.hours = std::clamp(want, spec_.min_staff_share * s.plan,
                                     spec_.max_staff_share * s.plan);
                if (s.hours != want) {
                    s.fixed = true;
                    clamped = true;
                }
            }
            if (!clamped) break;
        }
        for (const Share& s : shares) {
            const StaffView& group = s.site->staff[s.site->effort_group];
            const double per_day = s.hours / s.site->working_days_per_week;
            if (std::abs(per_day - group.hours_per_day) > 0.05) {
                control.set_staff_hours(s.site->index, s.site->effort_group, per_day);
            }
        }
    }

    ObservationNeeds needs() const override { return {.bookings_ahead = false}; }

  private:
    static void restore_plan(const SiteView& site, TrialControl& control) {
        const StaffView& group = site.staff[site.effort_group];
        if (group.hours_per_day != group.planned_hours_per_day) {
            control.set_staff_hours(site.index, site.effort_group, group.planned_hours_per_day);
        }
    }

    PolicySpec spec_;
};

}  // namespace

std::unique_ptr<AllocationPolicy> make_proportional_policy(const Scenario& scenario) {
    return std::make_unique<ProportionalPolicy>(scenario.policy);
}

}  // namespace trial
