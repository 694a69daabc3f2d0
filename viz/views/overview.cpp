// Overview: what was simulated, and the numbers a sponsor asks first, one row per policy.

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "viz/layout_probe.hpp"
#include "viz/theme.hpp"
#include "viz/views.hpp"

namespace viz {
namespace {

std::string days(double value) {
    if (!std::isfinite(value)) return "–";
    char text[32];
    std::snprintf(text, sizeof text, "%.0f d", value);
    return text;
}

std::string spread(const Metric* m, const std::string& unit, bool money = false) {
    if (!m || !std::isfinite(m->median)) return "–";
    char text[96];
    if (money) {
        std::snprintf(text, sizeof text, "%s %s (%s – %s)", short_number(m->median).c_str(),
                      unit.c_str(), short_number(m->p10).c_str(), short_number(m->p90).c_str());
    } else {
        std::snprintf(text, sizeof text, "%.0f%s (%.0f – %.0f)", m->median, unit.c_str(), m->p10,
                      m->p90);
    }
    return text;
}

void cell(const std::string& text) {
    ImGui::TableNextColumn();
    ImGui::TextUnformatted(text.c_str());
}

}  // namespace

void draw_overview(const Workspace& w, ViewState& state) {
    if (w.empty()) return;
    for (const ResultsFile& f : w.files) {
        const CalendarAxis dates(f.start_date);
        ImGui::TextUnformatted(f.trial_name.c_str());
        ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(theme::muted),
                           "%s  ·  %d replications, seed %llu, %s kernel  ·  start %s",
                           f.path.c_str(), f.replications, static_cast<unsigned long long>(f.seed),
                           f.engine.c_str(), f.start_date.c_str());
        ImGui::Text("Plan: %d randomised by %s (day %.0f)", f.randomisation_target,
                    dates.date(f.plan_target_met_day).c_str(), f.plan_target_met_day);
        ImGui::Spacing();
    }

    const ImGuiTableFlags flags = ImGuiTableFlags_Borders | ImGuiTableFlags_RowBg |
                                  ImGuiTableFlags_SizingStretchProp | ImGuiTableFlags_ScrollY;
    const char* headers[] = {"Policy",     "P(plan met)",      "Enrollment, median (P10 – P90)",
                             "Target met", "Last patient out", "Total cost",
                             "Deviations", "Stock-outs",       "Sites on target"};
    constexpr int columns = sizeof headers / sizeof headers[0];
    // The cells first, so that each column is as wide as what it holds: a 1920-pixel export
    // shows every header and value whole. The anomaly flags, too long for a cell, follow the
    // table, a line per policy.
    std::vector<std::array<std::string, columns>> rows;
    std::vector<std::string> flags_of, causes_of;
    for (const Policy* policy : w.policies) {
        const Policy& p = *policy;
        const ResultsFile& f = w.file_of(p);
        const CalendarAxis dates(f.start_date);
        std::array<std::string, columns>& r = rows.emplace_back();
        r[0] = p.label;
        char share[32];
        std::snprintf(share, sizeof share, "%.0f %%", 100 * p.p_target_met_by_plan);
        r[1] = share;
        r[2] = spread(p.metric("enrollment_duration_days"), " d");
        const Metric* met = p.metric("target_met_day");
        r[3] = met && std::isfinite(met->median)
                   ? dates.date(met->median) + "  (" + days(met->median) + ")"
                   : "–";
        const Metric* lplv = p.metric("last_patient_last_visit_day");
        r[4] = lplv && std::isfinite(lplv->median) ? dates.date(lplv->median) : "–";
        r[5] = spread(p.metric("cost_total"), f.currency, true);
        r[6] = spread(p.metric("deviations"), "");
        r[7] = spread(p.metric("stock_outs"), "");
        const Metric* meeting = p.metric("sites_meeting_target");
        char sites[48] = "–";
        if (meeting && std::isfinite(meeting->median))
            std::snprintf(sites, sizeof sites, "%.0f of %zu", meeting->median, p.sites.size());
        r[8] = sites;
        std::string flagged = p.anomalies.recorded ? "none" : "not recorded";
        for (std::size_t k = 0; k < p.anomalies.kinds.size(); ++k) {
            if (p.anomalies.per_replication[k] <= 0) continue;
            std::string kind = p.anomalies.kinds[k];
            std::replace(kind.begin(), kind.end(), '_', ' ');
            char text[96];
            std::snprintf(text, sizeof text, "%s%s %.1f", flagged == "none" ? "" : ",  ",
                          kind.c_str(), p.anomalies.per_replication[k]);
            flagged = (flagged == "none" ? "" : flagged) + text;
        }
        flags_of.push_back(flagged);
        // The causes of deviations the file has metrics for (deviations_<cause>).
        std::string causes;
        for (const Metric& m : p.metrics) {
            if (!m.key.starts_with("deviations_") || !(m.mean > 0)) continue;
            std::string cause = m.key.substr(std::strlen("deviations_"));
            std::replace(cause.begin(), cause.end(), '_', ' ');
            char text[96];
            std::snprintf(text, sizeof text, "%s%s %.1f", causes.empty() ? "" : ",  ",
                          cause.c_str(), m.mean);
            causes += text;
        }
        causes_of.push_back(causes.empty() ? "none" : causes);
        probe::note("anomalies:" + p.label, p.anomalies.per_replication);
    }
    const float padding = ImGui::GetStyle().ItemSpacing.x;
    std::array<float, columns> widths{};
    for (int c = 0; c < columns; ++c) {
        widths[c] = ImGui::CalcTextSize(headers[c]).x;
        for (const auto& r : rows)
            widths[c] = std::max(widths[c], ImGui::CalcTextSize(r[c].c_str()).x);
        widths[c] += padding;
    }
    widths[0] += ImGui::GetTextLineHeight();  // the colour swatch
    // On a slide the table is as tall as its rows (no scroll bar, no empty row); in the window
    // it scrolls past half the height.
    const float row = ImGui::GetTextLineHeight() + 2 * ImGui::GetStyle().CellPadding.y;
    const float half = ImGui::GetContentRegionAvail().y * 0.5f;
    const int shown_policies = state.exporting
                                   ? slide_table_rows(half, static_cast<int>(rows.size()))
                                   : static_cast<int>(rows.size());
    const bool scrolls = !state.exporting && row * (rows.size() + 1) > half;
    if (ImGui::BeginTable("kpis", columns, scrolls ? flags : flags & ~ImGuiTableFlags_ScrollY,
                          ImVec2(0, scrolls ? half : 0))) {
        for (int c = 0; c < columns; ++c) {
            // The last column takes the rest of the width, so the table spans the page.
            ImGui::TableSetupColumn(headers[c],
                                    c == columns - 1 ? ImGuiTableColumnFlags_WidthStretch
                                                     : ImGuiTableColumnFlags_WidthFixed,
                                    c == columns - 1 ? 0.0f : widths[c]);
        }
        ImGui::TableSetupScrollFreeze(1, 1);
        ImGui::TableHeadersRow();
        for (std::size_t i = 0; i < static_cast<std::size_t>(shown_policies); ++i) {
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            const ImVec2 at = ImGui::GetCursorScreenPos();
            const float line = ImGui::GetTextLineHeight();
            ImGui::GetWindowDrawList()->AddRectFilled(
                ImVec2(at.x, at.y + line * 0.2f), ImVec2(at.x + line * 0.6f, at.y + line * 0.8f),
                theme::policy(static_cast<int>(i)));
            ImGui::SetCursorScreenPos(ImVec2(at.x + line, at.y));
            ImGui::TextUnformatted(rows[i][0].c_str());
            for (int c = 1; c < columns; ++c)
                cell(rows[i][c]);
        }
        ImGui::EndTable();
    }
    more_rows_note(static_cast<int>(rows.size()) - shown_policies, "policies");
    for (std::size_t i = 0; i < static_cast<std::size_t>(shown_policies); ++i) {
        ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(theme::muted),
                           "Anomaly flags per replication, %s:", rows[i][0].c_str());
        ImGui::SameLine();
        ImGui::TextUnformatted(flags_of[i].c_str());
    }
    for (std::size_t i = 0; i < static_cast<std::size_t>(shown_policies); ++i) {
        ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(theme::muted),
                           "Deviations per replication by cause, %s:", rows[i][0].c_str());
        ImGui::SameLine();
        ImGui::TextUnformatted(causes_of[i].c_str());
    }

    // Every stored metric of one policy.
    const Policy& chosen = choose_policy(w, state);
    ImGui::Text("All metrics: %s", chosen.label.c_str());
    const float rest = ImGui::GetContentRegionAvail().y;
    const int metric_count = static_cast<int>(chosen.metrics.size());
    const int shown_metrics = state.exporting ? slide_table_rows(rest, metric_count) : metric_count;
    if (ImGui::BeginTable("metrics", 6, state.exporting ? flags & ~ImGuiTableFlags_ScrollY : flags,
                          ImVec2(0, state.exporting ? 0 : rest * 0.6f))) {
        for (const char* h : {"Metric", "Median", "P10", "P90", "Mean", "Replications reaching it"})
            ImGui::TableSetupColumn(h);
        ImGui::TableSetupScrollFreeze(0, 1);
        ImGui::TableHeadersRow();
        for (int i = 0; i < shown_metrics; ++i) {
            const Metric& m = chosen.metrics[i];
            ImGui::TableNextRow();
            cell(m.label.empty() ? m.key : m.label);
            for (double v : {m.median, m.p10, m.p90, m.mean})
                cell(short_number(v));
            cell(std::to_string(m.reached));
        }
        ImGui::EndTable();
    }
    more_rows_note(metric_count - shown_metrics, "metrics");
    if (!state.exporting) {
        const ResultsFile& f = w.file_of(chosen);
        if (ImGui::CollapsingHeader("Scenario file (verbatim)")) {
            ImGui::InputTextMultiline("##scenario", const_cast<char*>(f.scenario_text.c_str()),
                                      f.scenario_text.size() + 1, ImVec2(-1, -1),
                                      ImGuiInputTextFlags_ReadOnly);
        }
    }
}

}  // namespace viz
