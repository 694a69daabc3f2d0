// The readout, as the statistical analysis plan tells it: an endpoint's events are counted as
// they happen; each analysis is cut off at the first moment all its triggers hold (its events,
// its calendar date, the follow-up after the last randomisation, the time since the previous
// analysis) or at its max_date regardless, then locked and read out after its delays. The
// trial's sites, staff, monitors and supply carry on until the final analysis' lock.

#include <algorithm>
#include <cmath>

#include <boost/random/normal_distribution.hpp>

#include "models/trial/sample_delay.hpp"
#include "models/trial/time_to_event.hpp"
#include "models/trial/world.hpp"

namespace trial {
namespace {

// The day from which an analysis' time triggers all hold (sim::forever: not known yet, as
// the follow-up after the last randomisation while recruitment goes on).
double time_triggers_from(const World& world, const AnalysisSpec& a, double previous_cutoff) {
    double from = 0.0;
    if (a.calendar_day) from = std::max(from, *a.calendar_day);
    if (a.min_days_since_previous && !std::isnan(previous_cutoff))
        from = std::max(from, previous_cutoff + *a.min_days_since_previous);
    if (a.min_follow_up_days) {
        from = std::max(from, world.recruitment_over() && !std::isnan(world.last_randomisation_day)
                                  ? world.last_randomisation_day + *a.min_follow_up_days
                                  : sim::forever);
    }
    return from;
}

// The patients of each arm randomised by `day` and neither had the event nor were censored.
std::vector<int> at_risk_by_arm(const EndpointState& endpoint, double day) {
    std::vector<int> at_risk(endpoint.events_by_arm.size(), 0);
    for (const EndpointState::AtRisk& p : endpoint.followed)
        at_risk[p.arm] += p.randomised_day <= day && p.until_day > day;
    return at_risk;
}

}  // namespace

void start_endpoints(World& world) {
    const Scenario& scenario = world.scenario;
    for (const EndpointSpec& e : scenario.endpoints)
        world.event_models.push_back(e.by_arm);
    if (!world.start || world.start->endpoints.empty()) return;
    const TrialStart& start = *world.start;
    // This replication's parameters: the fit's, moved by its uncertainty.
    for (std::size_t e = 0; e < start.endpoints.size() && e < world.event_models.size(); ++e) {
        for (std::size_t a = 0; a < start.endpoints[e].by_arm.size(); ++a) {
            const EndpointStart::ArmModel& fitted = start.endpoints[e].by_arm[a];
            const std::size_t k = fitted.log_params.size();
            if (fitted.cholesky.size() != k * k || k == 0) {
                world.event_models[e][a] = fitted.model;
                continue;
            }
            sim::Rng rng = world.stream("as_of.endpoint", (e << 16) | std::size_t(fitted.fit));
            boost::random::normal_distribution<double> normal;
            std::vector<double> z(k), params = fitted.log_params;
            for (double& v : z)
                v = normal(rng);
            for (std::size_t i = 0; i < k; ++i) {
                for (std::size_t j = 0; j <= i; ++j)
                    params[i] += fitted.cholesky[i * k + j] * z[j];
            }
            world.event_models[e][a] = with_log_params(fitted.model, params);
        }
    }
    // The patients followed before the as-of day.
    const double as_of = start.as_of_day;
    int ratios = 0;
    for (const Arm& a : scenario.trial.arms)
        ratios += a.ratio;
    for (std::size_t i = 0; i < start.followed.size(); ++i) {
        const FollowedPatient& f = start.followed[i];
        sim::Rng rng = world.stream("as_of.followed", i);
        int arm = f.arm;
        if (arm < 0) {  // blinded: by the allocation ratio
            int pick = static_cast<int>(rng.uniform01() * ratios);
            arm = 0;
            while (pick >= scenario.trial.arms[arm].ratio)
                pick -= scenario.trial.arms[arm++].ratio;
        }
        world.followed_arm.push_back(arm);
        if (f.on_study_number >= 0) {
            world.followed_on_study[(std::uint64_t(f.site) << 32) |
                                    std::uint32_t(f.on_study_number)] = static_cast<int>(i);
        }
        for (std::size_t e = 0; e < world.endpoints.size(); ++e) {
            EndpointState& endpoint = world.endpoints[e];
            const double event = f.event_day.at(e), censored = f.censored_day.at(e);
            if (!std::isnan(event)) {
                ++endpoint.events;
                ++endpoint.events_by_arm[arm];
                world.record.endpoint_event({f.site, -1, -1}, static_cast<int>(e), arm, event);
                endpoint.followed.push_back({f.randomised_day, event, arm});
            } else if (!std::isnan(censored) || f.dropped_out) {
                endpoint.followed.push_back(
                    {f.randomised_day, std::isnan(censored) ? as_of : censored, arm});
            } else if (f.on_study_number < 0) {
                // Off study (completed), still followed: its event from here on.
                const EndpointSpec& spec = scenario.endpoints[e];
                const double day =
                    f.randomised_day +
                    draw_days_to_event(world.event_models[e][arm], rng, as_of - f.randomised_day);
                const double lost_rate = spec.lost_to_follow_up_rate_per_year / 365.25;
                const double to_lost = -std::log1p(-rng.uniform01());
                const double lost = lost_rate > 0 ? as_of + to_lost / lost_rate : sim::forever;
                const bool observed = day < lost && day <= scenario.trial.horizon_days;
                if (observed) endpoint.expect(day, arm, {f.site, -1, -1});
                endpoint.followed.push_back({f.randomised_day, observed ? day : lost, arm});
            }
            // (On study and at risk: the patient's process draws its event, patient.cpp.)
        }
    }
}

bool World::readout_pending() const {
    if (!awaiting_readout) return false;
    if (final_cut_off) return true;  // its lock is to come
    for (std::size_t i = next_analysis; i < scenario.analyses.size(); ++i) {
        const AnalysisSpec& a = scenario.analyses[i];
        const EndpointState& endpoint = endpoints[a.endpoint];
        if (a.max_day || !a.events || endpoint.events >= *a.events || !endpoint.coming.empty())
            return true;
    }
    return false;
}

sim::Process event_clock(World& world, int e) {
    EndpointState& endpoint = world.endpoints[e];
    while (!world.final_cut_off) {
        const double next = endpoint.coming.empty() ? sim::forever : endpoint.coming.top().day;
        if (co_await endpoint.sooner.wait_before(next)) continue;
        if (world.final_cut_off || endpoint.coming.empty()) break;
        const EndpointState::Coming event = endpoint.coming.top();
        endpoint.coming.pop();
        ++endpoint.events;
        ++endpoint.events_by_arm[event.arm];
        world.record.endpoint_event(event.patient, e, event.arm, world.sim.now());
        world.readout_news.notify();
        if (endpoint.coming.empty()) world.check_finished();
    }
}

// Analyses are cut off in their order; one whose triggers have not held when a later one's
// do (an interim overtaken by the final's max_date, say) is skipped: not reached.
sim::Process analyses(World& world) {
    const std::vector<AnalysisSpec>& plan = world.scenario.analyses;
    double previous_cutoff = not_reached;
    std::size_t i = 0;
    while (i < plan.size()) {
        world.next_analysis = static_cast<int>(i);
        // The first analysis from i on whose triggers hold now (or its max date came).
        std::size_t due = plan.size();
        bool by_max_date = false;
        for (;;) {
            const double now = world.sim.now();
            double wake = sim::forever;
            for (std::size_t j = i; j < plan.size() && due == plan.size(); ++j) {
                const AnalysisSpec& a = plan[j];
                const double from = time_triggers_from(world, a, previous_cutoff);
                const bool enough_events =
                    !a.events || world.endpoints[a.endpoint].events >= *a.events;
                const double max_day = a.max_day.value_or(sim::forever);
                if (enough_events && from <= now) {
                    due = j;
                } else if (now >= max_day) {
                    due = j;
                    by_max_date = true;
                }
                wake = std::min({wake, max_day, from > now ? from : sim::forever});
            }
            if (due < plan.size()) break;
            co_await world.readout_news.wait_before(wake);
        }
        const AnalysisSpec& a = plan[due];
        const double cutoff = world.sim.now();
        sim::Rng rng = world.stream("analysis", due);
        const double lock = cutoff + sample(a.cutoff_to_lock_days, rng);
        const double readout = lock + sample(a.lock_to_readout_days, rng);
        const EndpointState& endpoint = world.endpoints[a.endpoint];
        const std::vector<int> at_risk = at_risk_by_arm(endpoint, cutoff);
        AnalysisCutOff cut;
        cut.analysis = static_cast<int>(due);
        cut.cutoff_day = cutoff;
        cut.lock_day = lock;
        cut.readout_day = readout;
        cut.by_max_date = by_max_date;
        cut.events_by_arm = endpoint.events_by_arm;
        cut.at_risk_by_arm = at_risk;
        world.record.analysis_cut_off(cut);
        previous_cutoff = cutoff;
        i = due + 1;
        if (i == plan.size()) {
            // The final analysis: no more events are counted nor follow-up contacts made; the
            // sites close out at its lock.
            world.final_cut_off = true;
            for (EndpointState& e : world.endpoints)
                e.sooner.notify();
            co_await sim::until(lock);
            world.awaiting_readout = false;
            world.check_finished();
        }
    }
}

}  // namespace trial
