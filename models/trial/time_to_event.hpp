#pragma once
// A patient's time from randomisation to an endpoint's event, drawn by inverting the arm's
// cumulative hazard (models/scenario/endpoint.hpp): with E ~ Exp(1), the event comes at
// H⁻¹(E / hazard_ratio), unless the patient is among the cured.

#include <vector>

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

// The model's free parameters on the log scale (what a fit estimates): exponential [log rate],
// Weibull [log shape, log scale], piecewise exponential [log hazard of each piece]; the hazard
// ratio and cure fraction are not among them. A piece's hazard of 0 is taken as 1e-12.
std::vector<double> log_params_of(const EventTimeModel& model);
// `like` with the given log parameters (its hazard ratio set to 1).
EventTimeModel with_log_params(const EventTimeModel& like, const std::vector<double>& log_params);
// log f(t) for an event at t, log S(t) for a patient censored at t (cure fraction included).
double event_log_density(const EventTimeModel& model, double days);
double log_survival(const EventTimeModel& model, double days);

}  // namespace trial
