// Bulk reads for the store's batch calls (see bulk.hpp).
#include "store/bulk.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <unordered_set>

#include "arrears/json.hpp"
#include "arrears/parallel.hpp"

namespace arrears::store_detail {

LedgerEntry entry_from_row(const sql::Statement& st, int first) {
    const int f = first;
    LedgerEntry e;
    e.id = st.int64(f);
    e.type = parse_transaction_type(st.text(f + 1), "transactions.type");
    e.effective = parse_date(st.text(f + 2), "transactions.effective_date");
    e.posted_at = parse_instant(st.text(f + 3), "transactions.posted_at");
    const Currency c = Currency::of(st.text(f + 5), "transactions.currency");
    e.amount = Money(st.int64(f + 4), c);
    e.reference = std::string(st.text(f + 6));
    e.note = std::string(st.text(f + 7));
    if (!st.is_null(f + 8)) e.component = parse_component(st.text(f + 8), "transactions.component");
    if (!st.is_null(f + 9)) e.reverses = st.int64(f + 9);
    if (!st.is_null(f + 10)) e.reason = parse_reversal_reason(st.text(f + 10), "transactions.reason");
    e.posted_allocation.currency = c;
    for (std::size_t k = 0; k < kComponentCount; ++k)
        e.posted_allocation.parts[k] = st.int64(f + 11 + static_cast<int>(k));
    e.posted_allocation.unapplied = st.int64(f + 15);
    e.posted_allocation.transaction_id = e.id;
    return e;
}

namespace {

// Accounts of one portfolio share their ledger terms, and the terms are half of an account's
// JSON. The stored JSON (nlohmann's dump: sorted keys, no blanks) has them as the top-level
// `,"terms":{...}` (no nested object has a "terms" key): cut it out so each distinct terms text is
// parsed once. false when the text does not have that shape (the caller parses it whole).
bool split_terms(std::string_view data, std::string_view& terms, std::string& rest) {
    static constexpr std::string_view key = ",\"terms\":{";
    const std::size_t at = data.find(key);
    if (at == std::string_view::npos) return false;
    const std::size_t open = at + key.size() - 1;
    int depth = 0;
    bool in_string = false;
    for (std::size_t i = open; i < data.size(); ++i) {
        const char c = data[i];
        if (in_string) {
            if (c == '\\') ++i;
            else if (c == '"') in_string = false;
            continue;
        }
        if (c == '"') in_string = true;
        else if (c == '{') ++depth;
        else if (c == '}' && --depth == 0) {
            terms = data.substr(open, i + 1 - open);
            rest.assign(data.substr(0, at));
            rest.append(data.substr(i + 1));
            return true;
        }
    }
    return false;
}

template <class Ids>
std::string json_array(const Ids& ids) {
    Json j = Json::array();
    for (const auto& id : ids) j.push_back(std::string(id));
    return j.dump();
}
}  // namespace

std::string ids_json(const std::vector<std::string>& ids) { return json_array(ids); }
std::string ids_json(const std::vector<std::string_view>& ids) { return json_array(ids); }

std::vector<std::string> resolve_account_ids(sqlite3* db, const std::vector<std::string>& ids) {
    std::vector<std::string> out;
    if (ids.empty()) {
        sql::Statement st(db, "SELECT id FROM accounts ORDER BY id");
        while (st.step()) out.emplace_back(st.text(0));
        return out;
    }
    std::unordered_set<std::string_view> seen;
    seen.reserve(ids.size());
    for (std::size_t i = 0; i < ids.size(); ++i)
        if (!seen.insert(ids[i]).second)
            throw ValidationError("account_ids[" + std::to_string(i) + "]: " + quote(ids[i]) +
                                  " is listed twice");
    sql::Statement st(db,
                      "SELECT j.key FROM json_each(?1) j WHERE NOT EXISTS "
                      "(SELECT 1 FROM accounts a WHERE a.id = j.value) ORDER BY j.key LIMIT 1");
    st.bind(1, ids_json(ids));
    if (st.step()) {
        const auto k = static_cast<std::size_t>(st.int64(0));
        throw NotFoundError("account_ids[" + std::to_string(k) + "]: no account " + quote(ids[k]) +
                            " in the store");
    }
    return ids;
}

void for_each_account(sqlite3* db, const std::vector<std::string>& ids, unsigned threads,
                      const std::function<void(std::size_t, std::size_t)>& before_chunk,
                      const std::function<void(std::size_t, const Account&, const DebtorMap&)>& fn,
                      Progress* progress, std::size_t chunk) {
    sql::Statement acc(db, "SELECT j.key, a.data FROM json_each(?1) j JOIN accounts a ON a.id = j.value");
    std::string columns;  // kEntryColumns of t (json_each has columns named type, key ...)
    for (std::size_t pos = 0; pos < kEntryColumns.size();) {
        const std::size_t comma = std::min(kEntryColumns.find(',', pos), kEntryColumns.size());
        std::string_view col = kEntryColumns.substr(pos, comma - pos);
        while (!col.empty() && col.front() == ' ') col.remove_prefix(1);
        columns += (columns.empty() ? "t." : ", t.") + std::string(col);
        pos = comma + 1;
    }
    sql::Statement tx(db, "SELECT j.key, " + columns +
                              " FROM json_each(?1) j JOIN transactions t ON t.account_id = j.value");
    sql::Statement deb(db, "SELECT j.key, d.data FROM json_each(?1) j JOIN debtors d ON d.id = j.value");
    const std::size_t n = ids.size();
    chunk = std::max<std::size_t>(1, chunk);
    if (progress) {
        progress->set_total(n);
        progress->check();
    }
    for (std::size_t begin = 0; begin < n; begin += chunk) {
        const std::size_t end = std::min(n, begin + chunk), m = end - begin;
        const std::vector<std::string> part(ids.begin() + static_cast<std::ptrdiff_t>(begin),
                                            ids.begin() + static_cast<std::ptrdiff_t>(end));
        const std::string part_json = ids_json(part);
        std::vector<std::string> data(m);
        std::vector<std::vector<LedgerEntry>> entries(m);
        acc.bind(1, part_json);
        while (acc.step()) data[static_cast<std::size_t>(acc.int64(0))] = std::string(acc.text(1));
        acc.reset();
        tx.bind(1, part_json);
        while (tx.step()) entries[static_cast<std::size_t>(tx.int64(0))].push_back(entry_from_row(tx, 1));
        tx.reset();
        for (std::size_t i = 0; i < m; ++i)
            if (data[i].empty()) throw NotFoundError("account: no account " + quote(part[i]) + " in the store");

        // The distinct ledger terms of the chunk, each parsed once.
        std::vector<std::string> rest(m);
        std::vector<std::int64_t> terms_of(m, -1);
        std::vector<std::string_view> distinct;
        {
            std::unordered_map<std::string_view, std::int64_t> seen;
            for (std::size_t i = 0; i < m; ++i) {
                std::string_view t;
                if (!split_terms(data[i], t, rest[i])) continue;
                auto [it, fresh] = seen.emplace(t, static_cast<std::int64_t>(distinct.size()));
                if (fresh) distinct.push_back(t);
                terms_of[i] = it->second;
            }
        }
        std::vector<std::optional<LedgerTerms>> terms(distinct.size());
        for (std::size_t k = 0; k < distinct.size(); ++k) {
            try {
                terms[k] = parse_ledger_terms(parse_json(distinct[k], "accounts.data"), "$.terms");
            } catch (const ValidationError& ex) {
                throw StorageError(0, std::string("store: ledger terms cannot be read back: ") + ex.what());
            }
        }
        // Parse and replay on the workers.
        std::vector<std::optional<Account>> accounts(m);
        parallel_for(m, threads, [&](std::size_t b, std::size_t e, unsigned) {
            for (std::size_t i = b; i < e; ++i) {
                try {
                    auto& list = entries[i];
                    std::sort(list.begin(), list.end(),
                              [](const LedgerEntry& x, const LedgerEntry& y) { return x.id < y.id; });
                    if (terms_of[i] >= 0) {
                        accounts[i].emplace(parse_account(parse_json(rest[i], "accounts.data"),
                                                          *terms[static_cast<std::size_t>(terms_of[i])],
                                                          std::move(list)));
                    } else {
                        const Json j = parse_json(data[i], "accounts.data");
                        const JsonView v(j, "$");
                        accounts[i].emplace(parse_account(j, parse_ledger_terms(v.at("terms").json(), "$.terms"),
                                                          std::move(list)));
                    }
                } catch (const ValidationError& ex) {
                    throw StorageError(0, "store: account " + quote(part[i]) +
                                              " cannot be read back: " + ex.what());
                }
                std::string().swap(rest[i]);
            }
        }, 256);
        std::vector<std::string>().swap(data);

        // The debtors on these accounts.
        std::vector<std::string> debtor_ids;
        {
            std::unordered_set<std::string_view> seen;
            for (const auto& a : accounts)
                for (const auto& ad : a->info().debtors)
                    if (seen.insert(ad.debtor_id).second) debtor_ids.push_back(ad.debtor_id);
        }
        std::vector<std::string> debtor_data(debtor_ids.size());
        deb.bind(1, ids_json(debtor_ids));
        while (deb.step()) debtor_data[static_cast<std::size_t>(deb.int64(0))] = std::string(deb.text(1));
        deb.reset();
        std::vector<std::optional<Debtor>> parsed(debtor_ids.size());
        parallel_for(debtor_ids.size(), threads, [&](std::size_t b, std::size_t e, unsigned) {
            for (std::size_t i = b; i < e; ++i) {
                if (debtor_data[i].empty()) continue;  // foreign keys keep this from happening
                try {
                    parsed[i] = parse_debtor(parse_json(debtor_data[i], "debtors.data"));
                } catch (const ValidationError&) {
                    // The message could hold a value of the record; say only which record.
                    throw StorageError(0, "store: debtor " + quote(debtor_ids[i]) + " cannot be read back");
                }
            }
        }, 256);
        DebtorMap debtors;
        debtors.reserve(debtor_ids.size());
        for (std::size_t i = 0; i < debtor_ids.size(); ++i)
            if (parsed[i]) debtors.emplace(debtor_ids[i], std::move(*parsed[i]));

        if (before_chunk) before_chunk(begin, end);
        parallel_for(m, threads, [&](std::size_t b, std::size_t e, unsigned) {
            for (std::size_t i = b; i < e; ++i) fn(begin + i, *accounts[i], debtors);
        }, 256);
        if (progress) {
            progress->advance(m);
            progress->check();
        }
    }
}

}  // namespace arrears::store_detail
