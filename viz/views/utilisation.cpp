// Staff, equipment and drug per site and week, as three heat maps on one time axis:
// staff utilisation (overloaded weeks outlined), equipment utilisation with maintenance and
// calibration downtime and visits that could not get a machine, and kits on hand with
// stock-outs. Means over replications, as stored in site_weekly/.

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "viz/layout_probe.hpp"
#include "viz/texture_cache.hpp"
#include "viz/theme.hpp"
#include "viz/views.hpp"

namespace viz {
namespace {

struct Panel {
    const char* id;
    const char* title;
    const Grid* values;
    const Grid* overlay;  // downtime share, or nullptr
    const Grid* marks;    // events per week shown as dots (conflicts, stock-outs), or nullptr
    ImU32 mark_colour;
    bool stock;  // colour as stock (scaled to the maximum) instead of a share
};

int used_weeks(const Grid& g) {
    int used = 0;
    for (int r = 0; r < g.rows; ++r)
        for (int c = 0; c < g.cols; ++c)
            if (!std::isnan(g.at(r, c)) && g.at(r, c) != 0) used = std::max(used, c + 1);
    return used;
}

void draw_panel(const Panel& panel, const Policy& p, const CalendarAxis& dates, ImVec2 size,
                Range full, ViewState& state, bool last) {
    const Grid& g = *panel.values;
    const float line = ImGui::GetTextLineHeight();
    if (g.empty()) {
        ImGui::TextUnformatted(panel.title);
        ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(theme::muted),
                           "not in this file (written by a newer trialtwin)");
        return;
    }
    float label_width = 0;
    for (const Site& s : p.sites)
        label_width = std::max(label_width, ImGui::CalcTextSize(s.id.c_str()).x);
    PlotStyle style;
    style.dates = &dates;
    style.left_margin = label_width + line * 0.8f;
    style.y_grid = false;
    style.x_ticks = last;
    ImDrawList* draw = ImGui::GetWindowDrawList();
    float peak = 0, mark_peak = 0;
    if (panel.stock)
        for (float v : g.values)
            if (!std::isnan(v)) peak = std::max(peak, v);
    if (panel.marks)
        for (float v : panel.marks->values)
            if (!std::isnan(v)) mark_peak = std::max(mark_peak, v);
    // The title, and the colour key right of it.
    ImGui::TextUnformatted(panel.title);
    {
        ImDrawList* key = ImGui::GetWindowDrawList();
        const ImVec2 at(ImGui::GetItemRectMax().x + line + ImGui::CalcTextSize("0 ").x,
                        ImGui::GetItemRectMin().y);
        const float width = line * 8;
        for (int i = 0; i < 32; ++i) {
            const float t0 = i / 32.0f;
            key->AddRectFilled(ImVec2(at.x + width * t0, at.y + line * 0.15f),
                               ImVec2(at.x + width * (t0 + 1 / 32.0f), at.y + line * 0.85f),
                               panel.stock ? theme::stock(t0) : theme::heat(t0));
        }
        char high[48];
        if (panel.stock) {
            std::snprintf(high, sizeof high, "%.0f kits", peak);
        } else {
            std::snprintf(high, sizeof high, "100 %%  (red outline > %.0f %%)",
                          100 * theme::overload);
        }
        key->AddText(ImVec2(at.x - ImGui::CalcTextSize("0 ").x, at.y), theme::muted, "0");
        key->AddText(ImVec2(at.x + width + line * 0.3f, at.y), theme::muted, high);
    }
    const Plot plot = begin_plot(panel.id, size, state.utilisation_zoom.visible(full),
                                 Range{0, double(g.rows)}, style);
    state.utilisation_zoom.handle(plot, full);
    const float row_h = (plot.max.y - plot.min.y) / std::max(1, g.rows);
    const int weeks = std::min(g.cols, used_weeks(g) + 1);
    const int first = std::max(0, int(std::floor(plot.x.lo / p.week_length_days)));
    const int end = std::min(weeks, int(std::ceil(plot.x.hi / p.week_length_days)) + 1);
    // The cells as one texture (two texels a row: the lower one carries the downtime shade),
    // built once per grid; then only the outlines of overloaded weeks as rectangles.
    const bool with_overlay = panel.overlay && !panel.overlay->empty();
    auto make = [&] {
        std::vector<ImU32> texels(std::size_t(weeks) * g.rows * 2, 0);
        for (int r = 0; r < g.rows; ++r) {
            for (int c = 0; c < weeks; ++c) {
                const float v = g.at(r, c);
                if (std::isnan(v)) continue;
                const ImU32 colour =
                    panel.stock ? theme::stock(peak > 0 ? v / peak : 0) : theme::heat(v);
                ImU32 lower = colour;
                if (with_overlay && panel.overlay->at(r, c) > 0)
                    lower = theme::blend(colour, theme::downtime,
                                         0.25f + 0.75f * panel.overlay->at(r, c));
                texels[std::size_t(2 * r) * weeks + c] = colour;
                texels[std::size_t(2 * r + 1) * weeks + c] = with_overlay ? lower : colour;
            }
        }
        return texels;
    };
    const ImTextureID cells = cached_texture(&g, 1, weeks, g.rows * 2, make);
    draw->AddImage(cells, ImVec2(plot.px(0), plot.min.y),
                   ImVec2(plot.px(double(weeks) * p.week_length_days), plot.max.y));
    for (int r = 0; r < g.rows; ++r) {
        const float top = plot.min.y + row_h * r, bottom = top + row_h;
        for (int c = first; c < end && !panel.stock; ++c) {
            if (!(g.at(r, c) > theme::overload)) continue;
            const float x0 = plot.px(c * p.week_length_days),
                        x1 = plot.px((c + 1) * p.week_length_days);
            draw->AddRect(ImVec2(x0, top), ImVec2(x1, bottom), theme::alarm, 0, 0, 1.5f);
        }
        if (panel.marks && !panel.marks->empty()) {
            // Area ∝ events per replication, relative to the busiest cell; rare ones left out.
            for (int c = first; c < std::min(end, panel.marks->cols); ++c) {
                const float n = panel.marks->at(r, c);
                if (!(n >= 0.02f) || !(mark_peak > 0)) continue;
                const float cx = plot.px((c + 0.5) * p.week_length_days);
                const float radius = row_h * 0.5f * std::sqrt(n / mark_peak);
                if (radius < 1.0f) continue;
                draw->AddCircleFilled(ImVec2(cx, 0.5f * (top + bottom)), radius, panel.mark_colour);
            }
        }
    }
    end_plot();
    // Site labels, or the country at the first of its sites when rows are thin.
    for (int r = 0; r < g.rows && r < int(p.sites.size()); ++r) {
        const float top = plot.min.y + row_h * r;
        const bool first_of_country = r == 0 || p.sites[r].country != p.sites[r - 1].country;
        if (row_h >= line * 0.8f) {
            draw->AddText(ImVec2(plot.min.x - style.left_margin + 2, top + (row_h - line) / 2),
                          theme::ink, p.sites[r].id.c_str());
        } else if (first_of_country) {
            draw->AddText(ImVec2(plot.min.x - style.left_margin + 2, top), theme::muted,
                          p.sites[r].country.c_str());
        }
        if (first_of_country && r > 0)
            draw->AddLine(ImVec2(plot.min.x, top), ImVec2(plot.max.x, top), theme::muted);
    }
    if (plot.hovered && !state.exporting) {
        const ImVec2 m = ImGui::GetIO().MousePos;
        const int r = int((m.y - plot.min.y) / row_h);
        const int c = int(std::floor(plot.x_at(m.x) / p.week_length_days));
        if (r >= 0 && r < g.rows && c >= 0 && c < g.cols && r < int(p.sites.size())) {
            ImGui::BeginTooltip();
            ImGui::Text("%s, week of %s", p.sites[r].id.c_str(),
                        dates.date(c * p.week_length_days).c_str());
            ImGui::Text("%s: %.2f", panel.title, g.at(r, c));
            if (panel.overlay && !panel.overlay->empty())
                ImGui::Text("machine-days down: %.0f %%", 100 * panel.overlay->at(r, c));
            if (panel.marks && !panel.marks->empty())
                ImGui::Text("%s per replication: %.2f",
                            panel.stock ? "stock-outs" : "visits without a machine",
                            panel.marks->at(r, c));
            ImGui::EndTooltip();
        }
    }
}

}  // namespace

void draw_utilisation(const Workspace& w, ViewState& state) {
    if (w.empty()) return;
    const Policy& p = choose_policy(w, state);
    const CalendarAxis dates(w.file_of(p).start_date);
    if (p.sites.empty() || p.staff_utilisation.empty()) {
        ImGui::TextUnformatted("This file holds no per-site weekly series.");
        return;
    }
    // Up to the last week any site was active (stock left after that is not interesting).
    const int weeks = std::max(used_weeks(p.staff_utilisation), 1);
    const Range full{0, double(weeks + 1) * p.week_length_days};
    if (!state.exporting) {
        ImGui::SameLine();
        ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(theme::muted),
                           "red outline: utilisation above %.0f %% · grey: equipment down · "
                           "dots: visits without a machine / stock-outs",
                           100 * theme::overload);
    }
    const float line = ImGui::GetTextLineHeight();
    const float each = (ImGui::GetContentRegionAvail().y - 3 * (line + 6)) / 3 - 4;
    const Panel panels[] = {
        {"staff", "Staff utilisation (booked / on-duty hours)", &p.staff_utilisation, nullptr,
         nullptr, 0, false},
        {"equipment", "Equipment utilisation, downtime and visits without a machine",
         &p.equipment_utilisation, &p.equipment_down, &p.equipment_conflicts, theme::alarm, false},
        {"kits", "Drug kits on hand (end of week) and stock-outs", &p.kits_on_hand, nullptr,
         &p.stock_outs, theme::alarm, true},
    };
    for (std::size_t i = 0; i < 3; ++i) {
        draw_panel(panels[i], p, dates, ImVec2(0, std::max(each, line * 4)), full, state, i == 2);
    }
}

}  // namespace viz
