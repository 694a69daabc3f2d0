#include "models/store/file_image.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <iterator>

namespace {

std::string scratch_folder() {
    const auto folder = std::filesystem::temp_directory_path() / "trialtwin_file_image_test";
    std::filesystem::remove_all(folder);
    std::filesystem::create_directories(folder);
    return folder.string();
}

std::shared_ptr<const trial::FileImage> small_results_file() {
    H5::H5File file = trial::file_in_memory("small");
    const hsize_t n[1] = {1000};
    std::vector<double> values(1000, 2.5);
    file.createDataSet("values", H5::PredType::NATIVE_DOUBLE, H5::DataSpace(1, n))
        .write(values.data(), H5::PredType::NATIVE_DOUBLE);
    return std::make_shared<trial::FileImage>(trial::image_of(file));
}

}  // namespace

TEST_CASE("a file made in memory is put on disk as it was made", "[store][writing]") {
    const std::string folder = scratch_folder();
    const auto image = small_results_file();
    REQUIRE(image->size() > 8000);
    const std::string path = folder + "/r.h5";
    trial::put_on_disk(path, image);
    std::ifstream in(path, std::ios::binary);
    const std::vector<char> back((std::istreambuf_iterator<char>(in)), {});
    CHECK(back == *image);
    H5::H5File file(path, H5F_ACC_RDONLY);
    CHECK(file.openDataSet("values").getSpace().getSimpleExtentNpoints() == 1000);
    CHECK(std::distance(std::filesystem::directory_iterator(folder), {}) == 1);  // no temporary
}

TEST_CASE("a refused write keeps the file's bytes and leaves nothing", "[store][writing]") {
    const std::string folder = scratch_folder();
    const auto image = small_results_file();
    try {
        trial::put_on_disk(folder + "/no/such/folder/r.h5", image);
        FAIL("the write did not fail");
    } catch (const trial::ResultsNotWritten& e) {
        CHECK(std::string(e.what()).find("cannot write results") != std::string::npos);
        CHECK(std::string(e.what()).find("the file needs") != std::string::npos);
        CHECK(e.image == image);  // still there, to be written elsewhere
    }
    CHECK(std::filesystem::is_empty(folder));
}

TEST_CASE("Ctrl-C while writing stops and leaves nothing", "[store][writing]") {
    const std::string folder = scratch_folder();
    const std::atomic<bool> stop{true};
    CHECK_THROWS_AS(trial::put_on_disk(folder + "/r.h5", small_results_file(), &stop),
                    trial::WritingStopped);
    CHECK(std::filesystem::is_empty(folder));
}
