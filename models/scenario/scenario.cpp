#include "models/scenario/scenario.hpp"

#include <algorithm>

namespace trial {

int Scenario::country_index(const std::string& code) const {
    for (std::size_t i = 0; i < countries.size(); ++i) {
        if (countries[i].code == code) return static_cast<int>(i);
    }
    return -1;
}

int Scenario::site_index(const std::string& id) const {
    for (std::size_t i = 0; i < sites.size(); ++i) {
        if (sites[i].id == id) return static_cast<int>(i);
    }
    return -1;
}

double written_effort_hours_per_week(const Scenario& scenario, const SiteSpec& site) {
    const int country = scenario.country_index(site.country);
    if (country < 0) return 0;
    const auto& days = scenario.countries[country].working_days;
    const int working_days = static_cast<int>(std::count(days.begin(), days.end(), true));
    for (const StaffGroup& group : site.staff) {
        if (group.role == scenario.effort.role)
            return group.count * group.hours_per_day * working_days;
    }
    return 0;
}

double effort_reference_hours_per_week(const Scenario& scenario, const SiteSpec& site) {
    if (site.effort_reference_hours_per_week) return *site.effort_reference_hours_per_week;
    if (scenario.effort.reference_hours_per_week) return *scenario.effort.reference_hours_per_week;
    return written_effort_hours_per_week(scenario, site);
}

void pin_effort_reference(Scenario& variant, const Scenario& baseline) {
    if (variant.effort.reference_hours_per_week || variant.sites.size() != baseline.sites.size())
        return;
    for (std::size_t i = 0; i < variant.sites.size(); ++i) {
        SiteSpec& site = variant.sites[i];
        if (!site.effort_reference_hours_per_week &&
            !baseline.sites[i].effort_reference_hours_per_week)
            site.effort_reference_hours_per_week =
                written_effort_hours_per_week(baseline, baseline.sites[i]);
        else if (!site.effort_reference_hours_per_week)
            site.effort_reference_hours_per_week =
                baseline.sites[i].effort_reference_hours_per_week;
    }
}

}  // namespace trial
