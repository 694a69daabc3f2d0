// trialtwin: the command line. Exit codes: 0 ok, 2 bad input, 1 internal error, 130 stopped
// by Ctrl-C (nothing written).

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <atomic>
#include <chrono>
#include <csignal>
#include <ctime>
#include <filesystem>
#include <iostream>
#include <thread>

#include "models/cli/inspect.hpp"
#include "models/cli/report.hpp"
#include "models/runner/metrics.hpp"
#include "models/runner/monte_carlo.hpp"
#include "models/scenario/scenario_loader.hpp"
#include "models/store/results_file.hpp"

namespace {

constexpr int exit_bad_input = 2;
constexpr int exit_internal_error = 1;
constexpr int exit_interrupted = 130;
constexpr const char* tool_version = "0.2.0";

std::atomic<bool> interrupted{false};
extern "C" void on_interrupt(int) {
    interrupted.store(true);
}

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

std::string now_utc() {
    const std::time_t now = std::time(nullptr);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&now));
    return text;
}

std::string joined(int argc, char** argv) {
    std::string line;
    for (int i = 0; i < argc; ++i)
        line += (i ? " " : "") + std::string(argv[i]);
    return line;
}

// "[#####.....] 512/1000  830 rep/s  ETA 1s" on one terminal line.
void show_progress(int done, int total, std::chrono::steady_clock::time_point started) {
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    const double rate = seconds > 0 ? done / seconds : 0;
    const int width = 30;
    const int filled = total > 0 ? width * done / total : width;
    std::cerr << "\r[" << std::string(filled, '#') << std::string(width - filled, '.') << "] "
              << done << "/" << total << "  " << static_cast<int>(rate) << " rep/s";
    if (rate > 0 && done < total)
        std::cerr << "  ETA " << static_cast<int>((total - done) / rate) << "s";
    std::cerr << "   " << std::flush;
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
    int threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    std::string out_path;
    bool json = false;
    CLI::App* run =
        app.add_subcommand("run", "Simulate a scenario, print a summary, store the runs");
    run->add_option("scenario", scenario_path, "Scenario file (TOML)")->required();
    run->add_option("--reps", replications, "Replications")->check(CLI::Range(1, 10'000'000));
    run->add_option("--seed", seed, "Master seed (same seed, same results)");
    run->add_option("--threads", threads, "Worker threads (results do not depend on it)")
        ->check(CLI::Range(1, 256));
    run->add_option("--out", out_path, "Write the runs to this HDF5 file");
    run->add_flag("--json", json, "Print the summary as JSON (keys: results/README.md)");

    std::string results_path;
    CLI::App* inspect = app.add_subcommand("inspect", "Say what a results file holds");
    inspect->add_option("results", results_path, "Results file (HDF5)")->required();

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        const int code = app.exit(e);
        return code == 0 ? 0 : exit_bad_input;
    }

    if (*inspect)
        return trial::inspect_results(results_path, std::cout, std::cerr) ? 0 : exit_bad_input;

    const std::optional<trial::Scenario> scenario = load_or_report(scenario_path);
    if (!scenario) return exit_bad_input;
    if (*validate) {
        std::cout << scenario_path << ": ok (" << scenario->sites.size() << " sites in "
                  << scenario->countries.size() << " countries)\n";
        return 0;
    }
    if (!out_path.empty()) {
        const std::filesystem::path parent = std::filesystem::absolute(out_path).parent_path();
        if (!std::filesystem::is_directory(parent)) {
            std::cerr << out_path << ": the folder " << parent << " does not exist\n";
            return exit_bad_input;
        }
    }

    std::signal(SIGINT, on_interrupt);
    trial::MonteCarloOptions options;
    options.replications = replications;
    options.seed = seed;
    options.threads = threads;
    options.cancel = &interrupted;
    const auto started = std::chrono::steady_clock::now();
    if (::isatty(STDERR_FILENO)) {
        options.on_progress = [started](int done, int total) {
            show_progress(done, total, started);
        };
    }
    const trial::MonteCarloResult result = trial::run_monte_carlo(*scenario, options);
    if (options.on_progress) std::cerr << "\n";
    if (result.cancelled) {
        std::cerr << "trialtwin: stopped after " << result.replications.size() << " of "
                  << replications << " replications; nothing was written\n";
        return exit_interrupted;
    }
    const trial::RunSummary summary = trial::summarise(*scenario, result.replications);
    if (json) {
        std::cout << trial::summary_json(*scenario, summary, seed) << "\n";
    } else {
        trial::print_summary(std::cout, *scenario, summary);
    }
    if (!out_path.empty()) {
        trial::RunMetadata metadata{tool_version, joined(argc, argv), now_utc(), seed, threads};
        trial::write_results_file(out_path, *scenario, metadata, result, summary);
        if (!json) std::cout << "  written to " << out_path << "\n";
    }
    return 0;
} catch (const std::exception& e) {
    std::cerr << "trialtwin: " << e.what() << "\n";
    return exit_internal_error;
}
