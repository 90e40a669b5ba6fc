// The replay order of a ledger's entries (private to the ledger area: Ledger::post and
// next_payment_entry decide "does this entry sort last" with the same function).
#pragma once

#include "arrears/ledger.hpp"

namespace arrears::ledger_order {

// Order of the entries within one effective date: interest accrued through the day is posted
// first (so a payment that day can pay it), then debits, then credits; a reversal always comes
// after the payment it reverses, and the NSF fee of a returned payment after the reversal (so
// the returned payment never "pays" its own fee).
inline constexpr int rank(const LedgerEntry& e) noexcept {
    switch (e.type) {
        case TransactionType::interest: return 0;
        case TransactionType::charge: return 1;
        case TransactionType::fee: return e.reverses ? 6 : 2;
        case TransactionType::adjustment: return 3;
        case TransactionType::payment: return 4;
        case TransactionType::payment_reversal: return 5;
        case TransactionType::settlement_discount: return 7;
        case TransactionType::write_off: return 8;
    }
    return 9;
}

// The replay order: effective date, type rank, then the entry's content; the arrival id only
// separates entries whose content is identical (and which are therefore interchangeable).
// A reversal effective on its payment's own date sorts immediately after that payment, so the
// pair cancels out exactly as if the payment had never been posted. `target` finds an earlier
// entry by id (a reversal's payment).
template <class Target>
inline bool replay_before(const LedgerEntry& a0, const LedgerEntry& b0, Target&& target) {
    auto anchor = [&](const LedgerEntry& e) -> const LedgerEntry& {
        if (e.type == TransactionType::payment_reversal) {
            const LedgerEntry& paid = target(*e.reverses);
            if (paid.effective == e.effective) return paid;
        }
        return e;
    };
    const LedgerEntry& a = anchor(a0);
    const LedgerEntry& b = anchor(b0);
    if (a.id == b.id)  // a payment and its same-day reversal (or an entry and itself)
        return a0.type != TransactionType::payment_reversal &&
               b0.type == TransactionType::payment_reversal;
    const auto da = to_days(a.effective), db = to_days(b.effective);
    if (da != db) return da < db;
    if (rank(a) != rank(b)) return rank(a) < rank(b);
    if (a.reference != b.reference) return a.reference < b.reference;
    if (a.amount.minor() != b.amount.minor()) return a.amount.minor() < b.amount.minor();
    const int ca = a.component ? static_cast<int>(*a.component) : -1;
    const int cb = b.component ? static_cast<int>(*b.component) : -1;
    if (ca != cb) return ca < cb;
    if (a.note != b.note) return a.note < b.note;
    return a.id < b.id;
}

}  // namespace arrears::ledger_order
