#pragma once
// The points of a parameter sweep. Each dimension is a scenario key with either a list of
// values (`KEY=1,2,4`) or a range (`KEY=LO:HI`). A grid takes every combination (a range
// contributes `points` evenly spaced values); a Latin hypercube takes `points` points, each
// range cut into `points` strata used once each (McKay, Beckman & Conover 1979), a list's values
// cycled over a random permutation. Same seed, same points.

#include <cstdint>
#include <string>
#include <vector>

namespace trial {

struct SweepDimension {
    std::string key;
    std::vector<std::string> values;  // a list (TOML literals), or empty for a range
    double low = 0, high = 0;
    bool integer = false;  // a range over an integer key yields integers (set by the caller)
};

enum class SweepDesign { grid, latin_hypercube };

// Parses "KEY=V1,V2,..." or "KEY=LO:HI"; false with a message if malformed.
bool parse_dimension(const std::string& argument, SweepDimension& out, std::string& error);

// How many points the design has (a grid's product of its dimensions' sizes, which can be
// astronomical: ask before making them).
double sweep_point_count(const std::vector<SweepDimension>& dimensions, SweepDesign design,
                         int points);

// Each point: one TOML value literal per dimension, in dimension order.
std::vector<std::vector<std::string>> sweep_points(const std::vector<SweepDimension>& dimensions,
                                                   SweepDesign design, int points,
                                                   std::uint64_t seed);

}  // namespace trial
