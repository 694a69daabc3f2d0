// Chunks shuffled and deflated on several threads and written as stored bytes read back, through
// HDF5's own filter pipeline, as the values written; a layout it cannot do falls back.

#include "models/store/chunk_writer.hpp"

#include <H5Cpp.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdint>
#include <string>
#include <vector>

namespace {

std::string temporary_file() {
    return "/tmp/trialtwin_chunk_writer_" + std::to_string(::getpid()) + ".h5";
}

H5::DSetCreatPropList shuffled_and_deflated(int rank, const hsize_t* chunk) {
    H5::DSetCreatPropList properties;
    properties.setChunk(rank, chunk);
    properties.setShuffle();
    properties.setDeflate(1);
    return properties;
}

struct Row {  // a compound row with padding, as the results tables have
    std::int32_t replication;
    double day;
    std::int8_t flag;
};

}  // namespace

TEST_CASE("chunks deflated on several threads read back as the values written", "[store]") {
    const std::string path = temporary_file();
    // 2,500 rows of 7 columns in chunks of 1,024 rows: two whole chunks and a partial one.
    const hsize_t dims[2] = {2500, 7}, chunk[2] = {1024, 7};
    std::vector<std::int32_t> values(dims[0] * dims[1]);
    for (std::size_t i = 0; i < values.size(); ++i)
        values[i] = static_cast<std::int32_t>(i * 2654435761u % 100003) - 50000;
    std::vector<Row> rows(3000);
    for (std::size_t i = 0; i < rows.size(); ++i)
        rows[i] = {static_cast<std::int32_t>(i), 0.25 * static_cast<double>(i), std::int8_t(i % 3)};
    H5::CompType row_type(sizeof(Row));
    row_type.insertMember("replication", HOFFSET(Row, replication), H5::PredType::NATIVE_INT32);
    row_type.insertMember("day", HOFFSET(Row, day), H5::PredType::NATIVE_DOUBLE);
    row_type.insertMember("flag", HOFFSET(Row, flag), H5::PredType::NATIVE_INT8);
    {
        H5::H5File file(path, H5F_ACC_TRUNC);
        H5::DataSet grid =
            file.createDataSet("grid", H5::PredType::NATIVE_INT32, H5::DataSpace(2, dims),
                               shuffled_and_deflated(2, chunk));
        trial::write_chunks_in_parallel(grid, values.data());
        const hsize_t row_count[1] = {rows.size()}, row_chunk[1] = {1024};
        H5::DataSet table = file.createDataSet("table", row_type, H5::DataSpace(1, row_count),
                                               shuffled_and_deflated(1, row_chunk));
        trial::write_chunks_in_parallel(table, rows.data());
        // Many small chunks: several batches of them.
        const hsize_t many_count[1] = {values.size()}, many_chunk[1] = {16};
        H5::DataSet many =
            file.createDataSet("many", H5::PredType::NATIVE_INT32, H5::DataSpace(1, many_count),
                               shuffled_and_deflated(1, many_chunk));
        trial::write_chunks_in_parallel(many, values.data());
        // Chunks that split rows: written the ordinary way.
        const hsize_t split[2] = {100, 3};
        H5::DataSet split_grid =
            file.createDataSet("split", H5::PredType::NATIVE_INT32, H5::DataSpace(2, dims),
                               shuffled_and_deflated(2, split));
        trial::write_chunks_in_parallel(split_grid, values.data());
    }
    H5::H5File file(path, H5F_ACC_RDONLY);
    for (const char* name : {"grid", "many", "split"}) {
        std::vector<std::int32_t> back(values.size(), 0);
        H5::DataSet set = file.openDataSet(name);
        set.read(back.data(), H5::PredType::NATIVE_INT32);
        INFO(name);
        CHECK(back == values);
        CHECK(set.getCreatePlist().getNfilters() == 2);  // still shuffled and deflated
    }
    H5::DataSet table = file.openDataSet("table");
    std::vector<Row> back(rows.size());
    table.read(back.data(), row_type);
    bool same = true;
    for (std::size_t i = 0; i < rows.size(); ++i) {
        same = same && back[i].replication == rows[i].replication && back[i].day == rows[i].day &&
               back[i].flag == rows[i].flag;
    }
    CHECK(same);
    // Compressed: the stored chunks are much smaller than the 7 x 2,500 x 4 bytes.
    CHECK(file.openDataSet("grid").getStorageSize() < values.size() * sizeof(std::int32_t));
    ::unlink(path.c_str());
}
