#pragma once
// The sponsor report: a short PDF deck made from one results file — title and provenance, the
// milestones as dates with their spread and P(by plan), the enrollment fan chart, the readout
// events, the site timeline, the policies against the baseline with paired intervals, costs by
// category, and how the numbers were made and what they leave out, in plain words. The charts
// are the visualizer's own views, drawn offscreen (so, like `render`, it needs an X server).

#include <string>

#include "viz/results.hpp"
#include "viz/window.hpp"

namespace viz {

// Writes the deck for the workspace's first file to `out` (a temporary name, renamed when
// complete); `window` is an offscreen window the charts are drawn in. Returns the page count.
// Throws std::runtime_error naming `out` when it cannot be written.
int write_report(const Workspace& w, Window& window, const std::string& out);

}  // namespace viz
