// Bulk reads for the store's batch calls (letter_table, metro2_monthly_file, evaluate_plans):
// accounts with their ledgers and their debtors, read in chunks (SQLite on the calling thread),
// parsed and replayed on worker threads. Private to the store.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "arrears/account.hpp"
#include "arrears/debtor.hpp"
#include "arrears/parallel.hpp"
#include "arrears/store.hpp"
#include "store/sqlite.hpp"

namespace arrears::store_detail {

// The columns of a journal row, in the order entry_from_row reads them.
inline constexpr std::string_view kEntryColumns =
    "seq, type, effective_date, posted_at, amount_cents, currency, reference, note, component, "
    "reverses, reason, principal_cents, interest_cents, fees_cents, costs_cents, unapplied_cents";
// A journal row (kEntryColumns starting at column `first`) as a ledger entry.
LedgerEntry entry_from_row(const sql::Statement& st, int first = 0);

// A JSON array of the ids, for `json_each(?)` joins.
std::string ids_json(const std::vector<std::string>& ids);
std::string ids_json(const std::vector<std::string_view>& ids);

// Every account id in the store, sorted; or the given ids checked (NotFoundError naming the
// first unknown one; a duplicate is a ValidationError).
std::vector<std::string> resolve_account_ids(sqlite3* db, const std::vector<std::string>& ids);

using DebtorMap = std::unordered_map<std::string, Debtor>;

// Loads the accounts (with their ledgers replayed) and the debtors on them, `chunk` accounts at
// a time, and calls fn(index, account, debtors) for each, on up to `threads` threads (fn must be
// safe to call concurrently for different indexes). `before_chunk(begin, end)` runs on the
// calling thread before each chunk's accounts are handed out (for per-chunk SQL reads).
// `progress` (when given) gets the accounts done after each chunk; a cancel (Ctrl-C, or the
// callback returning false) throws Cancelled between chunks.
void for_each_account(sqlite3* db, const std::vector<std::string>& ids, unsigned threads,
                      const std::function<void(std::size_t begin, std::size_t end)>& before_chunk,
                      const std::function<void(std::size_t index, const Account& account,
                                               const DebtorMap& debtors)>& fn,
                      Progress* progress = nullptr, std::size_t chunk = 8192);

}  // namespace arrears::store_detail
