// Store::close_paid_accounts: open accounts whose balance is cleared move to status paid.
#include <string>
#include <vector>

#include "arrears/account.hpp"
#include "arrears/store.hpp"
#include "arrears/json.hpp"
#include "store/impl.hpp"
#include "store/sqlite.hpp"

namespace arrears {

std::vector<std::string> Store::close_paid_accounts(Date as_of) {
    if (impl_->options.read_only)
        throw StorageError(SQLITE_READONLY, "store: " + quote(impl_->path) + " is open read-only");
    check_date(as_of, "as_of");
    const std::string as_of_iso = to_iso(as_of);
    std::vector<std::string> closed;
    write([&] {
        sqlite3* db = impl_->handle();
        // Candidates from the derived balances; each is confirmed on its replayed ledger as of the
        // date (a payment dated after as_of does not close an account today). Accounts in an open
        // plan are left to the plan's evaluation (completed: paid or settled).
        std::vector<std::string> ids;
        {
            sql::Statement st(db, R"sql(
                SELECT a.id FROM accounts a JOIN account_state s ON s.account_id = a.id
                WHERE s.balance_cents <= 0 AND a.status IN ('active', 'legal')
                  AND NOT EXISTS (SELECT 1 FROM plan_accounts pa JOIN plans p ON p.id = pa.plan_id
                                  WHERE pa.account_id = a.id
                                    AND p.status IN ('active', 'current', 'delinquent'))
                ORDER BY a.id)sql");
            while (st.step()) ids.emplace_back(st.text(0));
        }
        for (const std::string& id : ids) {
            Account a = load_account(id);
            const Ledger& ledger = a.ledger();
            if (ledger.entries().empty() || ledger.balance(as_of).total().is_positive()) continue;
            // Effective on the payment that cleared it (as_of when none: a write-off or credit).
            Date on = ledger.last_payment_date().value_or(as_of);
            if (to_days(as_of) < to_days(on)) on = as_of;
            const Date last = a.status_history().back().effective;
            if (to_days(on) < to_days(last)) on = last;
            a.set_status(AccountStatus::paid, on, "balance paid in full");
            save_account(a);
            closed.push_back(id);
        }
        audit("batch", "accounts", as_of_iso, Json{{"closed_paid", closed.size()}}.dump());
    });
    return closed;
}

}  // namespace arrears
