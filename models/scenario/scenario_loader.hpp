#pragma once
// Reads a scenario from TOML and checks everything before anything is simulated: unknown keys,
// wrong types, impossible values, references to what does not exist, inconsistent windows.
// Every problem found is reported, each as "file:line:column: key: what is wrong".

#include <optional>
#include <string>
#include <vector>

#include "models/scenario/scenario.hpp"

namespace trial {

struct ScenarioError {
    std::string file;
    int line = 0;
    int column = 0;
    std::string key;  // dotted path, e.g. sites[3].staff[0].count
    std::string message;
    std::string to_string() const;
};

struct LoadedScenario {
    std::optional<Scenario> scenario;  // set only when there are no errors
    std::vector<ScenarioError> errors;
};

// The names a scenario's [policy] may choose. The layers above know them (trial/rules.hpp:
// registered_policy_names()); the scenario layer sits below them and is told them.
struct PolicyNames {
    std::vector<std::string> allocation, booking, resupply;
};

LoadedScenario load_scenario_file(const std::string& path, const PolicyNames& known);
// For tests and generated scenarios: `name` stands for the file in messages.
LoadedScenario load_scenario_text(const std::string& text, const std::string& name,
                                  const PolicyNames& known);

}  // namespace trial
