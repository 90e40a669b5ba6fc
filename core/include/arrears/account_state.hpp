// The derived state of an account, as the store keeps it beside the journal (table
// account_state): the balance after the replay, the journal's size and dates, the last payment.
// It is computed from a replayed account (account_state), and a payment that sorts after every
// entry can be posted on it without the journal (next_payment_entry + append): the imports of
// many payments do that, with the replay order and the allocation rule of Ledger::post, so both
// paths give the same journal entry and the same state.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "arrears/account.hpp"
#include "arrears/allocation.hpp"
#include "arrears/date.hpp"
#include "arrears/ledger.hpp"

namespace arrears {

struct AccountState {
    Balance balance;                       // after the entry that sorts last (Ledger::balance())
    std::int64_t entries = 0;              // journal size: the next entry's id is entries + 1
    std::optional<Date> first_effective;   // the earliest effective date in the journal
    std::optional<Date> last_effective;    // the latest
    std::optional<Date> last_payment;      // Account::last_payment_date()
    bool interest_bearing = false;         // the terms accrue interest
    // The entry that sorts last in the replay, when known: after account_state() (unless it is
    // a reversal) or append(); the store does not keep it. With it a payment effective on the
    // last effective date can still be posted here.
    std::optional<LedgerEntry> last;

    friend bool operator==(const AccountState&, const AccountState&) = default;
};

// The state of a replayed account.
AccountState account_state(const Account& account);

// The journal entry Ledger::post_payment would append for this payment, with the allocation it
// would get, when the state alone decides it: the journal is not empty and the payment sorts
// after every entry (a later effective date than all, or after the known last entry), so
// allocating it on the current balance is what the replay does. `waterfall` is the payment
// waterfall in force on `effective`. nullopt when the full ledger is needed (an empty journal, a
// backdated or earlier-sorting payment, an amount that is not positive or in another currency:
// Ledger::post_payment then decides, and reports errors). The reference is not checked against
// earlier payments: the caller does that (the store by its unique index).
std::optional<LedgerEntry> next_payment_entry(const AccountState& state, const Waterfall& waterfall,
                                              const Money& amount, Date effective,
                                              std::string_view reference, Instant posted_at);

// Advances the state by an entry from next_payment_entry, once it is posted.
void append(AccountState& state, LedgerEntry entry);

}  // namespace arrears
