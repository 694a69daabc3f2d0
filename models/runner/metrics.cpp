#include "models/runner/metrics.hpp"

#include <algorithm>
#include <cmath>
#include <functional>

namespace trial {

double quantile(std::vector<double> values, double p) {
    std::erase_if(values, [](double v) { return std::isnan(v); });
    if (values.empty()) return std::nan("");
    std::sort(values.begin(), values.end());
    const double position = p * static_cast<double>(values.size() - 1);
    const auto below = static_cast<std::size_t>(std::floor(position));
    const std::size_t above = std::min(below + 1, values.size() - 1);
    return values[below] +
           (position - static_cast<double>(below)) * (values[above] - values[below]);
}

RunSummary summarise(const Scenario& scenario, const std::vector<ReplicationSummary>& reps) {
    RunSummary run;
    run.replications = static_cast<int>(reps.size());
    auto add = [&](std::string key, std::string label,
                   const std::function<double(const ReplicationSummary&)>& of) {
        Metric m{std::move(key), std::move(label)};
        std::vector<double> values;
        double sum = 0;
        for (const ReplicationSummary& r : reps) {
            const double v = of(r);
            values.push_back(v);
            if (!std::isnan(v)) {
                ++m.reached;
                sum += v;
            }
        }
        m.replications = run.replications;
        m.median = quantile(values, 0.5);
        m.p10 = quantile(values, 0.1);
        m.p90 = quantile(values, 0.9);
        m.mean = m.reached > 0 ? sum / m.reached : std::nan("");
        run.metrics.push_back(std::move(m));
    };
    const std::string currency = " (" + scenario.trial.currency + ")";
    add("first_patient_in_day", "first patient in (day)",
        [](auto& r) { return r.first_patient_in_day; });
    add("target_met_day", "target met (day)", [](auto& r) { return r.target_met_day; });
    add("enrollment_duration_days", "enrollment duration (days)",
        [](auto& r) { return r.enrollment_duration_days; });
    add("last_patient_last_visit_day", "last patient last visit (day)",
        [](auto& r) { return r.last_patient_last_visit_day; });
    add("screened", "screened", [](auto& r) { return double(r.screened); });
    add("randomised", "randomised", [](auto& r) { return double(r.randomised); });
    add("screen_failed", "screen failures", [](auto& r) { return double(r.screen_failed); });
    add("dropped_out", "dropped out", [](auto& r) { return double(r.dropped_out); });
    add("deviations", "deviations", [](auto& r) { return double(r.deviation_count()); });
    for (int c = 0; c < cause_count; ++c) {
        add("deviations_" + std::string(name_of(Cause(c))),
            "  of which " + std::string(name_of(Cause(c))),
            [c](auto& r) { return double(r.deviations_by_cause(Cause(c))); });
    }
    add("stock_outs", "stock-outs", [](auto& r) { return double(r.stock_outs); });
    add("kits_wasted", "kits wasted", [](auto& r) { return double(r.kits_wasted); });
    add("sites_meeting_target", "sites meeting their target",
        [](auto& r) { return double(r.sites_meeting_target()); });
    add("staff_utilisation", "staff utilisation",
        [](auto& r) { return r.staff_utilisation_overall; });
    add("equipment_utilisation", "equipment utilisation",
        [](auto& r) { return r.equipment_utilisation_overall; });
    for (int c = 0; c < cost_category_count; ++c) {
        add("cost_" + std::string(name_of(CostCategory(c))),
            "cost " + std::string(name_of(CostCategory(c))) + currency,
            [c](auto& r) { return r.cost[c]; });
    }
    add("cost_total", "cost total" + currency, [](auto& r) { return r.total_cost(); });
    const auto on_plan =
        std::count_if(reps.begin(), reps.end(), [](auto& r) { return r.target_met_by_plan; });
    run.p_target_met_by_plan = reps.empty() ? std::nan("") : double(on_plan) / reps.size();
    return run;
}

}  // namespace trial
