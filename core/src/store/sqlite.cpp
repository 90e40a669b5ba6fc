#include "store/sqlite.hpp"

namespace arrears::sql {

void fail(sqlite3* db, int rc, std::string_view context) {
    std::string msg = "store: ";
    msg += context;
    msg += ": ";
    msg += db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    if (retryable(rc)) msg += " (the database is busy; retry later)";
    throw StorageError(rc, msg, retryable(rc));
}

Statement::Statement(sqlite3* db, std::string_view sql) : db_(db) {
    const int rc = sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT,
                                      &stmt_, nullptr);
    if (rc != SQLITE_OK) fail(db, rc, "preparing a statement");
}

Statement::~Statement() {
    if (!stmt_) return;
    if (owned_) {
        sqlite3_finalize(stmt_);
    } else {
        sqlite3_reset(stmt_);
        sqlite3_clear_bindings(stmt_);
    }
}

Statement& Statement::bind(int index, std::int64_t v) {
    if (int rc = sqlite3_bind_int64(stmt_, index, v); rc != SQLITE_OK) fail(db_, rc, "binding a value");
    return *this;
}

Statement& Statement::bind(int index, double v) {
    if (int rc = sqlite3_bind_double(stmt_, index, v); rc != SQLITE_OK) fail(db_, rc, "binding a value");
    return *this;
}

Statement& Statement::bind(int index, std::string_view v) {
    // An empty view may have no data pointer, which SQLite would bind as NULL: bind "" instead.
    if (int rc = sqlite3_bind_text(stmt_, index, v.data() ? v.data() : "", static_cast<int>(v.size()),
                                   SQLITE_TRANSIENT);
        rc != SQLITE_OK)
        fail(db_, rc, "binding a value");
    return *this;
}

Statement& Statement::bind_static(int index, std::string_view v) {
    if (int rc = sqlite3_bind_text(stmt_, index, v.data() ? v.data() : "", static_cast<int>(v.size()), SQLITE_STATIC);
        rc != SQLITE_OK)
        fail(db_, rc, "binding a value");
    return *this;
}

Statement& Statement::bind_null(int index) {
    if (int rc = sqlite3_bind_null(stmt_, index); rc != SQLITE_OK) fail(db_, rc, "binding a value");
    return *this;
}

bool Statement::step() {
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    sqlite3_reset(stmt_);
    fail(db_, rc, "executing a statement");
}

void Statement::run() {
    while (step()) {
    }
    reset();
}

void Statement::reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
}

void exec(sqlite3* db, std::string_view sql) {
    char* err = nullptr;
    const std::string text(sql);
    const int rc = sqlite3_exec(db, text.c_str(), nullptr, nullptr, &err);
    if (rc != SQLITE_OK) {
        std::string msg = err ? err : sqlite3_errstr(rc);
        sqlite3_free(err);
        throw StorageError(rc, "store: " + msg + (retryable(rc) ? " (the database is busy; retry later)" : ""),
                           retryable(rc));
    }
}

Transaction::Transaction(sqlite3* db) : db_(db) { exec(db_, "BEGIN IMMEDIATE"); }

Transaction::~Transaction() {
    if (!done_) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
}

void Transaction::commit() {
    exec(db_, "COMMIT");
    done_ = true;
}

}  // namespace arrears::sql
