#include "models/runner/wire.hpp"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <type_traits>

namespace trial {
namespace {

// Writes values as their bytes (the ranks of one run are one build on one kind of machine);
// a vector as its length, then its elements.
class Out {
  public:
    std::string bytes;

    template <class T>
    requires std::is_trivially_copyable_v<T>
    void operator()(const T& value) {
        bytes.append(reinterpret_cast<const char*>(&value), sizeof value);
    }
    template <class T>
    void operator()(const std::vector<T>& values) {
        (*this)(static_cast<std::uint64_t>(values.size()));
        if constexpr (std::is_trivially_copyable_v<T>) {
            bytes.append(reinterpret_cast<const char*>(values.data()), values.size() * sizeof(T));
        } else {
            for (const T& v : values)
                (*this)(v);
        }
    }
    void operator()(const std::string& text) {
        (*this)(static_cast<std::uint64_t>(text.size()));
        bytes.append(text);
    }
    // A vector of structures written field by field by `fields(archive, element)`.
    template <class T, class F>
    void each(const std::vector<T>& values, F&& fields) {
        (*this)(static_cast<std::uint64_t>(values.size()));
        for (const T& v : values)
            fields(*this, v);
    }
};

// Reads what Out wrote, never past the end.
class In {
  public:
    explicit In(const std::string& bytes) : bytes_(bytes) {}
    // The most counts a sample read may hold (the replications of the share).
    std::int64_t most_counts = 0;

    template <class T>
    requires std::is_trivially_copyable_v<T>
    void operator()(T& value) { take(&value, sizeof value); }
    template <class T>
    void operator()(std::vector<T>& values) {
        values.resize(count(std::is_trivially_copyable_v<T> ? sizeof(T) : 8));
        if constexpr (std::is_trivially_copyable_v<T>) {
            take(values.data(), values.size() * sizeof(T));
        } else {
            for (T& v : values)
                (*this)(v);
        }
    }
    void operator()(std::string& text) {
        text.resize(count(1));
        take(text.data(), text.size());
    }
    template <class T, class F>
    void each(std::vector<T>& values, F&& fields) {
        values.resize(count(8));
        for (T& v : values)
            fields(*this, v);
    }
    bool at_end() const { return at_ == bytes_.size(); }

  private:
    // A length, checked against what is left (each element takes at least `element` bytes).
    std::size_t count(std::size_t element) {
        std::uint64_t n = 0;
        (*this)(n);
        if (n > (bytes_.size() - at_) / std::max<std::size_t>(element, 1)) broken();
        return static_cast<std::size_t>(n);
    }
    void take(void* to, std::size_t size) {
        if (size > bytes_.size() - at_) broken();
        if (size > 0) std::memcpy(to, bytes_.data() + at_, size);
        at_ += size;
    }
    [[noreturn]] static void broken() {
        throw std::runtime_error("a rank's share of the replications arrived damaged");
    }
    const std::string& bytes_;
    std::size_t at_ = 0;
};

// Every field of a replication's summary. (A field added to ReplicationSummary must be added
// here: the static_assert below stops the build until it is.)
template <class A, class S>
void summary_fields(A& a, S& s) {
    a(s.first_patient_in_day), a(s.target_met_day), a(s.enrollment_duration_days);
    a(s.last_patient_last_visit_day), a(s.plan_target_met_day), a(s.target_met_by_plan);
    a(s.arrived), a(s.screened), a(s.not_screened), a(s.screen_failed), a(s.randomised);
    a(s.randomised_by_plan), a(s.dropped_out), a(s.completed), a(s.visits_done);
    a(s.deviations);
    a(s.stock_outs), a(s.kits_dispensed), a(s.kits_wasted), a(s.kits_left), a(s.shipments);
    a(s.monitoring_visits);
    a(s.cost);
    a.each(s.anomalies, [](auto& b, auto& x) { b(x.day), b(x.site), b(x.kind), b(x.value); });
    a(s.anomaly_counts), a(s.backup_sites_opened), a(s.staff_changes);
    a.each(s.sites, [](auto& b, auto& x) {
        b(x.backup), b(x.opened), b(x.approval_day), b(x.activation_day);
        b(x.recruitment_end_day), b(x.last_activity_day), b(x.recruitment_rate_per_day);
        b(x.arrived), b(x.screened), b(x.randomised), b(x.target_randomised), b(x.met_target);
        b(x.stock_outs), b(x.deviations);
    });
    a.each(s.site_days,
           [](auto& b, auto& d) { b(d.stock_outs), b(d.deviations), b(d.equipment_deviations); });
    a(s.cra_utilisation), a(s.staff_utilisation_overall), a(s.equipment_utilisation_overall);
    a(s.weeks), a(s.randomised_by_week), a(s.site_randomised_by_week), a(s.staff_utilisation);
    a(s.equipment_utilisation), a(s.kits_on_hand), a(s.equipment_down);
    a(s.site_stock_outs_by_week), a(s.site_deviations_by_week);
    a(s.site_equipment_conflicts_by_week);
    a.each(s.analyses, [](auto& b, auto& x) {
        b(x.cutoff_day), b(x.lock_day), b(x.readout_day), b(x.by_max_date);
        b(x.events_by_arm), b(x.at_risk_by_arm);
    });
    a(s.events_by_week);
}
static_assert(sizeof(ReplicationSummary) == 640,
              "ReplicationSummary changed: send its new fields in summary_fields (wire.cpp)");
// (Structures go field by field: their padding bytes would make equal shares differ.)
static_assert(sizeof(ReplicationSummary::Anomaly) == 24 && sizeof(SiteSummary) == 80 &&
                  sizeof(AnalysisResult) == 80,
              "a summary's anomaly or site changed: send its new fields (wire.cpp)");

template <class A, class E>
void event_fields(A& a, E& e) {
    a(e.day), a(e.kind), a(e.site), a(e.patient), a(e.visit), a(e.detail), a(e.value);
}
static_assert(sizeof(Event) == 40, "Event changed: send its new fields in event_fields");

template <class A, class T>
void totals_fields(A& a, T& t) {
    a(t.weeks), a(t.used_weeks);
    a(t.staff_utilisation_micro), a(t.staff_utilisation_count);
    a(t.equipment_utilisation_micro), a(t.equipment_utilisation_count);
    a(t.randomised), a(t.kits_on_hand), a(t.equipment_down_micro), a(t.equipment_down_count);
    a(t.stock_outs), a(t.deviations), a(t.equipment_conflicts);
}
static_assert(sizeof(SiteSeriesTotals) == 8 + 8 + 11 * sizeof(std::vector<std::vector<int>>),
              "SiteSeriesTotals changed: send its new fields in totals_fields (wire.cpp)");

// A sample as the values that came and how many times (the same bytes however it was added).
void sample_out(Out& out, const stats::CountSample& sample) {
    const stats::CountSample::Tallied t = sample.tallied();
    out(t.values), out(t.times);
}
void sample_in(In& in, stats::CountSample& sample) {
    stats::CountSample::Tallied t;
    in(t.values), in(t.times);
    if (t.values.size() != t.times.size()) throw std::runtime_error("a share is damaged");
    std::int64_t counts = 0;
    for (std::int32_t times : t.times) {
        counts += times;
        if (times < 1 || counts > in.most_counts)
            throw std::runtime_error("a share's weekly endpoint events are damaged");
    }
    sample = {};
    for (std::size_t i = 0; i < t.values.size(); ++i)
        sample.add(t.values[i], t.times[i]);
}

template <class A, class W>
void events_fields(A& a, W& w) {
    a(w.endpoints), a(w.arms);
    for (auto* grid : {&w.running, &w.finished}) {
        a.each(*grid, [](auto& b, auto& by_week) {
            b.each(by_week, [](auto& c, auto& sample) {
                if constexpr (std::is_const_v<std::remove_reference_t<decltype(sample)>>)
                    sample_out(c, sample);
                else
                    sample_in(c, sample);
            });
        });
    }
}
static_assert(sizeof(WeeklyEventCounts) == 16 + 2 * sizeof(std::vector<std::vector<int>>),
              "WeeklyEventCounts changed: send its new fields in events_fields (wire.cpp)");

bool same_shape(const SiteSeriesTotals& a, const SiteSeriesTotals& b) {
    auto same = [](const auto& x, const auto& y) {
        if (x.size() != y.size()) return false;
        for (std::size_t i = 0; i < x.size(); ++i) {
            if (x[i].size() != y[i].size()) return false;
        }
        return true;
    };
    return a.weeks == b.weeks && same(a.staff_utilisation_micro, b.staff_utilisation_micro) &&
           same(a.staff_utilisation_count, b.staff_utilisation_count) &&
           same(a.equipment_utilisation_micro, b.equipment_utilisation_micro) &&
           same(a.equipment_utilisation_count, b.equipment_utilisation_count) &&
           same(a.randomised, b.randomised) && same(a.kits_on_hand, b.kits_on_hand) &&
           same(a.equipment_down_micro, b.equipment_down_micro) &&
           same(a.equipment_down_count, b.equipment_down_count) &&
           same(a.stock_outs, b.stock_outs) && same(a.deviations, b.deviations) &&
           same(a.equipment_conflicts, b.equipment_conflicts);
}

}  // namespace

std::string share_to_bytes(const MonteCarloResult& share, const ShareStatus& status) {
    Out out;
    out(status.cancelled), out(status.failed_at), out(status.failure);
    out(share.replication_index);
    out.each(share.replications,
             [](auto& a, const ReplicationSummary& s) { summary_fields(a, s); });
    totals_fields(out, share.site_totals);
    events_fields(out, share.endpoint_events);
    // The traces this rank ran: (replication, events).
    std::vector<std::int32_t> traced;
    for (std::size_t r = 0; r < share.traces.size(); ++r) {
        if (!share.traces[r].empty()) traced.push_back(static_cast<std::int32_t>(r));
    }
    out(traced);
    for (std::int32_t r : traced)
        out.each(share.traces[r], [](auto& a, const Event& e) { event_fields(a, e); });
    return std::move(out.bytes);
}

MonteCarloResult shares_together(const std::vector<std::string>& shares, int traced,
                                 ShareStatus& status) {
    MonteCarloResult result;
    result.traces.resize(std::max(traced, 0));
    std::vector<std::pair<int, ReplicationSummary>> finished;
    status = {};
    for (std::size_t rank = 0; rank < shares.size(); ++rank) {
        In in(shares[rank]);
        ShareStatus own;
        in(own.cancelled), in(own.failed_at), in(own.failure);
        status.cancelled = status.cancelled || own.cancelled;
        if (own.failed_at >= 0 && (status.failed_at < 0 || own.failed_at < status.failed_at)) {
            status.failed_at = own.failed_at;
            status.failure = "rank " + std::to_string(rank) + ": replication " +
                             std::to_string(own.failed_at) + ": " + own.failure;
        }
        std::vector<int> index;
        std::vector<ReplicationSummary> replications;
        in(index);
        in.each(replications, [](auto& a, ReplicationSummary& s) { summary_fields(a, s); });
        if (index.size() != replications.size()) throw std::runtime_error("a share is damaged");
        for (std::size_t i = 0; i < index.size(); ++i)
            finished.emplace_back(index[i], std::move(replications[i]));
        SiteSeriesTotals totals;
        totals_fields(in, totals);
        if (rank == 0) {
            result.site_totals = std::move(totals);
        } else if (own.failed_at < 0) {
            // (A failed share sends no totals; the run fails as a whole anyway.)
            if (!same_shape(result.site_totals, totals)) {
                if (status.failed_at >= 0) continue;
                throw std::runtime_error("rank " + std::to_string(rank) +
                                         "'s share has per-site series of another shape");
            }
            result.site_totals.merge(totals);
        }
        WeeklyEventCounts events;
        in.most_counts = static_cast<std::int64_t>(index.size());
        events_fields(in, events);
        if (events.endpoints > 1'000'000 || events.arms > 1'000'000 ||
            events.running.size() != events.series() || events.finished.size() != events.series())
            throw std::runtime_error("a share's weekly endpoint events are damaged");
        if (rank == 0) {
            result.endpoint_events = std::move(events);
        } else if (own.failed_at < 0 && status.failed_at < 0) {
            if (events.endpoints != result.endpoint_events.endpoints ||
                events.arms != result.endpoint_events.arms)
                throw std::runtime_error("rank " + std::to_string(rank) +
                                         "'s share has weekly endpoint events of another shape");
            result.endpoint_events.merge(events);
        }
        std::vector<std::int32_t> traced_here;
        in(traced_here);
        for (std::int32_t r : traced_here) {
            std::vector<Event> events;
            in.each(events, [](auto& a, Event& e) { event_fields(a, e); });
            if (r >= 0 && r < static_cast<int>(result.traces.size()))
                result.traces[r] = std::move(events);
        }
        if (!in.at_end()) throw std::runtime_error("a share has bytes left over");
    }
    std::sort(finished.begin(), finished.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    for (auto& [r, summary] : finished) {
        result.replication_index.push_back(r);
        result.replications.push_back(std::move(summary));
    }
    return result;
}

}  // namespace trial
