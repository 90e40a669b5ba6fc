// The batch engine's fast path: every account's aging and strategy columns as of a date, read
// straight into columnar buffers (no per-row objects).
#include <nlohmann/json.hpp>
#include <string>
#include <unordered_map>

#include "arrears/json.hpp"
#include "arrears/store.hpp"
#include "store/impl.hpp"
#include "store/sqlite.hpp"

namespace arrears {

namespace {

// One pass over accounts with their derived state and primary debtor, in account id order. ?1 is
// the as-of date (ISO). The debtors' flags and the last contacts are read by their own sequential
// queries (below) and joined here in memory: a per-account lookup into the wide debtors table
// cost more than everything else together at 1e6 accounts (random page reads).
constexpr std::string_view kPortfolioSql = R"sql(
WITH open_disputes AS (
    SELECT DISTINCT account_id FROM disputes
    WHERE received_on <= ?1 AND (resolved_on IS NULL OR resolved_on > ?1)
)
SELECT a.id, s.balance_cents, s.principal_cents, s.interest_cents, s.fees_cents + s.costs_cents,
       coalesce(a.oldest_unpaid_due, a.first_delinquency_on, a.charged_off_on, a.opened_on),
       pd.debtor_id, a.charged_off_on, a.first_delinquency_on, s.last_payment_on,
       a.status, a.client, a.portfolio, a.queue, a.collector,
       (a.status = 'disputed' OR od.account_id IS NOT NULL) AS disputed,
       a.status = 'bankrupt', a.status = 'deceased', s.last_effective_on
FROM accounts a
JOIN account_state s ON s.account_id = a.id
LEFT JOIN account_debtors pd ON pd.account_id = a.id AND pd.role = 'primary'
LEFT JOIN open_disputes od ON od.account_id = a.id
WHERE s.first_effective_on IS NULL OR s.first_effective_on <= ?1
ORDER BY a.id
)sql";

// The debtors with any flag as of ?1 (few), through the narrow debtors_flags index: deceased,
// a bankruptcy open on the date, represented by an attorney, and the accounts under a cease
// request in force on the date (JSON array of account ids).
constexpr std::string_view kDebtorFlagsSql = R"sql(
SELECT id, deceased_on IS NOT NULL,
       coalesce(bankruptcy_filed_on <= ?1 AND (bankruptcy_closed_on IS NULL OR bankruptcy_closed_on > ?1), 0),
       coalesce(attorney_represented, 0),
       (SELECT json_group_array(json_extract(c.value, '$.account_id')) FROM json_each(cease_communications) c
        WHERE json_extract(c.value, '$.received_on') <= ?1
          AND coalesce(json_extract(c.value, '$.withdrawn_on') > ?1, 1))
FROM debtors
WHERE deceased_on IS NOT NULL OR bankruptcy_filed_on IS NOT NULL OR attorney_represented != 0
   OR cease_communications IS NOT NULL
)sql";

struct DebtorFlags {
    bool deceased = false, bankruptcy = false, attorney = false;
    std::vector<std::string> cease;  // account ids
};

std::unordered_map<std::string, DebtorFlags> debtor_flags(sqlite3* db, const std::string& as_of_iso) {
    std::unordered_map<std::string, DebtorFlags> out;
    sql::Statement st(db, kDebtorFlagsSql);
    st.bind(1, as_of_iso);
    while (st.step()) {
        DebtorFlags f{st.int64(1) != 0, st.int64(2) != 0, st.int64(3) != 0, {}};
        if (!st.is_null(4))
            for (const auto& v : parse_json(st.text(4), "debtors.cease_communications"))
                if (v.is_string()) f.cease.push_back(v.get<std::string>());
        if (f.deceased || f.bankruptcy || f.attorney || !f.cease.empty())
            out.emplace(std::string(st.text(0)), std::move(f));
    }
    return out;
}

// The last contact date of each account on or before ?1, in account id order (merged with the
// main pass).
constexpr std::string_view kLastContactSql = R"sql(
SELECT d.account_id, max(substr(e.at, 1, 10))
FROM contact_event_debts d JOIN contact_events e ON e.id = d.event_id
WHERE substr(e.at, 1, 10) <= ?1
GROUP BY d.account_id ORDER BY d.account_id
)sql";

// The state of each debtor's best address (good before unknown before bad, then confidence, then
// id), read in one ordered pass: the first row of each debtor is its best. A correlated subquery
// per account cost more than the rest of the portfolio query together.
constexpr std::string_view kBestStateSql = R"sql(
SELECT debtor_id, state FROM contact_points
WHERE kind = 'address' AND state IS NOT NULL
ORDER BY debtor_id, status = 'bad', status != 'good', confidence DESC, id
)sql";

// The number of the account's payment plans, settlements and promises to pay broken on or before
// ?1 (a plan is an agreement to pay: a broken one of any kind counts), in account id order.
constexpr std::string_view kBrokenPromisesSql = R"sql(
SELECT pa.account_id, count(DISTINCT pa.plan_id)
FROM plan_accounts pa
JOIN plan_events e ON e.plan_id = pa.plan_id AND e.type = 'broken' AND e.event_date <= ?1
GROUP BY pa.account_id ORDER BY pa.account_id
)sql";

// A query keyed by account id, in account id order, read alongside the main pass: both are
// ordered byte-wise (SQLite's BINARY collation), so one forward step at a time joins them.
class ByAccount {
public:
    ByAccount(sqlite3* db, std::string_view query, const std::string& as_of_iso) : st_(db, query) {
        st_.bind(1, as_of_iso);
        more_ = st_.step();
    }
    // True when the current row is `account`'s; rows of smaller ids are skipped.
    bool at(std::string_view account) {
        while (more_ && st_.text(0) < account) more_ = st_.step();
        return more_ && st_.text(0) == account;
    }
    const sql::Statement& row() const { return st_; }

private:
    sql::Statement st_;
    bool more_ = false;
};

std::unordered_map<std::string, std::string> best_states(sqlite3* db) {
    std::unordered_map<std::string, std::string> out;
    sql::Statement st(db, kBestStateSql);
    while (st.step()) out.try_emplace(std::string(st.text(0)), st.text(1));
    return out;
}

struct DateColumn {
    std::vector<std::int32_t> days;
    std::vector<std::uint8_t> valid;
    void push_null() {
        days.push_back(0);
        valid.push_back(0);
    }
    void push(const sql::Statement& st, int c) {
        if (st.is_null(c)) {
            push_null();
        } else {
            days.push_back(days_since_epoch(parse_date(st.text(c))));
            valid.push_back(1);
        }
    }
};

struct TextColumn {
    std::shared_ptr<StringColumn> values = std::make_shared<StringColumn>();
    bool nulls = false;
    void push_null() {
        if (values->valid.empty()) values->valid.assign(values->size(), 1);
        values->valid.push_back(0);
        values->push_back({});
        nulls = true;
    }
    void push(std::string_view text) {
        if (!values->valid.empty()) values->valid.push_back(1);
        values->push_back(text);
    }
    void push(const sql::Statement& st, int c) {
        if (st.is_null(c)) push_null();
        else push(st.text(c));
    }
};

}  // namespace

Table Store::portfolio_table(Date as_of) const {
    sqlite3* db = impl_->handle();
    const std::string as_of_iso = to_iso(as_of);
    const std::int32_t as_of_days = days_since_epoch(as_of);
    const auto states = best_states(db);
    const auto flags = debtor_flags(db, as_of_iso);
    ByAccount contacts(db, kLastContactSql, as_of_iso);
    ByAccount broken(db, kBrokenPromisesSql, as_of_iso);
    sql::Statement st(db, kPortfolioSql);
    st.bind(1, as_of_iso);
    TextColumn id, debtor, status, state, client, portfolio, queue, collector;
    std::vector<std::int64_t> balance, principal, interest, fees, broken_promises;
    DateColumn due, charge_off, dofd, last_payment, last_contact;
    std::vector<std::uint8_t> disputed, cease, bankruptcy, deceased, attorney;
    std::vector<std::size_t> replay;  // rows whose ledger has entries after as_of
    while (st.step()) {
        const std::size_t row = balance.size();
        id.push(st, 0);
        balance.push_back(st.int64(1));
        principal.push_back(st.int64(2));
        interest.push_back(st.int64(3));
        fees.push_back(st.int64(4));
        due.push(st, 5);  // nulled below where nothing is owed (after any replay)
        debtor.push(st, 6);
        charge_off.push(st, 7);
        dofd.push(st, 8);
        last_payment.push(st, 9);
        const std::string_view account = st.text(0);
        if (contacts.at(account)) last_contact.push(contacts.row(), 1);
        else last_contact.push_null();
        broken_promises.push_back(broken.at(account) ? broken.row().int64(1) : 0);
        status.push(st, 10);
        const DebtorFlags* f = nullptr;
        if (st.is_null(6)) {
            state.push_null();  // no primary debtor
        } else {
            const std::string debtor_id(st.text(6));
            if (const auto it = states.find(debtor_id); it == states.end()) state.push_null();
            else state.push(it->second);
            if (const auto it = flags.find(debtor_id); it != flags.end()) f = &it->second;
        }
        client.push(st, 11);
        portfolio.push(st, 12);
        queue.push(st, 13);
        collector.push(st, 14);
        disputed.push_back(static_cast<std::uint8_t>(st.int64(15) != 0));
        bool ceased = false;
        if (f)
            for (const auto& c : f->cease) ceased = ceased || c == account;
        cease.push_back(static_cast<std::uint8_t>(ceased));
        bankruptcy.push_back(static_cast<std::uint8_t>(st.int64(16) != 0 || (f && f->bankruptcy)));
        deceased.push_back(static_cast<std::uint8_t>(st.int64(17) != 0 || (f && f->deceased)));
        attorney.push_back(static_cast<std::uint8_t>(f && f->attorney));
        if (!st.is_null(18) && days_since_epoch(parse_date(st.text(18))) > as_of_days) replay.push_back(row);
    }
    // Accounts with postings effective after as_of: their balance as of that date comes from a
    // replay of the ledger (the derived state is today's).
    for (std::size_t row : replay) {
        const Account a = load_account(id.values->at(row));
        const Balance b = a.ledger().balance(as_of);
        balance[row] = b.total().minor();
        principal[row] = b.parts[static_cast<std::size_t>(Component::principal)];
        interest[row] = b.parts[static_cast<std::size_t>(Component::interest)];
        fees[row] = b.parts[static_cast<std::size_t>(Component::fees)] + b.parts[static_cast<std::size_t>(Component::costs)];
        std::optional<Date> last;
        for (const auto& t : a.ledger().transactions())
            if (t.type() == TransactionType::payment && !t.reversed_by &&
                std::chrono::sys_days{t.entry.effective} <= std::chrono::sys_days{as_of})
                last = t.entry.effective;
        last_payment.valid[row] = last.has_value();
        last_payment.days[row] = last ? days_since_epoch(*last) : 0;
    }
    // Nothing is past due on a zero or credit balance.
    for (std::size_t row = 0; row < balance.size(); ++row)
        if (balance[row] <= 0) due.valid[row] = 0;
    Table t;
    t.add_strings("account_id", id.values);
    t.add_int64("balance_cents", std::move(balance));
    t.add_date32("oldest_unpaid_due", std::move(due.days), std::move(due.valid));
    t.add_strings("debtor_id", debtor.values);
    t.add_int64("principal_cents", std::move(principal));
    t.add_int64("interest_cents", std::move(interest));
    t.add_int64("fees_cents", std::move(fees));
    t.add_date32("charge_off_date", std::move(charge_off.days), std::move(charge_off.valid));
    t.add_date32("date_of_first_delinquency", std::move(dofd.days), std::move(dofd.valid));
    t.add_date32("last_payment_date", std::move(last_payment.days), std::move(last_payment.valid));
    t.add_date32("last_contact_date", std::move(last_contact.days), std::move(last_contact.valid));
    t.add_int64("broken_promises", std::move(broken_promises));
    t.add_strings("status", status.values);
    t.add_strings("state", state.values);
    t.add_strings("client", client.values);
    t.add_strings("portfolio", portfolio.values);
    t.add_strings("queue", queue.values);
    t.add_strings("collector", collector.values);
    t.add_bool("disputed", std::move(disputed));
    t.add_bool("cease", std::move(cease));
    t.add_bool("bankruptcy", std::move(bankruptcy));
    t.add_bool("deceased", std::move(deceased));
    t.add_bool("attorney", std::move(attorney));
    return t;
}

}  // namespace arrears
