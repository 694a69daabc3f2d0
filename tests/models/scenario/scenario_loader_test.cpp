// Every message the scenario loader can give, each provoked on its own from a valid scenario,
// with the key and line it must name; and the bundled scenarios load cleanly.

#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>

#include "models/scenario/scenario_loader.hpp"
#include "tests/models/capture.hpp"

namespace {

const trial::PolicyNames known = trial::registered_policy_names();

// Valid; each case below changes one thing. Line numbers matter to the cases.
const std::string valid = R"([trial]
name = "T"
start_date = 2027-01-04
randomisation_target = 10
plan_target_met_date = 2027-12-01
arms = [ { name = "a", ratio = 1 } ]
[recruitment]
rate_shape = 2
rate_rate_days = 40
[[countries]]
code = "DE"
approval_days = { distribution = "uniform", min = 10, max = 20 }
staff_cost_per_hour = { nurse = 40 }
[[sites]]
id = "S1"
country = "DE"
staff = [ { role = "nurse", count = 1, credentials = ["gcp"] } ]
equipment = [ { kind = "CT", slots_per_day = 2 } ]
[protocol.screening]
staff = [ { role = "nurse", hours = 1 } ]
[[protocol.visits]]
name = "v"
day = 10
every_days = 10
repeat = 3
window_before_days = 2
window_after_days = 2
kits = 1
equipment = [ { kind = "CT" } ]
[[cra_teams]]
name = "c"
count = 1
sites = ["S1"]
[supply]
depot_min_kits = 1
depot_max_kits = 5
site_min_kits = 1
site_max_kits = 3
batches = [ { release_day = 0, kits = 100, expiry_day = 500 } ]
)";

std::string replaced(std::string text, const std::string& from, const std::string& to) {
    const auto at = text.find(from);
    REQUIRE(at != std::string::npos);
    return text.replace(at, from.size(), to);
}

struct Case {
    const char* what;
    std::string text;
    const char* key;      // expected key path
    const char* message;  // expected part of the message
    int line;             // expected line
};

std::vector<Case> cases() {
    return {
        {"TOML syntax", replaced(valid, "name = \"T\"", "name = "), "", "TOML syntax error", 2},
        {"missing table", replaced(valid, "[trial]", "[trail]"), "trial", "missing required key",
         1},
        {"missing key", replaced(valid, "name = \"T\"\n", ""), "trial.name", "missing required key",
         1},
        {"unknown key", replaced(valid, "name = \"T\"", "name = \"T\"\nnmae = 1"), "trial.nmae",
         "unknown key", 3},
        {"wrong type: number", replaced(valid, "rate_shape = 2", "rate_shape = \"2\""),
         "recruitment.rate_shape", "must be a number, not a string", 8},
        {"wrong type: integer",
         replaced(valid, "randomisation_target = 10", "randomisation_target = 10.5"),
         "trial.randomisation_target", "must be an integer", 4},
        {"wrong type: string", replaced(valid, "code = \"DE\"", "code = 7"), "countries[0].code",
         "must be a string", 11},
        {"wrong type: table",
         replaced(valid, "staff_cost_per_hour = { nurse = 40 }", "staff_cost_per_hour = 40"),
         "countries[0].staff_cost_per_hour", "must be a table, not an integer", 13},
        {"wrong type: array", replaced(valid, "sites = [\"S1\"]", "sites = \"S1\""),
         "cra_teams[0].sites", "must be an array", 33},
        {"wrong type: array element",
         replaced(valid, "credentials = [\"gcp\"]", "credentials = [1]"),
         "sites[0].staff[0].credentials[0]", "must be a string", 17},
        {"wrong type: table in array",
         replaced(valid, "arms = [ { name = \"a\", ratio = 1 } ]", "arms = [ 1 ]"), "trial.arms[0]",
         "must be a table", 6},
        {"wrong type: date",
         replaced(valid, "start_date = 2027-01-04", "start_date = \"2027-01-04\""),
         "trial.start_date", "must be a date", 3},
        {"not finite", replaced(valid, "rate_shape = 2", "rate_shape = inf"),
         "recruitment.rate_shape", "must be a finite number", 8},
        {"out of range",
         replaced(valid, "randomisation_target = 10", "randomisation_target = 99999999999"),
         "trial.randomisation_target", "is out of range", 4},
        {"negative", replaced(valid, "day = 10", "day = -1"), "protocol.visits[0].day",
         "must be between 0 and 36525", 23},
        {"not positive", replaced(valid, "repeat = 3", "repeat = 0"), "protocol.visits[0].repeat",
         "must be between 1 and 10000", 25},
        {"probability",
         replaced(valid, "country = \"DE\"", "country = \"DE\"\nscreen_failure_probability = 1.5"),
         "sites[0].screen_failure_probability", "must be >= 0 and < 1", 17},
        {"empty string", replaced(valid, "name = \"T\"", "name = \"\""), "trial.name",
         "must not be empty", 2},
        {"unknown distribution", replaced(valid, "\"uniform\", min = 10, max = 20", "\"weibull\""),
         "countries[0].approval_days.distribution", "unknown distribution \"weibull\"", 12},
        {"uniform max < min", replaced(valid, "min = 10, max = 20", "min = 30, max = 20"),
         "countries[0].approval_days.max", "must be >= min", 12},
        {"triangular mode",
         replaced(valid, "\"uniform\", min = 10, max = 20",
                  "\"triangular\", min = 10, mode = 30, max = 20"),
         "countries[0].approval_days.mode", "min <= mode <= max", 12},
        {"delay negative",
         replaced(valid, "approval_days = { distribution = \"uniform\", min = 10, max = 20 }",
                  "approval_days = -3"),
         "countries[0].approval_days", "must be between 0 and 36525", 12},
        {"delay wrong type",
         replaced(valid, "approval_days = { distribution = \"uniform\", min = 10, max = 20 }",
                  "approval_days = \"soon\""),
         "countries[0].approval_days", "a number of days or a distribution table", 12},
        {"impossible date",
         replaced(valid, "plan_target_met_date = 2027-12-01", "plan_target_met_date = 2027-02-30"),
         "", "TOML syntax error: Error while parsing date", 5},
        {"plan before start",
         replaced(valid, "plan_target_met_date = 2027-12-01", "plan_target_met_date = 2026-12-01"),
         "trial.plan_target_met_date", "must be after start_date", 5},
        {"no arms", replaced(valid, "arms = [ { name = \"a\", ratio = 1 } ]", "arms = []"),
         "trial.arms", "needs at least one arm", 6},
        {"utc offset", replaced(valid, "code = \"DE\"", "code = \"DE\"\nutc_offset_hours = 20"),
         "countries[0].utc_offset_hours", "between -12 and 14", 12},
        {"unknown weekday",
         replaced(valid, "code = \"DE\"", "code = \"DE\"\nworking_days = [\"Mon\", \"Fry\"]"),
         "countries[0].working_days", "unknown day \"Fry\"", 12},
        {"no working day", replaced(valid, "code = \"DE\"", "code = \"DE\"\nworking_days = []"),
         "countries[0].working_days", "at least one working day", 12},
        {"opening hour", replaced(valid, "country = \"DE\"", "country = \"DE\"\nopens_hour = 25"),
         "sites[0].opens_hour", "must be >= 0 and < 24", 17},
        {"hours per day",
         replaced(valid, "count = 1, credentials", "count = 1, hours_per_day = 30, credentials"),
         "sites[0].staff[0].hours_per_day", "must be > 0 and <= 24", 17},
        {"maintenance longer than cycle",
         replaced(valid, "slots_per_day = 2",
                  "slots_per_day = 2, maintenance_every_days = 5, maintenance_duration_days = 5"),
         "sites[0].equipment[0].maintenance_duration_days", "shorter than maintenance_every_days",
         18},
        {"maintenance without cycle",
         replaced(valid, "slots_per_day = 2", "slots_per_day = 2, maintenance_duration_days = 5"),
         "sites[0].equipment[0].maintenance_every_days",
         "must be > 0 when maintenance_duration_days", 18},
        {"repeat without interval", replaced(valid, "every_days = 10", "every_days = 0"),
         "protocol.visits[0].every_days", "must be >= 1 (day) when repeat > 1", 24},
        {"overlapping windows", replaced(valid, "window_after_days = 2", "window_after_days = 8"),
         "protocol.visits[0].window_after_days", "windows of consecutive repeats overlap", 27},
        {"window before randomisation",
         replaced(valid, "window_before_days = 2", "window_before_days = 12"),
         "protocol.visits[0].window_before_days", "before randomisation", 26},
        {"kits at screening",
         replaced(valid, "[protocol.screening]", "[protocol.screening]\nkits = 1"),
         "protocol.screening.kits", "no kits are dispensed at screening", 20},
        {"depot max <= min", replaced(valid, "depot_max_kits = 5", "depot_max_kits = 1"),
         "supply.depot_max_kits", "must be > depot_min_kits", 36},
        {"site max <= min", replaced(valid, "site_max_kits = 3", "site_max_kits = 1"),
         "supply.site_max_kits", "must be > site_min_kits", 38},
        {"expiry before release", replaced(valid, "expiry_day = 500", "expiry_day = 0.0"),
         "supply.batches[0].expiry_day", "must be after release_day", 39},
        {"no batches",
         replaced(valid, "batches = [ { release_day = 0, kits = 100, expiry_day = 500 } ]", ""),
         "supply.batches", "missing required key", 34},
        {"country depot max <= min",
         replaced(valid, "code = \"DE\"", "code = \"DE\"\ndepot_min_kits = 9\ndepot_max_kits = 9"),
         "countries[0].depot_max_kits", "must be > depot_min_kits", 13},
        {"duplicate country",
         replaced(valid, "[[sites]]", "[[countries]]\ncode = \"DE\"\n[[sites]]"),
         "countries[1].code", "duplicate country code \"DE\"", 14},
        {"duplicate site",
         valid + "[[sites]]\nid = \"S1\"\ncountry = \"DE\"\nstaff = [ { role = \"nurse\", count = "
                 "1 } ]\nequipment = [ { kind = \"CT\", slots_per_day = 1 } ]\n",
         "sites[1].id", "duplicate site id \"S1\"", 41},
        {"unknown country", replaced(valid, "country = \"DE\"", "country = \"FR\""),
         "sites[0].country", "unknown country \"FR\" (known: DE)", 16},
        {"no recruitment prior", replaced(valid, "rate_shape = 2\n", ""), "recruitment",
         "need [recruitment] rate_shape and rate_rate_days", 7},
        {"unknown CRA site", replaced(valid, "sites = [\"S1\"]", "sites = [\"S9\"]"),
         "cra_teams[0].sites", "unknown site \"S9\"", 33},
        {"kits without supply", replaced(valid, "[supply]", "[unused]"), "supply",
         "a [supply] table is required", 1},
        {"cost for a role nobody has",
         replaced(valid, "{ nurse = 40 }", "{ nurse = 40, surgeon = 90 }"),
         "countries[0].staff_cost_per_hour.surgeon", "no site has staff with role \"surgeon\"", 10},
        {"site lacks a role",
         replaced(valid, "{ role = \"nurse\", hours = 1 }", "{ role = \"pharmacist\", hours = 1 }"),
         "sites[0].staff", "has no pharmacist, needed by visit \"screening\"", 14},
        {"site lacks a credential",
         replaced(valid, "{ role = \"nurse\", hours = 1 }",
                  "{ role = \"nurse\", hours = 1, credential = \"oncology\" }"),
         "sites[0].staff", "has no nurse with credential \"oncology\"", 14},
        {"service level out of range", valid + "[policy]\nservice_level = 1\n",
         "policy.service_level", "must be > 0 and < 1",
         static_cast<int>(std::count(valid.begin(), valid.end(), '\n')) + 2},
        {"site lacks a machine",
         replaced(valid, "equipment = [ { kind = \"CT\" } ]", "equipment = [ { kind = \"MRI\" } ]"),
         "sites[0].equipment", "has no MRI, needed by visit \"v\"", 14},
    };
}

}  // namespace

// The case's text is refused, with its message at its key and line.
static void check_case(const Case& c) {
    const trial::LoadedScenario loaded = trial::load_scenario_text(c.text, "case.toml", known);
    CHECK_FALSE(loaded.scenario);
    REQUIRE_FALSE(loaded.errors.empty());
    std::string all;
    for (const auto& e : loaded.errors)
        all += e.to_string() + "\n";
    INFO(all);
    bool found = false;
    for (const auto& e : loaded.errors) {
        if (e.key == c.key && e.message.find(c.message) != std::string::npos) {
            found = true;
            CHECK(e.line == c.line);
            CHECK(e.file == "case.toml");
            CHECK(e.to_string().rfind("case.toml:" + std::to_string(c.line) + ":", 0) == 0);
        }
    }
    CHECK(found);
}

TEST_CASE("the reference scenario for these cases is valid", "[scenario]") {
    const trial::LoadedScenario loaded = trial::load_scenario_text(valid, "case.toml", known);
    for (const auto& e : loaded.errors)
        UNSCOPED_INFO(e.to_string());
    REQUIRE(loaded.errors.empty());
    REQUIRE(loaded.scenario);
    CHECK(loaded.scenario->trial.start_weekday == 0);  // 2027-01-04 is a Monday
    CHECK(loaded.scenario->trial.plan_target_met_day == 331);
    CHECK(loaded.scenario->countries[0].approval_days.kind == trial::Delay::Kind::uniform);
}

TEST_CASE("each invalid input gets its own message naming file, line and key",
          "[scenario][errors]") {
    for (const Case& c : cases()) {
        DYNAMIC_SECTION(c.what) {
            check_case(c);
        }
    }
}

namespace {

// `valid` with an endpoint and an analysis; each case below changes one thing, and names the
// line it expects by the text on it.
const std::string with_endpoints = valid + R"([[endpoints]]
name = "PFS"
distribution = "weibull"
shape = 1.2
median_months = 7
[[analyses]]
name = "final"
events = 8
cutoff_to_lock_days = 30
)";

int line_of(const std::string& text, const std::string& needle) {
    const auto at = text.find(needle);
    REQUIRE(at != std::string::npos);
    return 1 + static_cast<int>(std::count(text.begin(), text.begin() + at, '\n'));
}

std::vector<Case> endpoint_cases() {
    std::vector<Case> cases;
    auto add = [&](const char* what, const std::string& from, const std::string& to,
                   const char* key, const char* message, const std::string& on_line) {
        const std::string text = replaced(with_endpoints, from, to);
        cases.push_back({what, text, key, message, line_of(text, on_line)});
    };
    add("Weibull shape out of range", "shape = 1.2", "shape = 0", "endpoints[0].shape",
        "must be between", "shape = 0");
    add("unknown time-to-event distribution", "\"weibull\"", "\"lognormal\"",
        "endpoints[0].distribution", "unknown distribution \"lognormal\"", "lognormal");
    add("median of the wrong type", "median_months = 7", "median_months = \"7\"",
        "endpoints[0].median_months", "must be a number", "median_months");
    add("hazard ratio for an unknown arm", "median_months = 7",
        "median_months = 7\nhazard_ratio = { b = 0.7 }", "endpoints[0].hazard_ratio.b",
        "unknown arm \"b\"", "hazard_ratio");
    add("hazard ratio of the control arm", "median_months = 7",
        "median_months = 7\nhazard_ratio = { a = 0.7 }", "endpoints[0].hazard_ratio.a",
        "is the control arm", "hazard_ratio");
    add("cure fraction of 1", "median_months = 7", "median_months = 7\ncure_fraction = 1",
        "endpoints[0].cure_fraction", "must be", "cure_fraction");
    add("events beyond the patients", "events = 8", "events = 11", "analyses[0].events",
        "can never be reached", "events = 11");
    add("unknown endpoint", "events = 8", "events = 8\nendpoint = \"OS\"", "analyses[0].endpoint",
        "unknown endpoint \"OS\"", "endpoint = \"OS\"");
    add("analysis without a trigger", "events = 8\n", "", "analyses[0].events", "needs a trigger",
        "[[analyses]]");
    add("information fraction of the final itself", "events = 8", "information_fraction = 0.5",
        "analyses[0].information_fraction", "needs a later analysis", "information_fraction");
    add("calendar date before the start", "events = 8", "events = 8\ncalendar_date = 2026-01-01",
        "analyses[0].calendar_date", "must be after [trial] start_date", "calendar_date");
    add("negative lock delay", "cutoff_to_lock_days = 30", "cutoff_to_lock_days = -3",
        "analyses[0].cutoff_to_lock_days", "must be between", "cutoff_to_lock_days");
    add("readout plan before the start", "plan_target_met_date = 2027-12-01",
        "plan_target_met_date = 2027-12-01\nplan_readout_date = 2026-01-01",
        "trial.plan_readout_date", "must be after start_date", "plan_readout_date");
    add("follow-up contact with a repeat", "[[endpoints]]",
        "[protocol.follow_up]\nname = \"call\"\nevery_days = 90\nrepeat = 3\n[[endpoints]]",
        "protocol.follow_up.repeat", "not used here", "repeat = 3\n[[endpoints]]");
    add("follow-up contact without every_days", "[[endpoints]]",
        "[protocol.follow_up]\nname = \"call\"\n[[endpoints]]", "protocol.follow_up.every_days",
        "missing required key", "[protocol.follow_up]");
    add("interim needing more events than the final", "[[analyses]]",
        "[[analyses]]\nname = \"interim\"\nevents = 9\n[[analyses]]", "analyses[1].events",
        "needs more events than an earlier analysis", "name = \"final\"");
    return cases;
}

}  // namespace

TEST_CASE("endpoints and analyses: each invalid input gets file, line and key",
          "[scenario][errors][readout]") {
    {
        const trial::LoadedScenario loaded =
            trial::load_scenario_text(with_endpoints, "case.toml", known);
        for (const auto& e : loaded.errors)
            UNSCOPED_INFO(e.to_string());
        REQUIRE(loaded.scenario);
        REQUIRE(loaded.scenario->endpoints.size() == 1);
        CHECK(loaded.scenario->endpoints[0].by_arm.at(0).scale_days ==
              Approx(7 * 365.25 / 12 / std::pow(std::log(2.0), 1 / 1.2)));
    }
    for (const Case& c : endpoint_cases()) {
        DYNAMIC_SECTION(c.what) {
            check_case(c);
        }
    }
}

TEST_CASE("several errors are reported at once, in file order", "[scenario][errors]") {
    std::string text = replaced(valid, "rate_shape = 2", "rate_shape = -2");
    text = replaced(text, "country = \"DE\"", "country = \"XX\"");
    text = replaced(text, "repeat = 3", "repeat = \"three\"");
    const trial::LoadedScenario loaded = trial::load_scenario_text(text, "case.toml", known);
    REQUIRE(loaded.errors.size() == 3);
    CHECK(loaded.errors[0].line == 8);
    CHECK(loaded.errors[1].key == "sites[0].country");
    CHECK(loaded.errors[2].key == "protocol.visits[0].repeat");
}

TEST_CASE("a missing file is reported, not thrown", "[scenario][errors]") {
    const trial::LoadedScenario loaded =
        trial::load_scenario_file("/nonexistent/trial.toml", known);
    REQUIRE(loaded.errors.size() == 1);
    CHECK(loaded.errors[0].to_string() ==
          "/nonexistent/trial.toml:0:0: cannot open the scenario file: no such file");
}

TEST_CASE("every bundled scenario loads without errors", "[scenario]") {
    const std::filesystem::path dir = std::filesystem::path(TRIALTWIN_SOURCE_DIR) / "scenarios";
    int count = 0;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
        if (entry.path().extension() != ".toml") continue;
        ++count;
        const trial::LoadedScenario loaded =
            trial::load_scenario_file(entry.path().string(), known);
        for (const auto& e : loaded.errors)
            UNSCOPED_INFO(e.to_string());
        CHECK(loaded.scenario.has_value());
    }
    CHECK(count >= 6);
}
