#pragma once
// A chart area drawn with ImDrawList: margins for tick labels, a frame, a grid, ticks, and the
// mapping from data to pixels. Time axes zoom (mouse wheel) and pan (drag); a double-click
// shows the whole range again.

#include <imgui.h>

#include <string>
#include <vector>

#include "viz/calendar_axis.hpp"

namespace viz {

struct Range {
    double lo = 0, hi = 1;
    double span() const { return hi - lo; }
};

// What a user has zoomed a time axis to; empty means the whole range.
class TimeZoom {
  public:
    Range visible(Range full) const;
    void reset() { zoomed_ = false; }
    // Applies this frame's mouse input over the plot area.
    void handle(const struct Plot& plot, Range full);

  private:
    bool zoomed_ = false;
    Range range_;
};

struct Plot {
    ImVec2 min, max;  // the data area in screen pixels
    Range x, y;
    bool hovered = false;
    float px(double vx) const {
        return min.x + static_cast<float>((vx - x.lo) / x.span()) * (max.x - min.x);
    }
    float py(double vy) const {
        return max.y - static_cast<float>((vy - y.lo) / y.span()) * (max.y - min.y);
    }
    ImVec2 at(double vx, double vy) const { return ImVec2(px(vx), py(vy)); }
    double x_at(float sx) const { return x.lo + (sx - min.x) / (max.x - min.x) * x.span(); }
    double y_at(float sy) const { return y.lo + (max.y - sy) / (max.y - min.y) * y.span(); }
};

struct LegendItem {
    std::string label;
    ImU32 colour;
};

struct PlotStyle {
    const CalendarAxis* dates = nullptr;  // time in trial days shown as dates (x axis)
    const char* x_label = nullptr;
    const char* y_label = nullptr;
    bool y_grid = true;
    bool x_ticks = true;
    float left_margin = 0;  // 0: room for y tick labels
    // The legend: drawn above the data area, never over it — on the y label's line when it fits
    // there, else in rows of its own that the data area gives up. Nothing when legends are
    // hidden (show_legends).
    std::vector<LegendItem> legend;
};

// Legends on or off for every chart of the frame (the window's "Legends" box, key L).
void show_legends(bool on);
bool legends_shown();

// Reserves `size` (≤ 0 components: the rest of the window) and draws the frame, grid and
// ticks. Data drawn between begin_plot and end_plot is clipped to the data area.
Plot begin_plot(const char* id, ImVec2 size, Range x, Range y, const PlotStyle& style);
void end_plot();

// A table on a slide has no scroll bar. How many of `rows` fit under a header row in `height`
// (all of them, or as many as leave a line for the note that says how many did not), and that
// note: "… and 12 more metrics (in the window, or `trialtwin report`)".
int slide_table_rows(float height, int rows);
void more_rows_note(int hidden, const char* what);

// Text centred on a point / right-aligned to it.
void text_centred(ImDrawList* draw, ImVec2 at, ImU32 colour, const std::string& text);
void text_right(ImDrawList* draw, ImVec2 at, ImU32 colour, const std::string& text);

}  // namespace viz
