#include "models/files/input_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string_view>

namespace files {
namespace {

// Why `text` is not UTF-8 text, as far as its first bytes tell: a spreadsheet's "Unicode text"
// (UTF-16, with or without its byte-order mark: every other byte of ASCII is NUL), or a binary
// file (a results file given as a scenario). Empty when it may be text.
std::string not_text(const std::string& text) {
    const std::string_view head(text.data(), std::min<std::size_t>(text.size(), 4096));
    const auto starts = [&](std::string_view bom) { return head.substr(0, bom.size()) == bom; };
    using namespace std::string_view_literals;
    if (starts("\xFF\xFE"sv) || starts("\xFE\xFF"sv) ||
        (head.size() >= 4 && ((head[0] != 0 && head[1] == 0 && head[3] == 0) ||
                              (head[0] == 0 && head[1] != 0 && head[2] == 0))))
        return "is saved as UTF-16 (\"Unicode text\"): save it as UTF-8 text, in a spreadsheet as "
               "\"CSV UTF-8\"";
    if (head.find('\0') != std::string_view::npos)
        return "is not a text file: it holds NUL bytes (a results file? an archive?)";
    return "";
}

}  // namespace

std::string input_problem(const std::string& path, bool pipes) {
    struct stat about {};
    if (::stat(path.c_str(), &about) != 0) {
        if (errno == ENOENT || errno == ENOTDIR) return "no such file";
        return std::string("cannot be read (") + std::strerror(errno) + ")";
    }
    if (S_ISREG(about.st_mode)) return "";
    if (S_ISDIR(about.st_mode)) return "is a folder, not a file";
    if (S_ISFIFO(about.st_mode))
        return pipes ? "" : "is a pipe, not a file (a results file is read from disk)";
    if (S_ISCHR(about.st_mode) || S_ISBLK(about.st_mode)) return "is a device, not a file";
    return "is not a regular file";
}

TextInput read_text_input(const std::string& path, std::size_t max_bytes) {
    TextInput input;
    input.problem = input_problem(path, true);
    if (!input.problem.empty()) return input;
    const int descriptor = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (descriptor < 0) {
        input.problem = std::string("cannot be read (") + std::strerror(errno) + ")";
        return input;
    }
    constexpr std::size_t block = std::size_t{1} << 20;
    for (;;) {
        const std::size_t at = input.text.size();
        input.text.resize(at + block);
        const ssize_t got = ::read(descriptor, input.text.data() + at, block);
        if (got < 0 && errno == EINTR) {
            input.text.resize(at);
            continue;
        }
        if (got < 0) {
            input.problem = std::string("cannot be read (") + std::strerror(errno) + ")";
            input.text.clear();
            break;
        }
        input.text.resize(at + static_cast<std::size_t>(got));
        if (got == 0) break;
        if (input.text.size() > max_bytes) {
            input.problem = "is larger than " + std::to_string(max_bytes >> 20) +
                            " MB, more than any input of its kind: is it the right file?";
            input.text.clear();
            break;
        }
    }
    ::close(descriptor);
    if (input.problem.empty()) input.problem = not_text(input.text);
    if (!input.problem.empty()) {
        input.text.clear();
        input.text.shrink_to_fit();
    }
    return input;
}

}  // namespace files
