#include "models/store/file_image.hpp"

#include <fcntl.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "models/files/replace_file.hpp"

namespace trial {
namespace {

std::string megabytes(double bytes) {
    char text[32];
    std::snprintf(text, sizeof text, "%.1f MB", bytes / 1e6);
    return text;
}

// "the file needs 7.5 MB; 0.1 MB free in /data"
std::string space_note(const std::string& path, std::size_t needed) {
    const std::filesystem::path folder = std::filesystem::absolute(path).parent_path();
    struct statvfs fs {};
    std::string note = "the file needs " + megabytes(static_cast<double>(needed));
    if (::statvfs(folder.c_str(), &fs) == 0) {
        note += "; " + megabytes(static_cast<double>(fs.f_bavail) * fs.f_frsize) + " free in " +
                folder.string();
    }
    return note;
}

}  // namespace

H5::H5File file_in_memory(const std::string& name) {
    H5::FileAccPropList access;
    access.setCore(std::size_t{4} << 20, false);  // grows 4 MB at a time; never backed by disk
    return H5::H5File(name, H5F_ACC_TRUNC, H5::FileCreatPropList::DEFAULT, access);
}

FileImage image_of(H5::H5File& file) {
    file.flush(H5F_SCOPE_GLOBAL);
    const ssize_t size = H5Fget_file_image(file.getId(), nullptr, 0);
    if (size < 0) throw H5::FileIException("image_of", "H5Fget_file_image failed");
    FileImage image(static_cast<std::size_t>(size));
    if (H5Fget_file_image(file.getId(), image.data(), image.size()) != size)
        throw H5::FileIException("image_of", "H5Fget_file_image failed");
    return image;
}

void put_on_disk(const std::string& path, std::shared_ptr<const FileImage> image,
                 const std::atomic<bool>* stop) {
    // A link's file is replaced, not the link; a device or a pipe is never replaced.
    const files::ReplaceTarget target = files::replace_target(path);
    if (!target.refusal.empty())
        throw ResultsNotWritten(path + ": cannot write results: the path " + target.refusal, image);
    const std::string temporary = target.path + ".tmp-" + std::to_string(::getpid());
    auto fail = [&](const std::string& why, int descriptor) {
        if (descriptor >= 0) ::close(descriptor);
        ::unlink(temporary.c_str());
        throw ResultsNotWritten(
            path + ": cannot write results: " + why + " (" + space_note(path, image->size()) + ")",
            image);
    };
    const int out = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (out < 0) fail(std::strerror(errno), -1);
    constexpr std::size_t block = std::size_t{8} << 20;
    for (std::size_t at = 0; at < image->size();) {
        if (stop && stop->load()) {
            ::close(out);
            ::unlink(temporary.c_str());
            throw WritingStopped(path + ": stopped while writing; nothing was written");
        }
        const ssize_t wrote = ::write(out, image->data() + at, std::min(block, image->size() - at));
        if (wrote < 0 && errno == EINTR) continue;
        if (wrote <= 0) fail(wrote < 0 ? std::strerror(errno) : "the disk took no more", out);
        at += static_cast<std::size_t>(wrote);
    }
    if (::fsync(out) != 0) fail(std::strerror(errno), out);
    if (::close(out) != 0) fail(std::strerror(errno), -1);
    const std::string not_renamed = files::put_in_place(temporary, target.path);
    if (!not_renamed.empty()) fail(not_renamed, -1);
}

}  // namespace trial
