#include "models/scenario/scenario_loader.hpp"

#include <toml++/toml.h>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <fstream>
#include <set>
#include <sstream>

namespace trial {
namespace {

const char* type_name(toml::node_type type) {
    switch (type) {
        case toml::node_type::table:
            return "a table";
        case toml::node_type::array:
            return "an array";
        case toml::node_type::string:
            return "a string";
        case toml::node_type::integer:
            return "an integer";
        case toml::node_type::floating_point:
            return "a number";
        case toml::node_type::boolean:
            return "true/false";
        case toml::node_type::date:
            return "a date";
        case toml::node_type::time:
            return "a time";
        case toml::node_type::date_time:
            return "a date-time";
        default:
            return "nothing";
    }
}

std::string join(const std::vector<std::string>& items) {
    std::string out;
    for (const std::string& item : items)
        out += (out.empty() ? "" : ", ") + item;
    return out;
}

enum class Bound { any, non_negative, positive, below_one };

class Errors {
  public:
    explicit Errors(std::string file) : file_(std::move(file)) {}

    void add(const toml::source_region& where, std::string key, std::string message) {
        errors_.push_back({file_, static_cast<int>(where.begin.line),
                           static_cast<int>(where.begin.column), std::move(key),
                           std::move(message)});
    }
    std::vector<ScenarioError> sorted() && {
        std::stable_sort(errors_.begin(), errors_.end(), [](const auto& a, const auto& b) {
            return std::tie(a.line, a.column) < std::tie(b.line, b.column);
        });
        return std::move(errors_);
    }
    bool empty() const { return errors_.empty(); }

  private:
    std::string file_;
    std::vector<ScenarioError> errors_;
};

// Reads one TOML table: each getter checks type and bounds and marks the key as known;
// finish() reports the keys nobody asked for.
class Table {
  public:
    Table(Errors& errors, const toml::table& table, std::string path)
        : errors_(errors), table_(table), path_(std::move(path)) {}

    const std::string& path() const { return path_; }
    const toml::source_region& where() const { return table_.source(); }
    // Where `key` is written, or the table itself if it is not.
    const toml::source_region& where(std::string_view key) const {
        const toml::node* node = table_.get(key);
        return node ? node->source() : table_.source();
    }
    std::string key_path(std::string_view key) const {
        return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
    }
    void error(std::string_view key, std::string message) {
        const toml::node* node = table_.get(key);
        errors_.add(node ? node->source() : table_.source(), key_path(key), std::move(message));
    }
    bool has(std::string_view key) {
        known_.insert(std::string(key));
        return table_.get(key) != nullptr;
    }

    std::optional<double> number(std::string_view key, Bound bound = Bound::any) {
        const toml::node* node = get(key);
        if (!node) return std::nullopt;
        double value;
        if (auto* i = node->as_integer()) {
            value = static_cast<double>(i->get());
        } else if (auto* f = node->as_floating_point()) {
            value = f->get();
        } else {
            return wrong_type(key, *node, "a number");
        }
        if (!std::isfinite(value)) {
            error(key, "must be a finite number");
            return std::nullopt;
        }
        if (!check_bound(key, value, bound)) return std::nullopt;
        return value;
    }
    double number(std::string_view key, double fallback, Bound bound) {
        return number(key, bound).value_or(fallback);
    }
    double required_number(std::string_view key, Bound bound) {
        if (!has(key)) missing(key);
        return number(key, 0.0, bound);
    }

    std::optional<int> integer(std::string_view key, Bound bound = Bound::any) {
        const toml::node* node = get(key);
        if (!node) return std::nullopt;
        const auto* i = node->as_integer();
        if (!i) return wrong_type(key, *node, "an integer");
        const std::int64_t value = i->get();
        if (value > 1'000'000'000 || value < -1'000'000'000) {
            error(key, "is out of range");
            return std::nullopt;
        }
        if (!check_bound(key, static_cast<double>(value), bound)) return std::nullopt;
        return static_cast<int>(value);
    }
    int integer(std::string_view key, int fallback, Bound bound) {
        return integer(key, bound).value_or(fallback);
    }
    int required_integer(std::string_view key, Bound bound) {
        if (!has(key)) missing(key);
        return integer(key, 0, bound);
    }

    bool boolean(std::string_view key, bool fallback) {
        const toml::node* node = get(key);
        if (!node) return fallback;
        if (const auto* b = node->as_boolean()) return b->get();
        wrong_type(key, *node, "true or false");
        return fallback;
    }

    std::optional<std::string> string(std::string_view key) {
        const toml::node* node = get(key);
        if (!node) return std::nullopt;
        if (const auto* s = node->as_string()) return s->get();
        return wrong_type(key, *node, "a string");
    }
    std::string string(std::string_view key, std::string fallback) {
        return string(key).value_or(std::move(fallback));
    }
    std::string required_string(std::string_view key) {
        if (!has(key)) missing(key);
        std::string value = string(key, "");
        if (has(key) && value.empty() && table_.get(key)->is_string()) {
            error(key, "must not be empty");
        }
        return value;
    }

    std::optional<toml::date> date(std::string_view key) {
        const toml::node* node = get(key);
        if (!node) return std::nullopt;
        if (const auto* d = node->as_date()) return d->get();
        return wrong_type(key, *node, "a date (YYYY-MM-DD, without quotes)");
    }

    const toml::table* table(std::string_view key) {
        const toml::node* node = get(key);
        if (!node) return nullptr;
        if (const auto* t = node->as_table()) return t;
        wrong_type(key, *node, "a table");
        return nullptr;
    }
    const toml::array* array(std::string_view key) {
        const toml::node* node = get(key);
        if (!node) return nullptr;
        if (const auto* a = node->as_array()) return a;
        wrong_type(key, *node, "an array");
        return nullptr;
    }

    std::vector<std::string> strings(std::string_view key) {
        std::vector<std::string> out;
        const toml::array* items = array(key);
        if (!items) return out;
        for (std::size_t i = 0; i < items->size(); ++i) {
            const toml::node& item = *items->get(i);
            if (const auto* s = item.as_string()) {
                out.push_back(s->get());
            } else {
                errors_.add(item.source(), key_path(key) + "[" + std::to_string(i) + "]",
                            std::string("must be a string, not ") + type_name(item.type()));
            }
        }
        return out;
    }

    // A delay in days: a number, or { distribution = "...", ... }.
    std::optional<Delay> delay(std::string_view key) {
        const toml::node* node = get(key);
        if (!node) return std::nullopt;
        if (node->is_integer() || node->is_floating_point()) {
            const double days = number(key, Bound::any).value_or(0.0);
            if (days < 0) {
                error(key, "must be >= 0 days");
                return std::nullopt;
            }
            return Delay::fixed(days);
        }
        const toml::table* spec = node->as_table();
        if (!spec) return wrong_type(key, *node, "a number of days or a distribution table");
        Table t(errors_, *spec, key_path(key));
        Delay d;
        const std::string kind = t.required_string("distribution");
        if (kind == "fixed") {
            d.kind = Delay::Kind::fixed;
            d.days = t.required_number("days", Bound::non_negative);
        } else if (kind == "uniform") {
            d.kind = Delay::Kind::uniform;
            d.min_days = t.required_number("min", Bound::non_negative);
            d.max_days = t.required_number("max", Bound::non_negative);
            if (d.max_days < d.min_days) t.error("max", "must be >= min");
        } else if (kind == "triangular") {
            d.kind = Delay::Kind::triangular;
            d.min_days = t.required_number("min", Bound::non_negative);
            d.mode_days = t.required_number("mode", Bound::non_negative);
            d.max_days = t.required_number("max", Bound::non_negative);
            if (!(d.min_days <= d.mode_days && d.mode_days <= d.max_days) ||
                d.min_days == d.max_days) {
                t.error("mode", "needs min <= mode <= max with min < max");
            }
        } else if (kind == "lognormal") {
            d.kind = Delay::Kind::lognormal;
            d.median_days = t.required_number("median", Bound::positive);
            d.sigma = t.required_number("sigma", Bound::non_negative);
        } else if (kind == "gamma") {
            d.kind = Delay::Kind::gamma;
            d.mean_days = t.required_number("mean", Bound::positive);
            d.shape = t.required_number("shape", Bound::positive);
        } else if (kind == "exponential") {
            d.kind = Delay::Kind::exponential;
            d.mean_days = t.required_number("mean", Bound::positive);
        } else if (!kind.empty()) {
            t.error("distribution",
                    "unknown distribution \"" + kind +
                        "\" (use fixed, uniform, triangular, lognormal, gamma or exponential)");
        }
        t.finish();
        return d;
    }

    void missing(std::string_view key) {
        errors_.add(table_.source(), key_path(key), "missing required key");
    }

    void finish() {
        for (auto&& [key, node] : table_) {
            if (known_.count(std::string(key.str()))) continue;
            errors_.add(key.source(), key_path(key.str()),
                        "unknown key (allowed here: " + allowed() + ")");
        }
    }

  private:
    const toml::node* get(std::string_view key) {
        known_.insert(std::string(key));
        return table_.get(key);
    }
    std::nullopt_t wrong_type(std::string_view key, const toml::node& node, const char* wanted) {
        error(key, std::string("must be ") + wanted + ", not " + type_name(node.type()));
        return std::nullopt;
    }
    bool check_bound(std::string_view key, double value, Bound bound) {
        switch (bound) {
            case Bound::any:
                return true;
            case Bound::non_negative:
                if (value >= 0) return true;
                error(key, "must be >= 0");
                return false;
            case Bound::positive:
                if (value > 0) return true;
                error(key, "must be > 0");
                return false;
            case Bound::below_one:
                if (value >= 0 && value < 1) return true;
                error(key, "must be >= 0 and < 1");
                return false;
        }
        return true;
    }
    std::string allowed() const {
        std::vector<std::string> names(known_.begin(), known_.end());
        return join(names);
    }

    Errors& errors_;
    const toml::table& table_;
    std::string path_;
    std::set<std::string> known_;
};

// Iterates an array of tables ([[sites]] and the like), reporting non-table entries.
template <class F>
void for_each_table(Errors& errors, Table& parent, std::string_view key, F&& read) {
    const toml::array* items = parent.array(key);
    if (!items) return;
    for (std::size_t i = 0; i < items->size(); ++i) {
        const toml::node& item = *items->get(i);
        const std::string path = parent.key_path(key) + "[" + std::to_string(i) + "]";
        if (const toml::table* t = item.as_table()) {
            Table table(errors, *t, path);
            read(table);
            table.finish();
        } else {
            errors.add(item.source(), path,
                       std::string("must be a table, not ") + type_name(item.type()));
        }
    }
}

int days_between(const toml::date& from, const toml::date& to) {
    using namespace std::chrono;
    const sys_days a{year{from.year} / month{from.month} / day{from.day}};
    const sys_days b{year{to.year} / month{to.month} / day{to.day}};
    return static_cast<int>((b - a).count());
}

std::string iso(const toml::date& d) {
    char text[16];
    std::snprintf(text, sizeof text, "%04d-%02d-%02d", d.year, d.month, d.day);
    return text;
}

// toml++ already rejects impossible dates (2027-02-30) as syntax errors.
std::optional<toml::date> valid_date(Table& t, std::string_view key) {
    return t.date(key);
}

std::array<bool, 7> working_days(Table& t, std::string_view key, std::array<bool, 7> fallback) {
    if (!t.has(key)) return fallback;
    static const char* names[7] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    std::array<bool, 7> days{};
    for (const std::string& name : t.strings(key)) {
        const auto* found = std::find(std::begin(names), std::end(names), name);
        if (found == std::end(names)) {
            t.error(key, "unknown day \"" + name + "\" (use Mon, Tue, Wed, Thu, Fri, Sat, Sun)");
        } else {
            days[found - std::begin(names)] = true;
        }
    }
    if (std::none_of(days.begin(), days.end(), [](bool b) { return b; })) {
        t.error(key, "needs at least one working day");
        return fallback;
    }
    return days;
}

VisitSpec read_visit(Errors& errors, Table& t, bool is_screening) {
    VisitSpec v;
    v.name = is_screening ? t.string("name", "screening") : t.required_string("name");
    v.day = t.number("day", 0.0, Bound::non_negative);
    v.every_days = t.number("every_days", 0.0, Bound::non_negative);
    v.repeat = t.integer("repeat", 1, Bound::positive);
    v.window_before_days = t.number("window_before_days", 0.0, Bound::non_negative);
    v.window_after_days = t.number("window_after_days", 0.0, Bound::non_negative);
    v.kits = t.integer("kits", 0, Bound::non_negative);
    if (v.repeat > 1 && v.every_days <= 0) {
        t.error("every_days", "must be > 0 when repeat > 1");
    }
    if (v.repeat > 1 && v.every_days > 0 &&
        v.window_before_days + v.window_after_days >= v.every_days) {
        t.error("window_after_days",
                "windows of consecutive repeats overlap: window_before_days + window_after_days "
                "must be < every_days");
    }
    if (!is_screening && v.window_before_days > v.day) {
        t.error("window_before_days", "would open the window before randomisation (day 0)");
    }
    for_each_table(errors, t, "staff", [&](Table& s) {
        StaffNeed need;
        need.role = s.required_string("role");
        need.hours = s.required_number("hours", Bound::positive);
        need.credential = s.string("credential", "");
        v.staff.push_back(need);
    });
    for_each_table(errors, t, "equipment", [&](Table& e) {
        EquipmentNeed need;
        need.kind = e.required_string("kind");
        need.slots = e.integer("slots", 1, Bound::positive);
        v.equipment.push_back(need);
    });
    if (is_screening && v.kits > 0) t.error("kits", "no kits are dispensed at screening");
    return v;
}

class Loader {
  public:
    Loader(std::string file, const PolicyNames& known)
        : errors_(std::move(file)), policy_names_(known) {}

    LoadedScenario load(const std::string& text, const std::string& path) {
        LoadedScenario result;
        toml::table root;
        try {
            root = toml::parse(text, path);
        } catch (const toml::parse_error& e) {
            errors_.add(e.source(), "", "TOML syntax error: " + std::string(e.description()));
            result.errors = std::move(errors_).sorted();
            return result;
        }
        Scenario s;
        s.source_path = path;
        s.source_text = text;
        Table top(errors_, root, "");
        read_trial(top, s);
        read_recruitment(top, s);
        for_each_table(errors_, top, "countries", [&](Table& t) { read_country(t, s); });
        for_each_table(errors_, top, "sites", [&](Table& t) { read_site(t, s); });
        read_protocol(top, s);
        for_each_table(errors_, top, "cra_teams", [&](Table& t) { read_cra_team(t, s); });
        read_supply(top, s);
        read_policy(top, s);
        read_effort(top, s);
        top.finish();
        cross_check(top, s);
        if (errors_.empty()) result.scenario = std::move(s);
        result.errors = std::move(errors_).sorted();
        return result;
    }

  private:
    void read_trial(Table& top, Scenario& s) {
        const toml::table* table = top.table("trial");
        if (!table) {
            if (!top.has("trial")) top.missing("trial");
            return;
        }
        Table t(errors_, *table, "trial");
        TrialSpec& trial = s.trial;
        trial.name = t.required_string("name");
        if (!t.has("start_date")) t.missing("start_date");
        const std::optional<toml::date> start = valid_date(t, "start_date");
        if (start) {
            trial.start_date = iso(*start);
            using namespace std::chrono;
            const sys_days day0{year{start->year} / month{start->month} / day{start->day}};
            trial.start_weekday = static_cast<int>(weekday{day0}.iso_encoding()) - 1;
        }
        trial.randomisation_target = t.required_integer("randomisation_target", Bound::positive);
        if (!t.has("plan_target_met_date")) t.missing("plan_target_met_date");
        const std::optional<toml::date> plan = valid_date(t, "plan_target_met_date");
        if (start && plan) {
            trial.plan_target_met_day = days_between(*start, *plan);
            if (trial.plan_target_met_day <= 0) {
                t.error("plan_target_met_date", "must be after start_date");
            }
        }
        trial.horizon_days = t.number("horizon_days", 3650.0, Bound::positive);
        trial.dropout_rate_per_year = t.number("dropout_rate_per_year", 0.0, Bound::non_negative);
        trial.late_tolerance_days = t.number("late_tolerance_days", 7.0, Bound::non_negative);
        trial.currency = t.string("currency", "EUR");
        for_each_table(errors_, t, "arms", [&](Table& a) {
            trial.arms.push_back(
                {a.required_string("name"), a.integer("ratio", 1, Bound::positive)});
        });
        if (!t.has("arms")) trial.arms.push_back({"all", 1});
        if (t.has("arms") && trial.arms.empty()) t.error("arms", "needs at least one arm");
        t.finish();
    }

    void read_recruitment(Table& top, Scenario& s) {
        const toml::table* table = top.table("recruitment");
        if (!table) return;
        Table t(errors_, *table, "recruitment");
        prior_given_ = t.has("rate_shape") && t.has("rate_rate_days");
        s.recruitment.rate_shape = t.number("rate_shape", 0.0, Bound::positive);
        s.recruitment.rate_rate_days = t.number("rate_rate_days", 0.0, Bound::positive);
        t.finish();
    }

    void read_country(Table& t, Scenario& s) {
        Country c;
        c.code = t.required_string("code");
        c.name = t.string("name", c.code);
        c.utc_offset_hours = t.number("utc_offset_hours", 0.0, Bound::any);
        if (c.utc_offset_hours < -12 || c.utc_offset_hours > 14) {
            t.error("utc_offset_hours", "must be between -12 and 14");
        }
        c.working_days = working_days(t, "working_days", c.working_days);
        c.approval_days = t.delay("approval_days").value_or(Delay{});
        c.contracting_days = t.delay("contracting_days").value_or(Delay{});
        c.activation_days = t.delay("activation_days").value_or(Delay{});
        if (const toml::table* costs = t.table("staff_cost_per_hour")) {
            Table ct(errors_, *costs, t.key_path("staff_cost_per_hour"));
            for (auto&& [role, node] : *costs) {
                if (auto v = ct.number(role.str(), Bound::non_negative)) {
                    c.staff_cost_per_hour[std::string(role.str())] = *v;
                }
            }
            ct.finish();
        }
        c.site_startup_fee = t.number("site_startup_fee", 0.0, Bound::non_negative);
        c.per_patient_fee = t.number("per_patient_fee", 0.0, Bound::non_negative);
        c.depot_lead_days = t.number("depot_lead_days", 14.0, Bound::non_negative);
        c.site_lead_days = t.number("site_lead_days", 3.0, Bound::non_negative);
        c.depot_min_kits = t.integer("depot_min_kits", Bound::non_negative);
        c.depot_max_kits = t.integer("depot_max_kits", Bound::positive);
        if (c.depot_min_kits && c.depot_max_kits && *c.depot_max_kits <= *c.depot_min_kits) {
            t.error("depot_max_kits", "must be > depot_min_kits");
        }
        s.countries.push_back(std::move(c));
        lines_.country.push_back(t.where());
    }

    void read_site(Table& t, Scenario& s) {
        SiteSpec site;
        site.id = t.required_string("id");
        site.country = t.required_string("country");
        site.contracting_days = t.delay("contracting_days");
        site.activation_days = t.delay("activation_days");
        site.recruitment_rate_per_day = t.number("recruitment_rate_per_day", Bound::non_negative);
        site.screen_failure_probability =
            t.number("screen_failure_probability", 0.0, Bound::below_one);
        site.recruitment_decay_per_year =
            t.number("recruitment_decay_per_year", 0.0, Bound::non_negative);
        site.target_randomised = t.integer("target_randomised", 0, Bound::non_negative);
        site.closes_day = t.number("closes_day", Bound::positive);
        site.backup = t.boolean("backup", false);
        site.opens_hour = t.number("opens_hour", 9.0, Bound::non_negative);
        if (site.opens_hour >= 24) t.error("opens_hour", "must be < 24");
        for_each_table(errors_, t, "staff", [&](Table& g) {
            StaffGroup group;
            group.role = g.required_string("role");
            group.count = g.required_integer("count", Bound::positive);
            group.hours_per_day = g.number("hours_per_day", 8.0, Bound::positive);
            if (group.hours_per_day > 24) g.error("hours_per_day", "must be <= 24");
            group.credentials = g.strings("credentials");
            site.staff.push_back(group);
        });
        for_each_table(errors_, t, "equipment", [&](Table& e) {
            EquipmentSpec eq;
            eq.kind = e.required_string("kind");
            eq.slots_per_day = e.required_integer("slots_per_day", Bound::positive);
            eq.maintenance_every_days =
                e.number("maintenance_every_days", 0.0, Bound::non_negative);
            eq.maintenance_duration_days =
                e.number("maintenance_duration_days", 0.0, Bound::non_negative);
            eq.maintenance_first_day = e.number("maintenance_first_day", 0.0, Bound::non_negative);
            if (eq.maintenance_every_days > 0 &&
                eq.maintenance_duration_days >= eq.maintenance_every_days) {
                e.error("maintenance_duration_days", "must be shorter than maintenance_every_days");
            }
            if (eq.maintenance_every_days == 0 && eq.maintenance_duration_days > 0) {
                e.error("maintenance_every_days",
                        "must be > 0 when maintenance_duration_days is set");
            }
            eq.calibration_valid_days =
                e.number("calibration_valid_days", 0.0, Bound::non_negative);
            eq.recalibration_days = e.delay("recalibration_days").value_or(Delay{});
            site.equipment.push_back(eq);
        });
        s.sites.push_back(std::move(site));
        lines_.site.push_back(t.where());
        lines_.site_id.push_back(t.where("id"));
        lines_.site_country.push_back(t.where("country"));
    }

    void read_protocol(Table& top, Scenario& s) {
        const toml::table* table = top.table("protocol");
        if (!table) {
            if (!top.has("protocol")) top.missing("protocol");
            return;
        }
        Table t(errors_, *table, "protocol");
        if (const toml::table* screening = t.table("screening")) {
            Table st(errors_, *screening, "protocol.screening");
            s.protocol.screening = read_visit(errors_, st, true);
            st.finish();
        }
        s.protocol.screening_to_randomisation_days =
            t.number("screening_to_randomisation_days", 0.0, Bound::non_negative);
        for_each_table(errors_, t, "visits", [&](Table& v) {
            s.protocol.visits.push_back(read_visit(errors_, v, false));
            lines_.visit.push_back(v.where());
        });
        t.finish();
    }

    void read_cra_team(Table& t, Scenario& s) {
        CraTeam team;
        team.name = t.required_string("name");
        team.count = t.required_integer("count", Bound::positive);
        team.sites = t.strings("sites");
        team.travel_days = t.number("travel_days", 1.0, Bound::non_negative);
        team.initiation_visit_days = t.number("initiation_visit_days", 1.0, Bound::positive);
        team.monitoring_every_days = t.number("monitoring_every_days", 0.0, Bound::non_negative);
        team.monitoring_visit_days = t.number("monitoring_visit_days", 1.0, Bound::positive);
        team.cost_per_day = t.number("cost_per_day", 0.0, Bound::non_negative);
        team.travel_cost = t.number("travel_cost", 0.0, Bound::non_negative);
        s.cra_teams.push_back(std::move(team));
        lines_.cra.push_back(t.where("sites"));
    }

    void read_supply(Table& top, Scenario& s) {
        const toml::table* table = top.table("supply");
        if (!table) return;
        Table t(errors_, *table, "supply");
        SupplySpec& supply = s.supply;
        supply.enabled = true;
        supply.kit_cost = t.number("kit_cost", 0.0, Bound::non_negative);
        supply.shipment_cost = t.number("shipment_cost", 0.0, Bound::non_negative);
        supply.min_shelf_life_days = t.number("min_shelf_life_days", 30.0, Bound::non_negative);
        supply.depot_min_kits = t.required_integer("depot_min_kits", Bound::non_negative);
        supply.depot_max_kits = t.required_integer("depot_max_kits", Bound::positive);
        supply.site_min_kits = t.required_integer("site_min_kits", Bound::non_negative);
        supply.site_max_kits = t.required_integer("site_max_kits", Bound::positive);
        if (supply.depot_max_kits <= supply.depot_min_kits) {
            t.error("depot_max_kits", "must be > depot_min_kits");
        }
        if (supply.site_max_kits <= supply.site_min_kits) {
            t.error("site_max_kits", "must be > site_min_kits");
        }
        for_each_table(errors_, t, "batches", [&](Table& b) {
            Batch batch;
            batch.release_day = b.number("release_day", 0.0, Bound::non_negative);
            batch.kits = b.required_integer("kits", Bound::positive);
            batch.expiry_day = b.required_number("expiry_day", Bound::positive);
            if (batch.expiry_day <= batch.release_day) {
                b.error("expiry_day", "must be after release_day");
            }
            supply.batches.push_back(batch);
        });
        if (supply.batches.empty() && !t.has("batches")) t.missing("batches");
        t.finish();
    }

    void read_policy(Table& top, Scenario& s) {
        const toml::table* table = top.table("policy");
        if (!table) return;
        Table t(errors_, *table, "policy");
        PolicySpec& p = s.policy;
        auto named = [&](std::string_view key, std::string fallback,
                         const std::vector<std::string>& known) {
            std::string name = t.string(key, fallback);
            if (std::find(known.begin(), known.end(), name) == known.end()) {
                t.error(key, "unknown " + std::string(key) + " policy \"" + name +
                                 "\" (known: " + join(known) + ")");
                return fallback;
            }
            return name;
        };
        p.allocation = named("allocation", p.allocation, policy_names_.allocation);
        p.booking = named("booking", p.booking, policy_names_.booking);
        p.resupply = named("resupply", p.resupply, policy_names_.resupply);
        p.decision_every_days =
            t.number("decision_every_days", p.decision_every_days, Bound::positive);
        p.lagging_probability =
            t.number("lagging_probability", p.lagging_probability, Bound::below_one);
        p.lagging_min_days = t.number("lagging_min_days", p.lagging_min_days, Bound::non_negative);
        p.overload_utilisation =
            t.number("overload_utilisation", p.overload_utilisation, Bound::positive);
        p.overload_weeks = t.integer("overload_weeks", p.overload_weeks, Bound::positive);
        p.min_staff_share = t.number("min_staff_share", p.min_staff_share, Bound::non_negative);
        p.max_staff_share = t.number("max_staff_share", p.max_staff_share, Bound::positive);
        if (p.max_staff_share < 1.0) t.error("max_staff_share", "must be >= 1 (the plan itself)");
        if (p.min_staff_share > 1.0) t.error("min_staff_share", "must be <= 1 (the plan itself)");
        p.move_step_hours_per_week =
            t.number("move_step_hours_per_week", p.move_step_hours_per_week, Bound::positive);
        p.max_moves_per_decision =
            t.integer("max_moves_per_decision", p.max_moves_per_decision, Bound::non_negative);
        p.backup_trigger_probability =
            t.number("backup_trigger_probability", p.backup_trigger_probability, Bound::below_one);
        p.follow_up_headroom =
            t.number("follow_up_headroom", p.follow_up_headroom, Bound::non_negative);
        p.close_below_plan_share =
            t.number("close_below_plan_share", p.close_below_plan_share, Bound::below_one);
        p.booking_horizon_days =
            t.number("booking_horizon_days", p.booking_horizon_days, Bound::non_negative);
        p.safety_factor = t.number("safety_factor", p.safety_factor, Bound::positive);
        p.review_days = t.number("review_days", p.review_days, Bound::positive);
        p.cover_days = t.number("cover_days", p.cover_days, Bound::positive);
        t.finish();
    }

    void read_effort(Table& top, Scenario& s) {
        const toml::table* table = top.table("effort");
        if (!table) return;
        Table t(errors_, *table, "effort");
        EffortSpec& e = s.effort;
        e.role = t.string("role", e.role);
        e.max_uplift = t.number("max_uplift", e.max_uplift, Bound::non_negative);
        e.half_uplift_hours_per_week =
            t.number("half_uplift_hours_per_week", e.half_uplift_hours_per_week, Bound::positive);
        e.shortfall_elasticity =
            t.number("shortfall_elasticity", e.shortfall_elasticity, Bound::non_negative);
        t.finish();
        effort_line_ = t.where("role");
        effort_given_ = true;
    }

    // Everything that depends on more than one table.
    void cross_check(Table& top, Scenario& s) {
        std::set<std::string> codes;
        for (std::size_t i = 0; i < s.countries.size(); ++i) {
            if (!codes.insert(s.countries[i].code).second) {
                errors_.add(lines_.country[i], "countries[" + std::to_string(i) + "].code",
                            "duplicate country code \"" + s.countries[i].code + "\"");
            }
        }
        std::set<std::string> ids;
        bool needs_prior = false;
        for (std::size_t i = 0; i < s.sites.size(); ++i) {
            const SiteSpec& site = s.sites[i];
            const std::string path = "sites[" + std::to_string(i) + "]";
            if (!ids.insert(site.id).second) {
                errors_.add(lines_.site_id[i], path + ".id",
                            "duplicate site id \"" + site.id + "\"");
            }
            if (!site.country.empty() && !codes.count(site.country)) {
                errors_.add(lines_.site_country[i], path + ".country",
                            "unknown country \"" + site.country + "\" (known: " +
                                join(std::vector<std::string>(codes.begin(), codes.end())) + ")");
            }
            if (!site.recruitment_rate_per_day) needs_prior = true;
            check_site_can_do_visits(site, i, s.protocol);
        }
        if (s.sites.empty() && !top.has("sites")) top.missing("sites");
        if (!s.sites.empty() &&
            std::all_of(s.sites.begin(), s.sites.end(), [](auto& site) { return site.backup; })) {
            top.error("sites", "every site is a backup site; at least one must be planned");
        }
        if (effort_given_) {
            bool used = false;
            for (const SiteSpec& site : s.sites) {
                for (const StaffGroup& g : site.staff)
                    used = used || g.role == s.effort.role;
            }
            if (!used) {
                errors_.add(effort_line_, "effort.role",
                            "no site has staff with role \"" + s.effort.role + "\"");
            }
        }
        if (needs_prior && !prior_given_) {
            top.error("recruitment",
                      "sites without recruitment_rate_per_day need [recruitment] rate_shape and "
                      "rate_rate_days (the Gamma prior of site rates)");
        }
        for (std::size_t i = 0; i < s.cra_teams.size(); ++i) {
            for (const std::string& id : s.cra_teams[i].sites) {
                if (!ids.count(id)) {
                    errors_.add(lines_.cra[i], "cra_teams[" + std::to_string(i) + "].sites",
                                "unknown site \"" + id + "\"");
                }
            }
        }
        int kits_needed = 0;
        for (const VisitSpec& v : s.protocol.visits)
            kits_needed += v.kits;
        if (kits_needed > 0 && !s.supply.enabled) {
            top.error("supply", "the protocol dispenses kits, so a [supply] table is required");
        }
        for (const Country& c : s.countries) {
            for (const auto& [role, cost] : c.staff_cost_per_hour) {
                bool used = false;
                for (const SiteSpec& site : s.sites) {
                    for (const StaffGroup& g : site.staff)
                        used = used || g.role == role;
                }
                if (!used) {
                    errors_.add(lines_.country[&c - s.countries.data()],
                                "countries[" + std::to_string(&c - s.countries.data()) +
                                    "].staff_cost_per_hour." + role,
                                "no site has staff with role \"" + role + "\"");
                }
            }
        }
    }

    void check_site_can_do_visits(const SiteSpec& site, std::size_t index, const Protocol& p) {
        const std::string path = "sites[" + std::to_string(index) + "]";
        auto check = [&](const VisitSpec& v) {
            for (const StaffNeed& need : v.staff) {
                const bool found = std::any_of(site.staff.begin(), site.staff.end(), [&](auto& g) {
                    return g.role == need.role &&
                           (need.credential.empty() ||
                            std::count(g.credentials.begin(), g.credentials.end(),
                                       need.credential));
                });
                if (!found) {
                    errors_.add(lines_.site[index], path + ".staff",
                                "site \"" + site.id + "\" has no " + need.role +
                                    (need.credential.empty()
                                         ? ""
                                         : " with credential \"" + need.credential + "\"") +
                                    ", needed by visit \"" + v.name + "\"");
                }
            }
            for (const EquipmentNeed& need : v.equipment) {
                const bool found = std::any_of(site.equipment.begin(), site.equipment.end(),
                                               [&](auto& e) { return e.kind == need.kind; });
                if (!found) {
                    errors_.add(lines_.site[index], path + ".equipment",
                                "site \"" + site.id + "\" has no " + need.kind +
                                    ", needed by visit \"" + v.name + "\"");
                }
            }
        };
        check(p.screening);
        for (const VisitSpec& v : p.visits)
            check(v);
    }

    Errors errors_;
    const PolicyNames& policy_names_;
    struct {
        std::vector<toml::source_region> country, site, site_id, site_country, visit, cra;
    } lines_;
    bool prior_given_ = false;
    bool effort_given_ = false;
    toml::source_region effort_line_;
};

}  // namespace

std::string ScenarioError::to_string() const {
    std::ostringstream out;
    out << file << ":" << line << ":" << column << ": ";
    if (!key.empty()) out << key << ": ";
    out << message;
    return out.str();
}

LoadedScenario load_scenario_text(const std::string& text, const std::string& name,
                                  const PolicyNames& known) {
    return Loader(name, known).load(text, name);
}

LoadedScenario load_scenario_file(const std::string& path, const PolicyNames& known) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        LoadedScenario result;
        result.errors.push_back({path, 0, 0, "", "cannot open the scenario file"});
        return result;
    }
    std::ostringstream text;
    text << in.rdbuf();
    return load_scenario_text(text.str(), path, known);
}

}  // namespace trial
