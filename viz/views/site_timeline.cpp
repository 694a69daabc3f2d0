// Site timeline (Gantt): per site, in the median replication day of each phase, start-up
// (country approval to activation), enrolling (to the end of its recruitment), follow-up (to
// its last visit), then closed. Grouped by country, or sorted by performance or activation.
// Markers: a lagging site (under half the replications meet its target) and stock-outs.

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>

#include "viz/layout_probe.hpp"
#include "viz/theme.hpp"
#include "viz/views.hpp"

namespace viz {
namespace {

struct Row {
    int site = -1;  // -1: a country heading
    std::string country;
};

std::vector<Row> rows_in_order(const Policy& p, ViewState::SiteOrder order) {
    std::vector<int> sites(p.sites.size());
    std::iota(sites.begin(), sites.end(), 0);
    auto performance = [&](int s) {
        const Site& site = p.sites[s];
        return site.target > 0 ? site.randomised_mean / site.target : site.randomised_mean;
    };
    auto activation = [&](int s) {
        const double a = p.sites[s].activation_day;
        return std::isnan(a) ? 1e300 : a;
    };
    std::vector<Row> rows;
    switch (order) {
        case ViewState::SiteOrder::country: {
            // Countries in order of first appearance, sites in scenario order within them.
            std::vector<std::string> countries;
            for (const Site& s : p.sites)
                if (std::find(countries.begin(), countries.end(), s.country) == countries.end())
                    countries.push_back(s.country);
            for (const std::string& c : countries) {
                rows.push_back({-1, c});
                for (int s : sites)
                    if (p.sites[s].country == c) rows.push_back({s, c});
            }
            return rows;
        }
        case ViewState::SiteOrder::performance:
            std::stable_sort(sites.begin(), sites.end(),
                             [&](int a, int b) { return performance(a) < performance(b); });
            break;
        case ViewState::SiteOrder::activation:
            std::stable_sort(sites.begin(), sites.end(),
                             [&](int a, int b) { return activation(a) < activation(b); });
            break;
    }
    for (int s : sites)
        rows.push_back({s, p.sites[s].country});
    return rows;
}

// Flags read off the site table (the policy issue will record flags as the trial runs).
bool lagging(const Site& s) {
    return s.target > 0 && s.randomised_mean < 0.9 * s.target;
}
bool short_of_kits(const Site& s) {
    return s.stock_outs_mean >= 1.0;
}
bool deviating(const Site& s) {
    return s.deviations_mean >= 5.0;
}
constexpr ImU32 kit_colour = IM_COL32(230, 159, 0, 255);
ImU32 flag_colour(int kind) {
    // lagging_site, staff_overload, equipment_conflict, stock_out_risk, slowdown
    static constexpr ImU32 colours[] = {IM_COL32(214, 39, 40, 255), IM_COL32(120, 60, 170, 255),
                                        IM_COL32(90, 90, 90, 255), IM_COL32(230, 159, 0, 255),
                                        IM_COL32(31, 119, 180, 255)};
    return colours[kind % 5];
}
constexpr ImU32 deviation_colour = IM_COL32(120, 60, 170, 255);

// Text that fits a row: the font scaled down to the row height when rows are thin.
void row_text(ImDrawList* draw, ImVec2 at, float row_h, ImU32 colour, const char* text) {
    const float size = std::min(ImGui::GetFontSize(), row_h * 0.92f);
    if (size < 7) return;
    draw->AddText(ImGui::GetFont(), size, ImVec2(at.x, at.y + (row_h - size) / 2), colour, text);
}

void bar(ImDrawList* draw, const Plot& plot, double from, double to, float top, float bottom,
         ImU32 colour) {
    if (!std::isfinite(from) || !std::isfinite(to) || to < from) return;
    draw->AddRectFilled(ImVec2(plot.px(from), top),
                        ImVec2(std::max(plot.px(to), plot.px(from) + 1), bottom), colour);
}

}  // namespace

void draw_site_timeline(const Workspace& w, ViewState& state) {
    if (w.empty()) return;
    const Policy& p = choose_policy(w, state);
    const ResultsFile& f = w.file_of(p);
    const CalendarAxis dates(f.start_date);
    if (!state.exporting) {
        ImGui::SameLine();
        int order = static_cast<int>(state.site_order);
        ImGui::SetNextItemWidth(ImGui::GetFontSize() * 10);
        ImGui::Combo("order", &order, "by country\0by performance (worst first)\0by activation\0");
        state.site_order = static_cast<ViewState::SiteOrder>(order);
    }
    if (p.sites.empty()) {
        ImGui::TextUnformatted("This file holds no site table.");
        return;
    }
    const std::vector<Row> rows = rows_in_order(p, state.site_order);

    double last_day = 7;
    for (const Site& s : p.sites)
        for (double d :
             {s.approval_day, s.activation_day, s.recruitment_end_day, s.last_activity_day})
            if (std::isfinite(d)) last_day = std::max(last_day, d);
    const Range full{0, last_day * 1.03};
    const Range x = state.timeline_zoom.visible(full);

    // The label column: "DE-01  12.3 / 15".
    const float line = ImGui::GetTextLineHeight();
    float label_width = 0;
    std::vector<std::string> labels(p.sites.size());
    for (std::size_t s = 0; s < p.sites.size(); ++s) {
        char text[96];
        std::snprintf(text, sizeof text, "%s  %.1f / %d", p.sites[s].id.c_str(),
                      p.sites[s].randomised_mean, p.sites[s].target);
        labels[s] = text;
        label_width = std::max(label_width, ImGui::CalcTextSize(text).x);
    }

    // Legend line above the chart.
    ImDrawList* draw = ImGui::GetWindowDrawList();
    {
        const ImVec2 at = ImGui::GetCursorScreenPos();
        float cx = at.x;
        auto key = [&](ImU32 colour, const char* text) {
            draw->AddRectFilled(ImVec2(cx, at.y + line * 0.2f),
                                ImVec2(cx + line, at.y + line * 0.8f), colour);
            draw->AddText(ImVec2(cx + line * 1.3f, at.y), theme::ink, text);
            cx += line * 2.2f + ImGui::CalcTextSize(text).x;
        };
        key(theme::startup, "start-up (approval → activation)");
        key(theme::enrolling, "enrolling");
        key(theme::follow_up, "follow-up");
        if (p.anomalies.recorded) {
            for (std::size_t k = 0; k < p.anomalies.kinds.size(); ++k)
                key(flag_colour(static_cast<int>(k)), p.anomalies.kinds[k].c_str());
            key(theme::muted, "(median first flag; ≥ 50 % of runs)");
        } else {
            key(theme::alarm, "lagging: < 90 % of target");
            key(kit_colour, "≥ 1 stock-out");
            key(deviation_colour, "≥ 5 deviations (per replication)");
        }
        ImGui::Dummy(ImVec2(cx - at.x, line));
    }

    const float avail = ImGui::GetContentRegionAvail().y - line * 2.0f;
    // A slide holds every site: rows as thin as it takes (a 1,000-site trial: under a pixel
    // each), named by country where a site's name no longer fits.
    float row_h = std::clamp(avail / rows.size(), state.exporting ? 0.25f : 4.0f, line * 1.35f);
    const bool scroll = !state.exporting && avail / rows.size() < line * 0.6f;
    if (scroll) row_h = line * 0.8f;
    if (scroll) ImGui::BeginChild("gantt", ImVec2(0, 0), false);

    PlotStyle style;
    style.dates = &dates;
    style.left_margin = label_width + line * 1.2f;
    style.y_grid = false;
    const float height = row_h * rows.size() + line * 2.2f;
    const Plot plot =
        begin_plot("timeline", ImVec2(0, height), x, Range{0, double(rows.size())}, style);
    state.timeline_zoom.handle(plot, full);
    end_plot();  // labels sit left of the data area: draw rows unclipped, bars clipped below

    const float pad = std::min(std::max(1.0f, row_h * 0.2f), row_h * 0.3f);
    // Rows too thin for a site's name: each country named over its block of rows, with its
    // sites' count and their randomised against target.
    const bool site_names = std::min(ImGui::GetFontSize(), row_h * 0.92f) >= 7;
    if (!site_names) {
        for (std::size_t r = 0; r < rows.size();) {
            std::size_t end = r + 1;
            while (end < rows.size() && rows[end].country == rows[r].country && rows[end].site >= 0)
                ++end;
            if (state.site_order != ViewState::SiteOrder::country) end = r + 1;
            if (state.site_order == ViewState::SiteOrder::country) {
                double randomised = 0;
                int sites = 0, target = 0;
                for (std::size_t q = r; q < end; ++q) {
                    if (rows[q].site < 0) continue;
                    ++sites;
                    randomised += p.sites[rows[q].site].randomised_mean;
                    target += p.sites[rows[q].site].target;
                }
                const float top = plot.min.y + row_h * r, bottom = plot.min.y + row_h * end;
                draw->AddLine(ImVec2(plot.min.x - style.left_margin, top + 0.5f),
                              ImVec2(plot.max.x, top + 0.5f), theme::muted);
                char text[96];
                std::snprintf(text, sizeof text, "%s  %d sites", rows[r].country.c_str(), sites);
                char counts[64];
                std::snprintf(counts, sizeof counts, "%.0f / %d", randomised, target);
                const float size = std::min(ImGui::GetFontSize(), (bottom - top) * 0.45f);
                if (size >= 7) {
                    const float cy = 0.5f * (top + bottom);
                    const bool two_lines = bottom - top >= size * 2.2f;
                    draw->AddText(ImGui::GetFont(), size,
                                  ImVec2(plot.min.x - style.left_margin + 2,
                                         two_lines ? cy - size : cy - size / 2),
                                  theme::ink, text);
                    if (two_lines)
                        draw->AddText(ImGui::GetFont(), size * 0.9f,
                                      ImVec2(plot.min.x - style.left_margin + 2, cy), theme::muted,
                                      counts);
                    probe::note("country:" + rows[r].country, {top, bottom, double(sites)});
                }
            }
            r = end;
        }
    }
    for (std::size_t r = 0; r < rows.size(); ++r) {
        const float top = plot.min.y + row_h * r, bottom = top + row_h;
        if (rows[r].site < 0) {
            if (!site_names) continue;  // the country's block is named above
            draw->AddLine(ImVec2(plot.min.x - style.left_margin, top + 0.5f),
                          ImVec2(plot.max.x, top + 0.5f), theme::muted);
            row_text(draw, ImVec2(plot.min.x - style.left_margin + 2, top), row_h, theme::ink,
                     rows[r].country.c_str());
            continue;
        }
        const Site& s = p.sites[rows[r].site];
        if (site_names)
            row_text(draw, ImVec2(plot.min.x - style.left_margin + line * 0.6f, top), row_h,
                     lagging(s) ? theme::alarm : theme::ink, labels[rows[r].site].c_str());
        draw->PushClipRect(plot.min, plot.max, true);
        const double end = plot.x.hi;
        if (std::isfinite(s.activation_day)) {
            bar(draw, plot, s.approval_day, s.activation_day, top + pad, bottom - pad,
                theme::startup);
            bar(draw, plot, s.activation_day, s.recruitment_end_day, top + pad, bottom - pad,
                theme::enrolling);
            bar(draw, plot, s.recruitment_end_day, s.last_activity_day, top + pad, bottom - pad,
                theme::follow_up);
            const float mid = 0.5f * (top + bottom);
            if (std::isfinite(s.last_activity_day) && s.last_activity_day < end)
                draw->AddLine(ImVec2(plot.px(s.last_activity_day), mid), ImVec2(plot.max.x, mid),
                              theme::grid, 1.0f);
        } else {
            // Not activated in most replications: start-up runs on, faded.
            bar(draw, plot, std::isfinite(s.approval_day) ? s.approval_day : 0.0, end, top + pad,
                bottom - pad, theme::with_alpha(theme::startup, 0.4f));
        }
        const float cy = 0.5f * (top + bottom), half = std::max(2.0f, row_h * 0.35f);
        if (p.anomalies.recorded) {
            // Flags raised during the runs: at the median day a site was first flagged, when
            // at least half the replications flagged it.
            for (const Anomalies::SiteFlag& flag : p.anomalies.sites) {
                if (flag.site != rows[r].site || flag.share < 0.5) continue;
                const float fx = plot.px(flag.first_day_median);
                draw->AddTriangleFilled(ImVec2(fx - half, cy + half), ImVec2(fx + half, cy + half),
                                        ImVec2(fx, cy - half), flag_colour(flag.kind));
                probe::note("flag:" + s.id + ":" + p.anomalies.kinds[flag.kind],
                            {flag.first_day_median, flag.share});
            }
        }
        if (!p.anomalies.recorded) {
            // No flags in the file: markers read off the site table, after the enrolling bar.
            float marker =
                plot.px(std::isfinite(s.recruitment_end_day) ? s.recruitment_end_day : end) +
                row_h * 0.6f;
            if (lagging(s)) {
                draw->AddTriangleFilled(ImVec2(marker - half, cy + half),
                                        ImVec2(marker + half, cy + half), ImVec2(marker, cy - half),
                                        theme::alarm);
                marker += half * 2.4f;
            }
            if (short_of_kits(s)) {
                draw->AddQuadFilled(ImVec2(marker, cy - half), ImVec2(marker + half, cy),
                                    ImVec2(marker, cy + half), ImVec2(marker - half, cy),
                                    kit_colour);
                marker += half * 2.4f;
            }
            if (deviating(s)) draw->AddCircleFilled(ImVec2(marker, cy), half, deviation_colour);
        }
        draw->PopClipRect();
        probe::note("site:" + s.id, {top, bottom, s.approval_day, s.activation_day,
                                     s.recruitment_end_day, s.last_activity_day});

        if (!state.exporting && plot.hovered && ImGui::GetIO().MousePos.y >= top &&
            ImGui::GetIO().MousePos.y < bottom) {
            ImGui::BeginTooltip();
            ImGui::Text("%s (%s), medians over replications", s.id.c_str(), s.country.c_str());
            ImGui::Text("approved %s · activated %s", dates.date(s.approval_day).c_str(),
                        dates.date(s.activation_day).c_str());
            ImGui::Text("recruiting until %s · last visit %s",
                        dates.date(s.recruitment_end_day).c_str(),
                        dates.date(s.last_activity_day).c_str());
            ImGui::Text("randomised %.1f of %d (target met in %.0f %%), %.2f patients/day",
                        s.randomised_mean, s.target, 100 * s.p_met_target,
                        s.recruitment_rate_per_day);
            ImGui::Text("stock-outs %.2f, deviations %.2f per replication", s.stock_outs_mean,
                        s.deviations_mean);
            ImGui::EndTooltip();
        }
    }
    // The analyses (scenarios with [[analyses]]): each one's median data cut-off, a dashed
    // line over every site, labelled at the top.
    if (p.readout) {
        draw->PushClipRect(ImVec2(plot.min.x, plot.min.y - line * 1.2f), plot.max, true);
        for (std::size_t a = 0; a < p.readout->analyses.size(); ++a) {
            const Readout::Analysis& an = p.readout->per_analysis[a];
            if (an.reached == 0) continue;
            const float ax = plot.px(an.cutoff_day.p50);
            for (float y = plot.min.y; y < plot.max.y; y += 10)
                draw->AddLine(ImVec2(ax, y), ImVec2(ax, std::min(y + 5, plot.max.y)), theme::plan,
                              1.5f);
            const std::string text = p.readout->analyses[a] + " cut-off";
            draw->AddText(
                ImVec2(ax - ImGui::CalcTextSize(text.c_str()).x * 0.5f, plot.min.y - line * 1.1f),
                theme::plan, text.c_str());
            probe::note("cutoff:" + p.readout->analyses[a], {an.cutoff_day.p50});
        }
        draw->PopClipRect();
    }
    if (scroll) ImGui::EndChild();
}

}  // namespace viz
