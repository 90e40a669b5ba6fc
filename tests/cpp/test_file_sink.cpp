#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "arrears/error.hpp"
#include "arrears/file_sink.hpp"
#include "arrears/sha256.hpp"

using namespace arrears;
namespace fs = std::filesystem;

namespace {

struct Folder {
    fs::path path = fs::temp_directory_path() / ("arrears-sink-" + std::to_string(::getpid()));
    Folder() {
        fs::remove_all(path);
        fs::create_directories(path);
    }
    ~Folder() { fs::remove_all(path); }
};

std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

}  // namespace

TEST_CASE("a folder sink writes private files with their hash, and discards what it wrote", "[output]") {
    Folder f;
    const mode_t old = ::umask(022);
    {
        FolderSink sink(f.path.string());
        const WrittenFile w = sink.write("a/b/c.txt", "text", {"hello ", "world"});
        CHECK(w.path == "a/b/c.txt");
        CHECK(w.bytes == 11);
        CHECK(w.sha256 == sha256_hex("hello world"));
        CHECK(slurp(f.path / "a/b/c.txt") == "hello world");
        CHECK((fs::status(f.path / "a/b/c.txt").permissions() & fs::perms::all) ==
              (fs::perms::owner_read | fs::perms::owner_write));
        CHECK((fs::status(f.path / "a").permissions() & fs::perms::all) == fs::perms::owner_all);
        auto s = sink.open("big.csv", "csv");
        s.append("x,y\r\n");
        CHECK(s.close().bytes == 5);
        CHECK_THROWS_WITH(sink.write("a/b/c.txt", "text", {"again"}), Catch::Contains("File exists"));
        CHECK_THROWS_WITH(sink.write("../escape.txt", "text", {"x"}), "path: '../escape.txt' leaves the output folder");
        CHECK_THROWS_AS(sink.write("/etc/x", "text", {"x"}), ValidationError);
        sink.discard();
        CHECK(fs::is_empty(f.path));
    }
    {
        FolderSink sink(f.path.string());
        { auto s = sink.open("unfinished.csv", "csv"); s.append("x"); }  // never closed: removed
        CHECK(fs::is_empty(f.path));
    }
    CHECK_THROWS_AS(FolderSink((f.path / "missing").string()), StorageError);
    ::umask(old);
}
