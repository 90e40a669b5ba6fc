// RAII over SQLite (SQLiteCpp's shape): a connection, prepared statements, and a transaction
// that rolls back in its destructor. Private to the core: sqlite3.h never reaches a public
// header. Every failure becomes a StorageError carrying the SQLite extended result code.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "arrears/error.hpp"

namespace arrears::sql {

[[noreturn]] void fail(sqlite3* db, int rc, std::string_view context);

inline bool retryable(int rc) {
    const int primary = rc & 0xff;
    return primary == SQLITE_BUSY || primary == SQLITE_LOCKED;
}

class Statement {
public:
    Statement(sqlite3* db, std::string_view sql);
    // Borrows a statement owned elsewhere (a connection's statement cache): reset, not
    // finalized, when this object goes away.
    Statement(sqlite3* db, sqlite3_stmt* borrowed) : db_(db), stmt_(borrowed), owned_(false) {}
    ~Statement();
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;
    Statement(Statement&& o) noexcept : db_(o.db_), stmt_(o.stmt_), owned_(o.owned_) { o.stmt_ = nullptr; }

    Statement& bind(int index, std::int64_t v);
    Statement& bind(int index, int v) { return bind(index, static_cast<std::int64_t>(v)); }
    Statement& bind(int index, double v);
    Statement& bind(int index, std::string_view v);
    Statement& bind(int index, const char* v) { return bind(index, std::string_view(v)); }
    Statement& bind(int index, const std::string& v) { return bind(index, std::string_view(v)); }
    Statement& bind_null(int index);
    // Binds text that stays alive and unchanged until the statement is reset (no copy).
    Statement& bind_static(int index, std::string_view v);
    template <class T>
    Statement& bind(int index, const std::optional<T>& v) {
        return v ? bind(index, *v) : bind_null(index);
    }
    int parameter_index(const char* name) const { return sqlite3_bind_parameter_index(stmt_, name); }

    // true while a row is available; false when done.
    bool step();
    // Runs to completion (for statements that return no rows).
    void run();
    void reset();

    int columns() const { return sqlite3_column_count(stmt_); }
    std::string column_name(int i) const { return sqlite3_column_name(stmt_, i); }
    std::string column_decltype(int i) const {
        const char* t = sqlite3_column_decltype(stmt_, i);
        return t ? t : "";
    }
    int type(int i) const { return sqlite3_column_type(stmt_, i); }
    bool is_null(int i) const { return type(i) == SQLITE_NULL; }
    std::int64_t int64(int i) const { return sqlite3_column_int64(stmt_, i); }
    double real(int i) const { return sqlite3_column_double(stmt_, i); }
    std::string_view text(int i) const {
        const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, i));
        return p ? std::string_view(p, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, i))) : std::string_view{};
    }
    std::optional<std::string> optional_text(int i) const {
        if (is_null(i)) return std::nullopt;
        return std::string(text(i));
    }
    sqlite3_stmt* handle() const { return stmt_; }

private:
    sqlite3* db_;
    sqlite3_stmt* stmt_ = nullptr;
    bool owned_ = true;
};

// BEGIN IMMEDIATE on construction (writers take the write lock up front, so two writers get a
// clean SQLITE_BUSY after busy_timeout instead of a deadlock); ROLLBACK unless commit() ran.
class Transaction {
public:
    explicit Transaction(sqlite3* db);
    ~Transaction();
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    void commit();

private:
    sqlite3* db_;
    bool done_ = false;
};

void exec(sqlite3* db, std::string_view sql);

}  // namespace arrears::sql
