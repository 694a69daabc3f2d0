// Staffing as a lever (issue 25): a site recruits at its stated rate at the effort model's
// reference hours, and faster or slower with more or fewer effort-role hours. With every site
// open at day 0 at a fixed rate and nothing else in the way, a constant multiplier m scales
// every arrival time by 1/m under the same random numbers, so the time to target of the
// variant is exactly the baseline's divided by the model's m, replication by replication.

#include <catch2/catch.hpp>
#include <cmath>
#include <sstream>

#include "models/policy/effort_model.hpp"
#include "models/trial/trial.hpp"
#include "tests/models/capture.hpp"

namespace {

std::string staffed_scenario(int coordinators, const std::string& effort_table) {
    std::ostringstream toml;
    toml << "[trial]\nname = \"effort\"\nstart_date = 2027-01-04\nrandomisation_target = 40\n"
         << "plan_target_met_date = 2028-01-01\nhorizon_days = 36500\n"
         << "[[countries]]\ncode = \"XX\"\n[protocol.screening]\n"
         << effort_table;
    for (int s = 0; s < 8; ++s) {
        toml << "[[sites]]\nid = \"S" << s << "\"\ncountry = \"XX\"\n"
             << "recruitment_rate_per_day = " << 0.02 + 0.01 * s << "\n"
             << "staff = [ { role = \"coordinator\", count = " << coordinators
             << ", hours_per_day = 8 } ]\n";
    }
    return toml.str();
}

void check_scaled(const trial::Scenario& base, const trial::Scenario& variant, double m) {
    for (int r = 0; r < 50; ++r) {
        const double t0 = trial::run_replication(base, 3, r).target_met_day;
        const double t1 = trial::run_replication(variant, 3, r).target_met_day;
        REQUIRE(std::isfinite(t0));
        CHECK(t1 * m == Approx(t0).epsilon(1e-9));
    }
}

}  // namespace

TEST_CASE("twice the coordinators shorten enrollment by what the effort model says", "[effort]") {
    const trial::Scenario base = test::load_text(staffed_scenario(1, ""));
    trial::Scenario doubled = test::load_text(staffed_scenario(2, ""));
    // As written, each scenario's staffing is its own reference: staffing cannot move it ...
    check_scaled(base, doubled, 1.0);
    // ... a variant keeps the baseline's staffing as its reference (compare --variant, sweep).
    trial::pin_effort_reference(doubled, base);
    const trial::EffortSpec effort;  // the defaults: max uplift 0.5, half at 15 h a week
    const double m = trial::recruitment_multiplier(effort, 40.0, 80.0);
    CHECK(m == Approx(1 + 0.5 * 40 / (40 + 15.0)));
    check_scaled(base, doubled, m);
    // Half the coordinators (4 h a day each): rate × (20/40)^1.
    trial::Scenario halved = test::load_text(staffed_scenario(1, ""));
    for (trial::SiteSpec& site : halved.sites)
        site.staff[0].hours_per_day = 4;
    trial::pin_effort_reference(halved, base);
    check_scaled(base, halved, 0.5);
}

TEST_CASE("an explicit effort reference is the staffing at which a site recruits its rate",
          "[effort]") {
    // Rates stated at 20 h a week; the sites are staffed with 40.
    const trial::Scenario at_reference =
        test::load_text(staffed_scenario(1, "[effort]\nreference_hours_per_week = 40\n"));
    const trial::Scenario above =
        test::load_text(staffed_scenario(1, "[effort]\nreference_hours_per_week = 20\n"));
    check_scaled(at_reference, above, 1 + 0.5 * 20 / (20 + 15.0));
    // A site's own reference overrides [effort]'s.
    std::string text = staffed_scenario(1, "[effort]\nreference_hours_per_week = 20\n");
    std::size_t at = 0;
    while ((at = text.find("country = \"XX\"\nrecruitment", at)) != std::string::npos) {
        text.insert(at, "effort_reference_hours_per_week = 40\n");
        at += 60;
    }
    check_scaled(at_reference, test::load_text(text), 1.0);
}
