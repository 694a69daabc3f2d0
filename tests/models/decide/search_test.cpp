// The search on functions whose optimum is known: pattern search over a continuous and an
// integer variable, with and without a constraint; site selection on identical and on
// different sites; feasibility first.

#include <catch2/catch.hpp>
#include <cmath>
#include <map>
#include <vector>

#include "models/decide/pareto.hpp"
#include "models/decide/search.hpp"

namespace {

// Counts the distinct decisions asked about (the command caches them the same way).
struct Counted {
    std::map<std::pair<std::vector<char>, std::vector<double>>, decide::Score> seen;
    std::function<decide::Score(const decide::Decision&)> f;
    decide::Evaluate evaluate() {
        return [this](const decide::Decision& d, int) -> std::optional<decide::Score> {
            auto key = std::make_pair(d.open, d.values);
            if (auto at = seen.find(key); at != seen.end()) return at->second;
            return seen[key] = f(d);
        };
    }
};

decide::Score score(double objective, std::vector<double> margins = {}) {
    decide::Score s;
    s.objective = objective;
    for (double m : margins) {
        s.margins.push_back(m);
        if (m < 0) s.shortfall -= m;
    }
    return s;
}

}  // namespace

TEST_CASE("feasible first, then the objective; of two infeasible, the smaller shortfall",
          "[decide][search]") {
    CHECK(decide::better(score(10, {0.1}), score(1, {-0.1}), false));
    CHECK(decide::better(score(1, {0.1}), score(2, {0.5}), false));
    CHECK(decide::better(score(2, {0.1}), score(1, {0.5}), true));
    CHECK(decide::better(score(9, {-0.1}), score(1, {-0.2}), false));
    CHECK_FALSE(decide::better(score(1, {0.1}), score(1, {0.1}), false));  // ties keep
    CHECK(decide::better(score(5), score(std::nan("")), false));           // never reached: last
}

TEST_CASE("pattern search finds the minimum of a bowl over a continuous and an integer input",
          "[decide][search]") {
    const std::vector<decide::Variable> vars{{"x", 0, 10, false}, {"n", 0, 20, true}};
    Counted c;
    c.f = [](const decide::Decision& d) {
        const double x = d.values[0], n = d.values[1];
        return score((x - 3.3) * (x - 3.3) + (n - 7) * (n - 7));
    };
    decide::Decision start{{}, {9, 18}};
    const auto found = decide::pattern_search(start, vars, c.evaluate(), false, 200);
    REQUIRE(found);
    CHECK(found->values[0] == Approx(3.3).margin(10.0 / 64));
    CHECK(found->values[1] == 7);
    CHECK(c.seen.size() < 80);
    // The same search, the same path.
    Counted again;
    again.f = c.f;
    CHECK(*decide::pattern_search(start, vars, again.evaluate(), false, 200) == *found);
}

TEST_CASE("pattern search keeps to a constraint: the cheapest stock level that covers demand",
          "[decide][search]") {
    // Cost rises with the level; the constraint wants level >= 12.4 (integers: 13).
    const std::vector<decide::Variable> vars{{"level", 1, 40, true}};
    Counted c;
    c.f = [](const decide::Decision& d) {
        const double level = d.values[0];
        return score(100 * level, {(level - 12.4) / 12.4});
    };
    const auto found = decide::pattern_search({{}, {40}}, vars, c.evaluate(), false, 100);
    REQUIRE(found);
    CHECK(found->values[0] == 13);
    // The budget bounds the evaluations.
    Counted few;
    few.f = c.f;
    decide::pattern_search({{}, {40}}, vars, few.evaluate(), false, 3);
    CHECK(few.seen.size() <= 1 + 3 + 2);
}

TEST_CASE("written values: integers rounded, continuous to six significant digits, in range",
          "[decide][search]") {
    CHECK(decide::written_value({"n", 1, 9, true}, 3.6) == 4);
    CHECK(decide::written_value({"n", 1, 9, true}, 12) == 9);
    CHECK(decide::written_value({"x", 0, 1, false}, 0.123456789) == 0.123457);
}

TEST_CASE("site selection: identical sites, fewest that meet the bound", "[decide][search]") {
    // Ten identical sites, each costing 1 and adding 1 to a capacity that must reach 6.5.
    Counted c;
    c.f = [](const decide::Decision& d) {
        const double open = static_cast<double>(std::count(d.open.begin(), d.open.end(), 1));
        return score(open, {(open - 6.5) / 6.5});
    };
    const auto chosen =
        decide::choose_sites({std::vector<char>(10, 1), {}}, c.evaluate(), false, 10);
    REQUIRE(chosen);
    CHECK(std::count(chosen->open.begin(), chosen->open.end(), 1) == 7);
}

TEST_CASE("site selection: the dear, slow sites are left out first", "[decide][search]") {
    // Sites with a cost and a contribution; the bound needs 60 % of the total contribution.
    // The optimum (by enumeration below) leaves out the sites worst in cost per contribution.
    const std::vector<double> cost{5, 1, 4, 2, 8, 1, 3, 6};
    const std::vector<double> gives{5, 3, 2, 4, 3, 2, 5, 1};
    double all = 0;
    for (double g : gives)
        all += g;
    const double need = 0.6 * all;
    auto evaluate = [&](const decide::Decision& d) {
        double paid = 0, got = 0;
        for (std::size_t i = 0; i < d.open.size(); ++i)
            if (d.open[i]) {
                paid += cost[i];
                got += gives[i];
            }
        return score(paid, {(got - need) / need});
    };
    double best = 1e9;
    for (int mask = 1; mask < 256; ++mask) {
        decide::Decision d{std::vector<char>(8, 0), {}};
        for (int i = 0; i < 8; ++i)
            d.open[i] = (mask >> i) & 1;
        const decide::Score s = evaluate(d);
        if (s.feasible()) best = std::min(best, s.objective);
    }
    Counted c;
    c.f = evaluate;
    const auto chosen = decide::choose_sites({std::vector<char>(8, 1), {}}, c.evaluate(), false, 8);
    REQUIRE(chosen);
    const decide::Score s = evaluate(*chosen);
    CHECK(s.feasible());
    CHECK(s.objective == best);
    CHECK(c.seen.size() < 256);
}

TEST_CASE("site selection from an infeasible start moves towards the bound", "[decide][search]") {
    // Start with two of six sites open; the bound needs four.
    Counted c;
    c.f = [](const decide::Decision& d) {
        const double open = static_cast<double>(std::count(d.open.begin(), d.open.end(), 1));
        return score(open, {(open - 4) / 4});
    };
    const auto chosen = decide::choose_sites({{1, 1, 0, 0, 0, 0}, {}}, c.evaluate(), false, 10);
    REQUIRE(chosen);
    CHECK(std::count(chosen->open.begin(), chosen->open.end(), 1) == 4);
}

TEST_CASE("the trade-off front: no point on it beaten on both outcomes", "[decide][pareto]") {
    // (cost, probability): cheaper is better, likelier is better.
    const std::vector<decide::TradeOffPoint> points{
        {10, 0.9}, {8, 0.8}, {9, 0.7}, {12, 0.95}, {8, 0.8}, {7, std::nan("")}, {6, 0.5}};
    const std::vector<std::size_t> front = decide::pareto_front(points, true, true);
    CHECK(front == std::vector<std::size_t>{6, 1, 0, 3});  // by cost; the repeat and NaN out
}
