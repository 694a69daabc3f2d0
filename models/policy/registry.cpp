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
std::string describe_allocation_policies() {
    std::ostringstream out;
    for (const Entry& e : allocation_registry())
        out << "  " << e.name << ": " << e.description << "\n";
    return out.str();
}

}  // namespace trial
