// When a replication ends: each site's staff on duty from activation to its last activity at
// the country's rates, its weekly staff and machine use, its kits on hand by week; then the
// kits still held anywhere (what expired by then is waste). Everything goes out through the
// recorder: a site's weekly series and facts (Recorder::site_books_closed), then the trial's
// (Recorder::trial_books_closed).

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <limits>

#include "models/trial/world.hpp"

namespace trial {
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

// One site's weekly sums and row, in scratch reused from site to site (allocated once).
struct SiteScratch {
    explicit SiteScratch(int weeks)
        : cumulative(weeks), on_hand(weeks), staff(weeks), machines(weeks), down(weeks) {}
    std::vector<std::int64_t> booked_seconds, slots_used, slots_offered;  // whole units: exact
    std::vector<double> offered;
    std::vector<int> machine_days, machine_days_down;
    std::vector<int> cumulative, on_hand;
    std::vector<float> staff, machines, down;
};

// Trial-wide hours and slots booked and offered.
struct UseTotals {
    double booked = 0, offered = 0, slots_used = 0, slots_offered = 0;
};

// The staff a site has on duty, day by day: what they offer and cost a working day, the same
// every day unless a policy changed someone's hours (from the day it took effect).
class DutyRoster {
  public:
    explicit DutyRoster(const SiteState& site) : site_(site), next_change_(site.staff.size(), 0) {
        for (const StaffOnSite& group : site.staff) {
            on_duty_.push_back(group.planned_hours_per_day());
            changes_ = changes_ || !group.changes.empty();
        }
        price_the_day();
    }
    bool has_changes() const { return changes_; }
    double offered_a_day() const { return offered_a_day_; }
    double cost_a_day() const { return cost_a_day_; }
    // Takes in the changes in force from `day` on.
    void advance_to(int day) {
        bool changed = false;
        for (std::size_t g = 0; g < site_.staff.size(); ++g) {
            const auto& changes = site_.staff[g].changes;
            while (next_change_[g] < changes.size() && changes[next_change_[g]].first <= day) {
                on_duty_[g] = changes[next_change_[g]++].second;
                changed = true;
            }
        }
        if (changed) price_the_day();
    }

  private:
    void price_the_day() {
        offered_a_day_ = cost_a_day_ = 0.0;
        for (std::size_t g = 0; g < site_.staff.size(); ++g) {
            offered_a_day_ += on_duty_[g];
            cost_a_day_ += on_duty_[g] * site_.staff[g].cost_per_hour;
        }
    }
    const SiteState& site_;
    std::vector<double> on_duty_;
    std::vector<std::size_t> next_change_;
    bool changes_ = false;
    double offered_a_day_ = 0.0, cost_a_day_ = 0.0;
};

// Staff hours and machine slots offered by week over local days [first, last], into
// `w.offered`, `w.slots_offered` and `w.machine_days`; returns the staff cost of those days.
// `working[k]`: whether day first + k is a working day (working days repeat weekly; kept
// twice over, so that any run of up to seven days from any weekday is a plain slice).
double offered_by_week(const SiteState& site, int first, int last, int weeks,
                       const std::array<bool, 14>& working, SiteScratch& w) {
    DutyRoster roster(site);
    int slots_a_day = 0;
    for (const Equipment& machine : site.equipment)
        slots_a_day += machine.slots_per_day();
    // Without policy changes every working day adds the same amounts: a week's (and the whole
    // span's) sums are then a count times the amount, where that is exactly what adding them
    // up day by day gives (sums_exactly).
    const int span_days = std::max(0, last - first + 1);
    const bool at_once = !roster.has_changes() && sums_exactly(roster.offered_a_day(), span_days) &&
                         sums_exactly(roster.cost_a_day(), span_days);
    std::array<int, 15> working_before{};  // working days among working[0 .. k)
    for (int k = 0; k < 14; ++k)
        working_before[k + 1] = working_before[k] + working[k];
    double staff_cost = 0.0;
    int working_in_span = 0;
    int day_of_week = 0;  // days since `first`, modulo 7
    const int working_a_week = working_before[7];
    const int machines_on_site = static_cast<int>(site.equipment.size());
    for (int day = first; day <= last;) {
        if (at_once && day >= 0 && day % 7 == 0) {
            // Whole weeks, each with the same working days, amounts and slots (weeks past the
            // grid's last one are clamped into it, below).
            const int from_week = day / 7;
            const int to_week = std::min((last + 1) / 7, weeks);  // exclusive
            const double offered_a_week = working_a_week * roster.offered_a_day();
            const std::int64_t slots_a_week = std::int64_t{working_a_week} * slots_a_day;
            const int machine_days_a_week = working_a_week * machines_on_site;
            for (int week = from_week; week < to_week; ++week) {
                w.offered[week] += offered_a_week;
                w.slots_offered[week] += slots_a_week;
                w.machine_days[week] += machine_days_a_week;
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
            w.offered[week] += working_days * roster.offered_a_day();
            working_in_span += working_days;
        } else {
            // The week's sum in a local (no store-to-load chain through memory).
            double week_offered = w.offered[week];
            for (int k = 0; k < days; ++k) {
                if (roster.has_changes()) roster.advance_to(day + k);
                if (!working[day_of_week + k]) continue;
                ++working_days;
                week_offered += roster.offered_a_day();  // added day by day, as it accrues
                staff_cost += roster.cost_a_day();
            }
            w.offered[week] = week_offered;
        }
        // Every machine's slots on every working day; the days a machine was down come off
        // in use_by_week.
        w.slots_offered[week] += std::int64_t{working_days} * slots_a_day;
        w.machine_days[week] += working_days * machines_on_site;
        day = week_ends + 1;
        day_of_week = (day_of_week + days) % 7;
    }
    if (at_once) staff_cost = working_in_span * roster.cost_a_day();
    return staff_cost;
}

// An active site's weekly staff and machine utilisation and machine downtime, from activation
// to its last activity, into `row` (weeks outside stay NaN) and the trial's totals; records
// the staff cost.
void use_by_week(World& world, SiteState& site, int weeks, SiteScratch& w, SiteWeeks& row,
                 UseTotals& totals) {
    const int first = site.calendar.local_day(site.activation_day);
    const int last = site.calendar.local_day(std::max(site.last_activity_day, site.activation_day));
    w.booked_seconds.assign(weeks, 0);
    w.slots_used.assign(weeks, 0);
    w.offered.assign(weeks, 0.0);
    w.slots_offered.assign(weeks, 0);
    w.machine_days.assign(weeks, 0);
    w.machine_days_down.assign(weeks, 0);
    // Visits are booked on working days only: a week's bookings are what the diaries hold from
    // its first day to its last.
    for (const StaffOnSite& group : site.staff)
        group.booked_seconds.add_by_week(first, last, w.booked_seconds);
    for (const Equipment& machine : site.equipment)
        machine.slots().add_by_week(first, last, w.slots_used);
    std::array<bool, 14> working{};
    for (int k = 0; k < 14; ++k)
        working[k] = site.calendar.is_working_day(first + k % 7);
    const double staff_cost = offered_by_week(site, first, last, weeks, working, w);
    // A machine is rarely down: its downtime calendar gives those days directly.
    for (Equipment& machine : site.equipment) {
        machine.for_each_down_day(first, last, [&](int day) {
            if (!working[(day - first) % 7]) return;
            const int week = std::clamp(day / 7, 0, weeks - 1);
            ++w.machine_days_down[week];
            w.slots_offered[week] -= machine.slots_per_day();
        });
    }
    // Weeks before activation and after the last activity add nothing, and stay NaN.
    const int first_week = std::clamp(first / 7, 0, weeks - 1);
    const int last_week = std::clamp(last / 7, 0, weeks - 1);
    row.active_from = first_week;
    row.active_to = last_week;
    for (int k = first_week; k <= last_week; ++k) {
        const double booked = staff_hours(w.booked_seconds[k]);
        totals.booked += booked;
        totals.offered += w.offered[k];
        totals.slots_used += static_cast<double>(w.slots_used[k]);
        totals.slots_offered += static_cast<double>(w.slots_offered[k]);
        if (w.offered[k] > 0) w.staff[k] = static_cast<float>(booked / w.offered[k]);
        if (w.slots_offered[k] > 0)
            w.machines[k] = static_cast<float>(static_cast<double>(w.slots_used[k]) /
                                               static_cast<double>(w.slots_offered[k]));
        if (w.machine_days[k] > 0)
            w.down[k] = static_cast<float>(w.machine_days_down[k]) / w.machine_days[k];
    }
    world.record.cost(CostCategory::site_staff, staff_cost, world.sim.now());
}

// What a site came to. Recruitment ends at the site's own closure or when the trial closed
// recruitment (or the run ended).
SiteClosing closing_of(const World& world, const SiteState& site, double end_day) {
    SiteClosing c;
    c.site = site.index;
    c.backup = site.spec->backup;
    c.opened = site.opened;
    c.approval_day = world.countries[site.country_index].approval_day;
    c.activation_day = site.activation_day;
    c.recruitment_end_day = c.last_activity_day = not_reached;
    if (site.active) {
        double ends = site.recruitment_closed_day;
        if (std::isnan(ends)) ends = std::min(world.recruitment_closed_day, end_day);
        if (std::isnan(ends)) ends = end_day;
        c.recruitment_end_day = std::max(ends, site.activation_day);
        c.last_activity_day = std::max(site.last_activity_day, site.activation_day);
    }
    c.recruitment_rate_per_day = site.recruitment_rate_per_day;
    c.arrived = site.patients.arrived();
    c.screened = site.patients.screened();
    c.randomised = site.patients.randomised();
    c.target_randomised = site.spec->target_randomised;
    return c;
}

// Kits still held at the end: what expired by then is recorded as waste; returns the rest.
int clear_expired_kits(World& world) {
    const double now = world.sim.now();
    int left = 0;
    auto sweep = [&](KitStock& stock, StockPlace place, int index) {
        const int expired = stock.remove_expired(now);
        if (expired > 0) {
            world.record.kits_expired(place, index, expired, now);
            world.record.cost(CostCategory::kits_wasted, expired * world.scenario.supply.kit_cost,
                              now);
        }
        left += stock.total();
    };
    sweep(world.central, StockPlace::central, 0);
    for (CountryState& country : world.countries)
        sweep(country.depot, StockPlace::country_depot, country.index);
    for (SiteState& site : world.sites)
        sweep(site.kits, StockPlace::site, site.index);
    return left;
}

}  // namespace

void close_the_books(World& world, double end_day) {
    const int weeks = static_cast<int>(std::ceil((end_day + 1e-9) / 7.0)) + 1;
    const float nan = std::numeric_limits<float>::quiet_NaN();
    SiteScratch w(weeks);
    UseTotals totals;
    for (SiteState& site : world.sites) {
        SiteWeeks row;
        row.site = site.index;
        row.weeks = weeks;
        // By the end of each week (the last week takes whatever came after it).
        for (int k = 0; k < weeks; ++k) {
            w.cumulative[k] = k == weeks - 1 ? site.randomised_on_day.total()
                                             : site.randomised_on_day.through(7 * k + 6);
        }
        std::fill(w.staff.begin(), w.staff.end(), nan);
        std::fill(w.machines.begin(), w.machines.end(), nan);
        std::fill(w.down.begin(), w.down.end(), nan);
        if (site.active) use_by_week(world, site, weeks, w, row, totals);
        site.kits_on_hand.for_each_week(weeks, [&](int k, int level) { w.on_hand[k] = level; });
        row.randomised = w.cumulative;
        row.staff_utilisation = w.staff;
        row.equipment_utilisation = w.machines;
        row.equipment_down = w.down;
        row.kits_on_hand = w.on_hand;
        world.record.site_books_closed(row, closing_of(world, site, end_day));
    }
    TrialClosing trial;
    trial.weeks = weeks;
    trial.last_patient_last_visit_day = world.last_patient_last_visit_day;
    trial.staff_utilisation_overall =
        totals.offered > 0 ? totals.booked / totals.offered : not_reached;
    trial.equipment_utilisation_overall =
        totals.slots_offered > 0 ? totals.slots_used / totals.slots_offered : not_reached;
    trial.kits_left = clear_expired_kits(world);
    std::vector<double> cra_utilisation;
    for (sim::Pool& team : world.cra_teams)
        cra_utilisation.push_back(team.utilisation());
    trial.cra_utilisation = cra_utilisation;
    world.record.trial_books_closed(trial);
}

}  // namespace trial
