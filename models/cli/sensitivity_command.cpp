#include "models/cli/sensitivity_command.hpp"

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "models/cli/decision_runs.hpp"
#include "models/decide/intervals.hpp"
#include "models/decide/sobol_indices.hpp"
#include "models/parallel/ranks.hpp"

namespace cli {
namespace {

// A design has N × (inputs + 2) scenarios, each run in full: more is days of computing.
constexpr double most_design_points = 100'000;

const std::vector<std::string> default_outputs = {"median:target_met_day", "p:target_met_by_plan",
                                                  "mean:cost_total"};

// A unit-interval coordinate as the variable's value: continuous linearly over [low, high];
// integers each equally likely (the interval cut into high − low + 1 equal parts).
double value_at(const decide::Variable& v, double u) {
    if (v.integer) return std::min(v.high, std::floor(v.low + u * (v.high - v.low + 1)));
    return decide::written_value(v, v.low + u * (v.high - v.low));
}

std::string number(double v, int digits = 4) {
    if (std::isnan(v)) return "n/a";
    std::ostringstream out;
    out << std::setprecision(digits) << v + 0.0;
    return out.str();
}

template <class T>
trial::Grid<T> grid(std::size_t rows, std::size_t columns) {
    return {rows, columns, std::vector<T>(rows * columns, std::nan(""))};
}

}  // namespace

int run_sensitivity(const Commands& c, const trial::Scenario& base, int argc, char** argv) {
    const RunSettings& settings = c.run_settings;
    const std::vector<std::string> keys = metric_keys_of(base);
    std::vector<decide::Criterion> outputs;
    for (const std::string& text : c.output_texts.empty() ? default_outputs : c.output_texts) {
        decide::Criterion k;
        std::string error;
        if (!decide::parse_criterion("--metric", text, keys, k, error)) {
            std::cerr << error << "\n";
            return exit_bad_input;
        }
        outputs.push_back(k);
    }
    std::vector<decide::Variable> inputs;
    for (const std::string& spec : c.vary_specs) {
        decide::Variable v;
        if (!parse_variable("--vary", spec, c.scenario_path, c.settings, base, v))
            return exit_bad_input;
        if (std::any_of(inputs.begin(), inputs.end(),
                        [&](const decide::Variable& w) { return w.key == v.key; })) {
            std::cerr << "--vary " << spec << ": " << v.key << " is varied twice\n";
            return exit_bad_input;
        }
        inputs.push_back(v);
    }
    const bool oat = c.method != "sobol", sobol = c.method != "oat";
    const std::size_t k = inputs.size(), m = outputs.size();
    const double design_points = sobol ? double(c.sobol_points) * double(k + 2) : 0;
    if (design_points > most_design_points) {
        std::cerr << "sensitivity: the Sobol design has " << design_points << " scenarios; at most "
                  << most_design_points << " (fewer --points or inputs)\n";
        return exit_bad_input;
    }
    if (!fits_in_memory(settings, base, 1)) return exit_bad_input;
    const bool text = !settings.json && parallel::is_root();
    if (text) {
        std::cout << "sensitivity of";
        for (const decide::Criterion& o : outputs)
            std::cout << " " << o.text;
        std::cout << " to " << k << " input(s), " << settings.replications
                  << " replications each (seed " << settings.seed << "), the same for every "
                  << "scenario\n";
        if (sobol)
            std::cout << "  Sobol design: " << c.sobol_points << " base points x " << k + 2 << " = "
                      << design_points << " scenarios\n";
        std::cout << std::flush;
    }

    trial::SensitivityTables t;
    for (const decide::Variable& v : inputs) {
        t.keys.push_back(v.key);
        t.low.push_back(v.low);
        t.high.push_back(v.high);
    }
    for (const decide::Criterion& o : outputs)
        t.outputs.push_back(o.text);
    t.replications = settings.replications;
    t.seed = settings.seed;

    // The scenario as written, kept whole for the results file.
    std::optional<KeptRun> as_written = kept_run({"as_written", base}, outputs, settings);
    if (!as_written) return exit_interrupted;
    for (std::size_t j = 0; j < m; ++j)
        t.base.push_back(decide::value_of(outputs[j], as_written->values[j]));

    ProgressLine progress("sensitivity");
    std::map<std::string, OutcomeValues> ran;  // by edits: a design's repeated points run once
    int runs = 0;
    const double total_runs = (oat ? 2.0 * k : 0.0) + design_points;
    auto run_at = [&](const std::vector<std::string>& edits) -> std::optional<OutcomeValues> {
        std::string line;
        for (const std::string& e : edits)
            line += e + "; ";
        if (const auto at = ran.find(line); at != ran.end()) {
            ++runs;
            return at->second;
        }
        std::optional<trial::Scenario> s = scenario_with(c.scenario_path, c.settings, edits, base);
        if (!s) return std::nullopt;
        progress.show(std::to_string(runs) + " of " + number(total_runs, 9) + " scenarios");
        std::optional<OutcomeValues> values = outcome_values(*s, outputs, settings);
        ++runs;
        if (values) ran[line] = *values;
        return values;
    };
    auto stopped = [&]() {
        progress.done();
        if (parallel::is_root())
            std::cerr << "trialtwin: stopped after " << runs << " scenarios; nothing was written\n";
        return exit_interrupted;
    };

    t.oat_low = grid<double>(k, m);
    t.oat_high = grid<double>(k, m);
    t.oat_effect = grid<double>(k, m);
    t.oat_effect_low = grid<double>(k, m);
    t.oat_effect_high = grid<double>(k, m);
    if (oat) {
        for (std::size_t i = 0; i < k; ++i) {
            const decide::Variable& v = inputs[i];
            std::optional<OutcomeValues> low = run_at({v.key + "=" + value_text(v, v.low)});
            if (!low) return stopped();
            std::optional<OutcomeValues> high = run_at({v.key + "=" + value_text(v, v.high)});
            if (!high) return stopped();
            for (std::size_t j = 0; j < m; ++j) {
                const std::size_t cell = i * m + j;
                t.oat_low.values[cell] = decide::value_of(outputs[j], (*low)[j]);
                t.oat_high.values[cell] = decide::value_of(outputs[j], (*high)[j]);
                const decide::Index effect =
                    decide::paired_difference(outputs[j], (*low)[j], (*high)[j], settings.seed);
                t.oat_effect.values[cell] = effect.value;
                t.oat_effect_low.values[cell] = effect.low;
                t.oat_effect_high.values[cell] = effect.high;
            }
        }
    }
    if (sobol) {
        t.has_sobol = true;
        t.base_points = c.sobol_points;
        t.bootstrap = c.bootstrap;
        const std::vector<std::vector<double>> unit =
            decide::saltelli_points(static_cast<int>(k), c.sobol_points);
        t.design = {unit.size(), k, {}};
        t.design_outputs = {unit.size(), m, {}};
        for (const std::vector<double>& u : unit) {
            std::vector<std::string> edits;
            for (std::size_t i = 0; i < k; ++i) {
                const double value = value_at(inputs[i], u[i]);
                t.design.values.push_back(value);
                edits.push_back(inputs[i].key + "=" + value_text(inputs[i], value));
            }
            std::optional<OutcomeValues> values = run_at(edits);
            if (!values) return stopped();
            for (std::size_t j = 0; j < m; ++j)
                t.design_outputs.values.push_back(decide::value_of(outputs[j], (*values)[j]));
        }
        t.first = grid<double>(k, m);
        t.first_low = t.first_high = t.total = t.total_low = t.total_high = t.first;
        for (std::size_t j = 0; j < m; ++j) {
            std::vector<double> y;
            for (std::size_t p = 0; p < unit.size(); ++p)
                y.push_back(t.design_outputs.values[p * m + j]);
            // An outcome never reached at some point has no value there: its indices are n/a.
            if (std::any_of(y.begin(), y.end(), [](double v) { return std::isnan(v); })) continue;
            const decide::SobolIndices s = decide::sobol_indices(
                y, static_cast<int>(k), c.sobol_points, c.bootstrap, settings.seed);
            for (std::size_t i = 0; i < k; ++i) {
                const std::size_t cell = i * m + j;
                t.first.values[cell] = s.first[i].value;
                t.first_low.values[cell] = s.first[i].low;
                t.first_high.values[cell] = s.first[i].high;
                t.total.values[cell] = s.total[i].value;
                t.total_low.values[cell] = s.total[i].low;
                t.total_high.values[cell] = s.total[i].high;
            }
        }
    }
    progress.done();

    if (parallel::is_root() && settings.json) {
        nlohmann::ordered_json j;
        j["inputs"] = t.keys;
        j["outputs"] = t.outputs;
        j["replications"] = t.replications;
        for (std::size_t o = 0; o < m; ++o) {
            nlohmann::ordered_json out;
            out["as_written"] = t.base[o];
            for (std::size_t i = 0; i < k; ++i) {
                const std::size_t cell = i * m + o;
                nlohmann::ordered_json row;
                row["input"] = t.keys[i];
                if (oat) {
                    row["low_value"] = t.oat_low.values[cell];
                    row["high_value"] = t.oat_high.values[cell];
                    row["effect"] = {t.oat_effect.values[cell], t.oat_effect_low.values[cell],
                                     t.oat_effect_high.values[cell]};
                }
                if (sobol) {
                    row["first_order"] = {t.first.values[cell], t.first_low.values[cell],
                                          t.first_high.values[cell]};
                    row["total"] = {t.total.values[cell], t.total_low.values[cell],
                                    t.total_high.values[cell]};
                }
                out["inputs"].push_back(row);
            }
            j["by_output"][t.outputs[o]] = out;
        }
        std::cout << j.dump(2) << "\n";
    } else if (text) {
        auto with_interval = [](double v, double lo, double hi) {
            return number(v, 3) + " [" + number(lo, 3) + ", " + number(hi, 3) + "]";
        };
        for (std::size_t o = 0; o < m; ++o) {
            std::cout << "\n" << t.outputs[o] << " (as written: " << number(t.base[o]) << ")\n";
            // Ranked: by total index when there is one, else by the size of the effect.
            std::vector<std::size_t> order(k);
            for (std::size_t i = 0; i < k; ++i)
                order[i] = i;
            auto weight = [&](std::size_t i) {
                const double w =
                    sobol ? t.total.values[i * m + o] : std::abs(t.oat_effect.values[i * m + o]);
                return std::isnan(w) ? -1.0 : w;
            };
            std::stable_sort(order.begin(), order.end(),
                             [&](std::size_t a, std::size_t b) { return weight(a) > weight(b); });
            // The table's cells, then each column as wide as its widest cell.
            std::vector<std::vector<std::string>> rows{{"input"}};
            if (oat) {
                rows[0].push_back("at low");
                rows[0].push_back("at high");
                rows[0].push_back("high - low [95 %]");
            }
            if (sobol) {
                rows[0].push_back("first order [95 %]");
                rows[0].push_back("total [95 %]");
            }
            for (const std::size_t i : order) {
                const std::size_t cell = i * m + o;
                std::vector<std::string> row{t.keys[i]};
                if (oat) {
                    row.push_back(number(t.oat_low.values[cell]));
                    row.push_back(number(t.oat_high.values[cell]));
                    row.push_back(with_interval(t.oat_effect.values[cell],
                                                t.oat_effect_low.values[cell],
                                                t.oat_effect_high.values[cell]));
                }
                if (sobol) {
                    row.push_back(with_interval(t.first.values[cell], t.first_low.values[cell],
                                                t.first_high.values[cell]));
                    row.push_back(with_interval(t.total.values[cell], t.total_low.values[cell],
                                                t.total_high.values[cell]));
                }
                rows.push_back(std::move(row));
            }
            std::vector<std::size_t> widths(rows[0].size(), 0);
            for (const auto& row : rows)
                for (std::size_t col = 0; col < row.size(); ++col)
                    widths[col] = std::max(widths[col], row[col].size());
            for (const auto& row : rows) {
                std::cout << "  " << std::left << std::setw(static_cast<int>(widths[0])) << row[0]
                          << std::right;
                for (std::size_t col = 1; col < row.size(); ++col)
                    std::cout << "  " << std::setw(static_cast<int>(widths[col])) << row[col];
                std::cout << "\n";
            }
        }
    }
    if (!settings.out_path.empty()) {
        const Arm arm{"as_written", base};
        std::string written_to = settings.out_path;
        const int written =
            write_results(settings.out_path, metadata_of(settings, argc, argv), base, {&arm, 1},
                          {&as_written->run, 1}, settings, nullptr, {nullptr, &t}, &written_to);
        if (written != 0) return written;
        if (text) std::cout << "  written to " << written_to << "\n";
    }
    return 0;
}

}  // namespace cli
