#include "models/store/results_file.hpp"

#include "models/h5/checked_read.hpp"
#include "models/results/schema.hpp"
#include "models/store/chunk_writer.hpp"
#include "models/store/decision_groups.hpp"
#include "models/store/file_image.hpp"
#include "models/store/h5_write.hpp"

#include <H5Cpp.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <span>
#include <stdexcept>

namespace trial {
namespace {

using namespace h5_write;

H5::CompType replication_type() {
    H5::CompType t(sizeof(ReplicationRow));
    const auto i32 = H5::PredType::NATIVE_INT32;
    const auto f64 = H5::PredType::NATIVE_DOUBLE;
// The member name comes from the schema: a member it lacks does not compile.
#define TT_MEMBER(name, type) \
    t.insertMember(schema::replication_row::name, HOFFSET(ReplicationRow, name), type)
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
            const std::string name = schema::replication_row::deviations_prefix +
                                     std::string(name_of(DeviationKind(k))) + "_" +
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
        t.insertMember(schema::replication_row::cost_prefix + std::string(name_of(CostCategory(c))),
                       HOFFSET(ReplicationRow, cost) + sizeof(double) * c, f64);
    }
    TT_MEMBER(cost_total, f64);
    TT_MEMBER(delay_days, f64);
    TT_MEMBER(sites_opened, i32);
    TT_MEMBER(sites_meeting_target, i32);
    TT_MEMBER(backup_sites_opened, i32);
    TT_MEMBER(staff_changes, i32);
    for (int k = 0; k < anomaly_kind_count; ++k) {
        t.insertMember(
            schema::replication_row::anomalies_prefix + std::string(name_of(AnomalyKind(k))),
            HOFFSET(ReplicationRow, anomalies) + sizeof(std::int32_t) * k, i32);
    }
#undef TT_MEMBER
    return t;
}

H5::CompType site_type() {
    H5::CompType t(sizeof(SiteRow));
    t.insertMember(schema::site_row::id, HOFFSET(SiteRow, id),
                   H5::StrType(H5::PredType::C_S1, sizeof(SiteRow::id)));
    t.insertMember(schema::site_row::country, HOFFSET(SiteRow, country),
                   H5::StrType(H5::PredType::C_S1, sizeof(SiteRow::country)));
    t.insertMember(schema::site_row::recruitment_rate_mean_per_day,
                   HOFFSET(SiteRow, recruitment_rate_mean_per_day), H5::PredType::NATIVE_DOUBLE);
    auto real = [&t](const char* name, std::size_t offset) {
        t.insertMember(name, offset, H5::PredType::NATIVE_DOUBLE);
    };
    real(schema::site_row::approval_day_median, HOFFSET(SiteRow, approval_day_median));
    real(schema::site_row::activation_day_median, HOFFSET(SiteRow, activation_day_median));
    real(schema::site_row::recruitment_end_day_median,
         HOFFSET(SiteRow, recruitment_end_day_median));
    real(schema::site_row::last_activity_day_median, HOFFSET(SiteRow, last_activity_day_median));
    real(schema::site_row::randomised_mean, HOFFSET(SiteRow, randomised_mean));
    real(schema::site_row::p_met_target, HOFFSET(SiteRow, p_met_target));
    real(schema::site_row::stock_outs_mean, HOFFSET(SiteRow, stock_outs_mean));
    real(schema::site_row::deviations_mean, HOFFSET(SiteRow, deviations_mean));
    t.insertMember(schema::site_row::target_randomised, HOFFSET(SiteRow, target_randomised),
                   H5::PredType::NATIVE_INT32);
    t.insertMember(schema::site_row::backup, HOFFSET(SiteRow, backup), H5::PredType::NATIVE_INT8);
    real(schema::site_row::p_opened, HOFFSET(SiteRow, p_opened));
    return t;
}

H5::CompType event_type() {
    H5::CompType t(sizeof(Event));
    t.insertMember(schema::event_row::day, HOFFSET(Event, day), H5::PredType::NATIVE_DOUBLE);
    t.insertMember(schema::event_row::kind, HOFFSET(Event, kind), H5::PredType::NATIVE_INT32);
    t.insertMember(schema::event_row::site, HOFFSET(Event, site), H5::PredType::NATIVE_INT32);
    t.insertMember(schema::event_row::patient, HOFFSET(Event, patient), H5::PredType::NATIVE_INT32);
    t.insertMember(schema::event_row::visit, HOFFSET(Event, visit), H5::PredType::NATIVE_INT32);
    t.insertMember(schema::event_row::detail, HOFFSET(Event, detail), H5::PredType::NATIVE_INT32);
    t.insertMember(schema::event_row::value, HOFFSET(Event, value), H5::PredType::NATIVE_DOUBLE);
    return t;
}

// The names of an enumeration's `count` values, one a line (index = value).
template <class Enum>
std::string names_a_line(int count) {
    std::string text;
    for (int k = 0; k < count; ++k) {
        if (k > 0) text += '\n';
        text += name_of(Enum(k));
    }
    return text;
}

// Full event logs of the traced replications, for playback.
void write_traces(H5::Group& policy, std::span<const std::vector<Event>> traces_of) {
    if (traces_of.empty()) return;
    H5::Group traces = policy.createGroup(schema::policy::traces);
    attribute(traces, schema::event_row::kinds, names_a_line<EventKind>(event_kind_count));
    attribute(traces, schema::event_row::deviation_causes, names_a_line<Cause>(cause_count));
    for (std::size_t r = 0; r < traces_of.size(); ++r) {
        const std::vector<Event>& events = traces_of[r];
        char name[48];  // "replication_" and up to 20 digits
        std::snprintf(name, sizeof name, schema::event_row::trace_name_format, r);
        const hsize_t count[1] = {events.size()};
        H5::DataSet set =
            traces.createDataSet(name, event_type(), H5::DataSpace(1, count), chunked(1, count));
        if (!events.empty()) set.write(events.data(), event_type());
    }
}

void write_anomalies(H5::Group& policy, const std::vector<AnomalyRow>& rows) {
    H5::CompType type(sizeof(AnomalyRow));
    type.insertMember(schema::event_row::replication, HOFFSET(AnomalyRow, replication),
                      H5::PredType::NATIVE_INT32);
    type.insertMember(schema::event_row::day, HOFFSET(AnomalyRow, day),
                      H5::PredType::NATIVE_DOUBLE);
    type.insertMember(schema::event_row::site, HOFFSET(AnomalyRow, site),
                      H5::PredType::NATIVE_INT32);
    type.insertMember(schema::event_row::kind, HOFFSET(AnomalyRow, kind),
                      H5::PredType::NATIVE_INT32);
    type.insertMember(schema::event_row::value, HOFFSET(AnomalyRow, value),
                      H5::PredType::NATIVE_DOUBLE);
    const hsize_t count[1] = {rows.size()};
    H5::DataSet set = policy.createDataSet(schema::policy::anomalies, type, H5::DataSpace(1, count),
                                           chunked(1, count));
    if (!rows.empty()) write_chunks_in_parallel(set, rows.data());
    attribute(set, schema::event_row::kinds, names_a_line<AnomalyKind>(anomaly_kind_count));
}

H5::CompType analysis_type() {
    H5::CompType t(sizeof(AnalysisRow));
    const auto i32 = H5::PredType::NATIVE_INT32;
    const auto i8 = H5::PredType::NATIVE_INT8;
    const auto f64 = H5::PredType::NATIVE_DOUBLE;
#define TT_MEMBER(name, type) \
    t.insertMember(schema::readout::name, HOFFSET(AnalysisRow, name), type)
    TT_MEMBER(replication, i32);
    TT_MEMBER(analysis, i32);
    TT_MEMBER(cutoff_day, f64);
    TT_MEMBER(lock_day, f64);
    TT_MEMBER(readout_day, f64);
    TT_MEMBER(reached, i8);
    TT_MEMBER(by_max_date, i8);
    TT_MEMBER(events, i32);
    TT_MEMBER(at_risk, i32);
#undef TT_MEMBER
    return t;
}

std::string lines(const std::vector<std::string>& names) {
    std::string out;
    for (const std::string& name : names)
        out += name + "\n";
    return out;
}

void write_readout(H5::Group& policy, const ReadoutTables& r, std::span<const double> quantiles) {
    H5::Group g = policy.createGroup(schema::policy::readout);
    attribute(g, schema::readout::analysis_names, lines(r.analyses));
    attribute(g, schema::readout::endpoint_names, lines(r.endpoints));
    attribute(g, schema::readout::arm_names, lines(r.arms));
    attribute(g, schema::readout::by_day, H5::PredType::NATIVE_DOUBLE, r.by_day);
    const hsize_t analyses[1] = {r.analyses.size()};
    g.createDataSet(schema::readout::analysis_endpoint, H5::PredType::NATIVE_INT32,
                    H5::DataSpace(1, analyses))
        .write(r.analysis_endpoint.data(), H5::PredType::NATIVE_INT32);
    g.createAttribute(schema::readout::p_readout_by, H5::PredType::NATIVE_DOUBLE,
                      H5::DataSpace(1, analyses))
        .write(H5::PredType::NATIVE_DOUBLE, r.p_readout_by.data());
    const hsize_t rows[1] = {r.rows.size()};
    H5::DataSet table = g.createDataSet(schema::readout::analyses, analysis_type(),
                                        H5::DataSpace(1, rows), chunked(1, rows));
    if (!r.rows.empty()) table.write(r.rows.data(), analysis_type());
    matrix(g, schema::readout::events_by_arm, H5::PredType::NATIVE_INT32, r.events_by_arm);
    matrix(g, schema::readout::at_risk_by_arm, H5::PredType::NATIVE_INT32, r.at_risk_by_arm);
    const hsize_t bands[2] = {r.series * r.weeks, quantiles.size()};
    H5::DataSet set = g.createDataSet(schema::readout::events_bands, H5::PredType::NATIVE_DOUBLE,
                                      H5::DataSpace(2, bands));
    if (!r.events_bands.empty()) set.write(r.events_bands.data(), H5::PredType::NATIVE_DOUBLE);
    const hsize_t q[1] = {quantiles.size()};
    set.createAttribute(schema::readout::quantiles, H5::PredType::NATIVE_DOUBLE,
                        H5::DataSpace(1, q))
        .write(H5::PredType::NATIVE_DOUBLE, quantiles.data());
}

void write_policy(H5::Group& policy, const PolicyTables& t) {
    attribute(policy, schema::policy::p_target_met_by_plan, H5::PredType::NATIVE_DOUBLE,
              t.p_target_met_by_plan);
    attribute(policy, schema::policy::allocation, t.allocation);
    attribute(policy, schema::policy::booking, t.booking);
    attribute(policy, schema::policy::resupply, t.resupply);

    const hsize_t count[1] = {t.replications.size()};
    H5::DataSet table = policy.createDataSet(schema::policy::replications, replication_type(),
                                             H5::DataSpace(1, count), chunked(1, count));
    if (!t.replications.empty()) write_chunks_in_parallel(table, t.replications.data());

    H5::Group weekly = policy.createGroup(schema::policy::weekly);
    attribute(weekly, schema::weekly::week_length_days, H5::PredType::NATIVE_INT32, 7);
    matrix(weekly, schema::weekly::randomised, H5::PredType::NATIVE_INT32, t.weekly_randomised);
    matrix(weekly, schema::weekly::randomised_bands, H5::PredType::NATIVE_DOUBLE,
           t.weekly_randomised_bands);
    const hsize_t q_dims[1] = {t.band_quantiles.size()};
    weekly.openDataSet(schema::weekly::randomised_bands)
        .createAttribute(schema::weekly::quantiles, H5::PredType::NATIVE_DOUBLE,
                         H5::DataSpace(1, q_dims))
        .write(H5::PredType::NATIVE_DOUBLE, t.band_quantiles.data());

    const hsize_t site_count[1] = {t.sites.size()};
    H5::DataSet site_table = policy.createDataSet(
        schema::policy::sites, site_type(), H5::DataSpace(1, site_count), chunked(1, site_count));
    if (!t.sites.empty()) site_table.write(t.sites.data(), site_type());

    H5::Group site_weekly = policy.createGroup(schema::policy::site_weekly);
    for (const auto& [name, grid] : t.site_weekly)
        matrix(site_weekly, name.c_str(), H5::PredType::NATIVE_FLOAT, grid);

    write_traces(policy, t.traces);
    write_anomalies(policy, t.anomalies);

    // The summary metrics, as stored numbers (the same as --json).
    H5::Group metrics = policy.createGroup(schema::policy::metrics);
    for (const Metric& m : t.metrics) {
        H5::Group g = metrics.createGroup(m.key);
        attribute(g, schema::metric::label, m.label);
        attribute(g, schema::metric::median, H5::PredType::NATIVE_DOUBLE, m.median);
        attribute(g, schema::metric::p10, H5::PredType::NATIVE_DOUBLE, m.p10);
        attribute(g, schema::metric::p90, H5::PredType::NATIVE_DOUBLE, m.p90);
        attribute(g, schema::metric::mean, H5::PredType::NATIVE_DOUBLE, m.mean);
        attribute(g, schema::metric::reached, H5::PredType::NATIVE_INT32, m.reached);
    }
    if (t.has_readout) write_readout(policy, t.readout, t.band_quantiles);
}

// Root attributes and the scenario text: what makes a results file self-describing.
void write_header(H5::H5File& file, const RunMetadata& metadata, const Scenario& scenario,
                  int replications) {
    H5::Group root = file.openGroup("/");
    attribute(root, schema::root::format, schema::format_name);
    attribute(root, schema::root::format_version, H5::PredType::NATIVE_INT32,
              schema::format_version_value);
    attribute(root, schema::root::tool_version, metadata.tool_version);
    attribute(root, schema::root::command_line, metadata.command_line);
    attribute(root, schema::root::created_utc, metadata.created_utc);
    attribute(root, schema::root::engine, metadata.engine);
    attribute(root, schema::root::seed, H5::PredType::NATIVE_UINT64, metadata.seed);
    attribute(root, schema::root::replications, H5::PredType::NATIVE_INT32, replications);
    attribute(root, schema::root::trial_name, scenario.trial.name);
    attribute(root, schema::root::start_date, scenario.trial.start_date);
    attribute(root, schema::root::currency, scenario.trial.currency);
    attribute(root, schema::root::randomisation_target, H5::PredType::NATIVE_INT32,
              scenario.trial.randomisation_target);
    attribute(root, schema::root::plan_target_met_day, H5::PredType::NATIVE_DOUBLE,
              scenario.trial.plan_target_met_day);
    H5::DataSet text = file.createDataSet(schema::scenario, text_type(), H5::DataSpace(H5S_SCALAR));
    text.write(scenario.source_text, text_type());
    attribute(text, schema::scenario_path, scenario.source_path);
}

void write_sweep_values(H5::Group& group, const SweepTable& sweep) {
    attribute(group, schema::sweep::design, sweep.design);
    std::string keys;
    for (const std::string& k : sweep.keys)
        keys += (keys.empty() ? "" : "\n") + k;
    attribute(group, schema::sweep::keys, keys);
    const hsize_t dims[2] = {sweep.values.size(), sweep.keys.size()};
    std::vector<const char*> cells;
    for (const auto& point : sweep.values) {
        for (const std::string& v : point)
            cells.push_back(v.c_str());
    }
    H5::DataSet values =
        group.createDataSet(schema::sweep::values, text_type(), H5::DataSpace(2, dims));
    if (!cells.empty()) values.write(cells.data(), text_type());
}

}  // namespace

// /observed: where a forecast started from.
void write_origin(H5::H5File& file, const ForecastOrigin& o) {
    H5::Group g = file.createGroup(schema::observed::group);
    attribute(g, schema::observed::as_of_date, o.as_of_date);
    attribute(g, schema::observed::as_of_day, H5::PredType::NATIVE_DOUBLE, o.as_of_day);
    attribute(g, schema::observed::fitted, H5::PredType::NATIVE_INT8,
              static_cast<std::int8_t>(o.fitted));
    attribute(g, schema::observed::fit_problem, o.fit_problem);
    attribute(g, schema::observed::alpha, H5::PredType::NATIVE_DOUBLE, o.alpha);
    attribute(g, schema::observed::beta, H5::PredType::NATIVE_DOUBLE, o.beta);
    attribute(g, schema::observed::alpha_se, H5::PredType::NATIVE_DOUBLE, o.alpha_se);
    attribute(g, schema::observed::beta_se, H5::PredType::NATIVE_DOUBLE, o.beta_se);
    attribute(g, schema::observed::log_likelihood, H5::PredType::NATIVE_DOUBLE, o.log_likelihood);
    attribute(g, schema::observed::dropout_rate_per_year, H5::PredType::NATIVE_DOUBLE,
              o.dropout_rate_per_year);
    attribute(g, schema::observed::active_sites, H5::PredType::NATIVE_INT32, o.active_sites);
    attribute(g, schema::observed::randomised, H5::PredType::NATIVE_INT32, o.randomised);
    g.createDataSet(schema::observed::sites_csv, text_type(), H5::DataSpace(H5S_SCALAR))
        .write(o.sites_csv, text_type());
    if (!o.patients_csv.empty()) {
        g.createDataSet(schema::observed::patients_csv, text_type(), H5::DataSpace(H5S_SCALAR))
            .write(o.patients_csv, text_type());
    }
    const hsize_t weeks[1] = {o.randomised_by_week.size()};
    H5::DataSet series = g.createDataSet(schema::observed::randomised_by_week,
                                         H5::PredType::NATIVE_INT32, H5::DataSpace(1, weeks));
    if (!o.randomised_by_week.empty())
        series.write(o.randomised_by_week.data(), H5::PredType::NATIVE_INT32);
}

void write_results_file(const std::string& path, const RunMetadata& metadata, const Scenario& base,
                        const std::vector<PolicyTables>& runs, const ForecastOrigin* origin,
                        const std::atomic<bool>* stop, DecisionGroups decision) {
    auto image = std::make_shared<FileImage>();
    try {
        H5::Exception::dontPrint();
        H5::H5File file = file_in_memory(path);
        write_header(file, metadata, base,
                     runs.empty() ? 0 : static_cast<int>(runs.front().replications.size()));
        H5::Group policies = file.createGroup(schema::policies);
        std::string order;
        for (const PolicyTables& p : runs) {
            if (!order.empty()) order += '\n';
            order += p.name;
        }
        attribute(policies, schema::policy_order, order);
        for (const PolicyTables& p : runs) {
            H5::Group policy = policies.createGroup(p.name);
            if (!p.scenario_text.empty()) {
                H5::DataSet variant_text =
                    policy.createDataSet(schema::scenario, text_type(), H5::DataSpace(H5S_SCALAR));
                variant_text.write(p.scenario_text, text_type());
            }
            write_policy(policy, p);
        }
        if (origin) write_origin(file, *origin);
        if (decision.optimise) write_optimise_group(file, *decision.optimise);
        if (decision.sensitivity) write_sensitivity_group(file, *decision.sensitivity);
        *image = image_of(file);
    } catch (const H5::Exception& e) {
        throw std::runtime_error(path + ": cannot make the results file: " + e.getDetailMsg());
    }
    put_on_disk(path, std::move(image), stop);
}

void assemble_sweep_file(const std::string& path, const RunMetadata& metadata, const Scenario& base,
                         int replications, const std::vector<std::string>& point_files,
                         const std::vector<std::string>& point_names, const SweepTable& sweep,
                         const std::atomic<bool>* stop) {
    auto image = std::make_shared<FileImage>();
    try {
        H5::Exception::dontPrint();
        H5::H5File file = file_in_memory(path);
        write_header(file, metadata, base, replications);
        H5::Group policies = file.createGroup(schema::policies);
        std::string order;
        for (const std::string& name : point_names) {
            if (!order.empty()) order += '\n';
            order += name;
        }
        attribute(policies, schema::policy_order, order);
        std::vector<double> medians;
        std::string metric_keys;
        for (std::size_t p = 0; p < point_files.size(); ++p) {
            H5::H5File point(point_files[p], H5F_ACC_RDONLY);
            const std::string source = std::string("/") + schema::policies + "/" + point_names[p];
            if (H5Ocopy(point.getId(), source.c_str(), policies.getId(), point_names[p].c_str(),
                        H5P_DEFAULT, H5P_DEFAULT) < 0) {
                throw std::runtime_error(point_files[p] + ": cannot copy " + source);
            }
            // The medians of every metric, in the stored order.
            H5::Group metrics = point.openGroup(source + "/" + schema::policy::metrics);
            const bool first = metric_keys.empty();
            for (hsize_t i = 0; i < metrics.getNumObjs(); ++i) {
                const std::string key = metrics.getObjnameByIdx(i);
                medians.push_back(
                    h5::number(metrics.openGroup(key), schema::metric::median).value_or(NAN));
                if (first) metric_keys += (metric_keys.empty() ? "" : "\n") + key;
            }
        }
        H5::Group group = file.createGroup(schema::sweep::group);
        write_sweep_values(group, sweep);
        const std::size_t metrics_per_point =
            point_files.empty() ? 0 : medians.size() / point_files.size();
        matrix(group, schema::sweep::metric_medians, H5::PredType::NATIVE_DOUBLE,
               Grid<double>{point_files.size(), metrics_per_point, std::move(medians)});
        H5::DataSet medians_set = group.openDataSet(schema::sweep::metric_medians);
        attribute(medians_set, schema::sweep::metric_keys, metric_keys);
        *image = image_of(file);
    } catch (const h5::ReadError& e) {
        throw std::runtime_error(path + ": cannot assemble the sweep: " + e.what());
    } catch (const H5::Exception& e) {
        throw std::runtime_error(path + ": cannot make the results file: " + e.getDetailMsg());
    }
    put_on_disk(path, std::move(image), stop);
}

bool holds_finished_point(const std::string& point_file, const std::string& point_name,
                          const Scenario& scenario, std::uint64_t seed, int replications) {
    if (!std::filesystem::is_regular_file(point_file)) return false;
    H5::Exception::dontPrint();
    try {
        H5::H5File file(point_file, H5F_ACC_RDONLY);
        H5::Group root = file.openGroup("/");
        const std::string group = std::string(schema::policies) + "/" + point_name;
        const std::string text_at = group + "/" + schema::scenario;
        if (!file.exists(schema::policies) || !file.exists(group) || !file.exists(text_at)) {
            return false;
        }
        // (A point written in another format version is from another model: simulated again.)
        return h5::integer(root, schema::root::format_version) == schema::format_version_value &&
               h5::unsigned_integer(root, schema::root::seed) == seed &&
               h5::integer(root, schema::root::replications) == replications &&
               h5::text(file.openDataSet(text_at)) == scenario.source_text;
    } catch (const h5::ReadError&) {
        return false;  // a damaged point is simulated again
    } catch (const H5::Exception&) {
        return false;
    }
}

}  // namespace trial
