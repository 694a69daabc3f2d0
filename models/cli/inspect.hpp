#pragma once
// `trialtwin inspect FILE`: what a results file holds, in plain words. A file that is not a
// trialtwin results file (or is damaged) gets one clear message, never a crash.

#include <iosfwd>
#include <string>

namespace trial {

// Returns false (having said why on `err`) if the file cannot be read as results.
bool inspect_results(const std::string& path, std::ostream& out, std::ostream& err);

}  // namespace trial
