// Enrollment fan chart: cumulative randomised over calendar time, per policy the median with
// its 50 % and 90 % bands, against the plan (the target, and the day it is planned for).
// The weekly value of week w is the count at the end of that week, day 7w + 7.

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "viz/layout_probe.hpp"
#include "viz/theme.hpp"
#include "viz/views.hpp"

namespace viz {
namespace {

// Columns of Policy::randomised_bands.
enum Band { p5, p25, p50, p75, p95 };

double end_of_week(const Policy& p, int week) {
    return double(p.week_length_days) * (week + 1);
}

void fill_band(ImDrawList* draw, const Plot& plot, const Policy& p, Band lo, Band hi, ImU32 fill) {
    const Grid& g = p.randomised_bands;
    for (int w = 0; w + 1 < g.rows; ++w) {
        const float x0 = plot.px(end_of_week(p, w)), x1 = plot.px(end_of_week(p, w + 1));
        if (x1 < plot.min.x || x0 > plot.max.x) continue;
        draw->AddQuadFilled(ImVec2(x0, plot.py(g.at(w, hi))), ImVec2(x1, plot.py(g.at(w + 1, hi))),
                            ImVec2(x1, plot.py(g.at(w + 1, lo))), ImVec2(x0, plot.py(g.at(w, lo))),
                            fill);
    }
}

void median_line(ImDrawList* draw, const Plot& plot, const Policy& p, ImU32 colour, float thickness,
                 bool dashed) {
    const Grid& g = p.randomised_bands;
    std::vector<ImVec2> points;
    points.reserve(g.rows);
    for (int w = 0; w < g.rows; ++w)
        points.push_back(plot.at(end_of_week(p, w), g.at(w, p50)));
    if (!dashed) {
        draw->AddPolyline(points.data(), static_cast<int>(points.size()), colour, 0, thickness);
        return;
    }
    // Dashes of 12 pixels with gaps of 8, along the line, so that the line drawn under it shows.
    float along = 0;
    for (std::size_t i = 1; i < points.size(); ++i) {
        const ImVec2 a = points[i - 1], b = points[i];
        const float length = std::hypot(b.x - a.x, b.y - a.y);
        for (float t = 0; t < length;) {
            const float phase = std::fmod(along + t, 20.0f);
            const float step = std::min(length - t, phase < 12 ? 12 - phase : 20 - phase);
            if (phase < 12) {
                const float t0 = t / length, t1 = (t + step) / length;
                draw->AddLine(ImVec2(a.x + (b.x - a.x) * t0, a.y + (b.y - a.y) * t0),
                              ImVec2(a.x + (b.x - a.x) * t1, a.y + (b.y - a.y) * t1), colour,
                              thickness);
            }
            t += std::max(step, 1e-3f);
        }
        along += length;
    }
}

// Whether two policies' median curves are the same to the eye: within half a patient, or 0.3 %
// of the chart's height, every week.
bool coincide(const Policy& a, const Policy& b, double top) {
    const Grid &ga = a.randomised_bands, &gb = b.randomised_bands;
    if (ga.rows != gb.rows || a.week_length_days != b.week_length_days || ga.rows == 0)
        return false;
    const double tolerance = std::max(0.5, 0.003 * top);
    for (int w = 0; w < ga.rows; ++w)
        if (std::abs(ga.at(w, p50) - gb.at(w, p50)) > tolerance) return false;
    return true;
}

}  // namespace

void draw_fan_chart(const Workspace& w, ViewState& state) {
    if (w.empty()) return;
    const ResultsFile& first = w.file_of(*w.policies.front());
    const CalendarAxis dates(first.start_date);

    // Up to the week the last band stops moving (every replication done recruiting).
    double last_day = 7, top = 1;
    for (const Policy* p : w.policies) {
        const Grid& g = p->randomised_bands;
        int moving = 0;
        for (int r = 0; r < g.rows; ++r) {
            for (int c = 0; c < g.cols; ++c)
                if (std::abs(g.at(r, c) - g.at(g.rows - 1, c)) > 0.01f) moving = r + 1;
            top = std::max(top, double(g.at(r, p95)));
        }
        last_day = std::max(last_day, end_of_week(*p, std::min(moving + 4, g.rows - 1)));
    }
    // With analyses, up to their median readouts (the milestones below).
    for (const Policy* p : w.policies) {
        if (!p->readout) continue;
        for (const Readout::Analysis& a : p->readout->per_analysis) {
            if (a.reached > 0) last_day = std::max(last_day, a.readout_day.p50 * 1.03);
        }
    }
    for (const ResultsFile& f : w.files) {
        top = std::max(top, double(f.randomisation_target));
        if (std::isfinite(f.plan_target_met_day))
            last_day = std::max(last_day, f.plan_target_met_day);
    }
    if (!state.exporting) {
        ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(theme::muted),
                           "Wheel: zoom time · drag: pan · double-click: whole trial");
    }
    const Range full{0, last_day * 1.02};
    const Range x = state.fan_zoom.visible(full);
    PlotStyle style;
    style.dates = &dates;
    style.y_label = "Patients randomised (cumulative)";
    // A policy whose median is another's drawn before it is dashed over it, and says so.
    std::vector<int> same_as(w.policies.size(), -1);
    for (std::size_t i = 0; i < w.policies.size(); ++i) {
        for (std::size_t j = 0; j < i && same_as[i] < 0; ++j)
            if (coincide(*w.policies[i], *w.policies[j], top)) same_as[i] = static_cast<int>(j);
        std::string label = w.policies[i]->label;
        if (same_as[i] >= 0) {
            label += " (dashed: same median as " + w.policies[same_as[i]]->label + ")";
            probe::note("coincides:" + w.policies[i]->label, {double(same_as[i])});
        }
        style.legend.push_back({label, theme::policy(static_cast<int>(i))});
    }
    for (const ResultsFile& f : w.files)
        if (f.observed)
            style.legend.push_back({"observed to " + f.observed->as_of_date, theme::ink});
    style.legend.push_back({"median, 50 % and 90 % bands", theme::with_alpha(theme::muted, 0.4f)});
    const Plot plot = begin_plot("fan", ImVec2(0, 0), x, Range{0, top * 1.08}, style);
    state.fan_zoom.handle(plot, full);
    ImDrawList* draw = ImGui::GetWindowDrawList();

    for (std::size_t i = 0; i < w.policies.size(); ++i) {
        const ImU32 colour = theme::policy(static_cast<int>(i));
        fill_band(draw, plot, *w.policies[i], p5, p95, theme::with_alpha(colour, 0.14f));
        fill_band(draw, plot, *w.policies[i], p25, p75, theme::with_alpha(colour, 0.28f));
    }
    for (std::size_t i = 0; i < w.policies.size(); ++i)
        median_line(draw, plot, *w.policies[i], theme::policy(static_cast<int>(i)), 2.5f,
                    same_as[i] >= 0);

    // The plan: the target, and the day it should be met.
    const float line = ImGui::GetTextLineHeight();
    for (const ResultsFile& f : w.files) {
        const float ty = plot.py(f.randomisation_target);
        draw->AddLine(ImVec2(plot.min.x, ty), ImVec2(plot.max.x, ty), theme::plan, 2.0f);
        if (std::isfinite(f.plan_target_met_day)) {
            const float px = plot.px(f.plan_target_met_day);
            for (float y = plot.min.y; y < plot.max.y; y += 12)  // dashed
                draw->AddLine(ImVec2(px, y), ImVec2(px, std::min(y + 7, plot.max.y)), theme::plan,
                              2.0f);
            char text[96];
            std::snprintf(text, sizeof text, "plan: %d by %s", f.randomisation_target,
                          dates.date(f.plan_target_met_day).c_str());
            draw->AddText(ImVec2(px - ImGui::CalcTextSize(text).x - line * 0.4f, ty - line * 1.3f),
                          theme::plan, text);
            probe::note("plan", {f.plan_target_met_day, double(f.randomisation_target)});
        }
    }

    // The analyses' median readouts, per policy: a marker in its colour under the top edge,
    // labelled once.
    std::vector<std::string> labelled;
    for (std::size_t i = 0; i < w.policies.size(); ++i) {
        const Policy& p = *w.policies[i];
        if (!p.readout) continue;
        const ImU32 colour = theme::policy(static_cast<int>(i));
        for (std::size_t a = 0; a < p.readout->analyses.size(); ++a) {
            const Readout::Analysis& an = p.readout->per_analysis[a];
            if (an.reached == 0) continue;
            const double day = an.readout_day.p50;
            const float mx = plot.px(day), my = plot.min.y + line * (0.9f + 0.9f * float(i % 3));
            if (mx < plot.min.x || mx > plot.max.x) continue;
            draw->AddTriangleFilled(ImVec2(mx, my + line * 0.35f),
                                    ImVec2(mx - line * 0.35f, my - line * 0.35f),
                                    ImVec2(mx + line * 0.35f, my - line * 0.35f), colour);
            const std::string& name = p.readout->analyses[a];
            if (std::find(labelled.begin(), labelled.end(), name) == labelled.end()) {
                labelled.push_back(name);
                const std::string text = name + " readout";
                draw->AddText(ImVec2(mx - ImGui::CalcTextSize(text.c_str()).x - line * 0.5f,
                                     my - line * 0.5f),
                              theme::muted, text.c_str());
            }
            probe::note("readout:" + p.label + ":" + name, {day});
        }
    }

    // A forecast: what was observed to the as-of date, in ink, and the as-of line.
    std::string observed_label;
    for (const ResultsFile& f : w.files) {
        if (!f.observed || f.observed->randomised_by_week.empty()) continue;
        const Observed& o = *f.observed;
        std::vector<ImVec2> points{plot.at(0, 0)};
        for (std::size_t week = 0; week < o.randomised_by_week.size(); ++week) {
            const double day = std::min(7.0 * (week + 1), o.as_of_day);
            points.push_back(plot.at(day, o.randomised_by_week[week]));
        }
        draw->AddPolyline(points.data(), static_cast<int>(points.size()), theme::ink, 0, 3.0f);
        const float ax = plot.px(o.as_of_day);
        draw->AddLine(ImVec2(ax, plot.min.y), ImVec2(ax, plot.max.y), theme::ink, 1.5f);
        char text[64];
        std::snprintf(text, sizeof text, "as of %s", o.as_of_date.c_str());
        draw->AddText(ImVec2(ax + line * 0.3f, plot.min.y + line * 0.3f), theme::ink, text);
        probe::note("observed", {o.as_of_day, double(o.randomised_by_week.back())});
        observed_label = "observed to " + o.as_of_date;
    }

    if (plot.hovered && !state.exporting) {
        const float mx = ImGui::GetIO().MousePos.x;
        draw->AddLine(ImVec2(mx, plot.min.y), ImVec2(mx, plot.max.y), theme::muted);
        const double day = plot.x_at(mx);
        ImGui::BeginTooltip();
        ImGui::Text("%s (day %.0f)", dates.date(day).c_str(), day);
        for (std::size_t i = 0; i < w.policies.size(); ++i) {
            const Policy& p = *w.policies[i];
            const Grid& g = p.randomised_bands;
            const int week =
                std::clamp(int(std::floor(day / p.week_length_days)) - 1, 0, g.rows - 1);
            ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(theme::policy(int(i))),
                               "%s: median %.0f, 50 %% %.0f–%.0f, 90 %% %.0f–%.0f", p.label.c_str(),
                               g.at(week, p50), g.at(week, p25), g.at(week, p75), g.at(week, p5),
                               g.at(week, p95));
        }
        ImGui::EndTooltip();
    }
    end_plot();
}

}  // namespace viz
