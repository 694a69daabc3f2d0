#pragma once
// A CSV file of plain fields (no quoting) with a header line, read strictly: '#' starts a
// comment line, blank lines are skipped, a UTF-8 byte-order mark and CRLF line ends are
// accepted, and every problem is reported as FILE:LINE:COLUMN: message (the header's real line,
// not line 1, when comments come first).

#include <optional>
#include <set>
#include <string>
#include <vector>

namespace trial {

class CsvFile {
  public:
    struct Row {
        int line;
        std::vector<std::string> fields;
        std::vector<int> columns;  // where each field starts, from 1
    };

    // Errors go to `errors` ("file:line:column: message").
    CsvFile(std::string path, std::vector<std::string>& errors)
        : path_(std::move(path)), errors_(errors) {}

    // Reads the file (kept verbatim in `text`); false, after saying why, if it cannot be read or
    // holds no header.
    bool open(std::string& text);

    // Index of a column by name; a missing required one is reported at the header line.
    int column(const std::string& name, bool required);
    // Reports every header column not in `known`.
    void check_header(const std::set<std::string>& known);

    // The data rows; one with the wrong number of fields is reported and left out.
    const std::vector<Row>& rows() const { return rows_; }
    const std::string& path() const { return path_; }

    void error(int line, int column, const std::string& message);
    // At the field's line and column, prefixed with its column's name.
    void error(const Row& row, int field, const std::string& message);

    // A whole number in [0, most]; none (and an error) otherwise.
    std::optional<int> count(const Row& row, int field, int most);
    // A date (YYYY-MM-DD, exactly) as days after `origin` (a valid YYYY-MM-DD); none (and an
    // error) if it is not one.
    std::optional<int> day(const Row& row, int field, const std::string& origin);

  private:
    std::string path_;
    std::vector<std::string>& errors_;
    int header_line_ = 1;
    std::vector<std::string> header_;
    std::vector<Row> rows_;
};

// Days from `origin` to `date`, both exactly YYYY-MM-DD and valid calendar dates; none if
// either is not.
std::optional<int> days_between(const std::string& origin, const std::string& date);

}  // namespace trial
