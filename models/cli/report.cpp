#include "models/cli/report.hpp"

#include "models/stats/quantiles.hpp"
#include "models/trial/time_to_event.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <iomanip>
#include <nlohmann/json.hpp>
#include <ostream>
#include <sstream>

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
        << " randomised by day " << std::fixed << std::setprecision(0)
        << scenario.trial.plan_target_met_day << "\n";
    // Labels as wide as the longest; a yes/no outcome (met by the plan, an analysis reached)
    // as its probability, shares and utilisations with three decimals.
    std::size_t width = 34;
    for (const Metric& m : run.metrics)
        width = std::max(width, m.label.size() + 2);
    const int w = static_cast<int>(width);
    out << "  " << std::left << std::setw(w) << "" << std::right << std::setw(12) << "median"
        << std::setw(12) << "P10" << std::setw(12) << "P90"
        << "\n";
    for (const Metric& m : run.metrics) {
        const bool yes_no =
            m.key == "target_met_by_plan" || (m.key.size() > 8 && m.key.ends_with("_reached"));
        const bool share = m.key.find("share") != std::string::npos ||
                           m.key.find("utilisation") != std::string::npos;
        out << "  " << std::left << std::setw(w) << m.label << std::right << std::fixed;
        if (yes_no) {
            out << std::setprecision(3) << std::setw(12) << "P = " << m.mean + 0.0 << "\n";
            continue;
        }
        // (+ 0.0: never "-0")
        out << std::setprecision(share ? 3 : 0) << std::setw(12) << m.median + 0.0 << std::setw(12)
            << m.p10 + 0.0 << std::setw(12) << m.p90 + 0.0;
        if (m.reached < m.replications) {
            out << "   (reached in " << m.reached << "/" << m.replications << ")";
        }
        out << "\n";
    }
    out << "  P(target met by plan date)        " << std::setprecision(3)
        << run.p_target_met_by_plan << "\n";
    if (run.share_cut_off_by_horizon > 0)
        out << "  warning: in " << std::setprecision(1) << 100 * run.share_cut_off_by_horizon
            << " % of replications the last visit ran into the horizon (day "
            << std::setprecision(0) << scenario.trial.horizon_days
            << "): follow-up was cut off and the last visit shown is the horizon; raise "
               "trial.horizon_days\n";
    print_readout(out, scenario, run);
}

void print_readout(std::ostream& out, const Scenario& scenario, const RunSummary& run) {
    if (scenario.analyses.empty()) return;
    auto metric = [&](const std::string& key) -> const Metric* {
        for (const Metric& m : run.metrics) {
            if (m.key == key) return &m;
        }
        return nullptr;
    };
    auto date = [&](double day) {
        return std::isnan(day) ? std::string("not reached")
                               : date_after(scenario.trial.start_date, day);
    };
    const bool by = !std::isnan(run.readout_by_day);
    out << "\nReadout (median date, P10 to P90";
    if (by) out << "; P(read out by " << date(run.readout_by_day) << ")";
    out << "):\n";
    std::size_t width = 8;
    for (const AnalysisSpec& a : scenario.analyses)
        width = std::max(width, a.name.size() + 2);
    for (std::size_t i = 0; i < scenario.analyses.size(); ++i) {
        const AnalysisSpec& a = scenario.analyses[i];
        const std::string key = analysis_key(a.name);
        const Metric* cutoff = metric(key + "_cutoff_day");
        const Metric* readout = metric(key + "_readout_day");
        const Metric* events = metric(key + "_events");
        if (!cutoff || !readout || !events) continue;
        out << "  " << std::left << std::setw(static_cast<int>(width)) << a.name << std::right
            << "cut-off " << date(cutoff->median) << " (" << date(cutoff->p10) << " to "
            << date(cutoff->p90) << "), readout " << date(readout->median) << " ("
            << date(readout->p10) << " to " << date(readout->p90) << "), events "
            << std::setprecision(0) << std::fixed << events->median;
        if (by) out << ", P(by) " << std::setprecision(3) << run.p_readout_by[i];
        if (readout->reached < readout->replications) {
            out << "   (reached in " << readout->reached << "/" << readout->replications << ")";
        }
        out << "\n";
    }
}

namespace {
nlohmann::ordered_json metrics_json(const RunSummary& run) {
    nlohmann::ordered_json metrics;
    for (const Metric& m : run.metrics) {
        metrics[m.key] = {{"median", number(m.median)},
                          {"p10", number(m.p10)},
                          {"p90", number(m.p90)},
                          {"mean", number(m.mean)},
                          {"reached", m.reached}};
    }
    return metrics;
}
// Each analysis: its metrics' key prefix and P(readout by the date asked about).
nlohmann::ordered_json readout_json(const Scenario& scenario, const RunSummary& run) {
    nlohmann::ordered_json r;
    r["by_day"] = number(run.readout_by_day);
    r["by_date"] =
        std::isnan(run.readout_by_day)
            ? nlohmann::ordered_json(nullptr)
            : nlohmann::ordered_json(date_after(scenario.trial.start_date, run.readout_by_day));
    nlohmann::ordered_json analyses = nlohmann::ordered_json::array();
    for (std::size_t i = 0; i < scenario.analyses.size(); ++i) {
        const AnalysisSpec& a = scenario.analyses[i];
        analyses.push_back({{"name", a.name},
                            {"endpoint", scenario.endpoints[a.endpoint].name},
                            {"metrics_prefix", analysis_key(a.name)},
                            {"p_readout_by", number(run.p_readout_by[i])}});
    }
    r["analyses"] = std::move(analyses);
    return r;
}

}  // namespace

std::string summary_json(const Scenario& scenario, const RunSummary& run, std::uint64_t seed) {
    nlohmann::ordered_json j;
    j["scenario"] = scenario.trial.name;
    j["replications"] = run.replications;
    j["seed"] = seed;
    j["currency"] = scenario.trial.currency;
    j["plan_target_met_day"] = scenario.trial.plan_target_met_day;
    j["p_target_met_by_plan"] = number(run.p_target_met_by_plan);
    j["metrics"] = metrics_json(run);
    if (!scenario.analyses.empty()) j["readout"] = readout_json(scenario, run);
    return j.dump(2);
}

// A value printed with `decimals` that would read "-0.0": printed as 0.
static double no_minus_zero(double value, int decimals) {
    return std::abs(value) < 0.5 * std::pow(10.0, -decimals) ? 0.0 : value;
}

void print_comparison(std::ostream& out, const std::string& baseline, const std::string& variant,
                      const std::vector<PairedDifference>& differences) {
    out << "\n"
        << variant << " against " << baseline << " (same replications; difference = " << variant
        << " - " << baseline << ", 95 % CI):\n";
    // Columns wide enough for the longest label and both names.
    std::size_t label_width = 34;
    for (const PairedDifference& d : differences)
        label_width = std::max(label_width, d.label.size() + 2);
    const int label = static_cast<int>(label_width);
    const int width =
        static_cast<int>(std::max<std::size_t>(13, std::max(baseline.size(), variant.size()) + 2));
    out << "  " << std::left << std::setw(label) << "" << std::right << std::setw(width) << baseline
        << std::setw(width) << variant << std::setw(13) << "difference"
        << "   95 % CI\n";
    for (const PairedDifference& d : differences) {
        // Shares, probabilities and utilisations in [0, 1]: three decimals; the rest one.
        const bool fraction = d.key.find("utilisation") != std::string::npos ||
                              d.key.find("share") != std::string::npos ||
                              d.key == "target_met_by_plan" || d.key.ends_with("_reached");
        const int decimals = fraction ? 3 : 1;
        out << "  " << std::left << std::setw(label) << d.label << std::right << std::fixed
            << std::setprecision(decimals) << std::setw(width)
            << no_minus_zero(d.baseline_mean, decimals) << std::setw(width)
            << no_minus_zero(d.variant_mean, decimals) << std::setw(13)
            << no_minus_zero(d.mean_difference, decimals) << "   ["
            << no_minus_zero(d.ci_low, decimals) << ", " << no_minus_zero(d.ci_high, decimals)
            << "]";
        if (d.pairs < 2) out << "  (" << d.pairs << " pairs)";
        out << "\n";
    }
}

void print_headline(std::ostream& out, const std::string& baseline, const std::string& variant,
                    const std::vector<PairedDifference>& differences) {
    const char* keys[] = {
        "enrollment_duration_days", "delay_days",          "deviations",
        "cost_site_staff",          "cost_total",          "share_sites_meeting_target",
        "randomised_by_plan",       "backup_sites_opened", "target_met_by_plan"};
    int pairs = 0;
    for (const PairedDifference& d : differences)
        pairs = std::max(pairs, d.pairs);
    out << "\n"
        << variant << " against " << baseline << ", " << pairs
        << " paired replications (means; change with 95 % CI; relative to " << baseline << "):\n";
    const int width =
        static_cast<int>(std::max<std::size_t>(13, std::max(baseline.size(), variant.size()) + 2));
    out << "  " << std::left << std::setw(42) << "" << std::right << std::setw(width) << baseline
        << std::setw(width) << variant << std::setw(13) << "change"
        << "   95 % CI" << std::setw(26) << "relative\n";
    for (const char* key : keys) {
        for (const PairedDifference& d : differences) {
            if (d.key != key) continue;
            const bool share =
                d.key.find("share") != std::string::npos || d.key == "target_met_by_plan";
            const int decimals = share ? 3 : 0;
            std::ostringstream ci;
            ci << std::fixed << std::setprecision(decimals) << "["
               << no_minus_zero(d.ci_low, decimals) << ", " << no_minus_zero(d.ci_high, decimals)
               << "]";
            out << "  " << std::left << std::setw(42) << d.label << std::right << std::fixed
                << std::setprecision(decimals) << std::setw(width) << d.baseline_mean
                << std::setw(width) << d.variant_mean << std::setw(13)
                << no_minus_zero(d.mean_difference, decimals) << "   " << std::left << std::setw(24)
                << ci.str() << std::right;
            // Relative only against a base that is not tiny (a change of 24 on a base of 1 is
            // no "+2400 %"): at least 1 for counts and days, 0.01 for shares.
            const double tiny = share ? 0.01 : 1.0;
            if (!std::isnan(d.baseline_mean) && std::abs(d.baseline_mean) < tiny) {
                out << "n/a (base near 0)";
            } else if (!std::isnan(d.baseline_mean)) {
                out << std::showpos << std::setprecision(1)
                    << 100 * d.mean_difference / d.baseline_mean << " % ["
                    << 100 * d.ci_low / d.baseline_mean << ", " << 100 * d.ci_high / d.baseline_mean
                    << "]" << std::noshowpos;
            }
            out << "\n";
        }
    }
}

std::string comparison_json(const Scenario& baseline, const std::string& baseline_name,
                            const RunSummary& baseline_summary,
                            const std::vector<std::string>& names,
                            const std::vector<RunSummary>& summaries,
                            const std::vector<std::vector<PairedDifference>>& differences,
                            std::uint64_t seed) {
    nlohmann::ordered_json j;
    j["scenario"] = baseline.trial.name;
    j["replications"] = baseline_summary.replications;
    j["seed"] = seed;
    j["baseline"] = {{"name", baseline_name},
                     {"p_target_met_by_plan", number(baseline_summary.p_target_met_by_plan)},
                     {"metrics", metrics_json(baseline_summary)}};
    if (!baseline.analyses.empty())
        j["baseline"]["readout"] = readout_json(baseline, baseline_summary);
    nlohmann::ordered_json variants = nlohmann::ordered_json::array();
    for (std::size_t v = 0; v < names.size(); ++v) {
        nlohmann::ordered_json diff;
        for (const PairedDifference& d : differences[v]) {
            diff[d.key] = {{"mean_difference", number(d.mean_difference)},
                           {"ci_low", number(d.ci_low)},
                           {"ci_high", number(d.ci_high)},
                           {"pairs", d.pairs}};
        }
        variants.push_back({{"name", names[v]},
                            {"p_target_met_by_plan", number(summaries[v].p_target_met_by_plan)},
                            {"metrics", metrics_json(summaries[v])},
                            {"differences", std::move(diff)}});
        if (!baseline.analyses.empty())
            variants.back()["readout"] = readout_json(baseline, summaries[v]);
    }
    j["variants"] = std::move(variants);
    return j.dump(2);
}

std::string date_after(const std::string& start_date, double days) {
    int y = 0, m = 0, d = 0;
    std::sscanf(start_date.c_str(), "%d-%d-%d", &y, &m, &d);
    const std::chrono::sys_days start{std::chrono::year{y} / std::chrono::month{unsigned(m)} /
                                      std::chrono::day{unsigned(d)}};
    const std::chrono::year_month_day date{start +
                                           std::chrono::days{static_cast<int>(std::floor(days))}};
    char text[16];
    std::snprintf(text, sizeof text, "%04d-%02u-%02u", int(date.year()), unsigned(date.month()),
                  unsigned(date.day()));
    return text;
}

void print_calibration(std::ostream& out, const Scenario& scenario, const Calibration& c,
                       const std::string& as_of) {
    std::ios saved(nullptr);  // the number format, as it was, for whatever is printed next
    saved.copyfmt(out);
    out << "observed to " << as_of << ": " << c.active_sites << " of " << scenario.sites.size()
        << " sites active, " << c.randomised << " randomised\n";
    if (c.fitted) {
        out << std::fixed << std::setprecision(3) << "  recruitment prior refitted (ML, "
            << c.fit.iterations << " Newton steps): alpha " << c.fit.alpha << " (SE "
            << c.fit.alpha_se << "), beta " << std::setprecision(1) << c.fit.beta << " days (SE "
            << c.fit.beta_se << "); mean rate " << std::setprecision(4) << c.fit.alpha / c.fit.beta
            << " patients/day/site (scenario prior: " << scenario.recruitment.rate_shape << ", "
            << scenario.recruitment.rate_rate_days << ")\n";
    } else {
        out << "  recruitment prior kept from the scenario (" << c.fit.problem << ")\n";
    }
    out << std::setprecision(3) << "  dropout: " << c.dropout_rate_per_year
        << " a year (posterior mean; scenario " << scenario.trial.dropout_rate_per_year << ")\n";
    for (std::size_t e = 0; e < c.endpoints.size(); ++e) {
        const EndpointCalibration& ec = c.endpoints[e];
        for (std::size_t g = 0; g < ec.fits.size(); ++g) {
            const EventTimeFit& fit = ec.fits[g];
            out << "  " << scenario.endpoints[e].name << " ("
                << (ec.by_arm ? "arm " + scenario.trial.arms[g].name : std::string("arms pooled"))
                << ", " << fit.events << " events observed): ";
            if (!fit.fitted) {
                out << "model kept from the scenario (" << fit.problem << ")\n";
                continue;
            }
            // The median (of those not cured), with the parameter's 95 % interval for a
            // one-parameter model.
            const double median = days_at_cumulative_hazard(fit.model, std::log(2.0));
            out << "refitted (ML, " << fit.iterations << " Newton steps): median " << std::fixed
                << std::setprecision(1) << median / (365.25 / 12) << " months";
            if (fit.log_params.size() == 1) {
                out << " (95 % interval " << median * std::exp(-1.96 * fit.se[0]) / (365.25 / 12)
                    << " to " << median * std::exp(1.96 * fit.se[0]) / (365.25 / 12) << ")";
            }
            out << "\n";
        }
    }
    out.copyfmt(saved);
}

void print_forecast(std::ostream& out, const Scenario& scenario, const std::string& policy,
                    const std::vector<ReplicationSummary>& replications, const std::string& as_of) {
    std::vector<double> met, last;
    int on_plan = 0;
    for (const ReplicationSummary& r : replications) {
        met.push_back(r.target_met_day);
        last.push_back(r.last_patient_last_visit_day);
        on_plan += r.target_met_by_plan;
    }
    const auto date = [&](double day) {
        return std::isnan(day) ? std::string("not reached")
                               : date_after(scenario.trial.start_date, day);
    };
    out << "forecast from " << as_of << " under " << policy << ": target met "
        << date(stats::quantile(met, 0.5)) << " (90 % interval " << date(stats::quantile(met, 0.05))
        << " to " << date(stats::quantile(met, 0.95)) << "), last patient last visit "
        << date(stats::quantile(last, 0.5)) << "; P(target met by the plan date "
        << date(scenario.trial.plan_target_met_day) << ") " << std::setprecision(3)
        << (replications.empty() ? 0.0 : double(on_plan) / replications.size()) << "\n";
    for (std::size_t i = 0; i < scenario.analyses.size(); ++i) {
        std::vector<double> readout;
        for (const ReplicationSummary& r : replications)
            readout.push_back(r.analyses[i].readout_day);
        out << "  " << scenario.analyses[i].name << " readout "
            << date(stats::quantile(readout, 0.5)) << " (90 % interval "
            << date(stats::quantile(readout, 0.05)) << " to "
            << date(stats::quantile(readout, 0.95)) << ")\n";
    }
}

ForecastOrigin forecast_origin(const Scenario& scenario, const ObservedTrial& observed,
                               const Calibration& c) {
    ForecastOrigin o;
    o.as_of_date = observed.as_of_date;
    o.as_of_day = observed.as_of_day;
    o.fitted = c.fitted;
    o.fit_problem = c.fit.problem;
    o.alpha = c.alpha;
    o.beta = c.beta;
    o.alpha_se = c.fit.alpha_se;
    o.beta_se = c.fit.beta_se;
    o.log_likelihood = c.fit.log_likelihood;
    o.dropout_rate_per_year = c.dropout_rate_per_year;
    o.active_sites = c.active_sites;
    o.randomised = c.randomised;
    o.sites_csv = observed.sites_text;
    o.patients_csv = observed.patients_text;
    const int weeks = static_cast<int>(observed.as_of_day / 7.0) + 1;
    o.randomised_by_week.assign(weeks, 0);
    for (const SiteStart& site : c.start.sites) {
        for (double day : site.randomised_days)
            ++o.randomised_by_week[std::min(weeks - 1, static_cast<int>(day / 7.0))];
    }
    for (int w = 1; w < weeks; ++w)
        o.randomised_by_week[w] += o.randomised_by_week[w - 1];
    (void)scenario;
    return o;
}

std::string with_forecast_json(const std::string& json, const Scenario& scenario,
                               const ForecastOrigin& origin, const std::vector<std::string>& names,
                               const std::vector<const std::vector<ReplicationSummary>*>& runs) {
    nlohmann::ordered_json j = nlohmann::ordered_json::parse(json);
    nlohmann::ordered_json f;
    f["as_of_date"] = origin.as_of_date;
    f["as_of_day"] = origin.as_of_day;
    f["active_sites"] = origin.active_sites;
    f["randomised"] = origin.randomised;
    f["fitted"] = origin.fitted;
    if (!origin.fitted) f["fit_problem"] = origin.fit_problem;
    f["alpha"] = origin.alpha;
    f["beta"] = origin.beta;
    f["alpha_se"] = number(origin.fitted ? origin.alpha_se : std::nan(""));
    f["beta_se"] = number(origin.fitted ? origin.beta_se : std::nan(""));
    f["dropout_rate_per_year"] = origin.dropout_rate_per_year;
    nlohmann::ordered_json policies = nlohmann::ordered_json::object();
    for (std::size_t p = 0; p < names.size() && p < runs.size(); ++p) {
        std::vector<double> met;
        for (const ReplicationSummary& r : *runs[p])
            met.push_back(r.target_met_day);
        const auto date = [&](double day) {
            return std::isnan(day)
                       ? nlohmann::ordered_json(nullptr)
                       : nlohmann::ordered_json(date_after(scenario.trial.start_date, day));
        };
        const double median = stats::quantile(met, 0.5), low = stats::quantile(met, 0.05),
                     high = stats::quantile(met, 0.95);
        policies[names[p]] = {
            {"target_met_day",
             {{"median", number(median)}, {"p05", number(low)}, {"p95", number(high)}}},
            {"target_met_date",
             {{"median", date(median)}, {"p05", date(low)}, {"p95", date(high)}}}};
    }
    f["policies"] = std::move(policies);
    j["forecast"] = std::move(f);
    return j.dump(2);
}

}  // namespace trial
