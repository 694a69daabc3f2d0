#include "models/h5/survives.hpp"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <thread>

namespace h5 {

std::optional<std::string> crashes_or_hangs(const std::function<void()>& read, double seconds) {
    const pid_t child = ::fork();
    if (child < 0) return std::nullopt;  // cannot tell: read as usual
    if (child == 0) {
        try {
            read();
        } catch (...) {
        }
        ::_exit(0);
    }
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
    auto pause = std::chrono::microseconds(200);
    for (;;) {
        int status = 0;
        const pid_t done = ::waitpid(child, &status, WNOHANG);
        if (done == child) {
            if (WIFSIGNALED(status)) {
                return "the HDF5 library crashed reading it (signal " +
                       std::to_string(WTERMSIG(status)) + ")";
            }
            // The child leaves with 0 whatever `read` did; anything else is a runtime that
            // stopped it (a sanitizer's report, std::terminate).
            if (WIFEXITED(status) && WEXITSTATUS(status) != 0) {
                return "the HDF5 library failed reading it (exit " +
                       std::to_string(WEXITSTATUS(status)) + ")";
            }
            return std::nullopt;
        }
        if (done < 0) return std::nullopt;
        if (std::chrono::steady_clock::now() > deadline) {
            ::kill(child, SIGKILL);
            ::waitpid(child, &status, 0);
            return "reading it did not finish in " + std::to_string(static_cast<int>(seconds)) +
                   " s (the HDF5 library loops on it)";
        }
        std::this_thread::sleep_for(pause);
        pause = std::min(pause * 2, std::chrono::microseconds(50'000));
    }
}

double reading_time_limit(const std::string& path) {
    // Tests shorten it (a file on which the library loops takes the whole limit).
    if (const char* set = std::getenv("TRIALTWIN_READ_SECONDS")) {
        const double seconds = std::atof(set);
        if (seconds > 0) return seconds;
    }
    std::error_code error;
    const auto bytes = std::filesystem::file_size(path, error);
    return 20.0 + (error ? 0.0 : 2.0 * static_cast<double>(bytes) / 10e6);
}

}  // namespace h5
