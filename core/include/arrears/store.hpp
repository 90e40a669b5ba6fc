// Store: arrears' state in one SQLite file (or ":memory:"). Every connection runs in WAL mode
// with foreign keys on, a busy timeout and synchronous=NORMAL; tables are STRICT; money is
// integer minor units + currency; dates are ISO text. The schema is versioned with
// PRAGMA user_version and migrated forward in a transaction; a file written by a newer arrears
// is refused. Writers take the write lock up front (BEGIN IMMEDIATE): a concurrent writer gets a
// retryable StorageError after the busy timeout, never a half-written state.
//
// sqlite3.h stays out of this header (pimpl).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "arrears/date.hpp"
#include "arrears/table.hpp"

namespace arrears {

struct StoreOptions {
    bool read_only = false;
    int busy_timeout_ms = 5000;
    std::string actor = "arrears";  // who the audit log names for changes made through the store
    bool create = true;             // create the file when missing (else NotFoundError)
};

// A value bound into a query: null, integer, real or text.
struct SqlValue {
    enum class Kind : std::uint8_t { null, integer, real, text } kind = Kind::null;
    std::int64_t integer = 0;
    double real = 0;
    std::string text;
    static SqlValue of(std::int64_t v) { return {Kind::integer, v, 0, {}}; }
    static SqlValue of(double v) { return {Kind::real, 0, v, {}}; }
    static SqlValue of(std::string v) { return {Kind::text, 0, 0, std::move(v)}; }
};

class Store {
public:
    explicit Store(const std::string& path, StoreOptions options = {});
    ~Store();
    Store(Store&&) noexcept;
    Store& operator=(Store&&) noexcept;

    const std::string& path() const noexcept;
    bool read_only() const noexcept;
    int schema_version() const;
    static int latest_schema_version() noexcept;
    void close();  // further use is a StorageError
    bool is_open() const noexcept;

    const std::string& actor() const noexcept;
    void set_actor(std::string actor);

    // Settings: a small key/value table (strategy configs, reporting-day rules ...).
    std::optional<std::string> setting(std::string_view key) const;
    void set_setting(std::string_view key, std::string_view value);

    // Read-only SQL into a Table (the columns' declared types decide the Arrow types:
    // INTEGER -> int64, REAL -> float64, TEXT -> utf8; columns whose names end in _date or _on
    // with ISO text -> date32). Statements that would write are refused.
    Table query(std::string_view sql, const std::vector<SqlValue>& params = {}) const;
    // Tables and views an analyst may read, by name.
    std::vector<std::string> table_names() const;
    std::vector<std::string> view_names() const;
    // A whole table or view (name checked against table_names()/view_names()).
    Table read_table(std::string_view name) const;
    // CSV (RFC 4180, header row, UTF-8) of a table or view; returns rows written.
    std::size_t export_csv(std::string_view name, const std::string& path) const;

    // Runs fn inside one write transaction (BEGIN IMMEDIATE ... COMMIT); any exception rolls
    // everything back and propagates. Nested calls join the outer transaction.
    void write(const std::function<void()>& fn);
    // Appends an audit entry (the triggers log row changes; this logs batch operations).
    void audit(std::string_view action, std::string_view table, std::string_view key,
               std::string_view detail_json);

    // For the store's own modules (imports, domain persistence): the raw sqlite3*.
    void* native_handle() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace arrears
