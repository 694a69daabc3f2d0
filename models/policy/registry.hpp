#pragma once
// Policies by name. An allocation policy is a class (policy.hpp) registered under a name;
// booking and resupply rules are modes of the model, named here so that scenarios and the
// command line can choose them. A policy as the command line names it combines one of each:
// "adaptive", "static+window_slack", "adaptive+window_slack+predictive"; parts left out keep
// the scenario's [policy] choice.

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "models/policy/policy.hpp"
#include "models/scenario/scenario_loader.hpp"

namespace trial {

using AllocationFactory = std::function<std::unique_ptr<AllocationPolicy>(const Scenario&)>;

// Adds (or replaces) a policy; call before any simulation starts (not thread-safe).
void register_allocation_policy(const std::string& name, const std::string& description,
                                AllocationFactory make);
// The scenario's allocation policy; throws std::invalid_argument if its name is unknown.
std::unique_ptr<AllocationPolicy> make_allocation_policy(const Scenario& scenario);

std::vector<std::string> allocation_policy_names();
std::vector<std::string> booking_rule_names();
std::vector<std::string> resupply_rule_names();
// All three, as the scenario loader is told them.
PolicyNames registered_policy_names();
// One line per name, for --help.
std::string describe_policies();

// Sets the parts of `policy` that `name` names; false with a message if a part is unknown or
// two parts choose the same thing.
bool apply_policy_name(const std::string& name, PolicySpec& policy, std::string& error);

// The built-in allocation policies.
std::unique_ptr<AllocationPolicy> make_static_policy(const Scenario&);
std::unique_ptr<AllocationPolicy> make_proportional_policy(const Scenario&);
std::unique_ptr<AllocationPolicy> make_adaptive_policy(const Scenario&);

}  // namespace trial
