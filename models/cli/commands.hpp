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
    CLI::App* optimise = nullptr;
    CLI::App* sensitivity = nullptr;

    std::string scenario_path;
    std::vector<std::string> settings;     // --set KEY=VALUE
    std::vector<std::string> added_sites;  // --add-sites FILE: as +sites=FILE, before --set
    RunSettings run_settings;
    std::string policy_name;                 // run --policy
    std::vector<std::string> policy_names;   // compare and forecast --policies
    std::vector<std::string> variant_texts;  // compare --variant

    // sweep
    std::vector<std::string> sweep_specs;
    std::string design_name = "grid";
    int points = 5;
    bool resume = false;
    bool strict = false;  // validate: warnings are errors

    // forecast
    std::string observed_path, patients_path, as_of;

    // inspect
    std::string results_path;

    // optimise and sensitivity
    std::vector<std::string> vary_specs;  // --vary KEY=LO:HI
    std::string minimise, maximise;
    std::vector<std::string> constraint_texts;  // --subject-to
    std::vector<std::string> choose_sites;      // --choose-sites ID,ID,...
    int budget = 60;                            // evaluations of the value search
    int validation_reps = 0;                    // 0: as --reps
    std::uint64_t validation_seed = 0;          // 0: --seed + 1000003
    int validate_best = 3;
    std::string scenario_out;
    std::vector<std::string> output_texts;  // sensitivity --metric
    std::string method = "both";            // oat | sobol | both
    int sobol_points = 32;
    int bootstrap = 1000;
};

// Adds every subcommand and its options to `app`, bound to `c`.
void describe_commands(CLI::App& app, Commands& c);

}  // namespace cli
