#pragma once
// One site's weekly series as a replication's books close, and who takes them. close_the_books
// works them out one site after the other in scratch it reuses and hands each site's row to
// the recorder (Recorder::site_books_closed); the summary recorder adds the days of the site's
// stock-outs and deviations it was told of and passes the row to a sink: by default the
// replication's own summary keeps them (ReplicationSummary's per-site series); the Monte Carlo
// runner adds them straight into its run totals instead, so that a replication neither
// allocates nor streams through a copy of them.

#include <algorithm>
#include <span>

namespace trial {

struct ReplicationSummary;

// Week w covers days [7w, 7w + 7); the replication's last week takes whatever came after it.
inline int week_of_day(double day, int weeks) {
    return std::clamp(static_cast<int>(day / 7.0), 0, weeks - 1);
}

// Valid only during SiteWeeksSink::add: the spans point into scratch reused for the next site.
struct SiteWeeks {
    int site = 0;
    int weeks = 0;  // of this replication
    // Weeks [active_from, active_to] span the site's activation to its last activity; the
    // utilisation series are NaN outside them (and inside, in a week that offered nothing).
    // active_from > active_to: never active.
    int active_from = 0;
    int active_to = -1;
    std::span<const int> randomised;               // cumulative, by each week's end
    std::span<const float> staff_utilisation;      // booked / on-duty hours
    std::span<const float> equipment_utilisation;  // slots booked / offered
    std::span<const float> equipment_down;         // share of machine-days down
    std::span<const int> kits_on_hand;             // at each week's end
    // Filled by the summary recorder from what it was told (empty from the model).
    std::span<const double> stock_out_days;           // each stock-out, as it happened
    std::span<const double> deviation_days;           // each deviation
    std::span<const double> equipment_conflict_days;  // each deviation caused by equipment
};

class SiteWeeksSink {
  public:
    virtual void add(const SiteWeeks& site) = 0;

  protected:
    ~SiteWeeksSink() = default;
};

// The default sink: the summary's own [site][week] series, one dense row per site.
class SummarySiteWeeks final : public SiteWeeksSink {
  public:
    explicit SummarySiteWeeks(ReplicationSummary& summary) : summary_(summary) {}
    void add(const SiteWeeks& site) override;

  private:
    ReplicationSummary& summary_;
};

}  // namespace trial
