#pragma once
// The search for a decision: which candidate sites to open, and the values of numeric scenario
// keys. Each decision is judged on the same replications (common random numbers: the
// sample-average approximation), so the search sees a deterministic function and two
// decisions' difference is not noise of their own; the caller evaluates (and caches) decisions,
// the search only chooses which to ask about.
//
// Decisions are ranked feasibility first (Deb 2000): a decision that meets every constraint
// beats one that does not; of two that do, the better objective wins; of two that do not, the
// smaller total shortfall. Ties keep the incumbent, so the path is the same on every run.

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace decide {

struct Score {
    double objective = 0;  // NaN: never reached (ranks last)
    // Per constraint, how far inside its bound the value is, relative to the bound's size
    // (negative: outside by that much; -1e9 for an outcome never reached).
    std::vector<double> margins;
    double shortfall = 0;  // the sum of the negative margins' sizes: 0 when every one is met
    bool feasible() const { return shortfall == 0; }
};

// Whether `a` is strictly better than `b`.
bool better(const Score& a, const Score& b, bool maximise);

struct Decision {
    std::vector<char> open;      // per candidate site: 1 open, 0 left out
    std::vector<double> values;  // per variable
    bool operator==(const Decision&) const = default;
};

struct Variable {
    std::string key;
    double low = 0, high = 0;
    bool integer = false;
};

// Evaluates a decision (nothing: stopped, e.g. by Ctrl-C). `phase` says which step of the
// search asks (for the record).
using Evaluate = std::function<std::optional<Score>(const Decision&, int phase)>;

enum Phase : int { phase_start = 0, phase_sites = 1, phase_values = 2 };

// Site selection by greedy flips with a ranked walk. Each round evaluates every single flip of
// the current selection (open one more candidate, or leave one out), ranks the flips by what
// they gain in the objective per unit of constraint slack they use (the cheapest sites to
// drop first), and walks along that ranking applying them one after another while the result
// stays the best so far; the best point of the walk is the next selection. Rounds go on until
// none improves (a local optimum for single flips) or `max_rounds`. Nothing if stopped.
std::optional<Decision> choose_sites(const Decision& start, const Evaluate& evaluate, bool maximise,
                                     int max_rounds);

// Generalised pattern search (Torczon 1997; Audet & Dennis 2000 for integer variables): poll
// the 2n points one step along each variable, move to the best if it beats the incumbent
// (keeping the step), else halve every step. An integer step never falls below 1, and a
// variable whose unit step failed is settled; continuous steps stop below (high − low)/64.
// Starts from `start` with steps of a quarter of each range. At most `budget` polls' worth of
// evaluations. Nothing if stopped.
std::optional<Decision> pattern_search(const Decision& start,
                                       const std::vector<Variable>& variables,
                                       const Evaluate& evaluate, bool maximise, int budget);

// A continuous value as the search writes it (6 significant digits), an integer rounded: what
// the scenario is set to, so the decision and its scenario agree.
double written_value(const Variable& variable, double value);

}  // namespace decide
