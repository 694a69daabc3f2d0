#pragma once
// /optimise and /sensitivity of a results file (schema: results/README.md): what
// `trialtwin optimise` searched and `trialtwin sensitivity` found, serialised as given.

#include <H5Cpp.h>

#include "models/results/decision_tables.hpp"

namespace trial {

void write_optimise_group(H5::H5File& file, const OptimiseTables& t);
void write_sensitivity_group(H5::H5File& file, const SensitivityTables& t);

}  // namespace trial
