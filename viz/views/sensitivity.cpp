// Sensitivity: for a file written by `trialtwin sensitivity`, a tornado of one-at-a-time
// effects (each input from its low to its high end, the others as written: where the outcome
// goes, around its value as written) and the Sobol indices (first-order and total, with their
// bootstrap intervals), the inputs ranked by what they explain.

#include <algorithm>
#include <cmath>
#include <numeric>

#include "viz/layout_probe.hpp"
#include "viz/theme.hpp"
#include "viz/views.hpp"

namespace viz {
namespace {

// The rows of a bar chart, a little below the top of the data area.
struct Rows {
    float top, height;
    float centre(int r) const { return top + height * (static_cast<float>(r) + 0.5f); }
};

Rows rows_of(const Plot& plot, int count) {
    const float band = ImGui::GetTextLineHeight() * 0.6f;
    return {plot.min.y + band, (plot.max.y - plot.min.y - band) / static_cast<float>(count)};
}

// Row labels to the left of a plot's data area, clipped to the margin.
void row_labels(const Plot& plot, const Rows& rows, float margin,
                const std::vector<std::string>& labels, const std::vector<int>& order) {
    ImDrawList* draw = ImGui::GetWindowDrawList();
    const float line = ImGui::GetTextLineHeight();
    draw->PushClipRect(ImVec2(plot.min.x - margin, plot.min.y), ImVec2(plot.min.x - 6, plot.max.y),
                       true);
    for (std::size_t r = 0; r < order.size(); ++r) {
        const float cy = rows.centre(static_cast<int>(r));
        const std::string& text = labels[order[r]];
        const float width = ImGui::CalcTextSize(text.c_str()).x;
        draw->AddText(ImVec2(plot.min.x - 8 - std::min(width, margin - 8), cy - line / 2),
                      theme::ink, text.c_str());
    }
    draw->PopClipRect();
}

float label_margin(const std::vector<std::string>& labels, float width) {
    float widest = 0;
    for (const std::string& l : labels)
        widest = std::max(widest, ImGui::CalcTextSize(l.c_str()).x);
    return std::min(widest + ImGui::GetTextLineHeight(), width * 0.45f);
}

void tornado(const Sensitivity& s, int output, ImVec2 size, const std::vector<int>& order) {
    const double base = s.base[output];
    double lo = base, hi = base;
    for (int i : order) {
        for (double v : {double(s.oat_low.at(i, output)), double(s.oat_high.at(i, output))})
            if (std::isfinite(v)) lo = std::min(lo, v), hi = std::max(hi, v);
    }
    // Room on the right for each row's effect and its interval.
    const double pad = std::max((hi - lo) * 0.08, std::abs(base) * 0.01 + 1e-9);
    const double room = (hi - lo + 2 * pad) * 0.5;
    ImGui::BeginGroup();
    ImGui::Text("One at a time: %s with each input at its low and high end",
                s.outputs[output].c_str());
    PlotStyle style;
    style.y_grid = false;
    style.left_margin = label_margin(s.keys, size.x);
    style.x_label = s.outputs[output].c_str();
    const ImU32 low_colour = theme::policy(0), high_colour = theme::policy(1);
    style.legend = {{"input at its low end", low_colour},
                    {"input at its high end", high_colour},
                    {"as written: " + short_number(base), theme::ink}};
    const int n = static_cast<int>(order.size());
    const Plot plot =
        begin_plot("tornado", ImVec2(size.x, size.y - ImGui::GetTextLineHeightWithSpacing()),
                   Range{lo - pad, hi + pad + room}, Range{0, double(n)}, style);
    ImDrawList* draw = ImGui::GetWindowDrawList();
    const Rows rows = rows_of(plot, n);
    for (int r = 0; r < n; ++r) {
        const int i = order[r];
        const double at_low = s.oat_low.at(i, output), at_high = s.oat_high.at(i, output);
        const float cy = rows.centre(r), half = std::min(rows.height * 0.3f, 30.0f);
        for (const auto& [value, colour] :
             {std::pair{at_low, low_colour}, {at_high, high_colour}}) {
            if (!std::isfinite(value)) continue;
            const float a = plot.px(base), b = plot.px(value);
            draw->AddRectFilled(ImVec2(std::min(a, b), cy - half),
                                ImVec2(std::max(a, b), cy + half), colour);
        }
        const double effect = s.oat_effect.at(i, output), elo = s.oat_effect_low.at(i, output),
                     ehi = s.oat_effect_high.at(i, output);
        const std::string label = std::isfinite(effect)
                                      ? "high − low " + short_number(effect) + " [" +
                                            short_number(elo) + ", " + short_number(ehi) + "]"
                                      : "not reached";
        // The effect's text right of the bar, else left of it, else under it.
        float left = plot.px(base), right = plot.px(base);
        for (double v : {at_low, at_high})
            if (std::isfinite(v))
                left = std::min(left, plot.px(v)), right = std::max(right, plot.px(v));
        const float width = ImGui::CalcTextSize(label.c_str()).x, line = ImGui::GetTextLineHeight();
        ImVec2 at(right + 8, cy - line / 2);
        if (at.x + width > plot.max.x) at.x = left - 8 - width;
        if (at.x < plot.min.x) at = ImVec2(std::max(plot.min.x + 4, left), cy + half + 2);
        draw->AddText(at, theme::muted, label.c_str());
        probe::note("tornado:" + s.keys[i], {cy, at_low, at_high, base});
    }
    draw->AddLine(ImVec2(plot.px(base), rows.top), ImVec2(plot.px(base), plot.max.y), theme::ink,
                  2);
    end_plot();
    row_labels(plot, rows, style.left_margin, s.keys, order);
    ImGui::EndGroup();
}

void sobol_bars(const Sensitivity& s, int output, ImVec2 size, const std::vector<int>& order) {
    // Indices lie in [0, 1]; an estimate or interval beyond (Monte Carlo error on a small
    // design) runs off the chart's edge.
    double lo = 0;
    for (int i : order)
        for (double v : {double(s.first_low.at(i, output)), double(s.total_low.at(i, output))})
            if (std::isfinite(v)) lo = std::min(lo, std::max(v, -0.25));
    const double hi = 1;
    ImGui::BeginGroup();
    ImGui::Text("Sobol indices of %s (95 %% bootstrap intervals)", s.outputs[output].c_str());
    PlotStyle style;
    style.y_grid = false;
    style.left_margin = label_margin(s.keys, size.x);
    style.x_label = "share of the outcome's variance";
    const ImU32 first_colour = theme::policy(2), total_colour = theme::policy(3);
    style.legend = {{"first order (alone)", first_colour},
                    {"total (with interactions)", total_colour}};
    const int n = static_cast<int>(order.size());
    const Plot plot =
        begin_plot("sobol", ImVec2(size.x, size.y - ImGui::GetTextLineHeightWithSpacing()),
                   Range{lo - 0.02, hi + 0.02}, Range{0, double(n)}, style);
    ImDrawList* draw = ImGui::GetWindowDrawList();
    const Rows rows = rows_of(plot, n);
    for (int r = 0; r < n; ++r) {
        const int i = order[r];
        const float cy = rows.centre(r), half = std::min(rows.height * 0.16f, 16.0f);
        const struct {
            float y;
            double value, low, high;
            ImU32 colour;
        } bars[] = {{cy - half - 1, s.first.at(i, output), s.first_low.at(i, output),
                     s.first_high.at(i, output), first_colour},
                    {cy + half + 1, s.total.at(i, output), s.total_low.at(i, output),
                     s.total_high.at(i, output), total_colour}};
        for (const auto& b : bars) {
            if (!std::isfinite(b.value)) continue;
            const float a = plot.px(0), e = plot.px(b.value);
            draw->AddRectFilled(ImVec2(std::min(a, e), b.y - half),
                                ImVec2(std::max(a, e), b.y + half), b.colour);
            if (std::isfinite(b.low) && std::isfinite(b.high)) {
                draw->AddLine(ImVec2(plot.px(b.low), b.y), ImVec2(plot.px(b.high), b.y), theme::ink,
                              1.5f);
                for (double end : {b.low, b.high})
                    draw->AddLine(ImVec2(plot.px(end), b.y - half * 0.7f),
                                  ImVec2(plot.px(end), b.y + half * 0.7f), theme::ink, 1.5f);
            }
        }
        probe::note("sobol:" + s.keys[i],
                    {cy, double(s.first.at(i, output)), double(s.total.at(i, output))});
    }
    draw->AddLine(ImVec2(plot.px(0), rows.top), ImVec2(plot.px(0), plot.max.y), theme::ink, 1.5f);
    end_plot();
    row_labels(plot, rows, style.left_margin, s.keys, order);
    ImGui::EndGroup();
}

}  // namespace

void draw_sensitivity(const Workspace& w, ViewState& state) {
    int file = -1;
    for (int f = 0; f < static_cast<int>(w.files.size()) && file < 0; ++f)
        if (w.files[f].sensitivity && !w.files[f].sensitivity->keys.empty()) file = f;
    if (file < 0) {
        ImGui::TextUnformatted(
            "No sensitivity analysis in the open files: `trialtwin sensitivity` writes one.");
        return;
    }
    const Sensitivity& s = *w.files[file].sensitivity;
    if (s.outputs.empty()) {
        ImGui::TextUnformatted("The sensitivity analysis names no outcome.");
        return;
    }
    state.sensitivity_output =
        std::clamp(state.sensitivity_output, 0, static_cast<int>(s.outputs.size()) - 1);
    const int o = state.sensitivity_output;
    if (!state.exporting) {
        ImGui::SetNextItemWidth(ImGui::GetFontSize() * 18);
        if (ImGui::BeginCombo("outcome", s.outputs[o].c_str())) {
            for (int i = 0; i < static_cast<int>(s.outputs.size()); ++i)
                if (ImGui::Selectable(s.outputs[i].c_str(), i == o)) state.sensitivity_output = i;
            ImGui::EndCombo();
        }
    }
    ImGui::Text("%s: %zu inputs, each scenario on the same %d replications", s.outputs[o].c_str(),
                s.keys.size(), w.files[file].replications);
    const bool oat = !s.oat_effect.empty(), sobol = s.sobol && !s.total.empty();
    const int k = static_cast<int>(s.keys.size());
    // Ranked: by total index where there is one, else by the size of the one-at-a-time effect.
    std::vector<int> order(k);
    std::iota(order.begin(), order.end(), 0);
    auto weight = [&](int i) {
        const double v = sobol ? s.total.at(i, o) : std::abs(s.oat_effect.at(i, o));
        return std::isfinite(v) ? v : -1.0;
    };
    std::stable_sort(order.begin(), order.end(),
                     [&](int a, int b) { return weight(a) > weight(b); });
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    const float gap = ImGui::GetStyle().ItemSpacing.x;
    if (oat && sobol) {
        const float left = (avail.x - gap) * 0.55f;
        tornado(s, o, ImVec2(left, avail.y), order);
        ImGui::SameLine();
        sobol_bars(s, o, ImVec2(avail.x - gap - left, avail.y), order);
    } else if (oat) {
        tornado(s, o, avail, order);
    } else if (sobol) {
        sobol_bars(s, o, avail, order);
    } else {
        ImGui::TextUnformatted("The analysis holds neither effects nor indices.");
    }
}

}  // namespace viz
