#include <algorithm>

#include "viz/views.hpp"

namespace viz {

std::string_view name_of(View view) {
    switch (view) {
        case View::overview:
            return "overview";
        case View::fan:
            return "fan";
        case View::events:
            return "events";
        case View::timeline:
            return "timeline";
        case View::utilisation:
            return "utilisation";
        case View::compare:
            return "compare";
        case View::playback:
            return "playback";
        case View::sweep:
            return "sweep";
        case View::optimise:
            return "optimise";
        case View::sensitivity:
            return "sensitivity";
    }
    return "?";
}

std::string_view title_of(View view) {
    switch (view) {
        case View::overview:
            return "Overview";
        case View::fan:
            return "Enrollment";
        case View::events:
            return "Events & readout";
        case View::timeline:
            return "Sites";
        case View::utilisation:
            return "Staff, equipment, drug";
        case View::compare:
            return "Policy comparison";
        case View::playback:
            return "Playback";
        case View::sweep:
            return "Sweep";
        case View::optimise:
            return "Optimisation";
        case View::sensitivity:
            return "Sensitivity";
    }
    return "?";
}

std::optional<View> view_named(std::string_view name) {
    for (View v : all_views)
        if (name_of(v) == name) return v;
    return std::nullopt;
}

void draw_view(View view, const Workspace& w, ViewState& state) {
    switch (view) {
        case View::overview:
            draw_overview(w, state);
            break;
        case View::fan:
            draw_fan_chart(w, state);
            break;
        case View::events:
            draw_events(w, state);
            break;
        case View::timeline:
            draw_site_timeline(w, state);
            break;
        case View::utilisation:
            draw_utilisation(w, state);
            break;
        case View::compare:
            draw_comparison(w, state);
            break;
        case View::playback:
            draw_playback(w, state);
            break;
        case View::sweep:
            draw_sweep(w, state);
            break;
        case View::optimise:
            draw_optimisation(w, state);
            break;
        case View::sensitivity:
            draw_sensitivity(w, state);
            break;
    }
}

const Policy& choose_policy(const Workspace& w, ViewState& state) {
    state.policy = std::clamp(state.policy, 0, static_cast<int>(w.policies.size()) - 1);
    if (state.exporting || w.policies.size() < 2) return *w.policies[state.policy];
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 16);
    if (ImGui::BeginCombo("policy", w.policies[state.policy]->label.c_str())) {
        for (int i = 0; i < static_cast<int>(w.policies.size()); ++i) {
            if (ImGui::Selectable(w.policies[i]->label.c_str(), i == state.policy))
                state.policy = i;
        }
        ImGui::EndCombo();
    }
    return *w.policies[state.policy];
}

}  // namespace viz
