#pragma once
// One view drawn offscreen as a slide image: what `render` writes as PNG and what `report`
// places on a PDF page.

#include "viz/frame.hpp"
#include "viz/window.hpp"

namespace viz {

struct SlideOptions {
    bool heading = true;         // the trial, the view's title and the provenance line on top
    bool record_layout = false;  // fill the layout probe (viz/layout_probe.hpp) on the last frame
};

// Draws `view` in the (offscreen) window over a few frames, so that tables and auto-sized items
// settle, and returns the last one.
Image draw_slide(Window& window, const Workspace& w, ViewState& state, View view,
                 const SlideOptions& options = {});

}  // namespace viz
