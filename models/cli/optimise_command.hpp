#pragma once
// `trialtwin optimise`: the decision that minimises (or maximises) an outcome subject to
// constraints, searched on common random numbers and validated on fresh replications.

#include "models/cli/commands.hpp"

namespace cli {

int run_optimise(const Commands& c, const trial::Scenario& base, int argc, char** argv);

}  // namespace cli
