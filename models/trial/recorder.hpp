#pragma once
// What the trial model tells the outside world as a replication runs. The model calls these;
// it never knows whether they land in a summary, an event log or an HDF5 file.

#include <array>
#include <cstdint>
#include <span>
#include <string_view>

#include "models/trial/site_weeks.hpp"

namespace trial {

enum class DeviationKind : std::uint8_t { early, late, missed };
inline constexpr int deviation_kind_count = 3;

// What kept a visit from its window (made it late or early) or made it missed: the staff or
// machines were full on the window's working days, the site had no kit to dispense, the window
// had no working day left when the visit was booked, or the window was over before the
// patient was free for the visit because the previous visit was late.
enum class Cause : std::uint8_t { staff, equipment, kit, calendar, previous_visit_late };
inline constexpr int cause_count = 5;

enum class CostCategory : std::uint8_t {
    site_staff,  // on-duty hours of site staff, at the country's hourly rates
    site_fees,   // start-up fee at activation
    patient_fees,
    monitoring,  // CRA days and travel
    shipments,
    kits_used,
    kits_wasted,
};
inline constexpr int cost_category_count = 7;

enum class StockPlace : std::uint8_t { central, country_depot, site };

// What the trial's watch flags at a decision epoch (models/trial/decision_epochs.cpp).
enum class AnomalyKind : std::uint8_t {
    lagging_site,        // P(site rate below its plan rate) at or above the threshold
    staff_overload,      // staff utilisation above the threshold for several weeks running
    equipment_conflict,  // visits late or missed for want of a machine since the last epoch
    stock_out_risk,      // kits on hand and on the way cover less than the resupply lead time
    slowdown,            // the site's own recruitment rate dropped (policy/slowdown_watch.hpp)
};
inline constexpr int anomaly_kind_count = 5;

constexpr std::string_view name_of(DeviationKind kind) {
    constexpr std::array<std::string_view, deviation_kind_count> names{"early", "late", "missed"};
    return names[static_cast<int>(kind)];
}
constexpr std::string_view name_of(Cause cause) {
    constexpr std::array<std::string_view, cause_count> names{"staff", "equipment", "kit",
                                                              "calendar", "previous_visit_late"};
    return names[static_cast<int>(cause)];
}
constexpr std::string_view name_of(CostCategory category) {
    constexpr std::array<std::string_view, cost_category_count> names{
        "site_staff", "site_fees", "patient_fees", "monitoring",
        "shipments",  "kits_used", "kits_wasted"};
    return names[static_cast<int>(category)];
}

constexpr std::string_view name_of(AnomalyKind kind) {
    constexpr std::array<std::string_view, anomaly_kind_count> names{
        "lagging_site", "staff_overload", "equipment_conflict", "stock_out_risk", "slowdown"};
    return names[static_cast<int>(kind)];
}

struct VisitRef {
    int site = 0;
    int patient = 0;  // within the trial, in order of arrival
    int visit = 0;    // index in the expanded schedule; -1: screening
};

// What a site came to when the replication's books closed (days NaN where never reached).
struct SiteClosing {
    int site = 0;
    bool backup = false;
    bool opened = false;  // planned, or a backup site opened by the policy
    double approval_day = 0, activation_day = 0;
    double recruitment_end_day = 0;  // its own closure, or the trial's (active sites only)
    double last_activity_day = 0;    // active sites only
    double recruitment_rate_per_day = 0;
    int arrived = 0, screened = 0, randomised = 0, target_randomised = 0;
};

// What the whole trial came to, after every site's books closed.
struct TrialClosing {
    int weeks = 0;  // of this replication: week w covers days [7w, 7w + 7)
    double last_patient_last_visit_day = 0;
    double staff_utilisation_overall = 0;      // booked / on-duty hours; NaN: none on duty
    double equipment_utilisation_overall = 0;  // booked / available slots; NaN: none
    int kits_left = 0;                         // unexpired, anywhere
    std::span<const double> cra_utilisation;   // per CRA team, busy share of their time
};

// An analysis' data cut-off (days), its lock and readout, with the endpoint's events and the
// patients still at risk, by arm, at the cut-off.
struct AnalysisCutOff {
    int analysis = 0;  // in Scenario::analyses
    double cutoff_day = 0, lock_day = 0, readout_day = 0;
    bool by_max_date = false;  // cut off by its max_date before its triggers held
    std::span<const int> events_by_arm, at_risk_by_arm;
};

class Recorder {
  public:
    virtual ~Recorder() = default;

    virtual void country_approved(int /*country*/, double /*day*/) {}
    virtual void site_activated(int /*site*/, double /*day*/) {}
    virtual void site_closed(int /*site*/, double /*day*/) {}
    virtual void patient_arrived(const VisitRef&, double /*day*/) {}
    virtual void screen_failed(const VisitRef&, double /*day*/) {}
    virtual void randomised(const VisitRef&, int /*arm*/, double /*day*/) {}
    virtual void recruitment_closed(double /*day*/) {}
    virtual void visit_done(const VisitRef&, double /*target_day*/, double /*day*/) {}
    virtual void deviation(const VisitRef&, DeviationKind, Cause, double /*day*/) {}
    virtual void dropped_out(const VisitRef&, double /*day*/) {}
    virtual void completed(const VisitRef&, double /*day*/) {}
    virtual void stock_out(int /*site*/, double /*day*/) {}
    virtual void kits_dispensed(int /*site*/, int /*kits*/, double /*day*/) {}
    virtual void kits_expired(StockPlace, int /*place*/, int /*kits*/, double /*day*/) {}
    virtual void shipment(StockPlace /*to*/, int /*place*/, int /*kits*/, double /*day*/) {}
    virtual void monitoring_visit(int /*site*/, double /*day*/) {}
    virtual void cost(CostCategory, double /*amount*/, double /*day*/) {}
    // `value`: the probability, utilisation, count or days of cover behind the flag.
    virtual void anomaly(AnomalyKind, int /*site*/, double /*value*/, double /*day*/) {}
    virtual void staff_changed(int /*site*/, int /*group*/, double /*hours_per_day*/,
                               double /*day*/) {}
    virtual void backup_site_opened(int /*site*/, double /*day*/) {}
    // An endpoint's event of a patient (visit: -1); in a forecast, those observed before the
    // as-of day come first, with their days (patient: -1, unknown).
    virtual void endpoint_event(const VisitRef&, int /*endpoint*/, int /*arm*/, double /*day*/) {}
    virtual void analysis_cut_off(const AnalysisCutOff&) {}

    // When the replication ends: each site's weekly series (the spans valid during the call
    // only) and what it came to, site by site, then the trial's.
    virtual void site_books_closed(const SiteWeeks&, const SiteClosing&) {}
    virtual void trial_books_closed(const TrialClosing&) {}
};

}  // namespace trial
