#include "models/scenario/scenario.hpp"

namespace trial {

int Scenario::country_index(const std::string& code) const {
    for (std::size_t i = 0; i < countries.size(); ++i) {
        if (countries[i].code == code) return static_cast<int>(i);
    }
    return -1;
}

int Scenario::site_index(const std::string& id) const {
    for (std::size_t i = 0; i < sites.size(); ++i) {
        if (sites[i].id == id) return static_cast<int>(i);
    }
    return -1;
}

}  // namespace trial
