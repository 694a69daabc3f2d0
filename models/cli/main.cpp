// trialtwin: the command line. Exit codes: 0 ok, 2 bad input, 1 internal error.

#include <CLI/CLI.hpp>
#include <iostream>

#include "models/cli/report.hpp"
#include "models/scenario/scenario_loader.hpp"
#include "models/trial/trial.hpp"

namespace {

constexpr int exit_bad_input = 2;
constexpr int exit_internal_error = 1;

// Loads and checks a scenario; prints every problem and returns nothing if there are any.
std::optional<trial::Scenario> load_or_report(const std::string& path) {
    trial::LoadedScenario loaded = trial::load_scenario_file(path);
    for (const trial::ScenarioError& error : loaded.errors)
        std::cerr << error.to_string() << "\n";
    if (!loaded.errors.empty()) {
        std::cerr << path << ": " << loaded.errors.size() << " problem(s); nothing was simulated\n";
    }
    return std::move(loaded.scenario);
}

}  // namespace

int main(int argc, char** argv) try {
    CLI::App app{"trialtwin: a digital twin of clinical-trial operations"};
    app.require_subcommand(1);

    std::string scenario_path;
    CLI::App* validate =
        app.add_subcommand("validate", "Check a scenario file and say what is wrong");
    validate->add_option("scenario", scenario_path, "Scenario file (TOML)")->required();

    int replications = 100;
    std::uint64_t seed = 1;
    CLI::App* run = app.add_subcommand("run", "Simulate a scenario and print a summary");
    run->add_option("scenario", scenario_path, "Scenario file (TOML)")->required();
    run->add_option("--reps", replications, "Replications")->check(CLI::Range(1, 10'000'000));
    run->add_option("--seed", seed, "Master seed");

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        const int code = app.exit(e);
        return code == 0 ? 0 : exit_bad_input;
    }

    const std::optional<trial::Scenario> scenario = load_or_report(scenario_path);
    if (!scenario) return exit_bad_input;
    if (*validate) {
        std::cout << scenario_path << ": ok (" << scenario->sites.size() << " sites in "
                  << scenario->countries.size() << " countries)\n";
        return 0;
    }
    std::vector<trial::ReplicationSummary> results;
    results.reserve(replications);
    for (int r = 0; r < replications; ++r)
        results.push_back(trial::run_replication(*scenario, seed, r));
    trial::print_summary(std::cout, *scenario, results);
    return 0;
} catch (const std::exception& e) {
    std::cerr << "trialtwin: internal error: " << e.what() << "\n";
    return exit_internal_error;
}
