#pragma once
// Everything model code needs from the kernel.

#include "sim/capacity_calendar.hpp"
#include "sim/join.hpp"
#include "sim/pool.hpp"
#include "sim/process.hpp"
#include "sim/random.hpp"
#include "sim/signal.hpp"
#include "sim/simulation.hpp"
#include "sim/store.hpp"
#include "sim/task.hpp"
#include "sim/this_process.hpp"
#include "sim/timing.hpp"
