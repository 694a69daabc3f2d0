#include "bench/working_set_load.hpp"

#include <algorithm>
#include <array>
#include <boost/random/exponential_distribution.hpp>
#include <chrono>
#include <cstddef>
#include <vector>

#include "sim/sim.hpp"

namespace bench {
namespace {

constexpr int sites_per_scale = 53;
constexpr int patients_per_scale = 600;
constexpr int visits_per_patient = 18;
constexpr double mean_visit_gap_days = 21.0;
constexpr double visit_length_days = 0.05;
constexpr double enrolment_span_days = 500.0;
constexpr std::size_t horizon_days = 1200;
constexpr int words_per_line = 8;
constexpr int max_site_lines = 12;

struct alignas(64) Line {
    std::array<std::uint64_t, words_per_line> word{};
};

// A site: its state (12 lines, as the real SiteState) and a diary row a day.
struct Site {
    std::array<Line, max_site_lines> state;
    std::vector<Line> diary = std::vector<Line>(horizon_days);
};

struct Load {
    sim::Simulation& sim;
    int site_lines;
    bool diary;
    std::vector<Site> sites;
    WorkingSetResult result;
};

sim::Process patient(Load& load, Site& site, sim::Rng rng) {
    // The patient's own state between visits, in its frame (the real model's frames in flight
    // are ~1.1 KB a patient).
    std::array<Line, 16> notes{};
    boost::random::exponential_distribution<double> gap(1.0 / mean_visit_gap_days);
    co_await sim::delay(enrolment_span_days * rng.uniform01());
    for (int visit = 0; visit < visits_per_patient; ++visit) {
        co_await sim::delay(gap(rng));
        const int word = visit % words_per_line;
        const std::size_t day =
            std::min(static_cast<std::size_t>(load.sim.now()), horizon_days - 1);
        std::uint64_t seen = ++site.diary[day].word[word];
        for (int l = 0; l < load.site_lines; ++l)
            seen += site.state[l].word[word];
        ++site.state[0].word[word];
        notes[visit % 16].word[word] += seen;
        notes[(visit + 7) % 16].word[word] ^= seen;
        co_await sim::delay(visit_length_days);
        ++load.result.visits;
    }
    std::uint64_t sum = 0;
    for (const Line& line : notes)
        sum += line.word[0] + line.word[7];
    load.result.checksum += sum;
}

}  // namespace

WorkingSetResult run_working_set_load(int scale, int site_lines, bool diary,
                                      std::uint64_t replication) {
    sim::Simulation simulation;
    Load load{simulation,
              std::clamp(site_lines, 0, max_site_lines),
              diary,
              std::vector<Site>(static_cast<std::size_t>(sites_per_scale) * scale),
              {}};
    const int patients = patients_per_scale * scale;
    for (int p = 0; p < patients; ++p) {
        Site& site = load.sites[static_cast<std::size_t>(p) % load.sites.size()];
        simulation.spawn(patient(load, site, sim::stream(1, replication, "patient", p)));
    }
    const auto start = std::chrono::steady_clock::now();
    simulation.run();
    load.result.run_seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    load.result.events = simulation.events_processed();
    return load.result;
}

}  // namespace bench
