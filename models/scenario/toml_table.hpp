#pragma once
// Reading one TOML table of a scenario: each getter checks the value's type and range and
// marks the key as known; finish() reports the keys nobody asked for. Every problem is kept
// with its file, line, column and dotted key (Errors), and all are reported, not just the
// first. Internal to the scenario loader.

#include <toml++/toml.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "models/scenario/delay.hpp"
#include "models/scenario/limits.hpp"
#include "models/scenario/scenario_loader.hpp"

namespace trial::toml_reading {

inline const char* type_name(toml::node_type type) {
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

inline std::string join(const std::vector<std::string>& items) {
    std::string out;
    for (const std::string& item : items)
        out += (out.empty() ? "" : ", ") + item;
    return out;
}

// Calendar days from one date to another.
inline int days_between(const toml::date& from, const toml::date& to) {
    using namespace std::chrono;
    const sys_days a{year{from.year} / month{from.month} / day{from.day}};
    const sys_days b{year{to.year} / month{to.month} / day{to.day}};
    return static_cast<int>((b - a).count());
}

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

    std::optional<double> number(std::string_view key, const Range& range = limits::any) {
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
        if (!check_range(key, value, range)) return std::nullopt;
        return value;
    }
    double number(std::string_view key, double fallback, const Range& range) {
        return number(key, range).value_or(fallback);
    }
    double required_number(std::string_view key, const Range& range) {
        if (!has(key)) missing(key);
        return number(key, 0.0, range);
    }

    std::optional<int> integer(std::string_view key, const Range& range = limits::any) {
        const toml::node* node = get(key);
        if (!node) return std::nullopt;
        const auto* i = node->as_integer();
        if (!i) return wrong_type(key, *node, "an integer");
        const std::int64_t value = i->get();
        if (value > 1'000'000'000 || value < -1'000'000'000) {
            error(key, "is out of range");
            return std::nullopt;
        }
        if (!check_range(key, static_cast<double>(value), range)) return std::nullopt;
        return static_cast<int>(value);
    }
    int integer(std::string_view key, int fallback, const Range& range) {
        return integer(key, range).value_or(fallback);
    }
    int required_integer(std::string_view key, const Range& range) {
        if (!has(key)) missing(key);
        return integer(key, 0, range);
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

    // An array of numbers, each in `range`.
    std::vector<double> numbers(std::string_view key, const Range& range) {
        std::vector<double> out;
        const toml::array* items = array(key);
        if (!items) return out;
        for (std::size_t i = 0; i < items->size(); ++i) {
            const toml::node& item = *items->get(i);
            const std::string at = key_path(key) + "[" + std::to_string(i) + "]";
            std::optional<double> value;
            if (const auto* n = item.as_integer()) value = static_cast<double>(n->get());
            if (const auto* f = item.as_floating_point()) value = f->get();
            if (!value) {
                errors_.add(item.source(), at,
                            std::string("must be a number, not ") + type_name(item.type()));
            } else if (!std::isfinite(*value) || !range.contains(*value)) {
                errors_.add(item.source(), at, range.requirement());
            } else {
                out.push_back(*value);
            }
        }
        return out;
    }

    // A delay in days: a number, or { distribution = "...", ... }.
    std::optional<Delay> delay(std::string_view key) {
        const toml::node* node = get(key);
        if (!node) return std::nullopt;
        if (node->is_integer() || node->is_floating_point()) {
            const std::optional<double> days = number(key, limits::days);
            if (!days) return std::nullopt;
            return Delay::fixed(*days);
        }
        const toml::table* spec = node->as_table();
        if (!spec) return wrong_type(key, *node, "a number of days or a distribution table");
        Table t(errors_, *spec, key_path(key));
        Delay d;
        const std::string kind = t.required_string("distribution");
        if (kind == "fixed") {
            d.kind = Delay::Kind::fixed;
            d.days = t.required_number("days", limits::days);
        } else if (kind == "uniform") {
            d.kind = Delay::Kind::uniform;
            d.min_days = t.required_number("min", limits::days);
            d.max_days = t.required_number("max", limits::days);
            if (d.max_days < d.min_days) t.error("max", "must be >= min");
        } else if (kind == "triangular") {
            d.kind = Delay::Kind::triangular;
            d.min_days = t.required_number("min", limits::days);
            d.mode_days = t.required_number("mode", limits::days);
            d.max_days = t.required_number("max", limits::days);
            if (!(d.min_days <= d.mode_days && d.mode_days <= d.max_days) ||
                d.min_days == d.max_days) {
                t.error("mode", "needs min <= mode <= max with min < max");
            }
        } else if (kind == "lognormal") {
            d.kind = Delay::Kind::lognormal;
            d.median_days = t.required_number("median", limits::positive_days);
            d.sigma = t.required_number("sigma", limits::lognormal_sigma);
        } else if (kind == "gamma") {
            d.kind = Delay::Kind::gamma;
            d.mean_days = t.required_number("mean", limits::positive_days);
            d.shape = t.required_number("shape", limits::gamma_shape);
        } else if (kind == "exponential") {
            d.kind = Delay::Kind::exponential;
            d.mean_days = t.required_number("mean", limits::positive_days);
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
    bool check_range(std::string_view key, double value, const Range& range) {
        if (range.contains(value)) return true;
        error(key, range.requirement());
        return false;
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

}  // namespace trial::toml_reading
