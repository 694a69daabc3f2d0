#include "models/cli/sweep_command.hpp"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iomanip>
#include <iostream>

#include "models/parallel/ranks.hpp"
#include "models/runner/sweep_design.hpp"
#include "models/runner/wire.hpp"
#include "models/scenario/overrides.hpp"

namespace cli {
namespace {

// Each point is a scenario checked, run and written: 100,000 is days of computing already.
constexpr double most_sweep_points = 100'000;

// The design's points, each a scenario checked before anything runs.
struct SweepPlan {
    std::vector<trial::SweepDimension> dimensions;
    trial::SweepTable table;
    std::vector<Arm> points;
};

std::optional<SweepPlan> plan_sweep(const Commands& c, const trial::Scenario& base) {
    SweepPlan plan;
    for (const std::string& spec : c.sweep_specs) {
        trial::SweepDimension d;
        std::string error;
        if (!trial::parse_dimension(spec, d, error)) {
            std::cerr << error << "\n";
            return std::nullopt;
        }
        d.integer = trial::holds_integer(base.source_text, d.key);
        plan.dimensions.push_back(std::move(d));
    }
    const trial::SweepDesign design =
        c.design_name == "lhs" ? trial::SweepDesign::latin_hypercube : trial::SweepDesign::grid;
    const double count = trial::sweep_point_count(plan.dimensions, design, c.points);
    if (count > most_sweep_points) {
        std::cerr << "sweep: the " << c.design_name << " design has " << count
                  << " points; at most " << most_sweep_points
                  << " (fewer values or --points, or --design lhs)\n";
        return std::nullopt;
    }
    if (!fits_in_memory(c.run_settings, base, static_cast<int>(count))) return std::nullopt;
    plan.table = {c.design_name,
                  {},
                  trial::sweep_points(plan.dimensions, design, c.points, c.run_settings.seed)};
    for (const auto& d : plan.dimensions)
        plan.table.keys.push_back(d.key);
    for (const auto& values : plan.table.values) {
        std::vector<std::string> sets;
        for (std::size_t k = 0; k < values.size(); ++k)
            sets.push_back(plan.dimensions[k].key + "=" + values[k]);
        std::optional<trial::Scenario> s = load_with(c.scenario_path, sets);
        if (!s) return std::nullopt;
        trial::pin_effort_reference(*s, base);  // staffing swept against the base's
        char name[32];
        std::snprintf(name, sizeof name, "point_%04zu", plan.points.size());
        plan.points.push_back({name, std::move(*s)});
    }
    return plan;
}

void print_header(const SweepPlan& plan, const Commands& c) {
    std::cout << "sweep of " << plan.points.size() << " points (" << c.design_name << "), "
              << c.run_settings.replications
              << " replications each, same replications at every point\n";
    std::cout << "  point";
    for (const auto& d : plan.dimensions)
        std::cout << "  " << d.key;
    std::cout << "  | target met median  P(plan)  deviations median  cost total median\n";
}

void print_outcome(const trial::RunSummary& summary) {
    const auto metric = [&](const char* key) {
        for (const auto& m : summary.metrics) {
            if (m.key == key) return m.median;
        }
        return std::nan("");
    };
    std::cout << std::fixed << std::setprecision(1) << "  | " << metric("target_met_day") << "  "
              << std::setprecision(3) << summary.p_target_met_by_plan << "  "
              << std::setprecision(0) << metric("deviations") << "  " << metric("cost_total")
              << "\n";
}

// One point as a rank ran it, for the trip to rank 0: "R" and its replications, "C" when it was
// stopped, "F" and what failed, "-" when the rank had no point in this batch.
std::string point_as_bytes(const Arm& point, const RunSettings& settings) {
    try {
        trial::MonteCarloOptions options = monte_carlo_options(point.name, settings);
        const trial::MonteCarloResult run = trial::run_share(point.scenario, options, 0, 1);
        if (options.on_progress && ::isatty(STDERR_FILENO)) std::cerr << "\n";
        if (run.cancelled) return "C";
        return "R" + trial::share_to_bytes(run, {});
    } catch (const std::exception& e) {
        return "F" + std::string(e.what());
    }
}

// Where a point's file goes when the disk of OUT.points/ refuses it: FALLBACK.points/, beside
// the --fallback-out file (so that every point of a sweep has a file of its own).
std::string fallback_points_dir(const RunSettings& settings) {
    return settings.fallback_path.empty() ? "" : settings.fallback_path + ".points";
}

// Writes a finished point to `file`, or, if its disk refuses it, to FALLBACK.points/ (and
// `file` then names where it went): the sweep file is put together from every point's file.
int write_point(std::string& file, const trial::RunMetadata& metadata, const trial::Scenario& base,
                const Arm& point, ArmRun& run, const RunSettings& settings) {
    RunSettings for_point = settings;
    const std::string folder = fallback_points_dir(settings);
    std::error_code error;
    if (!folder.empty()) {
        std::filesystem::create_directories(folder, error);
        for_point.fallback_path = folder + "/" + point.name + ".h5";
    }
    const int written =
        write_results(file, metadata, base, {&point, 1}, {&run, 1}, for_point, nullptr, {}, &file);
    if (!folder.empty()) std::filesystem::remove(folder, error);  // only if nothing went there
    return written;
}

// Under MPI (several ranks): whole points to ranks, a batch of as many points as ranks at a
// time, rank k taking the batch's k-th; rank 0 gathers each batch, then prints and writes its
// points in order. The same point files as one process, which runs them one by one. Returns 0
// or the exit code every rank ends with.
int points_over_ranks(const SweepPlan& plan, const std::vector<std::size_t>& to_run,
                      std::vector<std::string>& files, const trial::RunMetadata& metadata,
                      const trial::Scenario& base, const RunSettings& settings) {
    const std::size_t ranks = static_cast<std::size_t>(parallel::rank_count());
    const std::size_t rank = static_cast<std::size_t>(parallel::rank());
    for (std::size_t batch = 0; batch < to_run.size(); batch += ranks) {
        const std::size_t mine = batch + rank;
        const std::vector<std::string> done = parallel::gather_to_root(
            mine < to_run.size() ? point_as_bytes(plan.points[to_run[mine]], settings) : "-");
        std::string verdict;  // "": carry on; "C": stopped; "F...": failed; "W...": not written
        for (std::size_t k = 0; parallel::is_root() && k < done.size() && verdict.empty(); ++k) {
            if (batch + k >= to_run.size()) break;
            const std::size_t p = to_run[batch + k];
            const Arm& point = plan.points[p];
            const std::string& bytes = done[k];
            if (bytes.empty() || bytes[0] == 'C') {
                verdict = "C";
            } else if (bytes[0] == 'F') {
                verdict = "Frank " + std::to_string(k) + ": " + point.name + ": " + bytes.substr(1);
            } else {
                trial::ShareStatus status;
                trial::MonteCarloResult run =
                    trial::shares_together({bytes.substr(1)}, settings.traced, status);
                trial::RunSummary summary = trial::summarise(point.scenario, run.replications);
                std::cout << "  " << point.name;
                for (const std::string& v : plan.table.values[p])
                    std::cout << "  " << v;
                print_outcome(summary);
                if (!files[p].empty()) {
                    ArmRun r{std::move(run), std::move(summary)};
                    const int written = write_point(files[p], metadata, base, point, r, settings);
                    if (written != 0) verdict = "W" + std::to_string(written);
                }
            }
        }
        verdict = parallel::root_says(verdict);
        if (verdict.empty()) continue;
        if (verdict[0] == 'F') throw trial::RunFailed(verdict.substr(1));
        if (verdict[0] == 'W') return std::stoi(verdict.substr(1));
        return exit_interrupted;
    }
    return 0;
}

}  // namespace

int run_sweep(const Commands& c, const trial::Scenario& base, int argc, char** argv) {
    const RunSettings& settings = c.run_settings;
    std::optional<SweepPlan> plan = plan_sweep(c, base);
    if (!plan) return exit_bad_input;
    // With --out, each finished point goes to a file of its own in OUT.points/, so that an
    // interrupted sweep keeps its points and --resume carries on; the results file is put
    // together from them at the end. (Rank 0 alone touches files: parallel/ranks.hpp.)
    const std::string points_dir = settings.out_path.empty() ? "" : settings.out_path + ".points";
    if (!points_dir.empty() && parallel::is_root()) {
        if (!c.resume) std::filesystem::remove_all(points_dir);
        std::filesystem::create_directories(points_dir);
    }
    const trial::RunMetadata metadata = metadata_of(settings, argc, argv);
    std::vector<std::string> names, files;
    for (const Arm& point : plan->points) {
        names.push_back(point.name);
        files.push_back(points_dir.empty() ? "" : points_dir + "/" + point.name + ".h5");
    }
    // Points an interrupted run finished (with --resume): rank 0 reads the point files and tells
    // the others, so that every rank skips alike.
    std::string kept_text(plan->points.size(), '0');
    if (c.resume && parallel::is_root()) {
        for (std::size_t p = 0; p < plan->points.size(); ++p) {
            const Arm& point = plan->points[p];
            if (trial::holds_finished_point(files[p], point.name, point.scenario, settings.seed,
                                            settings.replications))
                kept_text[p] = '1';
        }
    }
    kept_text = parallel::root_says(kept_text);
    const int kept = static_cast<int>(std::count(kept_text.begin(), kept_text.end(), '1'));
    print_header(*plan, c);
    if (parallel::rank_count() > 1) {
        std::vector<std::size_t> to_run;
        for (std::size_t p = 0; p < plan->points.size(); ++p) {
            if (kept_text[p] == '1') {
                std::cout << "  " << plan->points[p].name << "  | kept from the interrupted run\n";
            } else {
                to_run.push_back(p);
            }
        }
        const int status = points_over_ranks(*plan, to_run, files, metadata, base, settings);
        if (status == exit_interrupted && !points_dir.empty()) {
            std::cerr << "trialtwin: the finished points are kept in " << points_dir
                      << "; run the same command with --resume to carry on\n";
        }
        if (status != 0) return status;
    }
    for (std::size_t p = 0; parallel::rank_count() == 1 && p < plan->points.size(); ++p) {
        const Arm& point = plan->points[p];
        std::cout << "  " << point.name;
        for (const std::string& v : plan->table.values[p])
            std::cout << "  " << v;
        if (kept_text[p] == '1') {
            std::cout << "  | kept from the interrupted run\n";
            continue;
        }
        std::cout << std::flush;
        std::optional<ArmRun> r = simulate(point, settings);
        if (!r) {
            if (!points_dir.empty()) {
                std::cerr << "trialtwin: " << p << " finished point(s) kept in " << points_dir
                          << "; run the same command with --resume to carry on\n";
            }
            return exit_interrupted;
        }
        print_outcome(r->summary);
        if (!points_dir.empty()) {
            // A point that cannot be written stops the sweep (the finished points are kept).
            const int written = write_point(files[p], metadata, base, point, *r, settings);
            if (written != 0) {
                std::error_code ignored;  // with no point finished, nothing is left behind
                if (std::filesystem::is_empty(points_dir, ignored))
                    std::filesystem::remove(points_dir, ignored);
                return written;
            }
        }
    }
    if (!settings.out_path.empty()) {
        std::string written_to = settings.out_path;
        const int written = written_somewhere(
            [&] {
                trial::assemble_sweep_file(settings.out_path, metadata, base, settings.replications,
                                           files, names, plan->table, &interrupted);
            },
            settings, &written_to);
        if (written != 0) return written;
        if (parallel::is_root()) {
            std::filesystem::remove_all(points_dir);
            if (!settings.fallback_path.empty())
                std::filesystem::remove_all(fallback_points_dir(settings));
        }
        std::cout << "  written to " << written_to;
        if (kept > 0) std::cout << " (" << kept << " point(s) kept from the interrupted run)";
        std::cout << "\n";
    }
    return 0;
}

}  // namespace cli
