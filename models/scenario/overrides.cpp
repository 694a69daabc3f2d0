#include "models/scenario/overrides.hpp"

#include <toml++/toml.h>
#include <algorithm>
#include <cctype>
#include <fstream>
#include <sstream>

#include "models/files/input_file.hpp"

namespace trial {

bool parse_override(const std::string& argument, Override& out, std::string& error) {
    // The first '=' outside brackets: a selector (sites[country=BR]) holds one of its own.
    std::size_t equals = std::string::npos;
    int depth = 0;
    for (std::size_t i = 0; i < argument.size() && equals == std::string::npos; ++i) {
        if (argument[i] == '[') ++depth;
        if (argument[i] == ']') --depth;
        if (argument[i] == '=' && depth == 0) equals = i;
    }
    if (equals == std::string::npos || equals == 0 || equals + 1 == argument.size()) {
        error = "--set " + argument + ": expected KEY=VALUE, e.g. recruitment.rate_shape=1.5";
        return false;
    }
    out.key = argument.substr(0, equals);
    out.value = argument.substr(equals + 1);
    if (out.key == added_sites_key) return true;  // +sites=FILE: the value is a path
    const auto bad = std::find_if_not(out.key.begin(), out.key.end(), [](unsigned char c) {
        return std::isalnum(c) || c == '_' || c == '.' || c == '[' || c == ']' || c == '-' ||
               c == '*' || c == '=';
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

// The concrete keys a key with selectors stands for: `sites[*].x` for every site,
// `sites[country=BR].x` for the sites whose `country` is "BR" (a string, or a number written
// as the value's text), nested selectors each expanded in turn. A key without selectors is
// itself. Nothing matched is an error (a typo would otherwise change nothing).
bool expand_selectors(const toml::table& root, const std::string& key,
                      std::vector<std::string>& out, std::string& error) {
    std::size_t open = std::string::npos;
    for (std::size_t at = key.find('['); at != std::string::npos; at = key.find('[', at + 1)) {
        const std::size_t close = key.find(']', at);
        if (close == std::string::npos) break;
        const std::string inside = key.substr(at + 1, close - at - 1);
        if (inside == "*" || inside.find('=') != std::string::npos) {
            open = at;
            break;
        }
    }
    if (open == std::string::npos) {
        out.push_back(key);
        return true;
    }
    const std::size_t close = key.find(']', open);
    const std::string array_path = key.substr(0, open);
    const std::string selector = key.substr(open + 1, close - open - 1);
    const std::string rest = key.substr(close + 1);
    const toml::node* node = toml::at_path(root, array_path).node();
    const toml::array* array = node ? node->as_array() : nullptr;
    if (!array) {
        error = "--set " + key + ": the scenario has no list " + array_path;
        return false;
    }
    std::string field, wanted;
    if (selector != "*") {
        field = selector.substr(0, selector.find('='));
        wanted = selector.substr(selector.find('=') + 1);
        if (field.empty() || wanted.empty()) {
            error = "--set " + key + ": a selector is [*] or [NAME=VALUE], e.g. sites[country=BR]";
            return false;
        }
    }
    std::size_t matched = 0;
    for (std::size_t i = 0; i < array->size(); ++i) {
        if (!field.empty()) {
            const toml::table* element = (*array)[i].as_table();
            const toml::node* value = element ? element->get(field) : nullptr;
            std::string text;
            if (value && value->is_string()) text = **value->as_string();
            if (value && value->is_integer()) text = std::to_string(**value->as_integer());
            if (value && value->is_boolean()) text = **value->as_boolean() ? "true" : "false";
            if (text != wanted) continue;
        }
        ++matched;
        if (!expand_selectors(root, array_path + "[" + std::to_string(i) + "]" + rest, out, error))
            return false;
    }
    if (matched == 0) {
        error = "--set " + key + ": " +
                (field.empty() ? array_path + " is empty"
                               : "no element of " + array_path + " has " + field + " = " + wanted);
        return false;
    }
    return true;
}

// The node at `key`, or with selectors the first it stands for.
const toml::node* node_at(const toml::table& root, const std::string& key) {
    std::vector<std::string> keys;
    std::string error;
    if (!expand_selectors(root, key, keys, error) || keys.empty()) return nullptr;
    return toml::at_path(root, keys.front()).node();
}

// Appends the [[sites]] of the TOML file at `path` to the scenario's, and its [[countries]]
// whose codes the scenario does not have yet (a code both have is the scenario's). Every
// other table of the file is refused: it adds sites, it changes nothing else.
bool add_sites(toml::table& root, std::string path, std::string& error) {
    if (path.size() >= 2 && path.front() == '"' && path.back() == '"')
        path = path.substr(1, path.size() - 2);
    const std::string what = "--add-sites " + path;
    const files::TextInput input = files::read_text_input(path, files::max_scenario_bytes);
    if (!input.problem.empty()) {
        error = what + ": " + input.problem;
        return false;
    }
    toml::table added;
    try {
        added = toml::parse(input.text, path);
    } catch (const toml::parse_error& e) {
        error = path + ":" + std::to_string(e.source().begin.line) + ":" +
                std::to_string(e.source().begin.column) + ": " + std::string(e.description());
        return false;
    }
    for (auto&& [key, node] : added) {
        if (key.str() != "sites" && key.str() != "countries") {
            error = what + ": holds [" + std::string(key.str()) +
                    "]; a file of added sites holds [[sites]] and, for new countries, "
                    "[[countries]] only";
            return false;
        }
    }
    const toml::array* sites = added["sites"].as_array();
    if (!sites || sites->empty()) {
        error = what + ": holds no [[sites]]";
        return false;
    }
    auto list = [&](const char* name) -> toml::array* {
        if (!root.get(name)) root.insert_or_assign(name, toml::array{});
        return root[name].as_array();
    };
    toml::array* into = list("sites");
    if (!into) {
        error = what + ": the scenario's sites are not a list of tables";
        return false;
    }
    for (const toml::node& site : *sites)
        into->push_back(site);
    if (const toml::array* countries = added["countries"].as_array()) {
        toml::array* have = list("countries");
        if (!have) {
            error = what + ": the scenario's countries are not a list of tables";
            return false;
        }
        for (const toml::node& country : *countries) {
            const toml::table* c = country.as_table();
            const auto code = c ? c->get_as<std::string>("code") : nullptr;
            const bool known = code && std::any_of(have->begin(), have->end(), [&](auto& h) {
                                   const toml::table* t = h.as_table();
                                   const auto other = t ? t->get_as<std::string>("code") : nullptr;
                                   return other && other->get() == code->get();
                               });
            if (!known) have->push_back(country);
        }
    }
    return true;
}

}  // namespace

bool holds_integer(const std::string& text, const std::string& key) {
    try {
        const toml::table root = toml::parse(text);
        const toml::node* node = node_at(root, key);
        return node && node->is_integer();
    } catch (const toml::parse_error&) {
        return false;
    }
}

std::optional<double> number_at(const std::string& text, const std::string& key) {
    try {
        const toml::table root = toml::parse(text);
        const toml::node* node = node_at(root, key);
        if (node && node->is_integer()) return static_cast<double>(**node->as_integer());
        if (node && node->is_floating_point()) return **node->as_floating_point();
    } catch (const toml::parse_error&) {
    }
    return std::nullopt;
}

std::optional<int> line_at(const std::string& text, const std::string& key) {
    try {
        const toml::table root = toml::parse(text);
        const toml::node* node = node_at(root, key);
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
        if (o.key == added_sites_key) {
            if (!add_sites(root, o.value, error)) edited.errors.push_back(error);
            continue;
        }
        std::optional<toml::table> parsed = parse_value(o, error);
        if (!parsed) {
            edited.errors.push_back(error);
            continue;
        }
        std::vector<std::string> keys;
        if (!expand_selectors(root, o.key, keys, error)) {
            edited.errors.push_back(error);
            continue;
        }
        for (const std::string& key : keys) {
            // Each key its own copy of the value (parsed again: a node moves into one place).
            std::optional<toml::table> own = parse_value(o, error);
            toml::node* value = own->get("value");
            if (!set_path(root, {key, o.value}, std::move(*value), error)) {
                edited.errors.push_back(error);
                break;
            }
        }
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
