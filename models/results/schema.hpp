#pragma once
// The names in a trialtwin results file (format version 2; what each holds: results/README.md),
// in one place for the writer (models/store) and every reader (the CLI's inspect, the sweep's
// resume check, the visualizer). A name used on one side only fails to compile on the other.
// No includes: the visualizer includes this and nothing else of the model.

namespace trial::schema {

inline constexpr char format_name[] = "trialtwin-results";
inline constexpr int format_version_value = 2;  // 2: five deviation causes (session 16)

// Attributes of the root group.
namespace root {
inline constexpr char format[] = "format";
inline constexpr char format_version[] = "format_version";
inline constexpr char tool_version[] = "tool_version";
inline constexpr char command_line[] = "command_line";
inline constexpr char created_utc[] = "created_utc";
inline constexpr char engine[] = "engine";
inline constexpr char seed[] = "seed";
inline constexpr char replications[] = "replications";
inline constexpr char trial_name[] = "trial_name";
inline constexpr char start_date[] = "start_date";
inline constexpr char currency[] = "currency";
inline constexpr char randomisation_target[] = "randomisation_target";
inline constexpr char plan_target_met_day[] = "plan_target_met_day";
}  // namespace root

// The scenario text (a scalar string dataset at the root and in a variant's group), with the
// path it was read from as an attribute.
inline constexpr char scenario[] = "scenario";
inline constexpr char scenario_path[] = "path";

inline constexpr char policies[] = "policies";  // one group per policy, variant or sweep point
// Attribute of /policies: their names one a line, as run (a comparison's baseline first).
inline constexpr char policy_order[] = "order";

// /policies/<name>
namespace policy {
inline constexpr char p_target_met_by_plan[] = "p_target_met_by_plan";
inline constexpr char allocation[] = "allocation";
inline constexpr char booking[] = "booking";
inline constexpr char resupply[] = "resupply";
inline constexpr char replications[] = "replications";  // table of ReplicationRow
inline constexpr char weekly[] = "weekly";
inline constexpr char sites[] = "sites";  // table of SiteRow
inline constexpr char site_weekly[] = "site_weekly";
inline constexpr char traces[] = "traces";
inline constexpr char anomalies[] = "anomalies";
inline constexpr char metrics[] = "metrics";
inline constexpr char readout[] = "readout";  // only when the scenario has [[analyses]]
}  // namespace policy

// /policies/<name>/readout
namespace readout {
inline constexpr char analysis_names[] = "analyses";              // attribute: one a line
inline constexpr char endpoint_names[] = "endpoints";             // attribute: one a line
inline constexpr char arm_names[] = "arms";                       // attribute: one a line
inline constexpr char analysis_endpoint[] = "analysis_endpoint";  // dataset [analyses]
inline constexpr char by_day[] = "by_day";                        // attribute; NaN: none
inline constexpr char p_readout_by[] = "p_readout_by";            // attribute [analyses]
inline constexpr char analyses[] = "analyses";                    // table of AnalysisRow
inline constexpr char events_by_arm[] = "events_by_arm";          // rows × arms
inline constexpr char at_risk_by_arm[] = "at_risk_by_arm";        // rows × arms
// (endpoints × (arms + 1) × weeks) × quantiles: cumulative events, endpoint-major, then arm
// (the last: all arms together), then week
inline constexpr char events_bands[] = "events_bands";
inline constexpr char quantiles[] = "quantiles";  // attribute of events_bands
// Members of the analyses table.
inline constexpr char replication[] = "replication";
inline constexpr char analysis[] = "analysis";
inline constexpr char cutoff_day[] = "cutoff_day";
inline constexpr char lock_day[] = "lock_day";
inline constexpr char readout_day[] = "readout_day";
inline constexpr char reached[] = "reached";
inline constexpr char by_max_date[] = "by_max_date";
inline constexpr char events[] = "events";
inline constexpr char at_risk[] = "at_risk";
}  // namespace readout

// /policies/<name>/weekly
namespace weekly {
inline constexpr char week_length_days[] = "week_length_days";
inline constexpr char randomised[] = "randomised";              // replications × weeks
inline constexpr char randomised_bands[] = "randomised_bands";  // weeks × quantiles
inline constexpr char quantiles[] = "quantiles";                // attribute of the bands
}  // namespace weekly

// /policies/<name>/site_weekly: sites × weeks means over the replications.
namespace site_weekly {
inline constexpr char staff_utilisation[] = "staff_utilisation_mean";
inline constexpr char equipment_utilisation[] = "equipment_utilisation_mean";
inline constexpr char randomised[] = "randomised_mean";
inline constexpr char kits_on_hand[] = "kits_on_hand_mean";
inline constexpr char equipment_down[] = "equipment_down_mean";
inline constexpr char stock_outs[] = "stock_outs_mean";
inline constexpr char deviations[] = "deviations_mean";
inline constexpr char equipment_conflicts[] = "equipment_conflicts_mean";
}  // namespace site_weekly

// Members of the replications table that have a name of their own. The deviation, cost and
// anomaly counts are named by their kinds: deviations_<kind>_<cause>, cost_<category>,
// anomalies_<kind>.
namespace replication_row {
inline constexpr char replication[] = "replication";
inline constexpr char first_patient_in_day[] = "first_patient_in_day";
inline constexpr char target_met_day[] = "target_met_day";
inline constexpr char enrollment_duration_days[] = "enrollment_duration_days";
inline constexpr char last_patient_last_visit_day[] = "last_patient_last_visit_day";
inline constexpr char target_met_by_plan[] = "target_met_by_plan";
inline constexpr char arrived[] = "arrived";
inline constexpr char screened[] = "screened";
inline constexpr char not_screened[] = "not_screened";
inline constexpr char screen_failed[] = "screen_failed";
inline constexpr char randomised[] = "randomised";
inline constexpr char dropped_out[] = "dropped_out";
inline constexpr char completed[] = "completed";
inline constexpr char visits_done[] = "visits_done";
inline constexpr char stock_outs[] = "stock_outs";
inline constexpr char kits_dispensed[] = "kits_dispensed";
inline constexpr char kits_wasted[] = "kits_wasted";
inline constexpr char kits_left[] = "kits_left";
inline constexpr char shipments[] = "shipments";
inline constexpr char monitoring_visits[] = "monitoring_visits";
inline constexpr char staff_utilisation[] = "staff_utilisation";
inline constexpr char equipment_utilisation[] = "equipment_utilisation";
inline constexpr char cost_total[] = "cost_total";
inline constexpr char delay_days[] = "delay_days";
inline constexpr char sites_opened[] = "sites_opened";
inline constexpr char sites_meeting_target[] = "sites_meeting_target";
inline constexpr char backup_sites_opened[] = "backup_sites_opened";
inline constexpr char staff_changes[] = "staff_changes";
inline constexpr char deviations_prefix[] = "deviations_";
inline constexpr char cost_prefix[] = "cost_";
inline constexpr char anomalies_prefix[] = "anomalies_";
}  // namespace replication_row

// Members of the sites table.
namespace site_row {
inline constexpr char id[] = "id";
inline constexpr char country[] = "country";
inline constexpr char recruitment_rate_mean_per_day[] = "recruitment_rate_mean_per_day";
inline constexpr char approval_day_median[] = "approval_day_median";
inline constexpr char activation_day_median[] = "activation_day_median";
inline constexpr char recruitment_end_day_median[] = "recruitment_end_day_median";
inline constexpr char last_activity_day_median[] = "last_activity_day_median";
inline constexpr char randomised_mean[] = "randomised_mean";
inline constexpr char p_met_target[] = "p_met_target";
inline constexpr char stock_outs_mean[] = "stock_outs_mean";
inline constexpr char deviations_mean[] = "deviations_mean";
inline constexpr char target_randomised[] = "target_randomised";
inline constexpr char backup[] = "backup";
inline constexpr char p_opened[] = "p_opened";
}  // namespace site_row

// Members of a trace's and the anomalies' tables; the 'kinds' attribute names the kind
// numbers, one a line.
namespace event_row {
inline constexpr char day[] = "day";
inline constexpr char kind[] = "kind";
inline constexpr char site[] = "site";
inline constexpr char patient[] = "patient";
inline constexpr char visit[] = "visit";
inline constexpr char detail[] = "detail";
inline constexpr char value[] = "value";
inline constexpr char replication[] = "replication";  // anomalies only
inline constexpr char kinds[] = "kinds";
inline constexpr char deviation_causes[] = "deviation_causes";  // traces only
inline constexpr char trace_name_format[] = "replication_%04zu";
}  // namespace event_row

// /policies/<name>/metrics/<key>: attributes of each metric.
namespace metric {
inline constexpr char label[] = "label";
inline constexpr char median[] = "median";
inline constexpr char p10[] = "p10";
inline constexpr char p90[] = "p90";
inline constexpr char mean[] = "mean";
inline constexpr char reached[] = "reached";
}  // namespace metric

// /observed: where a forecast started from.
namespace observed {
inline constexpr char group[] = "observed";
inline constexpr char as_of_date[] = "as_of_date";
inline constexpr char as_of_day[] = "as_of_day";
inline constexpr char fitted[] = "fitted";
inline constexpr char fit_problem[] = "fit_problem";
inline constexpr char alpha[] = "alpha";
inline constexpr char beta[] = "beta";
inline constexpr char alpha_se[] = "alpha_se";
inline constexpr char beta_se[] = "beta_se";
inline constexpr char log_likelihood[] = "log_likelihood";
inline constexpr char dropout_rate_per_year[] = "dropout_rate_per_year";
inline constexpr char active_sites[] = "active_sites";
inline constexpr char randomised[] = "randomised";
inline constexpr char sites_csv[] = "sites_csv";
inline constexpr char patients_csv[] = "patients_csv";
inline constexpr char randomised_by_week[] = "randomised_by_week";
}  // namespace observed

// /sweep: the points of a sweep (one policy group each) and every metric's median at each.
namespace sweep {
inline constexpr char group[] = "sweep";
inline constexpr char design[] = "design";
inline constexpr char keys[] = "keys";                      // the swept keys, one a line
inline constexpr char values[] = "values";                  // points × keys, as text
inline constexpr char metric_medians[] = "metric_medians";  // points × metrics
inline constexpr char metric_keys[] = "metric_keys";        // attribute of metric_medians
}  // namespace sweep

// /optimise: trialtwin optimise's search (results/README.md). Its /policies hold the plan as
// written and the chosen decision, each run on the validation replications.
namespace optimise {
inline constexpr char group[] = "optimise";
inline constexpr char objective[] = "objective";              // attribute, e.g. "mean:cost_total"
inline constexpr char sense[] = "sense";                      // "minimise" | "maximise"
inline constexpr char constraints[] = "constraints";          // one a line
inline constexpr char variables[] = "variables";              // one a line
inline constexpr char candidate_sites[] = "candidate_sites";  // one a line
inline constexpr char replications[] = "replications";
inline constexpr char seed[] = "seed";
inline constexpr char validation_replications[] = "validation_replications";
inline constexpr char validation_seed[] = "validation_seed";
inline constexpr char chosen_evaluation[] = "chosen_evaluation";
inline constexpr char chosen_sets[] = "chosen_sets";  // the --set list, one a line
inline constexpr char verdict[] = "verdict";
inline constexpr char evaluations[] = "evaluations";  // table of OptimiseEvaluationRow
inline constexpr char constraint_values[] = "constraint_values";
inline constexpr char variable_values[] = "variable_values";
inline constexpr char sites_open[] = "sites_open";
inline constexpr char decisions[] = "decisions";
inline constexpr char validation[] = "validation";  // table of OptimiseValidationRow
inline constexpr char validation_constraints[] = "validation_constraints";
}  // namespace optimise

// /sensitivity: trialtwin sensitivity's effects and indices (results/README.md).
namespace sensitivity {
inline constexpr char group[] = "sensitivity";
inline constexpr char keys[] = "keys";        // attribute, one a line
inline constexpr char outputs[] = "outputs";  // attribute, one a line
inline constexpr char low[] = "low";          // per key
inline constexpr char high[] = "high";
inline constexpr char base[] = "base";  // per output
inline constexpr char replications[] = "replications";
inline constexpr char seed[] = "seed";
inline constexpr char oat_low[] = "oat_low";  // keys × outputs
inline constexpr char oat_high[] = "oat_high";
inline constexpr char oat_effect[] = "oat_effect";
inline constexpr char oat_effect_low[] = "oat_effect_low";
inline constexpr char oat_effect_high[] = "oat_effect_high";
inline constexpr char base_points[] = "base_points";  // attribute; absent: no Sobol design
inline constexpr char bootstrap[] = "bootstrap";
inline constexpr char design[] = "design";                  // points × keys
inline constexpr char design_outputs[] = "design_outputs";  // points × outputs
inline constexpr char first[] = "first";                    // keys × outputs
inline constexpr char first_low[] = "first_low";
inline constexpr char first_high[] = "first_high";
inline constexpr char total[] = "total";
inline constexpr char total_low[] = "total_low";
inline constexpr char total_high[] = "total_high";
}  // namespace sensitivity

}  // namespace trial::schema
