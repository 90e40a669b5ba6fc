#include "arrears/store.hpp"

#include <sqlite3.h>
#include <sys/stat.h>

#include <algorithm>
#include <filesystem>

#include "arrears/csv.hpp"
#include "arrears/error.hpp"
#include "arrears/file_sink.hpp"
#include "store/impl.hpp"
#include "store/schema.hpp"
#include "store/sqlite.hpp"

namespace arrears {

namespace {

void actor_function(sqlite3_context* ctx, int, sqlite3_value**) {
    auto* state = static_cast<ConnectionState*>(sqlite3_user_data(ctx));
    sqlite3_result_text(ctx, state->actor.c_str(), -1, SQLITE_TRANSIENT);
}

void purging_function(sqlite3_context* ctx, int, sqlite3_value**) {
    auto* state = static_cast<ConnectionState*>(sqlite3_user_data(ctx));
    sqlite3_result_int(ctx, state->purging ? 1 : 0);
}

int user_version(sqlite3* db) {
    sql::Statement st(db, "PRAGMA user_version");
    st.step();
    return static_cast<int>(st.int64(0));
}

bool looks_like_date(std::string_view s) {
    return s.size() == 10 && s[4] == '-' && s[7] == '-';
}

bool date_named(const std::string& name) {
    auto ends = [&](std::string_view suffix) {
        return name.size() >= suffix.size() && name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0;
    };
    return ends("_on") || ends("_date") || name == "as_of" || name == "oldest_unpaid_due";
}

}  // namespace

Store::Store(const std::string& path, StoreOptions options) : impl_(std::make_unique<Impl>()) {
    impl_->path = path;
    impl_->options = std::move(options);
    impl_->state.actor = impl_->options.actor;
    const bool memory = path == ":memory:" || path.empty();
    if (!memory) {
        struct stat st{};
        if (::stat(path.c_str(), &st) == 0) {
            if (S_ISDIR(st.st_mode))
                throw StorageError(0, "store: " + quote(path) + " is a directory, not a database file");
        } else if (!impl_->options.create || impl_->options.read_only) {
            throw NotFoundError("store: no database file at " + quote(path));
        } else if (path.rfind("file:", 0) != 0) {
            // Created private (0600, or narrower by the umask) before SQLite opens it: SQLite
            // gives the -wal and -shm files the database file's mode (docs/store.md).
            create_private_file(path);
        }
    }
    int flags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI;
    flags |= impl_->options.read_only ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    sqlite3* db = nullptr;
    const int rc = sqlite3_open_v2(memory ? ":memory:" : path.c_str(), &db, flags, nullptr);
    impl_->db = db;
    if (rc != SQLITE_OK) sql::fail(db, rc, "opening " + quote(path));
    sqlite3_extended_result_codes(db, 1);
    sqlite3_create_function_v2(db, "arrears_actor", 0, SQLITE_UTF8, &impl_->state, &actor_function, nullptr, nullptr, nullptr);
    sqlite3_create_function_v2(db, "arrears_purging", 0, SQLITE_UTF8, &impl_->state, &purging_function, nullptr, nullptr, nullptr);
    sqlite3_busy_timeout(db, impl_->options.busy_timeout_ms);
    try {
        // The first read tells a corrupt or foreign file apart (SQLITE_NOTADB).
        const int found = user_version(db);
        if (!impl_->options.read_only) sql::exec(db, "PRAGMA journal_mode=WAL");
        // Memory-mapped reads and a 64 MiB page cache: bulk imports and portfolio loads read
        // pages without a system call each.
        sql::exec(db, "PRAGMA foreign_keys=ON; PRAGMA synchronous=NORMAL; PRAGMA mmap_size=268435456; "
                      "PRAGMA cache_size=-65536;");
        const int latest = store_schema::latest_version();
        if (found > latest)
            throw StorageError(0, "store: " + quote(path) + " has schema version " + std::to_string(found) +
                                      ", newer than this arrears understands (" + std::to_string(latest) +
                                      "); upgrade arrears to open it");
        if (found < latest) {
            if (impl_->options.read_only)
                throw StorageError(0, "store: " + quote(path) + " has schema version " + std::to_string(found) +
                                          " and needs migrating to " + std::to_string(latest) +
                                          "; open it writable once");
            sql::Transaction tx(db);
            for (const auto& m : store_schema::migrations()) {
                if (m.version <= found) continue;
                sql::exec(db, m.sql);
            }
            store_schema::install_triggers(db);
            sql::exec(db, "PRAGMA user_version=" + std::to_string(latest));
            tx.commit();
        }
    } catch (...) {
        impl_->close();
        throw;
    }
}

Store::~Store() = default;
Store::Store(Store&&) noexcept = default;
Store& Store::operator=(Store&&) noexcept = default;

const std::string& Store::path() const noexcept { return impl_->path; }
bool Store::read_only() const noexcept { return impl_->options.read_only; }
int Store::schema_version() const { return user_version(impl_->handle()); }
int Store::latest_schema_version() noexcept { return store_schema::latest_version(); }
std::pair<std::int64_t, std::int64_t> Store::change_counter() const {
    sqlite3* db = impl_->handle();
    auto st = impl_->prepare("PRAGMA data_version");
    st.step();
    const std::int64_t version = st.int64(0);
    return {version, static_cast<std::int64_t>(sqlite3_total_changes64(db))};
}

bool Store::is_open() const noexcept { return impl_ && impl_->db != nullptr; }
void* Store::native_handle() const { return impl_->handle(); }
const std::string& Store::actor() const noexcept { return impl_->options.actor; }

void Store::set_actor(std::string actor) {
    if (actor.empty()) throw ValidationError("actor: must not be empty (the audit log names who changed what)");
    impl_->options.actor = actor;
    impl_->state.actor = std::move(actor);
}

void Store::close() {
    if (impl_->db) {
        if (impl_->write_depth > 0) throw ConflictError("store: cannot close inside a write");
        impl_->close();
    }
}

void Store::write(const std::function<void()>& fn) {
    sqlite3* db = impl_->handle();
    if (impl_->options.read_only) throw StorageError(SQLITE_READONLY, "store: " + quote(impl_->path) + " is open read-only");
    if (impl_->write_depth > 0) {
        fn();
        return;
    }
    sql::Transaction tx(db);
    ++impl_->write_depth;
    try {
        fn();
    } catch (...) {
        --impl_->write_depth;
        throw;  // tx's destructor rolls back
    }
    --impl_->write_depth;
    tx.commit();
}

void Store::begin() {
    sqlite3* db = impl_->handle();
    if (impl_->options.read_only) throw StorageError(SQLITE_READONLY, "store: " + quote(impl_->path) + " is open read-only");
    if (impl_->write_depth == 0) {
        sql::exec(db, "BEGIN IMMEDIATE");
        impl_->explicit_tx = true;
    }
    ++impl_->write_depth;
}

void Store::commit() {
    if (impl_->write_depth == 0) throw ConflictError("store: commit() without begin()");
    if (--impl_->write_depth == 0) {
        impl_->explicit_tx = false;
        try {
            sql::exec(impl_->handle(), "COMMIT");
        } catch (...) {
            sqlite3_exec(impl_->db, "ROLLBACK", nullptr, nullptr, nullptr);
            throw;
        }
    }
}

void Store::rollback() {
    if (impl_->write_depth == 0) return;
    impl_->write_depth = 0;
    impl_->explicit_tx = false;
    sqlite3_exec(impl_->handle(), "ROLLBACK", nullptr, nullptr, nullptr);
}

bool Store::in_transaction() const noexcept { return impl_->write_depth > 0; }

void Store::mark_run_step(std::string_view kind, Date as_of, std::string_view step, std::string_view detail_json) {
    write([&] {
        auto st = impl_->prepare(
            "INSERT INTO runs (kind, as_of, step, status, detail, started_at, finished_at) VALUES "
            "(?, ?, ?, 'done', ?, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), strftime('%Y-%m-%dT%H:%M:%SZ', 'now')) "
            "ON CONFLICT (kind, as_of, step) DO UPDATE SET status = 'done', detail = excluded.detail, "
            "finished_at = excluded.finished_at");
        st.bind(1, kind).bind(2, to_iso(as_of)).bind(3, step).bind(4, detail_json);
        st.run();
    });
}

std::optional<std::string> Store::run_step(std::string_view kind, Date as_of, std::string_view step) const {
    auto st = impl_->prepare("SELECT detail FROM runs WHERE kind = ? AND as_of = ? AND step = ? AND status = 'done'");
    st.bind(1, kind).bind(2, to_iso(as_of)).bind(3, step);
    if (!st.step()) return std::nullopt;
    return std::string(st.text(0));
}

void Store::audit(std::string_view action, std::string_view table, std::string_view key, std::string_view detail_json) {
    sql::Statement st(impl_->handle(),
                      "INSERT INTO audit_log (at, actor, table_name, row_key, action, before, after) VALUES "
                      "(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), arrears_actor(), ?, ?, ?, NULL, ?)");
    st.bind(1, table).bind(2, key).bind(3, action).bind(4, detail_json);
    st.run();
}

std::optional<std::string> Store::setting(std::string_view key) const {
    sql::Statement st(impl_->handle(), "SELECT value FROM settings WHERE key = ?");
    st.bind(1, key);
    if (!st.step()) return std::nullopt;
    return std::string(st.text(0));
}

void Store::set_setting(std::string_view key, std::string_view value) {
    if (key.empty()) throw ValidationError("key: a setting needs a name");
    write([&] {
        sql::Statement st(impl_->handle(),
                          "INSERT INTO settings (key, value) VALUES (?, ?) "
                          "ON CONFLICT (key) DO UPDATE SET value = excluded.value WHERE value != excluded.value");
        st.bind(1, key).bind(2, value);
        st.run();
    });
}

std::vector<std::string> Store::table_names() const {
    sql::Statement st(impl_->handle(),
                      "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name");
    std::vector<std::string> out;
    while (st.step()) out.emplace_back(st.text(0));
    return out;
}

std::vector<std::string> Store::view_names() const {
    sql::Statement st(impl_->handle(), "SELECT name FROM sqlite_schema WHERE type = 'view' ORDER BY name");
    std::vector<std::string> out;
    while (st.step()) out.emplace_back(st.text(0));
    return out;
}

Table Store::query(std::string_view sql_text, const std::vector<SqlValue>& params) const {
    sqlite3* db = impl_->handle();
    sql::Statement st(db, sql_text);
    if (!sqlite3_stmt_readonly(st.handle()))
        throw ValidationError("sql: only read-only statements may be queried; writes go through the store's API");
    for (std::size_t i = 0; i < params.size(); ++i) {
        const int idx = static_cast<int>(i + 1);
        switch (params[i].kind) {
            case SqlValue::Kind::null: st.bind_null(idx); break;
            case SqlValue::Kind::integer: st.bind(idx, params[i].integer); break;
            case SqlValue::Kind::real: st.bind(idx, params[i].real); break;
            case SqlValue::Kind::text: st.bind(idx, params[i].text); break;
        }
    }
    const int n = st.columns();
    struct Col {
        std::string name, decl;
        std::vector<std::int64_t> ints;
        std::vector<double> reals;
        std::vector<std::string> texts;
        std::vector<std::uint8_t> valid;
        bool saw_int = false, saw_real = false, saw_text = false, all_dates = true;
    };
    std::vector<Col> cols(static_cast<std::size_t>(n));
    for (int c = 0; c < n; ++c) {
        cols[static_cast<std::size_t>(c)].name = st.column_name(c);
        std::string d = st.column_decltype(c);
        std::transform(d.begin(), d.end(), d.begin(), [](unsigned char ch) { return static_cast<char>(std::toupper(ch)); });
        cols[static_cast<std::size_t>(c)].decl = d;
    }
    std::size_t rows = 0;
    while (st.step()) {
        for (int c = 0; c < n; ++c) {
            Col& col = cols[static_cast<std::size_t>(c)];
            const int t = st.type(c);
            col.valid.push_back(t != SQLITE_NULL);
            std::int64_t iv = 0;
            double rv = 0;
            std::string tv;
            if (t == SQLITE_INTEGER) {
                iv = st.int64(c);
                rv = static_cast<double>(iv);
                tv = std::to_string(iv);
                col.saw_int = true;
                col.all_dates = false;
            } else if (t == SQLITE_FLOAT) {
                rv = st.real(c);
                tv = std::to_string(rv);
                col.saw_real = true;
                col.all_dates = false;
            } else if (t != SQLITE_NULL) {
                tv = std::string(st.text(c));
                col.saw_text = true;
                if (!looks_like_date(tv)) col.all_dates = false;
            }
            col.ints.push_back(iv);
            col.reals.push_back(rv);
            col.texts.push_back(std::move(tv));
        }
        ++rows;
    }
    Table out;
    for (Col& col : cols) {
        const bool integer_decl = col.decl.find("INT") != std::string::npos;
        const bool real_decl = col.decl.find("REAL") != std::string::npos || col.decl.find("FLOA") != std::string::npos;
        const bool text_decl = col.decl.find("TEXT") != std::string::npos;
        if (!col.saw_text && (integer_decl || (col.decl.empty() && col.saw_int && !col.saw_real))) {
            out.add_int64(col.name, std::move(col.ints), std::move(col.valid));
        } else if (!col.saw_text && (real_decl || (col.decl.empty() && col.saw_real))) {
            out.add_float64(col.name, std::move(col.reals), std::move(col.valid));
        } else if (col.saw_text && col.all_dates && date_named(col.name) && !col.saw_int && !col.saw_real) {
            std::vector<std::int32_t> days(rows, 0);
            for (std::size_t r = 0; r < rows; ++r)
                if (col.valid[r]) days[r] = days_since_epoch(parse_date(col.texts[r], col.name));
            out.add_date32(col.name, std::move(days), std::move(col.valid));
        } else if (col.saw_text || text_decl) {
            out.add_utf8(col.name, std::move(col.texts), std::move(col.valid));
        } else if (!col.saw_int && !col.saw_real) {
            // No value and no declared type (an aggregate over no rows, an all-null
            // expression): integers, so counts and sums of empty results still add up.
            out.add_int64(col.name, std::move(col.ints), std::move(col.valid));
        } else {
            out.add_float64(col.name, std::move(col.reals), std::move(col.valid));
        }
    }
    return out;
}

Table Store::read_table(std::string_view name) const {
    const auto tables = table_names(), views = view_names();
    const bool known = std::find(tables.begin(), tables.end(), name) != tables.end() ||
                       std::find(views.begin(), views.end(), name) != views.end();
    if (!known) throw NotFoundError("table: no table or view named " + quote(name) + " in the store");
    return query("SELECT * FROM \"" + std::string(name) + "\"");
}

std::size_t Store::export_csv(std::string_view name, const std::string& path) const {
    const auto tables = table_names(), views = view_names();
    const bool known = std::find(tables.begin(), tables.end(), name) != tables.end() ||
                       std::find(views.begin(), views.end(), name) != views.end();
    if (!known) throw NotFoundError("table: no table or view named " + quote(name) + " in the store");
    const std::filesystem::path target(path);
    const std::string folder = target.has_parent_path() ? target.parent_path().string() : std::string(".");
    FolderSink sink(folder);
    FolderSink::Stream out = sink.open(target.filename().string(), "csv");
    sql::Statement st(impl_->handle(), "SELECT * FROM \"" + std::string(name) + "\"");
    const int n = st.columns();
    std::string line;
    for (int c = 0; c < n; ++c) {
        if (c) line += ',';
        append_csv_field(line, st.column_name(c));
    }
    line += "\r\n";
    std::size_t rows = 0;
    while (st.step()) {
        for (int c = 0; c < n; ++c) {
            if (c) line += ',';
            const int type = st.type(c);
            if (type == SQLITE_NULL) continue;
            const bool number = type == SQLITE_INTEGER || type == SQLITE_FLOAT;
            append_csv_field(line, st.text(c), number ? CsvCell::number : CsvCell::text);
        }
        line += "\r\n";
        ++rows;
        if (line.size() >= (1u << 20)) {
            out.append(line);
            line.clear();
        }
    }
    out.append(line);
    out.close();
    return rows;
}

}  // namespace arrears
