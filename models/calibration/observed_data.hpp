#pragma once
// What a running trial has observed so far, read from CSV files (schema:
// scenarios/observed/README.md). Every problem is reported as FILE:LINE:COLUMN: message, and
// all of them are reported, not just the first.

#include <optional>
#include <string>
#include <vector>

#include "models/scenario/scenario.hpp"

namespace trial {

struct ObservedSite {
    int site = -1;                         // index in the scenario
    std::optional<double> activation_day;  // trial day; none: not yet active
    int screened = 0;                      // presented and screened (or screening) so far
    int randomised = 0;
    std::optional<int> screen_failed;  // none: everyone screened and not randomised failed
    int dropped_out = 0;
    std::optional<int> kits_on_hand;  // drug kits at the site on the as-of date
};

struct ObservedPatient {
    int site = -1;
    double randomisation_day = 0;
    enum class Status { on_study, dropped_out, completed } status = Status::on_study;
    std::optional<int> visits_done;  // protocol visits after randomisation done so far
    std::optional<int> arm;          // index in [trial] arms; none: blinded
    // Per endpoint of the scenario: the day of its event, or of censoring (lost to follow-up
    // for it); neither: at risk on the as-of day.
    std::vector<std::optional<double>> event_day, censored_day;
};

struct ObservedTrial {
    std::string as_of_date;  // YYYY-MM-DD
    double as_of_day = 0;    // trial day
    std::vector<ObservedSite> sites;
    std::vector<ObservedPatient> patients;  // empty unless a patients file was given
    std::string sites_text, patients_text;  // the files verbatim, for the results file
};

struct LoadedObservations {
    std::optional<ObservedTrial> observed;
    std::vector<std::string> errors;  // "file:line:column: message"
};

// `as_of` is a date (YYYY-MM-DD); `patients_path` may be empty.
LoadedObservations load_observations(const Scenario& scenario, const std::string& as_of,
                                     const std::string& sites_path,
                                     const std::string& patients_path);

}  // namespace trial
