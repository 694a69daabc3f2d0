// Fuzz target: a running trial's observed data, as `forecast` reads them for the reference
// trial (scenarios/oncology_ph3_50sites.toml, which has endpoints). The loader either refuses
// the files with messages or accepts them; accepted data are then fitted (calibrate: the
// Poisson-gamma and event-time maximum likelihood fits) and one replication runs from the as-of
// state. Nothing may crash, hang (the fuzzer's -timeout) or trip the sanitizers.
//
// Two readings of the bytes, so that both the refusals and the fits are explored:
// - as text: the sites file, and after a line "--- patients ---" the patients file; an optional
//   first line "as_of DATE" sets --as-of (2027-10-11 otherwise). Nearly all such inputs are
//   refused somewhere (one wrong field refuses the files);
// - starting with byte 0x01: as numbers that choose files the loader accepts — the as-of day,
//   which sites are listed and active, their counts, and each randomised patient's date,
//   status, visits done, arm, event and censoring dates — extreme but consistent data (a site
//   activated on the as-of day, everybody failed screening or dropped out, every event on the
//   day of randomisation), which is where the fits and the as-of start can go wrong.

#include <unistd.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <stdexcept>
#include <string>
#include <string_view>

#include "models/calibration/as_of.hpp"
#include "models/calibration/observed_data.hpp"
#include "models/scenario/scenario_loader.hpp"
#include "models/trial/rules.hpp"
#include "models/trial/trial.hpp"

namespace {

const trial::Scenario& reference_trial() {
    static const trial::LoadedScenario loaded =
        trial::load_scenario_file(TRIALTWIN_SOURCE_DIR "/scenarios/oncology_ph3_50sites.toml",
                                  trial::registered_policy_names());
    if (!loaded.scenario) throw std::runtime_error("the reference trial does not load");
    return *loaded.scenario;
}

void write(const std::string& path, std::string_view bytes) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

// The fuzzer's bytes as numbers; zeros once they run out.
class Numbers {
  public:
    explicit Numbers(std::string_view bytes) : bytes_(bytes) {}
    // A number in [0, n) (0 if n <= 0).
    int below(int n) {
        std::uint32_t x = 0;
        for (int i = 0; i < 2; ++i, ++at_)
            x = x << 8 | (at_ < bytes_.size() ? static_cast<unsigned char>(bytes_[at_]) : 0);
        return n > 0 ? static_cast<int>(x % static_cast<std::uint32_t>(n)) : 0;
    }
    bool yes() { return below(2) == 1; }

  private:
    std::string_view bytes_;
    std::size_t at_ = 0;
};

// `day` days after the scenario's start_date, as YYYY-MM-DD.
std::string date(const trial::Scenario& scenario, int day) {
    using namespace std::chrono;
    const std::string& start = scenario.trial.start_date;
    const year_month_day first{
        year{std::stoi(start.substr(0, 4))},
        month{static_cast<unsigned>(std::stoi(start.substr(5, 2)))},
        std::chrono::day{static_cast<unsigned>(std::stoi(start.substr(8, 2)))}};
    const year_month_day d{sys_days{first} + days{day}};
    char text[16];
    std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(d.year()),
                  static_cast<unsigned>(d.month()), static_cast<unsigned>(d.day()));
    return text;
}

struct Files {
    std::string as_of, sites, patients;
    bool with_patients = false;  // else no patients file is given
};

// Observed data the loader accepts, chosen by `n`.
Files consistent_files(const trial::Scenario& scenario, Numbers& n) {
    int scheduled = 0;
    for (const trial::VisitSpec& v : scenario.protocol.visits)
        scheduled += v.repeat;
    const int as_of_day = 1 + n.below(2000);
    Files f;
    f.as_of = date(scenario, as_of_day);
    f.sites = "site,activation_date,screened,randomised,screen_failed,dropped_out,kits_on_hand\n";
    f.with_patients = n.yes();
    std::string& p = f.patients;
    p = "site,randomisation_date,status,visits_done,arm";
    for (const trial::EndpointSpec& e : scenario.endpoints)
        p += "," + e.name + "_event_date," + e.name + "_censored_date";
    p += "\n";
    const bool arms_known = n.yes();  // every patient's arm: fitted arm by arm
    for (const trial::SiteSpec& site : scenario.sites) {
        const int listed = n.below(4);  // 0: not listed, 1: not active yet, else active
        if (listed == 0) continue;
        if (listed == 1) {
            f.sites += site.id + ",,0,0,,0,\n";
            continue;
        }
        const int activation = n.below(as_of_day + 1);
        const int screened = n.below(40);
        const int randomised = n.below(screened + 1);
        const int failed = n.below(screened - randomised + 2) - 1;  // -1: left empty
        const int dropped = n.below(randomised + 1);
        const int kits = n.below(30) - 1;
        f.sites += site.id + "," + date(scenario, activation) + "," + std::to_string(screened) +
                   "," + std::to_string(randomised) + "," +
                   (failed < 0 ? "" : std::to_string(failed)) + "," + std::to_string(dropped) +
                   "," + (kits < 0 ? "" : std::to_string(kits)) + "\n";
        for (int i = 0; i < randomised; ++i) {
            const int day = activation + n.below(as_of_day - activation + 1);
            static constexpr const char* statuses[] = {"on_study", "dropped_out", "completed", ""};
            const int visits = n.below(scheduled + 2) - 1;
            p += site.id + "," + date(scenario, day) + "," + statuses[n.below(4)] + "," +
                 (visits < 0 ? "" : std::to_string(visits)) + ",";
            if (arms_known) p += scenario.trial.arms[n.below(scenario.trial.arms.size())].name;
            for (std::size_t e = 0; e < scenario.endpoints.size(); ++e) {
                const int what = n.below(3);  // 0: at risk, 1: event, 2: censored
                const std::string on = date(scenario, day + n.below(as_of_day - day + 1));
                p += what == 1 ? "," + on + "," : what == 2 ? ",," + on : ",,";
            }
            p += "\n";
        }
    }
    return f;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const trial::Scenario& scenario = reference_trial();
    static const std::string stem = "/tmp/trialtwin-fuzz-observed-" + std::to_string(::getpid());
    std::string_view input(reinterpret_cast<const char*>(data), size);

    Files files;
    if (input.starts_with('\x01')) {
        Numbers numbers(input.substr(1));
        files = consistent_files(scenario, numbers);
    } else {
        files.as_of = "2027-10-11";
        constexpr std::string_view as_of_key = "as_of ";
        if (input.starts_with(as_of_key)) {
            const std::size_t end = input.find('\n');
            files.as_of = std::string(input.substr(as_of_key.size(), end - as_of_key.size()));
            input = end == std::string_view::npos ? std::string_view{} : input.substr(end + 1);
        }
        constexpr std::string_view separator = "--- patients ---\n";
        const std::size_t split = input.find(separator);
        files.sites = input.substr(0, split);
        files.with_patients = split != std::string_view::npos;
        if (files.with_patients) files.patients = input.substr(split + separator.size());
    }
    const std::string sites = stem + ".sites.csv";
    const std::string patients = files.with_patients ? stem + ".patients.csv" : "";
    write(sites, files.sites);
    if (files.with_patients) write(patients, files.patients);

    const trial::LoadedObservations loaded =
        trial::load_observations(scenario, files.as_of, sites, patients);
    if (!loaded.observed) return 0;
    const trial::Calibration calibration = trial::calibrate(scenario, *loaded.observed);
    try {
        trial::run_replication(scenario, 1, 0, nullptr, &calibration.start);
    } catch (const std::exception&) {
        // A replication may fail with a message (the runner reports it): not a crash.
    }
    return 0;
}
