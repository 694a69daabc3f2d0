#pragma once
// `trialtwin sweep`: the scenario at each point of a parameter design, on the same replications.

#include "models/cli/commands.hpp"

namespace cli {

int run_sweep(const Commands& c, const trial::Scenario& base, int argc, char** argv);

}  // namespace cli
