// Fuzz target: any bytes as a scenario file. The loader either refuses them with messages or
// accepts them; an accepted scenario then runs one replication, which must end (the fuzzer's
// -timeout) without a crash: what `validate` accepts must run (issue 24).

#include <cstddef>
#include <cstdint>
#include <string>

#include "models/scenario/scenario_loader.hpp"
#include "models/trial/rules.hpp"
#include "models/trial/trial.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const trial::PolicyNames names = trial::registered_policy_names();
    const std::string text(reinterpret_cast<const char*>(data), size);
    const trial::LoadedScenario loaded = trial::load_scenario_text(text, "fuzz.toml", names);
    if (!loaded.scenario) return 0;
    if (loaded.scenario->sites.size() > 200) return 0;  // accepted; too slow to run here
    try {
        trial::run_replication(*loaded.scenario, 1, 0);
    } catch (const std::exception&) {
        // A replication may fail with a message (the runner reports it): not a crash.
    }
    return 0;
}
