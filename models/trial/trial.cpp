#include "models/trial/trial.hpp"

#include <algorithm>
#include <array>
#include <boost/random/gamma_distribution.hpp>
#include <cmath>

#include "models/policy/effort_model.hpp"
#include "models/policy/registry.hpp"
#include "models/trial/rules.hpp"
#include "models/trial/summary_recorder.hpp"
#include "models/trial/world.hpp"

namespace trial {
namespace {

std::vector<ScheduledVisit> expand_schedule(const Protocol& protocol) {
    std::vector<ScheduledVisit> schedule;
    for (const VisitSpec& visit : protocol.visits) {
        for (int k = 0; k < visit.repeat; ++k) {
            schedule.push_back({&visit, k, visit.day + k * visit.every_days});
        }
    }
    std::stable_sort(schedule.begin(), schedule.end(),
                     [](const auto& a, const auto& b) { return a.day < b.day; });
    return schedule;
}

// Which CRA team initiates and monitors each site: the first team that lists it, or the first
// team that lists no sites at all.
int cra_team_for(const Scenario& scenario, const std::string& site_id) {
    for (std::size_t t = 0; t < scenario.cra_teams.size(); ++t) {
        const auto& sites = scenario.cra_teams[t].sites;
        if (std::find(sites.begin(), sites.end(), site_id) != sites.end()) return int(t);
    }
    for (std::size_t t = 0; t < scenario.cra_teams.size(); ++t) {
        if (scenario.cra_teams[t].sites.empty()) return int(t);
    }
    return -1;
}

}  // namespace

bool StaffOnSite::has_credential(const std::string& credential) const {
    return credential.empty() || std::find(spec->credentials.begin(), spec->credentials.end(),
                                           credential) != spec->credentials.end();
}

SiteState::SiteState(sim::Simulation& sim, const Scenario& scenario, int site_index)
    : spec(&scenario.sites[site_index]),
      country(&scenario.countries[scenario.country_index(spec->country)]),
      protocol(&scenario.protocol),
      index(site_index),
      country_index(scenario.country_index(spec->country)),
      cra_team(cra_team_for(scenario, spec->id)),
      calendar(scenario.trial.start_weekday, country->utc_offset_hours, country->working_days,
               spec->opens_hour),
      opened(!spec->backup && !spec->left_out),
      rate_changed(sim),
      deliveries(sim) {
    for (const StaffGroup& group : spec->staff) {
        const auto rate = country->staff_cost_per_hour.find(group.role);
        staff.emplace_back(group, rate == country->staff_cost_per_hour.end() ? 0.0 : rate->second,
                           diary);
        if (effort_group < 0 && group.role == scenario.effort.role) {
            effort_group = static_cast<int>(staff.size()) - 1;
        }
    }
    // Staffed above or below the effort model's reference, the site recruits faster or slower
    // from the start (exactly 1 when its staffing is the reference).
    effort_reference_hours_per_week = trial::effort_reference_hours_per_week(scenario, *spec);
    SlowdownSettings slowdown;
    slowdown.ratio = scenario.policy.slowdown_ratio;
    slowdown.threshold = scenario.policy.slowdown_threshold;
    watch.slowdown = SlowdownWatch(slowdown);
    if (effort_group >= 0) {
        rate_multiplier = recruitment_multiplier(
            scenario.effort, effort_reference_hours_per_week,
            staff[effort_group].planned_hours_per_day() * calendar.working_days_per_week());
    }
}

World::World(const Scenario& scenario_, std::uint64_t seed_, std::uint64_t replication_,
             Recorder& record_, const TrialStart* start_, sim::Kernel kernel)
    : sim(kernel),
      scenario(scenario_),
      seed(seed_),
      replication(replication_),
      record(record_),
      start(start_),
      dropout_rate_per_year(scenario_.trial.dropout_rate_per_year),
      schedule(expand_schedule(scenario_.protocol)),
      randomisation_rng(stream("randomisation")),
      policy(make_allocation_policy(scenario_)),
      booking_rule(make_booking_rule(scenario_)),
      resupply_rule(make_resupply_rule(scenario_)),
      readout_news(sim) {
    // Kit demand of a patient on treatment: the protocol's kits over its dosing span.
    int kits = 0;
    for (std::size_t i = 0; i < schedule.size(); ++i) {
        if (schedule[i].spec->kits == 0) continue;
        kits += schedule[i].spec->kits;
        last_kit_visit = static_cast<int>(i);
        if (kits_at_randomisation == 0) kits_at_randomisation = schedule[i].spec->kits;
    }
    if (last_kit_visit >= 0) {
        const ScheduledVisit& last = schedule[last_kit_visit];
        const double gap = last.spec->every_days > 0 ? last.spec->every_days : 21.0;
        kits_per_patient_day = kits / (last.day + gap);
    }
    for (std::size_t c = 0; c < scenario.countries.size(); ++c) {
        countries.emplace_back(sim, scenario.countries[c], static_cast<int>(c));
    }
    for (std::size_t i = 0; i < scenario.sites.size(); ++i) {
        SiteState& site = sites.emplace_back(sim, scenario, static_cast<int>(i));
        countries[site.country_index].sites.push_back(static_cast<int>(i));
        sim::Rng rate_rng = stream("site.rate", i);
        site.screen_failure_probability = site.spec->screen_failure_probability;
        if (start) {
            // The running trial: rate and screen failure from their posteriors.
            const SiteStart& from = start->sites[i];
            sim::Rng posterior = stream("as_of.site", i);
            site.recruitment_rate_per_day = boost::random::gamma_distribution<double>(
                from.rate_shape, 1.0 / from.rate_rate_days)(posterior);
            const double a =
                boost::random::gamma_distribution<double>(from.screen_failure_a)(posterior);
            const double b =
                boost::random::gamma_distribution<double>(from.screen_failure_b)(posterior);
            site.screen_failure_probability = a / (a + b);
            site.patients.observed(from.arrived, static_cast<int>(from.randomised_days.size()));
            randomised += site.patients.randomised();
            for (double day : from.randomised_days)
                site.randomised_on_day.add(static_cast<int>(day));
        } else if (site.spec->recruitment_rate_per_day) {
            site.recruitment_rate_per_day = *site.spec->recruitment_rate_per_day;
        } else {
            // λ ~ Gamma(shape α, rate β): Boost takes the scale 1/β.
            site.recruitment_rate_per_day = boost::random::gamma_distribution<double>(
                scenario.recruitment.rate_shape,
                1.0 / scenario.recruitment.rate_rate_days)(rate_rng);
        }
        site.equipment.reserve(site.spec->equipment.size());
        for (std::size_t e = 0; e < site.spec->equipment.size(); ++e) {
            site.equipment.emplace_back(site.spec->equipment[e],
                                        stream("site.equipment", (i << 16) | e), site.diary);
            site.equipment.back().reserve_days(static_cast<int>(scenario.trial.horizon_days) + 128);
        }
        // Visits are booked up to the end of the trial: grown by the day, the diary would be
        // copied over and over as it filled.
        site.diary.reserve_days(static_cast<int>(scenario.trial.horizon_days) + 128);
        site.kits_on_hand.reserve_weeks(static_cast<int>(scenario.trial.horizon_days / 7.0) + 2);
        if (site.opened) {
            site.recruiting = true;
            ++recruiting_sites;
        }
    }
    for (const CraTeam& team : scenario.cra_teams)
        cra_teams.emplace_back(sim, team.count);
    for (std::size_t e = 0; e < scenario.endpoints.size(); ++e)
        endpoints.emplace_back(sim, static_cast<int>(scenario.trial.arms.size()));
    awaiting_readout = !scenario.analyses.empty();
    start_endpoints(*this);
    if (start) {
        sim::Rng posterior = stream("as_of.dropout");
        dropout_rate_per_year =
            start->dropout_shape > 0
                ? boost::random::gamma_distribution<double>(
                      start->dropout_shape, 1.0 / start->dropout_rate_years)(posterior)
                : 0.0;
        if (randomised >= scenario.trial.randomisation_target) recruitment_open = false;
    }
}

int World::randomise(SiteState& site, const VisitRef& patient) {
    if (allocation_block.empty()) {
        // Permuted blocks of twice the allocation ratio's sum.
        for (std::size_t arm = 0; arm < scenario.trial.arms.size(); ++arm) {
            for (int k = 0; k < 2 * scenario.trial.arms[arm].ratio; ++k) {
                allocation_block.push_back(static_cast<int>(arm));
            }
        }
        for (std::size_t i = allocation_block.size() - 1; i > 0; --i) {
            const auto j = static_cast<std::size_t>(randomisation_rng.uniform01() * (i + 1));
            std::swap(allocation_block[i], allocation_block[j]);
        }
    }
    const int arm = allocation_block.back();
    allocation_block.pop_back();
    ++randomised;
    last_randomisation_day = sim.now();
    site.patients.randomised_now(last_kit_visit >= 0);
    site.randomised_on_day.add(static_cast<int>(sim.now()));
    record.randomised(patient, arm, sim.now());
    record.cost(CostCategory::patient_fees, site.country->per_patient_fee, sim.now());
    if (recruitment_open && randomised >= scenario.trial.randomisation_target) {
        recruitment_open = false;
        recruitment_closed_day = sim.now();
        record.recruitment_closed(sim.now());
        readout_news.notify();
    }
    cap_if_full(site);
    return arm;
}

bool World::may_randomise(const SiteState& site) const {
    const std::optional<int>& allowance = scenario.trial.over_enrollment;
    return !site.capped &&
           !(allowance && randomised >= scenario.trial.randomisation_target + *allowance);
}

// A site, or every site of a country, that reached its max_randomised stops: its recruitment
// loop wakes and ends, and patients still in its screening are not randomised.
void World::cap_if_full(SiteState& site) {
    auto stop = [](SiteState& s) {
        if (s.capped) return;
        s.capped = true;
        s.rate_changed.notify();
    };
    const std::optional<int>& site_cap = site.spec->max_randomised;
    if (site_cap && site.patients.randomised() >= *site_cap) stop(site);
    const std::optional<int>& country_cap = countries[site.country_index].spec->max_randomised;
    if (!country_cap) return;
    const std::vector<int>& in_country = countries[site.country_index].sites;
    int randomised_in_country = 0;
    for (int s : in_country)
        randomised_in_country += sites[s].patients.randomised();
    if (randomised_in_country < *country_cap) return;
    for (int s : in_country)
        stop(sites[s]);
}

void World::check_finished() {
    if (!work_left()) sim.stop();
}

ReplicationSummary run_replication(const Scenario& scenario, std::uint64_t seed,
                                   std::uint64_t replication, Recorder* also,
                                   const TrialStart* start, sim::Kernel kernel,
                                   SiteWeeksSink* site_weeks) {
    ReplicationSummary summary;
    SummaryRecorder record(summary, scenario, start, also, site_weeks);
    World world(scenario, seed, replication, record, start, kernel);

    for (CountryState& country : world.countries)
        world.sim.spawn(country_approval(world, country));
    for (const Batch& batch : scenario.supply.batches)
        world.sim.spawn(batch_release(world, batch));
    for (SiteState& site : world.sites) {
        if (site.opened) world.sim.spawn(site_startup(world, site));
    }
    world.sim.spawn(decision_epochs(world));
    for (std::size_t e = 0; e < world.endpoints.size(); ++e)
        world.sim.spawn(event_clock(world, static_cast<int>(e)));
    if (!scenario.analyses.empty()) world.sim.spawn(analyses(world));
    world.sim.run_until(scenario.trial.horizon_days);
    close_the_books(world, world.sim.now());
    return summary;
}

}  // namespace trial
