#include "models/calibration/observed_data.hpp"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

namespace trial {
namespace {

// Days from `from` to the date `text` (YYYY-MM-DD); none if it is not a valid date.
std::optional<int> day_of(const std::string& text, const std::string& from) {
    auto parse = [](const std::string& t) -> std::optional<std::chrono::sys_days> {
        int y = 0, m = 0, d = 0;
        char dash1 = 0, dash2 = 0;
        std::istringstream in(t);
        if (t.size() != 10 || !(in >> y >> dash1 >> m >> dash2 >> d) || dash1 != '-' ||
            dash2 != '-')
            return std::nullopt;
        const std::chrono::year_month_day ymd{std::chrono::year{y}, std::chrono::month{unsigned(m)},
                                              std::chrono::day{unsigned(d)}};
        if (!ymd.ok()) return std::nullopt;
        return std::chrono::sys_days{ymd};
    };
    const auto a = parse(from), b = parse(text);
    if (!a || !b) return std::nullopt;
    return static_cast<int>((*b - *a).count());
}

std::string trim(const std::string& s) {
    const auto first = s.find_first_not_of(" \t\r");
    if (first == std::string::npos) return "";
    return s.substr(first, s.find_last_not_of(" \t\r") - first + 1);
}

// A CSV file of plain fields (no quoting), with a header line; '#' starts a comment line.
class CsvReader {
  public:
    CsvReader(std::string path, std::vector<std::string>& errors)
        : path_(std::move(path)), errors_(errors) {}

    bool open(std::string& text) {
        std::ifstream in(path_, std::ios::binary);
        if (!in) {
            errors_.push_back(path_ + ":0:0: cannot open the file");
            return false;
        }
        std::ostringstream all;
        all << in.rdbuf();
        text = all.str();
        std::istringstream lines(text);
        std::string line;
        int number = 0;
        while (std::getline(lines, line)) {
            ++number;
            const std::string t = trim(line);
            if (t.empty() || t[0] == '#') continue;
            std::vector<std::string> fields;
            std::vector<int> columns;
            std::size_t start = 0;
            for (;;) {
                const auto comma = line.find(',', start);
                fields.push_back(trim(line.substr(start, comma - start)));
                columns.push_back(static_cast<int>(start) + 1);
                if (comma == std::string::npos) break;
                start = comma + 1;
            }
            rows_.push_back({number, std::move(fields), std::move(columns)});
        }
        if (rows_.empty()) {
            errors_.push_back(path_ + ":1:1: empty file: expected a header line");
            return false;
        }
        header_ = rows_.front().fields;
        rows_.erase(rows_.begin());
        return true;
    }

    // Index of a column by name; reports a missing required one at the header line.
    int column(const std::string& name, bool required) {
        const auto at = std::find(header_.begin(), header_.end(), name);
        if (at != header_.end()) return static_cast<int>(at - header_.begin());
        if (required) error(1, 1, "missing column \"" + name + "\" in the header");
        return -1;
    }
    void check_header(const std::set<std::string>& known) {
        for (std::size_t c = 0; c < header_.size(); ++c) {
            if (!known.count(header_[c])) {
                std::string list;
                for (const std::string& k : known)
                    list += (list.empty() ? "" : ", ") + k;
                error(1, int(c) + 1, "unknown column \"" + header_[c] + "\" (known: " + list + ")");
            }
        }
    }

    struct Row {
        int line;
        std::vector<std::string> fields;
        std::vector<int> columns;
    };
    const std::vector<Row>& rows() const { return rows_; }
    std::size_t width() const { return header_.size(); }
    const std::string& name(int column) const { return header_[column]; }

    void error(int line, int column, const std::string& message) {
        errors_.push_back(path_ + ":" + std::to_string(line) + ":" + std::to_string(column) + ": " +
                          message);
    }
    void error(const Row& row, int field, const std::string& message) {
        error(row.line, field < int(row.columns.size()) ? row.columns[field] : 1,
              header_[field] + ": " + message);
    }
    // A count >= 0; none (and an error) otherwise.
    std::optional<int> count(const Row& row, int field) {
        const std::string& text = row.fields[field];
        int value = 0;
        const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
        if (ec != std::errc() || end != text.data() + text.size()) {
            error(row, field, "\"" + text + "\" is not a whole number");
            return std::nullopt;
        }
        if (value < 0) {
            error(row, field, "must be >= 0, not " + text);
            return std::nullopt;
        }
        return value;
    }

  private:
    std::string path_;
    std::vector<std::string>& errors_;
    std::vector<std::string> header_;
    std::vector<Row> rows_;
};

}  // namespace

LoadedObservations load_observations(const Scenario& scenario, const std::string& as_of,
                                     const std::string& sites_path,
                                     const std::string& patients_path) {
    LoadedObservations out;
    ObservedTrial observed;
    observed.as_of_date = as_of;
    const std::optional<int> as_of_day = day_of(as_of, scenario.trial.start_date);
    if (!as_of_day) {
        out.errors.push_back("--as-of: \"" + as_of + "\" is not a date (YYYY-MM-DD)");
        return out;
    }
    if (*as_of_day <= 0) {
        out.errors.push_back("--as-of: " + as_of + " is not after the trial's start_date " +
                             scenario.trial.start_date);
        return out;
    }
    observed.as_of_day = *as_of_day;

    CsvReader sites(sites_path, out.errors);
    if (!sites.open(observed.sites_text)) return out;
    sites.check_header({"site", "activation_date", "screened", "randomised", "screen_failed",
                        "dropped_out", "kits_on_hand"});
    const int c_site = sites.column("site", true),
              c_activation = sites.column("activation_date", true),
              c_screened = sites.column("screened", true),
              c_randomised = sites.column("randomised", true),
              c_failed = sites.column("screen_failed", false),
              c_dropped = sites.column("dropped_out", false),
              c_kits = sites.column("kits_on_hand", false);
    if (c_site < 0 || c_activation < 0 || c_screened < 0 || c_randomised < 0) return out;
    std::map<int, int> seen;  // site -> line
    for (const auto& row : sites.rows()) {
        if (row.fields.size() != sites.width()) {
            sites.error(row.line, 1,
                        "expected " + std::to_string(sites.width()) + " fields, found " +
                            std::to_string(row.fields.size()));
            continue;
        }
        ObservedSite s;
        s.site = scenario.site_index(row.fields[c_site]);
        if (s.site < 0) {
            sites.error(row, c_site, "unknown site \"" + row.fields[c_site] + "\"");
            continue;
        }
        if (const auto [at, fresh] = seen.insert({s.site, row.line}); !fresh) {
            sites.error(row, c_site,
                        "site \"" + row.fields[c_site] + "\" again (first on line " +
                            std::to_string(at->second) + ")");
            continue;
        }
        const std::string& date = row.fields[c_activation];
        bool date_bad = false;
        if (!date.empty()) {
            date_bad = true;
            const std::optional<int> day = day_of(date, scenario.trial.start_date);
            if (!day) {
                sites.error(row, c_activation, "\"" + date + "\" is not a date (YYYY-MM-DD)");
            } else if (*day > observed.as_of_day) {
                sites.error(row, c_activation, date + " is after the as-of date " + as_of);
            } else if (*day < 0) {
                sites.error(row, c_activation, date + " is before the trial's start_date");
            } else {
                s.activation_day = *day;
                date_bad = false;
            }
        }
        const auto screened = sites.count(row, c_screened);
        const auto randomised = sites.count(row, c_randomised);
        const auto failed = c_failed >= 0 && !row.fields[c_failed].empty()
                                ? sites.count(row, c_failed)
                                : std::optional<int>();
        const auto dropped = c_dropped >= 0 && !row.fields[c_dropped].empty()
                                 ? sites.count(row, c_dropped)
                                 : std::optional<int>(0);
        const auto kits = c_kits >= 0 && !row.fields[c_kits].empty() ? sites.count(row, c_kits)
                                                                     : std::optional<int>(0);
        if (!screened || !randomised || !dropped || !kits) continue;
        if (c_kits >= 0 && !row.fields[c_kits].empty()) s.kits_on_hand = *kits;
        s.screened = *screened;
        s.randomised = *randomised;
        s.screen_failed = failed;
        s.dropped_out = *dropped;
        if (s.randomised > s.screened) {
            sites.error(row, c_randomised,
                        "more randomised (" + std::to_string(s.randomised) + ") than screened (" +
                            std::to_string(s.screened) + ")");
        } else if (failed && s.randomised + *failed > s.screened) {
            sites.error(row, c_failed, "randomised + screen_failed exceed screened");
        } else if (s.dropped_out > s.randomised) {
            sites.error(row, c_dropped, "more dropped out than randomised");
        } else if (!s.activation_day && s.screened > 0 && !date_bad) {
            sites.error(row, c_activation, "a site with patients needs its activation date");
        } else {
            observed.sites.push_back(s);
        }
    }

    if (!patients_path.empty()) {
        CsvReader patients(patients_path, out.errors);
        if (patients.open(observed.patients_text)) {
            patients.check_header({"site", "randomisation_date", "status", "visits_done"});
            const int p_site = patients.column("site", true),
                      p_date = patients.column("randomisation_date", true),
                      p_status = patients.column("status", false),
                      p_visits = patients.column("visits_done", false);
            int scheduled = 0;
            for (const VisitSpec& v : scenario.protocol.visits)
                scheduled += v.repeat;
            std::map<int, int> per_site;
            if (p_site >= 0 && p_date >= 0) {
                for (const auto& row : patients.rows()) {
                    if (row.fields.size() != patients.width()) {
                        patients.error(row.line, 1,
                                       "expected " + std::to_string(patients.width()) +
                                           " fields, found " + std::to_string(row.fields.size()));
                        continue;
                    }
                    ObservedPatient p;
                    p.site = scenario.site_index(row.fields[p_site]);
                    if (p.site < 0) {
                        patients.error(row, p_site, "unknown site \"" + row.fields[p_site] + "\"");
                        continue;
                    }
                    const std::optional<int> day =
                        day_of(row.fields[p_date], scenario.trial.start_date);
                    const auto site = std::find_if(observed.sites.begin(), observed.sites.end(),
                                                   [&](auto& s) { return s.site == p.site; });
                    if (!day) {
                        patients.error(row, p_date,
                                       "\"" + row.fields[p_date] + "\" is not a date (YYYY-MM-DD)");
                        continue;
                    }
                    if (*day > observed.as_of_day) {
                        patients.error(row, p_date,
                                       row.fields[p_date] + " is after the as-of date " + as_of);
                        continue;
                    }
                    if (site == observed.sites.end() || !site->activation_day ||
                        *day < *site->activation_day) {
                        patients.error(row, p_date,
                                       "before the site's activation (or the site is not active "
                                       "in the sites file)");
                        continue;
                    }
                    p.randomisation_day = *day;
                    if (p_status >= 0) {
                        const std::string& status = row.fields[p_status];
                        if (status == "on_study" || status.empty()) {
                            p.status = ObservedPatient::Status::on_study;
                        } else if (status == "dropped_out") {
                            p.status = ObservedPatient::Status::dropped_out;
                        } else if (status == "completed") {
                            p.status = ObservedPatient::Status::completed;
                        } else {
                            patients.error(row, p_status,
                                           "unknown status \"" + status +
                                               "\" (on_study, dropped_out or completed)");
                            continue;
                        }
                    }
                    if (p_visits >= 0 && !row.fields[p_visits].empty()) {
                        const auto done = patients.count(row, p_visits);
                        if (!done) continue;
                        if (*done > scheduled) {
                            patients.error(row, p_visits,
                                           std::to_string(*done) +
                                               " visits, but the protocol has " +
                                               std::to_string(scheduled));
                            continue;
                        }
                        p.visits_done = *done;
                    }
                    ++per_site[p.site];
                    observed.patients.push_back(p);
                }
                for (const ObservedSite& s : observed.sites) {
                    const int listed = per_site[s.site];
                    if (listed != s.randomised) {
                        out.errors.push_back(
                            patients_path + ":0:0: site \"" + scenario.sites[s.site].id +
                            "\" has " + std::to_string(listed) + " patients listed but " +
                            std::to_string(s.randomised) + " randomised in " + sites_path);
                    }
                }
            }
        }
    }
    if (out.errors.empty()) out.observed = std::move(observed);
    return out;
}

}  // namespace trial
