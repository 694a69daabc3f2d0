#include "models/cli/sweep_command.hpp"

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iomanip>
#include <iostream>

#include "models/parallel/ranks.hpp"
#include "models/runner/sweep_design.hpp"
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
    int kept = 0;
    print_header(*plan, c);
    for (std::size_t p = 0; p < plan->points.size(); ++p) {
        const Arm& point = plan->points[p];
        names.push_back(point.name);
        files.push_back(points_dir.empty() ? "" : points_dir + "/" + point.name + ".h5");
        std::cout << "  " << point.name;
        for (const std::string& v : plan->table.values[p])
            std::cout << "  " << v;
        // Rank 0 reads the point file and tells the others, so that every rank skips alike.
        const bool finished =
            c.resume && parallel::root_says(
                            trial::holds_finished_point(files.back(), point.name, point.scenario,
                                                        settings.seed, settings.replications)
                                ? "kept"
                                : "") == "kept";
        if (finished) {
            std::cout << "  | kept from the interrupted run\n";
            ++kept;
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
            const int written =
                write_results(files.back(), metadata, base, {&point, 1}, {&*r, 1}, settings);
            if (written != 0) return written;
        }
    }
    if (!settings.out_path.empty()) {
        const int written = written_somewhere(
            [&] {
                trial::assemble_sweep_file(settings.out_path, metadata, base, settings.replications,
                                           files, names, plan->table, &interrupted);
            },
            settings);
        if (written != 0) return written;
        if (parallel::is_root()) std::filesystem::remove_all(points_dir);
        std::cout << "  written to " << settings.out_path;
        if (kept > 0) std::cout << " (" << kept << " point(s) kept from the interrupted run)";
        std::cout << "\n";
    }
    return 0;
}

}  // namespace cli
