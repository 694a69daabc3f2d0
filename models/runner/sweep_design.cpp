#include "models/runner/sweep_design.hpp"

#include <cmath>
#include <numeric>
#include <sstream>

#include "models/scenario/overrides.hpp"
#include "sim/random.hpp"

namespace trial {
namespace {

std::string format(double value, bool integer) {
    if (integer) return std::to_string(std::llround(value));
    std::ostringstream out;
    out.precision(10);
    out << value;
    std::string text = out.str();
    // A TOML float needs a decimal point or exponent.
    if (text.find_first_of(".eE") == std::string::npos) text += ".0";
    return text;
}

}  // namespace

bool parse_dimension(const std::string& argument, SweepDimension& out, std::string& error) {
    Override split;  // KEY=SPEC, split as for --set
    if (!parse_override(argument, split, error)) {
        error = "--set " + argument + ": expected KEY=V1,V2,... or KEY=LO:HI";
        return false;
    }
    out.key = split.key;
    const std::string& spec = split.value;
    const auto colon = spec.find(':');
    if (colon != std::string::npos && spec.find(',') == std::string::npos) {
        const std::string low = spec.substr(0, colon), high = spec.substr(colon + 1);
        try {
            std::size_t used_low = 0, used_high = 0;
            out.low = std::stod(low, &used_low);
            out.high = std::stod(high, &used_high);
            if (used_low != low.size() || used_high != high.size()) throw std::invalid_argument("");
        } catch (const std::exception&) {
            error = "--set " + argument + ": a range needs two numbers, LO:HI";
            return false;
        }
        if (!(out.low < out.high)) {
            error = "--set " + argument + ": a range needs LO < HI";
            return false;
        }
        return true;
    }
    std::stringstream items(spec);
    std::string item;
    while (std::getline(items, item, ',')) {
        if (item.empty()) {
            error = "--set " + argument + ": an empty value in the list";
            return false;
        }
        out.values.push_back(item);
    }
    return true;
}

std::vector<std::vector<std::string>> sweep_points(const std::vector<SweepDimension>& dimensions,
                                                   SweepDesign design, int points,
                                                   std::uint64_t seed) {
    std::vector<std::vector<std::string>> out;
    if (design == SweepDesign::grid) {
        std::vector<std::vector<std::string>> axes;
        for (const SweepDimension& d : dimensions) {
            if (!d.values.empty()) {
                axes.push_back(d.values);
                continue;
            }
            std::vector<std::string> axis;
            const int n = std::max(points, 2);
            for (int i = 0; i < n; ++i) {
                axis.push_back(format(d.low + (d.high - d.low) * i / (n - 1), d.integer));
            }
            axes.push_back(std::move(axis));
        }
        out.push_back({});
        for (const auto& axis : axes) {
            std::vector<std::vector<std::string>> next;
            for (const auto& partial : out) {
                for (const std::string& value : axis) {
                    next.push_back(partial);
                    next.back().push_back(value);
                }
            }
            out = std::move(next);
        }
        return out;
    }
    sim::Rng rng = sim::stream(seed, 0, "sweep.latin_hypercube");
    out.assign(points, {});
    for (const SweepDimension& d : dimensions) {
        std::vector<int> strata(points);
        std::iota(strata.begin(), strata.end(), 0);
        for (int i = points - 1; i > 0; --i) {
            std::swap(strata[i], strata[static_cast<int>(rng.uniform01() * (i + 1))]);
        }
        for (int p = 0; p < points; ++p) {
            if (!d.values.empty()) {
                out[p].push_back(d.values[strata[p] % d.values.size()]);
            } else {
                const double u = (strata[p] + rng.uniform01()) / points;
                out[p].push_back(format(d.low + u * (d.high - d.low), d.integer));
            }
        }
    }
    return out;
}

double sweep_point_count(const std::vector<SweepDimension>& dimensions, SweepDesign design,
                         int points) {
    if (design == SweepDesign::latin_hypercube) return points;
    double n = 1;
    for (const SweepDimension& d : dimensions)
        n *= d.values.empty() ? points : static_cast<double>(d.values.size());
    return n;
}

}  // namespace trial
