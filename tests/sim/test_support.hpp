#pragma once
// A log of (day, what happened) that test processes append to.

#include <catch2/catch.hpp>
#include <string>
#include <utility>
#include <vector>

#include "sim/simulation.hpp"

// The kernel's behaviour tests run once on each kernel (a Catch2 generator): both kernels
// must pass them unchanged. `sim::Simulation sim{EACH_KERNEL};`
#define EACH_KERNEL test::announce(GENERATE(sim::Kernel::native, sim::Kernel::simgrid))

namespace test {

inline sim::Kernel announce(sim::Kernel kernel) {
    UNSCOPED_INFO("kernel: " << sim::name_of(kernel));
    return kernel;
}

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
