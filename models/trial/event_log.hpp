#pragma once
// Every record of one replication, in the order it happened: what a playback needs.

#include <cstdint>
#include <string_view>
#include <vector>

#include "models/trial/recorder.hpp"

namespace trial {

enum class EventKind : std::int32_t {
    country_approved,
    site_activated,
    site_closed,
    patient_arrived,
    screen_failed,
    randomised,  // detail: arm
    recruitment_closed,
    visit_done,  // value: target day
    deviation,   // detail: kind * cause_count + cause
    dropped_out,
    completed,
    stock_out,
    kits_dispensed,  // value: kits
    kits_expired,    // detail: place; site: place index; value: kits
    shipment,        // detail: destination place; site: its index; value: kits
    monitoring_visit,
    cost,                // detail: category; value: amount
    anomaly,             // detail: AnomalyKind; value: what triggered it
    staff_changed,       // detail: staff group; value: hours a day from the next local day
    backup_site_opened,  // a policy opened the site: its start-up begins
};
inline constexpr int event_kind_count = 20;
std::string_view name_of(EventKind kind);

struct Event {
    double day;
    std::int32_t kind;
    std::int32_t site;     // -1 where not about a site (country events: the country)
    std::int32_t patient;  // -1 where not about a patient
    std::int32_t visit;    // -1: screening or none
    std::int32_t detail;
    double value;
};

class EventLog final : public Recorder {
  public:
    const std::vector<Event>& events() const { return events_; }

    void country_approved(int country, double day) override {
        add(day, EventKind::country_approved, country, -1, -1, 0, 0);
    }
    void site_activated(int site, double day) override {
        add(day, EventKind::site_activated, site, -1, -1, 0, 0);
    }
    void site_closed(int site, double day) override {
        add(day, EventKind::site_closed, site, -1, -1, 0, 0);
    }
    void patient_arrived(const VisitRef& p, double day) override {
        add(day, EventKind::patient_arrived, p.site, p.patient, p.visit, 0, 0);
    }
    void screen_failed(const VisitRef& p, double day) override {
        add(day, EventKind::screen_failed, p.site, p.patient, p.visit, 0, 0);
    }
    void randomised(const VisitRef& p, int arm, double day) override {
        add(day, EventKind::randomised, p.site, p.patient, p.visit, arm, 0);
    }
    void recruitment_closed(double day) override {
        add(day, EventKind::recruitment_closed, -1, -1, -1, 0, 0);
    }
    void visit_done(const VisitRef& v, double target_day, double day) override {
        add(day, EventKind::visit_done, v.site, v.patient, v.visit, 0, target_day);
    }
    void deviation(const VisitRef& v, DeviationKind kind, Cause cause, double day) override {
        add(day, EventKind::deviation, v.site, v.patient, v.visit,
            static_cast<int>(kind) * cause_count + static_cast<int>(cause), 0);
    }
    void dropped_out(const VisitRef& p, double day) override {
        add(day, EventKind::dropped_out, p.site, p.patient, p.visit, 0, 0);
    }
    void completed(const VisitRef& p, double day) override {
        add(day, EventKind::completed, p.site, p.patient, p.visit, 0, 0);
    }
    void stock_out(int site, double day) override {
        add(day, EventKind::stock_out, site, -1, -1, 0, 0);
    }
    void kits_dispensed(int site, int kits, double day) override {
        add(day, EventKind::kits_dispensed, site, -1, -1, 0, kits);
    }
    void kits_expired(StockPlace place, int index, int kits, double day) override {
        add(day, EventKind::kits_expired, index, -1, -1, static_cast<int>(place), kits);
    }
    void shipment(StockPlace to, int index, int kits, double day) override {
        add(day, EventKind::shipment, index, -1, -1, static_cast<int>(to), kits);
    }
    void monitoring_visit(int site, double day) override {
        add(day, EventKind::monitoring_visit, site, -1, -1, 0, 0);
    }
    void anomaly(AnomalyKind kind, int site, double value, double day) override {
        add(day, EventKind::anomaly, site, -1, -1, static_cast<int>(kind), value);
    }
    void staff_changed(int site, int group, double hours_per_day, double day) override {
        add(day, EventKind::staff_changed, site, -1, -1, group, hours_per_day);
    }
    void backup_site_opened(int site, double day) override {
        add(day, EventKind::backup_site_opened, site, -1, -1, 0, 0);
    }
    void cost(CostCategory category, double amount, double day) override {
        add(day, EventKind::cost, -1, -1, -1, static_cast<int>(category), amount);
    }

  private:
    void add(double day, EventKind kind, int site, int patient, int visit, int detail,
             double value) {
        events_.push_back(
            {day, static_cast<std::int32_t>(kind), site, patient, visit, detail, value});
    }
    std::vector<Event> events_;
};

inline std::string_view name_of(EventKind kind) {
    constexpr std::string_view names[event_kind_count] = {"country_approved",
                                                          "site_activated",
                                                          "site_closed",
                                                          "patient_arrived",
                                                          "screen_failed",
                                                          "randomised",
                                                          "recruitment_closed",
                                                          "visit_done",
                                                          "deviation",
                                                          "dropped_out",
                                                          "completed",
                                                          "stock_out",
                                                          "kits_dispensed",
                                                          "kits_expired",
                                                          "shipment",
                                                          "monitoring_visit",
                                                          "cost",
                                                          "anomaly",
                                                          "staff_changed",
                                                          "backup_site_opened"};
    return names[static_cast<int>(kind)];
}

}  // namespace trial
