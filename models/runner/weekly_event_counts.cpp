#include "models/runner/weekly_event_counts.hpp"

#include <algorithm>
#include <cmath>

namespace trial {

WeeklyEventCounts::WeeklyEventCounts(std::size_t endpoints, std::size_t arms)
    : endpoints(endpoints), arms(arms), running(series()), finished(series()) {}

void WeeklyEventCounts::add(const std::vector<std::vector<std::vector<int>>>& events_by_week) {
    static const std::vector<int> none;
    for (std::size_t e = 0; e < endpoints; ++e) {
        // Each arm's weekly counts (none where the replication has no such endpoint or arm).
        std::vector<const std::vector<int>*> by_arm(arms, &none);
        for (std::size_t a = 0; e < events_by_week.size() && a < arms; ++a) {
            if (a < events_by_week[e].size()) by_arm[a] = &events_by_week[e][a];
        }
        for (std::size_t arm = 0; arm <= arms; ++arm) {
            const std::size_t from = arm == arms ? 0 : arm, to = arm == arms ? arms : arm + 1;
            std::size_t weeks = 0;
            for (std::size_t a = from; a < to; ++a)
                weeks = std::max(weeks, by_arm[a]->size());
            // An arm's count in week w: its last one once its weeks are over.
            auto count_in = [&](std::size_t w) {
                int n = 0;
                for (std::size_t a = from; a < to; ++a) {
                    const std::vector<int>& cumulative = *by_arm[a];
                    if (!cumulative.empty()) n += cumulative[std::min(w, cumulative.size() - 1)];
                }
                return n;
            };
            const std::size_t s = e * (arms + 1) + arm;
            if (running[s].size() < weeks) running[s].resize(weeks);
            for (std::size_t w = 0; w < weeks; ++w)
                running[s][w].add(count_in(w));
            if (finished[s].size() <= weeks) finished[s].resize(weeks + 1);
            finished[s][weeks].add(count_in(weeks));
        }
    }
}

void WeeklyEventCounts::merge(const WeeklyEventCounts& other) {
    auto merge_grid = [](std::vector<std::vector<stats::CountSample>>& into,
                         const std::vector<std::vector<stats::CountSample>>& from) {
        for (std::size_t s = 0; s < into.size() && s < from.size(); ++s) {
            if (into[s].size() < from[s].size()) into[s].resize(from[s].size());
            for (std::size_t w = 0; w < from[s].size(); ++w)
                into[s][w].add(from[s][w]);
        }
    };
    merge_grid(running, other.running);
    merge_grid(finished, other.finished);
}

std::vector<double> WeeklyEventCounts::bands(std::size_t weeks, std::span<const double> ps) const {
    std::vector<double> out(series() * weeks * ps.size(), std::nan(""));
    for (std::size_t s = 0; s < series(); ++s) {
        stats::CountSample carried;  // replications over by the week
        for (std::size_t w = 0; w < weeks; ++w) {
            if (w < finished[s].size()) carried.add(finished[s][w]);
            stats::CountSample column = carried;
            if (w < running[s].size()) column.add(running[s][w]);
            const std::vector<double> q = column.quantiles(ps);
            std::copy(q.begin(), q.end(), out.begin() + (s * weeks + w) * ps.size());
        }
    }
    return out;
}

}  // namespace trial
