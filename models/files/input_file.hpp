#pragma once
// Reading what a user names as input: a scenario, a site list, an observed-data CSV, a results
// file. A path may name anything, so it is looked at before it is read: a folder, a device
// (/dev/zero would be read forever) or, for results files, a pipe is refused with what it is;
// a text input may come through a pipe (`trialtwin validate <(make_scenario)`), and is read up
// to a size no real input reaches, so that a wrong file is named, not read until memory runs
// out.

#include <cstddef>
#include <string>

namespace files {

// Why `path` cannot be read as an input ("no such file", "is a folder", "is a device, not a
// file", ...), or an empty string when it can: a regular file, or with `pipes` a pipe.
std::string input_problem(const std::string& path, bool pipes);

struct TextInput {
    std::string text;
    std::string problem;  // when not empty, why nothing was read
};

// The whole text of `path` (a regular file or a pipe) when it holds at most `max_bytes`.
TextInput read_text_input(const std::string& path, std::size_t max_bytes);

// Size limits no real input reaches. A scenario of 1,000 sites is ~0.5 MB; an observed-data
// file of 15,000 patients' visits is ~50 MB.
inline constexpr std::size_t max_scenario_bytes = std::size_t{64} << 20;
inline constexpr std::size_t max_table_bytes = std::size_t{1} << 30;

}  // namespace files
