#include "models/cli/commands.hpp"

#include <charconv>
#include <cstdint>
#include <map>

#include "models/trial/rules.hpp"

namespace cli {
namespace {

// A seed is 0 .. 2^64 - 1, written out: "-1" (which CLI11 would wrap to 2^64 - 1), "1e3" and
// "12abc" are refused.
CLI::Validator whole_number_seed() {
    return CLI::Validator(
        [](std::string& text) -> std::string {
            std::uint64_t value = 0;
            const auto [end, error] =
                std::from_chars(text.data(), text.data() + text.size(), value);
            if (text.empty() || error != std::errc() || end != text.data() + text.size())
                return "\"" + text + "\" is not a whole number from 0 to 18446744073709551615";
            return {};
        },
        "0..2^64-1");
}

void add_run_options(CLI::App* command, RunSettings& s) {
    command->add_option("--reps", s.replications, "Replications")
        ->check(CLI::Range(1, 10'000'000))
        ->capture_default_str();
    command->add_option("--seed", s.seed, "Master seed (same seed, same results)")
        ->check(whole_number_seed())
        ->capture_default_str();
    command->add_option("--threads", s.threads, "Worker threads (results do not depend on it)")
        ->check(CLI::Range(1, 256))
        ->capture_default_str();
    command->add_option("--out", s.out_path, "Write the runs to this HDF5 file");
    command->add_option("--fallback-out", s.fallback_path,
                        "If --out cannot be written (disk full, quota), write the runs here "
                        "instead (at a terminal you are asked)");
    command->add_flag("--json", s.json, "Print the summary as JSON (keys: results/README.md)");
    command->add_option("--by", s.readout_by,
                        "YYYY-MM-DD: report P(each analysis read out by this date) (default: the "
                        "scenario's plan_readout_date)");
    command
        ->add_option("--engine", s.kernel,
                     "Kernel: native (default) or simgrid (SimGrid S4U actors, one replication "
                     "at a time, same results)")
        ->transform(CLI::CheckedTransformer(std::map<std::string, sim::Kernel>{
            {"native", sim::Kernel::native}, {"simgrid", sim::Kernel::simgrid}}))
        ->option_text("native|simgrid");
    command
        ->add_option("--trace", s.traced,
                     "Store every event of the first K replications (for playback)")
        ->check(CLI::Range(0, 1000))
        ->capture_default_str();
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

}  // namespace

void describe_commands(CLI::App& app, Commands& c) {
    app.require_subcommand(1);
    // Listed for --help; main hands it to the visualizer before parsing.
    app.add_subcommand(
           "render",
           "Export a chart of a results file as PNG: render RESULTS.h5 --view "
           "overview|fan|timeline|utilisation|compare|playback|sweep|optimise|sensitivity "
           "--out FILE.png "
           "[--size 1920x1080] (see trialtwin render --help)")
        ->allow_extras();
    app.add_subcommand("report",
                       "Write the sponsor report of a results file as a PDF deck: report "
                       "RESULTS.h5 --out report.pdf (needs X: xvfb-run -a)")
        ->allow_extras();

    c.validate = app.add_subcommand("validate", "Check a scenario file and say what is wrong");
    c.validate->add_option("scenario", c.scenario_path, "Scenario file (TOML)")->required();
    c.validate->add_option("--set", c.settings, "Change a scenario value: KEY=VALUE (repeatable)");
    c.validate->add_flag("--strict", c.strict,
                         "Treat warnings (values that together will not do what a plan expects) "
                         "as errors: exit 2");

    const std::string policy_help =
        "Policy: an allocation policy, optionally + a booking rule and/or + a resupply rule "
        "(e.g. adaptive+window_slack+predictive); parts left out keep the scenario's [policy]. "
        "Known:\n" +
        trial::describe_policies();
    c.run = app.add_subcommand("run", "Simulate a scenario, print a summary, store the runs");
    c.run->add_option("scenario", c.scenario_path, "Scenario file (TOML)")->required();
    c.run->add_option("--set", c.settings, "Change a scenario value: KEY=VALUE (repeatable)");
    c.run->add_option("--policy", c.policy_name, policy_help);
    add_run_options(c.run, c.run_settings);

    c.compare = app.add_subcommand(
        "compare",
        "Run policies (and variants of the scenario) on the same replications; paired "
        "differences against the first");
    c.compare->add_option("scenario", c.scenario_path, "Scenario file (TOML)")->required();
    add_policies_option(c.compare, c.policy_names, "compare", policy_help);
    c.compare->add_option(
        "--variant", c.variant_texts,
        "NAME: KEY=VALUE; KEY=VALUE ... (repeatable; the scenario with these values, compared "
        "with the baseline)");
    c.compare->add_option("--set", c.settings, "Change a scenario value: KEY=VALUE (repeatable)");
    add_run_options(c.compare, c.run_settings);

    c.sweep = app.add_subcommand(
        "sweep", "Run the scenario at each point of a parameter design, on the same replications");
    c.sweep->add_option("scenario", c.scenario_path, "Scenario file (TOML)")->required();
    c.sweep->add_option("--set", c.sweep_specs, "KEY=V1,V2,... or KEY=LO:HI (repeatable)")
        ->required();
    c.sweep
        ->add_option("--design", c.design_name, "grid (every combination) or lhs (Latin hypercube)")
        ->check(CLI::IsMember({"grid", "lhs"}));
    c.sweep->add_option("--points", c.points, "lhs: points in all; grid: values per range")
        ->check(CLI::Range(2, 100'000));
    add_run_options(c.sweep, c.run_settings);
    c.sweep->add_flag("--resume", c.resume,
                      "Carry on an interrupted sweep: keep the points it finished (needs --out)");

    c.forecast = app.add_subcommand(
        "forecast",
        "The digital twin: fit the recruitment model to a running trial's observed data and "
        "forecast from the as-of date, under one or more policies (same replications)");
    c.forecast->add_option("scenario", c.scenario_path, "Scenario file (TOML)")->required();
    c.forecast
        ->add_option("--observed", c.observed_path,
                     "Per-site observations to date (CSV; scenarios/observed/README.md)")
        ->required();
    c.forecast->add_option("--patients", c.patients_path,
                           "Optional per-patient randomisation dates and status (CSV)");
    c.forecast->add_option("--as-of", c.as_of, "Date the observations run to (YYYY-MM-DD)")
        ->required();
    add_policies_option(c.forecast, c.policy_names, "forecast under", policy_help);
    c.forecast->add_option("--set", c.settings, "Change a scenario value: KEY=VALUE (repeatable)");
    add_run_options(c.forecast, c.run_settings);

    c.optimise = app.add_subcommand(
        "optimise",
        "Find the decision (which candidate sites to open, values of scenario keys) that "
        "minimises or maximises an outcome subject to constraints, on common random numbers; "
        "the best few re-run on fresh replications before one is reported");
    c.optimise->add_option("scenario", c.scenario_path, "Scenario file (TOML)")->required();
    c.optimise->add_option("--minimise", c.minimise, "STATISTIC:METRIC, e.g. mean:cost_total");
    c.optimise->add_option("--maximise", c.maximise, "STATISTIC:METRIC, e.g. p:target_met_by_plan");
    c.optimise->add_option("--subject-to", c.constraint_texts,
                           "STATISTIC:METRIC>=BOUND or <=BOUND, e.g. p:target_met_by_plan>=0.9 "
                           "(repeatable; statistics: mean, median, p, p10 .. p99)");
    c.optimise->add_option("--vary", c.vary_specs,
                           "KEY=LO:HI: a scenario key to choose (integer keys over integers; "
                           "repeatable), e.g. supply.site_max_kits=6:20");
    c.optimise
        ->add_option("--choose-sites", c.choose_sites,
                     "ID,ID,... or all: candidate sites, each opened or left out (default: the "
                     "sites with candidate = true)")
        ->delimiter(',');
    c.optimise->add_option("--budget", c.budget, "Evaluations the search over --vary may spend")
        ->check(CLI::Range(1, 100'000))
        ->capture_default_str();
    c.optimise
        ->add_option("--validate-best", c.validate_best,
                     "How many of the best decisions to re-run on fresh replications")
        ->check(CLI::Range(1, 50))
        ->capture_default_str();
    c.optimise
        ->add_option("--validation-reps", c.validation_reps,
                     "Fresh replications for the validation (default: as --reps)")
        ->check(CLI::Range(2, 10'000'000));
    c.optimise
        ->add_option("--validation-seed", c.validation_seed,
                     "Seed of the validation replications (default: --seed + 1000003)")
        ->check(whole_number_seed());
    c.optimise->add_option("--set", c.settings, "Change a scenario value: KEY=VALUE (repeatable)");
    c.optimise->add_option("--scenario-out", c.scenario_out,
                           "Write the chosen decision as a scenario file here (default: beside "
                           "--out, OUT.chosen.toml)");
    add_run_options(c.optimise, c.run_settings);
    c.optimise->add_flag("--resume", c.resume,
                         "Carry on an interrupted search: reuse the evaluations its journal kept "
                         "(needs --out)");

    c.sensitivity = app.add_subcommand(
        "sensitivity",
        "Which inputs drive an outcome: one-at-a-time effects (a tornado, paired intervals) and "
        "Sobol indices (first-order and total, bootstrap intervals) over --vary ranges");
    c.sensitivity->add_option("scenario", c.scenario_path, "Scenario file (TOML)")->required();
    c.sensitivity->add_option("--vary", c.vary_specs, "KEY=LO:HI (repeatable)")->required();
    c.sensitivity->add_option(
        "--metric", c.output_texts,
        "STATISTIC:METRIC to explain (repeatable; default median:target_met_day, "
        "p:target_met_by_plan, mean:cost_total)");
    c.sensitivity
        ->add_option("--method", c.method,
                     "oat (one at a time), sobol (variance-based indices) or both")
        ->check(CLI::IsMember({"oat", "sobol", "both"}))
        ->capture_default_str();
    c.sensitivity
        ->add_option("--points", c.sobol_points,
                     "Sobol: base points N (N × (inputs + 2) scenarios are run)")
        ->check(CLI::Range(4, 100'000))
        ->capture_default_str();
    c.sensitivity->add_option("--bootstrap", c.bootstrap, "Sobol: bootstrap resamples")
        ->check(CLI::Range(0, 100'000))
        ->capture_default_str();
    c.sensitivity->add_option("--set", c.settings,
                              "Change a scenario value: KEY=VALUE (repeatable)");
    add_run_options(c.sensitivity, c.run_settings);

    for (CLI::App* command :
         {c.validate, c.run, c.compare, c.sweep, c.forecast, c.optimise, c.sensitivity})
        command->add_option("--add-sites", c.added_sites,
                            "Add the [[sites]] (and any new [[countries]]) of another TOML file "
                            "to the scenario, before --set (repeatable; in a --variant: "
                            "+sites=FILE)");

    c.inspect = app.add_subcommand("inspect", "Say what a results file holds");
    c.inspect->add_option("results", c.results_path, "Results file (HDF5)")->required();
}

}  // namespace cli
