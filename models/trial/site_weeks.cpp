#include "models/trial/site_weeks.hpp"

#include "models/trial/summary.hpp"

namespace trial {

void SummarySiteWeeks::add(const SiteWeeks& site) {
    ReplicationSummary& s = summary_;
    auto row = [&site](auto& grid) -> auto& {
        if (grid.size() <= static_cast<std::size_t>(site.site)) grid.resize(site.site + 1);
        return grid[site.site];
    };
    auto dense = []<class T>(std::span<const T> weeks, std::vector<T>& into) {
        into.assign(weeks.begin(), weeks.end());
    };
    dense(site.randomised, row(s.site_randomised_by_week));
    dense(site.staff_utilisation, row(s.staff_utilisation));
    dense(site.equipment_utilisation, row(s.equipment_utilisation));
    dense(site.equipment_down, row(s.equipment_down));
    dense(site.kits_on_hand, row(s.kits_on_hand));
    auto by_week = [&site](std::span<const double> days, std::vector<int>& counts) {
        counts.assign(site.weeks, 0);
        for (double day : days)
            ++counts[week_of_day(day, site.weeks)];
    };
    by_week(site.stock_out_days, row(s.site_stock_outs_by_week));
    by_week(site.deviation_days, row(s.site_deviations_by_week));
    by_week(site.equipment_conflict_days, row(s.site_equipment_conflicts_by_week));
}

}  // namespace trial
