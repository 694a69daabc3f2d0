#include "viz/frame.hpp"

#include <algorithm>
#include <string>

#include "viz/theme.hpp"

namespace viz {
namespace {

void errors(const Workspace& w) {
    for (const std::string& e : w.errors) {
        ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(theme::alarm));
        ImGui::TextWrapped("Cannot show %s", e.c_str());
        ImGui::PopStyleColor();
    }
}

}  // namespace

View draw_frame(const Workspace& w, ViewState& state, const FrameRequest& request) {
    const ImGuiViewport* viewport = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(viewport->Pos);
    ImGui::SetNextWindowSize(viewport->Size);
    const ImGuiWindowFlags flags =
        ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
        ImGuiWindowFlags_NoBringToFrontOnFocus | ImGuiWindowFlags_NoScrollWithMouse |
        ImGuiWindowFlags_NoBackground;  // the frame is cleared to white: no second full fill
    ImGui::Begin("trialtwin", nullptr, flags);
    View shown = request.slide.value_or(View::overview);
    show_legends(state.legends);
    errors(w);
    if (w.empty()) {
        ImGui::Spacing();
        ImGui::TextWrapped(w.errors.empty() ? "No results file given: trialtwin-viz RESULTS.h5"
                                            : "Nothing to show. Close the window (Esc) and open "
                                              "a results file written by `trialtwin run`.");
        ImGui::End();
        return shown;
    }
    if (request.slide) {
        state.exporting = true;
        const Policy& p = *w.policies[std::min<std::size_t>(state.policy, w.policies.size() - 1)];
        const ResultsFile& f = w.file_of(p);
        const bool one_policy_view = *request.slide == View::timeline ||
                                     *request.slide == View::utilisation ||
                                     *request.slide == View::playback;
        if (request.heading) {
            std::string title = f.trial_name + " — " + std::string(title_of(*request.slide));
            if (one_policy_view) title += " (" + p.label + ")";
            ImGui::TextUnformatted(title.c_str());
            ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(theme::muted),
                               "Simulated with trialtwin %s: %d replications, seed %llu, %s",
                               f.tool_version.c_str(), f.replications,
                               static_cast<unsigned long long>(f.seed), f.created_utc.c_str());
            ImGui::Separator();
        }
        draw_view(*request.slide, w, state);
        ImGui::End();
        return shown;
    }
    state.exporting = false;
    // Legends on and off: the box at the tab bar's right end, or L.
    if (!ImGui::GetIO().WantTextInput && ImGui::IsKeyPressed('L', false))
        state.legends = !state.legends;
    const ImVec2 tabs_at = ImGui::GetCursorPos();
    const float box_width = ImGui::CalcTextSize("Legends (L)").x + ImGui::GetFrameHeight() +
                            ImGui::GetStyle().ItemSpacing.x * 2;
    ImGui::SetCursorPos(ImVec2(ImGui::GetWindowContentRegionMax().x - box_width, tabs_at.y));
    ImGui::Checkbox("Legends (L)", &state.legends);
    show_legends(state.legends);
    ImGui::SetCursorPos(tabs_at);
    if (ImGui::BeginTabBar("views")) {
        for (View v : all_views) {
            const std::string title(title_of(v));
            const ImGuiTabItemFlags tab_flags =
                request.select_tab == v ? ImGuiTabItemFlags_SetSelected : 0;
            if (ImGui::BeginTabItem(title.c_str(), nullptr, tab_flags)) {
                shown = v;
                ImGui::BeginChild("view", ImVec2(0, 0), false, ImGuiWindowFlags_NoScrollWithMouse);
                draw_view(v, w, state);
                ImGui::EndChild();
                ImGui::EndTabItem();
            }
        }
        ImGui::EndTabBar();
    }
    ImGui::End();
    return shown;
}

}  // namespace viz
