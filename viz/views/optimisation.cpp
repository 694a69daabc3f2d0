// Optimisation: for a file written by `trialtwin optimise`, every decision the search
// evaluated — its objective against the first constraint (P(target by plan) for site
// selection), in sample on the search's replications — with the trade-off front, the bound,
// the decisions re-run on fresh replications (where each landed there) and the one chosen.

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include "viz/layout_probe.hpp"
#include "viz/theme.hpp"
#include "viz/views.hpp"

namespace viz {
namespace {

// The bound of a constraint's text ("p:target_met_by_plan>=0.9" → 0.9); NaN if none.
double bound_of(const std::string& constraint) {
    auto at = constraint.find(">=");
    if (at == std::string::npos) at = constraint.find("<=");
    if (at == std::string::npos) return NAN;
    const std::string text = constraint.substr(at + 2);
    char* end = nullptr;
    const double v = std::strtod(text.c_str(), &end);
    return end != text.c_str() && *end == '\0' ? v : NAN;
}

std::string criterion_of(const std::string& constraint) {
    auto at = constraint.find(">=");
    if (at == std::string::npos) at = constraint.find("<=");
    return constraint.substr(0, at);
}

ImU32 phase_colour(int phase) {
    if (phase == 0) return theme::ink;
    return theme::policy(phase == 1 ? 0 : 2);
}

}  // namespace

void draw_optimisation(const Workspace& w, ViewState& state) {
    int file = -1;
    for (int f = 0; f < static_cast<int>(w.files.size()) && file < 0; ++f)
        if (w.files[f].optimisation && !w.files[f].optimisation->objective_values.empty()) file = f;
    if (file < 0) {
        ImGui::TextUnformatted(
            "No decision search in the open files: `trialtwin optimise` "
            "writes one.");
        return;
    }
    const Optimisation& o = *w.files[file].optimisation;
    const int n = static_cast<int>(o.objective_values.size());
    const bool constrained = !o.constraints.empty() && o.constraint_values.cols > 0;
    std::string title = o.sense + " " + o.objective;
    for (std::size_t c = 0; c < o.constraints.size(); ++c)
        title += (c == 0 ? " subject to " : ", ") + o.constraints[c];
    ImGui::Text("%s: %d decisions evaluated", title.c_str(), n);
    ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(theme::muted), "answer: %s",
                       o.verdict.c_str());

    // x: the first constraint's value (or the evaluation's number), y: the objective.
    auto x_of = [&](int e) {
        return constrained ? double(o.constraint_values.at(e, 0)) : double(e);
    };
    Range sx{1e300, -1e300}, sy{1e300, -1e300};
    auto widen = [](Range& r, double v) {
        if (std::isfinite(v)) r.lo = std::min(r.lo, v), r.hi = std::max(r.hi, v);
    };
    for (int e = 0; e < n; ++e) {
        widen(sx, x_of(e));
        widen(sy, o.objective_values[e]);
    }
    const double bound = constrained ? bound_of(o.constraints[0]) : NAN;
    widen(sx, bound);
    for (const Optimisation::Validated& v : o.validated) {
        widen(sy, v.objective);
        if (constrained && !v.constraints.empty()) widen(sx, v.constraints[0]);
    }
    if (sx.lo > sx.hi) sx = {0, 1};
    if (sy.lo > sy.hi) sy = {0, 1};
    const double px = std::max(sx.span() * 0.06, std::abs(sx.hi) * 0.01 + 1e-9);
    const double py = std::max(sy.span() * 0.08, std::abs(sy.hi) * 0.01 + 1e-9);
    sx = {sx.lo - px, sx.hi + px};
    sy = {sy.lo - py, sy.hi + py};
    PlotStyle style;
    const std::string x_label =
        constrained ? criterion_of(o.constraints[0]) + " (in sample; fresh: diamonds)"
                    : std::string("evaluation");
    style.x_label = x_label.c_str();
    style.y_label = o.objective.c_str();
    style.legend = {{"plan as written", theme::ink}};
    for (int phase : {1, 2})
        if (std::find(o.phase.begin(), o.phase.end(), phase) != o.phase.end())
            style.legend.push_back(
                {phase == 1 ? "site selection" : "values of the keys", phase_colour(phase)});
    if (constrained) {
        style.legend.push_back({"hollow: fails a constraint in sample", theme::muted});
        style.legend.push_back({"on fresh replications: holds", theme::enrolling});
        style.legend.push_back({"on fresh replications: fails", theme::alarm});
    }
    const Plot plot = begin_plot("optimise", ImVec2(0, 0), sx, sy, style);
    ImDrawList* draw = ImGui::GetWindowDrawList();
    // The bound: decisions on its wrong side fail the constraint.
    if (std::isfinite(bound)) {
        const float bx = plot.px(bound);
        for (float y = plot.min.y; y < plot.max.y; y += 14)
            draw->AddLine(ImVec2(bx, y), ImVec2(bx, std::min(y + 8, plot.max.y)), theme::plan, 2);
        const std::string text = "bound " + short_number(bound);
        const float width = ImGui::CalcTextSize(text.c_str()).x;
        draw->AddText(ImVec2(bx + 6 + width < plot.max.x ? bx + 6 : bx - 6 - width, plot.min.y + 4),
                      theme::plan, text.c_str());
        probe::note("optimise:bound", {bx});
    }
    // The front, joined in order of x.
    std::vector<int> front;
    for (int e = 0; e < n; ++e)
        if (e < static_cast<int>(o.on_front.size()) && o.on_front[e]) front.push_back(e);
    std::sort(front.begin(), front.end(), [&](int a, int b) { return x_of(a) < x_of(b); });
    for (std::size_t i = 1; i < front.size(); ++i)
        draw->AddLine(plot.at(x_of(front[i - 1]), o.objective_values[front[i - 1]]),
                      plot.at(x_of(front[i]), o.objective_values[front[i]]),
                      theme::with_alpha(theme::ink, 0.6f), 2);
    int nearest = -1;
    float best = 1e30f;
    const ImVec2 mouse = ImGui::GetIO().MousePos;
    for (int e = 0; e < n; ++e) {
        const double x = x_of(e), y = o.objective_values[e];
        if (!std::isfinite(x) || !std::isfinite(y)) continue;
        const ImVec2 at = plot.at(x, y);
        const ImU32 colour = phase_colour(e < static_cast<int>(o.phase.size()) ? o.phase[e] : 1);
        const bool feasible = e < static_cast<int>(o.feasible.size()) && o.feasible[e];
        if (feasible)
            draw->AddCircleFilled(at, 5, colour);
        else
            draw->AddCircle(at, 5, colour, 0, 2);
        const float d = (at.x - mouse.x) * (at.x - mouse.x) + (at.y - mouse.y) * (at.y - mouse.y);
        if (d < best) best = d, nearest = e;
    }
    // Each validated decision: where it landed on fresh replications.
    for (const Optimisation::Validated& v : o.validated) {
        if (!constrained || v.constraints.empty()) continue;
        const ImVec2 from = plot.at(x_of(v.evaluation), o.objective_values[v.evaluation]);
        const ImVec2 to = plot.at(v.constraints[0], v.objective);
        if (!std::isfinite(to.x) || !std::isfinite(to.y)) continue;
        draw->AddLine(from, to, theme::muted, 1.5f);
        // Its 95 % interval on the constraint.
        if (v.constraints.size() >= 3 && std::isfinite(v.constraints[1]))
            draw->AddLine(ImVec2(plot.px(v.constraints[1]), to.y),
                          ImVec2(plot.px(v.constraints[2]), to.y), theme::muted, 1.5f);
        const float r = 7;
        const ImVec2 diamond[] = {ImVec2(to.x, to.y - r), ImVec2(to.x + r, to.y),
                                  ImVec2(to.x, to.y + r), ImVec2(to.x - r, to.y)};
        const ImU32 colour = v.feasible ? theme::enrolling : theme::alarm;
        draw->AddConvexPolyFilled(diamond, 4, colour);
        draw->AddPolyline(diamond, 4, theme::ink, ImDrawFlags_Closed, 1.5f);
        probe::note("optimise:fresh:" + std::to_string(v.evaluation),
                    {to.x, to.y, double(v.feasible), double(v.chosen)});
    }
    // The plan as written and the chosen decision, named.
    auto name = [&](int e, const std::string& text, ImU32 colour) {
        const double x = x_of(e), y = o.objective_values[e];
        if (!std::isfinite(x) || !std::isfinite(y)) return;
        const ImVec2 at = plot.at(x, y);
        draw->AddCircle(at, 11, colour, 0, 3);
        const float width = ImGui::CalcTextSize(text.c_str()).x;
        const float tx = at.x + 14 + width < plot.max.x ? at.x + 14 : at.x - 14 - width;
        draw->AddText(ImVec2(tx, at.y - ImGui::GetTextLineHeight() - 4), colour, text.c_str());
        probe::note("optimise:" + text, {at.x, at.y});
    };
    name(0, "plan as written", theme::ink);
    if (o.chosen > 0 && o.chosen < n) name(o.chosen, "chosen", theme::plan);
    end_plot();
    if (plot.hovered && nearest >= 0 && best < 400 && !state.exporting) {
        ImGui::BeginTooltip();
        ImGui::Text("decision %d%s", nearest, nearest == 0 ? " (the plan as written)" : "");
        ImGui::Text("%s: %s", o.objective.c_str(),
                    short_number(o.objective_values[nearest]).c_str());
        for (std::size_t c = 0; c < o.constraints.size(); ++c)
            ImGui::Text("%s: %s", criterion_of(o.constraints[c]).c_str(),
                        short_number(o.constraint_values.at(nearest, static_cast<int>(c))).c_str());
        if (o.candidate_sites > 0 && nearest < static_cast<int>(o.sites_open.size()))
            ImGui::Text("%d of %d candidate sites open", o.sites_open[nearest], o.candidate_sites);
        ImGui::EndTooltip();
    }
}

}  // namespace viz
