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
    data               TEXT NOT NULL
) STRICT;

CREATE TABLE contact_points (
    debtor_id   TEXT NOT NULL REFERENCES debtors (id) ON DELETE CASCADE,
    id          TEXT NOT NULL,
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
    PRIMARY KEY (debtor_id, id)
) STRICT;

CREATE TABLE consents (
    debtor_id        TEXT NOT NULL,
    contact_point_id TEXT NOT NULL,
    channel          TEXT NOT NULL,
    given            INTEGER NOT NULL,
    at               TEXT NOT NULL,
    method           TEXT NOT NULL,
    FOREIGN KEY (debtor_id, contact_point_id) REFERENCES contact_points (debtor_id, id) ON DELETE CASCADE
) STRICT;
CREATE INDEX consents_by_point ON consents (debtor_id, contact_point_id);

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
    data               TEXT NOT NULL
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

-- The journal: every posting of every account, as received (append-only), one column per field
-- of a ledger entry. `seq` is the entry's id within its account (1, 2, 3 ... in arrival order);
-- the allocation columns are what the entry got when it was posted (a later backdated posting
-- may restate it in the replay: see account_state). `ref_generation` counts earlier payments of
-- the account with the same reference (all reversed), so a reference is unique among the
-- payments that stand.
CREATE TABLE transactions (
    id               INTEGER PRIMARY KEY,
    account_id       TEXT NOT NULL REFERENCES accounts (id),
    seq              INTEGER NOT NULL,
    type             TEXT NOT NULL,
    effective_date   TEXT NOT NULL,
    posted_at        TEXT NOT NULL,
    amount_cents     INTEGER NOT NULL,
    currency         TEXT NOT NULL,
    reference        TEXT NOT NULL DEFAULT '',
    note             TEXT NOT NULL DEFAULT '',
    component        TEXT,
    reverses         INTEGER,
    reason           TEXT,
    principal_cents  INTEGER NOT NULL DEFAULT 0,
    interest_cents   INTEGER NOT NULL DEFAULT 0,
    fees_cents       INTEGER NOT NULL DEFAULT 0,
    costs_cents      INTEGER NOT NULL DEFAULT 0,
    unapplied_cents  INTEGER NOT NULL DEFAULT 0,
    ref_generation   INTEGER NOT NULL DEFAULT 0,
    actor            TEXT NOT NULL,
    UNIQUE (account_id, seq)
) STRICT;
CREATE INDEX transactions_by_date ON transactions (effective_date);
CREATE UNIQUE INDEX transactions_payment_reference ON transactions (account_id, reference, ref_generation)
    WHERE type = 'payment' AND reference != '';

-- Derived from the ledger replay of each account and rewritten in the same transaction as every
-- journal change: never edited on its own (docs/store.md). The balance as of today.
CREATE TABLE account_state (
    account_id        TEXT PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
    principal_cents   INTEGER NOT NULL,
    interest_cents    INTEGER NOT NULL,
    fees_cents        INTEGER NOT NULL,
    costs_cents       INTEGER NOT NULL,
    unapplied_cents   INTEGER NOT NULL,
    balance_cents     INTEGER NOT NULL,
    entries           INTEGER NOT NULL,
    last_effective_on TEXT,
    last_payment_on   TEXT,
    interest_bearing  INTEGER NOT NULL DEFAULT 0
) STRICT, WITHOUT ROWID;

CREATE TABLE plans (
    id          TEXT PRIMARY KEY,
    kind        TEXT NOT NULL CHECK (kind IN ('installment', 'settlement', 'promise')),
    debtor_id   TEXT REFERENCES debtors (id),
    status      TEXT NOT NULL,
    created_on  TEXT NOT NULL,
    total_cents INTEGER NOT NULL,
    currency    TEXT NOT NULL,
    data        TEXT NOT NULL
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
SELECT a.id AS account_id, a.currency, s.principal_cents, s.interest_cents, s.fees_cents,
       s.costs_cents, s.unapplied_cents, s.balance_cents, s.entries, s.last_payment_on
FROM accounts a JOIN account_state s ON s.account_id = a.id;

CREATE VIEW v_aging_input AS
SELECT a.id AS account_id,
       (SELECT ad.debtor_id FROM account_debtors ad
         WHERE ad.account_id = a.id AND ad.role = 'primary') AS debtor_id,
       s.balance_cents,
       CASE WHEN s.balance_cents > 0
            THEN coalesce(a.oldest_unpaid_due, a.first_delinquency_on, a.charged_off_on, a.opened_on)
       END AS oldest_unpaid_due,
       s.principal_cents, s.interest_cents, s.fees_cents + s.costs_cents AS fees_cents,
       a.charged_off_on AS charge_off_date,
       a.first_delinquency_on AS date_of_first_delinquency,
       s.last_payment_on AS last_payment_date,
       a.status, a.state, a.client, a.portfolio, a.queue, a.collector
FROM accounts a JOIN account_state s ON s.account_id = a.id;

CREATE VIEW v_transactions AS
SELECT t.account_id, t.seq, t.type, t.effective_date, t.posted_at, t.amount_cents, t.currency,
       t.reference, t.note, t.component, t.reverses, t.reason, t.principal_cents, t.interest_cents,
       t.fees_cents, t.costs_cents, t.unapplied_cents, t.actor
FROM transactions t;

CREATE VIEW v_contact_points AS
SELECT c.debtor_id, c.id AS contact_point_id, c.kind, c.type, c.value, c.state, c.zip, c.source,
       c.confidence, c.status, c.first_seen_on, c.last_seen_on, c.verified_on
FROM contact_points c;
)sql";

// An insert is logged by key only: the row's content at insert time is the row itself, or the
// before-image of its first update (and a delete keeps its before-image), so a full image here
// would only double the write volume of every import.
constexpr std::string_view kAuditInsert =
    "CREATE TRIGGER IF NOT EXISTS audit_{T}_insert AFTER INSERT ON {T} BEGIN "
    "INSERT INTO audit_log (at, actor, table_name, row_key, action, before, after) VALUES "
    "(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), arrears_actor(), '{T}', NEW.{K}, 'insert', NULL, NULL); END;";
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

// The audit log never holds an SSN or a date of birth: those columns (and those keys of a
// debtor's JSON) are masked in the before/after images.
std::string column_expr(std::string_view table, const std::string& col, std::string_view prefix) {
    const std::string ref = std::string(prefix) + "." + col;
    if (table == "debtors" && col == "ssn")
        return "CASE WHEN " + ref + " IS NULL THEN NULL ELSE '***-**-' || substr(" + ref + ", -4) END";
    if (table == "debtors" && col == "date_of_birth")
        return "CASE WHEN " + ref + " IS NULL THEN NULL ELSE '****-**-**' END";
    if (table == "debtors" && col == "data")
        return "json_replace(" + ref + ", '$.ssn', CASE WHEN json_extract(" + ref +
               ", '$.ssn') IS NULL THEN NULL ELSE '***-**-' || substr(json_extract(" + ref +
               ", '$.ssn'), -4) END, '$.date_of_birth', CASE WHEN json_extract(" + ref +
               ", '$.date_of_birth') IS NULL THEN NULL ELSE '****-**-**' END)";
    return ref;
}

std::string json_of(sqlite3* db, std::string_view table, std::string_view prefix) {
    sql::Statement st(db, "SELECT name FROM pragma_table_info(?)");
    st.bind(1, table);
    std::string out = "json_object(";
    bool first = true;
    while (st.step()) {
        const std::string col(st.text(0));
        out += (first ? "'" : ", '") + col + "', " + column_expr(table, col, prefix);
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
        {"settings", "key"},       {"debtors", "id"},         {"contact_points", "debtor_id"},
        {"consents", "debtor_id"}, {"accounts", "id"},        {"account_debtors", "account_id"},
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
