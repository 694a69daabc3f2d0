#pragma once
// How staff effort changes a site's recruitment rate: the model of EffortSpec
// (models/scenario/scenario.hpp, scenarios/README.md "Effort model"). Diminishing returns
// above the planned hours, proportional losses below them.

#include <cmath>

#include "models/scenario/scenario.hpp"

namespace trial {

inline double recruitment_multiplier(const EffortSpec& effort, double planned_hours_per_week,
                                     double hours_per_week) {
    if (planned_hours_per_week <= 0) return 1.0;
    if (hours_per_week >= planned_hours_per_week) {
        const double extra = hours_per_week - planned_hours_per_week;
        return 1.0 + effort.max_uplift * extra / (extra + effort.half_uplift_hours_per_week);
    }
    return std::pow(std::max(0.0, hours_per_week) / planned_hours_per_week,
                    effort.shortfall_elasticity);
}

}  // namespace trial
