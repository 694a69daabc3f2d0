#include "models/cli/report.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <iomanip>
#include <ostream>

namespace trial {
namespace {

// Linear interpolation between order statistics (type 7, as R's default).
double quantile(std::vector<double> values, double p) {
    std::erase_if(values, [](double v) { return std::isnan(v); });
    if (values.empty()) return std::nan("");
    std::sort(values.begin(), values.end());
    const double position = p * (values.size() - 1);
    const auto below = static_cast<std::size_t>(std::floor(position));
    const std::size_t above = std::min(below + 1, values.size() - 1);
    return values[below] + (position - below) * (values[above] - values[below]);
}

void row(std::ostream& out, const char* label, const std::vector<ReplicationSummary>& reps,
         const std::function<double(const ReplicationSummary&)>& of, int decimals = 0) {
    std::vector<double> values;
    for (const ReplicationSummary& r : reps)
        values.push_back(of(r));
    const std::size_t reached =
        std::count_if(values.begin(), values.end(), [](double v) { return !std::isnan(v); });
    out << "  " << std::left << std::setw(34) << label << std::right << std::fixed
        << std::setprecision(decimals) << std::setw(12) << quantile(values, 0.5) << std::setw(12)
        << quantile(values, 0.1) << std::setw(12) << quantile(values, 0.9);
    if (reached < values.size()) out << "   (reached in " << reached << "/" << values.size() << ")";
    out << "\n";
}

}  // namespace

void print_summary(std::ostream& out, const Scenario& scenario,
                   const std::vector<ReplicationSummary>& reps) {
    const double n = static_cast<double>(reps.size());
    out << scenario.trial.name << " — " << reps.size() << " replication(s), start "
        << scenario.trial.start_date << ", target " << scenario.trial.randomisation_target
        << " randomised by day " << scenario.trial.plan_target_met_day << "\n";
    out << "  " << std::left << std::setw(34) << "" << std::right << std::setw(12) << "median"
        << std::setw(12) << "P10" << std::setw(12) << "P90"
        << "\n";
    row(out, "first patient in (day)", reps, [](auto& r) { return r.first_patient_in_day; });
    row(out, "target met (day)", reps, [](auto& r) { return r.target_met_day; });
    row(out, "enrollment duration (days)", reps,
        [](auto& r) { return r.enrollment_duration_days; });
    row(out, "last patient last visit (day)", reps,
        [](auto& r) { return r.last_patient_last_visit_day; });
    row(out, "randomised", reps, [](auto& r) { return double(r.randomised); });
    row(out, "screen failures", reps, [](auto& r) { return double(r.screen_failed); });
    row(out, "dropped out", reps, [](auto& r) { return double(r.dropped_out); });
    row(out, "deviations", reps, [](auto& r) { return double(r.deviation_count()); });
    for (int c = 0; c < cause_count; ++c) {
        const std::string label = "  of which " + std::string(name_of(Cause(c)));
        row(out, label.c_str(), reps,
            [c](auto& r) { return double(r.deviations_by_cause(Cause(c))); });
    }
    row(out, "stock-outs", reps, [](auto& r) { return double(r.stock_outs); });
    row(out, "kits wasted", reps, [](auto& r) { return double(r.kits_wasted); });
    row(out, "sites meeting their target", reps,
        [](auto& r) { return double(r.sites_meeting_target()); });
    for (int c = 0; c < cost_category_count; ++c) {
        const std::string label =
            "cost " + std::string(name_of(CostCategory(c))) + " (" + scenario.trial.currency + ")";
        row(out, label.c_str(), reps, [c](auto& r) { return r.cost[c]; });
    }
    const std::string total = "cost total (" + scenario.trial.currency + ")";
    row(out, total.c_str(), reps, [](auto& r) { return r.total_cost(); });
    const double on_plan =
        std::count_if(reps.begin(), reps.end(), [](auto& r) { return r.target_met_by_plan; });
    out << "  P(target met by plan date)        " << std::setprecision(3) << on_plan / n << "\n";
}

}  // namespace trial
