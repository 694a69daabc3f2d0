#pragma once
// Reading [[endpoints]] and [[analyses]] of a scenario (their keys in
// scenarios/README.md, "Endpoints and analyses"). Internal to the scenario loader: it runs
// after [trial] and [protocol] are read, since endpoints name arms and analyses name
// endpoints.

#include "models/scenario/scenario.hpp"
#include "models/scenario/toml_table.hpp"

namespace trial::toml_reading {

void read_endpoints(Errors& errors, Table& top, Scenario& s);
// `start`: [trial] start_date, if it was valid (dates become days from it).
void read_analyses(Errors& errors, Table& top, Scenario& s, const std::optional<toml::date>& start);

}  // namespace trial::toml_reading
