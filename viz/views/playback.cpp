// Playback of a traced replication: a time slider and play/pause that replay the event log —
// sites opening and closing, patients arriving, screened, randomised, on study, done — as site
// tiles, with the replication's cumulative randomised curve and the latest events.

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string_view>
#include <utility>

#include "viz/layout_probe.hpp"
#include "viz/theme.hpp"
#include "viz/views.hpp"

namespace viz {
namespace {

enum class SiteState { waiting, enrolling, closed };

struct SiteNow {
    SiteState state = SiteState::waiting;
    int screening = 0, on_study = 0, done = 0, dropped = 0, failed = 0, randomised = 0;
    double last_visit = -1e300;
};

// Event kinds by name, as the file lists them (traces/@kinds), and how many deviation causes
// it names (traces/@deviation_causes: a deviation's detail is kind × causes + cause).
struct Kinds {
    int activated = -1, closed = -1, arrived = -1, failed = -1, randomised = -1, recruitment = -1,
        visit = -1, deviation = -1, dropped = -1, completed = -1;
    int deviation_causes = 0;
    bool missed(int detail) const {
        return deviation_causes > 0 &&
               detail / deviation_causes == 2;  // kinds: early, late, missed
    }
    Kinds(const std::vector<std::string>& names, const std::vector<std::string>& causes)
        : deviation_causes(static_cast<int>(causes.size())) {
        for (int k = 0; k < static_cast<int>(names.size()); ++k) {
            const std::string_view n = names[k];
            if (n == "site_activated") activated = k;
            if (n == "site_closed") closed = k;
            if (n == "patient_arrived") arrived = k;
            if (n == "screen_failed") failed = k;
            if (n == "randomised") randomised = k;
            if (n == "recruitment_closed") recruitment = k;
            if (n == "visit_done") visit = k;
            if (n == "deviation") deviation = k;
            if (n == "dropped_out") dropped = k;
            if (n == "completed") completed = k;
        }
    }
};

std::vector<SiteNow> replay(const Trace& trace, const Kinds& k, std::size_t sites, double day) {
    std::vector<SiteNow> now(sites);
    bool recruitment_closed = false;
    for (const TraceEvent& e : trace.events) {
        if (e.day > day) break;
        if (e.kind == k.recruitment) recruitment_closed = true;
        if (e.site < 0 || e.site >= static_cast<int>(sites)) continue;
        SiteNow& s = now[e.site];
        if (e.kind == k.activated) {
            s.state = SiteState::enrolling;
        } else if (e.kind == k.closed) {
            s.state = SiteState::closed;
        } else if (e.kind == k.arrived) {
            ++s.screening;
        } else if (e.kind == k.failed) {
            --s.screening, ++s.failed;
        } else if (e.kind == k.randomised) {
            --s.screening, ++s.on_study, ++s.randomised;
        } else if (e.kind == k.deviation && e.visit < 0 && k.missed(e.detail)) {
            --s.screening, ++s.failed;  // screening missed: the patient leaves
        } else if (e.kind == k.dropped) {
            --s.on_study, ++s.dropped;
        } else if (e.kind == k.completed) {
            --s.on_study, ++s.done;
        } else if (e.kind == k.visit) {
            s.last_visit = e.day;
        }
    }
    if (recruitment_closed)
        for (SiteNow& s : now)
            if (s.state == SiteState::enrolling) s.state = SiteState::closed;
    return now;
}

// Patients as dots, wrapping onto the next line at the tile's right edge.
void dots(ImDrawList* draw, ImVec2& at, float left, float right, float size, int count,
          ImU32 colour) {
    for (int i = 0; i < count; ++i) {
        if (at.x + size > right) at = ImVec2(left, at.y + size);
        draw->AddCircleFilled(ImVec2(at.x + size / 2, at.y + size / 2), size * 0.4f, colour, 8);
        at.x += size;
    }
}

}  // namespace

void draw_playback(const Workspace& w, ViewState& state) {
    if (w.empty()) return;
    const Policy& p = choose_policy(w, state);
    const CalendarAxis dates(w.file_of(p).start_date);
    if (p.traces.empty()) {
        ImGui::TextUnformatted(
            "No traced replications in this file: run with --trace K to keep the event logs of "
            "K replications for playback.");
        return;
    }
    state.trace = std::clamp(state.trace, 0, static_cast<int>(p.traces.size()) - 1);
    const Trace& trace = p.traces[state.trace];
    const double end = trace.events.empty() ? 1.0 : trace.events.back().day;
    const Kinds kinds(p.trace_kinds, p.trace_deviation_causes);

    if (state.exporting && state.playback_day <= 0) state.playback_day = end / 2;
    if (state.playing) {
        state.playback_day += ImGui::GetIO().DeltaTime * state.days_per_second;
        if (state.playback_day >= end) state.playback_day = end, state.playing = false;
    }
    if (!state.exporting) {
        ImGui::SameLine();
        ImGui::SetNextItemWidth(ImGui::GetFontSize() * 9);
        if (ImGui::BeginCombo("replication", trace.name.c_str())) {
            for (int i = 0; i < static_cast<int>(p.traces.size()); ++i)
                if (ImGui::Selectable(p.traces[i].name.c_str(), i == state.trace)) state.trace = i;
            ImGui::EndCombo();
        }
        ImGui::SameLine();
        if (ImGui::Button(state.playing ? "Pause" : "Play")) {
            if (!state.playing && state.playback_day >= end) state.playback_day = 0;
            state.playing = !state.playing;
        }
        ImGui::SameLine();
        ImGui::SetNextItemWidth(ImGui::GetFontSize() * 8);
        ImGui::SliderFloat("days/s", &state.days_per_second, 1, 365, "%.0f",
                           ImGuiSliderFlags_Logarithmic);
        float day = static_cast<float>(state.playback_day);
        ImGui::SetNextItemWidth(-1);
        if (ImGui::SliderFloat("##day", &day, 0, static_cast<float>(end), "day %.0f"))
            state.playback_day = day;
    }
    const double day = std::clamp(state.playback_day, 0.0, end);
    const std::vector<SiteNow> now = replay(trace, kinds, p.sites.size(), day);
    int randomised = 0, on_study = 0, done = 0, dropped = 0, enrolling = 0;
    for (const SiteNow& s : now) {
        randomised += s.randomised, on_study += s.on_study, done += s.done, dropped += s.dropped;
        enrolling += s.state == SiteState::enrolling;
    }
    ImGui::Text(
        "%s (day %.0f) · %s · %d sites enrolling · %d randomised · %d on study · "
        "%d completed · %d dropped out",
        dates.date(day).c_str(), day, trace.name.c_str(), enrolling, randomised, on_study, done,
        dropped);

    // Site tiles.
    const float line = ImGui::GetTextLineHeight();
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    const float tiles_h = avail.y * 0.62f;
    const int n = std::max<int>(1, static_cast<int>(p.sites.size()));
    int columns = std::max(1, int(std::ceil(std::sqrt(n * avail.x / std::max(tiles_h, 1.0f)))));
    const int rows = (n + columns - 1) / columns;
    const float tile_w = avail.x / columns, tile_h = tiles_h / rows;
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    ImDrawList* draw = ImGui::GetWindowDrawList();
    // Tiles scale with the site count: a title line when it fits (the site and its randomised
    // count, else the count alone), then the patients as dots sized so that the busiest site's
    // all fit; where a dot would be under 3 pixels, a stacked bar of the same four counts.
    const bool titled = tile_h >= line * 2.2f;
    const float title_h = titled ? line + 4 : 2;
    int busiest = 1;
    for (const SiteNow& site : now)
        busiest = std::max(busiest, site.screening + site.on_study + site.done + site.dropped);
    const float inner_w = std::max(1.0f, tile_w - 12),
                inner_h = std::max(1.0f, tile_h - title_h - 8);
    float dot = std::min(line * 0.8f, std::sqrt(inner_w * inner_h / busiest));
    while (dot > 3 && std::floor(inner_w / dot) * std::floor(inner_h / dot) < busiest)
        dot -= 0.5f;
    const bool as_bars = dot < 3;
    probe::note("playback:tiles", {double(columns), double(rows), tile_w, tile_h, dot,
                                   as_bars ? 1.0 : 0.0, double(busiest)});
    for (int s = 0; s < static_cast<int>(p.sites.size()); ++s) {
        const SiteNow& site = now[s];
        const ImVec2 a(origin.x + tile_w * (s % columns) + 2,
                       origin.y + tile_h * (s / columns) + 2);
        const ImVec2 b(a.x + tile_w - 4, a.y + tile_h - 4);
        const ImU32 fill = site.state == SiteState::waiting     ? IM_COL32(226, 229, 236, 255)
                           : site.state == SiteState::enrolling ? IM_COL32(196, 232, 208, 255)
                                                                : IM_COL32(238, 236, 222, 255);
        // A status strip behind the title, not a filled tile: the software renderer pays per
        // pixel, and fifty filled tiles are most of the screen.
        draw->AddRectFilled(a, ImVec2(b.x, std::min(b.y, a.y + title_h)), fill, 3);
        const bool busy = day - site.last_visit < 3;  // a visit in the last three days
        draw->AddRect(a, b, busy ? theme::enrolling : theme::grid, 3, 0, busy ? 2.5f : 1.0f);
        draw->PushClipRect(a, b, true);
        if (titled) {
            char title[64];
            std::snprintf(title, sizeof title, "%s  %d", p.sites[s].id.c_str(), site.randomised);
            if (ImGui::CalcTextSize(title).x > b.x - a.x - 8)
                std::snprintf(title, sizeof title, "%d", site.randomised);
            draw->AddText(ImVec2(a.x + 4, a.y + 2), theme::ink, title);
        }
        const float left = a.x + 4, right = b.x - 4;
        if (as_bars) {
            // One bar, its length the site's patients against the busiest site's.
            float x = left;
            const float y0 = a.y + title_h + 2, y1 = std::max(y0 + 1, b.y - 2);
            const float per = (right - left) / static_cast<float>(busiest);
            for (const auto& [count, colour] : {std::pair{site.screening, theme::policy(0)},
                                                {site.on_study, theme::enrolling},
                                                {site.done, theme::muted},
                                                {site.dropped, theme::alarm}}) {
                if (count <= 0) continue;
                draw->AddRectFilled(ImVec2(x, y0), ImVec2(x + per * count, y1), colour);
                x += per * count;
            }
        } else {
            ImVec2 at(left, a.y + title_h + 2);
            dots(draw, at, left, right, dot, site.screening, theme::policy(0));
            dots(draw, at, left, right, dot, site.on_study, theme::enrolling);
            dots(draw, at, left, right, dot, site.done, theme::muted);
            dots(draw, at, left, right, dot, site.dropped, theme::alarm);
        }
        draw->PopClipRect();
        if (!state.exporting && ImGui::IsMouseHoveringRect(a, b) && ImGui::IsWindowHovered()) {
            ImGui::SetTooltip(
                "%s (%s): %d randomised · %d screening · %d on study · %d completed "
                "· %d dropped out",
                p.sites[s].id.c_str(), p.sites[s].country.c_str(), site.randomised, site.screening,
                site.on_study, site.done, site.dropped);
        }
    }
    ImGui::Dummy(ImVec2(avail.x, tiles_h));
    {
        const ImVec2 at = ImGui::GetCursorScreenPos();
        float cx = at.x;
        auto key = [&](ImU32 colour, const char* text) {
            draw->AddCircleFilled(ImVec2(cx + line * 0.4f, at.y + line * 0.5f), line * 0.35f,
                                  colour);
            draw->AddText(ImVec2(cx + line, at.y), theme::ink, text);
            cx += line * 2 + ImGui::CalcTextSize(text).x;
        };
        key(theme::policy(0), "screening");
        key(theme::enrolling, "on study");
        key(theme::muted, "completed");
        key(theme::alarm, "dropped out");
        ImGui::Dummy(ImVec2(cx - at.x, line));
    }

    // The replication's cumulative randomised, up to now, and the latest events beside it.
    const float chart_w = ImGui::GetContentRegionAvail().x * 0.6f;
    PlotStyle style;
    style.dates = &dates;
    style.y_label = "randomised in this replication";
    const int target = w.file_of(p).randomisation_target;
    const Plot plot = begin_plot("playback", ImVec2(chart_w, 0), Range{0, end},
                                 Range{0, std::max(1.0, target * 1.1)}, style);
    std::vector<ImVec2> curve{plot.at(0, 0)};
    int count = 0;
    for (const TraceEvent& e : trace.events) {
        if (e.day > day) break;
        if (e.kind == kinds.randomised) {
            curve.push_back(plot.at(e.day, count));
            curve.push_back(plot.at(e.day, ++count));
        }
    }
    curve.push_back(plot.at(day, count));
    draw->AddPolyline(curve.data(), static_cast<int>(curve.size()), theme::policy(0), 0, 2.0f);
    draw->AddLine(ImVec2(plot.px(day), plot.min.y), ImVec2(plot.px(day), plot.max.y), theme::ink);
    draw->AddLine(ImVec2(plot.min.x, plot.py(target)), ImVec2(plot.max.x, plot.py(target)),
                  theme::plan, 1.5f);
    end_plot();
    ImGui::SameLine();
    ImGui::BeginGroup();
    ImGui::TextUnformatted("Latest events");
    const auto upto = std::upper_bound(trace.events.begin(), trace.events.end(), day,
                                       [](double d, const TraceEvent& e) { return d < e.day; });
    const int shown = std::max(1, int(ImGui::GetContentRegionAvail().y / (line + 4)) - 1);
    int listed = 0;
    for (auto it = upto; it != trace.events.begin() && listed < shown;) {
        --it;
        if (it->kind < 0 || it->kind >= static_cast<int>(p.trace_kinds.size())) continue;
        const std::string& kind = p.trace_kinds[it->kind];
        if (kind == "cost" || kind == "kits_dispensed") continue;  // too many to read
        // `site` is a country for approvals, a place for kit events away from sites.
        const bool at_site = kind != "country_approved" &&
                             !((kind == "kits_expired" || kind == "shipment") && it->detail != 2);
        const std::string where =
            at_site && it->site >= 0 && it->site < static_cast<int>(p.sites.size())
                ? p.sites[it->site].id
                : "";
        ImGui::Text("day %6.1f  %-18s %s", it->day, kind.c_str(), where.c_str());
        ++listed;
    }
    ImGui::EndGroup();
}

}  // namespace viz
