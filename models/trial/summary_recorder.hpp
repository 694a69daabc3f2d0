#pragma once
// Turns the model's records into a ReplicationSummary as they come, passing each on to a
// further recorder if one is given (an event log, say). Each site's weekly series, as its books
// close, go to a sink (site_weeks.hpp): the summary's own per-site series by default, the
// Monte Carlo runner's run totals when it gives one.

#include "models/scenario/scenario.hpp"
#include "models/trial/recorder.hpp"
#include "models/trial/site_weeks.hpp"
#include "models/trial/summary.hpp"
#include "models/trial/trial_start.hpp"

namespace trial {

class SummaryRecorder final : public Recorder {
  public:
    // With `start` (a running trial), what was observed before its as-of day counts as
    // happened.
    SummaryRecorder(ReplicationSummary& summary, const Scenario& scenario, const TrialStart* start,
                    Recorder* next, SiteWeeksSink* site_weeks);

    void country_approved(int country, double day) override {
        if (next_) next_->country_approved(country, day);
    }
    void site_activated(int site, double day) override {
        if (next_) next_->site_activated(site, day);
    }
    void site_closed(int site, double day) override {
        if (next_) next_->site_closed(site, day);
    }
    void patient_arrived(const VisitRef& p, double day) override {
        ++s_.arrived;
        if (next_) next_->patient_arrived(p, day);
    }
    void screen_failed(const VisitRef& p, double day) override {
        ++s_.screen_failed;
        if (next_) next_->screen_failed(p, day);
    }
    void randomised(const VisitRef& p, int arm, double day) override {
        ++s_.randomised;
        if (day <= s_.plan_target_met_day) ++s_.randomised_by_plan;
        if (s_.randomised == 1) s_.first_patient_in_day = day;
        if (next_) next_->randomised(p, arm, day);
    }
    void recruitment_closed(double day) override {
        s_.target_met_day = day;
        if (next_) next_->recruitment_closed(day);
    }
    void visit_done(const VisitRef& v, double target_day, double day) override {
        if (v.visit < 0) {
            ++s_.screened;
        } else {
            ++s_.visits_done;
        }
        if (next_) next_->visit_done(v, target_day, day);
    }
    void deviation(const VisitRef& v, DeviationKind kind, Cause cause, double day) override {
        ++s_.deviations[static_cast<int>(kind)][static_cast<int>(cause)];
        s_.site_days[v.site].deviations.push_back(day);
        if (cause == Cause::equipment) s_.site_days[v.site].equipment_deviations.push_back(day);
        if (v.visit < 0 && kind == DeviationKind::missed) ++s_.not_screened;
        if (next_) next_->deviation(v, kind, cause, day);
    }
    void dropped_out(const VisitRef& p, double day) override {
        ++s_.dropped_out;
        if (next_) next_->dropped_out(p, day);
    }
    void completed(const VisitRef& p, double day) override {
        ++s_.completed;
        if (next_) next_->completed(p, day);
    }
    void stock_out(int site, double day) override {
        ++s_.stock_outs;
        s_.site_days[site].stock_outs.push_back(day);
        if (next_) next_->stock_out(site, day);
    }
    void kits_dispensed(int site, int kits, double day) override {
        s_.kits_dispensed += kits;
        if (next_) next_->kits_dispensed(site, kits, day);
    }
    void kits_expired(StockPlace place, int index, int kits, double day) override {
        s_.kits_wasted += kits;
        if (next_) next_->kits_expired(place, index, kits, day);
    }
    void shipment(StockPlace to, int index, int kits, double day) override {
        ++s_.shipments;
        if (next_) next_->shipment(to, index, kits, day);
    }
    void monitoring_visit(int site, double day) override {
        ++s_.monitoring_visits;
        if (next_) next_->monitoring_visit(site, day);
    }
    void anomaly(AnomalyKind kind, int site, double value, double day) override {
        s_.anomalies.push_back({day, site, kind, value});
        ++s_.anomaly_counts[static_cast<int>(kind)];
        if (next_) next_->anomaly(kind, site, value, day);
    }
    void staff_changed(int site, int group, double hours_per_day, double day) override {
        ++s_.staff_changes;
        if (next_) next_->staff_changed(site, group, hours_per_day, day);
    }
    void backup_site_opened(int site, double day) override {
        ++s_.backup_sites_opened;
        if (next_) next_->backup_site_opened(site, day);
    }
    void cost(CostCategory category, double amount, double day) override {
        s_.cost[static_cast<int>(category)] += amount;
        if (next_) next_->cost(category, amount, day);
    }

    void endpoint_event(const VisitRef& p, int endpoint, int arm, double day) override {
        auto& weekly = s_.events_by_week[endpoint][arm];
        const auto week = static_cast<std::size_t>(day / 7.0);
        if (weekly.size() <= week) weekly.resize(week + 1, 0);
        ++weekly[week];  // in the week, until trial_books_closed sums them up
        if (next_) next_->endpoint_event(p, endpoint, arm, day);
    }
    void analysis_cut_off(const AnalysisCutOff& cut) override;

    void site_books_closed(const SiteWeeks& weeks, const SiteClosing& site) override;
    void trial_books_closed(const TrialClosing& trial) override;

  private:
    ReplicationSummary& s_;
    Recorder* next_;
    SummarySiteWeeks own_site_weeks_;
    SiteWeeksSink* site_weeks_;
};

}  // namespace trial
