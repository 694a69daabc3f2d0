// Fuzz target: any bytes as a results file, read by the visualizer's loader (which `render` and
// the window use) without its child-process guard, so that the fuzzer sees the reading itself.
// It either loads or gives a LoadError; never a crash (issue 24). Inputs on which the HDF5
// library itself loops are the guard's to refuse (scripts/fuzz.sh ignores timeouts here).

#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "viz/results.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const std::string path =
        "/tmp/trialtwin-fuzz-results-" + std::to_string(::getpid()) + ".h5";
    std::FILE* file = std::fopen(path.c_str(), "wb");
    if (!file) return 0;
    std::fwrite(data, 1, size, file);
    std::fclose(file);
    // TRIALTWIN_FUZZ_GUARDED=1: as the programs read it, with the child-process guard (how
    // scripts/fuzz.sh checks that a fault inside the HDF5 library is refused, not a crash).
    static const bool guarded = std::getenv("TRIALTWIN_FUZZ_GUARDED") != nullptr;
    try {
        const viz::ResultsFile r = guarded ? viz::load_results(path) : viz::read_results(path);
        (void)r;
    } catch (const viz::LoadError&) {
    }
    std::remove(path.c_str());
    return 0;
}
