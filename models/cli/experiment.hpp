#pragma once
// One experiment: the pipeline every command that simulates shares (run, compare, sweep,
// forecast). Load the scenario with its --set edits → the arms to run (policies, variants or
// sweep points), each checked before anything runs → simulate each arm on the same
// replications (common random numbers) → summarise → the command reports → the results file
// (the runner tabulates, the store writes).

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include "models/files/input_file.hpp"
#include "models/runner/metrics.hpp"
#include "models/runner/monte_carlo.hpp"
#include "models/scenario/scenario_loader.hpp"
#include "models/store/results_file.hpp"

namespace cli {

inline constexpr int exit_bad_input = 2;
inline constexpr int exit_internal_error = 1;
inline constexpr int exit_interrupted = 130;
inline constexpr const char* tool_version = "0.4.0";

// Set by Ctrl-C (stop_on_ctrl_c): the runner stops between replications and nothing is written.
extern std::atomic<bool> interrupted;
void stop_on_ctrl_c();

struct RunSettings {
    int replications = 100;
    std::uint64_t seed = 1;
    int threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    std::string out_path;
    std::string fallback_path;  // where the results go if out_path cannot take them
    bool json = false;
    std::string readout_by;  // --by: the date P(readout by) is asked about
    int traced = 0;
    const trial::TrialStart* start = nullptr;  // forecast: the running trial's as-of state
    sim::Kernel kernel = sim::Kernel::native;
    // Threads actually used: SimGrid runs one replication at a time.
    int threads_used() const { return kernel == sim::Kernel::simgrid ? 1 : threads; }
};

// Loads a scenario file, applies `--set` overrides, checks the result; prints every problem and
// returns nothing if there are any.
std::optional<trial::Scenario> load_with(const std::string& path,
                                         const std::vector<std::string>& settings);

// Whether a file can be written where `flag` (--out, --fallback-out, --scenario-out) says,
// checked before anything runs: a regular file or nothing yet (a link is followed; a folder, a
// device or a pipe is refused), in a folder that exists and is writable. Removes the temporary
// files that runs killed while writing there left behind (PATH.tmp-PID of a process that is
// gone). Says why not.
// The scenario file's text (or why it cannot be read), read once in a run: every point of a
// sweep or a decision search is that text with its own --set values, even if the file is
// edited while the command runs, or came through a pipe (which can be read only once).
const files::TextInput& scenario_text(const std::string& path);

bool out_path_usable(const std::string& out_path, const std::string& flag);

// Whether `arms` runs of settings.replications each fit in this machine's memory (what the
// replications' summaries and the results tables take; says how much is needed if not).
bool fits_in_memory(const RunSettings& settings, const trial::Scenario& scenario, int arms);

struct Arm {
    std::string name;
    trial::Scenario scenario;
};

// The policies (the first is the baseline; "as_written": the scenario's own), then the
// variants ("NAME: KEY=VALUE; KEY=VALUE", each under the baseline's policy). Nothing, after
// saying why, if any is wrong. `flag` names the option in messages (--policy, --policies).
std::optional<std::vector<Arm>> arms_of(const std::string& path, const trial::Scenario& scenario,
                                        const std::vector<std::string>& policy_names,
                                        const std::vector<std::string>& variant_texts,
                                        const std::string& flag);

struct ArmRun {
    trial::MonteCarloResult result;
    trial::RunSummary summary;
};
// The runner's options for `settings` (progress shown as `what` when stderr is a terminal).
trial::MonteCarloOptions monte_carlo_options(const std::string& what, const RunSettings& settings);
// Runs the replications of one arm and summarises them; nothing if interrupted.
std::optional<ArmRun> simulate(const Arm& arm, const RunSettings& settings);

trial::RunMetadata metadata_of(const RunSettings& settings, int argc, char** argv);
// The results file of the arms as run: each tabulated (runner: the replications' anomaly
// lists and weekly randomised series move into the tables), then written (store). Returns 0
// when written (to `path`, or where written_somewhere() put it: `written_to`), else the exit
// code.
int write_results(const std::string& path, const trial::RunMetadata& metadata,
                  const trial::Scenario& base, std::span<const Arm> arms, std::span<ArmRun> runs,
                  const RunSettings& settings, const trial::ForecastOrigin* origin = nullptr,
                  trial::DecisionGroups decision = {}, std::string* written_to = nullptr);

// Runs `write` (which puts a results file on disk); when the disk refuses it, the finished run
// is not lost: it goes to --fallback-out, or, at a terminal, to a path the user types. Returns
// 0 when written somewhere, exit_internal_error when not, exit_interrupted after Ctrl-C. When
// the file went elsewhere, `written_to` (if given) is set to where.
int written_somewhere(const std::function<void()>& write, const RunSettings& settings,
                      std::string* written_to = nullptr);

}  // namespace cli
