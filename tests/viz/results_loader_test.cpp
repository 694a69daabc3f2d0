// The visualizer's reading of results files: what it makes of good, partial and bad files,
// and the aggregates it computes once at load.

#include <H5Cpp.h>

#include <catch2/catch.hpp>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "viz/calendar_axis.hpp"
#include "viz/results.hpp"

namespace {

struct TempFile {
    std::filesystem::path path;
    explicit TempFile(const std::string& name)
        : path(std::filesystem::temp_directory_path() /
               ("trialtwin_viz_" + std::to_string(::getpid()) + "_" + name)) {}
    ~TempFile() { std::filesystem::remove(path); }
};

void string_attribute(H5::H5Object& o, const char* name, const std::string& value) {
    H5::StrType t(H5::PredType::C_S1, H5T_VARIABLE);
    o.createAttribute(name, t, H5::DataSpace(H5S_SCALAR)).write(t, value);
}

struct Row {
    int replication;
    double enrollment_duration_days;
    double cost_total;
};

// A results file with the parts the visualizer cannot do without, and nothing else.
void write_minimal(const std::string& path, bool with_bands,
                   const std::vector<std::vector<double>>& durations) {
    H5::H5File file(path, H5F_ACC_TRUNC);
    H5::Group root = file.openGroup("/");
    string_attribute(root, "format", "trialtwin-results");
    const int version = 2;
    root.createAttribute("format_version", H5::PredType::NATIVE_INT32, H5::DataSpace(H5S_SCALAR))
        .write(H5::PredType::NATIVE_INT32, &version);
    string_attribute(root, "start_date", "2027-01-04");
    H5::Group policies = root.createGroup("policies");
    for (std::size_t p = 0; p < durations.size(); ++p) {
        H5::Group g = policies.createGroup(p == 0 ? "as_written" : "variant_" + std::to_string(p));
        std::vector<Row> rows;
        for (std::size_t r = 0; r < durations[p].size(); ++r)
            rows.push_back({int(r), durations[p][r], 1000.0 * (r + 1)});
        H5::CompType t(sizeof(Row));
        t.insertMember("replication", HOFFSET(Row, replication), H5::PredType::NATIVE_INT32);
        t.insertMember("enrollment_duration_days", HOFFSET(Row, enrollment_duration_days),
                       H5::PredType::NATIVE_DOUBLE);
        t.insertMember("cost_total", HOFFSET(Row, cost_total), H5::PredType::NATIVE_DOUBLE);
        const hsize_t n[1] = {rows.size()};
        g.createDataSet("replications", t, H5::DataSpace(1, n)).write(rows.data(), t);
        H5::Group weekly = g.createGroup("weekly");
        if (with_bands) {
            const hsize_t dims[2] = {3, 5};
            const double bands[15] = {0, 0, 0, 0, 0, 1, 2, 3, 4, 5, 2, 4, 6, 8, 10};
            weekly
                .createDataSet("randomised_bands", H5::PredType::NATIVE_DOUBLE,
                               H5::DataSpace(2, dims))
                .write(bands, H5::PredType::NATIVE_DOUBLE);
        }
    }
}

}  // namespace

TEST_CASE("describe gives type-7 quantiles and leaves out values never reached") {
    const viz::Distribution d = viz::describe({4, 1, 3, 2, NAN, 5});
    CHECK(d.count == 5);
    CHECK(d.missing == 1);
    CHECK(d.p50 == 3);
    CHECK(d.p25 == 2);
    CHECK(d.p5 == Approx(1.2));
    CHECK(d.p95 == Approx(4.8));
    CHECK(d.mean == 3);
    CHECK(std::isnan(viz::describe({NAN}).p50));
}

TEST_CASE("calendar axis: trial days as dates, month ticks") {
    const viz::CalendarAxis axis("2027-01-04");
    REQUIRE(axis.has_dates());
    CHECK(axis.date(0) == "2027-01-04");
    CHECK(axis.date(816) == "2029-03-30");  // the reference trial's plan day
    const auto ticks = axis.ticks(0, 365, 12);
    REQUIRE(ticks.size() == 12);
    CHECK(ticks.front().label == "Feb 2027");
    CHECK(ticks.front().day == 28);  // 2027-02-01
    const auto yearly = axis.ticks(0, 3650, 6);
    for (const auto& t : yearly)
        CHECK(t.label.size() == 4);  // "2029"
    const viz::CalendarAxis none("soon");
    CHECK_FALSE(none.has_dates());
    CHECK(none.date(12) == "day 12");
}

TEST_CASE("nice ticks are round and cover the range") {
    CHECK(viz::nice_ticks(0, 650, 7) == std::vector<double>{0, 100, 200, 300, 400, 500, 600});
    const std::vector<double> fine = viz::nice_ticks(0.2, 0.9, 4);
    REQUIRE(fine.size() == 4);
    for (int i = 0; i < 4; ++i)
        CHECK(fine[i] == Approx(0.2 * (i + 1)));
    CHECK(viz::nice_ticks(5, 5, 4).empty());
    CHECK(viz::short_number(1234567) == "1.23 M");
    CHECK(viz::short_number(56000) == "56.0 k");
    CHECK(viz::short_number(0.85) == "0.85");
}

TEST_CASE("a minimal results file loads; what it lacks is simply absent") {
    TempFile f("minimal.h5");
    write_minimal(f.path, true, {{100, 200, 300, NAN}});
    const viz::ResultsFile r = viz::load_results(f.path);
    REQUIRE(r.policies.size() == 1);
    const viz::Policy& p = r.policies[0];
    CHECK(p.name == "as_written");
    CHECK(p.randomised_bands.rows == 3);
    CHECK(p.randomised_bands.at(2, 4) == 10);
    CHECK(p.enrollment_duration.count == 3);
    CHECK(p.enrollment_duration.p50 == 200);
    CHECK(std::isnan(p.outcomes.target_met_day[0]));  // not in this file
    CHECK(p.sites.empty());
    CHECK(p.staff_utilisation.empty());
    CHECK(p.traces.empty());
    CHECK_FALSE(r.sweep);
}

TEST_CASE("policies are compared with the baseline on the same replications") {
    TempFile f("paired.h5");
    write_minimal(f.path, true, {{100, 200, 300, 400}, {90, 195, 280, 390}});
    const viz::Workspace w = viz::open_workspace({f.path.string()});
    REQUIRE(w.errors.empty());
    REQUIRE(w.policies.size() == 2);
    CHECK(w.policies[0]->differences.empty());
    const auto& diffs = w.policies[1]->differences;
    const auto it = std::find_if(diffs.begin(), diffs.end(), [](const viz::Difference& d) {
        return d.key == "enrollment_duration_days";
    });
    REQUIRE(it != diffs.end());
    CHECK(it->pairs == 4);
    CHECK(it->mean == Approx(-11.25));  // (-10 - 5 - 20 - 10) / 4
    // s.d. of (-10, -5, -20, -10) = 6.292; t(3, .975) = 3.182; half width 3.182 * 6.292 / 2
    CHECK(it->ci_low == Approx(-11.25 - 10.011).epsilon(1e-3));
    CHECK(it->ci_high == Approx(-11.25 + 10.011).epsilon(1e-3));
}

TEST_CASE("bad files: one clear message naming the file and what is wrong") {
    SECTION("missing") {
        CHECK_THROWS_WITH(viz::load_results("/nonexistent/x.h5"),
                          Catch::Contains("/nonexistent/x.h5") && Catch::Contains("no such file"));
    }
    SECTION("not HDF5") {
        TempFile f("text.h5");
        std::ofstream(f.path) << "scenario = 1\n";
        CHECK_THROWS_WITH(viz::load_results(f.path), Catch::Contains("not an HDF5 file"));
    }
    SECTION("HDF5 but not ours") {
        TempFile f("other.h5");
        { H5::H5File file(f.path, H5F_ACC_TRUNC); }
        CHECK_THROWS_WITH(viz::load_results(f.path),
                          Catch::Contains("not a trialtwin results file"));
    }
    SECTION("a policy without its weekly bands") {
        TempFile f("nobands.h5");
        write_minimal(f.path, false, {{1, 2}});
        CHECK_THROWS_WITH(viz::load_results(f.path),
                          Catch::Contains("/policies/as_written/weekly/randomised_bands"));
    }
    SECTION("a truncated file") {
        TempFile good("good.h5"), cut("cut.h5");
        write_minimal(good.path, true, {{1, 2, 3}});
        std::ifstream in(good.path, std::ios::binary);
        std::string bytes((std::istreambuf_iterator<char>(in)), {});
        std::ofstream(cut.path, std::ios::binary) << bytes.substr(0, bytes.size() / 2);
        CHECK_THROWS_AS(viz::load_results(cut.path), viz::LoadError);
    }
    SECTION("the workspace keeps the good files and names the bad") {
        TempFile good("good2.h5");
        write_minimal(good.path, true, {{1, 2, 3}});
        const viz::Workspace w = viz::open_workspace({good.path.string(), "/nonexistent/y.h5"});
        CHECK(w.files.size() == 1);
        REQUIRE(w.errors.size() == 1);
        CHECK(w.errors[0].find("/nonexistent/y.h5") != std::string::npos);
    }
}

TEST_CASE("policies come in the order they were run; the first is the baseline") {
    // HDF5 lists groups by name; /policies@order says how they were run (compare --policies
    // static,adaptive: static is the baseline although "adaptive" sorts first).
    TempFile f("ordered.h5");
    write_minimal(f.path, true, {{100, 200, 300, 400}, {90, 195, 280, 390}, {110, 210, 310, 410}});
    {
        H5::H5File file(f.path, H5F_ACC_RDWR);
        H5::Group policies = file.openGroup("policies");
        string_attribute(policies, "order", "variant_2\nas_written\nvariant_1");
    }
    const viz::Workspace w = viz::open_workspace({f.path.string()});
    REQUIRE(w.errors.empty());
    REQUIRE(w.policies.size() == 3);
    CHECK(w.policies[0]->name == "variant_2");
    CHECK(w.policies[1]->name == "as_written");
    CHECK(w.policies[2]->name == "variant_1");
    CHECK(w.policies[0]->differences.empty());
    const auto& diffs = w.policies[1]->differences;  // as_written against variant_2: -10 each
    const auto it = std::find_if(diffs.begin(), diffs.end(), [](const viz::Difference& d) {
        return d.key == "enrollment_duration_days";
    });
    REQUIRE(it != diffs.end());
    CHECK(it->mean == Approx(-10));
}
