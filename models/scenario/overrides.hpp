#pragma once
// Changing a scenario from the command line: `--set KEY=VALUE`, where KEY is a dotted path into
// the TOML (`recruitment.rate_shape`, `sites[3].staff[0].count`) and VALUE is a TOML value
// (`2`, `0.35`, `"DE"`, `2028-06-30`, `{ distribution = "fixed", days = 30 }`). The edited
// document is written out again and loaded like any scenario, so every check still applies and
// the text stored with the results is the scenario as it was run.

#include <optional>
#include <string>
#include <vector>

namespace trial {

// `--add-sites FILE` travels with the --set list as this key: `+sites=FILE`.
inline constexpr char added_sites_key[] = "+sites";

struct Override {
    std::string key;
    std::string value;
};

// Parses "KEY=VALUE"; on failure returns false and says why in `error`.
bool parse_override(const std::string& argument, Override& out, std::string& error);

struct EditedScenario {
    std::string text;                 // the scenario with the overrides applied
    std::vector<std::string> errors;  // one per override that could not be applied
};

// Whether the scenario's value at `key` is an integer (a sweep over it then yields integers).
bool holds_integer(const std::string& text, const std::string& key);

// The number the scenario's text holds at `key` (an integer or a float), if it holds one.
std::optional<double> number_at(const std::string& text, const std::string& key);

// The line of the scenario's text where `key` (a --set path) is written, if it is.
std::optional<int> line_at(const std::string& text, const std::string& key);

EditedScenario apply_overrides(const std::string& text, const std::string& source_name,
                               const std::vector<Override>& overrides);

}  // namespace trial
