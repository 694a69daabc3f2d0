#include "models/scenario/overrides.hpp"

#include <toml++/toml.h>
#include <algorithm>
#include <cctype>
#include <sstream>

namespace trial {

bool parse_override(const std::string& argument, Override& out, std::string& error) {
    const auto equals = argument.find('=');
    if (equals == std::string::npos || equals == 0 || equals + 1 == argument.size()) {
        error = "--set " + argument + ": expected KEY=VALUE, e.g. recruitment.rate_shape=1.5";
        return false;
    }
    out.key = argument.substr(0, equals);
    out.value = argument.substr(equals + 1);
    const auto bad = std::find_if_not(out.key.begin(), out.key.end(), [](unsigned char c) {
        return std::isalnum(c) || c == '_' || c == '.' || c == '[' || c == ']' || c == '-';
    });
    if (bad != out.key.end()) {
        error = "--set: the key \"" + out.key +
                "\" is not a dotted path of names (e.g. sites[2].recruitment_rate_per_day)";
        return false;
    }
    return true;
}

namespace {

// The parsed TOML value of `text`, or nothing (with a message).
std::optional<toml::table> parse_value(const Override& o, std::string& error) {
    // One value on one line: a newline would let the value carry tables and keys of its own
    // (--set 'trial.currency="USD"\n[policy]\nallocation="adaptive"').
    if (o.value.find_first_of("\r\n") != std::string::npos) {
        error = "--set " + o.key + ": the value must be on one line";
        return std::nullopt;
    }
    try {
        toml::table parsed = toml::parse("value = " + o.value);
        if (parsed.size() != 1 || !parsed.get("value")) {
            error = "--set " + o.key + "=" + o.value + ": the value must be one TOML value";
            return std::nullopt;
        }
        return parsed;
    } catch (const toml::parse_error&) {
        error = "--set " + o.key + "=" + o.value +
                ": the value is not a TOML value (quote strings: name=\"ONC\")";
        return std::nullopt;
    }
}

// A table a scenario may leave out ([policy], [effort], ...) takes its defaults; setting one of
// its keys creates it. Creates the missing tables of `path` (plain names only: array elements
// are never made up) and returns the last, or null. The loader then checks the key as if it
// had been written in the file, so a misspelt table is reported like a misspelt key.
toml::node* make_tables(toml::table& root, const std::string& path) {
    toml::table* table = &root;
    std::size_t from = 0;
    for (;;) {
        const std::size_t dot = path.find('.', from);
        const std::string name = path.substr(from, dot == std::string::npos ? dot : dot - from);
        if (name.empty() || name.find('[') != std::string::npos) return nullptr;
        toml::node* next = table->get(name);
        if (!next) next = table->insert_or_assign(name, toml::table{}).first->second.as_table();
        table = next ? next->as_table() : nullptr;
        if (!table) return nullptr;
        if (dot == std::string::npos) return table;
        from = dot + 1;
    }
}

// Sets `key` (a dotted path, possibly ending in [i]) in `root` to `value`.
bool set_path(toml::table& root, const Override& o, toml::node&& value, std::string& error) {
    const std::string& key = o.key;
    std::string parent_path, last;
    std::size_t index = 0;
    bool into_array = false;
    if (!key.empty() && key.back() == ']') {
        const auto open = key.rfind('[');
        if (open == std::string::npos || open == 0) {
            error = "--set " + key + ": malformed index";
            return false;
        }
        parent_path = key.substr(0, open);
        try {
            index = std::stoul(key.substr(open + 1, key.size() - open - 2));
        } catch (const std::exception&) {
            error = "--set " + key + ": malformed index";
            return false;
        }
        into_array = true;
    } else {
        const auto dot = key.rfind('.');
        parent_path = dot == std::string::npos ? "" : key.substr(0, dot);
        last = dot == std::string::npos ? key : key.substr(dot + 1);
    }
    toml::node* parent = parent_path.empty() ? &root : toml::at_path(root, parent_path).node();
    if (!parent && !into_array) parent = make_tables(root, parent_path);
    if (!parent) {
        error = "--set " + key + ": the scenario has no " + parent_path;
        return false;
    }
    if (into_array) {
        toml::array* array = parent->as_array();
        if (!array || index >= array->size()) {
            error =
                "--set " + key + ": " + parent_path + " has no element " + std::to_string(index);
            return false;
        }
        array->replace(array->cbegin() + static_cast<std::ptrdiff_t>(index), std::move(value));
        return true;
    }
    toml::table* table = parent->as_table();
    if (!table) {
        error = "--set " + key + ": " + parent_path + " is not a table";
        return false;
    }
    table->insert_or_assign(last, std::move(value));
    return true;
}

}  // namespace

bool holds_integer(const std::string& text, const std::string& key) {
    try {
        const toml::table root = toml::parse(text);
        const toml::node* node = toml::at_path(root, key).node();
        return node && node->is_integer();
    } catch (const toml::parse_error&) {
        return false;
    }
}

std::optional<double> number_at(const std::string& text, const std::string& key) {
    try {
        const toml::table root = toml::parse(text);
        const toml::node* node = toml::at_path(root, key).node();
        if (node && node->is_integer()) return static_cast<double>(**node->as_integer());
        if (node && node->is_floating_point()) return **node->as_floating_point();
    } catch (const toml::parse_error&) {
    }
    return std::nullopt;
}

std::optional<int> line_at(const std::string& text, const std::string& key) {
    try {
        const toml::table root = toml::parse(text);
        const toml::node* node = toml::at_path(root, key).node();
        if (node && node->source().begin.line > 0)
            return static_cast<int>(node->source().begin.line);
    } catch (const toml::parse_error&) {
    }
    return std::nullopt;
}

EditedScenario apply_overrides(const std::string& text, const std::string& source_name,
                               const std::vector<Override>& overrides) {
    EditedScenario edited;
    if (overrides.empty()) {
        edited.text = text;
        return edited;
    }
    toml::table root;
    try {
        root = toml::parse(text, source_name);
    } catch (const toml::parse_error& e) {
        // Leave it to the loader to report the syntax error with its line.
        edited.text = text;
        return edited;
    }
    for (const Override& o : overrides) {
        std::string error;
        std::optional<toml::table> parsed = parse_value(o, error);
        if (!parsed) {
            edited.errors.push_back(error);
            continue;
        }
        toml::node* value = parsed->get("value");
        if (!set_path(root, o, std::move(*value), error)) edited.errors.push_back(error);
    }
    std::ostringstream out;
    out << "# " << source_name << ", with";
    for (const Override& o : overrides)
        out << " --set " << o.key << "=" << o.value;
    out << "\n" << toml::toml_formatter{root} << "\n";
    edited.text = out.str();
    return edited;
}

}  // namespace trial
