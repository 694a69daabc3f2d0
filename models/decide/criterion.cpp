#include "models/decide/criterion.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>

#include "models/stats/quantiles.hpp"

namespace decide {
namespace {

bool parse_number(const std::string& text, double& out) {
    const char* end = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(text.data(), end, out);
    return ec == std::errc() && ptr == end && std::isfinite(out);
}

std::string known_statistics() {
    return "mean, median, p (a probability), or pNN (a percentile, p10, p90)";
}

}  // namespace

bool is_yes_no(const std::string& metric_key) {
    return metric_key == "target_met_by_plan" ||
           (metric_key.size() > 8 && metric_key.ends_with("_reached"));
}

bool parse_criterion(const std::string& flag, const std::string& text,
                     std::span<const std::string> metric_keys, Criterion& out, std::string& error) {
    const auto colon = text.find(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 == text.size()) {
        error = flag + " " + text + ": expected STATISTIC:METRIC, e.g. mean:cost_total (" +
                known_statistics() + ")";
        return false;
    }
    out = {};
    out.text = text;
    const std::string statistic = text.substr(0, colon);
    out.metric = text.substr(colon + 1);
    if (std::find(metric_keys.begin(), metric_keys.end(), out.metric) == metric_keys.end()) {
        error = flag + " " + text + ": no metric " + out.metric + " (one of:";
        for (const std::string& k : metric_keys)
            error += " " + k;
        error += ")";
        return false;
    }
    if (statistic == "mean") {
        out.statistic = Statistic::mean;
    } else if (statistic == "median") {
        out.statistic = Statistic::quantile;
        out.quantile = 0.5;
    } else if (statistic == "p") {
        if (!is_yes_no(out.metric)) {
            error = flag + " " + text + ": p: is the probability of a yes/no outcome (" +
                    "target_met_by_plan, analysis_<name>_reached); " + out.metric +
                    " is a number: use mean:, median: or pNN:";
            return false;
        }
        out.statistic = Statistic::probability;
    } else if (statistic.size() >= 2 && statistic.size() <= 3 && statistic[0] == 'p' &&
               std::all_of(statistic.begin() + 1, statistic.end(),
                           [](char c) { return c >= '0' && c <= '9'; })) {
        const int percent = std::stoi(statistic.substr(1));
        if (percent < 1 || percent > 99) {
            error = flag + " " + text + ": a percentile is p1 to p99";
            return false;
        }
        out.statistic = Statistic::quantile;
        out.quantile = percent / 100.0;
    } else {
        error = flag + " " + text + ": unknown statistic \"" + statistic + "\" (" +
                known_statistics() + ")";
        return false;
    }
    return true;
}

bool parse_constraint(const std::string& flag, const std::string& text,
                      std::span<const std::string> metric_keys, Constraint& out,
                      std::string& error) {
    auto at = text.find(">=");
    bool at_least = true;
    if (at == std::string::npos) {
        at = text.find("<=");
        at_least = false;
    }
    if (at == std::string::npos || at == 0 || at + 2 >= text.size()) {
        error = flag + " \"" + text +
                "\": expected STATISTIC:METRIC>=BOUND or <=BOUND, e.g. p:target_met_by_plan>=0.9";
        return false;
    }
    out = {};
    out.text = text;
    out.at_least = at_least;
    if (!parse_criterion(flag, text.substr(0, at), metric_keys, out.of, error)) return false;
    if (!parse_number(text.substr(at + 2), out.bound)) {
        error =
            flag + " \"" + text + "\": the bound \"" + text.substr(at + 2) + "\" is not a number";
        return false;
    }
    if (out.of.statistic == Statistic::probability && (out.bound < 0 || out.bound > 1)) {
        error = flag + " \"" + text + "\": a probability's bound lies in [0, 1]";
        return false;
    }
    return true;
}

double value_of(const Criterion& criterion, std::span<const double> per_replication) {
    if (criterion.statistic == Statistic::quantile) {
        return stats::quantile({per_replication.begin(), per_replication.end()},
                               criterion.quantile);
    }
    double sum = 0;
    int reached = 0;
    for (const double v : per_replication) {
        if (std::isnan(v)) continue;
        sum += v;
        ++reached;
    }
    return reached > 0 ? sum / reached : std::nan("");
}

double shortfall(const Constraint& c, double value) {
    if (std::isnan(value)) return 1e9;
    const double gap = c.at_least ? c.bound - value : value - c.bound;
    return gap <= 0 ? 0.0 : gap / std::max(std::abs(c.bound), 1e-9);
}

}  // namespace decide
