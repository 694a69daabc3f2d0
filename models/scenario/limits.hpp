#pragma once
// The values a real trial can have: every number a scenario holds is checked against one of
// these ranges when it is read (scenarios/README.md lists them key by key), and what their
// combination implies — visits per patient, decisions in the horizon — is checked after. A
// value outside is a validation error naming the file, line and key, before anything runs:
// extreme but well-typed values (a visit on day 1e9, a decision every 1e-300 days, a site
// recruiting 1e308 a day) otherwise exhaust the memory or never end.

#include <string>

namespace trial {

struct Range {
    double least;
    double most;
    bool above_least = false;  // least itself excluded
    bool below_most = false;   // most itself excluded
    bool contains(double v) const {
        return (above_least ? v > least : v >= least) && (below_most ? v < most : v <= most);
    }
    // "must be between 0 and 36525", "must be > 0 and <= 1000", ...
    std::string requirement() const;
};

namespace limits {

// A century: longer than any trial's follow-up, short enough that a day-by-day diary of it
// fits in memory for every staff group of a 1,000-site trial.
inline constexpr double century_days = 36'525;

inline constexpr Range any{-1e300, 1e300};
inline constexpr Range days{0, century_days};                 // a day of the trial, a delay
inline constexpr Range positive_days{0, century_days, true};  // a duration that must pass
inline constexpr Range interval_days{1, century_days};        // something done every N days
inline constexpr Range window_days{0, 3'650};                 // a visit window, a tolerance
inline constexpr Range lead_days{0, 3'650};                   // shipping, review, cover
inline constexpr Range probability{0, 1, false, true};        // [0, 1)
inline constexpr Range share{0, 1};                           // [0, 1]
inline constexpr Range open_share{0, 1, true, true};          // (0, 1)
inline constexpr Range money{0, 1e12};                        // a fee, a cost, a rate
inline constexpr Range hours_a_day{0, 24, true};              // (0, 24]
inline constexpr Range hour_of_day{0, 24, false, true};       // [0, 24)
inline constexpr Range utc_offset{-12, 14};
inline constexpr Range patients{1, 1'000'000};          // a trial's target
inline constexpr Range site_patients{0, 100'000};       // one site's
inline constexpr Range rate_per_day{0, 100};            // patients a site-day
inline constexpr Range per_year{0, 100};                // a yearly hazard or decay
inline constexpr Range gamma_shape{1e-3, 1e4};          // a Gamma distribution's shape
inline constexpr Range gamma_rate_days{1e-3, 1e7};      // rate_rate_days (prior β)
inline constexpr Range per_site_month{0, 3'000, true};  // patients a site-month, on average
inline constexpr Range variation{0.01, 30};             // a coefficient of variation
inline constexpr Range lognormal_sigma{0, 5};
inline constexpr Range people{1, 10'000};   // staff in a group, CRAs
inline constexpr Range slots{1, 10'000};    // a machine's slots a day
inline constexpr Range repeats{1, 10'000};  // repeats of a visit
inline constexpr Range kits_a_visit{0, 1'000};
inline constexpr Range kits{0, 1e8};                     // stock levels
inline constexpr Range positive_kits{0, 1e8, true};      // a maximum level, a batch
inline constexpr Range visit_length_days{0, 365, true};  // a CRA's visit
inline constexpr Range arm_ratio{1, 1'000};
inline constexpr Range factor{0, 100};  // shares, uplifts, elasticities
inline constexpr Range positive_factor{0, 100, true};
inline constexpr Range staff_share_most{1, 100};
inline constexpr Range hours_a_week{0, 168, true};
inline constexpr Range effort_hours{0, 100'000, true};  // a site's effort-role hours a week
inline constexpr Range weeks{1, 520};
inline constexpr Range count{0, 10'000};  // moves a decision, ...

// What a combination may come to.
inline constexpr double most_visits_per_patient = 10'000;
inline constexpr double most_scheduled_visits = 2e8;  // target × visits a patient
inline constexpr double most_decision_epochs = 100'000;

}  // namespace limits
}  // namespace trial
