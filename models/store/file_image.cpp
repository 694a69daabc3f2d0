#include "models/store/file_image.hpp"

#include <sys/statvfs.h>

#include <cstdio>
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
    const files::WriteOutcome written =
        files::write_whole_file(path, {image->data(), image->size()}, stop);
    if (written.stopped)
        throw WritingStopped(path + ": stopped while writing; nothing was written");
    if (!written.done())
        throw ResultsNotWritten(path + ": cannot write results: " + written.error + " (" +
                                    space_note(path, image->size()) + ")",
                                image);
}

}  // namespace trial
