#pragma once
// The `trialtwin` subcommands and their options, as one value the command line fills.

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "models/cli/experiment.hpp"

namespace cli {

struct Commands {
    CLI::App* validate = nullptr;
    CLI::App* run = nullptr;
    CLI::App* compare = nullptr;
    CLI::App* sweep = nullptr;
    CLI::App* forecast = nullptr;
    CLI::App* inspect = nullptr;

    std::string scenario_path;
    std::vector<std::string> settings;  // --set KEY=VALUE
    RunSettings run_settings;
    std::string policy_name;                 // run --policy
    std::vector<std::string> policy_names;   // compare and forecast --policies
    std::vector<std::string> variant_texts;  // compare --variant

    // sweep
    std::vector<std::string> sweep_specs;
    std::string design_name = "grid";
    int points = 5;
    bool resume = false;

    // forecast
    std::string observed_path, patients_path, as_of;

    // inspect
    std::string results_path;
};

// Adds every subcommand and its options to `app`, bound to `c`.
void describe_commands(CLI::App& app, Commands& c);

}  // namespace cli
