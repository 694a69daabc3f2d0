// trialtwin: the command line. Exit codes: 0 ok, 2 bad input, 1 internal error, 130 stopped
// by Ctrl-C (nothing written).

#include <malloc.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <csignal>
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
#include "models/cli/experiment.hpp"
#include "models/cli/inspect.hpp"
#include "models/cli/report.hpp"
#include "models/policy/registry.hpp"
#include "models/runner/metrics.hpp"
#include "models/runner/monte_carlo.hpp"
#include "models/runner/sweep_design.hpp"
#include "models/runner/tables.hpp"
#include "models/scenario/overrides.hpp"
#include "models/scenario/scenario_loader.hpp"
#include "models/store/results_file.hpp"
#include "models/trial/rules.hpp"

namespace {

using namespace cli;

void add_run_options(CLI::App* command, RunSettings& s) {
    command->add_option("--reps", s.replications, "Replications")->check(CLI::Range(1, 10'000'000));
    command->add_option("--seed", s.seed, "Master seed (same seed, same results)");
    command->add_option("--threads", s.threads, "Worker threads (results do not depend on it)")
        ->check(CLI::Range(1, 256));
    command->add_option("--out", s.out_path, "Write the runs to this HDF5 file");
    command->add_flag("--json", s.json, "Print the summary as JSON (keys: results/README.md)");
    command
        ->add_option("--engine", s.kernel,
                     "Kernel: native (default) or simgrid (SimGrid S4U actors, one replication "
                     "at a time, same results)")
        ->transform(CLI::CheckedTransformer(std::map<std::string, sim::Kernel>{
            {"native", sim::Kernel::native}, {"simgrid", sim::Kernel::simgrid}}));
    command
        ->add_option("--trace", s.traced,
                     "Store every event of the first K replications (for playback)")
        ->check(CLI::Range(0, 1000));
}

// --policies a,b,...: the first is the baseline; as_written is the scenario's own.
void add_policies_option(CLI::App* command, std::vector<std::string>& names,
                         const std::string& verb, const std::string& policy_help) {
    command
        ->add_option("--policies", names,
                     "a,b,...: policies to " + verb +
                         ", the first is the baseline (as_written: the scenario's own). " +
                         policy_help)
        ->delimiter(',');
}

int run_sweep(const std::string& path, const trial::Scenario& base,
              const std::vector<std::string>& specs, const std::string& design_name, int points,
              bool resume, const RunSettings& settings, int argc, char** argv) {
    std::vector<trial::SweepDimension> dimensions;
    for (const std::string& spec : specs) {
        trial::SweepDimension d;
        std::string error;
        if (!trial::parse_dimension(spec, d, error)) {
            std::cerr << error << "\n";
            return exit_bad_input;
        }
        d.integer = trial::holds_integer(base.source_text, d.key);
        dimensions.push_back(std::move(d));
    }
    const trial::SweepDesign design =
        design_name == "lhs" ? trial::SweepDesign::latin_hypercube : trial::SweepDesign::grid;
    trial::SweepTable table{
        design_name, {}, trial::sweep_points(dimensions, design, points, settings.seed)};
    for (const auto& d : dimensions)
        table.keys.push_back(d.key);
    // Every point is checked before anything runs.
    std::vector<Arm> arms;
    for (const auto& values : table.values) {
        std::vector<std::string> sets;
        for (std::size_t k = 0; k < values.size(); ++k)
            sets.push_back(dimensions[k].key + "=" + values[k]);
        std::optional<trial::Scenario> s = load_with(path, sets);
        if (!s) return exit_bad_input;
        char name[32];
        std::snprintf(name, sizeof name, "point_%04zu", arms.size());
        arms.push_back({name, std::move(*s)});
    }
    // With --out, each finished point goes to a file of its own in OUT.points/, so that an
    // interrupted sweep keeps its points and --resume carries on; the results file is put
    // together from them at the end.
    const std::string points_dir = settings.out_path.empty() ? "" : settings.out_path + ".points";
    if (!points_dir.empty()) {
        if (!resume) std::filesystem::remove_all(points_dir);
        std::filesystem::create_directories(points_dir);
    }
    const trial::RunMetadata metadata = metadata_of(settings, argc, argv);
    std::vector<std::string> names, files;
    int kept = 0;
    std::cout << "sweep of " << arms.size() << " points (" << design_name << "), "
              << settings.replications << " replications each, same replications at every point\n";
    std::cout << "  point";
    for (const auto& d : dimensions)
        std::cout << "  " << d.key;
    std::cout << "  | target met median  P(plan)  deviations median  cost total median\n";
    for (std::size_t p = 0; p < arms.size(); ++p) {
        names.push_back(arms[p].name);
        files.push_back(points_dir.empty() ? "" : points_dir + "/" + arms[p].name + ".h5");
        std::cout << "  " << names.back();
        for (const std::string& v : table.values[p])
            std::cout << "  " << v;
        if (resume && trial::holds_finished_point(files.back(), names.back(), arms[p].scenario,
                                                  settings.seed, settings.replications)) {
            std::cout << "  | kept from the interrupted run\n";
            ++kept;
            continue;
        }
        std::cout << std::flush;
        std::optional<ArmRun> r = simulate(arms[p], settings);
        if (!r) {
            if (!points_dir.empty()) {
                std::cerr << "trialtwin: " << p << " finished point(s) kept in " << points_dir
                          << "; run the same command with --resume to carry on\n";
            }
            return exit_interrupted;
        }
        const trial::RunSummary& summary = r->summary;
        const auto metric = [&](const char* key) {
            for (const auto& m : summary.metrics) {
                if (m.key == key) return m.median;
            }
            return std::nan("");
        };
        std::cout << std::fixed << std::setprecision(1) << "  | " << metric("target_met_day")
                  << "  " << std::setprecision(3) << summary.p_target_met_by_plan << "  "
                  << std::setprecision(0) << metric("deviations") << "  " << metric("cost_total")
                  << "\n";
        if (!points_dir.empty()) {
            write_results(files.back(), metadata, base, {&arms[p], 1}, {&*r, 1});
        }
    }
    if (!settings.out_path.empty()) {
        trial::assemble_sweep_file(settings.out_path, metadata, base, settings.replications, files,
                                   names, table);
        std::filesystem::remove_all(points_dir);
        std::cout << "  written to " << settings.out_path;
        if (kept > 0) std::cout << " (" << kept << " point(s) kept from the interrupted run)";
        std::cout << "\n";
    }
    return 0;
}

}  // namespace

// `trialtwin render …` is the visualizer's PNG export: it runs the trialtwin-viz installed
// next to this program, so that the simulator never links OpenGL and the visualizer never
// links the simulator.
int render_with_visualizer(int argc, char** argv) {
    std::error_code error;
    const std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", error);
    const std::filesystem::path viz = self.parent_path() / "trialtwin-viz";
    if (error || !std::filesystem::exists(viz)) {
        std::cerr << "trialtwin render: the visualizer (" << viz.string()
                  << ") is not installed next to trialtwin; build the trialtwin-viz target\n";
        return exit_internal_error;
    }
    std::vector<std::string> arguments{viz.string(), "render"};
    for (int i = 2; i < argc; ++i)
        arguments.emplace_back(argv[i]);
    std::vector<char*> pointers;
    for (std::string& a : arguments)
        pointers.push_back(a.data());
    pointers.push_back(nullptr);
    execv(viz.c_str(), pointers.data());
    std::cerr << "trialtwin render: cannot run " << viz.string() << ": " << std::strerror(errno)
              << "\n";
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

int main(int argc, char** argv) try {
    keep_freed_memory_for_reuse();
    if (argc > 1 && std::string_view(argv[1]) == "render")
        return render_with_visualizer(argc, argv);
    CLI::App app{"trialtwin: a digital twin of clinical-trial operations"};
    app.require_subcommand(1);
    // Listed for --help; handled above by the visualizer.
    app.add_subcommand("render",
                       "Export a chart of a results file as PNG: render RESULTS.h5 --view "
                       "overview|fan|timeline|utilisation|compare|playback|sweep --out FILE.png "
                       "[--size 1920x1080] (see trialtwin render --help)")
        ->allow_extras();

    std::string scenario_path;
    std::vector<std::string> settings;
    CLI::App* validate =
        app.add_subcommand("validate", "Check a scenario file and say what is wrong");
    validate->add_option("scenario", scenario_path, "Scenario file (TOML)")->required();
    validate->add_option("--set", settings, "Change a scenario value: KEY=VALUE (repeatable)");

    const std::string policy_help =
        "Policy: an allocation policy, optionally + a booking rule and/or + a resupply rule "
        "(e.g. adaptive+window_slack+predictive); parts left out keep the scenario's [policy]. "
        "Known:\n" +
        trial::describe_policies();
    RunSettings run_settings;
    std::string policy_name;
    CLI::App* run =
        app.add_subcommand("run", "Simulate a scenario, print a summary, store the runs");
    run->add_option("scenario", scenario_path, "Scenario file (TOML)")->required();
    run->add_option("--set", settings, "Change a scenario value: KEY=VALUE (repeatable)");
    run->add_option("--policy", policy_name, policy_help);
    add_run_options(run, run_settings);

    std::vector<std::string> variant_texts;
    std::vector<std::string> policy_names;
    CLI::App* compare = app.add_subcommand(
        "compare",
        "Run policies (and variants of the scenario) on the same replications; paired "
        "differences against the first");
    compare->add_option("scenario", scenario_path, "Scenario file (TOML)")->required();
    add_policies_option(compare, policy_names, "compare", policy_help);
    compare->add_option(
        "--variant", variant_texts,
        "NAME: KEY=VALUE; KEY=VALUE ... (repeatable; the scenario with these values, compared "
        "with the baseline)");
    compare->add_option("--set", settings, "Change a scenario value: KEY=VALUE (repeatable)");
    add_run_options(compare, run_settings);

    std::vector<std::string> sweep_specs;
    std::string design_name = "grid";
    int points = 5;
    CLI::App* sweep = app.add_subcommand(
        "sweep", "Run the scenario at each point of a parameter design, on the same replications");
    sweep->add_option("scenario", scenario_path, "Scenario file (TOML)")->required();
    sweep->add_option("--set", sweep_specs, "KEY=V1,V2,... or KEY=LO:HI (repeatable)")->required();
    sweep->add_option("--design", design_name, "grid (every combination) or lhs (Latin hypercube)")
        ->check(CLI::IsMember({"grid", "lhs"}));
    sweep->add_option("--points", points, "lhs: points in all; grid: values per range")
        ->check(CLI::Range(2, 100'000));
    add_run_options(sweep, run_settings);
    bool resume = false;
    sweep->add_flag("--resume", resume,
                    "Carry on an interrupted sweep: keep the points it finished (needs --out)");

    std::string observed_path, patients_path, as_of;
    CLI::App* forecast = app.add_subcommand(
        "forecast",
        "The digital twin: fit the recruitment model to a running trial's observed data and "
        "forecast from the as-of date, under one or more policies (same replications)");
    forecast->add_option("scenario", scenario_path, "Scenario file (TOML)")->required();
    forecast
        ->add_option("--observed", observed_path,
                     "Per-site observations to date (CSV; scenarios/observed/README.md)")
        ->required();
    forecast->add_option("--patients", patients_path,
                         "Optional per-patient randomisation dates and status (CSV)");
    forecast->add_option("--as-of", as_of, "Date the observations run to (YYYY-MM-DD)")->required();
    add_policies_option(forecast, policy_names, "forecast under", policy_help);
    forecast->add_option("--set", settings, "Change a scenario value: KEY=VALUE (repeatable)");
    add_run_options(forecast, run_settings);

    std::string results_path;
    CLI::App* inspect = app.add_subcommand("inspect", "Say what a results file holds");
    inspect->add_option("results", results_path, "Results file (HDF5)")->required();

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        const int code = app.exit(e);
        return code == 0 ? 0 : exit_bad_input;
    }
    if (*inspect) {
        return trial::inspect_results(results_path, std::cout, std::cerr) ? 0 : exit_bad_input;
    }

    const std::optional<trial::Scenario> scenario = load_with(scenario_path, settings);
    if (!scenario) return exit_bad_input;
    if (*validate) {
        std::cout << scenario_path << ": ok (" << scenario->sites.size() << " sites in "
                  << scenario->countries.size() << " countries)\n";
        return 0;
    }
    if (!out_folder_exists(run_settings.out_path)) return exit_bad_input;
    std::optional<trial::Calibration> calibration;
    std::optional<trial::ForecastOrigin> origin;
    if (*forecast) {
        const trial::LoadedObservations loaded =
            trial::load_observations(*scenario, as_of, observed_path, patients_path);
        for (const std::string& error : loaded.errors)
            std::cerr << error << "\n";
        if (!loaded.observed) {
            std::cerr << loaded.errors.size() << " problem(s) in the observed data; nothing was "
                      << "simulated\n";
            return exit_bad_input;
        }
        calibration = trial::calibrate(*scenario, *loaded.observed);
        origin = trial::forecast_origin(*scenario, *loaded.observed, *calibration);
        if (!run_settings.json) trial::print_calibration(std::cout, *scenario, *calibration, as_of);
        run_settings.start = &calibration->start;
    }
    stop_on_ctrl_c();  // from here on, Ctrl-C stops cleanly
    if (*sweep) {
        if (resume && run_settings.out_path.empty()) {
            std::cerr << "--resume needs --out (the interrupted sweep's results file)\n";
            return exit_bad_input;
        }
        return run_sweep(scenario_path, *scenario, sweep_specs, design_name, points, resume,
                         run_settings, argc, argv);
    }

    // What runs, each checked before anything runs: the policies (the first is the baseline),
    // then the variants.
    if (*run && !policy_name.empty()) policy_names = {policy_name};
    if (policy_names.empty()) policy_names = {"as_written"};
    if (*compare && variant_texts.empty() && policy_names.size() < 2) {
        std::cerr << "compare needs two policies (--policies a,b) or a --variant\n";
        return exit_bad_input;
    }
    const std::optional<std::vector<Arm>> arms = arms_of(
        scenario_path, *scenario, policy_names, variant_texts, *run ? "--policy" : "--policies");
    if (!arms) return exit_bad_input;
    std::vector<std::string> names;
    for (const Arm& arm : *arms)
        names.push_back(arm.name);

    // Every run uses the same seed, so replication r sees the same patients, delays and
    // machine failures under each (common random numbers).
    std::vector<ArmRun> runs;
    std::vector<trial::RunSummary> summaries;
    std::vector<std::vector<trial::PairedDifference>> differences;
    for (const Arm& arm : *arms) {
        std::optional<ArmRun> r = simulate(arm, run_settings);
        if (!r) return exit_interrupted;
        summaries.push_back(r->summary);
        if (!runs.empty()) {
            differences.push_back(trial::paired_differences(
                *scenario, runs.front().result.replications, r->result.replications));
        }
        runs.push_back(std::move(*r));
    }

    const std::vector<std::string> others(names.begin() + 1, names.end());
    const std::vector<trial::RunSummary> other_summaries(summaries.begin() + 1, summaries.end());
    if (run_settings.json) {
        std::string json =
            arms->size() == 1
                ? trial::summary_json(arms->front().scenario, summaries.front(), run_settings.seed)
                : trial::comparison_json(arms->front().scenario, names.front(), summaries.front(),
                                         others, other_summaries, differences, run_settings.seed);
        if (calibration) {
            std::vector<const std::vector<trial::ReplicationSummary>*> replications;
            for (const ArmRun& r : runs)
                replications.push_back(&r.result.replications);
            json = trial::with_forecast_json(json, *scenario, *origin, names, replications);
        }
        std::cout << json << "\n";
    } else {
        if (arms->size() > 1) std::cout << "baseline: " << names.front() << "\n";
        trial::print_summary(std::cout, arms->front().scenario, summaries.front());
        if (calibration) {
            for (std::size_t v = 0; v < arms->size(); ++v) {
                trial::print_forecast(std::cout, *scenario, names[v], runs[v].result.replications,
                                      as_of);
            }
        }
        for (std::size_t v = 0; v < others.size(); ++v) {
            trial::print_headline(std::cout, names.front(), others[v], differences[v]);
        }
        for (std::size_t v = 0; v < others.size(); ++v) {
            trial::print_comparison(std::cout, names.front(), others[v], differences[v]);
        }
    }
    if (!run_settings.out_path.empty()) {
        write_results(run_settings.out_path, metadata_of(run_settings, argc, argv), *scenario,
                      *arms, runs, origin ? &*origin : nullptr);
        if (!run_settings.json) std::cout << "  written to " << run_settings.out_path << "\n";
    }
    return 0;
} catch (const std::exception& e) {
    std::cerr << "trialtwin: " << e.what() << "\n";
    return exit_internal_error;
}
