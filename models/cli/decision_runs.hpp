#pragma once
// What `optimise` and `sensitivity` share: a decision is the scenario file with --set edits of
// its own (on top of the command's --set list), run on the replications of (seed, reps) — the
// same for every decision, so that two are compared on common random numbers — and read as the
// per-replication values of the outcomes the command judges by.

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "models/cli/experiment.hpp"
#include "models/decide/criterion.hpp"
#include "models/decide/search.hpp"

namespace cli {

// The scenario with `edits` after the command's own `settings`, checked (every problem
// printed, nothing returned if any), recruiting against `base`'s staffing as its effort
// reference (as compare's variants and sweep points do).
std::optional<trial::Scenario> scenario_with(const std::string& path,
                                             const std::vector<std::string>& settings,
                                             const std::vector<std::string>& edits,
                                             const trial::Scenario& base);

// Per criterion, the outcome's value in each replication ([criterion][replication]); nothing
// if stopped (Ctrl-C). With several MPI ranks every rank calls it alike and gets the values.
using OutcomeValues = std::vector<std::vector<double>>;
std::optional<OutcomeValues> outcome_values(const trial::Scenario& scenario,
                                            std::span<const decide::Criterion> criteria,
                                            const RunSettings& settings);

// A run of one decision kept whole (for the results file), with its outcome values.
struct KeptRun {
    ArmRun run;
    OutcomeValues values;
};
std::optional<KeptRun> kept_run(const Arm& arm, std::span<const decide::Criterion> criteria,
                                const RunSettings& settings);

// Parses --vary KEY=LO:HI against the scenario: an integer key (as written in the file, or a
// range of whole numbers for a key the file leaves at its default) varies over integers. The
// scenario must accept both ends (checked by loading it at each). False after saying why.
bool parse_variable(const std::string& flag, const std::string& argument, const std::string& path,
                    const std::vector<std::string>& settings, const trial::Scenario& base,
                    decide::Variable& out);

// The TOML literal a variable's value is written as.
std::string value_text(const decide::Variable& variable, double value);

// The metric keys of the scenario (what criteria may name).
std::vector<std::string> metric_keys_of(const trial::Scenario& scenario);

// A line that shows a long search going on: at a terminal, rewritten in place; to a log, a
// line every ~10 s (TRIALTWIN_PROGRESS_SECONDS). Rank 0 only.
class ProgressLine {
  public:
    explicit ProgressLine(std::string what);
    void show(const std::string& state);
    void done();  // ends the terminal's line

  private:
    std::string what_;
    double started_, last_;
    bool shown_ = false;
};

}  // namespace cli
