// Sweep explorer: for a file written by `trialtwin sweep`, one varied parameter against one
// outcome (the median over each point's replications; for a yes/no outcome such as
// target_met_by_plan, its probability), each point at its parameter values and coloured by a
// second parameter when the sweep varies more than one; hover names the point.

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "viz/layout_probe.hpp"
#include "viz/theme.hpp"
#include "viz/views.hpp"

namespace viz {
namespace {

// A TOML literal as a number; text values get their rank among the distinct values.
std::vector<double> as_numbers(const Sweep& s, int key) {
    std::vector<double> out;
    std::vector<std::string> distinct;
    bool numeric = true;
    for (const auto& point : s.values) {
        const std::string& text = point[key];
        char* end = nullptr;
        const double v = std::strtod(text.c_str(), &end);
        if (end == text.c_str() || *end != '\0') numeric = false;
        out.push_back(v);
        if (std::find(distinct.begin(), distinct.end(), text) == distinct.end())
            distinct.push_back(text);
    }
    if (!numeric) {
        std::sort(distinct.begin(), distinct.end());
        for (std::size_t i = 0; i < out.size(); ++i)
            out[i] = double(std::find(distinct.begin(), distinct.end(), s.values[i][key]) -
                            distinct.begin());
    }
    return out;
}

// A yes/no outcome (0 or 1 in each replication): its median is 0 or 1, its mean the
// probability, which is what a planner asks of it.
bool yes_no(const std::string& key) {
    return key == "target_met_by_plan" || (key.size() > 8 && key.ends_with("_reached"));
}

// The outcome at each point: the median over its replications, a yes/no outcome's probability.
std::vector<double> outcome_at_points(const ResultsFile& f, const Sweep& s, int metric) {
    const std::string& key = s.metric_keys[metric];
    std::vector<double> y(s.values.size(), NAN);
    for (std::size_t i = 0; i < y.size(); ++i) {
        if (yes_no(key)) {
            char name[32];
            std::snprintf(name, sizeof name, "point_%04zu", i);
            for (const Policy& p : f.policies)
                if (p.name == name)
                    if (const Metric* m = p.metric(key)) y[i] = m->mean;
        } else if (i < std::size_t(s.metric_medians.rows)) {
            y[i] = s.metric_medians.at(int(i), metric);
        }
    }
    return y;
}

bool combo(const char* label, int& index, const std::vector<std::string>& items) {
    if (items.empty()) return false;
    index = std::clamp(index, 0, static_cast<int>(items.size()) - 1);
    bool changed = false;
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 16);
    if (ImGui::BeginCombo(label, items[index].c_str())) {
        for (int i = 0; i < static_cast<int>(items.size()); ++i)
            if (ImGui::Selectable(items[i].c_str(), i == index)) index = i, changed = true;
        ImGui::EndCombo();
    }
    return changed;
}

}  // namespace

void draw_sweep(const Workspace& w, ViewState& state) {
    std::vector<int> sweeps;
    for (int f = 0; f < static_cast<int>(w.files.size()); ++f)
        if (w.files[f].sweep && !w.files[f].sweep->values.empty()) sweeps.push_back(f);
    if (sweeps.empty()) {
        ImGui::TextUnformatted("No sweep in the open files: `trialtwin sweep` writes one.");
        return;
    }
    if (std::find(sweeps.begin(), sweeps.end(), state.sweep_file) == sweeps.end())
        state.sweep_file = sweeps.front();
    const ResultsFile& f = w.files[state.sweep_file];
    const Sweep& s = *f.sweep;
    state.sweep_key = std::clamp(state.sweep_key, 0, static_cast<int>(s.keys.size()) - 1);
    if (state.sweep_metric < 0) {
        const auto it = std::find(s.metric_keys.begin(), s.metric_keys.end(), "target_met_day");
        state.sweep_metric = it == s.metric_keys.end() ? 0 : int(it - s.metric_keys.begin());
    }
    state.sweep_metric =
        std::clamp(state.sweep_metric, 0, static_cast<int>(s.metric_keys.size()) - 1);
    if (!state.exporting) {
        combo("parameter", state.sweep_key, s.keys);
        ImGui::SameLine();
        combo("outcome (median; yes/no: probability)", state.sweep_metric, s.metric_keys);
    }
    if (s.metric_medians.empty() || s.metric_keys.empty()) {
        ImGui::TextUnformatted("The sweep holds no outcome medians.");
        return;
    }
    const std::string& key = s.metric_keys[state.sweep_metric];
    const std::string outcome = yes_no(key) ? "P(" + key + ")" : key + " (median)";
    ImGui::Text("%s design, %zu points: %s against %s", s.design.c_str(), s.values.size(),
                outcome.c_str(), s.keys[state.sweep_key].c_str());
    const std::vector<double> x = as_numbers(s, state.sweep_key);
    const int colour_key = s.keys.size() > 1 ? (state.sweep_key == 0 ? 1 : 0) : -1;
    const std::vector<double> shade = colour_key >= 0 ? as_numbers(s, colour_key) : x;
    const std::vector<double> y = outcome_at_points(f, s, state.sweep_metric);
    auto bounds = [](const std::vector<double>& v) {
        Range r{1e300, -1e300};
        for (double d : v)
            if (std::isfinite(d)) r.lo = std::min(r.lo, d), r.hi = std::max(r.hi, d);
        if (r.lo > r.hi) r = {0, 1};
        const double pad = std::max((r.hi - r.lo) * 0.08, std::abs(r.hi) * 0.01 + 1e-9);
        return Range{r.lo - pad, r.hi + pad};
    };
    // The plan date, where the outcome is the day the target is met.
    const double plan = key == "target_met_day" ? f.plan_target_met_day : NAN;
    std::vector<double> y_and_plan = y;
    if (std::isfinite(plan)) y_and_plan.push_back(plan);
    const Range sx = bounds(x), sc = bounds(shade);
    const Range sy =
        yes_no(key) ? Range{-0.04, 1.04} : bounds(y_and_plan);  // a probability: all of [0, 1]
    PlotStyle style;
    style.x_label = s.keys[state.sweep_key].c_str();
    style.y_label = outcome.c_str();
    if (colour_key >= 0)
        style.legend = {{"colour: " + s.keys[colour_key] + " (light = low)", theme::heat(0.6f)}};
    const Plot plot = begin_plot("sweep", ImVec2(0, 0), sx, sy, style);
    ImDrawList* draw = ImGui::GetWindowDrawList();
    if (std::isfinite(plan)) {
        const float py = plot.py(plan);
        draw->AddLine(ImVec2(plot.min.x, py), ImVec2(plot.max.x, py), theme::plan, 2);
        draw->AddText(ImVec2(plot.min.x + 6, py - ImGui::GetTextLineHeight() - 2), theme::plan,
                      "plan date");
        probe::note("sweep:plan", {py});
    }
    // With two or more keys, the points of each value of the colouring key joined and named at
    // their right end ("key = value"), when there are few enough values to read.
    if (colour_key >= 0) {
        std::vector<std::string> series;
        for (const auto& point : s.values)
            if (std::find(series.begin(), series.end(), point[colour_key]) == series.end())
                series.push_back(point[colour_key]);
        if (series.size() <= 12) {
            // Each series' points in order of x; series that coincide point for point are
            // drawn once and named together ("= 6, 10, 14 (the same)").
            struct Line {
                std::vector<std::size_t> members;
                std::vector<std::string> values;
            };
            std::vector<Line> lines;
            for (const std::string& value : series) {
                std::vector<std::size_t> members;
                for (std::size_t i = 0; i < y.size(); ++i)
                    if (s.values[i][colour_key] == value && std::isfinite(y[i]))
                        members.push_back(i);
                if (members.empty()) continue;
                std::stable_sort(members.begin(), members.end(),
                                 [&](std::size_t a, std::size_t b) { return x[a] < x[b]; });
                auto same = [&](const Line& l) {
                    if (l.members.size() != members.size()) return false;
                    for (std::size_t m = 0; m < members.size(); ++m)
                        if (x[l.members[m]] != x[members[m]] || y[l.members[m]] != y[members[m]])
                            return false;
                    return true;
                };
                const auto twin = std::find_if(lines.begin(), lines.end(), same);
                if (twin != lines.end())
                    twin->values.push_back(value);
                else
                    lines.push_back({members, {value}});
            }
            std::vector<float> taken;  // label rows already used, so that none overlaps
            const float line_h = ImGui::GetTextLineHeight();
            for (const Line& l : lines) {
                const float t = float((shade[l.members[0]] - sc.lo) / sc.span());
                const ImU32 colour = theme::heat(0.25f + 0.75f * t);
                for (std::size_t m = 1; m < l.members.size(); ++m)
                    draw->AddLine(plot.at(x[l.members[m - 1]], y[l.members[m - 1]]),
                                  plot.at(x[l.members[m]], y[l.members[m]]), colour, 2);
                std::string label = s.keys[colour_key] + " = ";
                for (std::size_t v = 0; v < l.values.size(); ++v)
                    label += (v ? ", " : "") + l.values[v];
                if (l.values.size() > 1) label += " (the same)";
                const ImVec2 end = plot.at(x[l.members.back()], y[l.members.back()]);
                float ty = end.y - line_h - 4;
                while (std::any_of(taken.begin(), taken.end(),
                                   [&](float u) { return std::abs(u - ty) < line_h; }))
                    ty += line_h;
                taken.push_back(ty);
                const float width = ImGui::CalcTextSize(label.c_str()).x;
                draw->AddText(ImVec2(std::min(end.x + 10, plot.max.x - width - 4), ty), theme::ink,
                              label.c_str());
                probe::note("sweep:series:" + label, {end.x, ty});
            }
        }
    }
    int nearest = -1;
    float best = 1e30f;
    const ImVec2 mouse = ImGui::GetIO().MousePos;
    for (std::size_t i = 0; i < y.size(); ++i) {
        if (!std::isfinite(y[i])) continue;
        const ImVec2 at = plot.at(x[i], y[i]);
        const float t = float((shade[i] - sc.lo) / sc.span());
        const ImU32 colour = colour_key >= 0 ? theme::heat(0.25f + 0.75f * t) : theme::policy(0);
        draw->AddCircleFilled(at, 6, colour);
        draw->AddCircle(at, 6, theme::ink);
        probe::note("sweep:" + std::to_string(i), {at.x, at.y, x[i], y[i]});
        const float d = (at.x - mouse.x) * (at.x - mouse.x) + (at.y - mouse.y) * (at.y - mouse.y);
        if (d < best) best = d, nearest = static_cast<int>(i);
    }
    end_plot();
    if (plot.hovered && nearest >= 0 && best < 400 && !state.exporting) {
        ImGui::BeginTooltip();
        for (std::size_t k = 0; k < s.keys.size(); ++k)
            ImGui::Text("%s = %s", s.keys[k].c_str(), s.values[nearest][k].c_str());
        ImGui::Text("%s: %s", outcome.c_str(), short_number(y[nearest]).c_str());
        ImGui::EndTooltip();
    }
}

}  // namespace viz
