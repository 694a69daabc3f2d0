#include "models/files/replace_file.hpp"

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

std::string put_in_place(const std::string& temporary, const std::string& target) {
    if (std::rename(temporary.c_str(), target.c_str()) == 0) return "";
    return std::strerror(errno);
}

}  // namespace files
