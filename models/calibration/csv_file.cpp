#include "models/calibration/csv_file.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <chrono>
#include <cstring>
#include <fstream>
#include <sstream>

#include "models/files/input_file.hpp"

namespace trial {
namespace {

std::string trim(const std::string& s) {
    const auto first = s.find_first_not_of(" \t\r");
    if (first == std::string::npos) return "";
    return s.substr(first, s.find_last_not_of(" \t\r") - first + 1);
}

std::optional<std::chrono::sys_days> date_of(const std::string& t) {
    if (t.size() != 10 || t[4] != '-' || t[7] != '-') return std::nullopt;
    for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
        if (!std::isdigit(static_cast<unsigned char>(t[i]))) return std::nullopt;
    }
    const int y = std::stoi(t.substr(0, 4));
    const unsigned m = static_cast<unsigned>(std::stoi(t.substr(5, 2)));
    const unsigned d = static_cast<unsigned>(std::stoi(t.substr(8, 2)));
    const std::chrono::year_month_day ymd{std::chrono::year{y}, std::chrono::month{m},
                                          std::chrono::day{d}};
    if (!ymd.ok()) return std::nullopt;
    return std::chrono::sys_days{ymd};
}

}  // namespace

std::optional<int> days_between(const std::string& origin, const std::string& date) {
    const auto a = date_of(origin), b = date_of(date);
    if (!a || !b) return std::nullopt;
    return static_cast<int>((*b - *a).count());
}

bool CsvFile::open(std::string& text) {
    files::TextInput input = files::read_text_input(path_, files::max_table_bytes);
    if (!input.problem.empty()) {
        errors_.push_back(path_ + ": " + input.problem);
        return false;
    }
    text = std::move(input.text);
    std::istringstream lines(text);
    std::string line;
    int number = 0;
    bool header = true;
    while (std::getline(lines, line)) {
        ++number;
        if (number == 1 && line.rfind("\xEF\xBB\xBF", 0) == 0) line.erase(0, 3);  // UTF-8 BOM
        const std::string t = trim(line);
        if (t.empty() || t[0] == '#') continue;
        Row row{number, {}, {}};
        std::size_t start = 0;
        for (;;) {
            const auto comma = line.find(',', start);
            row.fields.push_back(trim(line.substr(start, comma - start)));
            row.columns.push_back(static_cast<int>(start) + 1);
            if (comma == std::string::npos) break;
            start = comma + 1;
        }
        if (header) {
            header_ = std::move(row.fields);
            header_line_ = number;
            header = false;
        } else if (row.fields.size() != header_.size()) {
            error(number, 1,
                  "expected " + std::to_string(header_.size()) + " fields, found " +
                      std::to_string(row.fields.size()));
        } else {
            rows_.push_back(std::move(row));
        }
    }
    if (header) {
        errors_.push_back(path_ + ":1:1: empty file: expected a header line");
        return false;
    }
    return true;
}

int CsvFile::column(const std::string& name, bool required) {
    const auto at = std::find(header_.begin(), header_.end(), name);
    if (at != header_.end()) return static_cast<int>(at - header_.begin());
    if (required) error(header_line_, 1, "missing column \"" + name + "\" in the header");
    return -1;
}

void CsvFile::check_header(const std::set<std::string>& known) {
    for (std::size_t c = 0; c < header_.size(); ++c) {
        if (known.count(header_[c])) continue;
        std::string list;
        for (const std::string& k : known)
            list += (list.empty() ? "" : ", ") + k;
        error(header_line_, int(c) + 1,
              "unknown column \"" + header_[c] + "\" (known: " + list + ")");
    }
}

void CsvFile::error(int line, int column, const std::string& message) {
    errors_.push_back(path_ + ":" + std::to_string(line) + ":" + std::to_string(column) + ": " +
                      message);
}

void CsvFile::error(const Row& row, int field, const std::string& message) {
    error(row.line, field < int(row.columns.size()) ? row.columns[field] : 1,
          header_[field] + ": " + message);
}

std::optional<int> CsvFile::count(const Row& row, int field, int most) {
    const std::string& text = row.fields[field];
    long long value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || text.empty()) {
        error(row, field, "\"" + text + "\" is not a whole number");
        return std::nullopt;
    }
    if (value < 0 || value > most) {
        error(row, field, "must be 0 to " + std::to_string(most) + ", not " + text);
        return std::nullopt;
    }
    return static_cast<int>(value);
}

std::optional<int> CsvFile::day(const Row& row, int field, const std::string& origin) {
    const std::optional<int> days = days_between(origin, row.fields[field]);
    if (!days) error(row, field, "\"" + row.fields[field] + "\" is not a date (YYYY-MM-DD)");
    return days;
}

}  // namespace trial
