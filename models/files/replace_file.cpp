#include "models/files/replace_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <system_error>

namespace files {
namespace {

// What a path that is not a regular file names, as a user would call it.
std::string kind_of(std::filesystem::file_type type) {
    using std::filesystem::file_type;
    switch (type) {
        case file_type::directory:
            return "is a folder";
        case file_type::character:
            return "is a device (like /dev/null), not a file";
        case file_type::block:
            return "is a disk device, not a file";
        case file_type::fifo:
            return "is a pipe, not a file";
        case file_type::socket:
            return "is a socket, not a file";
        default:
            return "is not a regular file";
    }
}

}  // namespace

ReplaceTarget replace_target(const std::string& path) {
    namespace fs = std::filesystem;
    std::error_code error;
    // Followed through every link (also /dev/stdout's, which only the system can follow).
    const fs::file_status followed = fs::status(path, error);
    if (error && followed.type() != fs::file_type::not_found)
        return {"", "cannot be looked at (" + error.message() + ")"};
    if (fs::exists(followed) && !fs::is_regular_file(followed))
        return {"", kind_of(followed.type())};
    const fs::file_status own = fs::symlink_status(path, error);
    if (!fs::is_symlink(own)) return {path, ""};
    // A link: the file it names, or, for a link to nothing yet, where that file would be.
    if (fs::exists(followed)) {
        const fs::path named = fs::canonical(path, error);
        if (error) return {"", "is a link that cannot be followed (" + error.message() + ")"};
        return {named.string(), ""};
    }
    fs::path at = path;
    for (int links = 0; fs::is_symlink(fs::symlink_status(at, error)); ++links) {
        const fs::path next = fs::read_symlink(at, error);
        if (error || links == 40)
            return {"", "is a link that cannot be followed (" +
                            (error ? error.message() : std::string("a loop")) + ")"};
        at = next.is_absolute() ? next : at.parent_path() / next;
    }
    return {at.string(), ""};
}

WriteOutcome write_whole_file(const std::string& path, std::string_view bytes,
                              const std::atomic<bool>* stop) {
    const ReplaceTarget target = replace_target(path);
    if (!target.refusal.empty()) return {"the path " + target.refusal};
    const std::string temporary = target.path + ".tmp-" + std::to_string(::getpid());
    const int out = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (out < 0) return {std::strerror(errno)};
    auto give_up = [&](WriteOutcome outcome, bool open) {
        if (open) ::close(out);
        ::unlink(temporary.c_str());
        return outcome;
    };
    constexpr std::size_t block = std::size_t{8} << 20;
    for (std::size_t at = 0; at < bytes.size();) {
        if (stop && stop->load()) return give_up({"", true}, true);
        const ssize_t wrote = ::write(out, bytes.data() + at, std::min(block, bytes.size() - at));
        if (wrote < 0 && errno == EINTR) continue;
        if (wrote <= 0)
            return give_up({wrote < 0 ? std::strerror(errno) : "the disk took no more"}, true);
        at += static_cast<std::size_t>(wrote);
    }
    if (::fsync(out) != 0) return give_up({std::strerror(errno)}, true);
    if (::close(out) != 0) return give_up({std::strerror(errno)}, false);
    const std::string not_renamed = put_in_place(temporary, target.path);
    if (!not_renamed.empty()) return give_up({not_renamed}, false);
    return {};
}

std::string put_in_place(const std::string& temporary, const std::string& target) {
    if (std::rename(temporary.c_str(), target.c_str()) == 0) return "";
    return std::strerror(errno);
}

}  // namespace files
