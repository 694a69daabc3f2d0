#pragma once
// The visualizer's views. Each draws into the current ImGui window from a Workspace (the
// files, aggregated at load) and a ViewState (what the user chose and zoomed); none of them
// reads a file or keeps data of its own.

#include <optional>
#include <string>
#include <string_view>

#include "viz/plot.hpp"
#include "viz/results.hpp"

namespace viz {

enum class View {
    overview,
    fan,
    events,
    timeline,
    utilisation,
    compare,
    playback,
    sweep,
    optimise,
    sensitivity
};
inline constexpr View all_views[] = {
    View::overview, View::fan,      View::events, View::timeline, View::utilisation,
    View::compare,  View::playback, View::sweep,  View::optimise, View::sensitivity};

std::string_view name_of(View view);   // as on the command line: overview, fan, …
std::string_view title_of(View view);  // as on the tab: Overview, Enrollment, …
std::optional<View> view_named(std::string_view name);

struct ViewState {
    bool exporting = false;  // drawing a slide: no widgets, just the chart
    bool legends = true;     // charts' legends (the window's "Legends" box, key L)
    int policy = 0;          // index into Workspace::policies, for one-policy views
    TimeZoom fan_zoom, events_zoom, timeline_zoom, utilisation_zoom;
    enum class SiteOrder { country, performance, activation } site_order = SiteOrder::country;
    // Playback of a traced replication.
    int trace = 0;
    double playback_day = 0;
    bool playing = false;
    float days_per_second = 30;
    // Sweep explorer.
    int sweep_file = 0, sweep_key = 0, sweep_metric = -1;  // -1: target_met_day
    int sensitivity_output = 0;
};

void draw_overview(const Workspace& w, ViewState& state);
void draw_fan_chart(const Workspace& w, ViewState& state);
void draw_events(const Workspace& w, ViewState& state);
void draw_site_timeline(const Workspace& w, ViewState& state);
void draw_utilisation(const Workspace& w, ViewState& state);
void draw_comparison(const Workspace& w, ViewState& state);
void draw_playback(const Workspace& w, ViewState& state);
void draw_sweep(const Workspace& w, ViewState& state);
void draw_optimisation(const Workspace& w, ViewState& state);
void draw_sensitivity(const Workspace& w, ViewState& state);
void draw_view(View view, const Workspace& w, ViewState& state);

// A policy chooser for one-policy views (nothing drawn when exporting or with one policy);
// returns the chosen policy. The workspace must not be empty.
const Policy& choose_policy(const Workspace& w, ViewState& state);

}  // namespace viz
