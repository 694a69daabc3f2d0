#include "models/runner/tables.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <stdexcept>

#include "models/stats/quantiles.hpp"

namespace trial {
namespace {

const double band_quantiles[] = {0.05, 0.25, 0.5, 0.75, 0.95};
constexpr int band_count = 5;

ReplicationRow row_of(int replication, const ReplicationSummary& s) {
    ReplicationRow r{};
    r.replication = replication;
    r.first_patient_in_day = s.first_patient_in_day;
    r.target_met_day = s.target_met_day;
    r.enrollment_duration_days = s.enrollment_duration_days;
    r.last_patient_last_visit_day = s.last_patient_last_visit_day;
    r.target_met_by_plan = s.target_met_by_plan;
    r.arrived = s.arrived;
    r.screened = s.screened;
    r.not_screened = s.not_screened;
    r.screen_failed = s.screen_failed;
    r.randomised = s.randomised;
    r.dropped_out = s.dropped_out;
    r.completed = s.completed;
    r.visits_done = s.visits_done;
    for (int k = 0; k < deviation_kind_count; ++k) {
        for (int c = 0; c < cause_count; ++c)
            r.deviations[k][c] = s.deviations[k][c];
    }
    r.stock_outs = s.stock_outs;
    r.kits_dispensed = s.kits_dispensed;
    r.kits_wasted = s.kits_wasted;
    r.kits_left = s.kits_left;
    r.shipments = s.shipments;
    r.monitoring_visits = s.monitoring_visits;
    r.staff_utilisation = s.staff_utilisation_overall;
    r.equipment_utilisation = s.equipment_utilisation_overall;
    for (int c = 0; c < cost_category_count; ++c)
        r.cost[c] = s.cost[c];
    r.cost_total = s.total_cost();
    r.delay_days = s.delay_days();
    r.sites_opened = s.sites_opened();
    r.sites_meeting_target = s.sites_meeting_target();
    r.backup_sites_opened = s.backup_sites_opened;
    r.staff_changes = s.staff_changes;
    for (int k = 0; k < anomaly_kind_count; ++k)
        r.anomalies[k] = s.anomaly_counts[k];
    return r;
}

// Weekly, trial-wide cumulative randomised per replication (each replication's series let go
// as it is copied into the grid), and its quantile bands.
void weekly_randomised(MonteCarloResult& run, PolicyTables& t) {
    const std::size_t n = run.replications.size();
    int weeks = run.site_totals.used_weeks;
    for (const ReplicationSummary& s : run.replications)
        weeks = std::max(weeks, s.weeks);
    std::vector<std::int32_t> randomised(n * weeks);
    for (std::size_t i = 0; i < n; ++i) {
        auto& series = run.replications[i].randomised_by_week;
        for (int w = 0; w < weeks; ++w) {
            randomised[i * weeks + w] =
                series.empty() ? 0 : series[std::min<std::size_t>(w, series.size() - 1)];
        }
        std::vector<int>().swap(series);
    }
    std::vector<double> bands(static_cast<std::size_t>(weeks) * band_count);
    std::vector<std::int32_t> column(n);
    for (int w = 0; w < weeks; ++w) {
        for (std::size_t i = 0; i < n; ++i)
            column[i] = randomised[i * weeks + w];
        const std::vector<double> q = stats::quantiles_of_counts(column, band_quantiles);
        std::copy(q.begin(), q.end(), bands.begin() + w * band_count);
    }
    t.weekly_randomised = {n, static_cast<std::size_t>(weeks), std::move(randomised)};
    t.weekly_randomised_bands = {static_cast<std::size_t>(weeks), band_count, std::move(bands)};
    t.band_quantiles.assign(std::begin(band_quantiles), std::end(band_quantiles));
}

// Per site: a table of medians and means over the replications.
std::vector<SiteRow> site_table(const Scenario& scenario, const MonteCarloResult& run) {
    const std::size_t n = run.replications.size();
    const std::size_t sites = scenario.sites.size();
    std::vector<SiteRow> site_rows(sites);
    // What the site rows summarise, gathered for a block of sites in one pass over the
    // replications: site by site, every replication's site table was read once per site, each
    // time from memory; all sites at once would hold four days per site and replication.
    struct SiteSums {
        std::vector<double> approval, activation, recruitment_end, last_activity;
        double rate = 0, randomised = 0, met = 0, stock_outs = 0, deviations = 0, opened = 0;
    };
    constexpr std::size_t sites_a_pass = 8;
    for (std::size_t block = 0; block < sites; block += sites_a_pass) {
        const std::size_t block_end = std::min(sites, block + sites_a_pass);
        std::vector<SiteSums> sums(block_end - block);
        for (SiteSums& sum : sums) {
            for (auto* days :
                 {&sum.approval, &sum.activation, &sum.recruitment_end, &sum.last_activity})
                days->reserve(n);
        }
        for (const ReplicationSummary& r : run.replications) {
            for (std::size_t s = block; s < block_end && s < r.sites.size(); ++s) {
                const SiteSummary& site = r.sites[s];
                SiteSums& sum = sums[s - block];
                sum.approval.push_back(site.approval_day);
                sum.activation.push_back(site.activation_day);
                sum.recruitment_end.push_back(site.recruitment_end_day);
                sum.last_activity.push_back(site.last_activity_day);
                sum.rate += site.recruitment_rate_per_day;
                sum.randomised += site.randomised;
                sum.met += site.opened && site.met_target;
                sum.opened += site.opened;
                sum.stock_outs += site.stock_outs;
                sum.deviations += site.deviations;
            }
        }
        for (std::size_t s = block; s < block_end; ++s) {
            SiteRow& row = site_rows[s];
            SiteSums& sum = sums[s - block];
            std::strncpy(row.id, scenario.sites[s].id.c_str(), sizeof row.id - 1);
            std::strncpy(row.country, scenario.sites[s].country.c_str(), sizeof row.country - 1);
            const double denominator = n > 0 ? double(n) : std::nan("");
            row.recruitment_rate_mean_per_day = sum.rate / denominator;
            row.approval_day_median = stats::quantile(std::move(sum.approval), 0.5);
            row.activation_day_median = stats::quantile(std::move(sum.activation), 0.5);
            row.recruitment_end_day_median = stats::quantile(std::move(sum.recruitment_end), 0.5);
            row.last_activity_day_median = stats::quantile(std::move(sum.last_activity), 0.5);
            row.randomised_mean = sum.randomised / denominator;
            row.p_met_target = sum.met / denominator;
            row.stock_outs_mean = sum.stock_outs / denominator;
            row.deviations_mean = sum.deviations / denominator;
            row.target_randomised = scenario.sites[s].target_randomised;
            row.backup = scenario.sites[s].backup;
            row.p_opened = sum.opened / denominator;
        }
    }
    return site_rows;
}

// Per site: weekly means over the replications.
void site_weekly_means(const Scenario& scenario, const MonteCarloResult& run, int weeks,
                       PolicyTables& t) {
    const std::size_t n = run.replications.size();
    const std::size_t sites = scenario.sites.size();
    auto site_weekly = [&](const char* name, std::vector<float> values) {
        t.site_weekly.emplace_back(
            name, Grid<float>{sites, static_cast<std::size_t>(weeks), std::move(values)});
    };
    const SiteSeriesTotals& totals = run.site_totals;
    std::vector<float> staff(sites * weeks, NAN), machines(sites * weeks, NAN),
        rand_mean(sites * weeks, 0);
    for (std::size_t s = 0; s < sites && s < totals.staff_utilisation_micro.size(); ++s) {
        for (int w = 0; w < std::min(weeks, totals.weeks); ++w) {
            if (const int k = totals.staff_utilisation_count[s][w])
                staff[s * weeks + w] = totals.staff_utilisation_micro[s][w] / 1e6 / k;
            if (const int k = totals.equipment_utilisation_count[s][w])
                machines[s * weeks + w] = totals.equipment_utilisation_micro[s][w] / 1e6 / k;
        }
        for (int w = 0; w < weeks; ++w) {
            const auto& row = totals.randomised[s];
            if (n > 0 && w < totals.weeks) rand_mean[s * weeks + w] = float(double(row[w]) / n);
        }
    }
    site_weekly("staff_utilisation_mean", std::move(staff));
    site_weekly("equipment_utilisation_mean", std::move(machines));
    site_weekly("randomised_mean", std::move(rand_mean));
    std::vector<float> stock_mean(sites * weeks, 0);
    for (std::size_t s = 0; s < sites && s < totals.kits_on_hand.size(); ++s) {
        for (int w = 0; w < std::min(weeks, totals.weeks); ++w) {
            if (n > 0) stock_mean[s * weeks + w] = float(double(totals.kits_on_hand[s][w]) / n);
        }
    }
    site_weekly("kits_on_hand_mean", std::move(stock_mean));
    std::vector<float> down(sites * weeks, NAN), stock_outs(sites * weeks, 0),
        deviations(sites * weeks, 0), conflicts(sites * weeks, 0);
    for (std::size_t s = 0; s < sites && s < totals.stock_outs.size(); ++s) {
        for (int w = 0; w < std::min(weeks, totals.weeks); ++w) {
            if (const int k = totals.equipment_down_count[s][w])
                down[s * weeks + w] = totals.equipment_down_micro[s][w] / 1e6 / k;
            if (n > 0) {
                stock_outs[s * weeks + w] = float(double(totals.stock_outs[s][w]) / n);
                deviations[s * weeks + w] = float(double(totals.deviations[s][w]) / n);
                conflicts[s * weeks + w] = float(double(totals.equipment_conflicts[s][w]) / n);
            }
        }
    }
    site_weekly("equipment_down_mean", std::move(down));
    site_weekly("stock_outs_mean", std::move(stock_outs));
    site_weekly("deviations_mean", std::move(deviations));
    site_weekly("equipment_conflicts_mean", std::move(conflicts));
}

// Every flag the trial's watch raised, in replication order, each replication's list let go
// as it is copied (the lists and the rows of 10,000 replications are 20 and 27 MB).
std::vector<AnomalyRow> anomaly_rows(MonteCarloResult& run) {
    // Sized first: growing the table by doubling would hold up to twice it at the peak.
    std::size_t flags = 0;
    for (const ReplicationSummary& s : run.replications)
        flags += s.anomalies.size();
    std::vector<AnomalyRow> rows;
    rows.reserve(flags);
    for (std::size_t i = 0; i < run.replications.size(); ++i) {
        auto& flagged = run.replications[i].anomalies;
        for (const auto& a : flagged) {
            rows.push_back(
                {run.replication_index[i], a.day, a.site, static_cast<int>(a.kind), a.value});
        }
        decltype(run.replications[i].anomalies)().swap(flagged);
    }
    return rows;
}

// The analyses of every replication, and each endpoint's weekly events by arm as bands.
ReadoutTables readout_tables(const Scenario& scenario, const MonteCarloResult& run,
                             const RunSummary& summary, std::size_t weeks) {
    ReadoutTables r;
    for (const AnalysisSpec& a : scenario.analyses) {
        r.analyses.push_back(a.name);
        r.analysis_endpoint.push_back(a.endpoint);
    }
    for (const EndpointSpec& e : scenario.endpoints)
        r.endpoints.push_back(e.name);
    for (const Arm& a : scenario.trial.arms)
        r.arms.push_back(a.name);
    r.by_day = summary.readout_by_day;
    r.p_readout_by = summary.p_readout_by;
    const std::size_t arms = r.arms.size(), n = run.replications.size();
    const std::size_t rows = n * r.analyses.size();
    r.rows.reserve(rows);
    std::vector<std::int32_t> events(rows * arms, 0), at_risk(rows * arms, 0);
    for (std::size_t i = 0; i < n; ++i) {
        const ReplicationSummary& s = run.replications[i];
        for (std::size_t a = 0; a < s.analyses.size() && a < r.analyses.size(); ++a) {
            const AnalysisResult& result = s.analyses[a];
            AnalysisRow row{};
            row.replication = run.replication_index[i];
            row.analysis = static_cast<std::int32_t>(a);
            row.cutoff_day = result.cutoff_day;
            row.lock_day = result.lock_day;
            row.readout_day = result.readout_day;
            row.reached = !std::isnan(result.cutoff_day);
            row.by_max_date = result.by_max_date;
            const std::size_t at = r.rows.size() * arms;
            for (std::size_t arm = 0; arm < arms && arm < result.events_by_arm.size(); ++arm) {
                events[at + arm] = result.events_by_arm[arm];
                at_risk[at + arm] = result.at_risk_by_arm[arm];
                row.events += result.events_by_arm[arm];
                row.at_risk += result.at_risk_by_arm[arm];
            }
            r.rows.push_back(row);
        }
    }
    r.events_by_arm = {r.rows.size(), arms, std::move(events)};
    r.at_risk_by_arm = {r.rows.size(), arms, std::move(at_risk)};
    // Per endpoint: each arm, then all arms together (what event triggers count).
    r.series = r.endpoints.size() * (arms + 1);
    r.weeks = weeks;
    if (run.endpoint_events.series() != r.series)
        throw std::logic_error("the run's weekly endpoint events are not the scenario's");
    r.events_bands = run.endpoint_events.bands(weeks, band_quantiles);
    return r;
}

}  // namespace

PolicyTables tabulate(const std::string& name, const Scenario& scenario, const Scenario& base,
                      MonteCarloResult& run, const RunSummary& summary) {
    PolicyTables t;
    t.name = name;
    if (scenario.source_text != base.source_text) t.scenario_text = scenario.source_text;
    t.allocation = scenario.policy.allocation;
    t.booking = scenario.policy.booking;
    t.resupply = scenario.policy.resupply;
    t.p_target_met_by_plan = summary.p_target_met_by_plan;
    t.replications.reserve(run.replications.size());
    for (std::size_t i = 0; i < run.replications.size(); ++i)
        t.replications.push_back(row_of(run.replication_index[i], run.replications[i]));
    weekly_randomised(run, t);
    t.sites = site_table(scenario, run);
    site_weekly_means(scenario, run, static_cast<int>(t.weekly_randomised.columns), t);
    t.traces = run.traces;
    t.anomalies = anomaly_rows(run);
    t.metrics = summary.metrics;
    t.has_readout = !scenario.analyses.empty();
    if (t.has_readout)
        t.readout = readout_tables(scenario, run, summary, t.weekly_randomised.columns);
    return t;
}

}  // namespace trial
