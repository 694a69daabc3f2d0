// Policy comparison: how enrollment duration and total cost are spread over replications
// under each policy (box: P25–P75, whiskers: P5–P95, line: median, dot: mean), and each
// policy against its file's baseline on the same replications, with 95 % intervals.

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "viz/layout_probe.hpp"
#include "viz/theme.hpp"
#include "viz/views.hpp"

namespace viz {
namespace {

void box_panel(const char* id, const char* title, const Workspace& w, ImVec2 size,
               const Distribution Policy::*field) {
    double lo = 1e300, hi = -1e300;
    for (const Policy* p : w.policies) {
        const Distribution& d = p->*field;
        if (d.count == 0) continue;
        lo = std::min(lo, d.p5);
        hi = std::max(hi, d.p95);
    }
    ImGui::BeginGroup();
    ImGui::TextUnformatted(title);
    if (lo > hi) {
        ImGui::TextUnformatted("no replication reached it");
        ImGui::EndGroup();
        return;
    }
    const double pad = std::max((hi - lo) * 0.08, 1e-9);
    const float line = ImGui::GetTextLineHeight();
    float label_width = 0;
    for (const Policy* p : w.policies)
        label_width = std::max(label_width, ImGui::CalcTextSize(p->label.c_str()).x);
    PlotStyle style;
    style.y_grid = false;
    style.left_margin = std::min(label_width + line, size.x * 0.4f);
    const int n = static_cast<int>(w.policies.size());
    const Plot plot = begin_plot(id, size, Range{lo - pad, hi + pad}, Range{0, double(n)}, style);
    ImDrawList* draw = ImGui::GetWindowDrawList();
    const float row_h = (plot.max.y - plot.min.y) / n;
    for (int i = 0; i < n; ++i) {
        const Distribution& d = w.policies[i]->*field;
        if (d.count == 0) continue;
        const ImU32 colour = theme::policy(i);
        const float cy = plot.min.y + row_h * (i + 0.5f), half = std::min(row_h * 0.3f, line);
        draw->AddLine(ImVec2(plot.px(d.p5), cy), ImVec2(plot.px(d.p95), cy), colour, 1.5f);
        for (double end : {d.p5, d.p95})
            draw->AddLine(ImVec2(plot.px(end), cy - half / 2), ImVec2(plot.px(end), cy + half / 2),
                          colour, 1.5f);
        draw->AddRectFilled(ImVec2(plot.px(d.p25), cy - half), ImVec2(plot.px(d.p75), cy + half),
                            theme::with_alpha(colour, 0.35f));
        draw->AddRect(ImVec2(plot.px(d.p25), cy - half), ImVec2(plot.px(d.p75), cy + half), colour,
                      0, 0, 1.5f);
        draw->AddLine(ImVec2(plot.px(d.p50), cy - half), ImVec2(plot.px(d.p50), cy + half),
                      theme::ink, 2.5f);
        draw->AddCircleFilled(ImVec2(plot.px(d.mean), cy), std::max(2.5f, half * 0.25f),
                              theme::ink);
        probe::note(std::string(id) + ":" + w.policies[i]->label,
                    {cy, d.p5, d.p25, d.p50, d.p75, d.p95});
    }
    end_plot();
    for (int i = 0; i < n; ++i) {
        const float cy = plot.min.y + row_h * (i + 0.5f);
        draw->PushClipRect(ImVec2(plot.min.x - style.left_margin, plot.min.y),
                           ImVec2(plot.min.x - 4, plot.max.y), true);
        draw->AddText(ImVec2(plot.min.x - style.left_margin, cy - line / 2), theme::policy(i),
                      w.policies[i]->label.c_str());
        draw->PopClipRect();
    }
    ImGui::EndGroup();
}

std::string signed_value(double v, bool money) {
    if (!std::isfinite(v)) return "–";
    if (money) {
        std::string text = v > 0 ? "+" : "";
        text += short_number(v);
        return text;
    }
    char text[32];
    std::snprintf(text, sizeof text, "%+.1f", v);
    return text;
}

}  // namespace

void draw_comparison(const Workspace& w, ViewState& state) {
    if (w.empty()) return;
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    const float line = ImGui::GetTextLineHeight();
    bool any_difference = false;
    for (const Policy* p : w.policies)
        any_difference |= !p->differences.empty();
    const int n = static_cast<int>(w.policies.size());
    const float boxes_h =
        any_difference ? std::min(avail.y * 0.55f, line * (4 + 2.5f * n)) : avail.y - line * 3;
    const float half_w = (avail.x - ImGui::GetStyle().ItemSpacing.x) / 2;
    box_panel("duration", "Enrollment duration (days, first patient in to target met)", w,
              ImVec2(half_w, boxes_h), &Policy::enrollment_duration);
    ImGui::SameLine();
    const std::string currency = w.files.front().currency;
    const std::string cost_title = "Total cost (" + currency + ")";
    box_panel("cost", cost_title.c_str(), w, ImVec2(half_w, boxes_h), &Policy::cost_total);

    if (!any_difference) {
        ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(theme::muted),
                           "One policy in this file: `trialtwin compare` stores several on the "
                           "same replications, with paired differences.");
        return;
    }
    ImGui::Spacing();
    ImGui::Text("Against %s on the same replications (policy − baseline; 95 %% interval)",
                w.policies.front()->name.c_str());
    const ImGuiTableFlags flags = ImGuiTableFlags_Borders | ImGuiTableFlags_RowBg |
                                  ImGuiTableFlags_SizingStretchProp | ImGuiTableFlags_ScrollY;
    int difference_rows = 0;
    for (const Policy* p : w.policies)
        difference_rows += static_cast<int>(p->differences.size());
    const float rest = ImGui::GetContentRegionAvail().y;
    const int shown = state.exporting ? slide_table_rows(rest, difference_rows) : difference_rows;
    int drawn = 0;
    if (ImGui::BeginTable("differences", 6,
                          state.exporting ? flags & ~ImGuiTableFlags_ScrollY : flags,
                          ImVec2(0, state.exporting ? 0 : rest))) {
        for (const char* h : {"Policy", "Outcome", "Mean difference", "95 % interval",
                              "Median difference (P5 – P95)", "Pairs"})
            ImGui::TableSetupColumn(h);
        ImGui::TableSetupScrollFreeze(0, 1);
        ImGui::TableHeadersRow();
        for (int i = 0; i < n; ++i) {
            const Policy& p = *w.policies[i];
            for (const Difference& d : p.differences) {
                probe::note("difference:" + p.label + ":" + d.key, {d.mean, d.ci_low, d.ci_high});
                if (drawn++ >= shown) break;
                const bool money = d.key.rfind("cost", 0) == 0;
                ImGui::TableNextRow();
                ImGui::TableNextColumn();
                ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(theme::policy(i)), "%s",
                                   p.label.c_str());
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(d.label.c_str());
                ImGui::TableNextColumn();
                const bool clear = std::isfinite(d.ci_low) && (d.ci_low > 0 || d.ci_high < 0);
                ImGui::TextColored(
                    ImGui::ColorConvertU32ToFloat4(clear ? theme::ink : theme::muted), "%s",
                    signed_value(d.mean, money).c_str());
                ImGui::TableNextColumn();
                ImGui::Text("%s to %s", signed_value(d.ci_low, money).c_str(),
                            signed_value(d.ci_high, money).c_str());
                ImGui::TableNextColumn();
                ImGui::Text("%s (%s – %s)", signed_value(d.spread.p50, money).c_str(),
                            signed_value(d.spread.p5, money).c_str(),
                            signed_value(d.spread.p95, money).c_str());
                ImGui::TableNextColumn();
                ImGui::Text("%d", d.pairs);
            }
        }
        ImGui::EndTable();
    }
    more_rows_note(difference_rows - shown, "differences");
}

}  // namespace viz
