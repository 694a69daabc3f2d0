#pragma once
// The HDF5 library itself can crash or loop forever on a damaged file (fuzzing found a global
// heap it reads without end), and no check before reading can rule that out. So a reader of a
// file from outside first reads it in a child process: if the child is killed by a signal or
// does not finish in time, the file is refused with a message, and the real read never starts.

#include <functional>
#include <optional>
#include <string>

namespace h5 {

// Runs `read` in a forked child. Nothing if it ended (normally or by an exception); else what
// happened ("the HDF5 library crashed reading it (signal 11)", "reading it did not finish in
// 20 s"). `seconds`: how long reading may take before it is taken as a hang.
std::optional<std::string> crashes_or_hangs(const std::function<void()>& read, double seconds);

// Time to allow for reading a file of this size: 20 s, and 2 s more for each 10 MB (or
// TRIALTWIN_READ_SECONDS, for tests).
double reading_time_limit(const std::string& path);

}  // namespace h5
