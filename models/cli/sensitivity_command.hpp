#pragma once
// `trialtwin sensitivity`: which inputs drive an outcome. One at a time: each input at the low
// and the high end of its range, the others as written, on the same replications (a tornado
// with paired intervals). Global: first-order and total Sobol indices over the ranges together,
// on a quasi-random design, with bootstrap intervals.

#include "models/cli/commands.hpp"

namespace cli {

int run_sensitivity(const Commands& c, const trial::Scenario& base, int argc, char** argv);

}  // namespace cli
