#pragma once
// What a valid scenario may still get wrong: values each in range that together will not do
// what the planner expects. `trialtwin validate` lists these as warnings under any errors
// (`--strict` makes them errors). Each names the key to look at.

#include <string>
#include <vector>

#include "models/scenario/scenario.hpp"

namespace trial {

struct PlanWarning {
    std::string key;      // e.g. "trial.horizon_days"
    std::string message;  // what will happen, and what would avoid it
};

// The warnings for a scenario that loaded:
//  - the horizon ends before a patient randomised on the plan date finishes the protocol
//    (follow-up is cut off and the horizon reported as the last visit);
//  - sites no CRA team covers, when the scenario has CRA teams (they start up unmonitored);
//  - visits whose window is shorter than a country's run of days without visits (a window
//    falling on them has no working day: a calendar deviation);
//  - the plan date out of reach even at the recruitment prior's mean rates (expected
//    randomisations by the plan date, from the mean start-up delays, below the target);
//  - drug batches holding fewer kits than the protocol dispenses to the target's patients.
std::vector<PlanWarning> plan_warnings(const Scenario& scenario);

}  // namespace trial
