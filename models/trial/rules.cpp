#include "models/trial/rules.hpp"

#include <algorithm>
#include <sstream>
#include <stdexcept>

#include "models/policy/registry.hpp"

namespace trial {
namespace {

template <class Factory>
struct Rule {
    std::string name;
    std::string description;
    Factory make;
};

std::vector<Rule<BookingRuleFactory>>& booking_rules() {
    static std::vector<Rule<BookingRuleFactory>> rules{
        {"fcfs", "visits booked the moment they are requested, first come first served",
         make_fcfs_booking},
        {"window_slack",
         "each day the site fills the day booking_horizon_days ahead, least slack to the "
         "window's end first (earliest deadline first)",
         make_window_slack_booking},
    };
    return rules;
}

std::vector<Rule<ResupplyRuleFactory>>& resupply_rules() {
    static std::vector<Rule<ResupplyRuleFactory>> rules{
        {"buffer", "min/max stock levels from [supply] and the countries", make_buffer_resupply},
        {"predictive",
         "reorder points from forecast kit demand over the lead time (patients on treatment and "
         "expected new ones)",
         make_predictive_resupply},
    };
    return rules;
}

template <class Factory>
void add(std::vector<Rule<Factory>>& rules, const std::string& name, const std::string& description,
         Factory make) {
    for (Rule<Factory>& r : rules) {
        if (r.name == name) {
            r = {name, description, std::move(make)};
            return;
        }
    }
    rules.push_back({name, description, std::move(make)});
}

template <class Factory>
auto make(const std::vector<Rule<Factory>>& rules, const std::string& name, const char* what,
          const Scenario& scenario) {
    for (const Rule<Factory>& r : rules) {
        if (r.name == name) return r.make(scenario);
    }
    throw std::invalid_argument("unknown " + std::string(what) + " rule \"" + name + "\"");
}

template <class Factory>
std::vector<std::string> names_of(const std::vector<Rule<Factory>>& rules) {
    std::vector<std::string> names;
    for (const Rule<Factory>& r : rules)
        names.push_back(r.name);
    return names;
}

template <class Factory>
void describe(std::ostream& out, const std::vector<Rule<Factory>>& rules) {
    for (const Rule<Factory>& r : rules)
        out << "  " << r.name << ": " << r.description << "\n";
}

}  // namespace

void register_booking_rule(const std::string& name, const std::string& description,
                           BookingRuleFactory factory) {
    add(booking_rules(), name, description, std::move(factory));
}
void register_resupply_rule(const std::string& name, const std::string& description,
                            ResupplyRuleFactory factory) {
    add(resupply_rules(), name, description, std::move(factory));
}
std::unique_ptr<BookingRule> make_booking_rule(const Scenario& scenario) {
    return make(booking_rules(), scenario.policy.booking, "booking", scenario);
}
std::unique_ptr<ResupplyRule> make_resupply_rule(const Scenario& scenario) {
    return make(resupply_rules(), scenario.policy.resupply, "resupply", scenario);
}
std::vector<std::string> booking_rule_names() {
    return names_of(booking_rules());
}
std::vector<std::string> resupply_rule_names() {
    return names_of(resupply_rules());
}

PolicyNames registered_policy_names() {
    return {allocation_policy_names(), booking_rule_names(), resupply_rule_names()};
}

std::string describe_policies() {
    std::ostringstream out;
    out << "allocation:\n" << describe_allocation_policies();
    out << "booking:\n";
    describe(out, booking_rules());
    out << "resupply:\n";
    describe(out, resupply_rules());
    return out.str();
}

bool apply_policy_name(const std::string& name, PolicySpec& policy, std::string& error) {
    std::stringstream parts(name);
    std::string part;
    bool allocation = false, booking = false, resupply = false;
    auto twice = [&](bool& seen, const char* what) {
        if (seen) error = "policy \"" + name + "\" names two " + what + " rules";
        const bool again = seen;
        seen = true;
        return again;
    };
    if (name.empty()) {
        error = "empty policy name";
        return false;
    }
    while (std::getline(parts, part, '+')) {
        const auto has = [&part](const std::vector<std::string>& names) {
            return std::find(names.begin(), names.end(), part) != names.end();
        };
        if (has(allocation_policy_names())) {
            if (twice(allocation, "allocation")) return false;
            policy.allocation = part;
        } else if (has(booking_rule_names())) {
            if (twice(booking, "booking")) return false;
            policy.booking = part;
        } else if (has(resupply_rule_names())) {
            if (twice(resupply, "resupply")) return false;
            policy.resupply = part;
        } else {
            std::string known;
            for (const auto& list :
                 {allocation_policy_names(), booking_rule_names(), resupply_rule_names()}) {
                for (const std::string& n : list)
                    known += (known.empty() ? "" : ", ") + n;
            }
            error = "unknown policy \"" + part + "\" in \"" + name + "\" (known: " + known +
                    "; combine with +, e.g. adaptive+window_slack+predictive)";
            return false;
        }
    }
    return true;
}

}  // namespace trial
