#include "models/policy/registry.hpp"

#include <algorithm>
#include <sstream>
#include <stdexcept>

namespace trial {
namespace {

struct Entry {
    std::string name;
    std::string description;
    AllocationFactory make;
};

std::vector<Entry>& allocation_registry() {
    static std::vector<Entry> entries{
        {"static", "the plan as written: nobody moves, no backup site opens", make_static_policy},
        {"proportional",
         "effort-role hours shared among recruiting sites in proportion to their forecast "
         "enrollment (same total)",
         make_proportional_policy},
        {"adaptive",
         "Poisson-gamma forecast per site; effort hours moved to where they raise enrollment "
         "most; staff cut to booked work once a site stops recruiting; backup sites opened when "
         "P(plan date met) falls below the trigger",
         make_adaptive_policy},
    };
    return entries;
}

const std::vector<std::pair<std::string, std::string>> booking_rules{
    {"fcfs", "visits booked the moment they are requested, first come first served"},
    {"window_slack",
     "each day the site fills the day booking_horizon_days ahead, least slack to the window's "
     "end first (earliest deadline first)"},
};
const std::vector<std::pair<std::string, std::string>> resupply_rules{
    {"buffer", "min/max stock levels from [supply] and the countries"},
    {"predictive",
     "reorder points from forecast kit demand over the lead time (patients on treatment and "
     "expected new ones)"},
};

std::vector<std::string> names_of(const std::vector<std::pair<std::string, std::string>>& rules) {
    std::vector<std::string> names;
    for (const auto& [name, description] : rules)
        names.push_back(name);
    return names;
}

}  // namespace

void register_allocation_policy(const std::string& name, const std::string& description,
                                AllocationFactory make) {
    auto& entries = allocation_registry();
    for (Entry& e : entries) {
        if (e.name == name) {
            e = {name, description, std::move(make)};
            return;
        }
    }
    entries.push_back({name, description, std::move(make)});
}

std::unique_ptr<AllocationPolicy> make_allocation_policy(const Scenario& scenario) {
    for (const Entry& e : allocation_registry()) {
        if (e.name == scenario.policy.allocation) return e.make(scenario);
    }
    throw std::invalid_argument("unknown allocation policy \"" + scenario.policy.allocation + "\"");
}

std::vector<std::string> allocation_policy_names() {
    std::vector<std::string> names;
    for (const Entry& e : allocation_registry())
        names.push_back(e.name);
    return names;
}
std::vector<std::string> booking_rule_names() {
    return names_of(booking_rules);
}
std::vector<std::string> resupply_rule_names() {
    return names_of(resupply_rules);
}

PolicyNames registered_policy_names() {
    return {allocation_policy_names(), booking_rule_names(), resupply_rule_names()};
}

std::string describe_policies() {
    std::ostringstream out;
    out << "allocation:\n";
    for (const Entry& e : allocation_registry())
        out << "  " << e.name << ": " << e.description << "\n";
    out << "booking:\n";
    for (const auto& [name, description] : booking_rules)
        out << "  " << name << ": " << description << "\n";
    out << "resupply:\n";
    for (const auto& [name, description] : resupply_rules)
        out << "  " << name << ": " << description << "\n";
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
