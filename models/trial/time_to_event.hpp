#pragma once
// A patient's time from randomisation to an endpoint's event, drawn by inverting the arm's
// cumulative hazard (models/scenario/endpoint.hpp): with E ~ Exp(1), the event comes at
// H⁻¹(E / hazard_ratio), unless the patient is among the cured.

#include "models/scenario/endpoint.hpp"
#include "sim/random.hpp"

namespace trial {

// H(t) of the distribution as written (before the hazard ratio).
double cumulative_hazard(const EventTimeModel& model, double days);
// The t with H(t) = h.
double days_at_cumulative_hazard(const EventTimeModel& model, double h);
// Days from randomisation to the event, for a patient known to have had none in the first
// `survived_days` (a running trial's patient on its as-of day); sim::forever for a cured one.
double draw_days_to_event(const EventTimeModel& model, sim::Rng& rng, double survived_days = 0);

}  // namespace trial
