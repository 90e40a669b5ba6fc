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

#include "arrears/account.hpp"
#include "arrears/contact_attempt.hpp"
#include "arrears/contact_policy.hpp"
#include "arrears/arrow_import.hpp"
#include "arrears/csv.hpp"
#include "arrears/date.hpp"
#include "arrears/debtor.hpp"
#include "arrears/metro2.hpp"
#include "arrears/metro2_profile.hpp"
#include "arrears/parallel.hpp"
#include "arrears/payment_plan.hpp"
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

// Rows to import: a CSV file (read_csv / read_csv_file) or any Arrow table (pyarrow, pandas,
// polars ...), read cell by cell with the place of each row for messages ("line 12", "row 12").
class ImportSource {
public:
    static ImportSource from_csv(CsvTable csv);
    static ImportSource from_arrow(std::shared_ptr<const ArrowImport> table, std::string name = "data");

    const std::string& name() const noexcept { return name_; }
    std::size_t rows() const noexcept { return rows_; }
    const std::vector<std::string>& columns() const noexcept { return columns_; }
    // Where row r came from, for messages: "line 12" (CSV) or "row 12" (1-based).
    std::string where(std::size_t row) const;
    // Problems found while reading (CSV records of the wrong shape or encoding).
    const std::vector<CsvProblem>& read_problems() const noexcept { return read_problems_; }

    // A cell as text: nullopt for null or an empty CSV field. Integers are written in decimal,
    // dates as ISO, booleans as true/false. A float cell is refused for money by the caller.
    struct Cell {
        enum class Kind : std::uint8_t { null, text, integer, real, date, boolean } kind = Kind::null;
        std::string text;
        std::int64_t integer = 0;
    };
    Cell cell(std::size_t column, std::size_t row) const;
    // The text of a cell without a copy, when the column holds text (CSV, Arrow strings);
    // nullopt for a null, empty or non-text cell (use cell() for those).
    std::optional<std::string_view> text_view(std::size_t column, std::size_t row) const;
    bool is_text_column(std::size_t column) const noexcept;

private:
    std::string name_;
    std::size_t rows_ = 0;
    std::vector<std::string> columns_;
    std::vector<std::size_t> lines_;  // CSV: line of each row
    std::vector<CsvProblem> read_problems_;
    std::shared_ptr<const CsvTable> csv_;
    std::shared_ptr<const ArrowImport> arrow_;
    // Arrow columns pre-read by kind.
    struct ArrowColumn {
        Cell::Kind kind = Cell::Kind::text;
        StringColumn text;
        ColumnData<std::int64_t> integer;
        ColumnData<double> real;
        ColumnData<std::int32_t> days;
        ColumnData<std::uint8_t> flag;
    };
    std::vector<ArrowColumn> arrow_columns_;
};

struct ImportProblem {
    std::string where;   // "line 12" / "row 12"
    std::string column;  // the source column, empty when the row as a whole is at fault
    std::string reason;  // never holds an SSN or a date of birth
    std::string message() const;
};

struct ImportOptions {
    // Load the good rows and report the bad ones (default: all or nothing per file).
    bool keep_good = false;
    // Source column -> arrears field, for files whose headers differ (docs/store.md lists the
    // fields of each import).
    std::vector<std::pair<std::string, std::string>> mapping;
    std::string currency = "USD";  // when the file has no currency column
};

struct ImportReport {
    std::string kind;    // debtors, accounts, contacts, payments
    std::string source;
    std::size_t rows = 0;
    std::size_t inserted = 0;
    std::size_t updated = 0;
    std::size_t unchanged = 0;  // already in the store as given (re-imports are idempotent)
    std::size_t rejected = 0;
    std::vector<ImportProblem> problems;
    bool committed = false;  // false: nothing was written (all-or-nothing with problems)
};

// What Store::evaluate_plans does (docs/store.md, "Plans").
struct PlanRunOptions {
    std::vector<std::string> plan_ids;  // empty: every plan not yet broken, completed or cancelled
    unsigned threads = 0;               // evaluation threads (0: hardware concurrency)
    Progress* progress = nullptr;       // plans evaluated; cancelling rolls everything back
};

// One letter sent, as arrears.letters.Campaign.run hands it to its `log` sink.
struct LetterRecord {
    std::string letter_id;        // "<campaign>-000001", unique in the store
    std::string campaign;
    std::string account_id;
    std::string channel;          // mail | email
    std::string letter;           // the letter kind (validation_notice, reminder ...)
    std::string language;         // en | es
    std::string template_sha256;
    Date sent{};
    std::optional<Instant> send_at;
    std::int64_t batch = 0;
    std::string file;
    std::optional<std::int64_t> offset;
    std::optional<std::int64_t> length;
};

struct LetterLogOptions {
    // From the campaign, when the sink knows it: how many selected accounts got no letter, and
    // why (JSON object reason -> count).
    std::optional<std::int64_t> suppressed;
    std::string suppressed_by_reason;
};

struct Metro2RunOptions {
    std::vector<std::string> account_ids;  // empty: every account in the store
    std::string path;       // the file's path: its name is recorded (the caller writes the text)
    std::string newline = "\n";
    bool record = true;     // false: build the file, write and record nothing (a dry run)
    unsigned threads = 0;
    Progress* progress = nullptr;  // accounts mapped; cancelling records and writes nothing
};

struct Metro2Excluded {
    std::string account_id;
    std::string code;
    std::string message;
};

struct Metro2Run {
    std::string text;                      // the file
    std::optional<std::int64_t> submission_id;  // when recorded
    std::string sha256;
    std::vector<std::string> reported;     // account ids, in file order
    std::vector<Metro2Excluded> excluded;  // accounts left out, with the reason
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
    // Changes since the connection opened: (PRAGMA data_version, sqlite3_total_changes). It
    // differs from an earlier reading when anything was written (by this or another
    // connection), so results computed from the store can be cached against it.
    std::pair<std::int64_t, std::int64_t> change_counter() const;
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

    // Batch runs (the nightly job): a step of a run is recorded once it committed, so re-running
    // a date skips what is done. `detail_json` is the step's summary.
    void mark_run_step(std::string_view kind, Date as_of, std::string_view step, std::string_view detail_json);
    // The recorded detail of a finished step, or nullopt when it has not run for that date.
    std::optional<std::string> run_step(std::string_view kind, Date as_of, std::string_view step) const;

    // Output intents (src/store/outputs.cpp; the protocol is arrears.outputs, docs/development.md
    // "Writing files"): an output's key, the folder its entries are published into, the staging
    // folder that holds them and their list (JSON), recorded as 'committed' inside the write
    // transaction of the records the output stands for (or one of its own). ConflictError when
    // the key was recorded before, unless `replace` (an output rewritten by every run, such as a
    // run's summary). After the entries were renamed into place the output is marked published;
    // NotFoundError for an unknown key.
    void record_output(std::string_view key, std::string_view folder, std::string_view staging,
                       std::string_view entries_json, bool replace = false);
    void mark_output_published(std::string_view key);

    // Runs fn inside one write transaction (BEGIN IMMEDIATE ... COMMIT); any exception rolls
    // everything back and propagates. Nested calls join the outer transaction.
    void write(const std::function<void()>& fn);
    // The same as explicit calls, for callers that cannot pass a function (Python's `with`):
    // begin() nests; only the outermost commit() commits; rollback() undoes the whole
    // transaction and ends it at every level.
    void begin();
    void commit();
    void rollback();
    bool in_transaction() const noexcept;
    // Appends an audit entry (the triggers log row changes; this logs batch operations).
    void audit(std::string_view action, std::string_view table, std::string_view key,
               std::string_view detail_json);

    // --- the domain (src/store/domain.cpp) ---------------------------------------------------
    // Debtors: upserted by id with their contact points and consents (rows are only rewritten,
    // and audited, when something changed).
    void save_debtor(const Debtor& debtor);
    Debtor load_debtor(std::string_view id) const;  // NotFoundError
    bool has_debtor(std::string_view id) const;
    // Accounts: the descriptive fields are upserted; journal entries the store does not have yet
    // are appended (the journal is append-only); account_state is rewritten from the replay.
    // ConflictError when the store holds entries the given account lacks (a stale copy: reload
    // it), or when a stored entry differs from the account's.
    void save_account(const Account& account);
    Account load_account(std::string_view id) const;  // NotFoundError
    bool has_account(std::string_view id) const;
    // Ids of all accounts, or of one debtor's accounts, sorted.
    std::vector<std::string> account_ids(std::string_view debtor_id = {}) const;
    // Load, change and save one account in one write transaction.
    void update_account(std::string_view id, const std::function<void(Account&)>& change);
    // Posts the interest accrued through `through` on every interest-bearing account (one
    // transaction); returns the accounts that got an accrual and the interest posted (minor
    // units, any currency summed per account's own currency is the caller's concern).
    std::pair<std::size_t, std::int64_t> accrue_interest(Date through, Instant posted_at);
    // Bucket history: appends the moves of an as-of date (columns account_id, from_bucket,
    // to_bucket, from_dpd, to_dpd, as from bucket_moves); a second run for the same date adds
    // nothing. Returns the rows added.
    std::size_t record_bucket_moves(const ArrowImport& moves, Date as_of);

    // --- imports (src/store/imports.cpp) ----------------------------------------------------
    // Each import runs in one write transaction. Without keep_good, any problem rolls the whole
    // file back (report.committed == false). Upserts are by id, so re-importing a file changes
    // nothing the second time. The imports that post to ledgers take `posted_at`, the instant
    // recorded on their postings (the core reads no clock: the caller supplies "now").
    ImportReport import_debtors(const ImportSource& source, const ImportOptions& options = {});
    ImportReport import_accounts(const ImportSource& source, Instant posted_at,
                                 const ImportOptions& options = {});
    // Skip-trace and other contact files: new addresses, phones, emails with source and
    // confidence; a point already known for the debtor is updated, not duplicated.
    ImportReport import_contacts(const ImportSource& source, const ImportOptions& options = {});
    // Payments are posted to the accounts' ledgers through the payment waterfall (a payment that
    // sorts after everything on its account is posted on its account_state, next_payment_entry in
    // account_state.hpp; others through the account's ledger). A payment whose (account,
    // reference) is already posted and not reversed is "unchanged".
    ImportReport import_payments(const ImportSource& source, Instant posted_at,
                                 const ImportOptions& options = {});

    // --- contact history and the compliance gate (src/store/contacts.cpp) --------------------
    // Appends contact events (append-only) in one transaction; `collector` names who made them.
    void record_contacts(const std::vector<ContactAttempt>& attempts, std::string_view collector = {});
    // Contact history from `since` (inclusive) to `until` (exclusive), one row per (event, debt):
    // event_id, consumer_id, account_id, at, channel, direction, outcome, consent, tags.
    Table contact_history(Instant since, Instant until) const;
    // The compliance gate of a call worklist: for each account id (its primary debtor is the
    // consumer), whether a contact on `channel` at `at` is allowed, when it next is, and the
    // rule that blocks it. The consumers are built from the stored debtors as of `at` (open
    // disputes pause their accounts); the history is every stored contact of the last
    // `history_days` days. `base` applies to everyone; with state_overlays, consumers whose best
    // address is in a state with an overlay (ContactPolicy::overlay_codes) get that overlay too.
    // Columns: account_id, consumer_id, call_allowed, next_allowed_at, window_end_at,
    // blocked_rule, citation.
    Table check_contacts(const std::vector<std::string>& account_ids, Instant at, ContactChannel channel,
                         const ContactPolicy& base, bool state_overlays = true, int history_days = 14,
                         unsigned threads = 0) const;

    // --- the batch engine (src/store/portfolio_load.cpp) -------------------------------------
    // The columns the portfolio engine needs for every account as of a date, straight into
    // columnar buffers: account_id, balance_cents, oldest_unpaid_due, debtor_id, principal_cents,
    // interest_cents, fees_cents, charge_off_date, date_of_first_delinquency, last_payment_date,
    // last_contact_date, status, state, client, portfolio, queue, collector, disputed, cease,
    // bankruptcy, deceased, attorney. Accounts whose first posting (the placement) is after
    // as_of are not in the portfolio yet. Balances come from account_state when nothing on the
    // account is effective after as_of, else from a replay of its ledger.
    Table portfolio_table(Date as_of) const;

    // --- plans (src/store/plans.cpp) -----------------------------------------------------------
    // Saves a plan (an agreement): the plan needs an id; its accounts (and debtor, when given)
    // must be in the store, in the plan's currency, and in no other open plan. Saving the same
    // plan again changes nothing; saving it cancelled (PaymentPlan::cancel) records the
    // cancellation; any other change of a saved plan is a ConflictError (cancel it and save a new
    // one). A new plan moves its accounts from active (or promise) to plan (promise for a promise
    // to pay) when the account lifecycle allows.
    void save_plan(const PaymentPlan& plan);
    PaymentPlan load_plan(std::string_view id) const;  // NotFoundError
    bool has_plan(std::string_view id) const;
    // Plans sorted by id; account_id: only plans covering that account; status: only plans with
    // that status at their last evaluation.
    std::vector<PaymentPlan> load_plans(std::string_view account_id = {},
                                        std::optional<PlanStatus> status = std::nullopt) const;
    // The payments that count for a plan: the unreversed payments on its accounts effective on or
    // after the plan date (a payment reversed on or before as_of does not count).
    std::vector<Payment> plan_payments(std::string_view plan_id, Date as_of) const;
    // Evaluates every open plan (or options.plan_ids) as of a date against the payments in the
    // ledgers, in one write transaction: statuses, installment states and events are stored; a
    // completed settlement posts its settlement discount on each account's ledger; accounts move
    // to settled / paid (balance cleared) or back to active (plan over). Idempotent: evaluating
    // again as of the same date changes nothing. ConflictError when a plan was already evaluated
    // as of a later date. Returns one row per new event of each plan whose status changed or
    // that has new events: plan_id, debtor_id, kind, previous_status, status, status_date, event,
    // event_date, installment, amount_cents, account_id, detail. `posted_at`: the instant
    // recorded on the settlement-discount postings.
    Table evaluate_plans(Date as_of, Instant posted_at, const PlanRunOptions& options = {});
    // Open accounts (active, legal) whose ledger balance as of a date is zero or less and that
    // are in no open plan move to status paid, effective on the payment that cleared them, in one
    // write transaction (src/store/closing.cpp). Returns their ids. Idempotent.
    std::vector<std::string> close_paid_accounts(Date as_of);
    // Re-agings of an account (the previous_reages of decide_reaging), and recording one.
    std::vector<Date> reage_dates(std::string_view account_id) const;
    void record_reaging(std::string_view account_id, Date reaged_on, std::string_view plan_id,
                        int days_past_due_before, std::string_view reason);

    // --- disputes (src/store/disputes.cpp) -----------------------------------------------------
    // A dispute received about an account (written or oral; within the validation period or
    // not); returns its id. Open until resolved; a written dispute within the validation period
    // pauses collection letters until the verification is sent (12 CFR 1006.38(d)(2)). The
    // Metro 2 file reports XB while it is open and XH / XC / XR as it is resolved.
    std::int64_t record_dispute(std::string_view account_id, Date received_on, bool written = true,
                                bool within_validation = true);
    void record_verification(std::int64_t dispute_id, Date sent_on);
    // resolution: resolved (verified or corrected), resolved_disagrees (the consumer disagrees
    // with the outcome) or withdrawn. ConflictError for a dispute already resolved.
    void resolve_dispute(std::int64_t dispute_id, std::string_view resolution, Date resolved_on);

    // --- letters (src/store/letters.cpp) --------------------------------------------------------
    // The columns of arrears.letters.LETTER_COLUMNS for each account (all accounts, sorted, when
    // account_ids is empty), as of a date: the itemization from the ledger, the primary debtor's
    // best mailing address, e-mail and language, the flags that drive suppression (deceased,
    // bankruptcy, attorney, cease for this debt, open dispute pausing collection, e-mail opt-out)
    // and initial_communication / english_notice_sent from the communication history; plus
    // debtor_id. NotFoundError for an unknown account id.
    Table letter_table(const std::vector<std::string>& account_ids, Date as_of,
                       unsigned threads = 0, Progress* progress = nullptr) const;
    // The sink of a letter campaign: records every letter in `letters` and as a contact event
    // (channel letter or email, outbound, delivered) with its debt, and the campaign in
    // `campaigns`, all in one transaction. ConflictError when the campaign (or a letter id) was
    // logged before; ValidationError naming the record and field for bad records; nothing is
    // written then. Returns the letters logged.
    std::size_t log_letters(const std::vector<LetterRecord>& records,
                            const LetterLogOptions& options = {});

    // --- Metro 2 (src/store/metro2.cpp) ---------------------------------------------------------
    // The monthly Metro 2 file as of a date (the header's activity date): stored accounts and
    // debtors mapped to account facts (docs/metro2.md), records built and checked, the file's
    // text returned, and the submission with what was reported per account and what was left
    // out recorded, all in one transaction (joined when one is open: the caller writes the text
    // and records its output intent in it). ConflictError when a file for that activity date
    // and identification number was recorded before.
    Metro2Run metro2_monthly_file(Date as_of, const HeaderRecord& header, const Metro2Profile& profile,
                                  const Metro2RunOptions& options = {});

    // For the store's own modules (imports, domain persistence): the raw sqlite3*.
    void* native_handle() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace arrears
