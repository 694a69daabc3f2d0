// trialtwin: the command line. Exit codes: 0 ok, 2 bad input, 1 internal error, 130 stopped
// by Ctrl-C (nothing written).

#include <malloc.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <map>
#include <sstream>
#include <thread>

#include "models/calibration/as_of.hpp"
#include "models/calibration/csv_file.hpp"
#include "models/cli/commands.hpp"
#include "models/cli/experiment.hpp"
#include "models/cli/inspect.hpp"
#include "models/cli/optimise_command.hpp"
#include "models/cli/report.hpp"
#include "models/cli/sensitivity_command.hpp"
#include "models/cli/sweep_command.hpp"
#include "models/files/input_file.hpp"
#include "models/parallel/ranks.hpp"
#include "models/policy/registry.hpp"
#include "models/runner/metrics.hpp"
#include "models/runner/monte_carlo.hpp"
#include "models/runner/sweep_design.hpp"
#include "models/runner/tables.hpp"
#include "models/scenario/overrides.hpp"
#include "models/scenario/plan_checks.hpp"
#include "models/scenario/scenario_loader.hpp"
#include "models/store/results_file.hpp"
#include "models/trial/rules.hpp"

using namespace cli;

namespace {

// forecast: the running trial's observed data, fitted; its as-of state is where the replications
// start. Nothing, after saying why, if the data are wrong.
struct ForecastStart {
    trial::Calibration calibration;
    trial::ForecastOrigin origin;
};
std::optional<ForecastStart> start_forecast(const Commands& c, const trial::Scenario& scenario) {
    const trial::LoadedObservations loaded =
        trial::load_observations(scenario, c.as_of, c.observed_path, c.patients_path);
    for (const std::string& error : loaded.errors)
        std::cerr << error << "\n";
    if (!loaded.observed) {
        std::cerr << loaded.errors.size() << " problem(s) in the observed data; nothing was "
                  << "simulated\n";
        return std::nullopt;
    }
    ForecastStart f{trial::calibrate(scenario, *loaded.observed), {}};
    f.origin = trial::forecast_origin(scenario, *loaded.observed, f.calibration);
    if (!c.run_settings.json) trial::print_calibration(std::cout, scenario, f.calibration, c.as_of);
    return f;
}

// The arms as run, each summarised, and each against the first on the same replications.
struct Outcome {
    std::vector<std::string> names;
    std::vector<ArmRun> runs;
    std::vector<trial::RunSummary> summaries;
    std::vector<std::vector<trial::PairedDifference>> differences;  // arm i + 1 − arm 0
};
std::optional<Outcome> run_arms(const trial::Scenario& scenario, const std::vector<Arm>& arms,
                                const RunSettings& settings) {
    Outcome o;
    for (const Arm& arm : arms) {
        std::optional<ArmRun> r = simulate(arm, settings);
        if (!r) return std::nullopt;
        o.names.push_back(arm.name);
        o.summaries.push_back(r->summary);
        if (!o.runs.empty()) {
            o.differences.push_back(trial::paired_differences(
                scenario, o.runs.front().result.replications, r->result.replications));
        }
        o.runs.push_back(std::move(*r));
    }
    return o;
}

void report(const Commands& c, const trial::Scenario& scenario, const std::vector<Arm>& arms,
            const Outcome& o, const ForecastStart* forecast) {
    const std::vector<std::string> others(o.names.begin() + 1, o.names.end());
    const std::vector<trial::RunSummary> other_summaries(o.summaries.begin() + 1,
                                                         o.summaries.end());
    const std::uint64_t seed = c.run_settings.seed;
    if (c.run_settings.json) {
        std::string json =
            arms.size() == 1 ? trial::summary_json(arms.front().scenario, o.summaries.front(), seed)
                             : trial::comparison_json(arms.front().scenario, o.names.front(),
                                                      o.summaries.front(), others, other_summaries,
                                                      o.differences, seed);
        if (forecast) {
            std::vector<const std::vector<trial::ReplicationSummary>*> replications;
            for (const ArmRun& r : o.runs)
                replications.push_back(&r.result.replications);
            json =
                trial::with_forecast_json(json, scenario, forecast->origin, o.names, replications);
        }
        std::cout << json << "\n";
        return;
    }
    if (arms.size() > 1) std::cout << "baseline: " << o.names.front() << "\n";
    trial::print_summary(std::cout, arms.front().scenario, o.summaries.front());
    if (forecast) {
        for (std::size_t v = 0; v < arms.size(); ++v)
            trial::print_forecast(std::cout, scenario, o.names[v], o.runs[v].result.replications,
                                  c.as_of);
    }
    for (std::size_t v = 0; v < others.size(); ++v)
        trial::print_headline(std::cout, o.names.front(), others[v], o.differences[v]);
    for (std::size_t v = 0; v < others.size(); ++v)
        trial::print_comparison(std::cout, o.names.front(), others[v], o.differences[v]);
}

}  // namespace

// `trialtwin render …` (the visualizer's PNG export) and `trialtwin report …` (its PDF deck)
// run the trialtwin-viz installed next to this program, so that the simulator never links
// OpenGL or cairo and the visualizer never links the simulator.
int run_visualizer(int argc, char** argv) {
    const std::string command = argv[1];
    std::error_code error;
    const std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", error);
    const std::filesystem::path viz = self.parent_path() / "trialtwin-viz";
    if (error || !std::filesystem::exists(viz)) {
        std::cerr << "trialtwin " << command << ": the visualizer (" << viz.string()
                  << ") is not installed next to trialtwin; build the trialtwin-viz target\n";
        return exit_internal_error;
    }
    std::vector<std::string> arguments{viz.string(), command};
    for (int i = 2; i < argc; ++i)
        arguments.emplace_back(argv[i]);
    std::vector<char*> pointers;
    for (std::string& a : arguments)
        pointers.push_back(a.data());
    pointers.push_back(nullptr);
    execv(viz.c_str(), pointers.data());
    std::cerr << "trialtwin " << command << ": cannot run " << viz.string() << ": "
              << std::strerror(errno) << "\n";
    return exit_internal_error;
}

// Every replication builds and frees the same few megabytes (site ledgers, calendars, coroutine
// frames). By default glibc hands freed memory back to the system and faults it in again, page
// by page, for the next replication. Keeping up to 4 MB per arena: 10,000 replications of the
// reference trial 38.6 -> 33.8 s, peak RSS 183 -> 180 MB (16 MB kept: 33.0 s, 197 MB).
static void keep_freed_memory_for_reuse() {
    mallopt(M_TRIM_THRESHOLD, 4 << 20);
    mallopt(M_MMAP_THRESHOLD, 4 << 20);
}

#ifdef TRIALTWIN_MIMALLOC
// Whether the command simulates a trial of many sites: a scenario file (the argument after the
// command) with 200 or more [[sites]] tables. (A glance, before anything is parsed; the loader
// checks the file properly later.) Only a regular file of a scenario's size is looked at: a
// pipe read here would be empty for the loader, and a device would be read forever.
static bool simulates_a_large_trial(int argc, char** argv) {
    if (argc < 3) return false;
    const std::string_view command = argv[1];
    if (command != "run" && command != "compare" && command != "sweep" && command != "forecast" &&
        command != "optimise" && command != "sensitivity")
        return false;
    std::error_code error;
    if (!std::filesystem::is_regular_file(argv[2], error) ||
        std::filesystem::file_size(argv[2], error) > files::max_scenario_bytes || error)
        return false;
    std::ifstream file(argv[2]);
    std::string line;
    int sites = 0;
    while (std::getline(file, line) && sites < 200)
        sites += line.rfind("[[sites]]", 0) == 0;
    return sites >= 200;
}
#endif

// A large trial's heap in 2 MB pages where the kernel gives them (transparent huge pages): its
// patients, diaries and event list are spread over tens of thousands of 4 KB pages, and the page
// walks of TLB misses (costlier in a virtual machine) grew with the trial: the 16x reference
// trial ran 25-30 % faster (bench/README.md). Not for smaller trials: the reference trial gains
// 3 % and its peak RSS grows 11 MB (past the runner's 200 MB target). mimalloc reads the option
// only as it starts, before main, so the program starts itself once more with it set (the
// environment variable MIMALLOC_LARGE_OS_PAGES set either way, e.g. 0, is left alone).
static void run_with_large_pages_if_large(int argc, char** argv) {
#ifdef TRIALTWIN_MIMALLOC
    if (std::getenv("MIMALLOC_LARGE_OS_PAGES") || !simulates_a_large_trial(argc, argv)) return;
    // This program's own file by its own name (so that ps and top still say trialtwin).
    char self[4096];
    const ssize_t length = ::readlink("/proc/self/exe", self, sizeof self - 1);
    if (length <= 0) return;
    self[length] = '\0';
    ::setenv("MIMALLOC_LARGE_OS_PAGES", "1", 1);
    ::execv(self, argv);
    // (Not started again: go on as we are.)
#else
    (void)argc;
    (void)argv;
#endif
}

int main(int argc, char** argv) try {
    run_with_large_pages_if_large(argc, argv);
    keep_freed_memory_for_reuse();
    parallel::start_ranks(argc, argv);  // several processes under mpirun or srun
    if (argc > 1 &&
        (std::string_view(argv[1]) == "render" || std::string_view(argv[1]) == "report"))
        return run_visualizer(argc, argv);
    CLI::App app{"trialtwin: a digital twin of clinical-trial operations"};
    Commands c;
    describe_commands(app, c);
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        const int code = app.exit(e);
        return code == 0 ? 0 : exit_bad_input;
    }
    // Added sites first, so that --set (and its selectors) reach them too.
    for (auto file = c.added_sites.rbegin(); file != c.added_sites.rend(); ++file)
        c.settings.insert(c.settings.begin(), "+sites=" + *file);
    if (*c.inspect)
        return trial::inspect_results(c.results_path, std::cout, std::cerr) ? 0 : exit_bad_input;

    std::optional<trial::Scenario> scenario = load_with(c.scenario_path, c.settings);
    if (!scenario) return exit_bad_input;
    if (!c.run_settings.readout_by.empty()) {
        const std::string& by = c.run_settings.readout_by;
        const std::optional<int> day = trial::days_between(scenario->trial.start_date, by);
        if (!day || *day <= 0) {
            std::cerr << "--by: \"" << by << "\" is "
                      << (day ? "not after the trial's start_date " + scenario->trial.start_date
                              : std::string("not a date (YYYY-MM-DD)"))
                      << "\n";
            return exit_bad_input;
        }
        scenario->trial.plan_readout_day = *day;
    }
    if (*c.validate) {
        const std::vector<trial::PlanWarning> warnings = trial::plan_warnings(*scenario);
        for (const trial::PlanWarning& w : warnings) {
            const std::optional<int> line = trial::line_at(scenario->source_text, w.key);
            std::cerr << c.scenario_path
                      << (c.settings.empty() ? "" : " (with --set; lines refer to the edited text)")
                      << (line ? ":" + std::to_string(*line) : std::string())
                      << ": warning: " << w.key << ": " << w.message << "\n";
        }
        std::cout << c.scenario_path << ": ok (" << scenario->sites.size() << " sites in "
                  << scenario->countries.size() << " countries"
                  << (warnings.empty()
                          ? ""
                          : "; " + std::to_string(warnings.size()) + " warning(s) above")
                  << ")\n";
        // The recruitment prior as the simulator uses it, and in a planner's words.
        const trial::RecruitmentSpec& r = scenario->recruitment;
        if (r.rate_shape > 0 && r.rate_rate_days > 0) {
            const double month = 365.25 / 12;
            std::ostringstream prior;
            prior.precision(4);
            prior << "  recruitment prior: site rates ~ Gamma(shape " << r.rate_shape << ", rate "
                  << r.rate_rate_days << " days): on average "
                  << r.rate_shape / r.rate_rate_days * month
                  << " patients presenting a site-month, coefficient of variation "
                  << 1 / std::sqrt(r.rate_shape) << " between sites\n";
            std::cout << prior.str();
        }
        return c.strict && !warnings.empty() ? exit_bad_input : 0;
    }
    if (!out_path_usable(c.run_settings.out_path, "--out") ||
        !out_path_usable(c.run_settings.fallback_path, "--fallback-out") ||
        (*c.optimise && !out_path_usable(c.scenario_out, "--scenario-out")))
        return exit_bad_input;
    std::optional<ForecastStart> forecast;
    if (*c.forecast) {
        forecast = start_forecast(c, *scenario);
        if (!forecast) return exit_bad_input;
        c.run_settings.start = &forecast->calibration.start;
    }
    stop_on_ctrl_c();  // from here on, Ctrl-C stops cleanly
    if (*c.optimise) return run_optimise(c, *scenario, argc, argv);
    if (*c.sensitivity) return run_sensitivity(c, *scenario, argc, argv);
    if (*c.sweep) {
        if (c.resume && c.run_settings.out_path.empty()) {
            std::cerr << "--resume needs --out (the interrupted sweep's results file)\n";
            return exit_bad_input;
        }
        return run_sweep(c, *scenario, argc, argv);
    }

    // What runs, each checked before anything runs: the policies (the first is the baseline),
    // then the variants. Every arm uses the same seed, so replication r sees the same patients,
    // delays and machine failures under each (common random numbers).
    std::vector<std::string> policy_names = c.policy_names;
    if (*c.run && !c.policy_name.empty()) policy_names = {c.policy_name};
    if (policy_names.empty()) policy_names = {"as_written"};
    if (*c.compare && c.variant_texts.empty() && policy_names.size() < 2) {
        std::cerr << "compare needs two policies (--policies a,b) or a --variant\n";
        return exit_bad_input;
    }
    const std::optional<std::vector<Arm>> arms =
        arms_of(c.scenario_path, *scenario, policy_names, c.variant_texts,
                *c.run ? "--policy" : "--policies");
    if (!arms) return exit_bad_input;
    if (!fits_in_memory(c.run_settings, *scenario, static_cast<int>(arms->size())))
        return exit_bad_input;
    std::optional<Outcome> outcome = run_arms(*scenario, *arms, c.run_settings);
    if (!outcome) return exit_interrupted;
    report(c, *scenario, *arms, *outcome, forecast ? &*forecast : nullptr);
    if (!c.run_settings.out_path.empty()) {
        std::string written_to = c.run_settings.out_path;
        const int written = write_results(
            c.run_settings.out_path, metadata_of(c.run_settings, argc, argv), *scenario, *arms,
            outcome->runs, c.run_settings, forecast ? &forecast->origin : nullptr, {}, &written_to);
        if (written != 0) return written;
        if (!c.run_settings.json) std::cout << "  written to " << written_to << "\n";
    }
    return 0;
} catch (const trial::RunFailed& e) {
    // (Thrown by every rank alike: rank 0 says it, every rank ends with the same code.)
    std::cerr << "trialtwin: " << e.what() << "\n";
    return exit_internal_error;
} catch (const std::exception& e) {
    // On one rank only, perhaps: it ends them all, naming itself.
    if (parallel::rank_count() > 1) parallel::fatal(e.what(), exit_internal_error);
    std::cerr << "trialtwin: " << e.what() << "\n";
    return exit_internal_error;
}
