#include "models/trial/trial.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <boost/random/gamma_distribution.hpp>
#include <cmath>

#include "models/policy/registry.hpp"
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
      index(site_index),
      country_index(scenario.country_index(spec->country)),
      calendar(scenario.trial.start_weekday, country->utc_offset_hours, country->working_days,
               spec->opens_hour),
      deliveries(sim),
      opened(!spec->backup),
      cra_team(cra_team_for(scenario, spec->id)),
      rate_changed(sim) {
    protocol = &scenario.protocol;
    for (const StaffGroup& group : spec->staff) {
        const auto rate = country->staff_cost_per_hour.find(group.role);
        staff.emplace_back(group, rate == country->staff_cost_per_hour.end() ? 0.0 : rate->second);
        // Visits are booked up to the end of the trial: grown by the day, the diary would be
        // copied over and over as it filled.
        staff.back().booked_seconds.reserve_days(static_cast<int>(scenario.trial.horizon_days) +
                                                 64);
        if (effort_group < 0 && group.role == scenario.effort.role) {
            effort_group = static_cast<int>(staff.size()) - 1;
        }
    }
}

void SiteState::not_in_protocol() {
    throw std::logic_error("trial: booking a visit that is not in the protocol");
}

const VisitResources& SiteState::work_out_resources(std::size_t at, const VisitSpec& visit) {
    if (resources.empty()) resources.resize(1 + protocol->visits.size());
    VisitResources& found = resources[at];
    if (found.visit) return found;
    found.visit = &visit;
    std::vector<int> served_by(staff.size(), 0);
    for (const StaffNeed& need : visit.staff) {
        const int first = static_cast<int>(found.candidates.size());
        for (std::size_t g = 0; g < staff.size(); ++g) {
            if (staff[g].spec->role == need.role && staff[g].has_credential(need.credential)) {
                found.candidates.push_back(static_cast<int>(g));
                found.shared_groups = found.shared_groups || ++served_by[g] > 1;
            }
        }
        found.staff.push_back(
            {staff_seconds(need.hours), first, static_cast<int>(found.candidates.size()) - first});
    }
    for (const EquipmentNeed& need : visit.equipment) {
        const int first = static_cast<int>(found.candidates.size());
        for (std::size_t m = 0; m < equipment.size(); ++m) {
            if (equipment[m].kind() == need.kind) found.candidates.push_back(static_cast<int>(m));
        }
        found.machines.push_back(
            {need.slots, first, static_cast<int>(found.candidates.size()) - first});
    }
    found.direct = !found.shared_groups;
    for (const VisitResources::Need& need : found.staff)
        found.direct = found.direct && need.count == 1;
    for (std::size_t n = 0; n < found.machines.size(); ++n) {
        const VisitResources::Need& need = found.machines[n];
        found.direct = found.direct && need.count == 1;
        for (std::size_t j = 0; j < n && found.direct; ++j) {
            found.direct =
                found.candidates[found.machines[j].first] != found.candidates[need.first];
        }
    }
    found.direct = found.direct &&
                   found.staff.size() + found.machines.size() <= VisitResources::max_direct_needs;
    if (found.direct) {
        std::size_t k = 0;
        for (const VisitResources::Need& need : found.staff)
            found.direct_needs[k++] = {need.amount, found.candidates[need.first]};
        for (const VisitResources::Need& need : found.machines)
            found.direct_needs[k++] = {need.amount, found.candidates[need.first]};
        found.direct_staff = static_cast<std::uint8_t>(found.staff.size());
        found.direct_machines = static_cast<std::uint8_t>(found.machines.size());
    }
    return found;
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
      window_slack_booking(scenario_.policy.booking == "window_slack"),
      predictive_resupply(scenario_.policy.resupply == "predictive") {
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
            site.arrived = from.arrived;
            site.randomised = static_cast<int>(from.randomised_days.size());
            randomised += site.randomised;
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
                                        stream("site.equipment", (i << 16) | e));
            site.equipment.back().reserve_days(static_cast<int>(scenario.trial.horizon_days) + 128);
        }
        site.kits_on_hand.reserve_weeks(static_cast<int>(scenario.trial.horizon_days / 7.0) + 2);
        if (site.opened) {
            site.recruiting = true;
            ++recruiting_sites;
        }
    }
    for (const CraTeam& team : scenario.cra_teams)
        cra_teams.emplace_back(sim, team.count);
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
    ++site.randomised;
    if (last_kit_visit >= 0) ++site.on_treatment;
    site.randomised_on_day.add(static_cast<int>(sim.now()));
    record.randomised(patient, arm, sim.now());
    record.cost(CostCategory::patient_fees, site.country->per_patient_fee, sim.now());
    if (recruitment_open && randomised >= scenario.trial.randomisation_target) {
        recruitment_open = false;
        recruitment_closed_day = sim.now();
        record.recruitment_closed(sim.now());
    }
    return arm;
}

void World::check_finished() {
    if ((!recruitment_open || recruiting_sites == 0) && in_pathway == 0) sim.stop();
}

namespace {

// Whether adding `amount` to itself, from zero, up to `times` times is exact at every step:
// then the sum of n of them is n x amount, bit for bit. It is when amount = M x 2^e with M
// odd and M x times below 2^53 (every partial sum k x M x 2^e is then a double), as for hours
// and hourly rates in whole cents or halves.
bool sums_exactly(double amount, int times) {
    if (amount == 0.0 || times <= 1) return true;
    if (!std::isfinite(amount)) return false;
    int exponent = 0;
    const double fraction = std::frexp(std::abs(amount), &exponent);  // [0.5, 1)
    const auto mantissa = static_cast<std::uint64_t>(std::ldexp(fraction, 53));
    const int significant_bits = 53 - std::countr_zero(mantissa);
    return significant_bits + std::bit_width(static_cast<std::uint64_t>(times)) <= 53;
}

// Staff on duty from activation until the site's last activity, at the country's rates;
// weekly utilisation of staff and machines; kits still in stock.
void close_the_books(World& world, ReplicationSummary& s, double end_day, SiteWeeksSink& sink) {
    const int weeks = static_cast<int>(std::ceil((end_day + 1e-9) / 7.0)) + 1;
    s.weeks = weeks;
    s.randomised_by_week.assign(weeks, 0);
    const float nan = std::numeric_limits<float>::quiet_NaN();
    double all_booked = 0, all_offered = 0, all_slots_used = 0, all_slots_offered = 0;
    // Weekly sums of one site at a time, and the site's row for the sink (allocated once for
    // all sites).
    std::vector<std::int64_t> booked_seconds, slots_used, slots_offered;  // whole units: exact
    std::vector<double> offered;
    std::vector<int> machine_days, machine_days_down;
    std::vector<int> cumulative(weeks), on_hand(weeks);
    std::vector<float> staff(weeks), machines(weeks), down(weeks);
    for (SiteState& site : world.sites) {
        SiteSummary& out = s.sites[site.index];
        SiteWeeks row;
        row.site = site.index;
        row.weeks = weeks;
        // By the end of each week (the last week takes whatever came after it).
        for (int w = 0; w < weeks; ++w) {
            cumulative[w] = w == weeks - 1 ? site.randomised_on_day.total()
                                           : site.randomised_on_day.through(7 * w + 6);
        }
        for (int w = 0; w < weeks; ++w)
            s.randomised_by_week[w] += cumulative[w];

        std::fill(staff.begin(), staff.end(), nan);
        std::fill(machines.begin(), machines.end(), nan);
        std::fill(down.begin(), down.end(), nan);
        if (site.active) {
            const int first = site.calendar.local_day(site.activation_day);
            const int last =
                site.calendar.local_day(std::max(site.last_activity_day, site.activation_day));
            booked_seconds.assign(weeks, 0);
            slots_used.assign(weeks, 0);
            offered.assign(weeks, 0.0);
            slots_offered.assign(weeks, 0);
            machine_days.assign(weeks, 0);
            machine_days_down.assign(weeks, 0);
            // Visits are booked on working days only: a week's bookings are what the diaries
            // hold from its first day to its last.
            for (const StaffOnSite& group : site.staff)
                group.booked_seconds.add_by_week(first, last, booked_seconds);
            for (const Equipment& machine : site.equipment)
                machine.slots().add_by_week(first, last, slots_used);

            double staff_cost = 0.0;
            // Hours on duty change where a policy changed them.
            std::vector<double> on_duty;
            std::vector<std::size_t> next_change(site.staff.size(), 0);
            for (const StaffOnSite& group : site.staff)
                on_duty.push_back(group.planned_hours_per_day());
            bool any_changes = false;
            for (const StaffOnSite& group : site.staff)
                any_changes = any_changes || !group.changes.empty();
            // What the staff on duty offer and cost a working day: the same every day unless a
            // policy changed someone's hours.
            double offered_a_day = 0.0, cost_a_day = 0.0;
            auto price_the_day = [&] {
                offered_a_day = cost_a_day = 0.0;
                for (std::size_t g = 0; g < site.staff.size(); ++g) {
                    offered_a_day += on_duty[g];
                    cost_a_day += on_duty[g] * site.staff[g].cost_per_hour;
                }
            };
            price_the_day();
            auto changes_on = [&](int day) {
                bool changed = false;
                for (std::size_t g = 0; g < site.staff.size(); ++g) {
                    const auto& changes = site.staff[g].changes;
                    while (next_change[g] < changes.size() &&
                           changes[next_change[g]].first <= day) {
                        on_duty[g] = changes[next_change[g]++].second;
                        changed = true;
                    }
                }
                if (changed) price_the_day();
            };
            // Working days repeat weekly: looked up once (twice over, so that any run of up to
            // seven days from any weekday is a plain slice).
            std::array<bool, 14> working{};
            for (int k = 0; k < 14; ++k)
                working[k] = site.calendar.is_working_day(first + k % 7);
            int slots_a_day = 0;
            for (const Equipment& machine : site.equipment)
                slots_a_day += machine.slots_per_day();
            // Without policy changes every working day adds the same amounts: a week's (and
            // the whole span's) sums are then a count times the amount, where that is exactly
            // what adding them up day by day gives (sums_exactly).
            const int span_days = std::max(0, last - first + 1);
            const bool at_once = !any_changes && sums_exactly(offered_a_day, span_days) &&
                                 sums_exactly(cost_a_day, span_days);
            std::array<int, 15> working_before{};  // working days among working[0 .. k)
            for (int k = 0; k < 14; ++k)
                working_before[k + 1] = working_before[k] + working[k];
            int working_in_span = 0;
            int day_of_week = 0;  // days since `first`, modulo 7
            const int working_a_week = working_before[7];
            const int machines_on_site = static_cast<int>(site.equipment.size());
            for (int day = first; day <= last;) {
                if (at_once && day >= 0 && day % 7 == 0) {
                    // Whole weeks, each with the same working days, amounts and slots (weeks
                    // past the grid's last one are clamped into it, below).
                    const int from_week = day / 7;
                    const int to_week = std::min((last + 1) / 7, weeks);  // exclusive
                    const double offered_a_week = working_a_week * offered_a_day;
                    const std::int64_t slots_a_week = std::int64_t{working_a_week} * slots_a_day;
                    const int machine_days_a_week = working_a_week * machines_on_site;
                    for (int w = from_week; w < to_week; ++w) {
                        offered[w] += offered_a_week;
                        slots_offered[w] += slots_a_week;
                        machine_days[w] += machine_days_a_week;
                    }
                    if (to_week > from_week) {
                        working_in_span += working_a_week * (to_week - from_week);
                        day = 7 * to_week;  // the day of the week since `first` is unchanged
                        continue;
                    }
                }
                const int week = std::clamp(day / 7, 0, weeks - 1);
                const int week_ends = std::min(last, day < 0 ? day : day / 7 * 7 + 6);
                const int days = week_ends - day + 1;
                int working_days = 0;
                if (at_once) {
                    working_days = working_before[day_of_week + days] - working_before[day_of_week];
                    offered[week] += working_days * offered_a_day;
                    working_in_span += working_days;
                } else {
                    // The week's sum in a local (no store-to-load chain through memory).
                    double week_offered = offered[week];
                    for (int k = 0; k < days; ++k) {
                        if (any_changes) changes_on(day + k);
                        if (!working[day_of_week + k]) continue;
                        ++working_days;
                        week_offered += offered_a_day;  // added day by day, as it accrues
                        staff_cost += cost_a_day;
                    }
                    offered[week] = week_offered;
                }
                // Every machine's slots on every working day; the days a machine was down come
                // off below.
                slots_offered[week] += std::int64_t{working_days} * slots_a_day;
                machine_days[week] += working_days * machines_on_site;
                day = week_ends + 1;
                day_of_week = (day_of_week + days) % 7;
            }
            if (at_once) staff_cost = working_in_span * cost_a_day;
            // A machine is rarely down: its downtime calendar gives those days directly.
            for (Equipment& machine : site.equipment) {
                machine.for_each_down_day(first, last, [&](int day) {
                    if (!working[(day - first) % 7]) return;
                    const int week = std::clamp(day / 7, 0, weeks - 1);
                    ++machine_days_down[week];
                    slots_offered[week] -= machine.slots_per_day();
                });
            }
            // Weeks before activation and after the last activity add nothing, and stay NaN.
            const int first_week = std::clamp(first / 7, 0, weeks - 1);
            const int last_week = std::clamp(last / 7, 0, weeks - 1);
            row.active_from = first_week;
            row.active_to = last_week;
            for (int w = first_week; w <= last_week; ++w) {
                const double booked = staff_hours(booked_seconds[w]);
                all_booked += booked;
                all_offered += offered[w];
                all_slots_used += static_cast<double>(slots_used[w]);
                all_slots_offered += static_cast<double>(slots_offered[w]);
                if (offered[w] > 0) staff[w] = static_cast<float>(booked / offered[w]);
                if (slots_offered[w] > 0)
                    machines[w] = static_cast<float>(static_cast<double>(slots_used[w]) /
                                                     static_cast<double>(slots_offered[w]));
                if (machine_days[w] > 0)
                    down[w] = static_cast<float>(machine_days_down[w]) / machine_days[w];
            }
            world.record.cost(CostCategory::site_staff, staff_cost, world.sim.now());
        }
        // Kits on hand at the end of each week.
        site.kits_on_hand.for_each_week(weeks, [&](int w, int level) { on_hand[w] = level; });
        const ReplicationSummary::SiteDays& days = s.site_days[site.index];
        row.randomised = cumulative;
        row.staff_utilisation = staff;
        row.equipment_utilisation = machines;
        row.equipment_down = down;
        row.kits_on_hand = on_hand;
        row.stock_out_days = days.stock_outs;
        row.deviation_days = days.deviations;
        row.equipment_conflict_days = days.equipment_deviations;
        sink.add(row);
        out.stock_outs = static_cast<int>(days.stock_outs.size());
        out.deviations = static_cast<int>(days.deviations.size());
        if (site.active) {
            // Recruitment ends at the site's own closure (recorded) or when the trial closes it.
            if (std::isnan(out.recruitment_end_day))
                out.recruitment_end_day = std::min(world.recruitment_closed_day, end_day);
            if (std::isnan(out.recruitment_end_day)) out.recruitment_end_day = end_day;
            out.recruitment_end_day = std::max(out.recruitment_end_day, site.activation_day);
            out.last_activity_day = std::max(site.last_activity_day, site.activation_day);
        }

        out.backup = site.spec->backup;
        out.opened = site.opened;
        out.activation_day = site.activation_day;
        out.approval_day = world.countries[site.country_index].approval_day;
        out.recruitment_rate_per_day = site.recruitment_rate_per_day;
        out.arrived = site.arrived;
        out.screened = site.screened;
        out.randomised = site.randomised;
        out.target_randomised = site.spec->target_randomised;
        out.met_target = site.randomised >= site.spec->target_randomised;
    }
    if (all_offered > 0) s.staff_utilisation_overall = all_booked / all_offered;
    if (all_slots_offered > 0) s.equipment_utilisation_overall = all_slots_used / all_slots_offered;
    // Kits still held at the end: what expired by then is waste; the rest is left over.
    const double now = world.sim.now();
    auto sweep = [&](KitStock& stock, StockPlace place, int index) {
        const int expired = stock.remove_expired(now);
        if (expired > 0) {
            world.record.kits_expired(place, index, expired, now);
            world.record.cost(CostCategory::kits_wasted, expired * world.scenario.supply.kit_cost,
                              now);
        }
        s.kits_left += stock.total();
    };
    sweep(world.central, StockPlace::central, 0);
    for (CountryState& country : world.countries) {
        sweep(country.depot, StockPlace::country_depot, country.index);
    }
    for (SiteState& site : world.sites)
        sweep(site.kits, StockPlace::site, site.index);
    for (sim::Pool& team : world.cra_teams)
        s.cra_utilisation.push_back(team.utilisation());
    std::vector<ReplicationSummary::SiteDays>().swap(s.site_days);  // `= {}` keeps capacity
}

}  // namespace

ReplicationSummary run_replication(const Scenario& scenario, std::uint64_t seed,
                                   std::uint64_t replication, Recorder* also,
                                   const TrialStart* start, sim::Kernel kernel,
                                   SiteWeeksSink* site_weeks) {
    ReplicationSummary summary;
    summary.sites.resize(scenario.sites.size());
    summary.site_days.resize(scenario.sites.size());
    summary.plan_target_met_day = scenario.trial.plan_target_met_day;
    if (start) {
        // What was observed counts as happened.
        for (const SiteStart& site : start->sites) {
            summary.arrived += site.arrived - site.screening;
            summary.randomised += static_cast<int>(site.randomised_days.size());
            for (double day : site.randomised_days) {
                if (std::isnan(summary.first_patient_in_day) || day < summary.first_patient_in_day)
                    summary.first_patient_in_day = day;
                summary.randomised_by_plan += day <= summary.plan_target_met_day;
            }
        }
        if (summary.randomised >= scenario.trial.randomisation_target) {
            summary.target_met_day = start->as_of_day;
        }
    }
    SummaryRecorder record(summary, also);
    World world(scenario, seed, replication, record, start, kernel);

    for (CountryState& country : world.countries)
        world.sim.spawn(country_approval(world, country));
    for (const Batch& batch : scenario.supply.batches)
        world.sim.spawn(batch_release(world, batch));
    for (SiteState& site : world.sites) {
        if (site.opened) world.sim.spawn(site_startup(world, site));
    }
    world.sim.spawn(decision_epochs(world));
    world.sim.run_until(scenario.trial.horizon_days);

    summary.last_patient_last_visit_day = world.last_patient_last_visit_day;
    if (!std::isnan(summary.target_met_day)) {
        summary.enrollment_duration_days = summary.target_met_day - summary.first_patient_in_day;
        summary.target_met_by_plan = summary.target_met_day <= summary.plan_target_met_day;
    }
    SummarySiteWeeks keep_in_summary(summary);
    close_the_books(world, summary, world.sim.now(),
                    site_weeks ? *site_weeks : static_cast<SiteWeeksSink&>(keep_in_summary));
    return summary;
}

}  // namespace trial
