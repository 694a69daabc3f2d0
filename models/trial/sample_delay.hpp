#pragma once
// A scenario's delay (models/scenario/delay.hpp) drawn for one replication, site or machine
// from one of the replication's random streams.

#include "models/scenario/delay.hpp"
#include "sim/random.hpp"

namespace trial {

double sample(const Delay& delay, sim::Rng& rng);

}  // namespace trial
