#pragma once
// A results file is built in memory (HDF5's core driver) and then put on disk in one go with
// plain writes, so that a disk that fills up, a quota or a read-only folder is an ordinary
// error: the bytes of the finished run are still in memory to be written elsewhere, nothing is
// left behind, and HDF5 never holds a half-written file open (which crashed its shutdown).

#include <H5Cpp.h>

#include <atomic>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace trial {

using FileImage = std::vector<char>;

// An HDF5 file that lives in memory only; `name` identifies it in messages.
H5::H5File file_in_memory(const std::string& name);
// The bytes of a file made by file_in_memory (flushed first).
FileImage image_of(H5::H5File& file);

// The disk refused the file: `image` still holds it, to be put somewhere else.
class ResultsNotWritten : public std::runtime_error {
  public:
    ResultsNotWritten(const std::string& message, std::shared_ptr<const FileImage> image)
        : std::runtime_error(message), image(std::move(image)) {}
    std::shared_ptr<const FileImage> image;
};

// Ctrl-C while the file was being put on disk: nothing was left behind.
class WritingStopped : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

// Writes `image` to PATH.tmp-PID, syncs it and renames it to `path`. On failure removes the
// temporary file and throws ResultsNotWritten (the message names the file, the reason, the
// size needed and the space free); when `stop` becomes true, removes it and throws
// WritingStopped.
void put_on_disk(const std::string& path, std::shared_ptr<const FileImage> image,
                 const std::atomic<bool>* stop = nullptr);

}  // namespace trial
