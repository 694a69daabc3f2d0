#include "viz/plot.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <utility>

#include "viz/layout_probe.hpp"
#include "viz/theme.hpp"

namespace viz {

Range TimeZoom::visible(Range full) const {
    if (!zoomed_) return full;
    return range_;
}

void TimeZoom::handle(const Plot& plot, Range full) {
    if (!plot.hovered) return;
    const ImGuiIO& io = ImGui::GetIO();
    Range r = visible(full);
    if (ImGui::IsMouseDoubleClicked(ImGuiMouseButton_Left)) {
        zoomed_ = false;
        return;
    }
    bool changed = false;
    if (io.MouseWheel != 0) {
        const double anchor = plot.x_at(io.MousePos.x);
        const double factor = std::pow(0.85, io.MouseWheel);
        r.lo = anchor - (anchor - r.lo) * factor;
        r.hi = anchor + (r.hi - anchor) * factor;
        changed = true;
    }
    if (ImGui::IsMouseDragging(ImGuiMouseButton_Left) && io.MouseDelta.x != 0) {
        const double shift = -io.MouseDelta.x / (plot.max.x - plot.min.x) * r.span();
        r.lo += shift;
        r.hi += shift;
        changed = true;
    }
    if (!changed) return;
    // Never narrower than a week nor wider than twice the data.
    const double span = std::clamp(r.span(), 7.0, 2.0 * std::max(full.span(), 7.0));
    const double centre = 0.5 * (r.lo + r.hi);
    range_ = {centre - span / 2, centre + span / 2};
    zoomed_ = true;
}

namespace {

// Tick labels as short numbers (2.10 bn, 35.0 k); where two neighbours would read the same (a
// narrow range of large values), with as many decimals as the step needs.
std::vector<std::string> tick_labels(const std::vector<double>& ticks) {
    std::vector<std::string> labels;
    for (double v : ticks)
        labels.push_back(short_number(v));
    bool clash = false;
    for (std::size_t i = 1; i < labels.size(); ++i)
        clash |= labels[i] == labels[i - 1];
    if (!clash) return labels;
    double largest = 0;
    for (double v : ticks)
        largest = std::max(largest, std::abs(v));
    const auto [unit, suffix] = largest >= 1e9   ? std::pair{1e9, " bn"}
                                : largest >= 1e6 ? std::pair{1e6, " M"}
                                : largest >= 1e4 ? std::pair{1e3, " k"}
                                                 : std::pair{1.0, ""};
    const double step = std::abs(ticks[1] - ticks[0]) / unit;
    const int decimals = std::clamp(static_cast<int>(std::ceil(-std::log10(step))), 0, 9);
    for (std::size_t i = 0; i < ticks.size(); ++i) {
        char text[48];
        std::snprintf(text, sizeof text, "%.*f%s", decimals, ticks[i] / unit, suffix);
        labels[i] = text;
    }
    return labels;
}

}  // namespace

namespace {

bool legends_on = true;

struct LegendLayout {
    std::vector<ImVec2> at;  // each item's offset from the legend's top left
    float width = 0, height = 0;
};

// Items left to right, wrapped at `width`: a swatch, the label, a gap.
LegendLayout lay_out_legend(const std::vector<LegendItem>& items, float width) {
    const float line = ImGui::GetTextLineHeight();
    LegendLayout out;
    float x = 0, y = 0;
    for (const LegendItem& item : items) {
        const float w = line * 1.4f + ImGui::CalcTextSize(item.label.c_str()).x;
        if (x > 0 && x + w > width) x = 0, y += line * 1.25f;
        out.at.push_back(ImVec2(x, y));
        out.width = std::max(out.width, x + w);
        x += w + line * 1.2f;
    }
    out.height = items.empty() ? 0 : y + line * 1.25f;
    return out;
}

void draw_legend(const char* id, const std::vector<LegendItem>& items, const LegendLayout& layout,
                 ImVec2 at) {
    ImDrawList* draw = ImGui::GetWindowDrawList();
    const float line = ImGui::GetTextLineHeight();
    for (std::size_t i = 0; i < items.size(); ++i) {
        const ImVec2 p(at.x + layout.at[i].x, at.y + layout.at[i].y);
        draw->AddRectFilled(ImVec2(p.x, p.y + line * 0.25f), ImVec2(p.x + line, p.y + line * 0.85f),
                            items[i].colour);
        draw->AddText(ImVec2(p.x + line * 1.4f, p.y), theme::ink, items[i].label.c_str());
    }
    probe::note(std::string("legend:") + id,
                {at.x, at.y, at.x + layout.width, at.y + layout.height});
}

}  // namespace

void show_legends(bool on) {
    legends_on = on;
}

bool legends_shown() {
    return legends_on;
}

Plot begin_plot(const char* id, ImVec2 size, Range x, Range y, const PlotStyle& style) {
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    if (size.x <= 0) size.x = avail.x;
    if (size.y <= 0) size.y = avail.y;
    size.x = std::max(size.x, 80.0f);
    size.y = std::max(size.y, 60.0f);
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    ImGui::InvisibleButton(id, size);
    const float line = ImGui::GetTextLineHeight();

    std::vector<double> y_ticks = nice_ticks(y.lo, y.hi, std::max(2, int(size.y / (3 * line))));
    const std::vector<std::string> y_labels = tick_labels(y_ticks);
    float label_width = 0;
    for (const std::string& label : y_labels)
        label_width = std::max(label_width, ImGui::CalcTextSize(label.c_str()).x);
    const float left = style.left_margin > 0 ? style.left_margin
                                             : label_width + line * (style.y_label ? 2.0f : 0.8f);
    // The legend: right-aligned on the y label's line when one row fits beside the label,
    // else in rows between the label and the data area.
    const bool with_legend = legends_on && !style.legend.empty();
    const float data_width = size.x - left - line * 0.8f;
    const float label_room =
        data_width - (style.y_label ? ImGui::CalcTextSize(style.y_label).x - left + line * 2 : 0);
    LegendLayout legend_layout;
    bool legend_on_label_line = false;
    float legend_rows = 0;
    if (with_legend) {
        legend_layout = lay_out_legend(style.legend, data_width);
        const LegendLayout one_row = lay_out_legend(style.legend, 1e9f);
        legend_on_label_line = style.y_label && one_row.width <= label_room;
        if (legend_on_label_line)
            legend_layout = one_row;
        else
            legend_rows = legend_layout.height + line * 0.3f;
    }
    Plot plot;
    const float top = origin.y + line * (style.y_label || legend_on_label_line ? 1.5f : 0.6f);
    plot.min = ImVec2(origin.x + left, top + legend_rows);
    plot.max = ImVec2(origin.x + size.x - line * 0.8f, origin.y + size.y -
                                                           line * (style.x_ticks ? 1.6f : 0.4f) -
                                                           (style.x_label ? line * 1.2f : 0));
    plot.x = x.span() > 0 ? x : Range{x.lo, x.lo + 1};
    plot.y = y.span() > 0 ? y : Range{y.lo, y.lo + 1};
    plot.hovered = ImGui::IsItemHovered() && ImGui::GetIO().MousePos.x >= plot.min.x &&
                   ImGui::GetIO().MousePos.x <= plot.max.x;

    ImDrawList* draw = ImGui::GetWindowDrawList();
    // No fill: the window is cleared to paper white, and the software renderer pays per pixel.
    if (style.y_grid) {
        for (std::size_t i = 0; i < y_ticks.size(); ++i) {
            const float py = plot.py(y_ticks[i]);
            draw->AddLine(ImVec2(plot.min.x, py), ImVec2(plot.max.x, py), theme::grid);
            text_right(draw, ImVec2(plot.min.x - line * 0.3f, py - line * 0.5f), theme::muted,
                       y_labels[i]);
        }
    }
    if (style.x_ticks) {
        const int wanted = std::max(2, int((plot.max.x - plot.min.x) / (line * 7)));
        if (style.dates) {
            for (const auto& tick : style.dates->ticks(plot.x.lo, plot.x.hi, wanted)) {
                const float px = plot.px(tick.day);
                draw->AddLine(ImVec2(px, plot.min.y), ImVec2(px, plot.max.y), theme::grid);
                text_centred(draw, ImVec2(px, plot.max.y + line * 0.2f), theme::muted, tick.label);
            }
        } else {
            const std::vector<double> x_ticks = nice_ticks(plot.x.lo, plot.x.hi, wanted);
            const std::vector<std::string> x_labels = tick_labels(x_ticks);
            for (std::size_t i = 0; i < x_ticks.size(); ++i) {
                const float px = plot.px(x_ticks[i]);
                draw->AddLine(ImVec2(px, plot.min.y), ImVec2(px, plot.max.y), theme::grid);
                text_centred(draw, ImVec2(px, plot.max.y + line * 0.2f), theme::muted, x_labels[i]);
            }
        }
    }
    if (style.x_label) {
        text_centred(draw,
                     ImVec2(0.5f * (plot.min.x + plot.max.x),
                            plot.max.y + line * (style.x_ticks ? 1.3f : 0.2f)),
                     theme::ink, style.x_label);
    }
    if (style.y_label) {
        // Vertical labels are not in ImGui 1.86; a short label goes above the axis instead.
        draw->AddText(ImVec2(origin.x, origin.y - line * 0.2f), theme::ink, style.y_label);
    }
    if (with_legend) {
        const ImVec2 at = legend_on_label_line
                              ? ImVec2(plot.max.x - legend_layout.width, origin.y - line * 0.2f)
                              : ImVec2(plot.min.x, top);
        draw_legend(id, style.legend, legend_layout, at);
    }
    draw->AddRect(plot.min, plot.max, theme::muted);
    draw->PushClipRect(plot.min, plot.max, true);
    probe::note(std::string("plot:") + id, {plot.min.x, plot.min.y, plot.max.x, plot.max.y,
                                            plot.x.lo, plot.x.hi, plot.y.lo, plot.y.hi});
    return plot;
}

void end_plot() {
    ImGui::GetWindowDrawList()->PopClipRect();
}

int slide_table_rows(float height, int rows) {
    const float row = ImGui::GetTextLineHeight() + 2 * ImGui::GetStyle().CellPadding.y;
    const int fit = std::max(0, static_cast<int>(height / row) - 1);  // the header
    return fit >= rows ? rows : std::max(0, fit - 1);                 // the note's line
}

void more_rows_note(int hidden, const char* what) {
    if (hidden <= 0) return;
    ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(theme::muted),
                       "… and %d more %s (in the window, or `trialtwin report`)", hidden, what);
}

void text_centred(ImDrawList* draw, ImVec2 at, ImU32 colour, const std::string& text) {
    const ImVec2 size = ImGui::CalcTextSize(text.c_str());
    draw->AddText(ImVec2(at.x - size.x / 2, at.y), colour, text.c_str());
}

void text_right(ImDrawList* draw, ImVec2 at, ImU32 colour, const std::string& text) {
    const ImVec2 size = ImGui::CalcTextSize(text.c_str());
    draw->AddText(ImVec2(at.x - size.x, at.y), colour, text.c_str());
}

}  // namespace viz
