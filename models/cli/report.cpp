#include "models/cli/report.hpp"

#include <cmath>
#include <iomanip>
#include <nlohmann/json.hpp>
#include <ostream>

namespace trial {
namespace {

// JSON has no NaN: a value never reached is null.
nlohmann::json number(double v) {
    return std::isnan(v) ? nlohmann::json(nullptr) : nlohmann::json(v);
}

}  // namespace

void print_summary(std::ostream& out, const Scenario& scenario, const RunSummary& run) {
    out << scenario.trial.name << " — " << run.replications << " replication(s), start "
        << scenario.trial.start_date << ", target " << scenario.trial.randomisation_target
        << " randomised by day " << scenario.trial.plan_target_met_day << "\n";
    out << "  " << std::left << std::setw(34) << "" << std::right << std::setw(12) << "median"
        << std::setw(12) << "P10" << std::setw(12) << "P90"
        << "\n";
    for (const Metric& m : run.metrics) {
        const int decimals = m.key.find("utilisation") != std::string::npos ? 3 : 0;
        out << "  " << std::left << std::setw(34) << m.label << std::right << std::fixed
            << std::setprecision(decimals) << std::setw(12) << m.median << std::setw(12) << m.p10
            << std::setw(12) << m.p90;
        if (m.reached < m.replications) {
            out << "   (reached in " << m.reached << "/" << m.replications << ")";
        }
        out << "\n";
    }
    out << "  P(target met by plan date)        " << std::setprecision(3)
        << run.p_target_met_by_plan << "\n";
}

std::string summary_json(const Scenario& scenario, const RunSummary& run, std::uint64_t seed) {
    nlohmann::ordered_json j;
    j["scenario"] = scenario.trial.name;
    j["replications"] = run.replications;
    j["seed"] = seed;
    j["currency"] = scenario.trial.currency;
    j["plan_target_met_day"] = scenario.trial.plan_target_met_day;
    j["p_target_met_by_plan"] = number(run.p_target_met_by_plan);
    nlohmann::ordered_json metrics;
    for (const Metric& m : run.metrics) {
        metrics[m.key] = {{"median", number(m.median)},
                          {"p10", number(m.p10)},
                          {"p90", number(m.p90)},
                          {"mean", number(m.mean)},
                          {"reached", m.reached}};
    }
    j["metrics"] = std::move(metrics);
    return j.dump(2);
}

}  // namespace trial
