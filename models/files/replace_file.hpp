#pragma once
// Every file trialtwin writes (results, a chosen scenario, charts, the report) is written beside
// its path under a temporary name and renamed over it, so that no reader ever sees half a file.
// A rename replaces whatever the path names, so the path is looked at first:
// - a symbolic link is followed: the file it names is replaced, and the link stays a link;
// - anything that is not a regular file (a device such as /dev/null, a pipe, a socket, a
//   folder) is refused: renaming over it would remove it. As root, `--out /dev/full` once
//   replaced the device with a results file.

#include <atomic>
#include <string>
#include <string_view>

namespace files {

struct ReplaceTarget {
    std::string path;     // the file to replace (or create): the path, or the file its link names
    std::string refusal;  // when not empty, why the path cannot be written: "is a folder", ...
};

// Where a file written to `path` goes.
ReplaceTarget replace_target(const std::string& path);

// Renames `temporary` over `target` (both in the target's folder); an empty string when done,
// else why not.
std::string put_in_place(const std::string& temporary, const std::string& target);

// How writing a whole file ended: done (no error, not stopped), failed (why), or stopped.
struct WriteOutcome {
    std::string error;
    bool stopped = false;
    bool done() const { return error.empty() && !stopped; }
};

// Writes `bytes` as the file `path` names (replace_target): into PATH.tmp-PID beside it, every
// write checked (a full disk fails here, not in a half-written file), flushed to disk, then
// renamed over it. Nothing is left behind unless done. With `stop`, checked between blocks of
// 8 MB: stops when it becomes true.
WriteOutcome write_whole_file(const std::string& path, std::string_view bytes,
                              const std::atomic<bool>* stop = nullptr);

}  // namespace files
