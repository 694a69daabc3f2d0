#include "models/calibration/observed_data.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "models/calibration/csv_file.hpp"

namespace trial {
namespace {

// More patients than any one site of a real trial sees (the largest sites of mega-trials
// randomise a few thousand).
constexpr int most_per_site = 100'000;

// The as-of day: after the start, within the trial's horizon. None, after saying why, if not.
std::optional<int> as_of_day_of(const Scenario& scenario, const std::string& as_of,
                                std::vector<std::string>& errors) {
    const std::optional<int> day = days_between(scenario.trial.start_date, as_of);
    if (!day) {
        errors.push_back("--as-of: \"" + as_of + "\" is not a date (YYYY-MM-DD)");
    } else if (*day <= 0) {
        errors.push_back("--as-of: " + as_of + " is not after the trial's start_date " +
                         scenario.trial.start_date);
    } else if (*day >= scenario.trial.horizon_days) {
        errors.push_back("--as-of: " + as_of + " is day " + std::to_string(*day) +
                         " of the trial, at or past its horizon (trial.horizon_days = " +
                         std::to_string(static_cast<long long>(scenario.trial.horizon_days)) +
                         "): there is nothing left to forecast");
    } else {
        return day;
    }
    return std::nullopt;
}

// Each row of the sites file, checked against the scenario and against itself.
class SitesFile {
  public:
    SitesFile(const Scenario& scenario, ObservedTrial& observed, CsvFile& csv)
        : scenario_(scenario), observed_(observed), csv_(csv) {}

    void read() {
        csv_.check_header({"site", "activation_date", "screened", "randomised", "screen_failed",
                           "dropped_out", "kits_on_hand"});
        c_site_ = csv_.column("site", true);
        c_activation_ = csv_.column("activation_date", true);
        c_screened_ = csv_.column("screened", true);
        c_randomised_ = csv_.column("randomised", true);
        c_failed_ = csv_.column("screen_failed", false);
        c_dropped_ = csv_.column("dropped_out", false);
        c_kits_ = csv_.column("kits_on_hand", false);
        if (c_site_ < 0 || c_activation_ < 0 || c_screened_ < 0 || c_randomised_ < 0) return;
        for (const CsvFile::Row& row : csv_.rows())
            read(row);
    }

    // The line of each site's row (for messages about it from the patients file).
    const std::map<int, int>& lines() const { return seen_; }
    int randomised_column() const { return c_randomised_; }

  private:
    void read(const CsvFile::Row& row) {
        ObservedSite s;
        s.site = scenario_.site_index(row.fields[c_site_]);
        if (s.site < 0) {
            csv_.error(row, c_site_, "unknown site \"" + row.fields[c_site_] + "\"");
            return;
        }
        if (const auto [at, fresh] = seen_.insert({s.site, row.line}); !fresh) {
            csv_.error(row, c_site_,
                       "site \"" + row.fields[c_site_] + "\" again (first on line " +
                           std::to_string(at->second) + ")");
            return;
        }
        bool date_bad = false;
        if (!row.fields[c_activation_].empty()) {
            const std::optional<int> day = activation_day(row);
            date_bad = !day;
            if (day) s.activation_day = *day;
        }
        const auto optional_count = [&](int column, std::optional<int> absent) {
            return column >= 0 && !row.fields[column].empty()
                       ? csv_.count(row, column, most_per_site)
                       : absent;
        };
        const auto screened = csv_.count(row, c_screened_, most_per_site);
        const auto randomised = csv_.count(row, c_randomised_, most_per_site);
        const auto failed = optional_count(c_failed_, std::nullopt);
        const auto dropped = optional_count(c_dropped_, 0);
        const auto kits = optional_count(c_kits_, 0);
        if (!screened || !randomised || !dropped || !kits) return;
        if (c_failed_ >= 0 && !row.fields[c_failed_].empty() && !failed) return;
        if (c_kits_ >= 0 && !row.fields[c_kits_].empty()) s.kits_on_hand = *kits;
        s.screened = *screened;
        s.randomised = *randomised;
        s.screen_failed = failed;
        s.dropped_out = *dropped;
        if (s.randomised > s.screened) {
            csv_.error(row, c_randomised_,
                       "more randomised (" + std::to_string(s.randomised) + ") than screened (" +
                           std::to_string(s.screened) + ")");
        } else if (failed && s.randomised + *failed > s.screened) {
            csv_.error(row, c_failed_, "randomised + screen_failed exceed screened");
        } else if (s.dropped_out > s.randomised) {
            csv_.error(row, c_dropped_, "more dropped out than randomised");
        } else if (!s.activation_day && s.screened > 0 && !date_bad) {
            csv_.error(row, c_activation_, "a site with patients needs its activation date");
        } else {
            observed_.sites.push_back(s);
        }
    }

    std::optional<int> activation_day(const CsvFile::Row& row) {
        const std::optional<int> day = csv_.day(row, c_activation_, scenario_.trial.start_date);
        if (!day) return std::nullopt;
        const std::string& date = row.fields[c_activation_];
        if (*day > observed_.as_of_day) {
            csv_.error(row, c_activation_,
                       date + " is after the as-of date " + observed_.as_of_date);
        } else if (*day < 0) {
            csv_.error(row, c_activation_, date + " is before the trial's start_date");
        } else {
            return day;
        }
        return std::nullopt;
    }

    const Scenario& scenario_;
    ObservedTrial& observed_;
    CsvFile& csv_;
    int c_site_ = -1, c_activation_ = -1, c_screened_ = -1, c_randomised_ = -1, c_failed_ = -1,
        c_dropped_ = -1, c_kits_ = -1;
    std::map<int, int> seen_;  // site -> line
};

// Each row of the patients file, checked against the scenario and the sites file.
class PatientsFile {
  public:
    PatientsFile(const Scenario& scenario, ObservedTrial& observed, CsvFile& csv)
        : scenario_(scenario), observed_(observed), csv_(csv) {
        for (const VisitSpec& v : scenario.protocol.visits)
            scheduled_ += v.repeat;
    }

    // Patients listed per site.
    std::map<int, int> read() {
        std::set<std::string> known{"site", "randomisation_date", "status", "visits_done", "arm"};
        // Each endpoint's event and censoring dates: "<name>_event_date", and for the first
        // endpoint also plain "event_date" (the same for censored_date).
        for (std::size_t e = 0; e < scenario_.endpoints.size(); ++e) {
            const std::string& name = scenario_.endpoints[e].name;
            known.insert(name + "_event_date");
            known.insert(name + "_censored_date");
            c_event_.push_back(csv_.column(name + "_event_date", false));
            c_censored_.push_back(csv_.column(name + "_censored_date", false));
            if (e == 0) {
                known.insert("event_date");
                known.insert("censored_date");
                if (c_event_[0] < 0) c_event_[0] = csv_.column("event_date", false);
                if (c_censored_[0] < 0) c_censored_[0] = csv_.column("censored_date", false);
            }
        }
        csv_.check_header(known);
        c_site_ = csv_.column("site", true);
        c_date_ = csv_.column("randomisation_date", true);
        c_status_ = csv_.column("status", false);
        c_visits_ = csv_.column("visits_done", false);
        c_arm_ = csv_.column("arm", false);
        std::map<int, int> per_site;
        if (c_site_ < 0 || c_date_ < 0) return per_site;
        for (const CsvFile::Row& row : csv_.rows()) {
            if (std::optional<ObservedPatient> p = read(row)) {
                ++per_site[p->site];
                observed_.patients.push_back(*p);
            }
        }
        return per_site;
    }

  private:
    std::optional<ObservedPatient> read(const CsvFile::Row& row) {
        ObservedPatient p;
        p.site = scenario_.site_index(row.fields[c_site_]);
        if (p.site < 0) {
            csv_.error(row, c_site_, "unknown site \"" + row.fields[c_site_] + "\"");
            return std::nullopt;
        }
        const std::optional<int> day = csv_.day(row, c_date_, scenario_.trial.start_date);
        if (!day) return std::nullopt;
        if (*day > observed_.as_of_day) {
            csv_.error(row, c_date_,
                       row.fields[c_date_] + " is after the as-of date " + observed_.as_of_date);
            return std::nullopt;
        }
        const auto site = std::find_if(observed_.sites.begin(), observed_.sites.end(),
                                       [&](const ObservedSite& s) { return s.site == p.site; });
        if (site == observed_.sites.end() || !site->activation_day ||
            *day < *site->activation_day) {
            csv_.error(row, c_date_,
                       "before the site's activation (or the site is not active in the sites "
                       "file)");
            return std::nullopt;
        }
        p.randomisation_day = *day;
        if (c_status_ >= 0 && !read_status(row, p)) return std::nullopt;
        if (c_visits_ >= 0 && !row.fields[c_visits_].empty()) {
            const auto done = csv_.count(row, c_visits_, most_per_site);
            if (!done) return std::nullopt;
            if (*done > scheduled_) {
                csv_.error(row, c_visits_,
                           std::to_string(*done) + " visits, but the protocol has " +
                               std::to_string(scheduled_));
                return std::nullopt;
            }
            p.visits_done = *done;
        }
        if (c_arm_ >= 0 && !row.fields[c_arm_].empty()) {
            const std::string& name = row.fields[c_arm_];
            for (std::size_t a = 0; a < scenario_.trial.arms.size(); ++a) {
                if (scenario_.trial.arms[a].name == name) p.arm = static_cast<int>(a);
            }
            if (!p.arm) {
                csv_.error(row, c_arm_, "unknown arm \"" + name + "\"");
                return std::nullopt;
            }
        }
        p.event_day.resize(scenario_.endpoints.size());
        p.censored_day.resize(scenario_.endpoints.size());
        for (std::size_t e = 0; e < scenario_.endpoints.size(); ++e) {
            if (!follow_up_day(row, c_event_[e], p, p.event_day[e])) return std::nullopt;
            if (!follow_up_day(row, c_censored_[e], p, p.censored_day[e])) return std::nullopt;
            if (p.event_day[e] && p.censored_day[e]) {
                csv_.error(row, c_censored_[e],
                           "both an event and a censoring date for " + scenario_.endpoints[e].name);
                return std::nullopt;
            }
        }
        return p;
    }

    // An event or censoring date: between randomisation and the as-of date.
    bool follow_up_day(const CsvFile::Row& row, int column, const ObservedPatient& p,
                       std::optional<double>& day) {
        if (column < 0 || row.fields[column].empty()) return true;
        const std::optional<int> d = csv_.day(row, column, scenario_.trial.start_date);
        if (!d) return false;
        if (*d < p.randomisation_day) {
            csv_.error(row, column, row.fields[column] + " is before the patient's randomisation");
            return false;
        }
        if (*d > observed_.as_of_day) {
            csv_.error(row, column,
                       row.fields[column] + " is after the as-of date " + observed_.as_of_date);
            return false;
        }
        day = *d;
        return true;
    }

    bool read_status(const CsvFile::Row& row, ObservedPatient& p) {
        const std::string& status = row.fields[c_status_];
        if (status == "on_study" || status.empty()) {
            p.status = ObservedPatient::Status::on_study;
        } else if (status == "dropped_out") {
            p.status = ObservedPatient::Status::dropped_out;
        } else if (status == "completed") {
            p.status = ObservedPatient::Status::completed;
        } else {
            csv_.error(row, c_status_,
                       "unknown status \"" + status + "\" (on_study, dropped_out or completed)");
            return false;
        }
        return true;
    }

    const Scenario& scenario_;
    ObservedTrial& observed_;
    CsvFile& csv_;
    int scheduled_ = 0;  // protocol visits after randomisation
    int c_site_ = -1, c_date_ = -1, c_status_ = -1, c_visits_ = -1, c_arm_ = -1;
    std::vector<int> c_event_, c_censored_;  // per endpoint; -1: no such column
};

}  // namespace

LoadedObservations load_observations(const Scenario& scenario, const std::string& as_of,
                                     const std::string& sites_path,
                                     const std::string& patients_path) {
    LoadedObservations out;
    ObservedTrial observed;
    observed.as_of_date = as_of;
    const std::optional<int> as_of_day = as_of_day_of(scenario, as_of, out.errors);
    if (!as_of_day) return out;
    observed.as_of_day = *as_of_day;

    CsvFile sites_csv(sites_path, out.errors);
    if (!sites_csv.open(observed.sites_text)) return out;
    SitesFile sites(scenario, observed, sites_csv);
    sites.read();

    if (!patients_path.empty()) {
        CsvFile patients_csv(patients_path, out.errors);
        if (patients_csv.open(observed.patients_text)) {
            std::map<int, int> listed = PatientsFile(scenario, observed, patients_csv).read();
            // Every site's randomised count is the patients listed for it.
            for (const ObservedSite& s : observed.sites) {
                if (listed[s.site] == s.randomised) continue;
                sites_csv.error(sites.lines().at(s.site), 1,
                                "site \"" + scenario.sites[s.site].id + "\" has " +
                                    std::to_string(s.randomised) + " randomised here but " +
                                    std::to_string(listed[s.site]) + " patients listed in " +
                                    patients_path);
            }
        }
    }
    if (out.errors.empty()) out.observed = std::move(observed);
    return out;
}

}  // namespace trial
