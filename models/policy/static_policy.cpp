// static: the plan as written. Staff stay where the scenario puts them, backup sites stay
// closed; the trial is still watched (anomaly flags are raised under every policy).

#include "models/policy/registry.hpp"

namespace trial {
namespace {

class StaticPolicy final : public AllocationPolicy {
  public:
    void decide(const TrialView&, const TrialForecast&, TrialControl&) override {}
    ObservationNeeds needs() const override {
        return {.trial = false, .bookings_ahead = false, .changes_effort = false};
    }
};

}  // namespace

std::unique_ptr<AllocationPolicy> make_static_policy(const Scenario&) {
    return std::make_unique<StaticPolicy>();
}

}  // namespace trial
