#include "models/store/results_file.hpp"

#include "models/stats/quantiles.hpp"
#include "models/store/chunk_writer.hpp"

#include <H5Cpp.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <stdexcept>

namespace trial {
namespace {

// Byte-shuffled, then deflate level 1: on the reference trial's 10,000 replications this writes
// in 0.32 s a file of 7.5 MB, where deflate level 4 alone took 0.45 s for 9.5 MB.
constexpr int compression_level = 1;
const double band_quantiles[] = {0.05, 0.25, 0.5, 0.75, 0.95};
constexpr int band_count = 5;

H5::StrType text_type() {
    return H5::StrType(H5::PredType::C_S1, H5T_VARIABLE);
}

void attribute(H5::H5Object& where, const char* name, const std::string& value) {
    where.createAttribute(name, text_type(), H5::DataSpace(H5S_SCALAR)).write(text_type(), value);
}
template <class T>
void attribute(H5::H5Object& where, const char* name, const H5::PredType& type, T value) {
    where.createAttribute(name, type, H5::DataSpace(H5S_SCALAR)).write(type, &value);
}

H5::DSetCreatPropList chunked(int rank, const hsize_t* dims) {
    H5::DSetCreatPropList properties;
    hsize_t chunk[2];
    for (int d = 0; d < rank; ++d)
        chunk[d] = std::max<hsize_t>(1, std::min<hsize_t>(dims[d], d == 0 ? 1024 : 512));
    properties.setChunk(rank, chunk);
    properties.setShuffle();
    properties.setDeflate(compression_level);
    return properties;
}

template <class T>
void matrix(H5::Group& group, const char* name, const H5::PredType& type,
            const std::vector<T>& values, hsize_t rows, hsize_t columns) {
    const hsize_t dims[2] = {rows, columns};
    H5::DataSet set = group.createDataSet(name, type, H5::DataSpace(2, dims), chunked(2, dims));
    if (rows * columns > 0) write_chunks_in_parallel(set, values.data());
}

// One row of /policies/<policy>/replications.
struct ReplicationRow {
    std::int32_t replication;
    double first_patient_in_day, target_met_day, enrollment_duration_days;
    double last_patient_last_visit_day;
    std::int8_t target_met_by_plan;
    std::int32_t arrived, screened, not_screened, screen_failed, randomised, dropped_out, completed,
        visits_done;
    std::int32_t deviations[deviation_kind_count][cause_count];
    std::int32_t stock_outs, kits_dispensed, kits_wasted, kits_left, shipments, monitoring_visits;
    double staff_utilisation, equipment_utilisation;
    double cost[cost_category_count];
    double cost_total;
    double delay_days;
    std::int32_t sites_opened, sites_meeting_target, backup_sites_opened, staff_changes;
    std::int32_t anomalies[anomaly_kind_count];
};

H5::CompType replication_type() {
    H5::CompType t(sizeof(ReplicationRow));
    const auto i32 = H5::PredType::NATIVE_INT32;
    const auto f64 = H5::PredType::NATIVE_DOUBLE;
#define TT_MEMBER(name, type) t.insertMember(#name, HOFFSET(ReplicationRow, name), type)
    TT_MEMBER(replication, i32);
    TT_MEMBER(first_patient_in_day, f64);
    TT_MEMBER(target_met_day, f64);
    TT_MEMBER(enrollment_duration_days, f64);
    TT_MEMBER(last_patient_last_visit_day, f64);
    TT_MEMBER(target_met_by_plan, H5::PredType::NATIVE_INT8);
    TT_MEMBER(arrived, i32);
    TT_MEMBER(screened, i32);
    TT_MEMBER(not_screened, i32);
    TT_MEMBER(screen_failed, i32);
    TT_MEMBER(randomised, i32);
    TT_MEMBER(dropped_out, i32);
    TT_MEMBER(completed, i32);
    TT_MEMBER(visits_done, i32);
    for (int k = 0; k < deviation_kind_count; ++k) {
        for (int c = 0; c < cause_count; ++c) {
            const std::string name = "deviations_" + std::string(name_of(DeviationKind(k))) + "_" +
                                     std::string(name_of(Cause(c)));
            t.insertMember(
                name,
                HOFFSET(ReplicationRow, deviations) + sizeof(std::int32_t) * (k * cause_count + c),
                i32);
        }
    }
    TT_MEMBER(stock_outs, i32);
    TT_MEMBER(kits_dispensed, i32);
    TT_MEMBER(kits_wasted, i32);
    TT_MEMBER(kits_left, i32);
    TT_MEMBER(shipments, i32);
    TT_MEMBER(monitoring_visits, i32);
    TT_MEMBER(staff_utilisation, f64);
    TT_MEMBER(equipment_utilisation, f64);
    for (int c = 0; c < cost_category_count; ++c) {
        t.insertMember("cost_" + std::string(name_of(CostCategory(c))),
                       HOFFSET(ReplicationRow, cost) + sizeof(double) * c, f64);
    }
    TT_MEMBER(cost_total, f64);
    TT_MEMBER(delay_days, f64);
    TT_MEMBER(sites_opened, i32);
    TT_MEMBER(sites_meeting_target, i32);
    TT_MEMBER(backup_sites_opened, i32);
    TT_MEMBER(staff_changes, i32);
    for (int k = 0; k < anomaly_kind_count; ++k) {
        t.insertMember("anomalies_" + std::string(name_of(AnomalyKind(k))),
                       HOFFSET(ReplicationRow, anomalies) + sizeof(std::int32_t) * k, i32);
    }
#undef TT_MEMBER
    return t;
}

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

struct SiteRow {
    char id[32];
    char country[8];
    double recruitment_rate_mean_per_day;
    double approval_day_median;
    double activation_day_median;
    double recruitment_end_day_median;
    double last_activity_day_median;
    double randomised_mean;
    double p_met_target;
    double stock_outs_mean;
    double deviations_mean;
    std::int32_t target_randomised;
    std::int8_t backup;
    double p_opened;
};

H5::CompType site_type() {
    H5::CompType t(sizeof(SiteRow));
    t.insertMember("id", HOFFSET(SiteRow, id),
                   H5::StrType(H5::PredType::C_S1, sizeof(SiteRow::id)));
    t.insertMember("country", HOFFSET(SiteRow, country),
                   H5::StrType(H5::PredType::C_S1, sizeof(SiteRow::country)));
    t.insertMember("recruitment_rate_mean_per_day", HOFFSET(SiteRow, recruitment_rate_mean_per_day),
                   H5::PredType::NATIVE_DOUBLE);
    auto real = [&t](const char* name, std::size_t offset) {
        t.insertMember(name, offset, H5::PredType::NATIVE_DOUBLE);
    };
    real("approval_day_median", HOFFSET(SiteRow, approval_day_median));
    real("activation_day_median", HOFFSET(SiteRow, activation_day_median));
    real("recruitment_end_day_median", HOFFSET(SiteRow, recruitment_end_day_median));
    real("last_activity_day_median", HOFFSET(SiteRow, last_activity_day_median));
    real("randomised_mean", HOFFSET(SiteRow, randomised_mean));
    real("p_met_target", HOFFSET(SiteRow, p_met_target));
    real("stock_outs_mean", HOFFSET(SiteRow, stock_outs_mean));
    real("deviations_mean", HOFFSET(SiteRow, deviations_mean));
    t.insertMember("target_randomised", HOFFSET(SiteRow, target_randomised),
                   H5::PredType::NATIVE_INT32);
    t.insertMember("backup", HOFFSET(SiteRow, backup), H5::PredType::NATIVE_INT8);
    real("p_opened", HOFFSET(SiteRow, p_opened));
    return t;
}

H5::CompType event_type() {
    H5::CompType t(sizeof(Event));
    t.insertMember("day", HOFFSET(Event, day), H5::PredType::NATIVE_DOUBLE);
    t.insertMember("kind", HOFFSET(Event, kind), H5::PredType::NATIVE_INT32);
    t.insertMember("site", HOFFSET(Event, site), H5::PredType::NATIVE_INT32);
    t.insertMember("patient", HOFFSET(Event, patient), H5::PredType::NATIVE_INT32);
    t.insertMember("visit", HOFFSET(Event, visit), H5::PredType::NATIVE_INT32);
    t.insertMember("detail", HOFFSET(Event, detail), H5::PredType::NATIVE_INT32);
    t.insertMember("value", HOFFSET(Event, value), H5::PredType::NATIVE_DOUBLE);
    return t;
}

// Full event logs of the traced replications, for playback.
void write_traces(H5::Group& policy, const MonteCarloResult& run) {
    if (run.traces.empty()) return;
    H5::Group traces = policy.createGroup("traces");
    std::string kinds;
    for (int k = 0; k < event_kind_count; ++k) {
        kinds += (k ? "\n" : "") + std::string(name_of(EventKind(k)));
    }
    attribute(traces, "kinds", kinds);
    for (std::size_t r = 0; r < run.traces.size(); ++r) {
        const std::vector<Event>& events = run.traces[r];
        char name[32];
        std::snprintf(name, sizeof name, "replication_%04zu", r);
        const hsize_t count[1] = {events.size()};
        H5::DataSet set =
            traces.createDataSet(name, event_type(), H5::DataSpace(1, count), chunked(1, count));
        if (!events.empty()) set.write(events.data(), event_type());
    }
}

// Every flag the trial's watch raised, in replication order.
struct AnomalyRow {
    std::int32_t replication;
    double day;
    std::int32_t site;
    std::int32_t kind;
    double value;
};

void write_anomalies(H5::Group& policy, const MonteCarloResult& run) {
    H5::CompType type(sizeof(AnomalyRow));
    type.insertMember("replication", HOFFSET(AnomalyRow, replication), H5::PredType::NATIVE_INT32);
    type.insertMember("day", HOFFSET(AnomalyRow, day), H5::PredType::NATIVE_DOUBLE);
    type.insertMember("site", HOFFSET(AnomalyRow, site), H5::PredType::NATIVE_INT32);
    type.insertMember("kind", HOFFSET(AnomalyRow, kind), H5::PredType::NATIVE_INT32);
    type.insertMember("value", HOFFSET(AnomalyRow, value), H5::PredType::NATIVE_DOUBLE);
    // Sized first: at 10,000 replications the table is some 20 MB, and growing it by doubling
    // would hold up to twice that at the peak of the run.
    std::size_t flags = 0;
    for (const ReplicationSummary& s : run.replications)
        flags += s.anomalies.size();
    std::vector<AnomalyRow> rows;
    rows.reserve(flags);
    for (std::size_t i = 0; i < run.replications.size(); ++i) {
        for (const auto& a : run.replications[i].anomalies) {
            rows.push_back(
                {run.replication_index[i], a.day, a.site, static_cast<int>(a.kind), a.value});
        }
    }
    const hsize_t count[1] = {rows.size()};
    H5::DataSet set =
        policy.createDataSet("anomalies", type, H5::DataSpace(1, count), chunked(1, count));
    if (!rows.empty()) write_chunks_in_parallel(set, rows.data());
    std::string kinds;
    for (int k = 0; k < anomaly_kind_count; ++k)
        kinds += (k ? "\n" : "") + std::string(name_of(AnomalyKind(k)));
    attribute(set, "kinds", kinds);
}

void write_policy(H5::Group& policy, const Scenario& scenario, const MonteCarloResult& run,
                  const RunSummary& summary) {
    const std::size_t n = run.replications.size();
    attribute(policy, "p_target_met_by_plan", H5::PredType::NATIVE_DOUBLE,
              summary.p_target_met_by_plan);
    attribute(policy, "allocation", scenario.policy.allocation);
    attribute(policy, "booking", scenario.policy.booking);
    attribute(policy, "resupply", scenario.policy.resupply);

    std::vector<ReplicationRow> rows;
    rows.reserve(n);
    for (std::size_t i = 0; i < n; ++i)
        rows.push_back(row_of(run.replication_index[i], run.replications[i]));
    const hsize_t count[1] = {n};
    H5::DataSet table = policy.createDataSet("replications", replication_type(),
                                             H5::DataSpace(1, count), chunked(1, count));
    if (n > 0) write_chunks_in_parallel(table, rows.data());

    // Weekly, trial-wide cumulative randomised per replication, and its quantile bands.
    int weeks = run.site_totals.used_weeks;
    for (const ReplicationSummary& s : run.replications)
        weeks = std::max(weeks, s.weeks);
    H5::Group weekly = policy.createGroup("weekly");
    attribute(weekly, "week_length_days", H5::PredType::NATIVE_INT32, 7);
    std::vector<std::int32_t> randomised(n * weeks);
    for (std::size_t i = 0; i < n; ++i) {
        const auto& series = run.replications[i].randomised_by_week;
        for (int w = 0; w < weeks; ++w) {
            randomised[i * weeks + w] =
                series.empty() ? 0 : series[std::min<std::size_t>(w, series.size() - 1)];
        }
    }
    matrix(weekly, "randomised", H5::PredType::NATIVE_INT32, randomised, n, weeks);
    std::vector<double> bands(static_cast<std::size_t>(weeks) * band_count);
    std::vector<std::int32_t> column(n);
    for (int w = 0; w < weeks; ++w) {
        for (std::size_t i = 0; i < n; ++i)
            column[i] = randomised[i * weeks + w];
        const std::vector<double> q = stats::quantiles_of_counts(column, band_quantiles);
        std::copy(q.begin(), q.end(), bands.begin() + w * band_count);
    }
    matrix(weekly, "randomised_bands", H5::PredType::NATIVE_DOUBLE, bands, weeks, band_count);
    const hsize_t q_dims[1] = {band_count};
    weekly.openDataSet("randomised_bands")
        .createAttribute("quantiles", H5::PredType::NATIVE_DOUBLE, H5::DataSpace(1, q_dims))
        .write(H5::PredType::NATIVE_DOUBLE, band_quantiles);

    // Per site: a table, and weekly means over replications.
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
    const hsize_t site_count[1] = {sites};
    H5::DataSet site_table = policy.createDataSet(
        "sites", site_type(), H5::DataSpace(1, site_count), chunked(1, site_count));
    if (sites > 0) site_table.write(site_rows.data(), site_type());

    H5::Group site_weekly = policy.createGroup("site_weekly");
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
    matrix(site_weekly, "staff_utilisation_mean", H5::PredType::NATIVE_FLOAT, staff, sites, weeks);
    matrix(site_weekly, "equipment_utilisation_mean", H5::PredType::NATIVE_FLOAT, machines, sites,
           weeks);
    matrix(site_weekly, "randomised_mean", H5::PredType::NATIVE_FLOAT, rand_mean, sites, weeks);
    std::vector<float> stock_mean(sites * weeks, 0);
    for (std::size_t s = 0; s < sites && s < totals.kits_on_hand.size(); ++s) {
        for (int w = 0; w < std::min(weeks, totals.weeks); ++w) {
            if (n > 0) stock_mean[s * weeks + w] = float(double(totals.kits_on_hand[s][w]) / n);
        }
    }
    matrix(site_weekly, "kits_on_hand_mean", H5::PredType::NATIVE_FLOAT, stock_mean, sites, weeks);
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
    matrix(site_weekly, "equipment_down_mean", H5::PredType::NATIVE_FLOAT, down, sites, weeks);
    matrix(site_weekly, "stock_outs_mean", H5::PredType::NATIVE_FLOAT, stock_outs, sites, weeks);
    matrix(site_weekly, "deviations_mean", H5::PredType::NATIVE_FLOAT, deviations, sites, weeks);
    matrix(site_weekly, "equipment_conflicts_mean", H5::PredType::NATIVE_FLOAT, conflicts, sites,
           weeks);

    write_traces(policy, run);
    write_anomalies(policy, run);

    // The summary metrics, as stored numbers (the same as --json).
    H5::Group metrics = policy.createGroup("metrics");
    for (const Metric& m : summary.metrics) {
        H5::Group g = metrics.createGroup(m.key);
        attribute(g, "label", m.label);
        attribute(g, "median", H5::PredType::NATIVE_DOUBLE, m.median);
        attribute(g, "p10", H5::PredType::NATIVE_DOUBLE, m.p10);
        attribute(g, "p90", H5::PredType::NATIVE_DOUBLE, m.p90);
        attribute(g, "mean", H5::PredType::NATIVE_DOUBLE, m.mean);
        attribute(g, "reached", H5::PredType::NATIVE_INT32, m.reached);
    }
}

// Root attributes and the scenario text: what makes a results file self-describing.
void write_header(H5::H5File& file, const RunMetadata& metadata, const Scenario& scenario,
                  int replications) {
    H5::Group root = file.openGroup("/");
    attribute(root, "format", "trialtwin-results");
    attribute(root, "format_version", H5::PredType::NATIVE_INT32, results_format_version);
    attribute(root, "tool_version", metadata.tool_version);
    attribute(root, "command_line", metadata.command_line);
    attribute(root, "created_utc", metadata.created_utc);
    attribute(root, "engine", metadata.engine);
    attribute(root, "seed", H5::PredType::NATIVE_UINT64, metadata.seed);
    attribute(root, "replications", H5::PredType::NATIVE_INT32, replications);
    attribute(root, "trial_name", scenario.trial.name);
    attribute(root, "start_date", scenario.trial.start_date);
    attribute(root, "currency", scenario.trial.currency);
    attribute(root, "randomisation_target", H5::PredType::NATIVE_INT32,
              scenario.trial.randomisation_target);
    attribute(root, "plan_target_met_day", H5::PredType::NATIVE_DOUBLE,
              scenario.trial.plan_target_met_day);
    H5::DataSet text = file.createDataSet("scenario", text_type(), H5::DataSpace(H5S_SCALAR));
    text.write(scenario.source_text, text_type());
    attribute(text, "path", scenario.source_path);
}

void write_sweep_values(H5::Group& group, const SweepTable& sweep) {
    attribute(group, "design", sweep.design);
    std::string keys;
    for (const std::string& k : sweep.keys)
        keys += (keys.empty() ? "" : "\n") + k;
    attribute(group, "keys", keys);
    const hsize_t dims[2] = {sweep.values.size(), sweep.keys.size()};
    std::vector<const char*> cells;
    for (const auto& point : sweep.values) {
        for (const std::string& v : point)
            cells.push_back(v.c_str());
    }
    H5::DataSet values = group.createDataSet("values", text_type(), H5::DataSpace(2, dims));
    if (!cells.empty()) values.write(cells.data(), text_type());
}

void write_sweep(H5::H5File& file, const SweepTable& sweep, const std::vector<PolicyRun>& runs) {
    H5::Group group = file.createGroup("sweep");
    write_sweep_values(group, sweep);
    // Medians of every metric at every point, for plotting a parameter against an outcome.
    const std::vector<Metric>& first = runs.front().summary->metrics;
    std::vector<double> medians;
    std::string metric_keys;
    for (const Metric& m : first)
        metric_keys += (metric_keys.empty() ? "" : "\n") + m.key;
    for (const PolicyRun& p : runs) {
        for (const Metric& m : p.summary->metrics)
            medians.push_back(m.median);
    }
    matrix(group, "metric_medians", H5::PredType::NATIVE_DOUBLE, medians, runs.size(),
           first.size());
    H5::DataSet medians_set = group.openDataSet("metric_medians");
    attribute(medians_set, "metric_keys", metric_keys);
}

}  // namespace

// /observed: where a forecast started from.
void write_origin(H5::H5File& file, const ForecastOrigin& o) {
    H5::Group g = file.createGroup("observed");
    attribute(g, "as_of_date", o.as_of_date);
    attribute(g, "as_of_day", H5::PredType::NATIVE_DOUBLE, o.as_of_day);
    attribute(g, "fitted", H5::PredType::NATIVE_INT8, static_cast<std::int8_t>(o.fitted));
    attribute(g, "fit_problem", o.fit_problem);
    attribute(g, "alpha", H5::PredType::NATIVE_DOUBLE, o.alpha);
    attribute(g, "beta", H5::PredType::NATIVE_DOUBLE, o.beta);
    attribute(g, "alpha_se", H5::PredType::NATIVE_DOUBLE, o.alpha_se);
    attribute(g, "beta_se", H5::PredType::NATIVE_DOUBLE, o.beta_se);
    attribute(g, "log_likelihood", H5::PredType::NATIVE_DOUBLE, o.log_likelihood);
    attribute(g, "dropout_rate_per_year", H5::PredType::NATIVE_DOUBLE, o.dropout_rate_per_year);
    attribute(g, "active_sites", H5::PredType::NATIVE_INT32, o.active_sites);
    attribute(g, "randomised", H5::PredType::NATIVE_INT32, o.randomised);
    g.createDataSet("sites_csv", text_type(), H5::DataSpace(H5S_SCALAR))
        .write(o.sites_csv, text_type());
    if (!o.patients_csv.empty()) {
        g.createDataSet("patients_csv", text_type(), H5::DataSpace(H5S_SCALAR))
            .write(o.patients_csv, text_type());
    }
    const hsize_t weeks[1] = {o.randomised_by_week.size()};
    H5::DataSet series =
        g.createDataSet("randomised_by_week", H5::PredType::NATIVE_INT32, H5::DataSpace(1, weeks));
    if (!o.randomised_by_week.empty())
        series.write(o.randomised_by_week.data(), H5::PredType::NATIVE_INT32);
}

void write_results_file(const std::string& path, const RunMetadata& metadata, const Scenario& base,
                        const std::vector<PolicyRun>& runs, const SweepTable* sweep,
                        const ForecastOrigin* origin) {
    const Scenario& scenario = base;
    const MonteCarloResult& run = *runs.front().result;
    const std::string temporary = path + ".tmp-" + std::to_string(::getpid());
    try {
        H5::Exception::dontPrint();
        {
            H5::H5File file(temporary, H5F_ACC_TRUNC);
            write_header(file, metadata, scenario, static_cast<int>(run.replications.size()));
            H5::Group policies = file.createGroup("policies");
            for (const PolicyRun& p : runs) {
                H5::Group policy = policies.createGroup(p.name);
                if (p.scenario->source_text != base.source_text) {
                    H5::DataSet variant_text =
                        policy.createDataSet("scenario", text_type(), H5::DataSpace(H5S_SCALAR));
                    variant_text.write(p.scenario->source_text, text_type());
                }
                write_policy(policy, *p.scenario, *p.result, *p.summary);
            }
            if (sweep) write_sweep(file, *sweep, runs);
            if (origin) write_origin(file, *origin);
        }
        std::filesystem::rename(temporary, path);
    } catch (const H5::Exception& e) {
        std::filesystem::remove(temporary);
        throw std::runtime_error(path + ": cannot write results: " + e.getDetailMsg());
    } catch (const std::filesystem::filesystem_error& e) {
        std::filesystem::remove(temporary);
        throw std::runtime_error(path + ": cannot write results: " + e.what());
    }
}

void assemble_sweep_file(const std::string& path, const RunMetadata& metadata, const Scenario& base,
                         int replications, const std::vector<std::string>& point_files,
                         const std::vector<std::string>& point_names, const SweepTable& sweep) {
    const std::string temporary = path + ".tmp-" + std::to_string(::getpid());
    try {
        H5::Exception::dontPrint();
        {
            H5::H5File file(temporary, H5F_ACC_TRUNC);
            write_header(file, metadata, base, replications);
            H5::Group policies = file.createGroup("policies");
            std::vector<double> medians;
            std::string metric_keys;
            for (std::size_t p = 0; p < point_files.size(); ++p) {
                H5::H5File point(point_files[p], H5F_ACC_RDONLY);
                const std::string source = "/policies/" + point_names[p];
                if (H5Ocopy(point.getId(), source.c_str(), policies.getId(), point_names[p].c_str(),
                            H5P_DEFAULT, H5P_DEFAULT) < 0) {
                    throw std::runtime_error(point_files[p] + ": cannot copy " + source);
                }
                // The medians of every metric, in the stored order.
                H5::Group metrics = point.openGroup(source + "/metrics");
                const bool first = metric_keys.empty();
                for (hsize_t i = 0; i < metrics.getNumObjs(); ++i) {
                    const std::string key = metrics.getObjnameByIdx(i);
                    double median = 0;
                    metrics.openGroup(key).openAttribute("median").read(H5::PredType::NATIVE_DOUBLE,
                                                                        &median);
                    medians.push_back(median);
                    if (first) metric_keys += (metric_keys.empty() ? "" : "\n") + key;
                }
            }
            H5::Group group = file.createGroup("sweep");
            write_sweep_values(group, sweep);
            const std::size_t metrics_per_point =
                point_files.empty() ? 0 : medians.size() / point_files.size();
            matrix(group, "metric_medians", H5::PredType::NATIVE_DOUBLE, medians,
                   point_files.size(), metrics_per_point);
            H5::DataSet medians_set = group.openDataSet("metric_medians");
            attribute(medians_set, "metric_keys", metric_keys);
        }
        std::filesystem::rename(temporary, path);
    } catch (const H5::Exception& e) {
        std::filesystem::remove(temporary);
        throw std::runtime_error(path + ": cannot write results: " + e.getDetailMsg());
    }
}

bool holds_finished_point(const std::string& point_file, const std::string& point_name,
                          const Scenario& scenario, std::uint64_t seed, int replications) {
    if (!std::filesystem::is_regular_file(point_file)) return false;
    H5::Exception::dontPrint();
    try {
        H5::H5File file(point_file, H5F_ACC_RDONLY);
        H5::Group root = file.openGroup("/");
        std::uint64_t stored_seed = 0;
        int stored_replications = 0;
        root.openAttribute("seed").read(H5::PredType::NATIVE_UINT64, &stored_seed);
        root.openAttribute("replications").read(H5::PredType::NATIVE_INT32, &stored_replications);
        const std::string group = "policies/" + point_name;
        if (!file.exists("policies") || !file.exists(group) || !file.exists(group + "/scenario")) {
            return false;
        }
        std::string text;
        file.openDataSet(group + "/scenario").read(text, text_type());
        return stored_seed == seed && stored_replications == replications &&
               text == scenario.source_text;
    } catch (const H5::Exception&) {
        return false;
    }
}

}  // namespace trial
