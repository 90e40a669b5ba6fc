#include "arrears/account_state.hpp"

#include "ledger_order.hpp"

namespace arrears {

namespace {

// year_month_day compares as (year, month, day): no conversion to days needed.
bool before(Date a, Date b) { return a < b; }

}  // namespace

AccountState account_state(const Account& account) {
    const Ledger& ledger = account.ledger();
    AccountState s;
    s.balance = ledger.balance();
    s.entries = static_cast<std::int64_t>(ledger.entries().size());
    for (const auto& e : ledger.entries()) {
        if (!s.last_effective || before(*s.last_effective, e.effective)) s.last_effective = e.effective;
        if (!s.first_effective || before(e.effective, *s.first_effective)) s.first_effective = e.effective;
    }
    s.last_payment = account.last_payment_date();
    s.interest_bearing = ledger.terms().interest.accrues();
    // A reversal sorts by its payment (ledger_order::replay_before), which the state does not
    // hold: after one, the last entry counts as unknown.
    if (!ledger.transactions().empty() &&
        ledger.transactions().back().type() != TransactionType::payment_reversal)
        s.last = ledger.transactions().back().entry;
    return s;
}

std::optional<LedgerEntry> next_payment_entry(const AccountState& state, const Waterfall& waterfall,
                                              const Money& amount, Date effective,
                                              std::string_view reference, Instant posted_at) {
    const Currency currency = state.balance.currency;
    if (state.entries == 0 || !state.last_effective || amount.currency() != currency ||
        !amount.is_positive())
        return std::nullopt;
    LedgerEntry e;
    e.id = state.entries + 1;
    e.type = TransactionType::payment;
    e.effective = effective;
    e.posted_at = posted_at;
    e.amount = amount;
    e.reference = std::string(reference);
    const bool sorts_last =
        before(*state.last_effective, effective) ||
        (state.last && state.last->type != TransactionType::payment_reversal &&
         ledger_order::replay_before(*state.last, e,
                                     [&](std::int64_t) -> const LedgerEntry& { return *state.last; }));
    if (!sorts_last) return std::nullopt;
    auto parts = state.balance.parts;
    const CreditSplit split = apply_credit(parts.data(), amount.minor(), waterfall);
    std::int64_t unapplied = 0;
    if (__builtin_add_overflow(state.balance.unapplied, split.unapplied, &unapplied))
        return std::nullopt;  // the replay reports the overflow
    e.posted_allocation.currency = currency;
    e.posted_allocation.parts = split.applied;
    e.posted_allocation.unapplied = split.unapplied;
    e.posted_allocation.transaction_id = e.id;
    return e;
}

void append(AccountState& state, LedgerEntry entry) {
    for (std::size_t c = 0; c < kComponentCount; ++c)
        state.balance.parts[c] -= entry.posted_allocation.parts[c];
    state.balance.unapplied += entry.posted_allocation.unapplied;
    state.entries = entry.id;
    if (!state.first_effective) state.first_effective = entry.effective;
    if (!state.last_effective || before(*state.last_effective, entry.effective))
        state.last_effective = entry.effective;
    if (!state.last_payment || before(*state.last_payment, entry.effective))
        state.last_payment = entry.effective;
    state.last = std::move(entry);
}

}  // namespace arrears
