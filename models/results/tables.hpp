#pragma once
// What a run is written as: the rows and grids of one policy's (or variant's, or sweep
// point's) part of a results file (schema: results/README.md), as plain data. The runner
// fills them (models/runner/tables.hpp: every statistic is computed there); the store only
// serialises them (models/store/results_file.hpp). Rows are laid out as the file's compound
// types are.

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "models/trial/event_log.hpp"
#include "models/trial/recorder.hpp"

namespace trial {

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

// One row of /policies/<policy>/sites: a site over the replications.
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

// Every flag the trial's watch raised, in replication order.
struct AnomalyRow {
    std::int32_t replication;
    double day;
    std::int32_t site;
    std::int32_t kind;
    double value;
};

// A summary metric over the replications (median, P10/P90, mean; how many reached it).
struct Metric {
    std::string key;    // stable, snake_case: the JSON and HDF5 name
    std::string label;  // for people
    double median = 0, p10 = 0, p90 = 0, mean = 0;
    int reached = 0;  // replications with a value
    int replications = 0;
};

// A row-major grid: [rows][columns].
template <class T>
struct Grid {
    std::size_t rows = 0, columns = 0;
    std::vector<T> values;
};

// One row of /policies/<policy>/readout/analyses: an analysis in one replication (days NaN
// and counts 0 when it was not reached).
struct AnalysisRow {
    std::int32_t replication;
    std::int32_t analysis;  // in the scenario's [[analyses]] order
    double cutoff_day, lock_day, readout_day;
    std::int8_t reached;
    std::int8_t by_max_date;
    std::int32_t events, at_risk;  // all arms, at the cut-off
};

// /policies/<policy>/readout: the analyses of every replication, P(read out by the date asked
// about), and each endpoint's cumulative events by week and arm as quantile bands.
struct ReadoutTables {
    std::vector<std::string> analyses, endpoints, arms;
    std::vector<std::int32_t> analysis_endpoint;  // per analysis, in `endpoints`
    double by_day = 0;                            // NaN: no date asked about
    std::vector<double> p_readout_by;             // per analysis
    std::vector<AnalysisRow> rows;                // replication-major
    Grid<std::int32_t> events_by_arm;             // [row][arm]
    Grid<std::int32_t> at_risk_by_arm;            // [row][arm]
    // Series endpoint × (arms + 1) + arm (the last: all arms), each [week][quantile]
    // (band_quantiles), flattened.
    std::size_t series = 0, weeks = 0;
    std::vector<double> events_bands;
};

struct PolicyTables {
    std::string name;
    std::string scenario_text;  // the variant's own scenario; empty: the file's /scenario
    std::string allocation, booking, resupply;
    double p_target_met_by_plan = 0;
    std::vector<ReplicationRow> replications;
    // Trial-wide cumulative randomised, [replication][week], and its quantile bands
    // [week][quantile].
    Grid<std::int32_t> weekly_randomised;
    Grid<double> weekly_randomised_bands;
    std::vector<double> band_quantiles;
    std::vector<SiteRow> sites;
    // /site_weekly: per-site weekly means over replications, [site][week], by dataset name.
    std::vector<std::pair<std::string, Grid<float>>> site_weekly;
    std::span<const std::vector<Event>> traces;  // full event logs of the traced replications
    std::vector<AnomalyRow> anomalies;
    std::vector<Metric> metrics;
    bool has_readout = false;  // the scenario has [[analyses]]
    ReadoutTables readout;
};

}  // namespace trial
