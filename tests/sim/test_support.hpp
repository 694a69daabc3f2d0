#pragma once
// A log of (day, what happened) that test processes append to.

#include <string>
#include <utility>
#include <vector>

#include "sim/simulation.hpp"

namespace test {

struct Log {
    explicit Log(sim::Simulation& simulation) : sim(simulation) {}
    sim::Simulation& sim;
    std::vector<std::pair<double, std::string>> entries;
    void operator()(std::string what) { entries.emplace_back(sim.now(), std::move(what)); }
    std::vector<std::string> names() const {
        std::vector<std::string> out;
        for (const auto& entry : entries)
            out.push_back(entry.second);
        return out;
    }
};

}  // namespace test
