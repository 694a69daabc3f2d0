#pragma once
// What the trial measures and when it reads out: endpoints (time to an event from
// randomisation, per arm), and the analyses whose triggers — events, dates, follow-up — set
// the data cut-off, then lock and readout. Plain data read from [[endpoints]] and
// [[analyses]] (scenarios/README.md, "Endpoints and analyses"); drawn and counted by the trial
// model (models/trial/time_to_event.hpp, models/trial/readout.cpp).

#include <optional>
#include <string>
#include <vector>

#include "models/scenario/delay.hpp"

namespace trial {

// Time from randomisation to the event for one arm, as a cumulative hazard H(t): the event
// comes when H reaches an Exp(1) draw / hazard_ratio, unless the patient is among the cured
// (cure_fraction), who never have it.
struct EventTimeModel {
    enum class Kind { exponential, weibull, piecewise_exponential };
    Kind kind = Kind::exponential;
    double rate_per_day = 0.0;  // exponential: H(t) = rate t
    double shape = 1.0;         // weibull: H(t) = (t / scale)^shape
    double scale_days = 0.0;
    // piecewise_exponential: hazard piece_hazards_per_day[i] from piece_starts_days[i] (the
    // first is 0) to the next start; the last goes on for ever.
    std::vector<double> piece_starts_days;
    std::vector<double> piece_hazards_per_day;
    double hazard_ratio = 1.0;  // against the distribution above (proportional hazards)
    double cure_fraction = 0.0;
};

struct EndpointSpec {
    std::string name;
    std::vector<EventTimeModel> by_arm;  // one per arm of [trial], in its order
    // Censoring besides dropout (a patient who drops out is censored that day) and the
    // analysis cut-off: lost to follow-up for this endpoint at this yearly hazard.
    double lost_to_follow_up_rate_per_year = 0.0;
    // The event ends the patient's protocol visits (progression ends treatment); the patient
    // moves to follow-up contacts ([protocol.follow_up]) until the final analysis.
    bool ends_treatment = false;
};

// An analysis is cut off at the first moment every trigger it has holds (events, calendar
// date, follow-up after the last randomisation, time since the previous analysis), or at its
// max_day whatever holds; then locked and read out after the given delays.
struct AnalysisSpec {
    std::string name;
    int endpoint = 0;                               // in Scenario::endpoints
    std::optional<int> events;                      // of the endpoint, all arms together
    std::optional<double> calendar_day;             // not before this day
    std::optional<double> min_follow_up_days;       // after the last randomisation
    std::optional<double> min_days_since_previous;  // after the previous analysis' cut-off
    std::optional<double> max_day;                  // cut off on this day at the latest
    Delay cutoff_to_lock_days;
    Delay lock_to_readout_days;
};

}  // namespace trial
