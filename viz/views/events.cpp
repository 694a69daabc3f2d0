// Events and readout: an endpoint's cumulative events over calendar time, for one policy —
// all arms together (what an analysis' event trigger counts) with its 50 % and 90 % bands,
// and each arm's median and 50 % band — with each analysis' event target as a line, its median
// cut-off and readout dates marked, and a line per policy: the readouts as dates, P10 to P90, and
// P(read out by the date asked about).

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "viz/layout_probe.hpp"
#include "viz/theme.hpp"
#include "viz/views.hpp"

namespace viz {
namespace {

enum Band { p5, p25, p50, p75, p95 };

double end_of_week(int week) {
    return 7.0 * (week + 1);
}

void fill_band(ImDrawList* draw, const Plot& plot, const Grid& g, Band lo, Band hi, ImU32 fill) {
    for (int w = 0; w + 1 < g.rows; ++w) {
        const float x0 = plot.px(end_of_week(w)), x1 = plot.px(end_of_week(w + 1));
        if (x1 < plot.min.x || x0 > plot.max.x) continue;
        draw->AddQuadFilled(ImVec2(x0, plot.py(g.at(w, hi))), ImVec2(x1, plot.py(g.at(w + 1, hi))),
                            ImVec2(x1, plot.py(g.at(w + 1, lo))), ImVec2(x0, plot.py(g.at(w, lo))),
                            fill);
    }
}

void median_line(ImDrawList* draw, const Plot& plot, const Grid& g, ImU32 colour, float width) {
    std::vector<ImVec2> points;
    for (int w = 0; w < g.rows; ++w)
        points.push_back(plot.at(end_of_week(w), g.at(w, p50)));
    draw->AddPolyline(points.data(), static_cast<int>(points.size()), colour, 0, width);
}

void dashed_vertical(ImDrawList* draw, const Plot& plot, float x, ImU32 colour) {
    for (float y = plot.min.y; y < plot.max.y; y += 10)
        draw->AddLine(ImVec2(x, y), ImVec2(x, std::min(y + 5, plot.max.y)), colour, 1.5f);
}

std::string date_or_not(const CalendarAxis& dates, double day) {
    return std::isfinite(day) ? dates.date(day) : std::string("not reached");
}

}  // namespace

void draw_events(const Workspace& w, ViewState& state) {
    if (w.empty()) return;
    const ResultsFile& first = w.file_of(*w.policies.front());
    const CalendarAxis dates(first.start_date);
    bool any = false;
    for (const Policy* p : w.policies)
        any = any || p->readout;
    if (!any) {
        ImGui::TextWrapped(
            "No endpoints in these results: a scenario with [[endpoints]] and "
            "[[analyses]] (scenarios/README.md) records events and readouts.");
        return;
    }
    const Policy& p = choose_policy(w, state);
    const ImU32 muted = theme::muted;

    // The readouts, policy by policy, as dates.
    for (std::size_t i = 0; i < w.policies.size(); ++i) {
        const Policy& q = *w.policies[i];
        if (!q.readout) continue;
        const Readout& r = *q.readout;
        std::string line = q.label + ":";
        for (std::size_t a = 0; a < r.analyses.size(); ++a) {
            const Readout::Analysis& an = r.per_analysis[a];
            char text[256];
            std::snprintf(text, sizeof text, "  %s readout %s (%s to %s)", r.analyses[a].c_str(),
                          date_or_not(dates, an.readout_day.p50).c_str(),
                          date_or_not(dates, an.readout_day.p5).c_str(),
                          date_or_not(dates, an.readout_day.p95).c_str());
            line += text;
            if (std::isfinite(r.by_day) && std::isfinite(r.p_readout_by[a])) {
                std::snprintf(text, sizeof text, ", P(by %s) %.2f", dates.date(r.by_day).c_str(),
                              r.p_readout_by[a]);
                line += text;
            }
            if (an.reached < an.replications) {
                std::snprintf(text, sizeof text, " [reached %d/%d]", an.reached, an.replications);
                line += text;
            }
        }
        ImGui::PushStyleColor(ImGuiCol_Text,
                              ImGui::ColorConvertU32ToFloat4(theme::policy(static_cast<int>(i))));
        ImGui::TextWrapped("%s", line.c_str());  // (a narrow window wraps, never cuts)
        ImGui::PopStyleColor();
    }
    if (!p.readout) {
        ImGui::TextWrapped("%s has no readout.", p.label.c_str());
        return;
    }
    const Readout& r = *p.readout;
    // The endpoint of the final analysis (the last).
    const int endpoint = r.analysis_endpoint.back();
    const int arms = static_cast<int>(r.arms.size());
    const Grid& all = r.events_bands[endpoint * (arms + 1) + arms];
    if (all.rows == 0) return;

    // Up to the latest readout's P95 (the whole series when none was reached).
    double last_readout = 0, top = 1;
    for (std::size_t a = 0; a < r.analyses.size(); ++a) {
        const Distribution& day = r.per_analysis[a].readout_day;
        if (day.count > 0 && std::isfinite(day.p95)) last_readout = std::max(last_readout, day.p95);
        top = std::max(top, r.per_analysis[a].events_median);
    }
    const double last_day = last_readout > 0 ? last_readout * 1.03 : end_of_week(all.rows - 1);
    for (int row = 0; row < all.rows; ++row)
        top = std::max(top, double(all.at(row, p95)));
    if (!state.exporting) {
        ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(muted),
                           "Wheel: zoom time · drag: pan · double-click: whole trial");
    }
    const Range full{0, last_day * 1.02};
    const Range x = state.events_zoom.visible(full);
    PlotStyle style;
    style.dates = &dates;
    char y_label[128];
    std::snprintf(y_label, sizeof y_label, "%s events (cumulative)", r.endpoints[endpoint].c_str());
    style.y_label = y_label;
    style.legend.push_back({"all arms: median, 50 % and 90 % bands", theme::ink});
    for (int arm = 0; arm < arms; ++arm)
        style.legend.push_back({r.arms[arm] + " (median, 50 % band)", theme::policy(arm + 1)});
    style.legend.push_back(
        {"analysis: events, median cut-off (dot, dashed) and readout (triangle)", theme::plan});
    // Headroom for the labels above the targets: the highest target's label stays in the chart
    // whatever the window's height.
    const float text_line = ImGui::GetTextLineHeight();
    const float plot_height = std::max(100.0f, ImGui::GetContentRegionAvail().y - 3 * text_line);
    const float reserved = text_line * 2.8f;
    const double headroom = 1.0 / std::max(0.3, 1.0 - double(reserved / plot_height));
    const Plot plot =
        begin_plot("events", ImVec2(0, 0), x, Range{0, top * std::max(1.12, headroom)}, style);
    state.events_zoom.handle(plot, full);
    ImDrawList* draw = ImGui::GetWindowDrawList();

    fill_band(draw, plot, all, p5, p95, theme::with_alpha(theme::ink, 0.10f));
    fill_band(draw, plot, all, p25, p75, theme::with_alpha(theme::ink, 0.20f));
    for (int arm = 0; arm < arms; ++arm) {
        fill_band(draw, plot, r.events_bands[endpoint * (arms + 1) + arm], p25, p75,
                  theme::with_alpha(theme::policy(arm + 1), 0.22f));
    }
    median_line(draw, plot, all, theme::ink, 2.5f);
    for (int arm = 0; arm < arms; ++arm)
        median_line(draw, plot, r.events_bands[endpoint * (arms + 1) + arm], theme::policy(arm + 1),
                    2.0f);
    probe::note("events:all", {double(all.at(all.rows - 1, p50))});

    // Each analysis of this endpoint: its events (median at the cut-off) and dates.
    const float line = ImGui::GetTextLineHeight();
    for (std::size_t a = 0; a < r.analyses.size(); ++a) {
        if (r.analysis_endpoint[a] != endpoint) continue;
        const Readout::Analysis& an = r.per_analysis[a];
        if (an.reached == 0) continue;
        const double events = an.events_median, cutoff = an.cutoff_day.p50;
        const double readout = an.readout_day.p50;
        const float y = plot.py(events);
        draw->AddLine(ImVec2(plot.min.x, y), ImVec2(plot.max.x, y), theme::plan, 1.5f);
        const float cx = plot.px(cutoff), rx = plot.px(readout);
        dashed_vertical(draw, plot, cx, theme::plan);
        draw->AddCircleFilled(ImVec2(cx, y), line * 0.3f, theme::plan);
        draw->AddTriangleFilled(ImVec2(rx, y - line * 0.45f),
                                ImVec2(rx - line * 0.35f, y + line * 0.25f),
                                ImVec2(rx + line * 0.35f, y + line * 0.25f), theme::plan);
        char text[160];
        std::snprintf(text, sizeof text, "%s: %.0f events, cut-off %s, readout %s",
                      r.analyses[a].c_str(), events, dates.date(cutoff).c_str(),
                      dates.date(readout).c_str());
        const float width = ImGui::CalcTextSize(text).x;
        const float tx = std::clamp(cx - width - line * 0.4f, plot.min.x + line * 0.3f,
                                    plot.max.x - width - line * 0.3f);
        draw->AddText(ImVec2(tx, y - line * 1.3f), theme::plan, text);
        probe::note("analysis:" + r.analyses[a], {cutoff, events, readout});
    }

    if (plot.hovered && !state.exporting) {
        const float mx = ImGui::GetIO().MousePos.x;
        draw->AddLine(ImVec2(mx, plot.min.y), ImVec2(mx, plot.max.y), muted);
        const double day = plot.x_at(mx);
        const int week = std::clamp(int(std::floor(day / 7)) - 1, 0, all.rows - 1);
        ImGui::BeginTooltip();
        ImGui::Text("%s (day %.0f)", dates.date(day).c_str(), day);
        ImGui::Text("all arms: median %.0f, 50 %% %.0f–%.0f, 90 %% %.0f–%.0f", all.at(week, p50),
                    all.at(week, p25), all.at(week, p75), all.at(week, p5), all.at(week, p95));
        for (int arm = 0; arm < arms; ++arm) {
            const Grid& g = r.events_bands[endpoint * (arms + 1) + arm];
            ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(theme::policy(arm + 1)),
                               "%s: median %.0f", r.arms[arm].c_str(), g.at(week, p50));
        }
        ImGui::EndTooltip();
    }
    end_plot();
}

}  // namespace viz
