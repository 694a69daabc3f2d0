#include "models/cli/decision_runs.hpp"

#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>

#include "models/parallel/ranks.hpp"
#include "models/runner/metrics.hpp"
#include "models/scenario/overrides.hpp"

namespace cli {
namespace {

double seconds_now() {
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

// The values on rank 0, on every rank (bit for bit: the doubles' bytes).
OutcomeValues shared_from_root(const OutcomeValues& mine) {
    if (parallel::rank_count() == 1) return mine;
    std::string bytes;
    for (const std::vector<double>& values : mine) {
        const std::uint64_t n = values.size();
        bytes.append(reinterpret_cast<const char*>(&n), sizeof n);
        bytes.append(reinterpret_cast<const char*>(values.data()), n * sizeof(double));
    }
    bytes = parallel::root_says(bytes);
    OutcomeValues out;
    std::size_t at = 0;
    while (at + sizeof(std::uint64_t) <= bytes.size()) {
        std::uint64_t n = 0;
        std::memcpy(&n, bytes.data() + at, sizeof n);
        at += sizeof n;
        std::vector<double> values(n);
        std::memcpy(values.data(), bytes.data() + at, n * sizeof(double));
        at += n * sizeof(double);
        out.push_back(std::move(values));
    }
    return out;
}

OutcomeValues values_of(const trial::Scenario& scenario,
                        std::span<const decide::Criterion> criteria,
                        const std::vector<trial::ReplicationSummary>& replications) {
    const std::vector<trial::MetricDefinition> definitions = trial::metric_definitions(scenario);
    OutcomeValues values;
    for (const decide::Criterion& c : criteria) {
        std::vector<double> per_replication;
        for (const trial::MetricDefinition& d : definitions) {
            if (d.key != c.metric) continue;
            per_replication.reserve(replications.size());
            for (const trial::ReplicationSummary& r : replications)
                per_replication.push_back(d.of(r));
        }
        values.push_back(std::move(per_replication));
    }
    return shared_from_root(values);
}

}  // namespace

std::optional<trial::Scenario> scenario_with(const std::string& path,
                                             const std::vector<std::string>& settings,
                                             const std::vector<std::string>& edits,
                                             const trial::Scenario& base) {
    std::vector<std::string> all = settings;
    all.insert(all.end(), edits.begin(), edits.end());
    std::optional<trial::Scenario> s = load_with(path, all);
    if (s) trial::pin_effort_reference(*s, base);
    return s;
}

std::optional<OutcomeValues> outcome_values(const trial::Scenario& scenario,
                                            std::span<const decide::Criterion> criteria,
                                            const RunSettings& settings) {
    trial::MonteCarloOptions options = monte_carlo_options("", settings);
    options.on_progress = nullptr;  // the command shows its own
    const trial::MonteCarloResult result = trial::run_monte_carlo(scenario, options);
    if (result.cancelled) return std::nullopt;
    return values_of(scenario, criteria, result.replications);
}

std::optional<KeptRun> kept_run(const Arm& arm, std::span<const decide::Criterion> criteria,
                                const RunSettings& settings) {
    std::optional<ArmRun> run = simulate(arm, settings);
    if (!run) return std::nullopt;
    OutcomeValues values = values_of(arm.scenario, criteria, run->result.replications);
    return KeptRun{std::move(*run), std::move(values)};
}

bool parse_variable(const std::string& flag, const std::string& argument, const std::string& path,
                    const std::vector<std::string>& settings, const trial::Scenario& base,
                    decide::Variable& out) {
    trial::Override split;
    std::string error;
    const auto colon = argument.find(':');
    if (!trial::parse_override(argument, split, error) || colon == std::string::npos ||
        colon < argument.find('=')) {
        std::cerr << flag << " " << argument
                  << ": expected KEY=LO:HI, e.g. supply.site_max_kits=6:20\n";
        return false;
    }
    out = {};
    out.key = split.key;
    const std::string low = split.value.substr(0, split.value.find(':'));
    const std::string high = split.value.substr(split.value.find(':') + 1);
    auto number = [](const std::string& text, double& value) {
        char* end = nullptr;
        value = std::strtod(text.c_str(), &end);
        return !text.empty() && end == text.c_str() + text.size() && std::isfinite(value);
    };
    if (!number(low, out.low) || !number(high, out.high)) {
        std::cerr << flag << " " << argument << ": a range needs two numbers, LO:HI\n";
        return false;
    }
    if (!(out.low < out.high)) {
        std::cerr << flag << " " << argument << ": a range needs LO < HI\n";
        return false;
    }
    const bool whole = low.find_first_of(".eE") == std::string::npos &&
                       high.find_first_of(".eE") == std::string::npos;
    if (trial::holds_integer(base.source_text, out.key)) {
        if (!whole) {
            std::cerr << flag << " " << argument << ": " << out.key
                      << " is a whole number; give LO and HI as whole numbers\n";
            return false;
        }
        out.integer = true;
    } else if (!trial::number_at(base.source_text, out.key)) {
        out.integer = whole;  // a key left at its default: as the range is written
    }
    // Both ends must be values the scenario accepts (the loader's ranges and checks).
    for (const double end : {out.low, out.high}) {
        if (!scenario_with(path, settings, {out.key + "=" + value_text(out, end)}, base)) {
            std::cerr << flag << " " << argument << ": the scenario refuses " << out.key << " = "
                      << value_text(out, end) << "\n";
            return false;
        }
    }
    return true;
}

std::string value_text(const decide::Variable& variable, double value) {
    char text[32];
    if (variable.integer) {
        std::snprintf(text, sizeof text, "%lld", static_cast<long long>(std::llround(value)));
        return text;
    }
    std::snprintf(text, sizeof text, "%.6g", value);
    std::string s = text;
    // A TOML float needs a point or an exponent.
    if (s.find_first_of(".eEn") == std::string::npos) s += ".0";
    return s;
}

std::vector<std::string> metric_keys_of(const trial::Scenario& scenario) {
    std::vector<std::string> keys;
    for (const trial::MetricDefinition& d : trial::metric_definitions(scenario))
        keys.push_back(d.key);
    return keys;
}

ProgressLine::ProgressLine(std::string what)
    : what_(std::move(what)), started_(seconds_now()), last_(started_) {}

void ProgressLine::show(const std::string& state) {
    if (!parallel::is_root()) return;
    const double now = seconds_now();
    if (::isatty(STDERR_FILENO)) {
        std::cerr << "\r" << what_ << ": " << state << ", " << static_cast<int>(now - started_)
                  << " s\033[K" << std::flush;
        shown_ = true;
        return;
    }
    double every = 10;
    if (const char* text = std::getenv("TRIALTWIN_PROGRESS_SECONDS")) every = std::atof(text);
    if (now - last_ < every) return;
    last_ = now;
    std::cerr << what_ << ": " << state << ", " << static_cast<int>(now - started_) << " s\n"
              << std::flush;
}

void ProgressLine::done() {
    if (shown_) std::cerr << "\n";
    shown_ = false;
}

}  // namespace cli
