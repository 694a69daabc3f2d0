// Overview: what was simulated, and the numbers a sponsor asks first, one row per policy.

#include <algorithm>
#include <cmath>
#include <cstdio>

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
    const char* headers[] = {"Policy",
                             "P(target by plan)",
                             "Enrollment duration, median (P10 – P90)",
                             "Target met",
                             "Last patient last visit",
                             "Total cost",
                             "Deviations",
                             "Stock-outs",
                             "Sites meeting target",
                             "Anomaly flags per replication"};
    const int columns = sizeof headers / sizeof headers[0];
    const float row = ImGui::GetFrameHeightWithSpacing();
    const float height = std::min(ImGui::GetContentRegionAvail().y * 0.5f,
                                  row * (static_cast<float>(w.policies.size()) + 1.5f));
    if (ImGui::BeginTable("kpis", columns, flags, ImVec2(0, height))) {
        for (const char* h : headers)
            ImGui::TableSetupColumn(h);
        ImGui::TableSetupScrollFreeze(1, 1);
        ImGui::TableHeadersRow();
        for (std::size_t i = 0; i < w.policies.size(); ++i) {
            const Policy& p = *w.policies[i];
            const ResultsFile& f = w.file_of(p);
            const CalendarAxis dates(f.start_date);
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            const ImVec2 at = ImGui::GetCursorScreenPos();
            const float line = ImGui::GetTextLineHeight();
            ImGui::GetWindowDrawList()->AddRectFilled(
                ImVec2(at.x, at.y + line * 0.2f), ImVec2(at.x + line * 0.6f, at.y + line * 0.8f),
                theme::policy(static_cast<int>(i)));
            ImGui::SetCursorScreenPos(ImVec2(at.x + line, at.y));
            ImGui::TextUnformatted(p.label.c_str());
            char share[32];
            std::snprintf(share, sizeof share, "%.0f %%", 100 * p.p_target_met_by_plan);
            cell(share);
            cell(spread(p.metric("enrollment_duration_days"), " d"));
            const Metric* met = p.metric("target_met_day");
            cell(met && std::isfinite(met->median)
                     ? dates.date(met->median) + "  (" + days(met->median) + ")"
                     : "–");
            const Metric* lplv = p.metric("last_patient_last_visit_day");
            cell(lplv && std::isfinite(lplv->median) ? dates.date(lplv->median) : "–");
            cell(spread(p.metric("cost_total"), f.currency, true));
            cell(spread(p.metric("deviations"), ""));
            cell(spread(p.metric("stock_outs"), ""));
            const Metric* meeting = p.metric("sites_meeting_target");
            char sites[48] = "–";
            if (meeting && std::isfinite(meeting->median))
                std::snprintf(sites, sizeof sites, "%.0f of %zu", meeting->median, p.sites.size());
            cell(sites);
            std::string flags = p.anomalies.recorded ? "none" : "not recorded";
            for (std::size_t k = 0; k < p.anomalies.kinds.size(); ++k) {
                if (p.anomalies.per_replication[k] <= 0) continue;
                char text[96];
                std::snprintf(text, sizeof text, "%s%s %.1f", flags == "none" ? "" : ", ",
                              p.anomalies.kinds[k].c_str(), p.anomalies.per_replication[k]);
                flags = (flags == "none" ? "" : flags) + text;
            }
            cell(flags);
            probe::note("anomalies:" + p.label, p.anomalies.per_replication);
        }
        ImGui::EndTable();
    }

    // Every stored metric of one policy.
    const Policy& chosen = choose_policy(w, state);
    ImGui::Text("All metrics: %s", chosen.label.c_str());
    const float rest = ImGui::GetContentRegionAvail().y;
    const float table_height = state.exporting ? rest : rest * 0.6f;
    if (ImGui::BeginTable("metrics", 6, flags, ImVec2(0, table_height))) {
        for (const char* h : {"Metric", "Median", "P10", "P90", "Mean", "Replications reaching it"})
            ImGui::TableSetupColumn(h);
        ImGui::TableSetupScrollFreeze(0, 1);
        ImGui::TableHeadersRow();
        for (const Metric& m : chosen.metrics) {
            ImGui::TableNextRow();
            cell(m.label.empty() ? m.key : m.label);
            for (double v : {m.median, m.p10, m.p90, m.mean})
                cell(short_number(v));
            cell(std::to_string(m.reached));
        }
        ImGui::EndTable();
    }
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
