#include "models/runner/metrics.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <functional>
#include <thread>

#include "models/parallel/parallel_for.hpp"
#include "models/stats/paired_difference.hpp"
#include "models/stats/quantiles.hpp"

namespace trial {

std::string analysis_key(const std::string& name) {
    std::string key = "analysis_";
    for (char c : name)
        key +=
            std::isalnum(static_cast<unsigned char>(c)) ? static_cast<char>(std::tolower(c)) : '_';
    return key;
}

std::vector<MetricDefinition> metric_definitions(const Scenario& scenario) {
    using R = const ReplicationSummary&;
    const std::string& currency = scenario.trial.currency;
    const std::string in = " (" + currency + ")";
    std::vector<MetricDefinition> d = {
        {"first_patient_in_day", "first patient in (day)",
         [](R r) { return r.first_patient_in_day; }},
        {"target_met_day", "target met (day)", [](R r) { return r.target_met_day; }},
        {"enrollment_duration_days", "enrollment duration (days)",
         [](R r) { return r.enrollment_duration_days; }},
        {"last_patient_last_visit_day", "last patient last visit (day)",
         [](R r) { return r.last_patient_last_visit_day; }},
        {"delay_days", "target met after the plan date by (days)",
         [](R r) { return r.delay_days(); }},
        {"target_met_by_plan", "target met by the plan date (share)",
         [](R r) { return r.target_met_by_plan ? 1.0 : 0.0; }},
        {"screened", "screened", [](R r) { return double(r.screened); }},
        {"randomised", "randomised", [](R r) { return double(r.randomised); }},
        {"randomised_by_plan", "randomised by the plan date",
         [](R r) { return double(r.randomised_by_plan); }},
        {"screen_failed", "screen failures", [](R r) { return double(r.screen_failed); }},
        {"dropped_out", "dropped out", [](R r) { return double(r.dropped_out); }},
        {"deviations", "deviations", [](R r) { return double(r.deviation_count()); }},
        {"deviations_staff", "  of which staff",
         [](R r) { return double(r.deviations_by_cause(Cause::staff)); }},
        {"deviations_equipment", "  of which equipment",
         [](R r) { return double(r.deviations_by_cause(Cause::equipment)); }},
        {"deviations_kit", "  of which kit",
         [](R r) { return double(r.deviations_by_cause(Cause::kit)); }},
        {"deviations_calendar", "  of which calendar",
         [](R r) { return double(r.deviations_by_cause(Cause::calendar)); }},
        {"deviations_previous_visit_late", "  of which previous visit late",
         [](R r) { return double(r.deviations_by_cause(Cause::previous_visit_late)); }},
        {"stock_outs", "stock-outs", [](R r) { return double(r.stock_outs); }},
        {"kits_wasted", "kits wasted", [](R r) { return double(r.kits_wasted); }},
        {"sites_meeting_target", "sites meeting their target",
         [](R r) { return double(r.sites_meeting_target()); }},
        {"share_sites_meeting_target", "share of opened sites meeting their target",
         [](R r) {
             return r.sites_opened() > 0 ? double(r.sites_meeting_target()) / r.sites_opened()
                                         : std::nan("");
         }},
        {"backup_sites_opened", "backup sites opened",
         [](R r) { return double(r.backup_sites_opened); }},
        {"staff_changes", "staff changes by the policy",
         [](R r) { return double(r.staff_changes); }},
        {"anomalies", "anomaly flags", [](R r) { return double(r.anomaly_count()); }},
        {"anomalies_lagging_site", "  lagging sites",
         [](R r) { return double(r.anomaly_counts[0]); }},
        {"anomalies_staff_overload", "  staff overload",
         [](R r) { return double(r.anomaly_counts[1]); }},
        {"anomalies_equipment_conflict", "  equipment conflicts",
         [](R r) { return double(r.anomaly_counts[2]); }},
        {"anomalies_stock_out_risk", "  stock-out risk",
         [](R r) { return double(r.anomaly_counts[3]); }},
        {"anomalies_slowdown", "  slowdowns", [](R r) { return double(r.anomaly_counts[4]); }},
        {"staff_utilisation", "staff utilisation", [](R r) { return r.staff_utilisation_overall; }},
        {"equipment_utilisation", "equipment utilisation",
         [](R r) { return r.equipment_utilisation_overall; }},
        {"cost_site_staff", "cost site_staff" + in, [](R r) { return r.cost[0]; }},
        {"cost_site_fees", "cost site_fees" + in, [](R r) { return r.cost[1]; }},
        {"cost_patient_fees", "cost patient_fees" + in, [](R r) { return r.cost[2]; }},
        {"cost_monitoring", "cost monitoring" + in, [](R r) { return r.cost[3]; }},
        {"cost_shipments", "cost shipments" + in, [](R r) { return r.cost[4]; }},
        {"cost_kits_used", "cost kits_used" + in, [](R r) { return r.cost[5]; }},
        {"cost_kits_wasted", "cost kits_wasted" + in, [](R r) { return r.cost[6]; }},
        {"cost_total", "cost total" + in, [](R r) { return r.total_cost(); }},
    };
    for (std::size_t i = 0; i < scenario.analyses.size(); ++i) {
        const std::string& name = scenario.analyses[i].name;
        const std::string key = analysis_key(name);
        auto day = [i](double AnalysisResult::*field) {
            return [i, field](R r) { return r.analyses[i].*field; };
        };
        d.push_back(
            {key + "_cutoff_day", name + " data cut-off (day)", day(&AnalysisResult::cutoff_day)});
        d.push_back(
            {key + "_lock_day", name + " database lock (day)", day(&AnalysisResult::lock_day)});
        d.push_back(
            {key + "_readout_day", name + " readout (day)", day(&AnalysisResult::readout_day)});
        d.push_back({key + "_events", name + " events at cut-off", [i](R r) {
                         const AnalysisResult& a = r.analyses[i];
                         return std::isnan(a.cutoff_day) ? a.cutoff_day : double(a.events());
                     }});
        d.push_back({key + "_reached", name + " reached (share)",
                     [i](R r) { return std::isnan(r.analyses[i].cutoff_day) ? 0.0 : 1.0; }});
    }
    static_assert(cost_category_count == 7, "metric_definitions lists every cost category");
    static_assert(anomaly_kind_count == 5, "metric_definitions lists every anomaly kind");
    return d;
}

RunSummary summarise(const Scenario& scenario, const std::vector<ReplicationSummary>& reps) {
    RunSummary run;
    run.replications = static_cast<int>(reps.size());
    int cut_off = 0;
    for (const ReplicationSummary& r : reps)
        cut_off += r.last_patient_last_visit_day >= scenario.trial.horizon_days - 1;
    run.share_cut_off_by_horizon = reps.empty() ? 0.0 : double(cut_off) / double(reps.size());
    const std::vector<MetricDefinition> definitions = metric_definitions(scenario);
    run.metrics.resize(definitions.size());
    auto summarise_metric = [&](std::size_t i) {
        const MetricDefinition& d = definitions[i];
        Metric m{d.key, d.label};
        std::vector<double> values;
        values.reserve(reps.size());
        double sum = 0;
        for (const ReplicationSummary& r : reps) {
            const double v = d.of(r);
            values.push_back(v);
            if (!std::isnan(v)) {
                ++m.reached;
                sum += v;
            }
        }
        m.replications = run.replications;
        constexpr double median_p10_p90[] = {0.5, 0.1, 0.9};
        const std::vector<double> q = stats::quantiles(std::move(values), median_p10_p90);
        m.median = q[0];
        m.p10 = q[1];
        m.p90 = q[2];
        m.mean = m.reached > 0 ? sum / m.reached : std::nan("");
        run.metrics[i] = std::move(m);
    };
    // Each metric on its own (a sort of every replication's value): spread over the cores
    // when there are many replications, each metric landing in its own place.
    const std::size_t threads =
        reps.size() >= 1000 ? std::clamp<std::size_t>(std::thread::hardware_concurrency(), 1, 4)
                            : 1;
    parallel::parallel_for(threads, [&](std::size_t worker, const std::atomic<bool>&) {
        for (std::size_t i = worker; i < definitions.size(); i += threads)
            summarise_metric(i);
    });
    const auto on_plan =
        std::count_if(reps.begin(), reps.end(), [](auto& r) { return r.target_met_by_plan; });
    run.p_target_met_by_plan = reps.empty() ? std::nan("") : double(on_plan) / reps.size();
    if (scenario.trial.plan_readout_day) run.readout_by_day = *scenario.trial.plan_readout_day;
    for (std::size_t i = 0; i < scenario.analyses.size(); ++i) {
        const auto by = std::count_if(reps.begin(), reps.end(), [&](const ReplicationSummary& r) {
            return r.analyses[i].readout_day <= run.readout_by_day;  // false for NaN
        });
        run.p_readout_by.push_back(reps.empty() || std::isnan(run.readout_by_day)
                                       ? std::nan("")
                                       : double(by) / reps.size());
    }
    return run;
}

std::vector<PairedDifference> paired_differences(const Scenario& scenario,
                                                 const std::vector<ReplicationSummary>& baseline,
                                                 const std::vector<ReplicationSummary>& variant) {
    std::vector<PairedDifference> out;
    const std::size_t n = std::min(baseline.size(), variant.size());
    for (const MetricDefinition& d : metric_definitions(scenario)) {
        PairedDifference p{d.key, d.label};
        stats::RunningStats differences, base, var;
        for (std::size_t r = 0; r < n; ++r) {
            const double b = d.of(baseline[r]), v = d.of(variant[r]);
            if (std::isnan(b) || std::isnan(v)) continue;
            differences.add(v - b);
            base.add(b);
            var.add(v);
        }
        const stats::MeanInterval paired = stats::mean_with_95_interval(differences);
        p.pairs = paired.count;
        p.baseline_mean = base.mean();
        p.variant_mean = var.mean();
        p.mean_difference = paired.mean;
        p.ci_low = paired.low;
        p.ci_high = paired.high;
        out.push_back(std::move(p));
    }
    return out;
}

}  // namespace trial
