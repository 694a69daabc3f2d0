// Reads a trialtwin results file (results/README.md) into viz::ResultsFile. Optional parts
// (traces, a sweep, series added in later format revisions) may be absent; what the charts
// cannot do without is checked, and its absence named in the error.

#include <H5Cpp.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <limits>
#include <map>
#include <sstream>
#include <tuple>

#include "models/stats/paired_difference.hpp"
#include "viz/results.hpp"

namespace viz {
namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);)
        out.push_back(line);
    return out;
}

bool has_attribute(const H5::H5Object& object, const char* name) {
    return object.attrExists(name);
}

std::string string_attribute(const H5::H5Object& object, const char* name) {
    if (!has_attribute(object, name)) return {};
    H5::Attribute a = object.openAttribute(name);
    std::string value;
    a.read(a.getStrType(), value);
    return value;
}

template <typename T>
T number_attribute(const H5::H5Object& object, const char* name, T fallback) {
    if (!has_attribute(object, name)) return fallback;
    T value{};
    H5::Attribute a = object.openAttribute(name);
    if constexpr (std::is_same_v<T, double>) {
        a.read(H5::PredType::NATIVE_DOUBLE, &value);
    } else if constexpr (std::is_same_v<T, std::uint64_t>) {
        a.read(H5::PredType::NATIVE_UINT64, &value);
    } else {
        a.read(H5::PredType::NATIVE_INT, &value);
    }
    return value;
}

std::string scalar_string(const H5::Group& group, const char* name) {
    if (!group.nameExists(name)) return {};
    H5::DataSet d = group.openDataSet(name);
    std::string value;
    d.read(value, d.getStrType());
    return value;
}

hsize_t rows_of(const H5::DataSet& d) {
    hsize_t dims[2] = {0, 0};
    d.getSpace().getSimpleExtentDims(dims);
    return dims[0];
}

bool has_member(const H5::DataSet& table, const char* member) {
    try {
        return table.getCompType().getMemberIndex(member) >= 0;
    } catch (const H5::Exception&) {
        return false;  // getMemberIndex throws for a name the type does not have
    }
}

// One member of a compound table, converted to double; NaN everywhere if the file lacks it.
std::vector<double> column(const H5::DataSet& table, const char* member) {
    const hsize_t n = rows_of(table);
    std::vector<double> out(n, nan);
    if (!has_member(table, member) || n == 0) return out;
    H5::CompType t(sizeof(double));
    t.insertMember(member, 0, H5::PredType::NATIVE_DOUBLE);
    table.read(out.data(), t);
    return out;
}

std::vector<std::string> string_column(const H5::DataSet& table, const char* member) {
    const hsize_t n = rows_of(table);
    std::vector<std::string> out(n);
    if (!has_member(table, member) || n == 0) return out;
    const H5::CompType file_type = table.getCompType();
    const std::size_t width =
        file_type.getMemberDataType(file_type.getMemberIndex(member)).getSize();
    std::vector<char> buffer(n * width);
    H5::CompType t(width);
    t.insertMember(member, 0, H5::StrType(H5::PredType::C_S1, width));
    table.read(buffer.data(), t);
    for (hsize_t i = 0; i < n; ++i) {
        const char* s = buffer.data() + i * width;
        out[i].assign(s, strnlen(s, width));
    }
    return out;
}

Grid read_grid(const H5::Group& group, const char* name) {
    Grid g;
    if (!group.nameExists(name)) return g;
    H5::DataSet d = group.openDataSet(name);
    H5::DataSpace space = d.getSpace();
    if (space.getSimpleExtentNdims() != 2) throw LoadError(std::string(name) + " is not a matrix");
    hsize_t dims[2];
    space.getSimpleExtentDims(dims);
    g.rows = static_cast<int>(dims[0]);
    g.cols = static_cast<int>(dims[1]);
    g.values.resize(dims[0] * dims[1]);
    if (!g.values.empty()) d.read(g.values.data(), H5::PredType::NATIVE_FLOAT);
    return g;
}

// The loader says where it was when something failed.
struct Place {
    std::string where = "/";
};

void read_policy(const H5::Group& group, Policy& p, Place& at) {
    const std::string base = at.where;
    p.p_target_met_by_plan = number_attribute(group, "p_target_met_by_plan", nan);

    at.where = base + "/replications";
    if (!group.nameExists("replications")) throw LoadError("missing " + at.where);
    {
        H5::DataSet table = group.openDataSet("replications");
        Outcomes& o = p.outcomes;
        for (double r : column(table, "replication"))
            o.replication.push_back(static_cast<int>(r));
        o.enrollment_duration_days = column(table, "enrollment_duration_days");
        o.target_met_day = column(table, "target_met_day");
        o.last_patient_last_visit_day = column(table, "last_patient_last_visit_day");
        o.cost_total = column(table, "cost_total");
        o.cost_site_staff = column(table, "cost_site_staff");
        o.stock_outs = column(table, "stock_outs");
        o.deviations.assign(o.replication.size(), 0.0);
        for (const char* kind : {"early", "late", "missed"}) {
            for (const char* cause : {"staff", "equipment", "kit"}) {
                const std::string member = std::string("deviations_") + kind + "_" + cause;
                const std::vector<double> c = column(table, member.c_str());
                for (std::size_t i = 0; i < c.size(); ++i)
                    o.deviations[i] += std::isnan(c[i]) ? 0.0 : c[i];
            }
        }
        p.enrollment_duration = describe(o.enrollment_duration_days);
        p.cost_total = describe(o.cost_total);
        p.target_met_day = describe(o.target_met_day);
    }

    at.where = base + "/weekly/randomised_bands";
    if (!group.nameExists("weekly")) throw LoadError("missing " + base + "/weekly");
    {
        H5::Group weekly = group.openGroup("weekly");
        p.week_length_days = number_attribute(weekly, "week_length_days", 7);
        p.randomised_bands = read_grid(weekly, "randomised_bands");
        if (p.randomised_bands.empty() || p.randomised_bands.cols != 5)
            throw LoadError("missing or malformed " + at.where + " (weeks × 5 quantiles)");
        H5::DataSet bands = weekly.openDataSet("randomised_bands");
        p.band_quantiles = {0.05, 0.25, 0.5, 0.75, 0.95};
        if (bands.attrExists("quantiles")) {
            bands.openAttribute("quantiles")
                .read(H5::PredType::NATIVE_DOUBLE, p.band_quantiles.data());
        }
    }

    at.where = base + "/sites";
    if (group.nameExists("sites")) {
        H5::DataSet table = group.openDataSet("sites");
        const auto ids = string_column(table, "id");
        const auto countries = string_column(table, "country");
        const auto rate = column(table, "recruitment_rate_mean_per_day");
        const auto approval = column(table, "approval_day_median");
        const auto activation = column(table, "activation_day_median");
        const auto recruitment_end = column(table, "recruitment_end_day_median");
        const auto last_activity = column(table, "last_activity_day_median");
        const auto randomised = column(table, "randomised_mean");
        const auto met = column(table, "p_met_target");
        const auto stock_outs = column(table, "stock_outs_mean");
        const auto deviations = column(table, "deviations_mean");
        const auto target = column(table, "target_randomised");
        for (std::size_t i = 0; i < ids.size(); ++i) {
            p.sites.push_back(Site{ids[i], countries[i], rate[i], approval[i], activation[i],
                                   recruitment_end[i], last_activity[i], randomised[i], met[i],
                                   stock_outs[i], deviations[i],
                                   std::isnan(target[i]) ? 0 : static_cast<int>(target[i])});
        }
    }

    at.where = base + "/site_weekly";
    if (group.nameExists("site_weekly")) {
        H5::Group g = group.openGroup("site_weekly");
        p.staff_utilisation = read_grid(g, "staff_utilisation_mean");
        p.equipment_utilisation = read_grid(g, "equipment_utilisation_mean");
        p.equipment_down = read_grid(g, "equipment_down_mean");
        p.equipment_conflicts = read_grid(g, "equipment_conflicts_mean");
        p.randomised_mean = read_grid(g, "randomised_mean");
        p.kits_on_hand = read_grid(g, "kits_on_hand_mean");
        p.stock_outs = read_grid(g, "stock_outs_mean");
        p.deviations = read_grid(g, "deviations_mean");
        for (const Grid* grid : {&p.staff_utilisation, &p.equipment_utilisation, &p.equipment_down,
                                 &p.equipment_conflicts, &p.randomised_mean, &p.kits_on_hand,
                                 &p.stock_outs, &p.deviations}) {
            if (!grid->empty() && grid->rows != static_cast<int>(p.sites.size()))
                throw LoadError(at.where + " has " + std::to_string(grid->rows) + " rows for " +
                                std::to_string(p.sites.size()) + " sites");
        }
    }

    at.where = base + "/anomalies";
    if (group.nameExists("anomalies")) {
        H5::DataSet table = group.openDataSet("anomalies");
        Anomalies& a = p.anomalies;
        a.recorded = true;
        a.kinds = lines_of(string_attribute(table, "kinds"));
        const auto replication = column(table, "replication");
        const auto day = column(table, "day");
        const auto site = column(table, "site");
        const auto kind = column(table, "kind");
        const int kinds = static_cast<int>(a.kinds.size());
        const int replications = std::max<int>(1, static_cast<int>(p.outcomes.replication.size()));
        a.per_replication.assign(kinds, 0.0);
        // First flag day per (site, kind, replication).
        std::map<std::tuple<int, int, int>, double> first;
        for (std::size_t i = 0; i < kind.size(); ++i) {
            const int k = static_cast<int>(kind[i]);
            if (!(k >= 0 && k < kinds))
                throw LoadError(at.where + " row " + std::to_string(i) + ": kind " +
                                std::to_string(kind[i]) + " is not one of the " +
                                std::to_string(kinds) + " in its 'kinds' attribute");
            a.per_replication[k] += 1.0;  // a count until divided below
            if (site[i] < 0) continue;    // trial-wide
            const auto key =
                std::make_tuple(static_cast<int>(site[i]), k, static_cast<int>(replication[i]));
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

    at.where = base + "/metrics";
    if (group.nameExists("metrics")) {
        H5::Group metrics = group.openGroup("metrics");
        for (hsize_t i = 0; i < metrics.getNumObjs(); ++i) {
            Metric m;
            m.key = metrics.getObjnameByIdx(i);
            H5::Group g = metrics.openGroup(m.key);
            m.label = string_attribute(g, "label");
            m.median = number_attribute(g, "median", nan);
            m.p10 = number_attribute(g, "p10", nan);
            m.p90 = number_attribute(g, "p90", nan);
            m.mean = number_attribute(g, "mean", nan);
            m.reached = number_attribute(g, "reached", 0);
            p.metrics.push_back(std::move(m));
        }
    }

    at.where = base + "/traces";
    if (group.nameExists("traces")) {
        H5::Group traces = group.openGroup("traces");
        p.trace_kinds = lines_of(string_attribute(traces, "kinds"));
        for (hsize_t i = 0; i < traces.getNumObjs(); ++i) {
            Trace trace;
            trace.name = traces.getObjnameByIdx(i);
            at.where = base + "/traces/" + trace.name;
            H5::DataSet table = traces.openDataSet(trace.name);
            const auto day = column(table, "day");
            const auto kind = column(table, "kind");
            const auto site = column(table, "site");
            const auto patient = column(table, "patient");
            const auto visit = column(table, "visit");
            const auto detail = column(table, "detail");
            const auto value = column(table, "value");
            trace.events.resize(day.size());
            for (std::size_t e = 0; e < day.size(); ++e) {
                trace.events[e] = TraceEvent{day[e],
                                             static_cast<int>(kind[e]),
                                             static_cast<int>(site[e]),
                                             static_cast<int>(patient[e]),
                                             static_cast<int>(visit[e]),
                                             static_cast<int>(detail[e]),
                                             value[e]};
            }
            p.traces.push_back(std::move(trace));
        }
    }
    at.where = base;
}

}  // namespace

const Metric* Policy::metric(const std::string& key) const {
    for (const Metric& m : metrics)
        if (m.key == key) return &m;
    return nullptr;
}

ResultsFile load_results(const std::string& path) {
    H5::Exception::dontPrint();
    if (!std::filesystem::exists(path)) throw LoadError(path + ": no such file");
    Place at;
    try {
        if (!H5::H5File::isHdf5(path)) throw LoadError("not an HDF5 file");
        H5::H5File file(path, H5F_ACC_RDONLY);
        H5::Group root = file.openGroup("/");
        if (string_attribute(root, "format") != "trialtwin-results")
            throw LoadError(
                "not a trialtwin results file (the root attribute 'format' is not "
                "'trialtwin-results')");
        const int version = number_attribute(root, "format_version", 0);
        if (version != 1)
            throw LoadError("format_version " + std::to_string(version) +
                            " is not one this visualizer reads (1)");
        ResultsFile r;
        r.path = path;
        r.trial_name = string_attribute(root, "trial_name");
        r.start_date = string_attribute(root, "start_date");
        r.currency = string_attribute(root, "currency");
        r.engine = string_attribute(root, "engine");
        r.tool_version = string_attribute(root, "tool_version");
        r.created_utc = string_attribute(root, "created_utc");
        r.command_line = string_attribute(root, "command_line");
        r.seed = number_attribute<std::uint64_t>(root, "seed", 0);
        r.replications = number_attribute(root, "replications", 0);
        r.randomisation_target = number_attribute(root, "randomisation_target", 0);
        r.plan_target_met_day = number_attribute(root, "plan_target_met_day", nan);
        r.scenario_text = scalar_string(root, "scenario");
        if (root.nameExists("observed")) {
            at.where = "/observed";
            H5::Group g = root.openGroup("observed");
            Observed o;
            o.as_of_date = string_attribute(g, "as_of_date");
            o.as_of_day = number_attribute(g, "as_of_day", nan);
            H5::DataSet series = g.openDataSet("randomised_by_week");
            o.randomised_by_week.resize(rows_of(series));
            if (!o.randomised_by_week.empty())
                series.read(o.randomised_by_week.data(), H5::PredType::NATIVE_INT);
            r.observed = std::move(o);
        }

        at.where = "/policies";
        if (!root.nameExists("policies")) throw LoadError("missing /policies");
        H5::Group policies = root.openGroup("policies");
        for (hsize_t i = 0; i < policies.getNumObjs(); ++i) {
            Policy p;
            p.name = policies.getObjnameByIdx(i);
            p.label = p.name;
            at.where = "/policies/" + p.name;
            read_policy(policies.openGroup(p.name), p, at);
            r.policies.push_back(std::move(p));
        }
        if (r.policies.empty()) throw LoadError("/policies holds no policy");
        // The scenario as written first, then the variants in the order they were stored.
        std::stable_partition(r.policies.begin(), r.policies.end(),
                              [](const Policy& p) { return p.name == "as_written"; });

        at.where = "/sweep";
        if (root.nameExists("sweep")) {
            H5::Group g = root.openGroup("sweep");
            Sweep s;
            s.design = string_attribute(g, "design");
            s.keys = lines_of(string_attribute(g, "keys"));
            s.metric_medians = read_grid(g, "metric_medians");
            if (g.nameExists("metric_medians"))
                s.metric_keys =
                    lines_of(string_attribute(g.openDataSet("metric_medians"), "metric_keys"));
            if (g.nameExists("values")) {
                H5::DataSet values = g.openDataSet("values");
                hsize_t dims[2] = {0, 0};
                values.getSpace().getSimpleExtentDims(dims);
                std::vector<char*> raw(dims[0] * dims[1], nullptr);
                H5::StrType type(H5::PredType::C_S1, H5T_VARIABLE);
                if (!raw.empty()) values.read(raw.data(), type);
                s.values.assign(dims[0], std::vector<std::string>(dims[1]));
                for (hsize_t i = 0; i < dims[0]; ++i)
                    for (hsize_t k = 0; k < dims[1]; ++k)
                        if (raw[i * dims[1] + k]) s.values[i][k] = raw[i * dims[1] + k];
                if (!raw.empty()) H5::DataSet::vlenReclaim(raw.data(), type, values.getSpace());
            }
            r.sweep = std::move(s);
        }
        return r;
    } catch (const LoadError& e) {
        throw LoadError(path + ": " + e.what());
    } catch (const H5::Exception& e) {
        throw LoadError(path + ": cannot read " + at.where + " (" + e.getDetailMsg() + ")");
    }
}

namespace {

Difference difference(const Policy& base, const Policy& other, const char* key, const char* label,
                      std::vector<double> Outcomes::*field) {
    Difference d{key, label};
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
