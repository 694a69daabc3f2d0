#pragma once
#include <cstddef>
namespace bench {
// The process's peak resident set so far, in MiB (Linux: VmHWM).
double peak_rss_mib();
}  // namespace bench
