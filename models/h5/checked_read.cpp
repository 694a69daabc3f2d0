#include "models/h5/checked_read.hpp"

#include <cmath>
#include <cstring>
#include <limits>

namespace h5 {
namespace {

// Longer than any text a results file holds (the scenario, the observed CSVs).
constexpr std::size_t max_text_bytes = std::size_t{256} << 20;

std::string describe(const H5::H5Object& object, const char* name) {
    return path_of(object) + " attribute '" + name + "'";
}

std::uint64_t element_count(const H5::DataSpace& space, const std::string& what) {
    switch (space.getSimpleExtentType()) {
        case H5S_NULL:
            return 0;
        case H5S_SCALAR:
            return 1;
        case H5S_SIMPLE: {
            const int rank = space.getSimpleExtentNdims();
            if (rank < 0 || rank > H5S_MAX_RANK) throw ReadError(what + ": malformed extent");
            std::vector<hsize_t> dims(static_cast<std::size_t>(rank));
            if (rank > 0) space.getSimpleExtentDims(dims.data());
            std::uint64_t n = 1;
            for (hsize_t d : dims) {
                if (d != 0 && n > max_elements / d)
                    throw ReadError(what + ": too many values to be a results file's");
                n *= d;
            }
            return n;
        }
        default:
            throw ReadError(what + ": malformed extent");
    }
}

bool numeric(H5T_class_t c) {
    return c == H5T_INTEGER || c == H5T_FLOAT;
}

// The attribute, checked to hold one value of a numeric class; nullopt when absent.
std::optional<H5::Attribute> one_number(const H5::H5Object& object, const char* name) {
    if (!object.attrExists(name)) return std::nullopt;
    H5::Attribute a = object.openAttribute(name);
    const std::string what = describe(object, name);
    const std::uint64_t n = element_count(a.getSpace(), what);
    if (n != 1)
        throw ReadError(what + ": holds " + std::to_string(n) + " values where one is expected");
    if (!numeric(a.getTypeClass())) throw ReadError(what + ": is not a number");
    return a;
}

// Reads one string, fixed or variable length, from an attribute or a dataset through `read`.
template <class Read>
std::string one_string(hid_t file_type, const std::string& what, Read read) {
    if (H5Tget_class(file_type) != H5T_STRING) throw ReadError(what + ": is not text");
    const htri_t variable = H5Tis_variable_str(file_type);
    if (variable < 0) throw ReadError(what + ": malformed string type");
    if (variable) {
        const hid_t memory = H5Tcopy(H5T_C_S1);
        H5Tset_size(memory, H5T_VARIABLE);
        H5Tset_cset(memory, H5Tget_cset(file_type));  // ASCII or UTF-8 (h5py), as stored
        char* value = nullptr;
        const herr_t status = read(memory, &value);
        H5Tclose(memory);
        if (status < 0) throw ReadError(what + ": cannot be read");
        std::string out = value ? std::string(value, strnlen(value, max_text_bytes)) : "";
        if (value) H5free_memory(value);
        return out;
    }
    const std::size_t width = H5Tget_size(file_type);
    if (width == 0 || width > max_text_bytes) throw ReadError(what + ": malformed string type");
    const hid_t memory = H5Tcopy(H5T_C_S1);
    H5Tset_size(memory, width);
    H5Tset_cset(memory, H5Tget_cset(file_type));
    H5Tset_strpad(memory, H5Tget_strpad(file_type));
    std::vector<char> buffer(width + 1, '\0');
    const herr_t status = read(memory, buffer.data());
    H5Tclose(memory);
    if (status < 0) throw ReadError(what + ": cannot be read");
    return std::string(buffer.data(), strnlen(buffer.data(), width));
}

std::vector<std::uint64_t> dims_of(const H5::DataSpace& space, const std::string& what) {
    element_count(space, what);  // checks the extent
    if (space.getSimpleExtentType() != H5S_SIMPLE) return {};
    const int rank = space.getSimpleExtentNdims();
    std::vector<hsize_t> dims(static_cast<std::size_t>(rank));
    if (rank > 0) space.getSimpleExtentDims(dims.data());
    return {dims.begin(), dims.end()};
}

// A damaged size field can claim gigabytes in a file of kilobytes: what a dataset claims must
// fit in what it stores, deflated at most about 1,000 to 1 (zlib's limit), before room is made
// for it.
void check_stored(const H5::DataSet& set, std::uint64_t elements, const std::string& what) {
    const double claimed = static_cast<double>(elements) * set.getDataType().getSize();
    const double stored = static_cast<double>(H5Dget_storage_size(set.getId()));
    if (claimed > stored * 1100.0 + double(1 << 20)) {
        throw ReadError(what + ": claims " + std::to_string(static_cast<long long>(claimed / 1e6)) +
                        " MB of values but stores " +
                        std::to_string(static_cast<long long>(stored / 1e3)) + " kB");
    }
}

}  // namespace

std::string path_of(const H5::H5Object& object) {
    const ssize_t length = H5Iget_name(object.getId(), nullptr, 0);
    if (length <= 0) return "(unnamed object)";
    std::string name(static_cast<std::size_t>(length) + 1, '\0');
    H5Iget_name(object.getId(), name.data(), name.size());
    name.resize(static_cast<std::size_t>(length));
    return name;
}

namespace {

// One value of an attribute checked by one_number, read as `memory`; `whole`: it must be
// stored as an integer.
template <class T>
std::optional<T> one_value(const H5::H5Object& object, const char* name, const H5::PredType& memory,
                           bool whole) {
    const auto a = one_number(object, name);
    if (!a) return std::nullopt;
    if (whole && a->getTypeClass() != H5T_INTEGER)
        throw ReadError(describe(object, name) + ": is not a whole number");
    T value{};
    a->read(memory, &value);
    return value;
}

}  // namespace

std::optional<double> number(const H5::H5Object& object, const char* name) {
    return one_value<double>(object, name, H5::PredType::NATIVE_DOUBLE, false);
}

std::optional<std::int64_t> integer(const H5::H5Object& object, const char* name) {
    return one_value<std::int64_t>(object, name, H5::PredType::NATIVE_INT64, true);
}

std::optional<std::uint64_t> unsigned_integer(const H5::H5Object& object, const char* name) {
    return one_value<std::uint64_t>(object, name, H5::PredType::NATIVE_UINT64, true);
}

std::optional<std::string> text(const H5::H5Object& object, const char* name) {
    if (!object.attrExists(name)) return std::nullopt;
    H5::Attribute a = object.openAttribute(name);
    const std::string what = describe(object, name);
    const std::uint64_t n = element_count(a.getSpace(), what);
    if (n != 1)
        throw ReadError(what + ": holds " + std::to_string(n) + " values where one is expected");
    const H5::DataType type = a.getDataType();
    const hid_t id = a.getId();
    return one_string(type.getId(), what,
                      [id](hid_t memory, void* into) { return H5Aread(id, memory, into); });
}

std::vector<double> numbers(const H5::H5Object& object, const char* name, std::size_t count) {
    const std::string what = describe(object, name);
    if (!object.attrExists(name)) throw ReadError(what + ": missing");
    H5::Attribute a = object.openAttribute(name);
    const std::vector<std::uint64_t> dims = dims_of(a.getSpace(), what);
    if (dims.size() != 1 || dims[0] != count)
        throw ReadError(what + ": expected " + std::to_string(count) + " values in one row");
    if (!numeric(a.getTypeClass())) throw ReadError(what + ": is not numbers");
    std::vector<double> out(count);
    a.read(H5::PredType::NATIVE_DOUBLE, out.data());
    return out;
}

std::vector<std::uint64_t> shape(const H5::DataSet& set) {
    return dims_of(set.getSpace(), path_of(set));
}

std::string text(const H5::DataSet& set) {
    const std::string what = path_of(set);
    const std::uint64_t n = element_count(set.getSpace(), what);
    if (n != 1)
        throw ReadError(what + ": holds " + std::to_string(n) +
                        " values where one text is expected");
    const H5::DataType type = set.getDataType();
    const hid_t id = set.getId();
    return one_string(type.getId(), what, [id](hid_t memory, void* into) {
        return H5Dread(id, memory, H5S_ALL, H5S_ALL, H5P_DEFAULT, into);
    });
}

Table::Table(H5::DataSet set) : set_(std::move(set)), where_(path_of(set_)) {
    if (set_.getTypeClass() != H5T_COMPOUND) throw ReadError(where_ + ": is not a table");
    const std::vector<std::uint64_t> dims = shape(set_);
    if (dims.size() != 1)
        throw ReadError(where_ + ": rank " + std::to_string(dims.size()) +
                        " where a table of one row per entry is expected");
    rows_ = static_cast<std::size_t>(dims[0]);
    type_ = set_.getCompType();
    check_stored(set_, rows_, where_);
}

bool Table::has(const char* member) const {
    return H5Tget_member_index(type_.getId(), member) >= 0;
}

std::vector<std::string> Table::members() const {
    const int count = H5Tget_nmembers(type_.getId());
    if (count < 0) throw ReadError(where_ + ": the table's members cannot be read");
    std::vector<std::string> names;
    for (int i = 0; i < count; ++i) {
        char* name = H5Tget_member_name(type_.getId(), static_cast<unsigned>(i));
        if (!name) throw ReadError(where_ + ": member " + std::to_string(i) + " has no name");
        names.emplace_back(name);
        H5free_memory(name);
    }
    return names;
}

std::vector<double> Table::numbers(const char* member) const {
    std::vector<double> out(rows_, std::numeric_limits<double>::quiet_NaN());
    const int index = H5Tget_member_index(type_.getId(), member);
    if (index < 0 || rows_ == 0) return out;
    if (!numeric(H5Tget_member_class(type_.getId(), static_cast<unsigned>(index))))
        throw ReadError(where_ + ": member '" + member + "' is not a number");
    H5::CompType one(sizeof(double));
    one.insertMember(member, 0, H5::PredType::NATIVE_DOUBLE);
    set_.read(out.data(), one);
    return out;
}

std::vector<std::string> Table::texts(const char* member) const {
    std::vector<std::string> out(rows_);
    const int index = H5Tget_member_index(type_.getId(), member);
    if (index < 0 || rows_ == 0) return out;
    const H5::DataType type = type_.getMemberDataType(index);
    if (type.getClass() != H5T_STRING || H5Tis_variable_str(type.getId()) != 0)
        throw ReadError(where_ + ": member '" + member + "' is not fixed-length text");
    const std::size_t width = type.getSize();
    if (width == 0 || width > 4096)
        throw ReadError(where_ + ": member '" + member + "' has a malformed width");
    std::vector<char> buffer(rows_ * width);
    H5::CompType one(width);
    H5::StrType memory(H5::PredType::C_S1, width);
    memory.setCset(H5Tget_cset(type.getId()));
    one.insertMember(member, 0, memory);
    set_.read(buffer.data(), one);
    for (std::size_t i = 0; i < rows_; ++i) {
        const char* s = buffer.data() + i * width;
        out[i].assign(s, strnlen(s, width));
    }
    return out;
}

Matrix matrix(const H5::DataSet& set) {
    const std::string what = path_of(set);
    const std::vector<std::uint64_t> dims = shape(set);
    if (dims.size() != 2)
        throw ReadError(what + ": rank " + std::to_string(dims.size()) +
                        " where a matrix is expected");
    if (!numeric(set.getTypeClass())) throw ReadError(what + ": is not numbers");
    check_stored(set, dims[0] * dims[1], what);
    Matrix m{static_cast<std::size_t>(dims[0]), static_cast<std::size_t>(dims[1]), {}};
    m.values.resize(m.rows * m.columns);
    if (!m.values.empty()) set.read(m.values.data(), H5::PredType::NATIVE_FLOAT);
    return m;
}

std::vector<std::vector<std::string>> text_matrix(const H5::DataSet& set) {
    const std::string what = path_of(set);
    const std::vector<std::uint64_t> dims = shape(set);
    if (dims.size() != 2)
        throw ReadError(what + ": rank " + std::to_string(dims.size()) +
                        " where a matrix is expected");
    const H5::DataType type = set.getDataType();
    if (type.getClass() != H5T_STRING || H5Tis_variable_str(type.getId()) <= 0)
        throw ReadError(what + ": is not variable-length text");
    check_stored(set, dims[0] * dims[1], what);
    const std::size_t rows = dims[0], columns = dims[1];
    std::vector<std::vector<std::string>> out(rows, std::vector<std::string>(columns));
    if (rows * columns == 0) return out;
    std::vector<char*> raw(rows * columns, nullptr);
    H5::StrType memory(H5::PredType::C_S1, H5T_VARIABLE);
    memory.setCset(H5Tget_cset(type.getId()));
    set.read(raw.data(), memory);
    for (std::size_t i = 0; i < rows; ++i)
        for (std::size_t k = 0; k < columns; ++k)
            if (const char* s = raw[i * columns + k])
                out[i][k].assign(s, strnlen(s, max_text_bytes));
    H5Dvlen_reclaim(memory.getId(), set.getSpace().getId(), H5P_DEFAULT, raw.data());
    return out;
}

namespace {

// A one-dimensional numeric dataset read as `type`.
template <class T>
std::vector<T> one_dimensional(const H5::DataSet& set, const H5::PredType& type) {
    const std::string what = path_of(set);
    const std::vector<std::uint64_t> dims = shape(set);
    if (dims.size() != 1)
        throw ReadError(what + ": rank " + std::to_string(dims.size()) +
                        " where a series is expected");
    if (!numeric(set.getTypeClass())) throw ReadError(what + ": is not numbers");
    check_stored(set, dims[0], what);
    std::vector<T> out(static_cast<std::size_t>(dims[0]));
    if (!out.empty()) set.read(out.data(), type);
    return out;
}

}  // namespace

std::vector<int> integers(const H5::DataSet& set) {
    return one_dimensional<int>(set, H5::PredType::NATIVE_INT);
}

std::vector<double> series(const H5::DataSet& set) {
    return one_dimensional<double>(set, H5::PredType::NATIVE_DOUBLE);
}

}  // namespace h5
