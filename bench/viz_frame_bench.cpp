// Frame time of the visualizer: every view of the given results files drawn at 1920x1080 in
// an offscreen framebuffer, each frame finished (glFinish) before the clock stops, so under
// Xvfb's llvmpipe this is the software renderer's full cost. Target: ≤ 16 ms a frame with a
// 10,000-replication file loaded.
//   xvfb-run -a build/bin/bench_viz_frames results/reference_10k.h5

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <vector>

#include <imgui.h>
#include "bench/peak_rss.hpp"

#include "viz/frame.hpp"
#include "viz/window.hpp"

int main(int argc, char** argv) try {
    if (argc < 2) {
        std::fprintf(stderr, "usage: bench_viz_frames RESULTS.h5 [more.h5 …]\n");
        return 2;
    }
    using clock = std::chrono::steady_clock;
    const auto load_start = clock::now();
    const viz::Workspace w = viz::open_workspace(std::vector<std::string>(argv + 1, argv + argc));
    const double load_s = std::chrono::duration<double>(clock::now() - load_start).count();
    for (const std::string& e : w.errors)
        std::fprintf(stderr, "%s\n", e.c_str());
    if (w.empty()) return 2;
    int replications = 0;
    for (const viz::ResultsFile& f : w.files)
        replications = std::max(replications, f.replications);
    std::printf("loaded %zu file(s), %zu policies, %d replications in %.2f s\n", w.files.size(),
                w.policies.size(), replications, load_s);

    viz::Window window({1920, 1080, true, 21.6f, "bench"});
    viz::ViewState state;
    std::printf("%-12s %9s %9s %9s %10s %9s\n", "view", "mean ms", "p95 ms", "max ms", "ImGui ms",
                "vertices");
    double worst = 0;
    for (viz::View view : viz::all_views) {
        std::vector<double> ms;
        double build_ms = 0, vertices = 0;
        for (int frame = 0; frame < 65; ++frame) {
            const auto start = clock::now();
            window.begin_frame();
            viz::draw_frame(w, state, {view, std::nullopt});
            const auto drawn = clock::now();
            window.end_frame();
            window.finish();
            if (frame >= 5) {  // the first frames build font atlases and table layouts
                ms.push_back(
                    std::chrono::duration<double, std::milli>(clock::now() - start).count());
                build_ms += std::chrono::duration<double, std::milli>(drawn - start).count();
                vertices += ImGui::GetDrawData()->TotalVtxCount;
            }
        }
        std::sort(ms.begin(), ms.end());
        double sum = 0;
        for (double m : ms)
            sum += m;
        const double p95 = ms[ms.size() * 95 / 100];
        worst = std::max(worst, p95);
        std::printf("%-12s %9.2f %9.2f %9.2f %10.2f %9.0f\n",
                    std::string(viz::name_of(view)).c_str(), sum / ms.size(), p95, ms.back(),
                    build_ms / ms.size(), vertices / ms.size());
    }
    std::printf("worst view p95: %.2f ms (target 16 ms); peak RSS %.1f MiB\n", worst,
                bench::peak_rss_mib());
    return 0;
} catch (const std::exception& e) {
    std::fprintf(stderr, "bench_viz_frames: %s\n", e.what());
    return 1;
}
