#include "models/cli/optimise_command.hpp"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "models/cli/decision_runs.hpp"
#include "models/decide/intervals.hpp"
#include "models/decide/pareto.hpp"
#include "models/files/input_file.hpp"
#include "models/files/replace_file.hpp"
#include "models/parallel/ranks.hpp"
#include "models/scenario/overrides.hpp"

namespace cli {
namespace {

// What is asked: the objective, the constraints, and what may be decided.
struct Problem {
    decide::Criterion objective;
    bool maximise = false;
    std::vector<decide::Constraint> constraints;
    std::vector<decide::Variable> variables;
    std::vector<std::size_t> candidates;  // site indices
    // The objective's criterion, then each constraint's: what every evaluation reads.
    std::vector<decide::Criterion> criteria() const {
        std::vector<decide::Criterion> all{objective};
        for (const decide::Constraint& c : constraints)
            all.push_back(c.of);
        return all;
    }
};

std::optional<Problem> problem_of(const Commands& c, const trial::Scenario& base) {
    Problem p;
    const std::vector<std::string> keys = metric_keys_of(base);
    std::string error;
    if (c.minimise.empty() == c.maximise.empty()) {
        std::cerr << "optimise: give one objective, --minimise STATISTIC:METRIC or --maximise "
                     "STATISTIC:METRIC (e.g. --minimise mean:cost_total)\n";
        return std::nullopt;
    }
    p.maximise = !c.maximise.empty();
    if (!decide::parse_criterion(p.maximise ? "--maximise" : "--minimise",
                                 p.maximise ? c.maximise : c.minimise, keys, p.objective, error)) {
        std::cerr << error << "\n";
        return std::nullopt;
    }
    for (const std::string& text : c.constraint_texts) {
        decide::Constraint constraint;
        if (!decide::parse_constraint("--subject-to", text, keys, constraint, error)) {
            std::cerr << error << "\n";
            return std::nullopt;
        }
        p.constraints.push_back(constraint);
    }
    for (const std::string& spec : c.vary_specs) {
        decide::Variable v;
        if (!parse_variable("--vary", spec, c.scenario_path, c.settings, base, v))
            return std::nullopt;
        if (std::any_of(p.variables.begin(), p.variables.end(),
                        [&](const decide::Variable& w) { return w.key == v.key; })) {
            std::cerr << "--vary " << spec << ": " << v.key << " is varied twice\n";
            return std::nullopt;
        }
        p.variables.push_back(v);
    }
    auto site_index = [&](const std::string& id) -> std::optional<std::size_t> {
        for (std::size_t i = 0; i < base.sites.size(); ++i)
            if (base.sites[i].id == id) return i;
        return std::nullopt;
    };
    if (c.choose_sites == std::vector<std::string>{"all"}) {
        for (std::size_t i = 0; i < base.sites.size(); ++i)
            p.candidates.push_back(i);
    } else if (!c.choose_sites.empty()) {
        for (const std::string& id : c.choose_sites) {
            const std::optional<std::size_t> i = site_index(id);
            if (!i) {
                std::cerr << "--choose-sites: no site \"" << id << "\" in " << c.scenario_path
                          << "\n";
                return std::nullopt;
            }
            if (std::find(p.candidates.begin(), p.candidates.end(), *i) != p.candidates.end()) {
                std::cerr << "--choose-sites: " << id << " is listed twice\n";
                return std::nullopt;
            }
            p.candidates.push_back(*i);
        }
    } else {
        for (std::size_t i = 0; i < base.sites.size(); ++i)
            if (base.sites[i].candidate) p.candidates.push_back(i);
    }
    if (p.candidates.empty() && p.variables.empty()) {
        std::cerr << "optimise: nothing to decide: give --choose-sites ID,ID,... (or mark sites "
                     "candidate = true) and/or --vary KEY=LO:HI\n";
        return std::nullopt;
    }
    return p;
}

// The --set edits that make a decision of the scenario.
std::vector<std::string> edits_of(const Problem& p, const trial::Scenario& base,
                                  const decide::Decision& d) {
    std::vector<std::string> edits;
    for (std::size_t k = 0; k < p.candidates.size(); ++k) {
        const std::size_t i = p.candidates[k];
        const std::string site = "sites[" + std::to_string(i) + "].";
        if (!d.open[k]) {
            edits.push_back(site + "left_out=true");
            continue;
        }
        if (base.sites[i].backup) edits.push_back(site + "backup=false");
        if (base.sites[i].left_out) edits.push_back(site + "left_out=false");
    }
    for (std::size_t k = 0; k < p.variables.size(); ++k)
        edits.push_back(p.variables[k].key + "=" + value_text(p.variables[k], d.values[k]));
    return edits;
}

std::string one_line(const std::vector<std::string>& edits) {
    std::string line;
    for (const std::string& e : edits)
        line += (line.empty() ? "" : "; ") + e;
    return line;
}

// The score of a decision from its criteria's values (objective first).
decide::Score score_of(const Problem& p, const std::vector<double>& values) {
    decide::Score s;
    s.objective = values[0];
    for (std::size_t j = 0; j < p.constraints.size(); ++j) {
        const decide::Constraint& c = p.constraints[j];
        const double value = values[1 + j];
        const double shortfall = decide::shortfall(c, value);
        double margin = -shortfall;
        if (shortfall == 0)
            margin = (c.at_least ? value - c.bound : c.bound - value) /
                     std::max(std::abs(c.bound), 1e-9);
        s.margins.push_back(margin);
        s.shortfall += shortfall;
    }
    return s;
}

struct Evaluated {
    decide::Decision decision;
    std::vector<std::string> edits;
    int phase = 0;
    std::vector<double> values;  // the criteria's values, in sample
    std::vector<double> errors;  // per constraint, the standard error of its value in sample
    decide::Score score;
};

// Every decision asked about, each evaluated once on the search's replications, in the order
// asked. With --out, each is also written to a journal (OUT.optimise-journal) as it finishes,
// so that an interrupted search run again with --resume finds what it had and goes the same
// way (the search is deterministic).
class Evaluations {
  public:
    Evaluations(const Commands& c, const Problem& p, const trial::Scenario& base)
        : c_(c), p_(p), base_(base), criteria_(p.criteria()), progress_("optimise") {
        if (c.run_settings.out_path.empty()) return;
        journal_path_ = c.run_settings.out_path + ".optimise-journal";
        std::string kept;
        if (c.resume && parallel::is_root()) {
            std::ifstream in(journal_path_);
            std::ostringstream text;
            text << in.rdbuf();
            kept = text.str();
        }
        read_journal(parallel::root_says(kept));
        if (parallel::is_root()) {
            journal_.open(journal_path_, std::ios::trunc);
            journal_ << header() << "\n";
            for (const auto& [line, values] : kept_) {
                journal_ << line;
                for (const double v : values)
                    journal_ << "\t" << hex(v);
                journal_ << "\n";
            }
            journal_ << std::flush;
            check_journal();
        }
    }

    std::optional<decide::Score> operator()(const decide::Decision& d, int phase) {
        return evaluate(d, edits_of(p_, base_, d), phase);
    }

    std::optional<decide::Score> evaluate(const decide::Decision& d,
                                          const std::vector<std::string>& edits, int phase) {
        const std::string line = one_line(edits);
        if (const auto at = index_.find(line); at != index_.end()) return all_[at->second].score;
        Evaluated e{d, edits, phase, {}, {}, {}};
        const std::size_t n = criteria_.size();
        if (const auto kept = kept_.find(line); kept != kept_.end()) {
            e.values.assign(kept->second.begin(), kept->second.begin() + n);
            e.errors.assign(kept->second.begin() + n, kept->second.end());
            ++reused_;
        } else {
            std::optional<trial::Scenario> s =
                scenario_with(c_.scenario_path, c_.settings, edits, base_);
            if (!s)
                throw BadDecision("optimise: the decision \"" + line +
                                  "\" is not a valid scenario (above)");
            progress_.show(std::to_string(all_.size()) + " decisions evaluated, now: " +
                           (line.empty() ? "the plan as written" : shortened(line)));
            const std::optional<OutcomeValues> values =
                outcome_values(*s, criteria_, c_.run_settings);
            if (!values) return std::nullopt;
            for (std::size_t j = 0; j < n; ++j)
                e.values.push_back(decide::value_of(criteria_[j], (*values)[j]));
            for (std::size_t j = 1; j < n; ++j) {
                const decide::Index k =
                    decide::interval_of(criteria_[j], (*values)[j], c_.run_settings.seed);
                e.errors.push_back((k.high - k.low) / (2 * 1.959963984540054));
            }
            if (journal_.is_open()) {
                journal_ << line;
                for (const double v : e.values)
                    journal_ << "\t" << hex(v);
                for (const double v : e.errors)
                    journal_ << "\t" << hex(v);
                journal_ << "\n" << std::flush;
                check_journal();
            }
        }
        e.score = score_of(p_, e.values);
        index_[line] = all_.size();
        all_.push_back(std::move(e));
        return all_.back().score;
    }

    const std::vector<Evaluated>& all() const { return all_; }
    int reused() const { return reused_; }
    // A journal that cannot be written (a full disk) is given up with a word: the search goes
    // on, but an interrupted one would start again.
    void check_journal() {
        if (journal_) return;
        const std::string why = std::strerror(errno);
        journal_.close();
        std::cerr << "trialtwin: cannot keep the search's journal " << journal_path_ << " (" << why
                  << "): the search goes on, but --resume after an interruption would "
                  << "start it again\n";
    }

    const std::string& journal_path() const { return journal_path_; }
    void done() { progress_.done(); }
    void remove_journal() {
        if (journal_.is_open()) journal_.close();
        if (!journal_path_.empty() && parallel::is_root()) std::filesystem::remove(journal_path_);
    }

    class BadDecision : public std::runtime_error {
      public:
        using std::runtime_error::runtime_error;
    };

  private:
    static std::string hex(double v) {
        char text[40];
        std::snprintf(text, sizeof text, "%a", v);
        return text;
    }
    static std::string shortened(const std::string& line) {
        return line.size() <= 60 ? line : line.substr(0, 57) + "...";
    }
    // What the journal's evaluations depend on: a journal of another search is not reused.
    std::string header() const {
        std::ostringstream h;
        h << "trialtwin optimise journal 2; seed " << c_.run_settings.seed << "; reps "
          << c_.run_settings.replications << "; criteria";
        for (const decide::Criterion& k : criteria_)
            h << " " << k.text;
        h << "; scenario " << std::hash<std::string>{}(base_.source_text) << "; sets";
        for (const std::string& s : c_.settings)
            h << " " << s;
        return h.str();
    }
    void read_journal(const std::string& text) {
        std::istringstream in(text);
        std::string line;
        if (!std::getline(in, line) || line != header()) return;
        while (std::getline(in, line)) {
            std::vector<std::string> fields;
            std::size_t from = 0;
            for (;;) {
                const auto tab = line.find('\t', from);
                fields.push_back(line.substr(from, tab - from));
                if (tab == std::string::npos) break;
                from = tab + 1;
            }
            if (fields.size() != 2 * criteria_.size()) continue;  // a line cut short
            std::vector<double> values;
            for (std::size_t j = 1; j < fields.size(); ++j)
                values.push_back(std::strtod(fields[j].c_str(), nullptr));
            kept_[fields[0]] = values;
        }
    }

    const Commands& c_;
    const Problem& p_;
    const trial::Scenario& base_;
    std::vector<decide::Criterion> criteria_;
    std::vector<Evaluated> all_;
    std::map<std::string, std::size_t> index_;
    std::map<std::string, std::vector<double>> kept_;
    std::string journal_path_;
    std::ofstream journal_;
    int reused_ = 0;
    ProgressLine progress_;
};

// A validated decision: re-run on fresh replications.
struct Validated {
    std::size_t evaluation;  // in Evaluations::all()
    KeptRun run;
    std::vector<double> values;  // out of sample
    decide::Score score;
    decide::Index difference;  // objective, against the plan as written (paired)
    std::vector<decide::Index> constraints;
};

// Which decisions are re-run: the plan as written, then `count` feasible ones along the
// trade-off front of the objective against the first constraint — the best that meets the
// bound in sample, then the best with a margin of one standard error, of two, … (a decision
// chosen because it just meets the bound in sample tends to miss it on fresh replications:
// the winner's curse) — then the best others by rank.
std::vector<std::size_t> to_validate(const Problem& p, const std::vector<Evaluated>& all,
                                     const std::vector<std::size_t>& front, int count) {
    std::vector<std::size_t> picks{0};
    auto add = [&](std::size_t i) {
        if (static_cast<int>(picks.size()) > count) return;
        if (std::find(picks.begin(), picks.end(), i) == picks.end()) picks.push_back(i);
    };
    std::vector<std::size_t> ranked(all.size());
    for (std::size_t i = 0; i < all.size(); ++i)
        ranked[i] = i;
    std::stable_sort(ranked.begin(), ranked.end(), [&](std::size_t a, std::size_t b) {
        return decide::better(all[a].score, all[b].score, p.maximise);
    });
    if (!p.constraints.empty()) {
        std::vector<std::size_t> feasible_front;
        for (const std::size_t i : front)
            if (all[i].score.feasible()) feasible_front.push_back(i);
        std::stable_sort(feasible_front.begin(), feasible_front.end(),
                         [&](std::size_t a, std::size_t b) {
                             return decide::better(all[a].score, all[b].score, p.maximise);
                         });
        const decide::Constraint& first = p.constraints[0];
        for (int k = 0; k < count; ++k) {
            for (const std::size_t i : feasible_front) {
                const double room = first.at_least ? all[i].values[1] - first.bound
                                                   : first.bound - all[i].values[1];
                const bool taken = std::find(picks.begin(), picks.end(), i) != picks.end();
                if (!taken && room >= k * all[i].errors[0]) {
                    add(i);
                    break;
                }
            }
        }
    }
    for (const std::size_t i : ranked)
        add(i);
    return picks;
}

std::string number(double v, int digits = 4) {
    if (std::isnan(v)) return "n/a";
    std::ostringstream out;
    out << std::setprecision(digits) << v + 0.0;
    return out.str();
}

std::vector<std::string> site_ids(const Problem& p, const trial::Scenario& base,
                                  const decide::Decision& d, bool open) {
    std::vector<std::string> ids;
    for (std::size_t k = 0; k < p.candidates.size(); ++k)
        if (bool(d.open[k]) == open) ids.push_back(base.sites[p.candidates[k]].id);
    return ids;
}

std::string joined(const std::vector<std::string>& items, const std::string& separator) {
    if (items.empty()) return "none";
    std::string out;
    for (const std::string& item : items)
        out += (out.empty() ? "" : separator) + item;
    return out;
}

// Writes the chosen decision as a scenario file (the file with its --set list applied).
bool write_scenario(const std::string& path, const Commands& c,
                    const std::vector<std::string>& sets) {
    // The file as it was read at the start (before --set and --add-sites).
    const files::TextInput& input = scenario_text(c.scenario_path);
    std::vector<trial::Override> overrides;
    for (const std::string& s : c.settings) {
        trial::Override o;
        std::string error;
        if (trial::parse_override(s, o, error)) overrides.push_back(o);
    }
    for (const std::string& s : sets) {
        trial::Override o;
        std::string error;
        if (trial::parse_override(s, o, error)) overrides.push_back(o);
    }
    const trial::EditedScenario edited =
        trial::apply_overrides(input.text, c.scenario_path, overrides);
    const files::WriteOutcome written = files::write_whole_file(path, edited.text);
    if (!written.done()) {
        std::cerr << path << ": cannot write the chosen scenario: " << written.error << "\n";
        return false;
    }
    return true;
}

}  // namespace

int run_optimise(const Commands& c, const trial::Scenario& base, int argc, char** argv) {
    const RunSettings& settings = c.run_settings;
    std::optional<Problem> problem = problem_of(c, base);
    if (!problem) return exit_bad_input;
    const Problem& p = *problem;
    if (c.resume && settings.out_path.empty()) {
        std::cerr << "--resume needs --out (the interrupted search's results file)\n";
        return exit_bad_input;
    }
    if (!fits_in_memory(settings, base, c.validate_best + 1)) return exit_bad_input;
    const std::vector<decide::Criterion> criteria = p.criteria();
    const bool text = !settings.json && parallel::is_root();
    if (text) {
        std::cout << "optimise: " << (p.maximise ? "maximise " : "minimise ") << p.objective.text;
        for (std::size_t j = 0; j < p.constraints.size(); ++j)
            std::cout << (j == 0 ? " subject to " : ", ") << p.constraints[j].text;
        std::cout << "\n  deciding: ";
        if (!p.candidates.empty()) std::cout << p.candidates.size() << " candidate sites";
        for (std::size_t k = 0; k < p.variables.size(); ++k) {
            const decide::Variable& v = p.variables[k];
            std::cout << (k == 0 && p.candidates.empty() ? "" : ", ") << v.key << " in ["
                      << number(v.low, 6) << ", " << number(v.high, 6) << "]"
                      << (v.integer ? " (integer)" : "");
        }
        std::cout << "\n  every decision on the same " << settings.replications
                  << " replications (seed " << settings.seed << ")\n"
                  << std::flush;
    }

    // The search: the plan as written first, then the sites, then the values.
    Evaluations evaluations(c, p, base);
    const auto started = std::chrono::steady_clock::now();
    auto stopped = [&]() {
        evaluations.done();
        if (parallel::is_root()) {
            std::cerr << "trialtwin: stopped after " << evaluations.all().size()
                      << " evaluations; ";
            if (evaluations.journal_path().empty())
                std::cerr << "nothing was kept (use --out to keep evaluations)\n";
            else
                std::cerr << "they are kept in " << evaluations.journal_path()
                          << "; run the same command with --resume to carry on\n";
        }
        return exit_interrupted;
    };
    // The plan as written (backup and left-out candidates closed), and where the search starts:
    // every candidate open, the values as written (a key the file leaves at its default: the
    // middle of its range).
    decide::Decision plan, start;
    for (const std::size_t i : p.candidates) {
        plan.open.push_back(!base.sites[i].backup && !base.sites[i].left_out);
        start.open.push_back(1);
    }
    for (const decide::Variable& v : p.variables) {
        const std::optional<double> written = trial::number_at(base.source_text, v.key);
        plan.values.push_back(written.value_or((v.low + v.high) / 2));
        start.values.push_back(decide::written_value(v, plan.values.back()));
    }
    decide::Decision best = start;
    try {
        if (!evaluations.evaluate(plan, {}, decide::phase_start)) return stopped();
        const decide::Evaluate evaluate = [&](const decide::Decision& d, int phase) {
            return evaluations(d, phase);
        };
        if (!p.candidates.empty()) {
            std::optional<decide::Decision> chosen = decide::choose_sites(
                best, evaluate, p.maximise, static_cast<int>(p.candidates.size()));
            if (!chosen) return stopped();
            best = *chosen;
        }
        if (!p.variables.empty()) {
            std::optional<decide::Decision> found =
                decide::pattern_search(best, p.variables, evaluate, p.maximise, c.budget);
            if (!found) return stopped();
            best = *found;
        }
    } catch (const Evaluations::BadDecision& e) {
        evaluations.done();
        std::cerr << e.what() << "\n";
        return exit_bad_input;
    }
    evaluations.done();
    const double search_seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    const std::vector<Evaluated>& all = evaluations.all();

    // The trade-off front (objective against the first constraint), in sample.
    std::vector<std::size_t> front;
    if (!p.constraints.empty()) {
        std::vector<decide::TradeOffPoint> points;
        for (const Evaluated& e : all)
            points.push_back({e.values[0], e.values[1]});
        front = decide::pareto_front(points, !p.maximise, p.constraints[0].at_least);
    }

    // Validation on fresh replications: the plan as written and the best few.
    RunSettings fresh = settings;
    fresh.seed = c.validation_seed != 0 ? c.validation_seed : settings.seed + 1000003;
    fresh.replications = c.validation_reps > 0 ? c.validation_reps : settings.replications;
    const std::vector<std::size_t> picks = to_validate(p, all, front, c.validate_best);
    if (text) {
        std::cout << "  " << all.size() << " decisions evaluated in " << std::fixed
                  << std::setprecision(1) << search_seconds << " s (" << std::setprecision(2)
                  << all.size() / std::max(search_seconds, 1e-9) << " a second)";
        if (evaluations.reused() > 0)
            std::cout << ", " << evaluations.reused() << " taken from the interrupted run";
        std::cout << std::defaultfloat << "\n  validating " << picks.size() - 1
                  << " of the best and the plan as written on " << fresh.replications
                  << " fresh replications (seed " << fresh.seed << ")\n"
                  << std::flush;
    }
    std::vector<Validated> validated;
    for (std::size_t v = 0; v < picks.size(); ++v) {
        const Evaluated& e = all[picks[v]];
        std::optional<trial::Scenario> s =
            scenario_with(c.scenario_path, c.settings, e.edits, base);
        if (!s) return exit_bad_input;
        std::optional<KeptRun> run =
            kept_run({v == 0 ? "as_written" : "candidate_" + std::to_string(v), std::move(*s)},
                     criteria, fresh);
        if (!run) return exit_interrupted;
        Validated out{picks[v], std::move(*run), {}, {}, {}, {}};
        for (std::size_t j = 0; j < criteria.size(); ++j)
            out.values.push_back(decide::value_of(criteria[j], out.run.values[j]));
        out.score = score_of(p, out.values);
        for (std::size_t j = 0; j < p.constraints.size(); ++j)
            out.constraints.push_back(
                decide::interval_of(p.constraints[j].of, out.run.values[1 + j], fresh.seed));
        validated.push_back(std::move(out));
    }
    for (Validated& v : validated)
        v.difference = decide::paired_difference(p.objective, validated[0].run.values[0],
                                                 v.run.values[0], fresh.seed);
    // The answer: the best that meets every constraint out of sample and, when the plan as
    // written meets them too, beats it clearly there (its paired 95 % interval on the right
    // side of 0) — a decision that wins by noise is not worth changing a plan for.
    const bool plan_holds = validated[0].score.feasible();
    auto clearly_better = [&](const Validated& v) {
        if (!plan_holds) return true;
        return p.maximise ? v.difference.low > 0 : v.difference.high < 0;
    };
    std::optional<std::size_t> chosen;
    if (plan_holds) chosen = 0;
    for (std::size_t v = 1; v < validated.size(); ++v) {
        if (!validated[v].score.feasible() || !clearly_better(validated[v])) continue;
        if (!chosen || *chosen == 0 ||
            decide::better(validated[v].score, validated[*chosen].score, p.maximise))
            chosen = v;
    }
    std::vector<std::string> chosen_sets;
    std::string verdict;
    if (!chosen) {
        verdict =
            "no decision met the constraints on fresh replications; the plan as written "
            "stays (nothing to recommend)";
    } else if (*chosen == 0) {
        verdict =
            "keep the plan as written: no decision found beats it clearly (paired 95 % "
            "interval) on fresh replications";
    } else {
        chosen_sets = all[validated[*chosen].evaluation].edits;
        const decide::Index& d = validated[*chosen].difference;
        verdict = "decision " + std::to_string(validated[*chosen].evaluation) + ": " +
                  p.objective.text + " " + number(validated[*chosen].values[0]) + ", " +
                  number(d.value) + " [" + number(d.low) + ", " + number(d.high) +
                  "] against the plan as written (paired, 95 %)";
    }

    // What the file holds.
    trial::OptimiseTables t;
    t.objective = p.objective.text;
    t.sense = p.maximise ? "maximise" : "minimise";
    for (const decide::Constraint& k : p.constraints)
        t.constraints.push_back(k.text);
    for (const decide::Variable& v : p.variables)
        t.variables.push_back(v.key);
    for (const std::size_t i : p.candidates)
        t.candidate_sites.push_back(base.sites[i].id);
    t.replications = settings.replications;
    t.seed = settings.seed;
    t.validation_replications = fresh.replications;
    t.validation_seed = fresh.seed;
    t.constraint_values = {all.size(), p.constraints.size(), {}};
    t.variable_values = {all.size(), p.variables.size(), {}};
    t.sites_open = {all.size(), p.candidates.size(), {}};
    for (std::size_t i = 0; i < all.size(); ++i) {
        const Evaluated& e = all[i];
        const int open =
            static_cast<int>(std::count(e.decision.open.begin(), e.decision.open.end(), 1));
        t.evaluations.push_back(
            {static_cast<std::int32_t>(i), e.phase, e.values[0], e.score.shortfall,
             static_cast<std::int8_t>(e.score.feasible()),
             static_cast<std::int8_t>(std::find(front.begin(), front.end(), i) != front.end()),
             open});
        for (std::size_t j = 0; j < p.constraints.size(); ++j)
            t.constraint_values.values.push_back(e.values[1 + j]);
        for (const double v : e.decision.values)
            t.variable_values.values.push_back(v);
        for (const char o : e.decision.open)
            t.sites_open.values.push_back(static_cast<std::int8_t>(o));
        t.decisions.push_back(one_line(e.edits));
    }
    t.validation_constraints = {validated.size(), 3 * p.constraints.size(), {}};
    for (std::size_t v = 0; v < validated.size(); ++v) {
        const Validated& x = validated[v];
        t.validation.push_back({static_cast<std::int32_t>(x.evaluation),
                                all[x.evaluation].values[0], x.values[0], x.difference.value,
                                x.difference.low, x.difference.high,
                                static_cast<std::int8_t>(x.score.feasible()),
                                static_cast<std::int8_t>(chosen && *chosen == v)});
        for (const decide::Index& k : x.constraints) {
            t.validation_constraints.values.push_back(k.value);
            t.validation_constraints.values.push_back(k.low);
            t.validation_constraints.values.push_back(k.high);
        }
    }
    t.chosen_evaluation = chosen ? static_cast<std::int32_t>(validated[*chosen].evaluation) : -1;
    t.chosen_sets = chosen_sets;
    t.verdict = verdict;

    const decide::Decision chosen_decision =
        chosen ? all[validated[*chosen].evaluation].decision : plan;
    if (parallel::is_root() && settings.json) {
        nlohmann::ordered_json j;
        j["objective"] = p.objective.text;
        j["sense"] = t.sense;
        j["constraints"] = t.constraints;
        j["evaluations"] = all.size();
        j["search_seconds"] = search_seconds;
        j["verdict"] = verdict;
        nlohmann::ordered_json answer;
        answer["found"] = chosen.has_value() && *chosen != 0;
        answer["evaluation"] = t.chosen_evaluation;
        answer["sets"] = chosen_sets;
        if (!p.candidates.empty()) {
            answer["sites_open"] = site_ids(p, base, chosen_decision, true);
            answer["sites_left_out"] = site_ids(p, base, chosen_decision, false);
        }
        for (std::size_t k = 0; k < p.variables.size(); ++k)
            answer["values"][p.variables[k].key] = chosen_decision.values[k];
        j["chosen"] = answer;
        for (const Validated& v : validated) {
            nlohmann::ordered_json row;
            row["evaluation"] = v.evaluation;
            row["plan_as_written"] = v.evaluation == 0;
            row["in_sample"] = all[v.evaluation].values[0];
            row["objective"] = v.values[0];
            row["difference"] = {v.difference.value, v.difference.low, v.difference.high};
            for (std::size_t k = 0; k < p.constraints.size(); ++k)
                row["constraints"][p.constraints[k].text] = {
                    v.constraints[k].value, v.constraints[k].low, v.constraints[k].high};
            row["feasible"] = v.score.feasible();
            j["validation"].push_back(row);
        }
        std::cout << j.dump(2) << "\n";
    } else if (text) {
        if (!front.empty()) {
            std::cout << "  trade-off in sample (" << p.objective.text << " against "
                      << p.constraints[0].of.text << "):\n";
            std::cout << "    " << std::setw(10) << "decision" << std::setw(8) << "sites"
                      << std::setw(16) << "objective" << std::setw(14) << "constraint\n";
            for (const std::size_t i : front) {
                const int open = static_cast<int>(
                    std::count(all[i].decision.open.begin(), all[i].decision.open.end(), 1));
                std::cout << "    " << std::setw(10) << i << std::setw(8)
                          << (p.candidates.empty() ? std::string("-") : std::to_string(open))
                          << std::setw(16) << number(all[i].values[0], 6) << std::setw(13)
                          << number(all[i].values[1])
                          << (all[i].score.feasible() ? "" : "  (fails)") << "\n";
            }
        }
        std::cout << "  validation on fresh replications:\n";
        std::cout << "    " << std::left << std::setw(22) << "decision" << std::right
                  << std::setw(14) << "in sample" << std::setw(14) << "fresh"
                  << "   against the plan [95 %]";
        for (const decide::Constraint& k : p.constraints)
            std::cout << "   " << k.of.text << " [95 %]";
        std::cout << "\n";
        for (std::size_t v = 0; v < validated.size(); ++v) {
            const Validated& x = validated[v];
            const std::string name =
                x.evaluation == 0 ? "plan as written" : "decision " + std::to_string(x.evaluation);
            std::cout << "    " << std::left << std::setw(22)
                      << name + (chosen && *chosen == v ? " *" : "") << std::right << std::setw(14)
                      << number(all[x.evaluation].values[0], 6) << std::setw(14)
                      << number(x.values[0], 6) << "   " << std::setw(8)
                      << number(x.difference.value) << " [" << number(x.difference.low) << ", "
                      << number(x.difference.high) << "]";
            for (const decide::Index& k : x.constraints)
                std::cout << "   " << number(k.value, 3) << " [" << number(k.low, 3) << ", "
                          << number(k.high, 3) << "]";
            std::cout << (x.score.feasible() ? "" : "   fails") << "\n";
        }
        std::cout << "answer: " << verdict << "\n";
        if (chosen && *chosen != 0) {
            if (!p.candidates.empty()) {
                std::cout << "  open: " << joined(site_ids(p, base, chosen_decision, true), ", ")
                          << "\n";
                std::cout << "  left out: "
                          << joined(site_ids(p, base, chosen_decision, false), ", ") << "\n";
            }
            for (std::size_t k = 0; k < p.variables.size(); ++k)
                std::cout << "  " << p.variables[k].key << " = "
                          << value_text(p.variables[k], chosen_decision.values[k]) << "\n";
            std::cout << "  as --set:";
            for (const std::string& s : chosen_sets)
                std::cout << " --set " << s;
            std::cout << "\n";
        }
    }

    // The results first: a chosen scenario that cannot be written (its --set list is printed
    // above) loses less than the search's results would.
    std::string written_to = settings.out_path;
    if (!settings.out_path.empty()) {
        std::vector<Arm> arms;
        std::vector<ArmRun> runs;
        const std::size_t kept = chosen && *chosen != 0 ? 2 : 1;
        for (std::size_t v = 0; v < kept; ++v) {
            const Validated& x = validated[v == 0 ? 0 : *chosen];
            std::optional<trial::Scenario> s =
                scenario_with(c.scenario_path, c.settings, all[x.evaluation].edits, base);
            if (!s) return exit_bad_input;
            arms.push_back({v == 0 ? "as_written" : "chosen", std::move(*s)});
            runs.push_back(x.run.run);
        }
        const int written = write_results(settings.out_path, metadata_of(fresh, argc, argv), base,
                                          arms, runs, fresh, nullptr, {&t, nullptr}, &written_to);
        if (written != 0) return written;
        evaluations.remove_journal();
        if (text) std::cout << "  written to " << written_to << "\n";
    }
    // By default beside the results, wherever they went.
    std::string scenario_out = c.scenario_out;
    if (scenario_out.empty() && !written_to.empty()) scenario_out = written_to + ".chosen.toml";
    if (parallel::is_root() && chosen && *chosen != 0 && !scenario_out.empty()) {
        if (!write_scenario(scenario_out, c, chosen_sets)) return exit_internal_error;
        if (text) std::cout << "  the chosen scenario written to " << scenario_out << "\n";
    }
    return 0;
}

}  // namespace cli
