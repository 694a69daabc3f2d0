#pragma once
// Reading an HDF5 file someone sent you: every attribute's and dataset's shape, type class and
// size checked before a value is read, so that a damaged or hostile file gives a ReadError
// naming the object, never a crash. (HDF5's C++ API reads an attribute of N values into room
// for one, and a null or absent variable-length string into a std::string, without a check.)
// Used by every reader of results files: the CLI's inspect, the sweep's resume check and the
// visualizer.

#include <H5Cpp.h>

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace h5 {

// What is wrong, naming the object (e.g. "/policies/static/replications: rank 2, a table is
// one row a replication").
class ReadError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

// The most values one dataset or attribute may hold (a results file of 10,000 replications
// of a 1,000-site trial stays far below; a damaged size field does not).
inline constexpr std::uint64_t max_elements = std::uint64_t{1} << 31;

std::string path_of(const H5::H5Object& object);

// An attribute with one value (a scalar, or an array of one); nullopt when absent. Throws a
// ReadError when it holds another number of values or a type of another class.
std::optional<double> number(const H5::H5Object& object, const char* name);
std::optional<std::int64_t> integer(const H5::H5Object& object, const char* name);
std::optional<std::uint64_t> unsigned_integer(const H5::H5Object& object, const char* name);
std::optional<std::string> text(const H5::H5Object& object, const char* name);
// A one-dimensional numeric attribute of `count` values.
std::vector<double> numbers(const H5::H5Object& object, const char* name, std::size_t count);

// A dataset's extent (checked: a simple or scalar space, at most max_elements values).
std::vector<std::uint64_t> shape(const H5::DataSet& set);
// A scalar string dataset.
std::string text(const H5::DataSet& set);

// A table: a one-dimensional dataset of a compound type.
class Table {
  public:
    explicit Table(H5::DataSet set);
    std::size_t rows() const { return rows_; }
    bool has(const char* member) const;
    // The members' names, in the table's order.
    std::vector<std::string> members() const;
    // A numeric member, as doubles; NaN everywhere when the table lacks it.
    std::vector<double> numbers(const char* member) const;
    // A fixed-length string member; empty strings when the table lacks it.
    std::vector<std::string> texts(const char* member) const;

  private:
    H5::DataSet set_;
    H5::CompType type_;
    std::size_t rows_ = 0;
    std::string where_;
};

// A two-dimensional numeric dataset, row-major, as floats.
struct Matrix {
    std::size_t rows = 0, columns = 0;
    std::vector<float> values;
};
Matrix matrix(const H5::DataSet& set);
// A two-dimensional dataset of variable-length strings.
std::vector<std::vector<std::string>> text_matrix(const H5::DataSet& set);
// A one-dimensional integer dataset.
std::vector<int> integers(const H5::DataSet& set);
// A one-dimensional numeric dataset, as doubles.
std::vector<double> series(const H5::DataSet& set);

}  // namespace h5
