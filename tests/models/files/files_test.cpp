// What a path given for input or output may name (models/files).

#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

#include "models/files/input_file.hpp"
#include "models/files/replace_file.hpp"

namespace fs = std::filesystem;

namespace {

// A fresh folder of its own for each test, removed after it.
struct Folder {
    fs::path path;
    Folder() {
        path = fs::temp_directory_path() / ("trialtwin_files_" + std::to_string(::getpid()));
        fs::remove_all(path);
        fs::create_directories(path);
    }
    ~Folder() { fs::remove_all(path); }
    std::string operator/(const std::string& name) const { return (path / name).string(); }
};

void write(const std::string& path, const std::string& bytes) {
    std::ofstream(path, std::ios::binary) << bytes;
}

}  // namespace

TEST_CASE("an input is read whole when it is a text file of its size", "[files]") {
    Folder f;
    write(f / "a.toml", "[trial]\nname = \"x\"\n");
    const files::TextInput in = files::read_text_input(f / "a.toml", 1 << 20);
    CHECK(in.problem.empty());
    CHECK(in.text == "[trial]\nname = \"x\"\n");
    // Exactly at the bound is read; a byte past it is refused, with nothing kept.
    write(f / "b.toml", std::string(1000, 'x'));
    CHECK(files::read_text_input(f / "b.toml", 1000).problem.empty());
    const files::TextInput over = files::read_text_input(f / "b.toml", 999);
    CHECK(over.problem.find("is larger than") == 0);
    CHECK(over.text.empty());
}

TEST_CASE("an input that is not a file is named, never read", "[files]") {
    Folder f;
    CHECK(files::read_text_input(f / "none.toml", 1 << 20).problem == "no such file");
    CHECK(files::read_text_input(f.path.string(), 1 << 20).problem == "is a folder, not a file");
    CHECK(files::read_text_input("/dev/zero", 1 << 20).problem == "is a device, not a file");
    CHECK(files::input_problem("/dev/null", false) == "is a device, not a file");
    REQUIRE(::mkfifo((f / "pipe").c_str(), 0600) == 0);
    CHECK(files::input_problem(f / "pipe", false).find("is a pipe") == 0);
    CHECK(files::input_problem(f / "pipe", true).empty());
}

TEST_CASE("a text input may come through a pipe", "[files]") {
    Folder f;
    REQUIRE(::mkfifo((f / "pipe").c_str(), 0600) == 0);
    std::thread writer([&] { write(f / "pipe", "a,b\n1,2\n"); });
    const files::TextInput in = files::read_text_input(f / "pipe", 1 << 20);
    writer.join();
    CHECK(in.problem.empty());
    CHECK(in.text == "a,b\n1,2\n");
}

TEST_CASE("UTF-16 and binary inputs are named as such", "[files]") {
    Folder f;
    write(f / "le_bom.csv", std::string("\xFF\xFE"
                                        "a\0,\0b\0",
                                        8));
    write(f / "be_bom.csv", std::string("\xFE\xFF\0a\0,\0b", 8));
    write(f / "le.csv", std::string("a\0,\0b\0\n\0", 8));
    write(f / "be.csv", std::string("\0a\0,\0b\0\n", 8));
    for (const char* name : {"le_bom.csv", "be_bom.csv", "le.csv", "be.csv"})
        CHECK(files::read_text_input(f / name, 1 << 20).problem.find("is saved as UTF-16") == 0);
    write(f / "results.h5", std::string("\x89HDF\r\n\x1a\n\0\0\0\0", 12));
    CHECK(files::read_text_input(f / "results.h5", 1 << 20).problem.find("is not a text file") ==
          0);
    // A UTF-8 byte-order mark and non-ASCII text are text.
    write(f / "bom.csv", "\xEF\xBB\xBFsite,n\nM\xC3\xBCnchen,3\n");
    CHECK(files::read_text_input(f / "bom.csv", 1 << 20).problem.empty());
}

TEST_CASE("an output replaces a file, or the file a link names, never anything else", "[files]") {
    Folder f;
    CHECK(files::replace_target(f / "new.h5").path == f / "new.h5");
    write(f / "old.h5", "x");
    CHECK(files::replace_target(f / "old.h5").path == f / "old.h5");
    // A link to a file: the file. A link to nothing yet (relative, through a second link):
    // where its file will be.
    fs::create_symlink(f / "old.h5", f.path / "to_old.h5");
    CHECK(files::replace_target(f / "to_old.h5").path == fs::canonical(f / "old.h5").string());
    fs::create_directories(f.path / "sub");
    fs::create_symlink("sub/later.h5", f.path / "to_later.h5");
    fs::create_symlink("to_later.h5", f.path / "to_to_later.h5");
    CHECK(files::replace_target(f / "to_to_later.h5").path == f / "sub/later.h5");
    // Refused: a folder, a device, a pipe, a link to a pipe, a loop of links.
    CHECK(files::replace_target(f.path.string()).refusal == "is a folder");
    CHECK(files::replace_target("/dev/null").refusal.find("is a device") == 0);
    REQUIRE(::mkfifo((f / "pipe").c_str(), 0600) == 0);
    CHECK(files::replace_target(f / "pipe").refusal.find("is a pipe") == 0);
    fs::create_symlink(f / "pipe", f.path / "to_pipe");
    CHECK(files::replace_target(f / "to_pipe").refusal.find("is a pipe") == 0);
    fs::create_symlink(f / "loop_b", f.path / "loop_a");
    fs::create_symlink(f / "loop_a", f.path / "loop_b");
    CHECK_FALSE(files::replace_target(f / "loop_a").refusal.empty());
    // Put in place: the link stays a link, and its file holds the new bytes.
    write(f / "to_old.h5.tmp", "new");
    CHECK(files::put_in_place(f / "to_old.h5.tmp", files::replace_target(f / "to_old.h5").path)
              .empty());
    CHECK(fs::is_symlink(f.path / "to_old.h5"));
    std::ifstream in(f / "old.h5");
    std::string text;
    in >> text;
    CHECK(text == "new");
}
