#pragma once
// The rules a policy is made of, by name. A policy as the command line names it combines an
// allocation policy (models/policy/registry.hpp) with a booking rule (booking_rule.hpp) and a
// resupply rule (resupply_rule.hpp): "adaptive", "static+window_slack",
// "adaptive+window_slack+predictive"; parts left out keep the scenario's [policy] choice.
// Booking and resupply rules are registered like allocation policies: a class and a name.

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "models/scenario/scenario.hpp"
#include "models/scenario/scenario_loader.hpp"
#include "models/trial/booking_rule.hpp"
#include "models/trial/resupply_rule.hpp"

namespace trial {

using BookingRuleFactory = std::function<std::unique_ptr<BookingRule>(const Scenario&)>;
using ResupplyRuleFactory = std::function<std::unique_ptr<ResupplyRule>(const Scenario&)>;

// Add (or replace) a rule; call before any simulation starts (not thread-safe).
void register_booking_rule(const std::string& name, const std::string& description,
                           BookingRuleFactory make);
void register_resupply_rule(const std::string& name, const std::string& description,
                            ResupplyRuleFactory make);
// The scenario's rules; throw std::invalid_argument if a name is unknown.
std::unique_ptr<BookingRule> make_booking_rule(const Scenario& scenario);
std::unique_ptr<ResupplyRule> make_resupply_rule(const Scenario& scenario);

std::vector<std::string> booking_rule_names();
std::vector<std::string> resupply_rule_names();
// Every allocation policy, booking and resupply rule, as the scenario loader is told them.
PolicyNames registered_policy_names();
// One line per name, for --help.
std::string describe_policies();

// Sets the parts of `policy` that `name` names; false with a message if a part is unknown or
// two parts choose the same thing.
bool apply_policy_name(const std::string& name, PolicySpec& policy, std::string& error);

}  // namespace trial
