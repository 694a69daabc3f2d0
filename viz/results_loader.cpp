// Reads a trialtwin results file (results/README.md; names: models/results/schema.hpp) into
// viz::ResultsFile. Optional parts (traces, a sweep, series added in later format revisions)
// may be absent; what the charts cannot do without is checked, and its absence named in the
// error. Every value goes through models/h5's checked reads: a damaged or hostile file gives a
// LoadError naming the object, never a crash.

#include <H5Cpp.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <limits>
#include <map>
#include <sstream>
#include <tuple>

#include "models/files/input_file.hpp"
#include "models/h5/checked_read.hpp"
#include "models/h5/survives.hpp"
#include "models/results/schema.hpp"
#include "models/stats/paired_difference.hpp"
#include "viz/results.hpp"

namespace viz {
namespace {

namespace schema = trial::schema;
constexpr double nan = std::numeric_limits<double>::quiet_NaN();

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);)
        out.push_back(line);
    return out;
}

std::string text_or_empty(const H5::H5Object& object, const char* name) {
    return h5::text(object, name).value_or("");
}

double number_or(const H5::H5Object& object, const char* name, double fallback) {
    return h5::number(object, name).value_or(fallback);
}

int count_or(const H5::H5Object& object, const char* name, int fallback) {
    const auto n = h5::integer(object, name);
    if (!n) return fallback;
    if (*n < std::numeric_limits<int>::min() || *n > std::numeric_limits<int>::max())
        throw LoadError(h5::path_of(object) + " attribute '" + name + "' is out of range");
    return static_cast<int>(*n);
}

Grid read_grid(const H5::Group& group, const char* name) {
    Grid g;
    if (!group.nameExists(name)) return g;
    h5::Matrix m = h5::matrix(group.openDataSet(name));
    if (m.rows > std::size_t(std::numeric_limits<int>::max()) ||
        m.columns > std::size_t(std::numeric_limits<int>::max()))
        throw LoadError(h5::path_of(group) + "/" + name + " is too large");
    g.rows = static_cast<int>(m.rows);
    g.cols = static_cast<int>(m.columns);
    g.values = std::move(m.values);
    return g;
}

// The loader says where it was when something failed.
struct Place {
    std::string where = "/";
};

// A whole number stored as a double (a table's integer member): NaN and out-of-range values
// become `fallback`.
int whole(double value, int fallback = -1) {
    return std::isfinite(value) && value >= std::numeric_limits<int>::min() &&
                   value <= std::numeric_limits<int>::max()
               ? static_cast<int>(value)
               : fallback;
}

void read_outcomes(const H5::Group& group, Policy& p) {
    namespace row = schema::replication_row;
    const h5::Table table(group.openDataSet(schema::policy::replications));
    Outcomes& o = p.outcomes;
    for (double r : table.numbers(row::replication))
        o.replication.push_back(whole(r));
    o.enrollment_duration_days = table.numbers(row::enrollment_duration_days);
    o.target_met_day = table.numbers(row::target_met_day);
    o.last_patient_last_visit_day = table.numbers(row::last_patient_last_visit_day);
    o.cost_total = table.numbers(row::cost_total);
    o.cost_site_staff = table.numbers((std::string(row::cost_prefix) + "site_staff").c_str());
    o.stock_outs = table.numbers(row::stock_outs);
    // Deviations of every kind and cause the file has (deviations_<kind>_<cause>).
    o.deviations.assign(o.replication.size(), 0.0);
    for (const std::string& member : table.members()) {
        if (!member.starts_with(row::deviations_prefix)) continue;
        const std::vector<double> c = table.numbers(member.c_str());
        for (std::size_t i = 0; i < c.size(); ++i)
            o.deviations[i] += std::isnan(c[i]) ? 0.0 : c[i];
    }
    p.enrollment_duration = describe(o.enrollment_duration_days);
    p.cost_total = describe(o.cost_total);
    p.target_met_day = describe(o.target_met_day);
}

void read_weekly(const H5::Group& group, Policy& p, const std::string& where) {
    H5::Group weekly = group.openGroup(schema::policy::weekly);
    p.week_length_days = count_or(weekly, schema::weekly::week_length_days, 7);
    if (p.week_length_days < 1 || p.week_length_days > 366)
        throw LoadError(where + " attribute 'week_length_days' is not a week length");
    p.randomised_bands = read_grid(weekly, schema::weekly::randomised_bands);
    if (p.randomised_bands.empty() || p.randomised_bands.cols != 5)
        throw LoadError("missing or malformed " + where + "/" + schema::weekly::randomised_bands +
                        " (weeks × 5 quantiles)");
    H5::DataSet bands = weekly.openDataSet(schema::weekly::randomised_bands);
    p.band_quantiles = {0.05, 0.25, 0.5, 0.75, 0.95};
    if (bands.attrExists(schema::weekly::quantiles))
        p.band_quantiles = h5::numbers(bands, schema::weekly::quantiles, 5);
}

void read_sites(const H5::Group& group, Policy& p) {
    namespace row = schema::site_row;
    const h5::Table table(group.openDataSet(schema::policy::sites));
    const auto ids = table.texts(row::id);
    const auto countries = table.texts(row::country);
    const auto rate = table.numbers(row::recruitment_rate_mean_per_day);
    const auto approval = table.numbers(row::approval_day_median);
    const auto activation = table.numbers(row::activation_day_median);
    const auto recruitment_end = table.numbers(row::recruitment_end_day_median);
    const auto last_activity = table.numbers(row::last_activity_day_median);
    const auto randomised = table.numbers(row::randomised_mean);
    const auto met = table.numbers(row::p_met_target);
    const auto stock_outs = table.numbers(row::stock_outs_mean);
    const auto deviations = table.numbers(row::deviations_mean);
    const auto target = table.numbers(row::target_randomised);
    for (std::size_t i = 0; i < ids.size(); ++i) {
        p.sites.push_back(Site{ids[i], countries[i], rate[i], approval[i], activation[i],
                               recruitment_end[i], last_activity[i], randomised[i], met[i],
                               stock_outs[i], deviations[i], whole(target[i], 0)});
    }
}

void read_site_weekly(const H5::Group& group, Policy& p, const std::string& where) {
    namespace sw = schema::site_weekly;
    H5::Group g = group.openGroup(schema::policy::site_weekly);
    p.staff_utilisation = read_grid(g, sw::staff_utilisation);
    p.equipment_utilisation = read_grid(g, sw::equipment_utilisation);
    p.equipment_down = read_grid(g, sw::equipment_down);
    p.equipment_conflicts = read_grid(g, sw::equipment_conflicts);
    p.randomised_mean = read_grid(g, sw::randomised);
    p.kits_on_hand = read_grid(g, sw::kits_on_hand);
    p.stock_outs = read_grid(g, sw::stock_outs);
    p.deviations = read_grid(g, sw::deviations);
    for (const Grid* grid :
         {&p.staff_utilisation, &p.equipment_utilisation, &p.equipment_down, &p.equipment_conflicts,
          &p.randomised_mean, &p.kits_on_hand, &p.stock_outs, &p.deviations}) {
        if (!grid->empty() && grid->rows != static_cast<int>(p.sites.size()))
            throw LoadError(where + " has " + std::to_string(grid->rows) + " rows for " +
                            std::to_string(p.sites.size()) + " sites");
    }
}

void read_anomalies(const H5::Group& group, Policy& p, const std::string& where) {
    namespace row = schema::event_row;
    H5::DataSet set = group.openDataSet(schema::policy::anomalies);
    const h5::Table table(set);
    Anomalies& a = p.anomalies;
    a.recorded = true;
    a.kinds = lines_of(text_or_empty(set, row::kinds));
    const auto replication = table.numbers(row::replication);
    const auto day = table.numbers(row::day);
    const auto site = table.numbers(row::site);
    const auto kind = table.numbers(row::kind);
    const int kinds = static_cast<int>(a.kinds.size());
    const int replications = std::max<int>(1, static_cast<int>(p.outcomes.replication.size()));
    a.per_replication.assign(kinds, 0.0);
    // First flag day per (site, kind, replication).
    std::map<std::tuple<int, int, int>, double> first;
    for (std::size_t i = 0; i < kind.size(); ++i) {
        const int k = whole(kind[i]);
        if (!(k >= 0 && k < kinds))
            throw LoadError(where + " row " + std::to_string(i) + ": kind " +
                            std::to_string(kind[i]) + " is not one of the " +
                            std::to_string(kinds) + " in its 'kinds' attribute");
        a.per_replication[k] += 1.0;    // a count until divided below
        if (!(site[i] >= 0)) continue;  // trial-wide
        const auto key = std::make_tuple(whole(site[i]), k, whole(replication[i]));
        const auto [it, fresh] = first.emplace(key, day[i]);
        if (!fresh) it->second = std::min(it->second, day[i]);
    }
    for (double& n : a.per_replication)
        n /= replications;
    std::map<std::pair<int, int>, std::vector<double>> by_site;
    for (const auto& [key, d] : first)
        by_site[{std::get<0>(key), std::get<1>(key)}].push_back(d);
    for (const auto& [key, days] : by_site) {
        a.sites.push_back(
            {key.first, key.second, double(days.size()) / replications, describe(days).p50});
    }
}

void read_metrics(const H5::Group& group, Policy& p) {
    namespace m = schema::metric;
    H5::Group metrics = group.openGroup(schema::policy::metrics);
    for (hsize_t i = 0; i < metrics.getNumObjs(); ++i) {
        Metric metric;
        metric.key = metrics.getObjnameByIdx(i);
        H5::Group g = metrics.openGroup(metric.key);
        metric.label = text_or_empty(g, m::label);
        metric.median = number_or(g, m::median, nan);
        metric.p10 = number_or(g, m::p10, nan);
        metric.p90 = number_or(g, m::p90, nan);
        metric.mean = number_or(g, m::mean, nan);
        metric.reached = count_or(g, m::reached, 0);
        p.metrics.push_back(std::move(metric));
    }
}

void read_traces(const H5::Group& group, Policy& p, Place& at, const std::string& base) {
    namespace row = schema::event_row;
    H5::Group traces = group.openGroup(schema::policy::traces);
    p.trace_kinds = lines_of(text_or_empty(traces, row::kinds));
    p.trace_deviation_causes = lines_of(text_or_empty(traces, row::deviation_causes));
    for (hsize_t i = 0; i < traces.getNumObjs(); ++i) {
        Trace trace;
        trace.name = traces.getObjnameByIdx(i);
        at.where = base + "/" + schema::policy::traces + "/" + trace.name;
        const h5::Table table(traces.openDataSet(trace.name));
        const auto day = table.numbers(row::day);
        const auto kind = table.numbers(row::kind);
        const auto site = table.numbers(row::site);
        const auto patient = table.numbers(row::patient);
        const auto visit = table.numbers(row::visit);
        const auto detail = table.numbers(row::detail);
        const auto value = table.numbers(row::value);
        trace.events.resize(day.size());
        for (std::size_t e = 0; e < day.size(); ++e) {
            trace.events[e] =
                TraceEvent{day[e],          whole(kind[e]),   whole(site[e]), whole(patient[e]),
                           whole(visit[e]), whole(detail[e]), value[e]};
        }
        p.traces.push_back(std::move(trace));
    }
}

void read_readout(const H5::Group& group, Policy& p, const std::string& where) {
    namespace ro = schema::readout;
    const H5::Group g = group.openGroup(schema::policy::readout);
    Readout r;
    r.analyses = lines_of(text_or_empty(g, ro::analysis_names));
    r.endpoints = lines_of(text_or_empty(g, ro::endpoint_names));
    r.arms = lines_of(text_or_empty(g, ro::arm_names));
    r.by_day = number_or(g, ro::by_day, nan);
    if (r.analyses.empty() || r.endpoints.empty() || r.arms.empty())
        throw LoadError(where + ": no analyses, endpoints or arms named");
    r.analysis_endpoint = h5::integers(g.openDataSet(ro::analysis_endpoint));
    if (r.analysis_endpoint.size() != r.analyses.size())
        throw LoadError(where + "/" + ro::analysis_endpoint + ": one per analysis expected");
    for (int e : r.analysis_endpoint) {
        if (e < 0 || e >= static_cast<int>(r.endpoints.size()))
            throw LoadError(where + "/" + ro::analysis_endpoint + ": no such endpoint");
    }
    r.p_readout_by = h5::numbers(g, ro::p_readout_by, r.analyses.size());
    const h5::Table table(g.openDataSet(ro::analyses));
    const std::vector<double> analysis = table.numbers(ro::analysis),
                              cutoff = table.numbers(ro::cutoff_day),
                              readout = table.numbers(ro::readout_day),
                              events = table.numbers(ro::events);
    std::vector<std::vector<double>> cutoffs(r.analyses.size()), readouts(r.analyses.size()),
        counts(r.analyses.size());
    r.per_analysis.resize(r.analyses.size());
    for (std::size_t i = 0; i < table.rows(); ++i) {
        const double a = analysis[i];
        if (!(a >= 0 && a < double(r.analyses.size())))
            throw LoadError(where + "/" + ro::analyses + ": analysis out of range");
        const auto k = static_cast<std::size_t>(a);
        ++r.per_analysis[k].replications;
        cutoffs[k].push_back(cutoff[i]);
        readouts[k].push_back(readout[i]);
        if (!std::isnan(cutoff[i])) counts[k].push_back(events[i]);
    }
    for (std::size_t k = 0; k < r.analyses.size(); ++k) {
        Readout::Analysis& a = r.per_analysis[k];
        a.cutoff_day = describe(std::move(cutoffs[k]));
        a.readout_day = describe(std::move(readouts[k]));
        a.reached = a.cutoff_day.count;
        a.events_median = describe(std::move(counts[k])).p50;
    }
    const Grid bands = read_grid(g, ro::events_bands);
    const int series = static_cast<int>(r.endpoints.size() * (r.arms.size() + 1));
    if (bands.cols != 5 || bands.rows % series != 0)
        throw LoadError(where + "/" + ro::events_bands +
                        ": (endpoints × (arms + 1) × weeks) × 5 expected");
    r.weeks = bands.rows / series;
    for (int s = 0; s < series; ++s) {
        Grid one{r.weeks, 5, {}};
        one.values.assign(bands.values.begin() + std::size_t(s) * r.weeks * 5,
                          bands.values.begin() + std::size_t(s + 1) * r.weeks * 5);
        r.events_bands.push_back(std::move(one));
    }
    p.readout = std::move(r);
}

void read_policy(const H5::Group& group, Policy& p, Place& at) {
    namespace pol = schema::policy;
    const std::string base = at.where;
    p.p_target_met_by_plan = number_or(group, pol::p_target_met_by_plan, nan);

    at.where = base + "/" + pol::replications;
    if (!group.nameExists(pol::replications)) throw LoadError("missing " + at.where);
    read_outcomes(group, p);

    at.where = base + "/" + pol::weekly;
    if (!group.nameExists(pol::weekly)) throw LoadError("missing " + at.where);
    read_weekly(group, p, at.where);

    at.where = base + "/" + pol::sites;
    if (group.nameExists(pol::sites)) read_sites(group, p);
    at.where = base + "/" + pol::site_weekly;
    if (group.nameExists(pol::site_weekly)) read_site_weekly(group, p, at.where);
    at.where = base + "/" + pol::anomalies;
    if (group.nameExists(pol::anomalies)) read_anomalies(group, p, at.where);
    at.where = base + "/" + pol::metrics;
    if (group.nameExists(pol::metrics)) read_metrics(group, p);
    at.where = base + "/" + pol::traces;
    if (group.nameExists(pol::traces)) read_traces(group, p, at, base);
    at.where = base + "/" + pol::readout;
    if (group.nameExists(pol::readout)) read_readout(group, p, at.where);
    at.where = base;
}

void read_header(const H5::Group& root, ResultsFile& r) {
    namespace attr = schema::root;
    r.trial_name = text_or_empty(root, attr::trial_name);
    r.start_date = text_or_empty(root, attr::start_date);
    r.currency = text_or_empty(root, attr::currency);
    r.engine = text_or_empty(root, attr::engine);
    r.tool_version = text_or_empty(root, attr::tool_version);
    r.created_utc = text_or_empty(root, attr::created_utc);
    r.command_line = text_or_empty(root, attr::command_line);
    r.seed = h5::unsigned_integer(root, attr::seed).value_or(0);
    r.replications = count_or(root, attr::replications, 0);
    r.randomisation_target = count_or(root, attr::randomisation_target, 0);
    r.plan_target_met_day = number_or(root, attr::plan_target_met_day, nan);
    if (root.nameExists(schema::scenario))
        r.scenario_text = h5::text(root.openDataSet(schema::scenario));
}

Observed read_observed(const H5::Group& root) {
    namespace obs = schema::observed;
    H5::Group g = root.openGroup(obs::group);
    Observed o;
    o.as_of_date = text_or_empty(g, obs::as_of_date);
    o.as_of_day = number_or(g, obs::as_of_day, nan);
    o.randomised_by_week = h5::integers(g.openDataSet(obs::randomised_by_week));
    return o;
}

Sweep read_sweep(const H5::Group& root) {
    namespace sw = schema::sweep;
    H5::Group g = root.openGroup(sw::group);
    Sweep s;
    s.design = text_or_empty(g, sw::design);
    s.keys = lines_of(text_or_empty(g, sw::keys));
    s.metric_medians = read_grid(g, sw::metric_medians);
    if (g.nameExists(sw::metric_medians))
        s.metric_keys = lines_of(text_or_empty(g.openDataSet(sw::metric_medians), sw::metric_keys));
    if (g.nameExists(sw::values)) {
        s.values = h5::text_matrix(g.openDataSet(sw::values));
        if (!s.values.empty() && s.values.front().size() != s.keys.size())
            throw LoadError("/sweep/values has " + std::to_string(s.values.front().size()) +
                            " columns for " + std::to_string(s.keys.size()) + " keys");
    }
    if (s.metric_medians.rows != static_cast<int>(s.values.size()) ||
        (!s.metric_medians.empty() &&
         s.metric_medians.cols != static_cast<int>(s.metric_keys.size())))
        throw LoadError("/sweep/metric_medians does not match its points and metric keys");
    return s;
}

Optimisation read_optimisation(const H5::Group& root) {
    namespace opt = schema::optimise;
    H5::Group g = root.openGroup(opt::group);
    Optimisation o;
    o.objective = text_or_empty(g, opt::objective);
    o.sense = text_or_empty(g, opt::sense);
    o.verdict = text_or_empty(g, opt::verdict);
    o.constraints = lines_of(text_or_empty(g, opt::constraints));
    o.candidate_sites = static_cast<int>(lines_of(text_or_empty(g, opt::candidate_sites)).size());
    o.chosen = count_or(g, opt::chosen_evaluation, -1);
    const h5::Table evaluations(g.openDataSet(opt::evaluations));
    o.objective_values = evaluations.numbers("objective");
    for (double v : evaluations.numbers("phase"))
        o.phase.push_back(whole(v, 0));
    for (double v : evaluations.numbers("sites_open"))
        o.sites_open.push_back(whole(v, 0));
    for (double v : evaluations.numbers("feasible"))
        o.feasible.push_back(v == 1);
    for (double v : evaluations.numbers("on_front"))
        o.on_front.push_back(v == 1);
    const int n = static_cast<int>(o.objective_values.size());
    o.constraint_values = read_grid(g, opt::constraint_values);
    if (o.constraint_values.rows != n ||
        o.constraint_values.cols != static_cast<int>(o.constraints.size()))
        throw LoadError(
            "/optimise/constraint_values does not match its evaluations and "
            "constraints");
    if (o.chosen < -1 || o.chosen >= n) throw LoadError("/optimise@chosen_evaluation is no row");
    if (g.nameExists(opt::validation)) {
        const h5::Table validation(g.openDataSet(opt::validation));
        const Grid bounds = read_grid(g, opt::validation_constraints);
        const std::vector<double> rows = validation.numbers("evaluation"),
                                  fresh = validation.numbers("objective"),
                                  feasible = validation.numbers("feasible"),
                                  chosen = validation.numbers("chosen");
        const int per = 3 * static_cast<int>(o.constraints.size());
        if (bounds.rows != static_cast<int>(rows.size()) || (bounds.rows > 0 && bounds.cols != per))
            throw LoadError("/optimise/validation_constraints does not match its rows");
        for (std::size_t v = 0; v < rows.size(); ++v) {
            Optimisation::Validated x;
            x.evaluation = whole(rows[v]);
            if (x.evaluation < 0 || x.evaluation >= n)
                throw LoadError("/optimise/validation names no evaluation");
            x.objective = fresh[v];
            x.feasible = feasible[v] == 1;
            x.chosen = chosen[v] == 1;
            for (int c = 0; c < per; ++c)
                x.constraints.push_back(bounds.at(static_cast<int>(v), c));
            o.validated.push_back(std::move(x));
        }
    }
    return o;
}

Sensitivity read_sensitivity(const H5::Group& root) {
    namespace sen = schema::sensitivity;
    H5::Group g = root.openGroup(sen::group);
    Sensitivity s;
    s.keys = lines_of(text_or_empty(g, sen::keys));
    s.outputs = lines_of(text_or_empty(g, sen::outputs));
    s.low = h5::series(g.openDataSet(sen::low));
    s.high = h5::series(g.openDataSet(sen::high));
    s.base = h5::series(g.openDataSet(sen::base));
    const int k = static_cast<int>(s.keys.size()), m = static_cast<int>(s.outputs.size());
    if (static_cast<int>(s.low.size()) != k || static_cast<int>(s.high.size()) != k ||
        static_cast<int>(s.base.size()) != m)
        throw LoadError("/sensitivity: its ranges and outputs do not match its keys and outputs");
    auto grid = [&](const char* name) {
        Grid out = read_grid(g, name);
        if (!out.empty() && (out.rows != k || out.cols != m))
            throw LoadError(std::string("/sensitivity/") + name + " is not keys × outputs");
        return out;
    };
    s.oat_low = grid(sen::oat_low);
    s.oat_high = grid(sen::oat_high);
    s.oat_effect = grid(sen::oat_effect);
    s.oat_effect_low = grid(sen::oat_effect_low);
    s.oat_effect_high = grid(sen::oat_effect_high);
    s.sobol = g.attrExists(sen::base_points);
    s.first = grid(sen::first);
    s.first_low = grid(sen::first_low);
    s.first_high = grid(sen::first_high);
    s.total = grid(sen::total);
    s.total_low = grid(sen::total_low);
    s.total_high = grid(sen::total_high);
    if (s.sobol && (s.first.empty() || s.total.empty() || s.first_low.empty() ||
                    s.first_high.empty() || s.total_low.empty() || s.total_high.empty()))
        throw LoadError("/sensitivity: a Sobol design without its indices");
    if (s.oat_effect.empty() != s.oat_low.empty() || s.oat_effect.empty() != s.oat_high.empty() ||
        s.oat_effect.empty() != s.oat_effect_low.empty() ||
        s.oat_effect.empty() != s.oat_effect_high.empty())
        throw LoadError("/sensitivity: one-at-a-time effects incomplete");
    return s;
}

}  // namespace

const Metric* Policy::metric(const std::string& key) const {
    for (const Metric& m : metrics)
        if (m.key == key) return &m;
    return nullptr;
}

ResultsFile load_results(const std::string& path) {
    if (const std::string problem = files::input_problem(path, false); !problem.empty())
        throw LoadError(path + ": " + problem);
    // First in a child process: the HDF5 library may crash or loop on a damaged file.
    if (const auto problem =
            h5::crashes_or_hangs([&] { read_results(path); }, h5::reading_time_limit(path)))
        throw LoadError(path + ": damaged results file: " + *problem);
    return read_results(path);
}

ResultsFile read_results(const std::string& path) {
    H5::Exception::dontPrint();
    if (const std::string problem = files::input_problem(path, false); !problem.empty())
        throw LoadError(path + ": " + problem);
    Place at;
    try {
        if (!H5::H5File::isHdf5(path)) throw LoadError("not an HDF5 file");
        H5::H5File file(path, H5F_ACC_RDONLY);
        H5::Group root = file.openGroup("/");
        if (text_or_empty(root, schema::root::format) != schema::format_name)
            throw LoadError(
                "not a trialtwin results file (the root attribute 'format' is not "
                "'trialtwin-results')");
        const int version = count_or(root, schema::root::format_version, 0);
        if (version != schema::format_version_value)
            throw LoadError("format_version " + std::to_string(version) +
                            " is not one this visualizer reads (1)");
        ResultsFile r;
        r.path = path;
        read_header(root, r);
        if (root.nameExists(schema::observed::group)) {
            at.where = std::string("/") + schema::observed::group;
            r.observed = read_observed(root);
        }

        at.where = std::string("/") + schema::policies;
        if (!root.nameExists(schema::policies)) throw LoadError("missing /policies");
        H5::Group policies = root.openGroup(schema::policies);
        for (hsize_t i = 0; i < policies.getNumObjs(); ++i) {
            Policy p;
            p.name = policies.getObjnameByIdx(i);
            p.label = p.name;
            at.where = "/policies/" + p.name;
            read_policy(policies.openGroup(p.name), p, at);
            r.policies.push_back(std::move(p));
        }
        if (r.policies.empty()) throw LoadError("/policies holds no policy");
        // In the order they were run (the baseline first: /policies@order); files without the
        // attribute: the scenario as written first, then the others by name.
        std::stable_partition(r.policies.begin(), r.policies.end(),
                              [](const Policy& p) { return p.name == "as_written"; });
        const std::vector<std::string> order =
            lines_of(text_or_empty(policies, schema::policy_order));
        auto rank = [&](const Policy& p) {
            return std::find(order.begin(), order.end(), p.name) - order.begin();
        };
        std::stable_sort(r.policies.begin(), r.policies.end(),
                         [&](const Policy& a, const Policy& b) { return rank(a) < rank(b); });

        at.where = std::string("/") + schema::sweep::group;
        if (root.nameExists(schema::sweep::group)) r.sweep = read_sweep(root);
        at.where = std::string("/") + schema::optimise::group;
        if (root.nameExists(schema::optimise::group)) r.optimisation = read_optimisation(root);
        at.where = std::string("/") + schema::sensitivity::group;
        if (root.nameExists(schema::sensitivity::group)) r.sensitivity = read_sensitivity(root);
        return r;
    } catch (const LoadError& e) {
        throw LoadError(path + ": " + e.what());
    } catch (const h5::ReadError& e) {
        throw LoadError(path + ": " + e.what());
    } catch (const H5::Exception& e) {
        throw LoadError(path + ": cannot read " + at.where + " (" + e.getDetailMsg() + ")");
    } catch (const std::bad_alloc&) {
        throw LoadError(path + ": " + at.where + " claims more data than this machine can hold");
    }
}

namespace {

Difference difference(const Policy& base, const Policy& other, const char* key, const char* label,
                      std::vector<double> Outcomes::*field) {
    Difference d;
    d.key = key;
    d.label = label;
    std::vector<double> diffs;
    const Outcomes &a = base.outcomes, &b = other.outcomes;
    // Pair by replication index (both tables are in replication order).
    std::size_t i = 0, k = 0;
    while (i < a.replication.size() && k < b.replication.size()) {
        if (a.replication[i] < b.replication[k]) {
            ++i;
        } else if (b.replication[k] < a.replication[i]) {
            ++k;
        } else {
            const double x = (a.*field)[i], y = (b.*field)[k];
            if (std::isfinite(x) && std::isfinite(y)) diffs.push_back(y - x);
            ++i, ++k;
        }
    }
    stats::RunningStats paired;
    for (double v : diffs)
        paired.add(v);
    const stats::MeanInterval interval = stats::mean_with_95_interval(paired);
    d.pairs = interval.count;
    d.spread = describe(std::move(diffs));
    d.mean = d.pairs > 0 ? interval.mean : nan;
    d.ci_low = interval.low;
    d.ci_high = interval.high;
    return d;
}

void compare_with_baseline(ResultsFile& f) {
    const Policy& base = f.policies.front();
    for (std::size_t i = 1; i < f.policies.size(); ++i) {
        Policy& p = f.policies[i];
        p.differences = {
            difference(base, p, "enrollment_duration_days", "enrollment duration (days)",
                       &Outcomes::enrollment_duration_days),
            difference(base, p, "target_met_day", "target met (day)", &Outcomes::target_met_day),
            difference(base, p, "last_patient_last_visit_day", "last patient last visit (day)",
                       &Outcomes::last_patient_last_visit_day),
            difference(base, p, "deviations", "deviations", &Outcomes::deviations),
            difference(base, p, "cost_site_staff", "site staff cost", &Outcomes::cost_site_staff),
            difference(base, p, "cost_total", "total cost", &Outcomes::cost_total),
        };
    }
}

}  // namespace

Workspace open_workspace(const std::vector<std::string>& paths) {
    Workspace w;
    for (const std::string& path : paths) {
        try {
            w.files.push_back(load_results(path));
        } catch (const LoadError& e) {
            w.errors.push_back(e.what());
        }
    }
    for (std::size_t f = 0; f < w.files.size(); ++f) {
        if (!w.files[f].sweep) compare_with_baseline(w.files[f]);
        for (Policy& p : w.files[f].policies) {
            p.file = static_cast<int>(f);
            if (w.files.size() > 1)
                p.label = std::filesystem::path(w.files[f].path).stem().string() + ": " + p.name;
            w.policies.push_back(&p);
        }
    }
    return w;
}

}  // namespace viz
