#pragma once
// Allocation policies by name: each a class (policy.hpp) registered under a name. The booking
// and resupply rules a policy combines with ("adaptive+window_slack+predictive") act on the
// running trial, and are registered with it (models/trial/rules.hpp).

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "models/policy/policy.hpp"

namespace trial {

using AllocationFactory = std::function<std::unique_ptr<AllocationPolicy>(const Scenario&)>;

// Adds (or replaces) a policy; call before any simulation starts (not thread-safe).
void register_allocation_policy(const std::string& name, const std::string& description,
                                AllocationFactory make);
// The scenario's allocation policy; throws std::invalid_argument if its name is unknown.
std::unique_ptr<AllocationPolicy> make_allocation_policy(const Scenario& scenario);

std::vector<std::string> allocation_policy_names();
// One line per name, for --help.
std::string describe_allocation_policies();

// The built-in allocation policies.
std::unique_ptr<AllocationPolicy> make_static_policy(const Scenario&);
std::unique_ptr<AllocationPolicy> make_proportional_policy(const Scenario&);
std::unique_ptr<AllocationPolicy> make_adaptive_policy(const Scenario&);

}  // namespace trial
