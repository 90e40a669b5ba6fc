// Store::Impl, shared by the store's source files (store.cpp, domain.cpp, imports.cpp ...).
#pragma once

#include <sqlite3.h>

#include <string>
#include <unordered_map>

#include "store/sqlite.hpp"

#include "arrears/account_state.hpp"
#include "arrears/error.hpp"
#include "arrears/store.hpp"

namespace arrears {

// What the SQL functions arrears_actor() and arrears_purging() read (per connection).
struct ConnectionState {
    std::string actor;
    bool purging = false;
};

struct Store::Impl {
    sqlite3* db = nullptr;
    std::string path;
    StoreOptions options;
    int write_depth = 0;
    bool explicit_tx = false;  // begin() opened the outermost transaction
    ConnectionState state;

    // Prepared statements by SQL text, kept for the life of the connection.
    std::unordered_map<std::string, sqlite3_stmt*> statements;

    ~Impl() { close(); }
    void close() {
        for (auto& [text, st] : statements) sqlite3_finalize(st);
        statements.clear();
        if (db) sqlite3_close_v2(db);
        db = nullptr;
    }
    // A cached prepared statement (prepared once per connection).
    sql::Statement prepare(const std::string& text) {
        sqlite3* h = handle();
        auto it = statements.find(text);
        if (it == statements.end()) {
            sqlite3_stmt* st = nullptr;
            const int rc = sqlite3_prepare_v3(h, text.data(), static_cast<int>(text.size()),
                                              SQLITE_PREPARE_PERSISTENT, &st, nullptr);
            if (rc != SQLITE_OK) sql::fail(h, rc, "preparing a statement");
            it = statements.emplace(text, st).first;
        }
        return sql::Statement(h, it->second);
    }
    // The one writer of table account_state: the row of an account (domain.cpp).
    void write_account_state(std::string_view account_id, const AccountState& state);
    sqlite3* handle() const {
        if (!db) throw StorageError(0, "store: the store " + quote(path) + " is closed");
        return db;
    }
};

}  // namespace arrears
