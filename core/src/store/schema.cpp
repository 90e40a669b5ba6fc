#include "store/schema.hpp"

#include <string>

#include "store/sqlite.hpp"

namespace arrears::store_schema {

namespace {

// Version 1: the whole domain. Conventions: STRICT tables; money as <name>_cents INTEGER plus a
// currency column; dates as ISO 'YYYY-MM-DD' text (columns named *_on or *_date); instants as
// ISO UTC text (columns named *_at); each domain row also keeps its full JSON (`data`) so the
// domain types round-trip exactly, while the columns beside it are what analysts query.
constexpr std::string_view kV1 = R"sql(
CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

CREATE TABLE audit_log (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    at         TEXT NOT NULL,
    actor      TEXT NOT NULL,
    table_name TEXT NOT NULL,
    row_key    TEXT,
    action     TEXT NOT NULL CHECK (action IN ('insert', 'update', 'delete', 'import', 'purge', 'batch')),
    before     TEXT,
    after      TEXT
) STRICT;
CREATE INDEX audit_log_by_row ON audit_log (table_name, row_key);

CREATE TABLE debtors (
    id                 TEXT PRIMARY KEY,
    external_id        TEXT UNIQUE,
    first_name         TEXT,
    middle_name        TEXT,
    last_name          TEXT NOT NULL,
    date_of_birth      TEXT,
    ssn                TEXT,
    preferred_language TEXT NOT NULL DEFAULT 'en',
    deceased_on        TEXT,
    bankruptcy_chapter INTEGER,
    bankruptcy_filed_on TEXT,
    bankruptcy_closed_on TEXT,
    attorney_represented INTEGER NOT NULL DEFAULT 0,
    active_duty_military INTEGER NOT NULL DEFAULT 0,
    data               TEXT NOT NULL,
    updated_at         TEXT NOT NULL
) STRICT;

CREATE TABLE contact_points (
    id          TEXT PRIMARY KEY,
    debtor_id   TEXT NOT NULL REFERENCES debtors (id) ON DELETE CASCADE,
    kind        TEXT NOT NULL CHECK (kind IN ('address', 'phone', 'email')),
    type        TEXT NOT NULL,
    value       TEXT NOT NULL,
    state       TEXT,
    zip         TEXT,
    source      TEXT NOT NULL,
    confidence  INTEGER NOT NULL CHECK (confidence BETWEEN 0 AND 100),
    status      TEXT NOT NULL,
    first_seen_on TEXT,
    last_seen_on  TEXT,
    verified_on   TEXT,
    data        TEXT NOT NULL,
    updated_at  TEXT NOT NULL
) STRICT;
CREATE INDEX contact_points_by_debtor ON contact_points (debtor_id);

CREATE TABLE consents (
    id               INTEGER PRIMARY KEY,
    contact_point_id TEXT NOT NULL REFERENCES contact_points (id) ON DELETE CASCADE,
    channel          TEXT NOT NULL,
    given            INTEGER NOT NULL,
    at               TEXT NOT NULL,
    how              TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX consents_by_point ON consents (contact_point_id);

CREATE TABLE accounts (
    id                 TEXT PRIMARY KEY,
    external_id        TEXT UNIQUE,
    client             TEXT NOT NULL DEFAULT '',
    portfolio          TEXT NOT NULL DEFAULT '',
    status             TEXT NOT NULL,
    currency           TEXT NOT NULL,
    product_type       TEXT NOT NULL,
    original_creditor  TEXT NOT NULL DEFAULT '',
    current_creditor   TEXT NOT NULL DEFAULT '',
    opened_on          TEXT NOT NULL,
    charged_off_on     TEXT,
    first_delinquency_on TEXT,
    itemization_date   TEXT,
    itemization_basis  TEXT,
    oldest_unpaid_due  TEXT,
    queue              TEXT,
    collector          TEXT,
    state              TEXT,
    data               TEXT NOT NULL,
    updated_at         TEXT NOT NULL
) STRICT;
CREATE INDEX accounts_by_client ON accounts (client, portfolio);

CREATE TABLE account_debtors (
    account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    debtor_id  TEXT NOT NULL REFERENCES debtors (id),
    role       TEXT NOT NULL,
    ecoa_code  TEXT NOT NULL,
    PRIMARY KEY (account_id, debtor_id)
) STRICT;
CREATE INDEX account_debtors_by_debtor ON account_debtors (debtor_id);

CREATE TABLE transactions (
    id               INTEGER PRIMARY KEY,
    account_id       TEXT NOT NULL REFERENCES accounts (id),
    type             TEXT NOT NULL,
    effective_date   TEXT NOT NULL,
    posted_at        TEXT NOT NULL,
    amount_cents     INTEGER NOT NULL,
    currency         TEXT NOT NULL,
    reference        TEXT NOT NULL DEFAULT '',
    reverses         INTEGER REFERENCES transactions (id),
    reason           TEXT NOT NULL DEFAULT '',
    actor            TEXT NOT NULL,
    data             TEXT
) STRICT;
CREATE INDEX transactions_by_account ON transactions (account_id, effective_date);
CREATE UNIQUE INDEX transactions_reversal_once ON transactions (reverses) WHERE reverses IS NOT NULL;

CREATE TABLE plans (
    id          TEXT PRIMARY KEY,
    kind        TEXT NOT NULL CHECK (kind IN ('installment', 'settlement', 'promise')),
    debtor_id   TEXT REFERENCES debtors (id),
    status      TEXT NOT NULL,
    created_on  TEXT NOT NULL,
    total_cents INTEGER NOT NULL,
    currency    TEXT NOT NULL,
    data        TEXT NOT NULL,
    updated_at  TEXT NOT NULL
) STRICT;

CREATE TABLE plan_accounts (
    plan_id    TEXT NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    account_id TEXT NOT NULL REFERENCES accounts (id),
    PRIMARY KEY (plan_id, account_id)
) STRICT;

CREATE TABLE installments (
    plan_id      TEXT NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    number       INTEGER NOT NULL,
    due_on       TEXT NOT NULL,
    amount_cents INTEGER NOT NULL,
    principal_cents INTEGER NOT NULL DEFAULT 0,
    interest_cents  INTEGER NOT NULL DEFAULT 0,
    status       TEXT NOT NULL DEFAULT 'due',
    PRIMARY KEY (plan_id, number)
) STRICT;

CREATE TABLE contact_events (
    id          INTEGER PRIMARY KEY,
    debtor_id   TEXT NOT NULL,
    channel     TEXT NOT NULL,
    direction   TEXT NOT NULL,
    outcome     TEXT NOT NULL,
    at          TEXT NOT NULL,
    consent     INTEGER NOT NULL DEFAULT 0,
    collector   TEXT,
    data        TEXT NOT NULL,
    actor       TEXT NOT NULL
) STRICT;
CREATE INDEX contact_events_by_debtor ON contact_events (debtor_id, at);

CREATE TABLE contact_event_debts (
    event_id   INTEGER NOT NULL REFERENCES contact_events (id) ON DELETE CASCADE,
    account_id TEXT NOT NULL,
    PRIMARY KEY (event_id, account_id)
) STRICT;
CREATE INDEX contact_event_debts_by_account ON contact_event_debts (account_id);

CREATE TABLE disputes (
    id                   INTEGER PRIMARY KEY,
    account_id           TEXT NOT NULL REFERENCES accounts (id),
    debtor_id            TEXT,
    received_on          TEXT NOT NULL,
    written              INTEGER NOT NULL,
    within_validation    INTEGER NOT NULL,
    verification_sent_on TEXT,
    resolution           TEXT,
    resolved_on          TEXT,
    data                 TEXT NOT NULL DEFAULT '{}'
) STRICT;
CREATE INDEX disputes_by_account ON disputes (account_id);

CREATE TABLE campaigns (
    id            TEXT PRIMARY KEY,
    name          TEXT NOT NULL,
    template      TEXT NOT NULL,
    template_hash TEXT NOT NULL,
    as_of         TEXT NOT NULL,
    status        TEXT NOT NULL,
    letters       INTEGER NOT NULL DEFAULT 0,
    suppressed    INTEGER NOT NULL DEFAULT 0,
    manifest      TEXT,
    created_at    TEXT NOT NULL
) STRICT;

CREATE TABLE letters (
    id          INTEGER PRIMARY KEY,
    campaign_id TEXT REFERENCES campaigns (id),
    account_id  TEXT NOT NULL,
    debtor_id   TEXT NOT NULL,
    template    TEXT NOT NULL,
    channel     TEXT NOT NULL,
    sent_on     TEXT NOT NULL,
    sha256      TEXT NOT NULL,
    output      TEXT NOT NULL DEFAULT '',
    actor       TEXT NOT NULL
) STRICT;
CREATE INDEX letters_by_account ON letters (account_id);

CREATE TABLE metro2_submissions (
    id          INTEGER PRIMARY KEY,
    activity_on TEXT NOT NULL,
    file_name   TEXT NOT NULL,
    sha256      TEXT NOT NULL,
    base_records INTEGER NOT NULL,
    created_at  TEXT NOT NULL,
    actor       TEXT NOT NULL
) STRICT;

CREATE TABLE metro2_reported (
    submission_id INTEGER NOT NULL REFERENCES metro2_submissions (id),
    account_id    TEXT NOT NULL,
    account_status TEXT NOT NULL,
    current_balance INTEGER NOT NULL,
    amount_past_due INTEGER NOT NULL,
    compliance_condition_code TEXT NOT NULL DEFAULT '',
    special_comment TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (submission_id, account_id)
) STRICT;
CREATE INDEX metro2_reported_by_account ON metro2_reported (account_id);

CREATE TABLE bucket_history (
    id          INTEGER PRIMARY KEY,
    account_id  TEXT NOT NULL,
    as_of       TEXT NOT NULL,
    from_bucket TEXT,
    to_bucket   TEXT,
    from_dpd    INTEGER,
    to_dpd      INTEGER,
    UNIQUE (account_id, as_of)
) STRICT;

CREATE TABLE runs (
    id         INTEGER PRIMARY KEY,
    kind       TEXT NOT NULL,
    as_of      TEXT NOT NULL,
    step       TEXT NOT NULL,
    status     TEXT NOT NULL,
    detail     TEXT NOT NULL DEFAULT '{}',
    started_at TEXT NOT NULL,
    finished_at TEXT,
    UNIQUE (kind, as_of, step)
) STRICT;

-- Views for analysts (pandas, DuckDB, the sqlite3 shell). Documented in docs/store.md.
CREATE VIEW v_account_balance AS
SELECT a.id AS account_id, a.currency,
       coalesce(sum(t.amount_cents), 0) AS ledger_total_cents,
       count(t.id) AS transactions
FROM accounts a LEFT JOIN transactions t ON t.account_id = a.id
GROUP BY a.id;
)sql";

constexpr std::string_view kAuditInsert =
    "CREATE TRIGGER IF NOT EXISTS audit_{T}_insert AFTER INSERT ON {T} BEGIN "
    "INSERT INTO audit_log (at, actor, table_name, row_key, action, before, after) VALUES "
    "(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), arrears_actor(), '{T}', NEW.{K}, 'insert', NULL, {NEW}); END;";
constexpr std::string_view kAuditUpdate =
    "CREATE TRIGGER IF NOT EXISTS audit_{T}_update AFTER UPDATE ON {T} BEGIN "
    "INSERT INTO audit_log (at, actor, table_name, row_key, action, before, after) VALUES "
    "(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), arrears_actor(), '{T}', NEW.{K}, 'update', {OLD}, {NEW}); END;";
constexpr std::string_view kAuditDelete =
    "CREATE TRIGGER IF NOT EXISTS audit_{T}_delete AFTER DELETE ON {T} BEGIN "
    "INSERT INTO audit_log (at, actor, table_name, row_key, action, before, after) VALUES "
    "(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), arrears_actor(), '{T}', OLD.{K}, 'delete', {OLD}, NULL); END;";
constexpr std::string_view kAppendOnly =
    "CREATE TRIGGER IF NOT EXISTS append_only_{T}_update BEFORE UPDATE ON {T} BEGIN "
    "SELECT RAISE(ABORT, '{T} is append-only: rows are never changed'); END; "
    "CREATE TRIGGER IF NOT EXISTS append_only_{T}_delete BEFORE DELETE ON {T} "
    "WHEN arrears_purging() = 0 BEGIN "
    "SELECT RAISE(ABORT, '{T} is append-only: rows are never deleted'); END;";

std::string replace_all(std::string s, std::string_view from, std::string_view to) {
    for (std::size_t pos = 0; (pos = s.find(from, pos)) != std::string::npos; pos += to.size())
        s.replace(pos, from.size(), to);
    return s;
}

std::string json_of(sqlite3* db, std::string_view table, std::string_view prefix) {
    sql::Statement st(db, "SELECT name FROM pragma_table_info(?)");
    st.bind(1, table);
    std::string out = "json_object(";
    bool first = true;
    while (st.step()) {
        const std::string col(st.text(0));
        out += (first ? "'" : ", '") + col + "', " + std::string(prefix) + "." + col;
        first = false;
    }
    return out + ")";
}

}  // namespace

const std::vector<Migration>& migrations() {
    static const std::vector<Migration> all{
        {1, "the domain: debtors, contact points, accounts, ledger, plans, contacts, disputes, "
            "letters, Metro 2, bucket history, settings, audit log",
         kV1},
    };
    return all;
}

int latest_version() noexcept { return migrations().back().version; }

const std::vector<AuditedTable>& audited_tables() {
    static const std::vector<AuditedTable> t{
        {"settings", "key"},       {"debtors", "id"},         {"contact_points", "id"},
        {"consents", "id"},        {"accounts", "id"},        {"account_debtors", "account_id"},
        {"plans", "id"},           {"plan_accounts", "plan_id"}, {"installments", "plan_id"},
        {"disputes", "id"},        {"campaigns", "id"},
    };
    return t;
}

const std::vector<std::string_view>& append_only_tables() {
    static const std::vector<std::string_view> t{"audit_log", "transactions", "contact_events",
                                                 "contact_event_debts", "letters",
                                                 "metro2_submissions", "metro2_reported",
                                                 "bucket_history"};
    return t;
}

void install_triggers(sqlite3* db) {
    for (const auto& [table, key] : audited_tables()) {
        const std::string t(table), k(key);
        const std::string new_json = json_of(db, table, "NEW"), old_json = json_of(db, table, "OLD");
        for (std::string_view tmpl : {kAuditInsert, kAuditUpdate, kAuditDelete}) {
            std::string s = replace_all(std::string(tmpl), "{T}", t);
            s = replace_all(s, "{K}", k);
            s = replace_all(s, "{NEW}", new_json);
            s = replace_all(s, "{OLD}", old_json);
            sql::exec(db, s);
        }
    }
    for (std::string_view table : append_only_tables())
        sql::exec(db, replace_all(std::string(kAppendOnly), "{T}", table));
}

}  // namespace arrears::store_schema
