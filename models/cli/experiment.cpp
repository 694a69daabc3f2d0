#include "models/cli/experiment.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <sstream>

#include "models/files/input_file.hpp"
#include "models/files/replace_file.hpp"
#include "models/parallel/ranks.hpp"
#include "models/policy/registry.hpp"
#include "models/runner/tables.hpp"
#include "models/scenario/overrides.hpp"
#include "models/store/file_image.hpp"
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
    for (int i = 0; i < argc; ++i) {
        if (i > 0) line += ' ';
        line += argv[i];
    }
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
    // mpirun (and Slurm at a job's time limit) stops the ranks with SIGTERM: the same clean stop.
    std::signal(SIGTERM, on_interrupt);
}

const files::TextInput& scenario_text(const std::string& path) {
    static std::mutex lock;
    static std::map<std::string, files::TextInput> read;
    const std::lock_guard<std::mutex> hold(lock);
    auto at = read.find(path);
    if (at == read.end())
        at = read.emplace(path, files::read_text_input(path, files::max_scenario_bytes)).first;
    return at->second;
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
    const files::TextInput& input = scenario_text(path);
    if (!input.problem.empty()) {
        trial::LoadedScenario refused;
        refused.errors.push_back(
            {path, 0, 0, "", "cannot open the scenario file: " + input.problem});
        report(refused, path);
        return std::nullopt;
    }
    if (overrides.empty()) {
        const trial::LoadedScenario loaded =
            trial::load_scenario_text(input.text, path, trial::registered_policy_names());
        report(loaded, path);
        return loaded.scenario;
    }
    const trial::EditedScenario edited = trial::apply_overrides(input.text, path, overrides);
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

namespace {

bool usable_here(const std::string& out_path, const std::string& flag) {
    namespace fs = std::filesystem;
    if (out_path.empty()) return true;
    std::error_code error;
    // A link's file is what gets replaced; a folder, a device or a pipe is refused (renaming
    // the results over /dev/null would remove the device).
    const files::ReplaceTarget target = files::replace_target(out_path);
    if (!target.refusal.empty()) {
        std::cerr << out_path << ": " << target.refusal << "; " << flag
                  << " names the file to write"
                  << (flag == "--out" ? " (without --out the results are not written)" : "")
                  << "\n";
        return false;
    }
    const fs::path parent = fs::absolute(target.path).parent_path();
    if (!fs::is_directory(parent, error)) {
        std::cerr << out_path << ": the folder " << parent << " does not exist\n";
        return false;
    }
    if (::access(parent.c_str(), W_OK) != 0) {
        std::cerr << out_path << ": the folder " << parent << " is not writable ("
                  << std::strerror(errno) << ")\n";
        return false;
    }
    if (fs::exists(target.path, error) && ::access(target.path.c_str(), W_OK) != 0) {
        std::cerr << out_path << ": cannot be replaced (" << std::strerror(errno) << ")\n";
        return false;
    }
    // PATH.tmp-PID left by a run killed while writing (SIGKILL, power loss).
    const std::string prefix = fs::path(target.path).filename().string() + ".tmp-";
    for (const fs::directory_entry& entry : fs::directory_iterator(parent, error)) {
        const std::string name = entry.path().filename().string();
        if (name.rfind(prefix, 0) != 0) continue;
        const std::string pid_text = name.substr(prefix.size());
        if (pid_text.empty() || pid_text.find_first_not_of("0123456789") != std::string::npos)
            continue;
        const long pid = std::strtol(pid_text.c_str(), nullptr, 10);
        if (pid > 0 && ::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH) {
            fs::remove(entry.path(), error);
            std::cerr << "trialtwin: removed " << entry.path().string()
                      << ", left by an earlier run that was stopped while writing\n";
        }
    }
    return true;
}

}  // namespace

bool out_path_usable(const std::string& out_path, const std::string& flag) {
    if (parallel::rank_count() == 1) return usable_here(out_path, flag);
    // Rank 0 writes, so rank 0 judges (and tells the others: every rank stops alike).
    const bool usable = parallel::is_root() && usable_here(out_path, flag);
    return parallel::root_says(usable ? "usable" : "") == "usable";
}

bool fits_in_memory(const RunSettings& settings, const trial::Scenario& scenario, int arms) {
    // A replication's summary and its row of the results tables, with its weekly series.
    const double weeks = scenario.trial.horizon_days / 7.0 + 2;
    const double per_replication = sizeof(trial::ReplicationSummary) + 512 + weeks * 4 * 3;
    const double needed = per_replication * settings.replications * arms;
    double available = static_cast<double>(::sysconf(_SC_PHYS_PAGES)) * ::sysconf(_SC_PAGE_SIZE);
    rlimit limit{};
    if (::getrlimit(RLIMIT_AS, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY)
        available = std::min(available, static_cast<double>(limit.rlim_cur));
    if (needed <= 0.8 * available) return true;
    std::cerr << "--reps " << settings.replications
              << (arms > 1 ? " × " + std::to_string(arms) : "") << ": the results would need about "
              << static_cast<long long>(needed / 1e6)
              << " MB of memory, more than this machine has to give ("
              << static_cast<long long>(available / 1e6) << " MB); run fewer replications\n";
    return false;
}

trial::MonteCarloOptions monte_carlo_options(const std::string& what, const RunSettings& s) {
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
        options.on_progress = [what, started](int done, int total) {
            show_progress(what, done, total, started);
        };
    } else {
        // To a log: a line every ~10 s (TRIALTWIN_PROGRESS_SECONDS), so a long run is seen
        // to go on.
        double every = 10;
        if (const char* text = std::getenv("TRIALTWIN_PROGRESS_SECONDS")) every = std::atof(text);
        auto last = std::make_shared<std::chrono::steady_clock::time_point>(started);
        options.on_progress = [what, started, every, last](int done, int total) {
            const auto now = std::chrono::steady_clock::now();
            if (std::chrono::duration<double>(now - *last).count() < every || done >= total) return;
            *last = now;
            const double seconds = std::chrono::duration<double>(now - started).count();
            std::cerr << what << ": " << done << "/" << total << " replications, "
                      << static_cast<int>(seconds) << " s\n"
                      << std::flush;
        };
    }
    return options;
}

// Runs the replications of one scenario; nothing if interrupted.
std::optional<ArmRun> simulate(const Arm& arm, const RunSettings& s) {
    const trial::MonteCarloOptions options = monte_carlo_options(arm.name, s);
    trial::MonteCarloResult result = trial::run_monte_carlo(arm.scenario, options);
    if (options.on_progress && ::isatty(STDERR_FILENO)) std::cerr << "\n";
    if (result.cancelled) {
        std::cerr << "trialtwin: stopped after " << result.replications.size() << " of "
                  << s.replications << " replications; nothing was written\n";
        return std::nullopt;
    }
    // Ranks other than 0 hold their own share only, and print and write nothing: their summary
    // is not worth the time rank 0 spends writing (parallel/ranks.hpp).
    trial::RunSummary summary = parallel::is_root()
                                    ? trial::summarise(arm.scenario, result.replications)
                                    : trial::summarise(arm.scenario, {});
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
        // A variant runs under the baseline's policy, and recruits at the baseline's staffing
        // as its effort reference: more or fewer staff recruit faster or slower.
        variant->policy = arms.front().scenario.policy;
        trial::pin_effort_reference(*variant, scenario);
        arms.push_back({name, std::move(*variant)});
    }
    return arms;
}

trial::RunMetadata metadata_of(const RunSettings& settings, int argc, char** argv) {
    return {tool_version,  joined(argc, argv),      now_utc(),
            settings.seed, settings.threads_used(), sim::kernel_description(settings.kernel)};
}

int write_results(const std::string& path, const trial::RunMetadata& metadata,
                  const trial::Scenario& base, std::span<const Arm> arms, std::span<ArmRun> runs,
                  const RunSettings& settings, const trial::ForecastOrigin* origin,
                  trial::DecisionGroups decision, std::string* written_to) {
    if (!parallel::is_root()) return 0;  // rank 0 writes for every rank (parallel/ranks.hpp)
    std::vector<trial::PolicyTables> tables;
    for (std::size_t a = 0; a < arms.size(); ++a) {
        tables.push_back(
            trial::tabulate(arms[a].name, arms[a].scenario, base, runs[a].result, runs[a].summary));
    }
    return written_somewhere(
        [&] {
            trial::write_results_file(path, metadata, base, tables, origin, &interrupted, decision);
        },
        settings, written_to);
}

int written_somewhere(const std::function<void()>& write, const RunSettings& settings,
                      std::string* written_to) {
    if (!parallel::is_root()) return 0;  // rank 0 writes for every rank (parallel/ranks.hpp)
    try {
        write();
        return 0;
    } catch (const trial::WritingStopped& e) {
        std::cerr << "trialtwin: " << e.what() << "\n";
        return exit_interrupted;
    } catch (const trial::ResultsNotWritten& refused) {
        std::cerr << "trialtwin: " << refused.what() << "\n";
        std::string elsewhere = settings.fallback_path;
        const bool ask = elsewhere.empty() && ::isatty(STDIN_FILENO);
        for (;;) {
            if (ask) {
                std::cerr << "The finished run is kept in memory. Write it to (a path; empty "
                             "to discard): "
                          << std::flush;
                if (!std::getline(std::cin, elsewhere)) elsewhere.clear();
            }
            if (elsewhere.empty()) break;
            try {
                trial::put_on_disk(elsewhere, refused.image, &interrupted);
                std::cerr << "trialtwin: written to " << elsewhere << " instead\n";
                if (written_to) *written_to = elsewhere;
                return 0;
            } catch (const trial::ResultsNotWritten& again) {
                std::cerr << "trialtwin: " << again.what() << "\n";
                if (!ask) break;
            } catch (const trial::WritingStopped& e) {
                std::cerr << "trialtwin: " << e.what() << "\n";
                return exit_interrupted;
            }
        }
        std::cerr << "trialtwin: the results were not written"
                  << (ask ? "" : " (--fallback-out PATH names a second place to write them)")
                  << "\n";
        return exit_internal_error;
    }
}

}  // namespace cli
