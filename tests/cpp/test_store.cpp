#include <catch2/catch.hpp>

#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "arrears/error.hpp"
#include "arrears/store.hpp"

using namespace arrears;
namespace fs = std::filesystem;

namespace {

struct TempDir {
    fs::path path;
    TempDir() {
        path = fs::temp_directory_path() / ("arrears-test-" + std::to_string(::getpid()) + "-" +
                                            std::to_string(reinterpret_cast<std::uintptr_t>(this)));
        fs::create_directories(path);
    }
    ~TempDir() { fs::remove_all(path); }
};

std::int64_t count(const Store& s, const std::string& sql) {
    const Table t = s.query(sql);
    return std::get<std::vector<std::int64_t>>(t.columns()[0].values).at(0);
}

}  // namespace

TEST_CASE("a new store gets the latest schema with WAL and foreign keys", "[store]") {
    TempDir dir;
    Store s((dir.path / "a.db").string());
    CHECK(s.schema_version() == Store::latest_schema_version());
    const Table mode = s.query("SELECT journal_mode FROM pragma_journal_mode");
    CHECK(std::get<std::vector<std::string>>(mode.columns()[0].values)[0] == "wal");
    CHECK(count(s, "SELECT foreign_keys FROM pragma_foreign_keys") == 1);
    const auto tables = s.table_names();
    for (const char* t : {"accounts", "debtors", "transactions", "audit_log", "settings", "bucket_history"})
        CHECK(std::find(tables.begin(), tables.end(), t) != tables.end());
    CHECK(count(s, "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND sql NOT LIKE '%STRICT%' "
                   "AND name NOT LIKE 'sqlite_%'") == 0);
}

TEST_CASE("settings changes land in the audit log with the actor", "[store][audit]") {
    Store s(":memory:", StoreOptions{false, 1000, "nightly-batch", true});
    s.set_setting("reporting_day", "5");
    s.set_setting("reporting_day", "6");
    s.set_setting("reporting_day", "6");  // no change, no audit row
    CHECK(s.setting("reporting_day") == "6");
    CHECK_FALSE(s.setting("nope").has_value());
    CHECK(count(s, "SELECT count(*) FROM audit_log WHERE table_name = 'settings'") == 2);
    const Table log = s.query("SELECT actor, action, before, after FROM audit_log ORDER BY id");
    CHECK(std::get<std::vector<std::string>>(log.column("actor").values)[0] == "nightly-batch");
    CHECK(std::get<std::vector<std::string>>(log.column("before").values)[1] ==
          R"({"key":"reporting_day","value":"5"})");
}

TEST_CASE("the audit log and the ledger are append-only", "[store][audit]") {
    Store s(":memory:");
    s.set_setting("x", "1");
    CHECK_THROWS_WITH(s.write([&] { s.query("SELECT 1"); throw ValidationError("boom"); }), Catch::Contains("boom"));
    auto* db = static_cast<sqlite3*>(s.native_handle());
    CHECK((sqlite3_exec(db, "UPDATE audit_log SET actor = 'x'", nullptr, nullptr, nullptr) & 0xff) == SQLITE_CONSTRAINT);
    CHECK((sqlite3_exec(db, "DELETE FROM audit_log", nullptr, nullptr, nullptr) & 0xff) == SQLITE_CONSTRAINT);
}

TEST_CASE("a failed write leaves nothing behind", "[store]") {
    Store s(":memory:");
    CHECK_THROWS_AS(s.write([&] {
        s.set_setting("a", "1");
        throw ValidationError("row 3: bad amount");
    }), ValidationError);
    CHECK_FALSE(s.setting("a").has_value());
    CHECK(count(s, "SELECT count(*) FROM audit_log") == 0);
}

TEST_CASE("query refuses writes and types its columns", "[store]") {
    Store s(":memory:");
    CHECK_THROWS_WITH(s.query("DELETE FROM settings"), Catch::Contains("read-only"));
    const Table t = s.query("SELECT 1 AS n, 2.5 AS r, 'x' AS s, '2026-01-31' AS due_on, NULL AS z");
    CHECK(t.column("n").type == ColumnType::int64);
    CHECK(t.column("r").type == ColumnType::float64);
    CHECK(t.column("s").type == ColumnType::utf8);
    CHECK(t.column("due_on").type == ColumnType::date32);
    CHECK_THROWS_AS(s.read_table("no_such_table"), NotFoundError);
    CHECK_THROWS_AS(s.query("SELECT * FROM nowhere"), StorageError);
}

TEST_CASE("newer schemas, directories and corrupt files are refused clearly", "[store]") {
    TempDir dir;
    const std::string file = (dir.path / "b.db").string();
    {
        Store s(file);
    }
    {
        sqlite3* db = nullptr;
        sqlite3_open(file.c_str(), &db);
        sqlite3_exec(db, "PRAGMA user_version = 999", nullptr, nullptr, nullptr);
        sqlite3_close(db);
    }
    CHECK_THROWS_WITH(Store(file), Catch::Contains("schema version 999") && Catch::Contains("newer"));
    CHECK_THROWS_WITH(Store(dir.path.string()), Catch::Contains("is a directory"));
    const std::string junk = (dir.path / "junk.db").string();
    std::ofstream(junk) << std::string(8192, 'x');
    try {
        Store bad(junk);
        FAIL("a corrupt file opened");
    } catch (const StorageError& e) {
        CHECK((e.code() & 0xff) == SQLITE_NOTADB);
    }
    CHECK_THROWS_AS(Store((dir.path / "missing.db").string(), StoreOptions{true, 1000, "x", true}), NotFoundError);
}

TEST_CASE("export writes RFC 4180 CSV", "[store]") {
    TempDir dir;
    Store s(":memory:");
    s.set_setting("note", "a, \"quoted\"\nline");
    const std::string out = (dir.path / "settings.csv").string();
    CHECK(s.export_csv("settings", out) == 1);
    std::ifstream in(out, std::ios::binary);
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    CHECK(text == "key,value\r\nnote,\"a, \"\"quoted\"\"\nline\"\r\n");
}

TEST_CASE("a new store file and its WAL and SHM are private to the owner", "[store][modes]") {
    TempDir dir;
    const auto private_file = fs::perms::owner_read | fs::perms::owner_write;
    for (mode_t mask : {mode_t{0}, mode_t{022}, mode_t{077}}) {
        INFO("umask " << mask);
        const mode_t old = ::umask(mask);
        std::string base = dir.path.string();
        base += "/m";
        base += std::to_string(mask);
        const std::string db = base + ".db";
        {
            Store s(db);
            s.set_setting("k", "v");  // the WAL and its index exist while the store is open
            for (const char* suffix : {"", "-wal", "-shm"}) {
                std::string file = db;
                file += suffix;
                INFO(file);
                REQUIRE(fs::exists(file));
                CHECK((fs::status(file).permissions() & fs::perms::all) == private_file);
            }
            const std::string out = base + ".csv";
            s.export_csv("settings", out);
            CHECK((fs::status(out).permissions() & fs::perms::all) == private_file);
        }
        ::umask(old);
    }
}
