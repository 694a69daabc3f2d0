// The native kernel alone (trialtwin_sim_native): Simulation's SimGrid hooks for programs
// built without the SimGrid kernel. Asking for it is an error; the hooks are never reached,
// since a simulation without a SimGrid kernel never takes the branches that call them.

#include <stdexcept>
#include <string>

#include "sim/simulation.hpp"

namespace sim {

class SimGridKernel {};

Simulation::Simulation(Kernel kernel) {
    if (kernel == Kernel::simgrid) {
        throw std::invalid_argument("sim: this program was built without the SimGrid kernel");
    }
}

Simulation::~Simulation() {
    destroy_processes();
}

void Simulation::simgrid_schedule_at(Wake, double) {}
void Simulation::simgrid_schedule_now(Wake) noexcept {}
void Simulation::simgrid_spawned(std::uint32_t) {}
void Simulation::simgrid_run(double, const std::function<bool()>*) {}

std::string kernel_description(Kernel kernel) {
    return std::string(name_of(kernel));
}

}  // namespace sim
