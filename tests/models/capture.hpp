#pragma once
// Test helpers: load bundled scenarios, and a recorder that keeps what it is told.

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "models/policy/registry.hpp"
#include "models/scenario/scenario_loader.hpp"
#include "models/trial/recorder.hpp"
#include "models/trial/rules.hpp"

namespace test {

inline trial::Scenario load_bundled(const std::string& relative_path) {
    const std::string path = std::string(TRIALTWIN_SOURCE_DIR) + "/scenarios/" + relative_path;
    trial::LoadedScenario loaded =
        trial::load_scenario_file(path, trial::registered_policy_names());
    for (const auto& e : loaded.errors)
        UNSCOPED_INFO(e.to_string());
    REQUIRE(loaded.scenario);
    return std::move(*loaded.scenario);
}

inline trial::Scenario load_text(const std::string& text) {
    trial::LoadedScenario loaded =
        trial::load_scenario_text(text, "test.toml", trial::registered_policy_names());
    for (const auto& e : loaded.errors)
        UNSCOPED_INFO(e.to_string());
    REQUIRE(loaded.scenario);
    return std::move(*loaded.scenario);
}

struct Capture final : trial::Recorder {
    struct Visit {
        trial::VisitRef ref;
        double target_day, day;
    };
    struct Deviation {
        trial::VisitRef ref;
        trial::DeviationKind kind;
        trial::Cause cause;
        double day;
    };
    std::vector<std::pair<int, double>> activations, stock_outs, monitoring;
    std::vector<Visit> visits;
    std::vector<Deviation> deviations;
    std::vector<std::pair<trial::VisitRef, double>> dropouts, completions, randomisations;

    void site_activated(int site, double day) override { activations.push_back({site, day}); }
    void stock_out(int site, double day) override { stock_outs.push_back({site, day}); }
    void monitoring_visit(int site, double day) override { monitoring.push_back({site, day}); }
    void visit_done(const trial::VisitRef& v, double target, double day) override {
        visits.push_back({v, target, day});
    }
    void deviation(const trial::VisitRef& v, trial::DeviationKind kind, trial::Cause cause,
                   double day) override {
        deviations.push_back({v, kind, cause, day});
    }
    void dropped_out(const trial::VisitRef& p, double day) override {
        dropouts.push_back({p, day});
    }
    void completed(const trial::VisitRef& p, double day) override {
        completions.push_back({p, day});
    }
    void randomised(const trial::VisitRef& p, int, double day) override {
        randomisations.push_back({p, day});
    }
};

}  // namespace test
