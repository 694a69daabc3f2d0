// The scenario loader: one reader per table of the scenario (trial, recruitment, countries,
// sites, protocol, CRA teams, supply, policy, effort), then the checks across tables and of
// what the values imply together. Over 500 lines on purpose: the cross-checks need the
// source lines every reader kept, and the readers are the scenario's schema in one place,
// in the order of scenarios/README.md. The type and range checks live in toml_table.hpp and
// limits.hpp.

#include "models/scenario/scenario_loader.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <fstream>
#include <set>
#include <sstream>

#include "models/files/input_file.hpp"
#include "models/scenario/endpoints_reader.hpp"
#include "models/scenario/limits.hpp"
#include "models/scenario/toml_table.hpp"

namespace trial {
namespace {

using namespace toml_reading;

std::string iso(const toml::date& d) {
    char text[16];
    std::snprintf(text, sizeof text, "%04d-%02d-%02d", d.year, d.month, d.day);
    return text;
}

// toml++ already rejects impossible dates (2027-02-30) as syntax errors.
std::optional<toml::date> valid_date(Table& t, std::string_view key) {
    return t.date(key);
}

std::array<bool, 7> working_days(Table& t, std::string_view key, std::array<bool, 7> fallback) {
    if (!t.has(key)) return fallback;
    static const char* names[7] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    std::array<bool, 7> days{};
    for (const std::string& name : t.strings(key)) {
        const auto* found = std::find(std::begin(names), std::end(names), name);
        if (found == std::end(names)) {
            t.error(key, "unknown day \"" + name + "\" (use Mon, Tue, Wed, Thu, Fri, Sat, Sun)");
        } else {
            days[found - std::begin(names)] = true;
        }
    }
    if (std::none_of(days.begin(), days.end(), [](bool b) { return b; })) {
        t.error(key, "needs at least one working day");
        return fallback;
    }
    return days;
}

// The screening visit, a visit of the schedule, or a follow-up contact.
enum class VisitKind { screening, scheduled, contact };

VisitSpec read_visit(Errors& errors, Table& t, VisitKind kind) {
    const bool is_screening = kind == VisitKind::screening;
    VisitSpec v;
    v.name = is_screening ? t.string("name", "screening") : t.required_string("name");
    v.day = t.number("day", 0.0, limits::days);
    v.every_days = t.number("every_days", 0.0, limits::days);
    v.repeat = t.integer("repeat", 1, limits::repeats);
    v.window_before_days = t.number("window_before_days", 0.0, limits::window_days);
    v.window_to_next_working_day = is_screening && !t.has("window_after_days");
    v.window_after_days = t.number("window_after_days", 0.0, limits::window_days);
    v.kits = t.integer("kits", 0, limits::kits_a_visit);
    if (v.repeat > 1 && v.every_days < 1) {
        t.error("every_days", "must be >= 1 (day) when repeat > 1");
    }
    if (v.repeat > 1 && v.every_days > 0 &&
        v.window_before_days + v.window_after_days >= v.every_days) {
        t.error("window_after_days",
                "windows of consecutive repeats overlap: window_before_days + window_after_days "
                "must be < every_days");
    }
    if (kind == VisitKind::scheduled && v.window_before_days > v.day) {
        t.error("window_before_days", "would open the window before randomisation (day 0)");
    }
    for_each_table(errors, t, "staff", [&](Table& s) {
        StaffNeed need;
        need.role = s.required_string("role");
        need.hours = s.required_number("hours", limits::hours_a_day);
        need.credential = s.string("credential", "");
        v.staff.push_back(need);
    });
    for_each_table(errors, t, "equipment", [&](Table& e) {
        EquipmentNeed need;
        need.kind = e.required_string("kind");
        need.slots = e.integer("slots", 1, limits::slots);
        v.equipment.push_back(need);
    });
    if (is_screening && v.kits > 0) t.error("kits", "no kits are dispensed at screening");
    return v;
}

class Loader {
  public:
    Loader(std::string file, const PolicyNames& known)
        : errors_(std::move(file)), policy_names_(known) {}

    LoadedScenario load(const std::string& text, const std::string& path) {
        LoadedScenario result;
        toml::table root;
        try {
            root = toml::parse(text, path);
        } catch (const toml::parse_error& e) {
            errors_.add(e.source(), "", "TOML syntax error: " + std::string(e.description()));
            result.errors = std::move(errors_).sorted();
            return result;
        }
        Scenario s;
        s.source_path = path;
        s.source_text = text;
        Table top(errors_, root, "");
        read_trial(top, s);
        read_recruitment(top, s);
        for_each_table(errors_, top, "countries", [&](Table& t) { read_country(t, s); });
        for_each_table(errors_, top, "sites", [&](Table& t) { read_site(t, s); });
        read_protocol(top, s);
        for_each_table(errors_, top, "cra_teams", [&](Table& t) { read_cra_team(t, s); });
        read_supply(top, s);
        read_policy(top, s);
        read_effort(top, s);
        read_endpoints(errors_, top, s);
        read_analyses(errors_, top, s, start_);
        top.finish();
        cross_check(top, s);
        check_what_it_implies(top, s);
        if (errors_.empty()) result.scenario = std::move(s);
        result.errors = std::move(errors_).sorted();
        return result;
    }

  private:
    void read_trial(Table& top, Scenario& s) {
        const toml::table* table = top.table("trial");
        if (!table) {
            if (!top.has("trial")) top.missing("trial");
            return;
        }
        Table t(errors_, *table, "trial");
        TrialSpec& trial = s.trial;
        trial.name = t.required_string("name");
        if (!t.has("start_date")) t.missing("start_date");
        const std::optional<toml::date> start = valid_date(t, "start_date");
        if (start) {
            start_ = start;
            trial.start_date = iso(*start);
            using namespace std::chrono;
            const sys_days day0{year{start->year} / month{start->month} / day{start->day}};
            trial.start_weekday = static_cast<int>(weekday{day0}.iso_encoding()) - 1;
        }
        trial.randomisation_target = t.required_integer("randomisation_target", limits::patients);
        if (!t.has("plan_target_met_date")) t.missing("plan_target_met_date");
        const std::optional<toml::date> plan = valid_date(t, "plan_target_met_date");
        if (start && plan) {
            trial.plan_target_met_day = days_between(*start, *plan);
            if (trial.plan_target_met_day <= 0) {
                t.error("plan_target_met_date", "must be after start_date");
            }
        }
        trial.horizon_days = t.number("horizon_days", 3650.0, limits::positive_days);
        const std::optional<toml::date> readout = valid_date(t, "plan_readout_date");
        if (start && readout) {
            trial.plan_readout_day = days_between(*start, *readout);
            if (*trial.plan_readout_day <= 0)
                t.error("plan_readout_date", "must be after start_date");
        }
        trial.dropout_rate_per_year = t.number("dropout_rate_per_year", 0.0, limits::per_year);
        trial.late_tolerance_days = t.number("late_tolerance_days", 7.0, limits::window_days);
        trial.currency = t.string("currency", "EUR");
        trial.over_enrollment = t.integer("over_enrollment", limits::site_patients);
        for_each_table(errors_, t, "arms", [&](Table& a) {
            trial.arms.push_back(
                {a.required_string("name"), a.integer("ratio", 1, limits::arm_ratio)});
        });
        if (!t.has("arms")) trial.arms.push_back({"all", 1});
        if (t.has("arms") && trial.arms.empty()) t.error("arms", "needs at least one arm");
        t.finish();
    }

    void read_recruitment(Table& top, Scenario& s) {
        const toml::table* table = top.table("recruitment");
        if (!table) return;
        Table t(errors_, *table, "recruitment");
        prior_given_ = t.has("rate_shape") && t.has("rate_rate_days");
        s.recruitment.rate_shape = t.number("rate_shape", 0.0, limits::gamma_shape);
        s.recruitment.rate_rate_days = t.number("rate_rate_days", 0.0, limits::gamma_rate_days);
        // Or in a planner's words: patients a site-month, on average, with their coefficient
        // of variation between sites (converted in check_references, once the sites' screen
        // failure is known).
        for (const char* key : {"presenting_per_site_per_month", "randomised_per_site_per_month"}) {
            const toml::table* words = t.table(key);
            if (!words) continue;
            if (t.has("rate_shape") || t.has("rate_rate_days") || per_month_) {
                t.error(key,
                        "give the site rates once: rate_shape and rate_rate_days, or "
                        "presenting_per_site_per_month, or randomised_per_site_per_month");
                continue;
            }
            Table w(errors_, *words, t.key_path(key));
            PerMonth p;
            p.randomised = std::string_view(key).starts_with("randomised");
            p.mean = w.required_number("mean", limits::per_site_month);
            p.cv = w.required_number("cv", limits::variation);
            p.where = t.where(key);
            p.key = t.key_path(key);
            w.finish();
            per_month_ = p;
            prior_given_ = true;
        }
        t.finish();
    }

    void read_country(Table& t, Scenario& s) {
        Country c;
        c.code = t.required_string("code");
        c.name = t.string("name", c.code);
        c.utc_offset_hours = t.number("utc_offset_hours", 0.0, limits::utc_offset);
        c.working_days = working_days(t, "working_days", c.working_days);
        c.approval_days = t.delay("approval_days").value_or(Delay{});
        c.contracting_days = t.delay("contracting_days").value_or(Delay{});
        c.activation_days = t.delay("activation_days").value_or(Delay{});
        // A site's whole start-up, when its parts are not known: drawn per site, from day 0.
        if (const std::optional<Delay> startup = t.delay("startup_days")) {
            if (t.has("approval_days") || t.has("contracting_days") || t.has("activation_days"))
                t.error("startup_days",
                        "give the whole start-up or its parts (approval_days, "
                        "contracting_days, activation_days), not both");
            c.contracting_days = *startup;
        }
        if (const toml::table* costs = t.table("staff_cost_per_hour")) {
            Table ct(errors_, *costs, t.key_path("staff_cost_per_hour"));
            for (auto&& [role, node] : *costs) {
                if (auto v = ct.number(role.str(), limits::money)) {
                    c.staff_cost_per_hour[std::string(role.str())] = *v;
                }
            }
            ct.finish();
        }
        c.site_startup_fee = t.number("site_startup_fee", 0.0, limits::money);
        c.per_patient_fee = t.number("per_patient_fee", 0.0, limits::money);
        c.depot_lead_days = t.number("depot_lead_days", 14.0, limits::lead_days);
        c.site_lead_days = t.number("site_lead_days", 3.0, limits::lead_days);
        c.depot_min_kits = t.integer("depot_min_kits", limits::kits);
        c.depot_max_kits = t.integer("depot_max_kits", limits::positive_kits);
        c.max_randomised = t.integer("max_randomised", limits::patients);
        if (c.depot_min_kits && c.depot_max_kits && *c.depot_max_kits <= *c.depot_min_kits) {
            t.error("depot_max_kits", "must be > depot_min_kits");
        }
        s.countries.push_back(std::move(c));
        lines_.country.push_back(t.where());
    }

    void read_site(Table& t, Scenario& s) {
        SiteSpec site;
        site.id = t.required_string("id");
        site.country = t.required_string("country");
        site.contracting_days = t.delay("contracting_days");
        site.activation_days = t.delay("activation_days");
        site.recruitment_rate_per_day = t.number("recruitment_rate_per_day", limits::rate_per_day);
        site.screen_failure_probability =
            t.number("screen_failure_probability", 0.0, limits::probability);
        site.recruitment_decay_per_year =
            t.number("recruitment_decay_per_year", 0.0, limits::per_year);
        site.target_randomised = t.integer("target_randomised", 0, limits::site_patients);
        site.max_randomised = t.integer("max_randomised", limits::patients);
        site.effort_reference_hours_per_week =
            t.number("effort_reference_hours_per_week", limits::effort_hours);
        site.closes_day = t.number("closes_day", limits::positive_days);
        site.backup = t.boolean("backup", false);
        site.left_out = t.boolean("left_out", false);
        site.candidate = t.boolean("candidate", false);
        site.opens_hour = t.number("opens_hour", 9.0, limits::hour_of_day);
        for_each_table(errors_, t, "staff", [&](Table& g) {
            StaffGroup group;
            group.role = g.required_string("role");
            group.count = g.required_integer("count", limits::people);
            group.hours_per_day = g.number("hours_per_day", 8.0, limits::hours_a_day);
            group.credentials = g.strings("credentials");
            site.staff.push_back(group);
        });
        for_each_table(errors_, t, "equipment", [&](Table& e) {
            EquipmentSpec eq;
            eq.kind = e.required_string("kind");
            eq.slots_per_day = e.required_integer("slots_per_day", limits::slots);
            eq.maintenance_every_days = e.number("maintenance_every_days", 0.0, limits::days);
            eq.maintenance_duration_days = e.number("maintenance_duration_days", 0.0, limits::days);
            eq.maintenance_first_day = e.number("maintenance_first_day", 0.0, limits::days);
            if (eq.maintenance_every_days > 0 &&
                eq.maintenance_duration_days >= eq.maintenance_every_days) {
                e.error("maintenance_duration_days", "must be shorter than maintenance_every_days");
            }
            if (eq.maintenance_every_days > 0 && eq.maintenance_every_days < 1) {
                e.error("maintenance_every_days", "must be 0 (none) or at least 1 (day)");
            }
            if (eq.maintenance_every_days == 0 && eq.maintenance_duration_days > 0) {
                e.error("maintenance_every_days",
                        "must be > 0 when maintenance_duration_days is set");
            }
            eq.calibration_valid_days = e.number("calibration_valid_days", 0.0, limits::days);
            if (eq.calibration_valid_days > 0 && eq.calibration_valid_days < 1)
                e.error("calibration_valid_days", "must be 0 (never expires) or at least 1 (day)");
            eq.recalibration_days = e.delay("recalibration_days").value_or(Delay{});
            site.equipment.push_back(eq);
        });
        s.sites.push_back(std::move(site));
        lines_.site.push_back(t.where());
        lines_.site_id.push_back(t.where("id"));
        lines_.site_country.push_back(t.where("country"));
    }

    void read_protocol(Table& top, Scenario& s) {
        const toml::table* table = top.table("protocol");
        if (!table) {
            if (!top.has("protocol")) top.missing("protocol");
            return;
        }
        Table t(errors_, *table, "protocol");
        if (const toml::table* screening = t.table("screening")) {
            Table st(errors_, *screening, "protocol.screening");
            s.protocol.screening = read_visit(errors_, st, VisitKind::screening);
            st.finish();
        }
        s.protocol.screening_to_randomisation_days =
            t.number("screening_to_randomisation_days", 0.0, limits::window_days);
        for_each_table(errors_, t, "visits", [&](Table& v) {
            s.protocol.visits.push_back(read_visit(errors_, v, VisitKind::scheduled));
            lines_.visit.push_back(v.where());
        });
        if (const toml::table* follow_up = t.table("follow_up")) {
            Table ft(errors_, *follow_up, "protocol.follow_up");
            for (const char* key : {"day", "repeat", "kits"}) {
                if (ft.has(key))
                    ft.error(key,
                             "not used here: contacts repeat every_days from the end of a "
                             "patient's visits until the final analysis, without kits");
            }
            if (!ft.has("name")) ft.missing("name");
            VisitSpec contact = read_visit(errors_, ft, VisitKind::contact);
            contact.repeat = 1;
            contact.kits = 0;
            contact.day = 0;
            if (!ft.has("every_days")) ft.missing("every_days");
            contact.every_days = ft.number("every_days", 1.0, limits::interval_days);
            if (contact.window_before_days + contact.window_after_days >= contact.every_days)
                ft.error("window_after_days",
                         "windows of consecutive contacts overlap: "
                         "window_before_days + window_after_days must be < "
                         "every_days");
            s.protocol.follow_up_fee = ft.number("fee", 0.0, limits::money);
            s.protocol.follow_up = std::move(contact);
            ft.finish();
        }
        t.finish();
    }

    void read_cra_team(Table& t, Scenario& s) {
        CraTeam team;
        team.name = t.required_string("name");
        team.count = t.required_integer("count", limits::people);
        team.sites = t.strings("sites");
        team.travel_days = t.number("travel_days", 1.0, limits::lead_days);
        team.initiation_visit_days =
            t.number("initiation_visit_days", 1.0, limits::visit_length_days);
        team.monitoring_every_days = t.number("monitoring_every_days", 0.0, limits::days);
        if (team.monitoring_every_days > 0 && team.monitoring_every_days < 1)
            t.error("monitoring_every_days", "must be 0 (none) or at least 1 (day)");
        team.monitoring_visit_days =
            t.number("monitoring_visit_days", 1.0, limits::visit_length_days);
        team.cost_per_day = t.number("cost_per_day", 0.0, limits::money);
        team.travel_cost = t.number("travel_cost", 0.0, limits::money);
        s.cra_teams.push_back(std::move(team));
        lines_.cra.push_back(t.where("sites"));
    }

    void read_supply(Table& top, Scenario& s) {
        const toml::table* table = top.table("supply");
        if (!table) return;
        Table t(errors_, *table, "supply");
        SupplySpec& supply = s.supply;
        supply.enabled = true;
        supply.kit_cost = t.number("kit_cost", 0.0, limits::money);
        supply.shipment_cost = t.number("shipment_cost", 0.0, limits::money);
        supply.min_shelf_life_days = t.number("min_shelf_life_days", 30.0, limits::window_days);
        supply.depot_min_kits = t.required_integer("depot_min_kits", limits::kits);
        supply.depot_max_kits = t.required_integer("depot_max_kits", limits::positive_kits);
        supply.site_min_kits = t.required_integer("site_min_kits", limits::kits);
        supply.site_max_kits = t.required_integer("site_max_kits", limits::positive_kits);
        if (supply.depot_max_kits <= supply.depot_min_kits) {
            t.error("depot_max_kits", "must be > depot_min_kits");
        }
        if (supply.site_max_kits <= supply.site_min_kits) {
            t.error("site_max_kits", "must be > site_min_kits");
        }
        for_each_table(errors_, t, "batches", [&](Table& b) {
            Batch batch;
            batch.release_day = b.number("release_day", 0.0, limits::days);
            batch.kits = b.required_integer("kits", limits::positive_kits);
            batch.expiry_day = b.required_number("expiry_day", limits::positive_days);
            if (batch.expiry_day <= batch.release_day) {
                b.error("expiry_day", "must be after release_day");
            }
            supply.batches.push_back(batch);
        });
        if (supply.batches.empty() && !t.has("batches")) t.missing("batches");
        t.finish();
    }

    void read_policy(Table& top, Scenario& s) {
        const toml::table* table = top.table("policy");
        if (!table) return;
        Table t(errors_, *table, "policy");
        PolicySpec& p = s.policy;
        auto named = [&](std::string_view key, std::string fallback,
                         const std::vector<std::string>& known) {
            std::string name = t.string(key, fallback);
            if (std::find(known.begin(), known.end(), name) == known.end()) {
                t.error(key, "unknown " + std::string(key) + " policy \"" + name +
                                 "\" (known: " + join(known) + ")");
                return fallback;
            }
            return name;
        };
        p.allocation = named("allocation", p.allocation, policy_names_.allocation);
        p.booking = named("booking", p.booking, policy_names_.booking);
        p.resupply = named("resupply", p.resupply, policy_names_.resupply);
        p.decision_every_days =
            t.number("decision_every_days", p.decision_every_days, limits::interval_days);
        p.lagging_probability =
            t.number("lagging_probability", p.lagging_probability, limits::probability);
        p.slowdown_ratio = t.number("slowdown_ratio", p.slowdown_ratio, limits::open_share);
        p.slowdown_threshold =
            t.number("slowdown_threshold", p.slowdown_threshold, limits::positive_factor);
        p.lagging_min_days = t.number("lagging_min_days", p.lagging_min_days, limits::window_days);
        p.overload_utilisation =
            t.number("overload_utilisation", p.overload_utilisation, limits::positive_factor);
        p.overload_weeks = t.integer("overload_weeks", p.overload_weeks, limits::weeks);
        p.min_staff_share = t.number("min_staff_share", p.min_staff_share, limits::share);
        p.max_staff_share =
            t.number("max_staff_share", p.max_staff_share, limits::staff_share_most);
        if (p.max_staff_share < 1.0) t.error("max_staff_share", "must be >= 1 (the plan itself)");
        if (p.min_staff_share > 1.0) t.error("min_staff_share", "must be <= 1 (the plan itself)");
        p.move_step_hours_per_week =
            t.number("move_step_hours_per_week", p.move_step_hours_per_week, limits::hours_a_week);
        p.max_moves_per_decision =
            t.integer("max_moves_per_decision", p.max_moves_per_decision, limits::count);
        p.backup_trigger_probability = t.number("backup_trigger_probability",
                                                p.backup_trigger_probability, limits::probability);
        p.follow_up_headroom = t.number("follow_up_headroom", p.follow_up_headroom, limits::factor);
        p.close_below_plan_share =
            t.number("close_below_plan_share", p.close_below_plan_share, limits::probability);
        p.booking_horizon_days =
            t.number("booking_horizon_days", p.booking_horizon_days, limits::lead_days);
        p.service_level = t.number("service_level", p.service_level, limits::open_share);
        p.safety_factor = t.number("safety_factor", p.safety_factor, limits::positive_factor);
        p.review_days = t.number("review_days", p.review_days, limits::interval_days);
        p.cover_days = t.number("cover_days", p.cover_days, limits::interval_days);
        t.finish();
    }

    void read_effort(Table& top, Scenario& s) {
        const toml::table* table = top.table("effort");
        if (!table) return;
        Table t(errors_, *table, "effort");
        EffortSpec& e = s.effort;
        e.role = t.string("role", e.role);
        e.reference_hours_per_week = t.number("reference_hours_per_week", limits::effort_hours);
        e.max_uplift = t.number("max_uplift", e.max_uplift, limits::factor);
        e.half_uplift_hours_per_week = t.number("half_uplift_hours_per_week",
                                                e.half_uplift_hours_per_week, limits::hours_a_week);
        e.shortfall_elasticity =
            t.number("shortfall_elasticity", e.shortfall_elasticity, limits::factor);
        t.finish();
        effort_line_ = t.where("role");
        effort_given_ = true;
    }

    // Everything that depends on more than one table.
    void cross_check(Table& top, Scenario& s) {
        std::set<std::string> codes;
        for (std::size_t i = 0; i < s.countries.size(); ++i) {
            if (!codes.insert(s.countries[i].code).second) {
                errors_.add(lines_.country[i], "countries[" + std::to_string(i) + "].code",
                            "duplicate country code \"" + s.countries[i].code + "\"");
            }
        }
        std::set<std::string> ids;
        bool needs_prior = false;
        for (std::size_t i = 0; i < s.sites.size(); ++i) {
            const SiteSpec& site = s.sites[i];
            const std::string path = "sites[" + std::to_string(i) + "]";
            if (!ids.insert(site.id).second) {
                errors_.add(lines_.site_id[i], path + ".id",
                            "duplicate site id \"" + site.id + "\"");
            }
            if (!site.country.empty() && !codes.count(site.country)) {
                errors_.add(lines_.site_country[i], path + ".country",
                            "unknown country \"" + site.country + "\" (known: " +
                                join(std::vector<std::string>(codes.begin(), codes.end())) + ")");
            }
            if (!site.recruitment_rate_per_day) needs_prior = true;
            check_site_can_do_visits(site, i, s.protocol);
        }
        if (s.sites.empty() && !top.has("sites")) top.missing("sites");
        if (!s.sites.empty() && std::all_of(s.sites.begin(), s.sites.end(), [](auto& site) {
                return site.backup || site.left_out;
            })) {
            top.error("sites",
                      "every site is a backup site or left out; at least one must be planned");
        }
        if (effort_given_) {
            bool used = false;
            for (const SiteSpec& site : s.sites) {
                for (const StaffGroup& g : site.staff)
                    used = used || g.role == s.effort.role;
            }
            if (!used) {
                errors_.add(effort_line_, "effort.role",
                            "no site has staff with role \"" + s.effort.role + "\"");
            }
        }
        if (per_month_) convert_per_month(s);
        if (needs_prior && !prior_given_) {
            top.error("recruitment",
                      "sites without recruitment_rate_per_day need [recruitment] rate_shape and "
                      "rate_rate_days (the Gamma prior of site rates)");
        }
        for (std::size_t i = 0; i < s.cra_teams.size(); ++i) {
            for (const std::string& id : s.cra_teams[i].sites) {
                if (!ids.count(id)) {
                    errors_.add(lines_.cra[i], "cra_teams[" + std::to_string(i) + "].sites",
                                "unknown site \"" + id + "\"");
                }
            }
        }
        int kits_needed = 0;
        for (const VisitSpec& v : s.protocol.visits)
            kits_needed += v.kits;
        if (kits_needed > 0 && !s.supply.enabled) {
            top.error("supply", "the protocol dispenses kits, so a [supply] table is required");
        }
        for (const Country& c : s.countries) {
            for (const auto& [role, cost] : c.staff_cost_per_hour) {
                bool used = false;
                for (const SiteSpec& site : s.sites) {
                    for (const StaffGroup& g : site.staff)
                        used = used || g.role == role;
                }
                if (!used) {
                    errors_.add(lines_.country[&c - s.countries.data()],
                                "countries[" + std::to_string(&c - s.countries.data()) +
                                    "].staff_cost_per_hour." + role,
                                "no site has staff with role \"" + role + "\"");
                }
            }
        }
    }

    // What the values come to together, each within its own range (limits.hpp): checked so
    // that a scenario that validates also runs, in memory and in time.
    void check_what_it_implies(Table& top, const Scenario& s) {
        double visits_per_patient = 0;
        for (std::size_t i = 0; i < s.protocol.visits.size(); ++i) {
            const VisitSpec& v = s.protocol.visits[i];
            visits_per_patient += v.repeat;
            const double last_day = v.day + (v.repeat - 1) * v.every_days;
            if (last_day > limits::century_days) {
                errors_.add(lines_.visit[i], "protocol.visits[" + std::to_string(i) + "]",
                            "visit \"" + v.name + "\" repeats to day " +
                                std::to_string(static_cast<long long>(last_day)) +
                                ", past a century of follow-up (36525 days)");
            }
        }
        if (visits_per_patient > limits::most_visits_per_patient) {
            top.error("protocol", "schedules " +
                                      std::to_string(static_cast<long long>(visits_per_patient)) +
                                      " visits a patient (repeats summed); at most 10000");
        } else if (visits_per_patient * s.trial.randomisation_target >
                   limits::most_scheduled_visits) {
            top.error("protocol", "randomisation_target × visits a patient = " +
                                      std::to_string(static_cast<long long>(
                                          visits_per_patient * s.trial.randomisation_target)) +
                                      " visits in a replication; at most 200000000");
        }
        if (prior_given_ &&
            s.recruitment.rate_shape / s.recruitment.rate_rate_days > limits::rate_per_day.most) {
            top.error("recruitment",
                      "rate_shape / rate_rate_days = a mean site rate of " +
                          std::to_string(s.recruitment.rate_shape / s.recruitment.rate_rate_days) +
                          " patients a day; at most 100");
        }
        double ratios = 0;
        for (const Arm& arm : s.trial.arms)
            ratios += arm.ratio;
        if (ratios > 10'000) top.error("trial", "the arms' ratios add up to more than 10000");
        // Every staff group keeps a diary of the horizon's days in each replication (4 bytes a
        // day): 1,000 sites of 5 groups over ten years take 73 MB.
        double diary_days = 0;
        for (const SiteSpec& site : s.sites)
            diary_days += static_cast<double>(site.staff.size() + site.equipment.size()) *
                          (s.trial.horizon_days + 128);
        if (diary_days * 4 > 2e9) {
            top.error("trial", "sites × (staff groups + machines) × horizon_days need " +
                                   std::to_string(static_cast<long long>(diary_days * 4 / 1e6)) +
                                   " MB of diaries a replication; at most 2000 (a shorter "
                                   "horizon_days, or fewer sites)");
        }
    }

    void check_site_can_do_visits(const SiteSpec& site, std::size_t index, const Protocol& p) {
        const std::string path = "sites[" + std::to_string(index) + "]";
        auto check = [&](const VisitSpec& v) {
            for (const StaffNeed& need : v.staff) {
                const bool found = std::any_of(site.staff.begin(), site.staff.end(), [&](auto& g) {
                    return g.role == need.role &&
                           (need.credential.empty() ||
                            std::count(g.credentials.begin(), g.credentials.end(),
                                       need.credential));
                });
                if (!found) {
                    errors_.add(lines_.site[index], path + ".staff",
                                "site \"" + site.id + "\" has no " + need.role +
                                    (need.credential.empty()
                                         ? ""
                                         : " with credential \"" + need.credential + "\"") +
                                    ", needed by visit \"" + v.name + "\"");
                }
            }
            for (const EquipmentNeed& need : v.equipment) {
                const bool found = std::any_of(site.equipment.begin(), site.equipment.end(),
                                               [&](auto& e) { return e.kind == need.kind; });
                if (!found) {
                    errors_.add(lines_.site[index], path + ".equipment",
                                "site \"" + site.id + "\" has no " + need.kind +
                                    ", needed by visit \"" + v.name + "\"");
                }
            }
        };
        check(p.screening);
        for (const VisitSpec& v : p.visits)
            check(v);
        if (p.follow_up) check(*p.follow_up);
    }

    Errors errors_;
    const PolicyNames& policy_names_;
    struct {
        std::vector<toml::source_region> country, site, site_id, site_country, visit, cra;
    } lines_;
    std::optional<toml::date> start_;  // [trial] start_date, if valid
    bool prior_given_ = false;
    // [recruitment] in a planner's words, converted once the sites are read.
    struct PerMonth {
        bool randomised = false;
        double mean = 0, cv = 0;
        toml::source_region where;
        std::string key;
    };
    std::optional<PerMonth> per_month_;

    // Patients a site-month with a coefficient of variation between sites, as the Gamma prior
    // of each site's rate of patients presenting a day: the Gamma's CV is 1/sqrt(shape), so
    // shape = 1/cv², and its mean shape/rate is the monthly mean over 365.25/12 days. Counted
    // as randomised, the mean is divided by (1 − the screen failure probability), which must
    // then be the same at every site the prior draws for (else no one Gamma fits exactly).
    void convert_per_month(Scenario& s) {
        const PerMonth& p = *per_month_;
        double mean = p.mean;
        if (p.randomised) {
            std::optional<double> failing;
            for (const SiteSpec& site : s.sites) {
                if (site.recruitment_rate_per_day) continue;
                if (failing && *failing != site.screen_failure_probability) {
                    errors_.add(p.where, p.key,
                                "counted as randomised, the sites the prior draws for must share "
                                "one screen_failure_probability (they differ: " +
                                    std::to_string(*failing) + ", " +
                                    std::to_string(site.screen_failure_probability) +
                                    "); give presenting_per_site_per_month instead");
                    return;
                }
                failing = site.screen_failure_probability;
            }
            mean /= 1 - failing.value_or(0.0);
        }
        s.recruitment.rate_shape = 1 / (p.cv * p.cv);
        s.recruitment.rate_rate_days = s.recruitment.rate_shape / (mean / (365.25 / 12));
    }
    bool effort_given_ = false;
    toml::source_region effort_line_;
};

}  // namespace

std::string ScenarioError::to_string() const {
    std::ostringstream out;
    out << file << ":" << line << ":" << column << ": ";
    if (!key.empty()) out << key << ": ";
    out << message;
    return out.str();
}

LoadedScenario load_scenario_text(const std::string& text, const std::string& name,
                                  const PolicyNames& known) {
    return Loader(name, known).load(text, name);
}

LoadedScenario load_scenario_file(const std::string& path, const PolicyNames& known) {
    const files::TextInput input = files::read_text_input(path, files::max_scenario_bytes);
    if (!input.problem.empty()) {
        LoadedScenario result;
        result.errors.push_back(
            {path, 0, 0, "", "cannot open the scenario file: " + input.problem});
        return result;
    }
    return load_scenario_text(input.text, path, known);
}

}  // namespace trial
