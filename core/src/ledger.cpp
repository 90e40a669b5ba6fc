#include "arrears/ledger.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>
#include <tuple>
#include <utility>

#include "arrears/error.hpp"
#include "arrears/json.hpp"
#include "enum_names.hpp"
#include "ledger_order.hpp"

namespace arrears {

namespace {

using ledger_order::replay_before;

constexpr std::array<std::string_view, 8> kTypeNames{
    "charge",     "interest",  "fee",       "payment", "payment_reversal",
    "adjustment", "write_off", "settlement_discount"};
constexpr std::array<std::string_view, 4> kReasonNames{"nsf", "chargeback", "error", "other"};

std::int64_t add_checked(std::int64_t a, std::int64_t b, const char* what) {
    std::int64_t out = 0;
    if (__builtin_add_overflow(a, b, &out))
        throw OverflowError(std::string(what) + ": the balance does not fit in 64-bit minor units");
    return out;
}

std::int64_t interest_base(const Ledger::State& s, const LedgerTerms& terms) {
    const std::int64_t p = s.parts[static_cast<std::size_t>(Component::principal)];
    if (!terms.interest.compound) return p;
    return add_checked(p, s.parts[static_cast<std::size_t>(Component::interest)], "interest base");
}

void flush_interest(Ledger::State& s, const LedgerTerms& terms, std::int64_t base, Date to) {
    if (to_days(s.segment_start) < to_days(to)) {
        s.pending.add(interest_between(base, s.segment_start, to, terms.interest));
        s.segment_start = to;
    }
}

Balance snapshot(const Ledger::State& s, Currency c) {
    Balance b;
    b.currency = c;
    b.parts = s.parts;
    b.unapplied = s.unapplied;
    return b;
}

// Applies one entry to the replay state. `view`/`position` hold the transactions applied so
// far (a reversal reads its payment's current allocation there).
Transaction apply(const LedgerTerms& terms, Ledger::State& s, const LedgerEntry& e,
                  const std::vector<Transaction>& view, const std::vector<std::size_t>& position) {
    Transaction t;
    t.entry = e;
    t.amount = e.amount;
    t.allocation.currency = terms.currency;
    t.allocation.transaction_id = e.id;
    auto& alloc = t.allocation;
    if (e.type == TransactionType::interest) {
        flush_interest(s, terms, interest_base(s, terms), e.effective);
        std::int64_t amount = s.pending.round(terms.interest.rounding);
        if (terms.interest.cap) {
            const std::int64_t room = terms.interest.cap->minor() - s.interest_accrued;
            amount = std::clamp<std::int64_t>(amount, 0, room > 0 ? room : 0);
        }
        s.pending = ExactAmount{};
        const auto ix = static_cast<std::size_t>(Component::interest);
        s.parts[ix] = add_checked(s.parts[ix], amount, "interest");
        s.interest_accrued = add_checked(s.interest_accrued, amount, "interest");
        alloc.parts[ix] = amount;
        t.amount = Money(amount, terms.currency);
    } else {
        const std::int64_t base_before = interest_base(s, terms);
        const std::int64_t amount = e.amount.minor();
        switch (e.type) {
            case TransactionType::charge:
            case TransactionType::fee: {
                const auto ix = static_cast<std::size_t>(*e.component);
                s.parts[ix] = add_checked(s.parts[ix], amount, to_string(e.type).data());
                alloc.parts[ix] = amount;
                break;
            }
            case TransactionType::adjustment: {
                const auto ix = static_cast<std::size_t>(*e.component);
                if (amount > 0) {
                    s.parts[ix] = add_checked(s.parts[ix], amount, "adjustment");
                    alloc.parts[ix] = amount;
                } else {
                    const std::int64_t credit = -amount;
                    const std::int64_t take = std::min(credit, s.parts[ix]);
                    s.parts[ix] -= take;
                    alloc.parts[ix] = take;
                    alloc.unapplied = credit - take;
                    s.unapplied = add_checked(s.unapplied, alloc.unapplied, "adjustment");
                }
                break;
            }
            case TransactionType::payment:
            case TransactionType::write_off:
            case TransactionType::settlement_discount: {
                const AllocationPolicy& policy = terms.policy_on(e.effective);
                const Waterfall& w = e.type == TransactionType::payment ? policy.payment
                                     : e.type == TransactionType::write_off
                                         ? policy.write_off
                                         : policy.settlement_discount;
                const CreditSplit split = apply_credit(s.parts.data(), amount, w);
                alloc.parts = split.applied;
                alloc.unapplied = split.unapplied;
                s.unapplied = add_checked(s.unapplied, split.unapplied, "payment");
                break;
            }
            case TransactionType::payment_reversal: {
                const Transaction& paid = view[position[static_cast<std::size_t>(*e.reverses - 1)]];
                for (std::size_t i = 0; i < kComponentCount; ++i)
                    s.parts[i] = add_checked(s.parts[i], paid.allocation.parts[i], "reversal");
                s.unapplied -= paid.allocation.unapplied;  // that credit came from this payment
                alloc.parts = paid.allocation.parts;
                alloc.unapplied = paid.allocation.unapplied;
                break;
            }
            case TransactionType::interest: break;
        }
        const std::int64_t base_after = interest_base(s, terms);
        if (base_after != base_before) flush_interest(s, terms, base_before, e.effective);
    }
    t.balance_after = snapshot(s, terms.currency);
    t.restated = t.amount != e.amount || t.allocation != e.posted_allocation;
    return t;
}

struct Replay {
    std::vector<Transaction> view;
    std::vector<std::size_t> position;
    Ledger::State state;
};

Replay replay(const LedgerTerms& terms, const std::vector<LedgerEntry>& entries) {
    std::vector<std::size_t> order(entries.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    auto target = [&](std::int64_t id) -> const LedgerEntry& {
        return entries[static_cast<std::size_t>(id - 1)];
    };
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return replay_before(entries[a], entries[b], target);
    });
    Replay r;
    r.state.segment_start = terms.opened_on;
    r.view.reserve(entries.size());
    r.position.assign(entries.size(), 0);
    for (std::size_t k : order) {
        const LedgerEntry& e = entries[k];
        Transaction t = apply(terms, r.state, e, r.view, r.position);
        if (e.type == TransactionType::payment_reversal)
            r.view[r.position[static_cast<std::size_t>(*e.reverses - 1)]].reversed_by = e.id;
        r.position[static_cast<std::size_t>(e.id - 1)] = r.view.size();
        r.view.push_back(std::move(t));
    }
    return r;
}

bool date_before(Date a, Date b) { return to_days(a) < to_days(b); }

}  // namespace

std::string_view to_string(TransactionType t) noexcept { return detail::enum_name(kTypeNames, t); }

TransactionType parse_transaction_type(std::string_view name, std::string_view field) {
    return detail::parse_enum<TransactionType>(kTypeNames, name, field, "transaction type");
}

bool is_credit(TransactionType t) noexcept {
    return t == TransactionType::payment || t == TransactionType::write_off ||
           t == TransactionType::settlement_discount;
}

std::string_view to_string(ReversalReason r) noexcept { return detail::enum_name(kReasonNames, r); }

ReversalReason parse_reversal_reason(std::string_view name, std::string_view field) {
    return detail::parse_enum<ReversalReason>(kReasonNames, name, field, "reversal reason");
}

// --- value types -----------------------------------------------------------------------------

Money Allocation::total() const {
    std::int64_t sum = unapplied;
    for (auto p : parts) sum = add_checked(sum, p, "allocation");
    return Money(sum, currency);
}

std::string Allocation::repr() const {
    std::string out = "Allocation(";
    for (Component c : kAllComponents)
        out += std::string(to_string(c)) + "='" + of(c).amount_string() + "', ";
    out += "unapplied='" + unapplied_credit().amount_string() + "', currency='" +
           std::string(currency.code()) + "'";
    if (transaction_id != 0) out += ", transaction_id=" + std::to_string(transaction_id);
    return out + ")";
}

Money Balance::total() const {
    std::int64_t sum = 0;
    for (auto p : parts) sum = add_checked(sum, p, "balance");
    std::int64_t out = 0;
    if (__builtin_sub_overflow(sum, unapplied, &out))
        throw OverflowError("balance: the total does not fit in 64-bit minor units");
    return Money(out, currency);
}

std::string Balance::repr() const {
    std::string out = "Balance(";
    for (Component c : kAllComponents)
        out += std::string(to_string(c)) + "='" + of(c).amount_string() + "', ";
    if (unapplied != 0) out += "unapplied='" + unapplied_credit().amount_string() + "', ";
    return out + "total='" + total().amount_string() + "', currency='" +
           std::string(currency.code()) + "')";
}

Money Transaction::balance_effect() const {
    const Money total = allocation.total();
    switch (entry.type) {
        case TransactionType::payment:
        case TransactionType::write_off:
        case TransactionType::settlement_discount: return -total;
        case TransactionType::adjustment: return entry.amount.is_negative() ? -total : total;
        default: return total;
    }
}

namespace {

// id, type, effective, amount and what is set of reference, component, reverses and reason.
std::string entry_fields(const LedgerEntry& entry, const Money& amount) {
    std::string out = "id=" + std::to_string(entry.id) + ", type='" +
                      std::string(to_string(entry.type)) + "', effective=" + to_iso(entry.effective) +
                      ", amount='" + amount.amount_string() + "'";
    if (!entry.reference.empty()) out += ", reference=" + quote(entry.reference);
    const bool show_component = entry.component && entry.type != TransactionType::interest &&
                                !(entry.type == TransactionType::charge &&
                                  *entry.component == Component::principal);
    if (show_component) out += ", component='" + std::string(to_string(*entry.component)) + "'";
    if (entry.reverses) out += ", reverses=" + std::to_string(*entry.reverses);
    if (entry.reason) out += ", reason='" + std::string(to_string(*entry.reason)) + "'";
    return out;
}

}  // namespace

std::string LedgerEntry::repr() const {
    return "LedgerEntry(" + entry_fields(*this, amount) + ", currency='" +
           std::string(amount.currency().code()) + "')";
}

std::string Transaction::repr() const {
    std::string out = "Transaction(" + entry_fields(entry, amount);
    if (reversed_by) out += ", reversed_by=" + std::to_string(*reversed_by);
    if (restated) out += ", restated=True";
    return out + ", currency='" + std::string(amount.currency().code()) + "')";
}

std::string Itemization::repr() const {
    return "Itemization(itemization_date=" + to_iso(itemization_date) + ", as_of=" +
           to_iso(as_of) + ", on_itemization_date='" + on_itemization_date.amount_string() +
           "', interest='" + interest.amount_string() + "', fees='" + fees.amount_string() +
           "', other_charges='" + other_charges.amount_string() + "', payments='" +
           payments.amount_string() + "', credits='" + credits.amount_string() + "', current='" +
           current.amount_string() + "', currency='" + std::string(current.currency().code()) +
           "')";
}

void LedgerTerms::validate(std::string_view field) const {
    const std::string f(field);
    check_date(opened_on, f + ".opened_on");
    interest.validate(currency, f + ".interest");
    fees.validate(currency, f + ".fees");
    for (std::size_t i = 0; i < allocation_changes.size(); ++i) {
        const std::string at = f + ".allocation_changes[" + std::to_string(i) + "].effective";
        check_date(allocation_changes[i].effective, at);
        if (date_before(allocation_changes[i].effective, opened_on))
            throw ValidationError(at + ": " + to_iso(allocation_changes[i].effective) +
                                  " is before the account opened (" + to_iso(opened_on) + ")");
        if (i > 0 && !date_before(allocation_changes[i - 1].effective, allocation_changes[i].effective))
            throw ValidationError(at + ": " + to_iso(allocation_changes[i].effective) +
                                  " is not after the previous change");
    }
}

const AllocationPolicy& LedgerTerms::policy_on(Date d) const noexcept {
    const AllocationPolicy* p = &allocation;
    for (const auto& change : allocation_changes) {
        if (date_before(d, change.effective)) break;
        p = &change.policy;
    }
    return *p;
}

// --- Ledger ----------------------------------------------------------------------------------

Ledger::Ledger(LedgerTerms terms) : terms_(std::move(terms)) {
    terms_.validate();
    state_.segment_start = terms_.opened_on;
}

void Ledger::rebuild() {
    Replay r = replay(terms_, entries_);
    view_ = std::move(r.view);
    position_ = std::move(r.position);
    state_ = r.state;
}

const Transaction& Ledger::transaction(std::int64_t id) const {
    if (id < 1 || static_cast<std::size_t>(id) > entries_.size())
        throw NotFoundError("transaction_id: no transaction " + std::to_string(id) +
                            " on this ledger (ids run 1.." + std::to_string(entries_.size()) + ")");
    return view_[position_[static_cast<std::size_t>(id - 1)]];
}

Balance Ledger::balance() const { return snapshot(state_, terms_.currency); }

Balance Ledger::balance(Date as_of) const {
    check_date(as_of, "as_of");
    auto it = std::upper_bound(view_.begin(), view_.end(), to_days(as_of),
                               [](std::chrono::sys_days d, const Transaction& t) {
                                   return d < to_days(t.entry.effective);
                               });
    if (it == view_.begin()) {
        Balance zero;
        zero.currency = terms_.currency;
        return zero;
    }
    return std::prev(it)->balance_after;
}

void Ledger::check_effective(Date effective, std::string_view field) const {
    check_date(effective, field);
    if (date_before(effective, terms_.opened_on))
        throw ValidationError(std::string(field) + ": " + to_iso(effective) +
                              " is before the account opened (" + to_iso(terms_.opened_on) + ")");
}

void Ledger::check_amount(const Money& amount, std::string_view field, bool allow_negative) const {
    amount.require_same_currency(Money(0, terms_.currency), field);
    if (allow_negative ? amount.is_zero() : !amount.is_positive())
        throw ValidationError(std::string(field) + ": " + amount.amount_string() + " " +
                              std::string(amount.currency().code()) +
                              (allow_negative ? " is zero; an adjustment must change something"
                                              : " is not positive"));
}

Transaction Ledger::post(LedgerEntry e) {
    e.id = static_cast<std::int64_t>(entries_.size()) + 1;
    e.posted_allocation = Allocation{};
    e.posted_allocation.currency = terms_.currency;
    e.posted_allocation.transaction_id = e.id;
    auto target = [this](std::int64_t id) -> const LedgerEntry& {
        return entries_[static_cast<std::size_t>(id - 1)];
    };
    if (view_.empty() || replay_before(view_.back().entry, e, target)) {
        // Fast path: the entry sorts last, so replaying it alone on the current state is the
        // same as replaying everything.
        State s = state_;
        Transaction t = apply(terms_, s, e, view_, position_);
        e.posted_allocation = t.allocation;
        e.amount = t.amount;
        t.entry = e;
        t.restated = false;
        if (e.type == TransactionType::payment_reversal)
            view_[position_[static_cast<std::size_t>(*e.reverses - 1)]].reversed_by = e.id;
        entries_.push_back(e);
        position_.push_back(view_.size());
        view_.push_back(t);
        state_ = s;
        return t;
    }
    std::vector<LedgerEntry> entries = entries_;
    entries.push_back(e);
    Replay r = replay(terms_, entries);
    Transaction& t = r.view[r.position[static_cast<std::size_t>(e.id - 1)]];
    entries.back().posted_allocation = t.allocation;
    entries.back().amount = t.amount;
    t.entry = entries.back();
    t.restated = false;
    entries_ = std::move(entries);
    view_ = std::move(r.view);
    position_ = std::move(r.position);
    state_ = r.state;
    return view_[position_.back()];
}

Transaction Ledger::post_charge(const Money& amount, Date effective, std::string reference,
                                Component component, Instant posted_at, std::string note) {
    check_amount(amount, "amount", false);
    check_effective(effective, "effective");
    LedgerEntry e;
    e.type = TransactionType::charge;
    e.effective = effective;
    e.posted_at = posted_at;
    e.amount = amount;
    e.reference = std::move(reference);
    e.note = std::move(note);
    e.component = component;
    return post(std::move(e));
}

Transaction Ledger::post_fee(const Money& amount, Date effective, std::string reference,
                             Component component, Instant posted_at, std::string note) {
    if (component != Component::fees && component != Component::costs)
        throw ValidationError("component: a fee is charged to 'fees' or 'costs', not " +
                              quote(to_string(component)));
    check_amount(amount, "amount", false);
    check_effective(effective, "effective");
    LedgerEntry e;
    e.type = TransactionType::fee;
    e.effective = effective;
    e.posted_at = posted_at;
    e.amount = amount;
    e.reference = std::move(reference);
    e.note = std::move(note);
    e.component = component;
    return post(std::move(e));
}

Transaction Ledger::post_payment(const Money& amount, Date effective, std::string reference,
                                 Instant posted_at, std::string note) {
    check_amount(amount, "amount", false);
    check_effective(effective, "effective");
    if (!reference.empty())
        for (const auto& t : view_)
            if (t.entry.type == TransactionType::payment && t.entry.reference == reference &&
                !t.reversed_by)
                throw ConflictError("reference: payment " + quote(reference) +
                                    " was already posted as transaction " +
                                    std::to_string(t.entry.id) +
                                    " (reverse it first to post it again)");
    LedgerEntry e;
    e.type = TransactionType::payment;
    e.effective = effective;
    e.posted_at = posted_at;
    e.amount = amount;
    e.reference = std::move(reference);
    e.note = std::move(note);
    return post(std::move(e));
}

Transaction Ledger::reverse(std::int64_t id, ReversalReason reason, std::optional<Date> effective,
                            Instant posted_at, std::string note) {
    const Transaction& target = transaction(id);
    if (target.entry.type != TransactionType::payment)
        throw ValidationError("transaction_id: transaction " + std::to_string(id) + " is a " +
                              std::string(to_string(target.entry.type)) +
                              "; only payments can be reversed (post an adjustment to correct "
                              "anything else)");
    if (target.reversed_by)
        throw ConflictError("transaction_id: payment " + std::to_string(id) +
                            " was already reversed by transaction " +
                            std::to_string(*target.reversed_by));
    const Date when = effective.value_or(target.entry.effective);
    check_effective(when, "effective");
    if (date_before(when, target.entry.effective))
        throw ValidationError("effective: the reversal date " + to_iso(when) +
                              " is before the payment's effective date " +
                              to_iso(target.entry.effective));
    LedgerEntry e;
    e.type = TransactionType::payment_reversal;
    e.effective = when;
    e.posted_at = posted_at;
    e.amount = target.entry.amount;
    e.reference = target.entry.reference;
    e.note = std::move(note);
    e.reverses = id;
    e.reason = reason;
    const std::string payment_reference = target.entry.reference;
    if (reason != ReversalReason::nsf || !terms_.fees.nsf) return post(std::move(e));
    // The reversal and its NSF fee go in together or not at all. The fee carries the payment's
    // id in `reverses` (it is that payment's fee) and sorts after the reversal.
    Ledger backup = *this;
    try {
        Transaction t = post(std::move(e));
        LedgerEntry fee;
        fee.type = TransactionType::fee;
        fee.effective = when;
        fee.posted_at = posted_at;
        fee.amount = *terms_.fees.nsf;
        fee.reference = "nsf:" + payment_reference;
        fee.note = "returned payment fee";
        fee.component = Component::fees;
        fee.reverses = id;
        fee.reason = ReversalReason::nsf;
        post(std::move(fee));
        return transaction(t.entry.id);
    } catch (...) {
        *this = std::move(backup);
        throw;
    }
}

std::optional<Transaction> Ledger::accrue_interest(Date through, Instant posted_at) {
    check_effective(through, "through");
    if (!terms_.interest.accrues()) return std::nullopt;
    for (const auto& e : entries_)
        if (e.type == TransactionType::interest && e.effective == through) return std::nullopt;
    LedgerEntry e;
    e.type = TransactionType::interest;
    e.effective = through;
    e.posted_at = posted_at;
    e.amount = Money(0, terms_.currency);
    e.component = Component::interest;
    return post(std::move(e));
}

Money Ledger::accrued_interest(Date through) const {
    check_effective(through, "through");
    if (!terms_.interest.accrues()) return Money(0, terms_.currency);
    Ledger copy = *this;
    auto t = copy.accrue_interest(through, Instant{});
    if (!t) return Money(0, terms_.currency);  // already accrued through that date
    return t->amount;
}

Transaction Ledger::post_adjustment(const Money& amount, Component component, Date effective,
                                    std::string reference, Instant posted_at, std::string note) {
    check_amount(amount, "amount", true);
    check_effective(effective, "effective");
    LedgerEntry e;
    e.type = TransactionType::adjustment;
    e.effective = effective;
    e.posted_at = posted_at;
    e.amount = amount;
    e.reference = std::move(reference);
    e.note = std::move(note);
    e.component = component;
    return post(std::move(e));
}

Transaction Ledger::post_write_off(const Money& amount, Date effective, std::string reference,
                                   Instant posted_at, std::string note) {
    check_amount(amount, "amount", false);
    check_effective(effective, "effective");
    LedgerEntry e;
    e.type = TransactionType::write_off;
    e.effective = effective;
    e.posted_at = posted_at;
    e.amount = amount;
    e.reference = std::move(reference);
    e.note = std::move(note);
    Ledger backup = *this;
    Transaction t = post(std::move(e));
    if (t.allocation.unapplied != 0) {
        *this = std::move(backup);
        throw ValidationError("amount: a write-off of " + amount.amount_string() +
                              " is more than the balance owed on " + to_iso(effective) + " (" +
                              Money(amount.minor() - t.allocation.unapplied, amount.currency())
                                  .amount_string() +
                              ")");
    }
    return t;
}

Transaction Ledger::post_settlement_discount(const Money& amount, Date effective,
                                             std::string reference, Instant posted_at,
                                             std::string note) {
    check_amount(amount, "amount", false);
    check_effective(effective, "effective");
    LedgerEntry e;
    e.type = TransactionType::settlement_discount;
    e.effective = effective;
    e.posted_at = posted_at;
    e.amount = amount;
    e.reference = std::move(reference);
    e.note = std::move(note);
    Ledger backup = *this;
    Transaction t = post(std::move(e));
    if (t.allocation.unapplied != 0) {
        *this = std::move(backup);
        throw ValidationError("amount: a settlement discount of " + amount.amount_string() +
                              " is more than the balance owed on " + to_iso(effective) + " (" +
                              Money(amount.minor() - t.allocation.unapplied, amount.currency())
                                  .amount_string() +
                              ")");
    }
    return t;
}

Transaction Ledger::post_late_fee(Date due_on, const Money& past_due, Instant posted_at) {
    if (!terms_.fees.late)
        throw ValidationError("fees.late: this account has no late-fee rule");
    check_amount(past_due, "past_due", false);
    check_date(due_on, "due_on");
    const Date effective = add_days(due_on, terms_.fees.late->grace_days + 1);
    check_effective(effective, "due_on");
    const std::string reference = "late:" + to_iso(due_on);
    for (const auto& e : entries_)
        if (e.type == TransactionType::fee && e.reference == reference)
            throw ConflictError("due_on: a late fee for the payment due " + to_iso(due_on) +
                                " was already posted as transaction " + std::to_string(e.id));
    return post_fee(terms_.fees.late->amount_for(past_due), effective, reference, Component::fees,
                    posted_at, "late fee");
}

void Ledger::change_interest_rate(const Rational& annual_rate, Date effective) {
    check_effective(effective, "effective");
    LedgerTerms terms = terms_;
    if (!terms.interest.rate_changes.empty() &&
        !date_before(terms.interest.rate_changes.back().effective, effective))
        throw ValidationError("effective: " + to_iso(effective) +
                              " is not after the last rate change (" +
                              to_iso(terms.interest.rate_changes.back().effective) + ")");
    terms.interest.rate_changes.push_back({effective, annual_rate});
    terms.validate();
    Replay r = replay(terms, entries_);
    terms_ = std::move(terms);
    view_ = std::move(r.view);
    position_ = std::move(r.position);
    state_ = r.state;
}

void Ledger::change_allocation_policy(const AllocationPolicy& policy, Date effective) {
    check_effective(effective, "effective");
    LedgerTerms terms = terms_;
    if (!terms.allocation_changes.empty() &&
        !date_before(terms.allocation_changes.back().effective, effective))
        throw ValidationError("effective: " + to_iso(effective) +
                              " is not after the last allocation policy change (" +
                              to_iso(terms.allocation_changes.back().effective) + ")");
    terms.allocation_changes.push_back({effective, policy});
    terms.validate();
    Replay r = replay(terms, entries_);
    terms_ = std::move(terms);
    view_ = std::move(r.view);
    position_ = std::move(r.position);
    state_ = r.state;
}

Itemization Ledger::itemization(Date itemization_date, Date as_of) const {
    check_date(itemization_date, "itemization_date");
    check_date(as_of, "as_of");
    if (date_before(as_of, itemization_date))
        throw ValidationError("as_of: " + to_iso(as_of) + " is before the itemization date " +
                              to_iso(itemization_date));
    const Currency c = terms_.currency;
    Itemization it{itemization_date, as_of, balance(itemization_date).total(), Money(0, c),
                   Money(0, c), Money(0, c), Money(0, c), Money(0, c), balance(as_of).total()};
    for (const auto& t : view_) {
        const Date d = t.entry.effective;
        if (!date_before(itemization_date, d) || date_before(as_of, d)) continue;
        const Money amount = t.amount;
        // The debt as placed (charges and fees with the reference "placement") is the debt as
        // itemized, even when the placement is posted after the itemization date (a charged-off
        // account placed weeks later): it belongs to the amount on the itemization date, not to
        // the interest and fees since (12 CFR 1006.34(c)(2)(vi)-(viii)).
        if (t.entry.reference == "placement" &&
            (t.entry.type == TransactionType::charge || t.entry.type == TransactionType::fee)) {
            it.on_itemization_date += amount;
            continue;
        }
        switch (t.entry.type) {
            case TransactionType::interest: it.interest += amount; break;
            case TransactionType::fee: it.fees += amount; break;
            case TransactionType::charge:
                if (*t.entry.component == Component::interest) it.interest += amount;
                else if (*t.entry.component == Component::principal) it.other_charges += amount;
                else it.fees += amount;
                break;
            case TransactionType::adjustment:
                if (amount.is_negative()) it.credits -= amount;
                else if (*t.entry.component == Component::interest) it.interest += amount;
                else if (*t.entry.component == Component::principal) it.other_charges += amount;
                else it.fees += amount;
                break;
            case TransactionType::payment: it.payments += amount; break;
            case TransactionType::payment_reversal: it.payments -= amount; break;
            case TransactionType::write_off:
            case TransactionType::settlement_discount: it.credits += amount; break;
        }
    }
    return it;
}

bool Ledger::payment_stands(const Transaction& t, Date as_of) const {
    if (t.entry.type != TransactionType::payment || date_before(as_of, t.entry.effective)) return false;
    return !t.reversed_by || date_before(as_of, transaction(*t.reversed_by).entry.effective);
}

std::optional<Date> Ledger::last_payment_date() const {
    using namespace std::chrono;
    return last_payment_date(Date{year{kMaxYear}, December, day{31}});  // standing for good
}

std::optional<Date> Ledger::last_payment_date(Date as_of) const {
    std::optional<Date> last;
    for (const auto& t : view_)  // effective-date order: the last one found is the latest
        if (payment_stands(t, as_of)) last = t.entry.effective;
    return last;
}

Ledger Ledger::from_entries(LedgerTerms terms, std::vector<LedgerEntry> entries) {
    Ledger ledger(std::move(terms));
    const LedgerTerms& tm = ledger.terms_;
    std::vector<bool> reversed(entries.size(), false);
    std::set<std::chrono::sys_days> accrued_through;
    for (std::size_t i = 0; i < entries.size(); ++i) {
        const LedgerEntry& e = entries[i];
        const std::string at = "entries[" + std::to_string(i) + "]";
        if (e.id != static_cast<std::int64_t>(i) + 1)
            throw ValidationError(at + ".id: expected " + std::to_string(i + 1) + ", got " +
                                  std::to_string(e.id) + " (ids run 1..n in arrival order)");
        ledger.check_effective(e.effective, at + ".effective");
        e.amount.require_same_currency(Money(0, tm.currency), at + ".amount");
        e.posted_allocation.total().require_same_currency(Money(0, tm.currency),
                                                          at + ".posted_allocation");
        const bool needs_component = e.type == TransactionType::charge ||
                                     e.type == TransactionType::fee ||
                                     e.type == TransactionType::adjustment;
        if (needs_component && !e.component)
            throw ValidationError(at + ".component: required for a " +
                                  std::string(to_string(e.type)));
        if (e.type == TransactionType::fee && *e.component != Component::fees &&
            *e.component != Component::costs)
            throw ValidationError(at + ".component: a fee is charged to 'fees' or 'costs'");
        if (e.type == TransactionType::adjustment) {
            if (e.amount.is_zero()) throw ValidationError(at + ".amount: an adjustment is not zero");
        } else if (e.type == TransactionType::interest) {
            if (e.amount.is_negative()) throw ValidationError(at + ".amount: negative interest");
            if (!accrued_through.insert(to_days(e.effective)).second)
                throw ValidationError(at + ".effective: a second accrual through " +
                                      to_iso(e.effective));
        } else if (!e.amount.is_positive()) {
            throw ValidationError(at + ".amount: " + e.amount.amount_string() + " is not positive");
        }
        if (e.type == TransactionType::fee && (e.reverses || e.reason)) {
            // The NSF fee of a returned payment.
            if (!e.reverses || e.reason != ReversalReason::nsf)
                throw ValidationError(at + ": a fee that names a payment (reverses) is an NSF fee "
                                      "and has reason 'nsf'");
            const std::int64_t target = *e.reverses;
            if (target < 1 || target > e.id - 1 ||
                entries[static_cast<std::size_t>(target - 1)].type != TransactionType::payment)
                throw ValidationError(at + ".reverses: " + std::to_string(target) +
                                      " is not an earlier payment");
        } else if (e.type == TransactionType::payment_reversal) {
            if (!e.reverses || !e.reason)
                throw ValidationError(at + ": a payment_reversal needs reverses and reason");
            const std::int64_t target = *e.reverses;
            if (target < 1 || target > e.id - 1 ||
                entries[static_cast<std::size_t>(target - 1)].type != TransactionType::payment)
                throw ValidationError(at + ".reverses: " + std::to_string(target) +
                                      " is not an earlier payment");
            if (reversed[static_cast<std::size_t>(target - 1)])
                throw ValidationError(at + ".reverses: payment " + std::to_string(target) +
                                      " is reversed twice");
            reversed[static_cast<std::size_t>(target - 1)] = true;
            if (date_before(e.effective, entries[static_cast<std::size_t>(target - 1)].effective))
                throw ValidationError(at + ".effective: before the payment it reverses");
        } else if (e.reverses || e.reason) {
            throw ValidationError(at + ": only a payment_reversal (or its NSF fee) has "
                                  "reverses/reason");
        }
    }
    ledger.entries_ = std::move(entries);
    ledger.rebuild();
    return ledger;
}

// --- JSON ------------------------------------------------------------------------------------

namespace {

nlohmann::json parts_json(const std::array<std::int64_t, kComponentCount>& parts,
                          std::int64_t unapplied, Currency c) {
    nlohmann::json j = nlohmann::json::object();
    for (Component k : kAllComponents)
        j[std::string(to_string(k))] = Money(parts[static_cast<std::size_t>(k)], c).amount_string();
    j["unapplied"] = Money(unapplied, c).amount_string();
    return j;
}

void parse_parts(const JsonView& v, Currency c, std::array<std::int64_t, kComponentCount>& parts,
                 std::int64_t& unapplied, bool allow_total) {
    v.require_object();
    if (allow_total)
        v.check_keys({"principal", "interest", "fees", "costs", "unapplied", "total", "currency"});
    else
        v.check_keys(
            {"principal", "interest", "fees", "costs", "unapplied", "currency", "transaction_id"});
    for (Component k : kAllComponents) {
        const JsonView x = v.at(to_string(k));
        parts[static_cast<std::size_t>(k)] = x.as_money(c).minor();
    }
    unapplied = v.at("unapplied").as_money(c).minor();
}

Currency currency_of(const JsonView& v, Currency fallback) {
    if (auto c = v.find("currency")) return Currency::of(c->as_string(), c->path());
    return fallback;
}

}  // namespace

void to_json(nlohmann::json& j, const Allocation& a) {
    j = parts_json(a.parts, a.unapplied, a.currency);
    j["currency"] = std::string(a.currency.code());
    j["transaction_id"] = a.transaction_id;
}

void to_json(nlohmann::json& j, const Balance& b) {
    j = parts_json(b.parts, b.unapplied, b.currency);
    j["total"] = b.total().amount_string();
    j["currency"] = std::string(b.currency.code());
}

Allocation parse_allocation(const nlohmann::json& j, Currency currency, const std::string& path) {
    const JsonView v(j, path);
    Allocation a;
    v.require_object();
    a.currency = currency_of(v, currency);
    parse_parts(v, a.currency, a.parts, a.unapplied, false);
    if (auto id = v.find("transaction_id")) a.transaction_id = id->as_int();
    for (std::size_t i = 0; i < kComponentCount; ++i)
        if (a.parts[i] < 0) v.fail("allocation parts are never negative");
    if (a.unapplied < 0) v.fail("allocation parts are never negative");
    return a;
}

Balance parse_balance(const nlohmann::json& j, Currency currency, const std::string& path) {
    const JsonView v(j, path);
    Balance b;
    v.require_object();
    b.currency = currency_of(v, currency);
    parse_parts(v, b.currency, b.parts, b.unapplied, true);
    if (auto t = v.find("total"))
        if (t->as_money(b.currency) != b.total()) t->fail("does not match the components");
    return b;
}

void to_json(nlohmann::json& j, const LedgerEntry& e) {
    j = nlohmann::json{{"id", e.id},
                       {"type", std::string(to_string(e.type))},
                       {"effective", to_iso(e.effective)},
                       {"posted_at", to_iso(e.posted_at)},
                       {"amount", e.amount.amount_string()},
                       {"currency", std::string(e.amount.currency().code())},
                       {"reference", e.reference},
                       {"note", e.note},
                       {"component", nullptr},
                       {"reverses", nullptr},
                       {"reason", nullptr},
                       {"posted_allocation", e.posted_allocation}};
    if (e.component) j["component"] = std::string(to_string(*e.component));
    if (e.reverses) j["reverses"] = *e.reverses;
    if (e.reason) j["reason"] = std::string(to_string(*e.reason));
}

LedgerEntry parse_ledger_entry(const nlohmann::json& j, Currency currency, const std::string& path) {
    const JsonView v(j, path);
    v.require_object();
    v.check_keys({"id", "type", "effective", "posted_at", "amount", "currency", "reference", "note",
                  "component", "reverses", "reason", "posted_allocation"});
    LedgerEntry e;
    const Currency c = currency_of(v, currency);
    e.id = v.at("id").as_int();
    const JsonView type = v.at("type");
    e.type = parse_transaction_type(type.as_string(), type.path());
    e.effective = v.at("effective").as_date();
    const JsonView posted = v.at("posted_at");
    e.posted_at = parse_instant(posted.as_string(), posted.path());
    e.amount = v.at("amount").as_money(c);
    if (auto x = v.find("reference")) e.reference = x->as_string();
    if (auto x = v.find("note")) e.note = x->as_string();
    if (auto x = v.find("component")) e.component = parse_component(x->as_string(), x->path());
    if (auto x = v.find("reverses")) e.reverses = x->as_int();
    if (auto x = v.find("reason")) e.reason = parse_reversal_reason(x->as_string(), x->path());
    e.posted_allocation = parse_allocation(v.at("posted_allocation").json(), c,
                                           path + ".posted_allocation");
    return e;
}

void to_json(nlohmann::json& j, const Transaction& t) {
    j = t.entry;
    j["amount"] = t.amount.amount_string();
    j["allocation"] = t.allocation;
    j["balance_after"] = t.balance_after;
    j["reversed_by"] = t.reversed_by ? nlohmann::json(*t.reversed_by) : nlohmann::json(nullptr);
    j["restated"] = t.restated;
    j["posted_amount"] = t.entry.amount.amount_string();
}

Transaction parse_transaction(const nlohmann::json& j, Currency currency, const std::string& path) {
    const JsonView v(j, path);
    v.require_object();
    nlohmann::json entry = j;
    for (const char* k : {"allocation", "balance_after", "reversed_by", "restated", "posted_amount"})
        entry.erase(k);
    const Currency c = currency_of(v, currency);
    if (auto x = v.find("posted_amount")) entry["amount"] = x->as_string();
    Transaction t;
    t.entry = parse_ledger_entry(entry, c, path);
    t.amount = v.at("amount").as_money(c);
    t.allocation = parse_allocation(v.at("allocation").json(), c, path + ".allocation");
    t.balance_after = parse_balance(v.at("balance_after").json(), c, path + ".balance_after");
    if (auto x = v.find("reversed_by")) t.reversed_by = x->as_int();
    if (auto x = v.find("restated")) t.restated = x->as_bool();
    return t;
}

void to_json(nlohmann::json& j, const Itemization& i) {
    j = nlohmann::json{{"itemization_date", to_iso(i.itemization_date)},
                       {"as_of", to_iso(i.as_of)},
                       {"on_itemization_date", i.on_itemization_date.amount_string()},
                       {"interest", i.interest.amount_string()},
                       {"fees", i.fees.amount_string()},
                       {"other_charges", i.other_charges.amount_string()},
                       {"payments", i.payments.amount_string()},
                       {"credits", i.credits.amount_string()},
                       {"current", i.current.amount_string()},
                       {"currency", std::string(i.current.currency().code())}};
}

Itemization parse_itemization(const nlohmann::json& j, Currency currency, const std::string& path) {
    const JsonView v(j, path);
    v.require_object();
    v.check_keys({"itemization_date", "as_of", "on_itemization_date", "interest", "fees",
                  "other_charges", "payments", "credits", "current", "currency"});
    const Currency c = currency_of(v, currency);
    return Itemization{v.at("itemization_date").as_date(), v.at("as_of").as_date(),
                       v.at("on_itemization_date").as_money(c), v.at("interest").as_money(c),
                       v.at("fees").as_money(c), v.at("other_charges").as_money(c),
                       v.at("payments").as_money(c), v.at("credits").as_money(c),
                       v.at("current").as_money(c)};
}

void to_json(nlohmann::json& j, const LedgerTerms& t) {
    nlohmann::json changes = nlohmann::json::array();
    for (const auto& c : t.allocation_changes)
        changes.push_back({{"effective", to_iso(c.effective)}, {"policy", c.policy}});
    j = nlohmann::json{{"currency", std::string(t.currency.code())},
                       {"opened_on", to_iso(t.opened_on)},
                       {"interest", t.interest},
                       {"allocation", t.allocation},
                       {"allocation_changes", changes},
                       {"fees", t.fees}};
}

LedgerTerms parse_ledger_terms(const nlohmann::json& j, const std::string& path) {
    const JsonView v(j, path);
    v.require_object();
    v.check_keys({"currency", "opened_on", "interest", "allocation", "allocation_changes", "fees"});
    LedgerTerms t;
    const JsonView cur = v.at("currency");
    t.currency = Currency::of(cur.as_string(), cur.path());
    t.opened_on = v.at("opened_on").as_date();
    if (auto x = v.find("interest"))
        t.interest = parse_interest_terms(x->json(), t.currency, x->path());
    if (auto x = v.find("allocation")) t.allocation = parse_allocation_policy(x->json(), x->path());
    if (auto x = v.find("allocation_changes")) {
        x->require_array();
        for (std::size_t i = 0; i < x->size(); ++i) {
            const JsonView c = x->at(i);
            c.require_object();
            c.check_keys({"effective", "policy"});
            t.allocation_changes.push_back(
                {c.at("effective").as_date(),
                 parse_allocation_policy(c.at("policy").json(), c.path() + ".policy")});
        }
    }
    if (auto x = v.find("fees")) t.fees = parse_fee_rules(x->json(), t.currency, x->path());
    t.validate(path);
    return t;
}

}  // namespace arrears
