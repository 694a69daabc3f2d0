#include "models/cli/experiment.hpp"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "models/policy/registry.hpp"
#include "models/runner/tables.hpp"
#include "models/scenario/overrides.hpp"
#include "models/trial/rules.hpp"

namespace cli {

std::atomic<bool> interrupted{false};

namespace {

extern "C" void on_interrupt(int) {
    interrupted.store(true);
}

void report(const trial::LoadedScenario& loaded, const std::string& name) {
    for (const trial::ScenarioError& error : loaded.errors)
        std::cerr << error.to_string() << "\n";
    if (!loaded.errors.empty()) {
        std::cerr << name << ": " << loaded.errors.size() << " problem(s); nothing was simulated\n";
    }
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
void show_progress(const std::string& what, int done, int total,
                   std::chrono::steady_clock::time_point started) {
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    const double rate = seconds > 0 ? done / seconds : 0;
    const int width = 30;
    const int filled = total > 0 ? width * done / total : width;
    std::cerr << "\r" << what << " [" << std::string(filled, '#')
              << std::string(width - filled, '.') << "] " << done << "/" << total << "  "
              << static_cast<int>(rate) << " rep/s";
    if (rate > 0 && done < total) {
        std::cerr << "  ETA " << static_cast<int>((total - done) / rate) << "s";
    }
    std::cerr << "   " << std::flush;
}

// "more_staff: sites[0].staff[0].count=2; trial.late_tolerance_days=14"
bool parse_variant(const std::string& text, std::string& name, std::vector<std::string>& sets) {
    const auto colon = text.find(':');
    if (colon == std::string::npos || colon == 0) return false;
    name = text.substr(0, colon);
    std::stringstream rest(text.substr(colon + 1));
    std::string item;
    while (std::getline(rest, item, ';')) {
        const auto first = item.find_first_not_of(' ');
        if (first == std::string::npos) continue;
        const auto last = item.find_last_not_of(' ');
        sets.push_back(item.substr(first, last - first + 1));
    }
    return !sets.empty() && name.find_first_of("/ .") == std::string::npos && name != "as_written";
}

}  // namespace

void stop_on_ctrl_c() {
    std::signal(SIGINT, on_interrupt);
}

// Loads a scenario file, applies `--set` overrides, checks the result; prints every problem and
// returns nothing if there are any.
std::optional<trial::Scenario> load_with(const std::string& path,
                                         const std::vector<std::string>& settings) {
    std::vector<trial::Override> overrides;
    bool ok = true;
    for (const std::string& setting : settings) {
        trial::Override o;
        std::string error;
        if (trial::parse_override(setting, o, error)) {
            overrides.push_back(o);
        } else {
            std::cerr << error << "\n";
            ok = false;
        }
    }
    if (!ok) return std::nullopt;
    if (overrides.empty()) {
        const trial::LoadedScenario loaded =
            trial::load_scenario_file(path, trial::registered_policy_names());
        report(loaded, path);
        return loaded.scenario;
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        std::cerr << path << ":0:0: cannot open the scenario file\n";
        return std::nullopt;
    }
    std::ostringstream text;
    text << in.rdbuf();
    const trial::EditedScenario edited = trial::apply_overrides(text.str(), path, overrides);
    for (const std::string& error : edited.errors)
        std::cerr << error << "\n";
    if (!edited.errors.empty()) return std::nullopt;
    const std::string name = path + " (with --set; lines refer to the edited text)";
    trial::LoadedScenario loaded =
        trial::load_scenario_text(edited.text, name, trial::registered_policy_names());
    report(loaded, name);
    if (loaded.scenario) loaded.scenario->source_path = path;
    return loaded.scenario;
}

bool out_folder_exists(const std::string& out_path) {
    if (out_path.empty()) return true;
    const std::filesystem::path parent = std::filesystem::absolute(out_path).parent_path();
    if (std::filesystem::is_directory(parent)) return true;
    std::cerr << out_path << ": the folder " << parent << " does not exist\n";
    return false;
}

// Runs the replications of one scenario; nothing if interrupted.
std::optional<ArmRun> simulate(const Arm& arm, const RunSettings& s) {
    const std::string& what = arm.name;
    trial::MonteCarloOptions options;
    options.replications = s.replications;
    options.seed = s.seed;
    options.threads = s.threads;
    options.kernel = s.kernel;
    options.cancel = &interrupted;
    options.traced = s.traced;
    options.start = s.start;
    const auto started = std::chrono::steady_clock::now();
    if (::isatty(STDERR_FILENO)) {
        options.on_progress = [&what, started](int done, int total) {
            show_progress(what, done, total, started);
        };
    }
    trial::MonteCarloResult result = trial::run_monte_carlo(arm.scenario, options);
    if (options.on_progress) std::cerr << "\n";
    if (result.cancelled) {
        std::cerr << "trialtwin: stopped after " << result.replications.size() << " of "
                  << s.replications << " replications; nothing was written\n";
        return std::nullopt;
    }
    trial::RunSummary summary = trial::summarise(arm.scenario, result.replications);
    return ArmRun{std::move(result), std::move(summary)};
}

std::optional<std::vector<Arm>> arms_of(const std::string& path, const trial::Scenario& scenario,
                                        const std::vector<std::string>& policy_names,
                                        const std::vector<std::string>& variant_texts,
                                        const std::string& flag) {
    std::vector<Arm> arms;
    auto taken = [&](const std::string& name) {
        return std::any_of(arms.begin(), arms.end(), [&](const Arm& a) { return a.name == name; });
    };
    for (const std::string& name : policy_names) {
        if (taken(name)) {
            std::cerr << flag << ": \"" << name << "\" is listed twice\n";
            return std::nullopt;
        }
        trial::Scenario with_policy = scenario;
        std::string error;
        if (name != "as_written" && !trial::apply_policy_name(name, with_policy.policy, error)) {
            std::cerr << flag << ": " << error << "\n";
            return std::nullopt;
        }
        arms.push_back({name, std::move(with_policy)});
    }
    for (const std::string& text : variant_texts) {
        std::string name;
        std::vector<std::string> sets;
        if (!parse_variant(text, name, sets)) {
            std::cerr
                << "--variant \"" << text
                << "\": expected NAME: KEY=VALUE; KEY=VALUE (NAME without '/', '.' or spaces, "
                   "not as_written)\n";
            return std::nullopt;
        }
        std::optional<trial::Scenario> variant = load_with(path, sets);
        if (!variant) return std::nullopt;
        if (taken(name)) {
            std::cerr << "--variant \"" << text << "\": the name " << name << " is taken\n";
            return std::nullopt;
        }
        // A variant runs under the baseline's policy.
        variant->policy = arms.front().scenario.policy;
        arms.push_back({name, std::move(*variant)});
    }
    return arms;
}

trial::RunMetadata metadata_of(const RunSettings& settings, int argc, char** argv) {
    return {tool_version,  joined(argc, argv),      now_utc(),
            settings.seed, settings.threads_used(), sim::kernel_description(settings.kernel)};
}

void write_results(const std::string& path, const trial::RunMetadata& metadata,
                   const trial::Scenario& base, std::span<const Arm> arms,
                   std::span<const ArmRun> runs, const trial::ForecastOrigin* origin) {
    std::vector<trial::PolicyTables> tables;
    for (std::size_t a = 0; a < arms.size(); ++a) {
        tables.push_back(
            trial::tabulate(arms[a].name, arms[a].scenario, base, runs[a].result, runs[a].summary));
    }
    trial::write_results_file(path, metadata, base, tables, origin);
}

}  // namespace cli
