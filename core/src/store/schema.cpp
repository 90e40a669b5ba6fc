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
    -- The cease-communication requests (JSON array, NULL when there are none): a copy of
    -- data's so the batch read does not parse every debtor's document to find the few.
    cease_communications TEXT,
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
    first_effective_on TEXT,
    last_effective_on TEXT,
    last_payment_on   TEXT,
    interest_bearing  INTEGER NOT NULL DEFAULT 0
) STRICT, WITHOUT ROWID;

-- Payment plans, settlements and promises (docs/plans.md). `data` is the plan's JSON (the
-- agreement, never changed once saved except for a cancellation); the columns beside it are for
-- queries. `status` is the plan's status at its last evaluation (Store::evaluate_plans), changed
-- (and audited) only when it changes.
CREATE TABLE plans (
    id                TEXT PRIMARY KEY,
    kind              TEXT NOT NULL CHECK (kind IN ('installment', 'settlement', 'promise')),
    debtor_id         TEXT REFERENCES debtors (id),
    status            TEXT NOT NULL DEFAULT 'active'
                      CHECK (status IN ('active', 'current', 'delinquent', 'broken', 'completed', 'cancelled')),
    status_date       TEXT,
    plan_date         TEXT NOT NULL,
    currency          TEXT NOT NULL,
    balance_cents     INTEGER NOT NULL,
    total_cents       INTEGER NOT NULL,
    discount_cents    INTEGER NOT NULL DEFAULT 0,
    installment_count INTEGER NOT NULL,
    frequency         TEXT NOT NULL,
    annual_rate       TEXT NOT NULL,
    split             TEXT NOT NULL,
    offer_expiry      TEXT,
    cancelled_on      TEXT,
    data              TEXT NOT NULL
) STRICT;
CREATE INDEX plans_by_status ON plans (status);

CREATE TABLE plan_accounts (
    plan_id       TEXT NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    position      INTEGER NOT NULL,
    account_id    TEXT NOT NULL REFERENCES accounts (id),
    balance_cents INTEGER NOT NULL,
    PRIMARY KEY (plan_id, account_id),
    UNIQUE (plan_id, position)
) STRICT;
CREATE INDEX plan_accounts_by_account ON plan_accounts (account_id);

-- The schedule (from the plan) with each installment's state at the last evaluation. Derived:
-- rewritten by evaluations, never edited on its own (the plan's JSON is the agreement).
CREATE TABLE installments (
    plan_id         TEXT NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    number          INTEGER NOT NULL,
    due_on          TEXT NOT NULL,
    amount_cents    INTEGER NOT NULL,
    principal_cents INTEGER NOT NULL DEFAULT 0,
    interest_cents  INTEGER NOT NULL DEFAULT 0,
    status          TEXT NOT NULL DEFAULT 'due' CHECK (status IN ('due', 'paid', 'partial', 'missed')),
    paid_cents      INTEGER NOT NULL DEFAULT 0,
    paid_on         TEXT,
    days_late       INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (plan_id, number)
) STRICT, WITHOUT ROWID;

-- Derived: the figures of each plan's last evaluation.
CREATE TABLE plan_state (
    plan_id                 TEXT PRIMARY KEY REFERENCES plans (id) ON DELETE CASCADE,
    evaluated_on            TEXT NOT NULL,
    paid_cents              INTEGER NOT NULL,
    remaining_cents         INTEGER NOT NULL,
    balance_remaining_cents INTEGER NOT NULL,
    missed_count            INTEGER NOT NULL,
    days_past_due           INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

-- Derived: the events of each plan's last evaluation (kept, missed, broken, completed,
-- settlement_discount ...), with the evaluation date that first found each (`recorded_on`).
-- `accounts` is the per-account split of settlement events as JSON.
CREATE TABLE plan_events (
    plan_id      TEXT NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    seq          INTEGER NOT NULL,
    type         TEXT NOT NULL,
    event_date   TEXT NOT NULL,
    installment  INTEGER NOT NULL DEFAULT 0,
    amount_cents INTEGER NOT NULL DEFAULT 0,
    detail       TEXT NOT NULL DEFAULT '',
    accounts     TEXT,
    recorded_on  TEXT NOT NULL,
    PRIMARY KEY (plan_id, seq)
) STRICT;
CREATE INDEX plan_events_by_date ON plan_events (event_date, type);

-- Re-agings (append-only): when a kept plan made a delinquent account current again. Read for
-- the frequency limits of the re-aging rule; the date of first delinquency is never changed.
CREATE TABLE reagings (
    id                   INTEGER PRIMARY KEY,
    account_id           TEXT NOT NULL REFERENCES accounts (id),
    reaged_on            TEXT NOT NULL,
    plan_id              TEXT REFERENCES plans (id),
    days_past_due_before INTEGER NOT NULL,
    reason               TEXT NOT NULL,
    actor                TEXT NOT NULL,
    UNIQUE (account_id, reaged_on)
) STRICT;

-- Contact history: every call, text, e-mail and letter (compliance reads it). `debtor_id` is
-- the consumer; the debts the contact was about are in contact_event_debts; `tags` are the
-- contact tags as a bit set (contact_attempt.hpp), `at` UTC.
CREATE TABLE contact_events (
    id          INTEGER PRIMARY KEY,
    debtor_id   TEXT NOT NULL,
    channel     TEXT NOT NULL,
    direction   TEXT NOT NULL,
    outcome     TEXT NOT NULL,
    at          TEXT NOT NULL,
    consent     INTEGER NOT NULL DEFAULT 0,
    tags        INTEGER NOT NULL DEFAULT 0,
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

-- Letter campaigns as logged by the store's letter sink (Store::log_letters): one row per
-- campaign name (a name is used once, so a campaign cannot be logged twice).
CREATE TABLE campaigns (
    id                   TEXT PRIMARY KEY,
    name                 TEXT NOT NULL,
    template             TEXT NOT NULL,
    template_hash        TEXT NOT NULL,
    channel              TEXT NOT NULL,
    as_of                TEXT NOT NULL,
    status               TEXT NOT NULL,
    letters              INTEGER NOT NULL DEFAULT 0,
    suppressed           INTEGER,
    suppressed_by_reason TEXT,
    created_at           TEXT NOT NULL
) STRICT;

-- Every letter sent (append-only), each also a contact event (channel letter or email, outcome
-- delivered) so the compliance engine counts it. `template` is the letter kind
-- (validation_notice, reminder ...); `file`, `byte_offset`, `byte_length` say where the letter is
-- in the campaign's output folder.
CREATE TABLE letters (
    id               INTEGER PRIMARY KEY,
    letter_id        TEXT NOT NULL UNIQUE,
    campaign_id      TEXT NOT NULL REFERENCES campaigns (id),
    account_id       TEXT NOT NULL REFERENCES accounts (id),
    debtor_id        TEXT NOT NULL,
    template         TEXT NOT NULL,
    language         TEXT NOT NULL,
    channel          TEXT NOT NULL CHECK (channel IN ('mail', 'email')),
    template_sha256  TEXT NOT NULL,
    sent_on          TEXT NOT NULL,
    send_at          TEXT,
    batch            INTEGER NOT NULL,
    file             TEXT NOT NULL,
    byte_offset      INTEGER,
    byte_length      INTEGER,
    contact_event_id INTEGER NOT NULL REFERENCES contact_events (id),
    actor            TEXT NOT NULL
) STRICT;
CREATE INDEX letters_by_account ON letters (account_id, template, sent_on);

-- Metro 2: one row per file recorded (one per activity date and furnisher id), what was
-- reported for each account (what the next month's payment history profile, DOFD check and
-- compliance condition code are computed from) and the accounts left out with the reason.
-- Amounts are whole dollars as reported.
CREATE TABLE metro2_submissions (
    id                    INTEGER PRIMARY KEY,
    activity_on           TEXT NOT NULL,
    identification_number TEXT NOT NULL,
    file_name             TEXT NOT NULL,
    sha256                TEXT NOT NULL,
    base_records          INTEGER NOT NULL,
    excluded              INTEGER NOT NULL,
    created_at            TEXT NOT NULL,
    actor                 TEXT NOT NULL,
    UNIQUE (activity_on, identification_number)
) STRICT;

CREATE TABLE metro2_reported (
    submission_id               INTEGER NOT NULL REFERENCES metro2_submissions (id),
    account_id                  TEXT NOT NULL,
    account_status              TEXT NOT NULL,
    payment_rating              TEXT NOT NULL DEFAULT '',
    payment_history_profile     TEXT NOT NULL,
    special_comment             TEXT NOT NULL DEFAULT '',
    compliance_condition_code   TEXT NOT NULL DEFAULT '',
    current_balance             INTEGER NOT NULL,
    amount_past_due             INTEGER NOT NULL,
    date_of_account_information TEXT NOT NULL,
    date_of_first_delinquency   TEXT,
    date_closed                 TEXT,
    PRIMARY KEY (submission_id, account_id)
) STRICT;
CREATE INDEX metro2_reported_by_account ON metro2_reported (account_id);

CREATE TABLE metro2_excluded (
    submission_id INTEGER NOT NULL REFERENCES metro2_submissions (id),
    account_id    TEXT NOT NULL,
    code          TEXT NOT NULL,
    message       TEXT NOT NULL,
    PRIMARY KEY (submission_id, account_id)
) STRICT;

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

// Version 2: narrow indexes for the batch read (Store::portfolio_table), which otherwise reads
// the wide debtors rows in random order and sorts every address (measured at 1e6 accounts:
// 16 s -> 6 s for the whole read).
constexpr std::string_view kV2 = R"sql(
CREATE INDEX IF NOT EXISTS debtors_flags ON debtors (id, deceased_on, bankruptcy_filed_on,
    bankruptcy_closed_on, attorney_represented, cease_communications);
CREATE INDEX IF NOT EXISTS contact_points_best_address ON contact_points (debtor_id,
    status = 'bad', status != 'good', confidence DESC, id, state)
    WHERE kind = 'address' AND state IS NOT NULL;
)sql";

// Version 3: v_aging_input gives what the engine computes (Store::portfolio_table, as of a date on
// or after everything recorded): the state of the primary debtor's best address (the accounts
// table's own `state` column is never filled), and the columns the portfolio has beside it (last
// contact, broken promises, the compliance flags), so the view's rows are the portfolio's rows.
// A view holds no data: it is dropped and created again.
constexpr std::string_view kV3 = R"sql(
DROP VIEW IF EXISTS v_aging_input;
CREATE VIEW v_aging_input AS
SELECT a.id AS account_id,
       s.balance_cents,
       CASE WHEN s.balance_cents > 0
            THEN coalesce(a.oldest_unpaid_due, a.first_delinquency_on, a.charged_off_on, a.opened_on)
       END AS oldest_unpaid_due,
       pd.debtor_id,
       s.principal_cents, s.interest_cents, s.fees_cents + s.costs_cents AS fees_cents,
       a.charged_off_on AS charge_off_date,
       a.first_delinquency_on AS date_of_first_delinquency,
       s.last_payment_on AS last_payment_date,
       (SELECT max(substr(e.at, 1, 10)) FROM contact_event_debts cd
          JOIN contact_events e ON e.id = cd.event_id
         WHERE cd.account_id = a.id) AS last_contact_date,
       (SELECT count(DISTINCT pa.plan_id) FROM plan_accounts pa
          JOIN plan_events pe ON pe.plan_id = pa.plan_id AND pe.type = 'broken'
         WHERE pa.account_id = a.id) AS broken_promises,
       a.status,
       (SELECT c.state FROM contact_points c
         WHERE c.debtor_id = pd.debtor_id AND c.kind = 'address' AND c.state IS NOT NULL
         ORDER BY c.status = 'bad', c.status != 'good', c.confidence DESC, c.id LIMIT 1) AS state,
       a.client, a.portfolio, a.queue, a.collector,
       (a.status = 'disputed'
        OR EXISTS (SELECT 1 FROM disputes d WHERE d.account_id = a.id AND d.resolved_on IS NULL))
         AS disputed,
       coalesce((SELECT 1 FROM json_each(db.cease_communications) c
                  WHERE json_extract(c.value, '$.account_id') = a.id
                    AND json_extract(c.value, '$.withdrawn_on') IS NULL LIMIT 1), 0) AS cease,
       (a.status = 'bankrupt'
        OR coalesce(db.bankruptcy_filed_on IS NOT NULL AND db.bankruptcy_closed_on IS NULL, 0))
         AS bankruptcy,
       (a.status = 'deceased' OR db.deceased_on IS NOT NULL) AS deceased,
       coalesce(db.attorney_represented, 0) != 0 AS attorney
FROM accounts a
JOIN account_state s ON s.account_id = a.id
LEFT JOIN account_debtors pd ON pd.account_id = a.id AND pd.role = 'primary'
LEFT JOIN debtors db ON db.id = pd.debtor_id;
)sql";

// Version 4: the intents of outputs (arrears.outputs). A row is written in the transaction of
// the records its files stand for (the letters of a campaign, a Metro 2 submission, a nightly
// step), while the files wait in a staging folder; after the commit they are renamed into place
// and the row marked published. A row still 'committed' after a crash is an output to finish
// publishing; a staging folder without a row is one to remove.
constexpr std::string_view kV4 = R"sql(
CREATE TABLE IF NOT EXISTS outputs (
    key          TEXT PRIMARY KEY,
    folder       TEXT NOT NULL,
    staging      TEXT NOT NULL,
    entries      TEXT NOT NULL,
    state        TEXT NOT NULL CHECK (state IN ('committed', 'published')),
    committed_at TEXT NOT NULL,
    published_at TEXT
) STRICT;
CREATE INDEX IF NOT EXISTS outputs_committed ON outputs (state) WHERE state = 'committed';
)sql";

const std::vector<Migration>& migrations() {
    static const std::vector<Migration> all{
        {1, "the domain: debtors, contact points, accounts, ledger, plans (with their evaluations and "
            "re-agings), contacts, disputes, campaigns and letters, Metro 2 submissions, bucket "
            "history, settings, audit log",
         kV1},
        {2, "indexes for the batch read: debtor flags, each debtor's best address", kV2},
        {3, "v_aging_input as the portfolio: the debtor's best-address state, last contact, broken "
            "promises and the compliance flags",
         kV3},
        {4, "outputs: the intent of every file an arrears step writes, recorded with its records", kV4},
    };
    return all;
}

int latest_version() noexcept { return migrations().back().version; }

const std::vector<AuditedTable>& audited_tables() {
    static const std::vector<AuditedTable> t{
        {"settings", "key"},       {"debtors", "id"},         {"contact_points", "debtor_id"},
        {"consents", "debtor_id"}, {"accounts", "id"},        {"account_debtors", "account_id"},
        {"plans", "id"},           {"plan_accounts", "plan_id"}, {"disputes", "id"},
        {"campaigns", "id"},
    };
    return t;
}

const std::vector<std::string_view>& append_only_tables() {
    static const std::vector<std::string_view> t{"audit_log", "transactions", "contact_events",
                                                 "contact_event_debts", "letters",
                                                 "metro2_submissions", "metro2_reported",
                                                 "metro2_excluded", "reagings", "bucket_history"};
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
