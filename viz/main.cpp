// trialtwin-viz: the interactive visualizer, and `render`, its headless PNG export.
//   trialtwin-viz RESULTS.h5 [more.h5 …]
//   trialtwin-viz render RESULTS.h5 --view fan --out fan.png [--size 1920x1080]
//   trialtwin-viz report RESULTS.h5 --out report.pdf
// Exit codes: 0 ok (also when the window showed a file it could not read), 2 bad input,
// 1 no display or an internal error.

#include <CLI/CLI.hpp>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <thread>

#include "models/files/replace_file.hpp"
#include "viz/frame.hpp"
#include "viz/layout_probe.hpp"
#include "viz/report.hpp"
#include "viz/slide.hpp"
#include "viz/window.hpp"

namespace {

struct Size {
    int width = 1920, height = 1080;
};

Size parse_size(const std::string& text) {
    Size s;
    char x = 0;
    if (std::sscanf(text.c_str(), "%d%c%d", &s.width, &x, &s.height) != 3 || x != 'x' ||
        s.width < 320 || s.height < 240 || s.width > 8192 || s.height > 8192) {
        throw CLI::ValidationError("--size", "'" + text +
                                                 "' is not WIDTHxHEIGHT between 320x240 and "
                                                 "8192x8192, e.g. 1920x1080");
    }
    return s;
}

viz::View parse_view(const std::string& name) {
    if (auto v = viz::view_named(name)) return *v;
    std::string names;
    for (viz::View v : viz::all_views)
        names += (names.empty() ? "" : ", ") + std::string(viz::name_of(v));
    throw CLI::ValidationError("--view", "'" + name + "' is not a view (" + names + ")");
}

int select_policy(const viz::Workspace& w, const std::string& name) {
    if (name.empty()) return 0;
    for (std::size_t i = 0; i < w.policies.size(); ++i)
        if (w.policies[i]->name == name || w.policies[i]->label == name) return static_cast<int>(i);
    std::string names;
    for (const viz::Policy* p : w.policies)
        names += (names.empty() ? "" : ", ") + p->name;
    throw CLI::ValidationError("--policy", "'" + name + "' is not in the file (" + names + ")");
}

// --outcome: the sweep's metric key or the sensitivity analysis's output to show.
void select_outcome(const viz::Workspace& w, const std::string& name, viz::ViewState& state) {
    if (name.empty()) return;
    std::vector<std::string> known;
    bool found = false;
    for (const viz::ResultsFile& f : w.files) {
        if (f.sweep) {
            const auto& keys = f.sweep->metric_keys;
            for (std::size_t i = 0; i < keys.size(); ++i)
                if (keys[i] == name) state.sweep_metric = static_cast<int>(i), found = true;
            known.insert(known.end(), keys.begin(), keys.end());
        }
        if (f.sensitivity) {
            const auto& outputs = f.sensitivity->outputs;
            for (std::size_t i = 0; i < outputs.size(); ++i)
                if (outputs[i] == name)
                    state.sensitivity_output = static_cast<int>(i), found = true;
            known.insert(known.end(), outputs.begin(), outputs.end());
        }
    }
    if (found) return;
    std::string names;
    for (const std::string& k : known)
        names += (names.empty() ? "" : ", ") + k;
    throw CLI::ValidationError("--outcome", "'" + name +
                                                "' is no sweep metric or sensitivity output "
                                                "of the files (" +
                                                (names.empty() ? "they have none" : names) + ")");
}

// Whether `out` can be replaced by the file written (a regular file, a link to one, or nothing
// yet); else says why not, before any window opens.
bool writable_path(const std::string& out) {
    const files::ReplaceTarget target = files::replace_target(out);
    if (target.refusal.empty()) return true;
    std::cerr << "trialtwin-viz: cannot write " << out << ": the path " << target.refusal << "\n";
    return false;
}

int render(const std::vector<std::string>& files, const std::string& view_name,
           const std::string& out, const std::string& size_text, const std::string& policy,
           const std::string& outcome, float font_size, const std::string& layout_path, double day,
           bool legends) {
    const viz::View view = parse_view(view_name);
    const Size size = parse_size(size_text);
    if (!writable_path(out)) return 2;
    viz::Workspace w = viz::open_workspace(files);
    if (!w.errors.empty()) {
        for (const std::string& e : w.errors)
            std::cerr << "trialtwin-viz: " << e << "\n";
        return 2;
    }
    viz::ViewState state;
    state.policy = select_policy(w, policy);
    select_outcome(w, outcome, state);
    state.playback_day = day;
    state.legends = legends;
    viz::Window window({size.width, size.height, true, font_size, "trialtwin render"});
    try {
        viz::write_png(viz::draw_slide(window, w, state, view, {true, !layout_path.empty()}), out);
    } catch (
        const std::runtime_error& e) {  // the --out path: a device, no such folder, a full disk
        std::cerr << "trialtwin-viz: " << e.what() << "\n";
        return 2;
    }
    if (!layout_path.empty()) {
        std::ofstream(layout_path) << viz::probe::to_json();
    }
    std::cerr << "trialtwin-viz: wrote " << out << " (" << size.width << "x" << size.height << ", "
              << viz::name_of(view) << ")\n";
    return 0;
}

int report(const std::string& file, const std::string& out) {
    if (!writable_path(out)) return 2;
    viz::Workspace w = viz::open_workspace({file});
    if (!w.errors.empty()) {
        for (const std::string& e : w.errors)
            std::cerr << "trialtwin-viz: " << e << "\n";
        return 2;
    }
    // The charts are drawn at twice the page's resolution (2 pixels a point), the font at 10 pt.
    viz::Window window({1776, 780, true, 20, "trialtwin report"});
    try {
        const int pages = viz::write_report(w, window, out);
        std::cerr << "trialtwin-viz: wrote " << out << " (" << pages << " pages)\n";
    } catch (const std::runtime_error& e) {
        std::cerr << "trialtwin-viz: " << e.what() << "\n";
        return 2;
    }
    return 0;
}

int interactive(const std::vector<std::string>& files, const std::string& view_name,
                const std::string& size_text, float font_size, int frames,
                const std::string& screenshot, bool cycle) {
    const Size size = parse_size(size_text);
    std::optional<viz::View> first;
    if (!view_name.empty()) first = parse_view(view_name);
    viz::Workspace w = viz::open_workspace(files);
    for (const std::string& e : w.errors)
        std::cerr << "trialtwin-viz: " << e << "\n";
    viz::ViewState state;
    viz::Window window({size.width, size.height, false, font_size, "trialtwin — results"});
    for (int frame = 0; !window.should_close(); ++frame) {
        window.begin_frame();
        if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape))) window.close();
        viz::FrameRequest request;
        if (frame == 0) request.select_tab = first;
        if (cycle && frame % 3 == 0) {
            const int n = sizeof viz::all_views / sizeof viz::all_views[0];
            request.select_tab = viz::all_views[(frame / 3) % n];
        }
        viz::draw_frame(w, state, request);
        window.end_frame();
        const bool last = frames > 0 && frame + 1 >= frames;
        if (last && !screenshot.empty()) {
            try {
                viz::write_png(window.read_pixels(), screenshot);
            } catch (const std::runtime_error& e) {
                std::cerr << "trialtwin-viz: " << e.what() << "\n";
                return 2;
            }
        }
        window.present();
        if (last) break;
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv) try {
    CLI::App app{"trialtwin-viz: charts of trialtwin results files (HDF5)"};
    std::vector<std::string> files;
    std::string view, size = "1600x900", screenshot;
    float font_size = 18;
    int frames = 0;
    bool cycle = false;
    app.add_option(
        "files", files,
        "Results files written by trialtwin run|compare|sweep|forecast|optimise|sensitivity");
    app.add_option("--view", view,
                   "Tab to open: overview, fan, events, timeline, utilisation, compare, "
                   "playback, sweep, optimise, sensitivity");
    app.add_option("--size", size, "Window size WIDTHxHEIGHT")->capture_default_str();
    app.add_option("--font-size", font_size, "Font size in pixels")->capture_default_str();
    app.add_option("--frames", frames, "Close after this many frames (for tests and demos)");
    app.add_option("--screenshot", screenshot, "With --frames: save the last frame as PNG");
    app.add_flag("--cycle-views", cycle, "Switch to the next tab every three frames");

    CLI::App* render_cmd = app.add_subcommand(
        "render", "Export a view as PNG without showing a window (needs X: use xvfb-run -a)");
    std::vector<std::string> render_files;
    std::string render_view, out, render_size = "1920x1080", policy, layout, outcome;
    float render_font = 0;
    double day = 0;
    render_cmd->add_option("files", render_files, "Results file(s)")->required();
    render_cmd
        ->add_option(
            "--view", render_view,
            "overview, fan, events, timeline, utilisation, compare, playback, sweep, optimise, "
            "sensitivity")
        ->required();
    render_cmd->add_option("--out", out, "PNG file to write")->required();
    render_cmd->add_option("--size", render_size, "Image size WIDTHxHEIGHT")->capture_default_str();
    render_cmd->add_option("--policy", policy, "Policy for one-policy views (default: the first)");
    render_cmd->add_option("--outcome", outcome,
                           "Sweep: the metric key shown; sensitivity: the output shown (e.g. "
                           "target_met_by_plan, mean:cost_total)");
    render_cmd->add_option("--font-size", render_font, "Font size in pixels (default: height/50)");
    render_cmd->add_option("--day", day, "Playback: the trial day shown (default: mid-trace)");
    render_cmd->add_option("--layout", layout, "Also write where things were drawn (JSON, tests)");
    bool no_legends = false;
    render_cmd->add_flag("--no-legends", no_legends, "Charts without their legends");

    CLI::App* report_cmd = app.add_subcommand(
        "report",
        "Write the sponsor report of a results file as a PDF deck (needs X: xvfb-run -a)");
    std::string report_file, report_out;
    report_cmd->add_option("file", report_file, "Results file")->required();
    report_cmd->add_option("--out", report_out, "PDF file to write")->required();

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e) == 0 ? 0 : 2;
    }
    try {
        if (*render_cmd) {
            const Size s = parse_size(render_size);
            const float font = render_font > 0 ? render_font : std::max(13.0f, s.height / 50.0f);
            return render(render_files, render_view, out, render_size, policy, outcome, font,
                          layout, day, !no_legends);
        }
        if (*report_cmd) return report(report_file, report_out);
        return interactive(files, view, size, font_size, frames, screenshot, cycle);
    } catch (const CLI::ValidationError& e) {
        std::cerr << "trialtwin-viz: " << e.what() << "\n";
        return 2;
    } catch (const viz::NoDisplay& e) {
        std::cerr << "trialtwin-viz: " << e.what() << "\n";
        return 1;
    }
} catch (const std::exception& e) {
    std::cerr << "trialtwin-viz: internal error: " << e.what() << "\n";
    return 1;
}
