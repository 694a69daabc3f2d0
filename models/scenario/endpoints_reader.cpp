// [[endpoints]] and [[analyses]]: each endpoint's time-to-event model per arm (a control
// distribution with hazard ratios, or each arm's own), censoring, and whether the event ends
// treatment; each analysis' triggers and delays, with information fractions resolved into
// event counts against the endpoint's final analysis.

#include "models/scenario/endpoints_reader.hpp"

#include <cmath>
#include <map>
#include <set>

namespace trial::toml_reading {
namespace {

constexpr double days_a_month = 365.25 / 12.0;
constexpr Range median_months{0, 1'200, true};  // a century
constexpr Range weibull_shape{0.05, 20};
constexpr Range hazard_ratio{0, 100, true};
constexpr Range cure_fraction{0, 1, false, true};  // [0, 1)
constexpr Range events{1, 10'000'000};
constexpr Range information_fraction{0, 1, true};  // (0, 1]

// A median from median_days or median_months (one of them); nullopt if neither.
std::optional<double> median_days(Table& t) {
    const bool in_days = t.has("median_days"), in_months = t.has("median_months");
    if (in_days && in_months)
        t.error("median_months", "give median_days or median_months, not both");
    if (in_days) return t.number("median_days", limits::positive_days);
    if (in_months) {
        const std::optional<double> months = t.number("median_months", median_months);
        if (months) return *months * days_a_month;
    }
    return std::nullopt;
}

// The time-to-event keys of a table: an endpoint's (its control arm) or one arm's own.
EventTimeModel read_model(Table& t) {
    EventTimeModel m;
    const std::string kind = t.required_string("distribution");
    if (kind == "exponential") {
        m.kind = EventTimeModel::Kind::exponential;
        const std::optional<double> median = median_days(t);
        if (t.has("hazard_per_year")) {
            if (median) t.error("hazard_per_year", "give a median or hazard_per_year, not both");
            m.rate_per_day = t.number("hazard_per_year", 0.0, limits::per_year) / 365.25;
            if (m.rate_per_day <= 0) t.error("hazard_per_year", "must be > 0");
        } else if (median) {
            m.rate_per_day = std::log(2.0) / *median;
        } else if (!t.has("median_days")) {
            t.missing("median_months");
        }
    } else if (kind == "weibull") {
        m.kind = EventTimeModel::Kind::weibull;
        m.shape = t.required_number("shape", weibull_shape);
        const std::optional<double> median = median_days(t);
        if (t.has("scale_days")) {
            if (median) t.error("scale_days", "give a median or scale_days, not both");
            m.scale_days = t.number("scale_days", 1.0, limits::positive_days);
        } else if (median) {
            // S(median) = 1/2: (median / scale)^shape = ln 2.
            m.scale_days = *median / std::pow(std::log(2.0), 1.0 / m.shape);
        } else if (!t.has("median_days")) {
            t.missing("median_months");
        }
    } else if (kind == "piecewise_exponential") {
        m.kind = EventTimeModel::Kind::piecewise_exponential;
        const bool in_months = t.has("piece_starts_months");
        const char* starts_key = in_months ? "piece_starts_months" : "piece_starts_days";
        if (!t.has(starts_key)) t.missing("piece_starts_days");
        for (double start : t.numbers(starts_key, limits::days))
            m.piece_starts_days.push_back(in_months ? start * days_a_month : start);
        if (!t.has("hazards_per_year")) t.missing("hazards_per_year");
        for (double h : t.numbers("hazards_per_year", limits::per_year))
            m.piece_hazards_per_day.push_back(h / 365.25);
        const auto& starts = m.piece_starts_days;
        if (!starts.empty() && starts.front() != 0.0) t.error(starts_key, "must start at 0");
        for (std::size_t i = 1; i < starts.size(); ++i) {
            if (starts[i] <= starts[i - 1]) t.error(starts_key, "must increase");
        }
        if (starts.size() != m.piece_hazards_per_day.size()) {
            t.error("hazards_per_year", "needs one hazard for each of " + std::string(starts_key));
        } else if (!starts.empty() && m.piece_hazards_per_day.back() <= 0) {
            t.error("hazards_per_year",
                    "the last must be > 0 (else some never have the event: "
                    "say so with cure_fraction)");
        }
        if (starts.empty() && t.has(starts_key)) t.error(starts_key, "needs at least one piece");
    } else if (!kind.empty()) {
        t.error("distribution", "unknown distribution \"" + kind +
                                    "\" (use exponential, weibull or piecewise_exponential)");
    }
    m.cure_fraction = t.number("cure_fraction", 0.0, cure_fraction);
    return m;
}

int arm_index(const Scenario& s, const std::string& name) {
    for (std::size_t a = 0; a < s.trial.arms.size(); ++a) {
        if (s.trial.arms[a].name == name) return static_cast<int>(a);
    }
    return -1;
}

std::string arm_names(const Scenario& s) {
    std::vector<std::string> names;
    for (const Arm& arm : s.trial.arms)
        names.push_back("\"" + arm.name + "\"");
    return join(names);
}

}  // namespace

void read_endpoints(Errors& errors, Table& top, Scenario& s) {
    std::set<std::string> names;
    for_each_table(errors, top, "endpoints", [&](Table& t) {
        EndpointSpec e;
        e.name = t.required_string("name");
        if (!e.name.empty() && !names.insert(e.name).second)
            t.error("name", "duplicate endpoint \"" + e.name + "\"");
        e.lost_to_follow_up_rate_per_year =
            t.number("lost_to_follow_up_rate_per_year", 0.0, limits::per_year);
        e.ends_treatment = t.boolean("ends_treatment", false);

        // Each arm's own model, if given.
        const std::size_t arms = s.trial.arms.size();
        std::vector<std::optional<EventTimeModel>> own(arms);
        if (const toml::table* by_arm = t.table("by_arm")) {
            Table bt(errors, *by_arm, t.key_path("by_arm"));
            for (auto&& [name, node] : *by_arm) {
                const int a = arm_index(s, std::string(name.str()));
                const toml::table* arm_table = bt.table(name.str());
                if (a < 0) {
                    bt.error(name.str(), "unknown arm \"" + std::string(name.str()) +
                                             "\" (arms: " + arm_names(s) + ")");
                } else if (arm_table) {
                    Table at(errors, *arm_table, bt.key_path(name.str()));
                    own[a] = read_model(at);
                    at.finish();
                }
            }
            bt.finish();
        }
        // The control arm's model, and hazard ratios against it.
        std::optional<EventTimeModel> control;
        if (t.has("distribution")) control = read_model(t);
        int control_arm = 0;
        if (t.has("control_arm")) {
            const std::string name = t.string("control_arm", "");
            control_arm = arm_index(s, name);
            if (control_arm < 0)
                t.error("control_arm", "unknown arm \"" + name + "\" (arms: " + arm_names(s) + ")");
        }
        std::vector<double> ratio(arms, 1.0);
        if (const toml::table* ratios = t.table("hazard_ratio")) {
            if (!control) t.error("hazard_ratio", "needs the control arm's distribution here");
            Table rt(errors, *ratios, t.key_path("hazard_ratio"));
            for (auto&& [name, node] : *ratios) {
                const int a = arm_index(s, std::string(name.str()));
                const std::optional<double> hr = rt.number(name.str(), hazard_ratio);
                if (a < 0) {
                    rt.error(name.str(), "unknown arm \"" + std::string(name.str()) +
                                             "\" (arms: " + arm_names(s) + ")");
                } else if (a == control_arm) {
                    rt.error(name.str(), "is the control arm (its hazard ratio is 1)");
                } else if (own[a]) {
                    rt.error(name.str(), "arm has its own distribution under by_arm");
                } else if (hr) {
                    ratio[a] = *hr;
                }
            }
            rt.finish();
        }
        for (std::size_t a = 0; a < arms; ++a) {
            if (own[a]) {
                e.by_arm.push_back(*own[a]);
            } else if (control) {
                EventTimeModel m = *control;
                m.hazard_ratio = ratio[a];
                e.by_arm.push_back(m);
            } else {
                t.error("distribution", "arm \"" + s.trial.arms[a].name +
                                            "\" has no time-to-event model: give the control "
                                            "arm's distribution here, or by_arm." +
                                            s.trial.arms[a].name);
            }
        }
        s.endpoints.push_back(std::move(e));
    });
    if (top.has("endpoints") && s.endpoints.empty() && top.array("endpoints"))
        top.error("endpoints", "needs at least one endpoint");
}

void read_analyses(Errors& errors, Table& top, Scenario& s,
                   const std::optional<toml::date>& start) {
    std::set<std::string> names;
    // Per analysis: its information fraction, and where it was written.
    std::vector<std::optional<double>> fractions;
    std::vector<toml::source_region> where;
    auto day_of = [&](Table& t, std::string_view key) -> std::optional<double> {
        const std::optional<toml::date> date = t.date(key);
        if (!date || !start) return std::nullopt;
        const int day = days_between(*start, *date);
        if (day <= 0) {
            t.error(key, "must be after [trial] start_date");
            return std::nullopt;
        }
        if (day > s.trial.horizon_days) {
            t.error(key, "is after the horizon (day " + std::to_string(day) + " > horizon_days " +
                             std::to_string(static_cast<long long>(s.trial.horizon_days)) + ")");
        }
        return day;
    };
    for_each_table(errors, top, "analyses", [&](Table& t) {
        AnalysisSpec a;
        a.name = t.required_string("name");
        if (!a.name.empty() && !names.insert(a.name).second)
            t.error("name", "duplicate analysis \"" + a.name + "\"");
        if (s.endpoints.empty()) {
            t.error("endpoint", "needs an [[endpoints]] entry to count events of");
        }
        std::vector<std::string> known;
        for (const EndpointSpec& e : s.endpoints)
            known.push_back("\"" + e.name + "\"");
        if (t.has("endpoint")) {
            const std::string name = t.string("endpoint", "");
            a.endpoint = -1;
            for (std::size_t e = 0; e < s.endpoints.size(); ++e) {
                if (s.endpoints[e].name == name) a.endpoint = static_cast<int>(e);
            }
            if (a.endpoint < 0 && !s.endpoints.empty())
                t.error("endpoint",
                        "unknown endpoint \"" + name + "\" (endpoints: " + join(known) + ")");
        } else if (s.endpoints.size() > 1) {
            t.error("endpoint",
                    "missing: the scenario has several endpoints (" + join(known) + ")");
        }
        a.events = t.integer("events", events);
        const std::optional<double> fraction =
            t.number("information_fraction", information_fraction);
        if (a.events && t.has("information_fraction"))
            t.error("information_fraction", "give events or information_fraction, not both");
        const int most = s.trial.randomisation_target + s.trial.over_enrollment.value_or(0);
        if (a.events && *a.events > most) {
            t.error("events", "can never be reached: at most " + std::to_string(most) +
                                  " patients are randomised");
        }
        a.calendar_day = day_of(t, "calendar_date");
        a.max_day = day_of(t, "max_date");
        if (t.has("min_follow_up_days") && t.has("min_follow_up_months"))
            t.error("min_follow_up_months", "give min_follow_up_days or _months, not both");
        a.min_follow_up_days = t.number("min_follow_up_days", limits::days);
        if (const auto months = t.number("min_follow_up_months", median_months))
            a.min_follow_up_days = *months * days_a_month;
        a.min_days_since_previous = t.number("min_days_since_previous", limits::days);
        if (!(t.has("events") || t.has("information_fraction") || t.has("calendar_date") ||
              t.has("min_follow_up_days") || t.has("min_follow_up_months") || t.has("max_date"))) {
            t.error("events",
                    "missing: an analysis needs a trigger (events, "
                    "information_fraction, calendar_date, min_follow_up_days or "
                    "max_date)");
        }
        if (a.calendar_day && a.max_day && *a.max_day < *a.calendar_day)
            t.error("max_date", "is before calendar_date");
        a.cutoff_to_lock_days = t.delay("cutoff_to_lock_days").value_or(Delay{});
        a.lock_to_readout_days = t.delay("lock_to_readout_days").value_or(Delay{});
        fractions.push_back(fraction);
        where.push_back(t.where(fraction ? "information_fraction" : "name"));
        s.analyses.push_back(std::move(a));
    });
    // Information fractions of the endpoint's final analysis (its last) events; event targets
    // of one endpoint must grow from analysis to analysis.
    for (std::size_t i = 0; i < s.analyses.size(); ++i) {
        AnalysisSpec& a = s.analyses[i];
        const std::string path = "analyses[" + std::to_string(i) + "]";
        if (!fractions[i]) continue;
        const AnalysisSpec* final_one = nullptr;
        for (const AnalysisSpec& b : s.analyses) {
            if (b.endpoint == a.endpoint) final_one = &b;
        }
        if (final_one == &a || !final_one->events) {
            errors.add(where[i], path + ".information_fraction",
                       "needs a later analysis of the same endpoint with events = N (the final "
                       "analysis' events it is a fraction of)");
            continue;
        }
        a.events = std::max(1, static_cast<int>(std::ceil(*fractions[i] * *final_one->events)));
    }
    std::map<int, int> events_so_far;
    for (std::size_t i = 0; i < s.analyses.size(); ++i) {
        const AnalysisSpec& a = s.analyses[i];
        if (!a.events) continue;
        int& before = events_so_far[a.endpoint];
        if (*a.events <= before) {
            errors.add(where[i], "analyses[" + std::to_string(i) + "].events",
                       "needs more events than an earlier analysis of the endpoint (" +
                           std::to_string(before) + ")");
        }
        before = std::max(before, *a.events);
    }
    if (top.has("analyses") && s.analyses.empty() && top.array("analyses"))
        top.error("analyses", "needs at least one analysis");
}

}  // namespace trial::toml_reading
