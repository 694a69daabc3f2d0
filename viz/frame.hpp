#pragma once
// One frame of the visualizer: the whole window as tabs (interactive), or one view filling
// the window as a slide (PNG export). Files that failed to load are named at the top.

#include <optional>

#include "viz/views.hpp"

namespace viz {

struct FrameRequest {
    std::optional<View> slide;       // draw only this view, as a slide
    std::optional<View> select_tab;  // interactive: switch to this tab this frame
    bool heading = true;  // a slide: the trial, the view's title and the provenance line on top
};

// Returns the tab shown (interactive) or the slide's view.
View draw_frame(const Workspace& w, ViewState& state, const FrameRequest& request);

}  // namespace viz
