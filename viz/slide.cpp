#include "viz/slide.hpp"

#include "viz/layout_probe.hpp"

namespace viz {

Image draw_slide(Window& window, const Workspace& w, ViewState& state, View view,
                 const SlideOptions& options) {
    constexpr int frames = 4;
    for (int frame = 0; frame < frames; ++frame) {
        probe::enable(options.record_layout && frame == frames - 1);
        probe::clear();
        window.begin_frame();
        FrameRequest request;
        request.slide = view;
        request.heading = options.heading;
        draw_frame(w, state, request);
        window.end_frame();
    }
    return window.read_pixels();
}

}  // namespace viz
