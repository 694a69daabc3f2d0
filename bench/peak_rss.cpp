#include "bench/peak_rss.hpp"

#include <fstream>
#include <string>

namespace bench {

double peak_rss_mib() {
    std::ifstream status("/proc/self/status");
    std::string key;
    while (status >> key) {
        if (key == "VmHWM:") {
            double kib = 0;
            status >> kib;
            return kib / 1024.0;
        }
        status.ignore(1 << 12, '\n');
    }
    return -1.0;
}

}  // namespace bench
