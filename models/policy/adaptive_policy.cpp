// adaptive: what a CRO's operations team does with a live forecast. At each decision:
//  1. Sites no longer recruiting keep only the staff their booked work needs: each group's
//     hours are cut to the busiest booked day of the next four weeks plus follow_up_headroom,
//     plus room for one more of the role's longest visit (patients book as they go), never
//     above the plan, never below a quarter of it.
//  2. Among the sites recruiting (and recruiting long enough to be judged), effort-role hours
//     move in steps of move_step_hours_per_week from the site where a step loses the fewest
//     forecast randomisations to the site where it gains the most, while the gain beats the
//     loss by 10 % (a move has its friction), within [min_staff_share, max_staff_share] of
//     each site's plan. The forecast is each site's Poisson-gamma posterior mean rate and the
//     effort model. A site never gives away hours its booked visits need (its busiest booked
//     day ahead plus one more of the role's longest visit), and a site whose staff were busier
//     than overload_utilisation last week gets no more patients to see.
//  3. When the forecast probability of meeting the plan date is below
//     backup_trigger_probability, the next backup site is opened (one per decision; its
//     start-up is then counted in the next forecast). Not on the prior alone: at least one
//     site must have recruited long enough to be judged.
//  4. With close_below_plan_share > 0, a site judged to recruit below that share of its plan
//     rate with probability 0.95 is closed to new patients (its patients carry on); its
//     staff then shrink to their booked work as in 1.

#include <algorithm>
#include <cmath>
#include <map>

#include "models/policy/effort_model.hpp"
#include "models/policy/registry.hpp"

namespace trial {
namespace {

class AdaptivePolicy final : public AllocationPolicy {
  public:
    explicit AdaptivePolicy(const Scenario& scenario)
        : spec_(scenario.policy), effort_(scenario.effort) {
        auto note = [this](const VisitSpec& visit) {
            for (const StaffNeed& need : visit.staff)
                longest_visit_hours_[need.role] =
                    std::max(longest_visit_hours_[need.role], need.hours);
        };
        note(scenario.protocol.screening);
        for (const VisitSpec& visit : scenario.protocol.visits)
            note(visit);
    }

    void decide(const TrialView& trial, const TrialForecast& forecast,
                TrialControl& control) override {
        release_staff_after_recruitment(trial, control);
        if (trial.recruitment_open) {
            close_non_performing(trial, forecast, control);
            staff_up_busy_sites(trial, control);
            move_effort(trial, forecast, control);
            open_backup_if_needed(trial, forecast, control);
        }
    }

  private:
    void release_staff_after_recruitment(const TrialView& trial, TrialControl& control) {
        for (const SiteView& site : trial.sites) {
            if (!site.active || (site.recruiting && trial.recruitment_open)) continue;
            for (std::size_t g = 0; g < site.staff.size(); ++g) {
                const StaffView& group = site.staff[g];
                const double needed = hours_needed(group);
                const double hours = std::clamp(needed, 0.25 * group.planned_hours_per_day,
                                                group.planned_hours_per_day);
                if (std::abs(hours - group.hours_per_day) > 0.05) {
                    control.set_staff_hours(site.index, static_cast<int>(g), hours);
                }
            }
        }
    }

    void close_non_performing(const TrialView& trial, const TrialForecast& forecast,
                              TrialControl& control) {
        if (spec_.close_below_plan_share <= 0) return;
        for (const SiteView& site : trial.sites) {
            const SiteForecast& f = forecast.sites[site.index];
            if (!f.judged || site.spec->target_randomised == 0) continue;
            const double p = gamma_cdf(f.shape, f.rate / std::max(site.rate_multiplier, 1e-9),
                                       spec_.close_below_plan_share * f.plan_arrivals_per_day);
            if (p >= 0.95) control.close_site(site.index);
        }
    }

    // While a site recruits, its other groups grow (up to max_staff_share of plan) when booked
    // work leaves no room for one more visit, and shrink back towards the plan when it does.
    void staff_up_busy_sites(const TrialView& trial, TrialControl& control) {
        for (const SiteView& site : trial.sites) {
            if (!site.active || !site.recruiting) continue;
            for (std::size_t g = 0; g < site.staff.size(); ++g) {
                if (static_cast<int>(g) == site.effort_group) continue;
                const StaffView& group = site.staff[g];
                const double hours =
                    std::clamp(hours_needed(group), group.planned_hours_per_day,
                               spec_.max_staff_share * group.planned_hours_per_day);
                if (std::abs(hours - group.hours_per_day) > 0.05) {
                    control.set_staff_hours(site.index, static_cast<int>(g), hours);
                }
            }
        }
    }

    void move_effort(const TrialView& trial, const TrialForecast& forecast, TrialControl& control) {
        struct Candidate {
            const SiteView* site;
            double hours;  // a week
            double plan;
            double reference;  // hours a week at which the multiplier is 1
            double value;      // forecast randomisations a day per unit of multiplier
            double floor;      // hours a week it cannot give away
            bool can_take;     // not overloaded already
        };
        std::vector<Candidate> sites;
        for (const SiteView& site : trial.sites) {
            const SiteForecast& f = forecast.sites[site.index];
            if (site.effort_group < 0 || !f.judged) continue;
            const double plan = site.planned_effort_hours_per_week();
            bool busy = false;
            for (const StaffView& group : site.staff)
                busy = busy || group.utilisation_last_week > spec_.overload_utilisation;
            sites.push_back(
                {&site, site.effort_hours_per_week(), plan, site.effort_reference_hours_per_week,
                 f.shape / f.rate * (1 - site.spec->screen_failure_probability),
                 std::max(spec_.min_staff_share * plan,
                          hours_needed(site.staff[site.effort_group]) * site.working_days_per_week),
                 !busy});
        }
        if (sites.size() < 2) return;
        const double step = spec_.move_step_hours_per_week;
        const auto rate_at = [this](const Candidate& c, double hours) {
            return c.value * recruitment_multiplier(effort_, c.reference, hours);
        };
        std::vector<double> start(sites.size());
        for (std::size_t i = 0; i < sites.size(); ++i)
            start[i] = sites[i].hours;
        for (int move = 0; move < spec_.max_moves_per_decision; ++move) {
            int to = -1, from = -1;
            double best_gain = 0, least_loss = 0;
            for (std::size_t i = 0; i < sites.size(); ++i) {
                const Candidate& c = sites[i];
                if (c.can_take && c.hours + step <= spec_.max_staff_share * c.plan + 1e-9) {
                    const double gain = rate_at(c, c.hours + step) - rate_at(c, c.hours);
                    if (to < 0 || gain > best_gain) {
                        to = static_cast<int>(i);
                        best_gain = gain;
                    }
                }
                if (c.hours - step >= c.floor - 1e-9) {
                    const double loss = rate_at(c, c.hours) - rate_at(c, c.hours - step);
                    if (from < 0 || loss < least_loss) {
                        from = static_cast<int>(i);
                        least_loss = loss;
                    }
                }
            }
            if (to < 0 || from < 0 || to == from || best_gain <= 1.1 * least_loss) break;
            sites[to].hours += step;
            sites[from].hours -= step;
        }
        for (std::size_t i = 0; i < sites.size(); ++i) {
            if (std::abs(sites[i].hours - start[i]) < 1e-9) continue;
            const SiteView& site = *sites[i].site;
            control.set_staff_hours(site.index, site.effort_group,
                                    sites[i].hours / site.working_days_per_week);
        }
    }

    void open_backup_if_needed(const TrialView& trial, const TrialForecast& forecast,
                               TrialControl& control) {
        if (forecast.p_meet_plan >= spec_.backup_trigger_probability) return;
        if (std::none_of(forecast.sites.begin(), forecast.sites.end(),
                         [](const SiteForecast& f) { return f.judged; }))
            return;
        for (const SiteView& site : trial.sites) {
            if (site.spec->backup && !site.spec->left_out && !site.opened) {
                control.open_backup_site(site.index);
                return;
            }
        }
    }

    // Hours a day the group's booked work needs, with room for one more visit.
    double hours_needed(const StaffView& group) const {
        const auto longest = longest_visit_hours_.find(group.spec->role);
        return group.booked_peak_ahead * (1 + spec_.follow_up_headroom) +
               (longest == longest_visit_hours_.end() ? 0.0 : longest->second);
    }

    PolicySpec spec_;
    EffortSpec effort_;
    std::map<std::string, double> longest_visit_hours_;  // by role
};

}  // namespace

std::unique_ptr<AllocationPolicy> make_adaptive_policy(const Scenario& scenario) {
    return std::make_unique<AdaptivePolicy>(scenario);
}

}  // namespace trial
