// The ledger of one account: an append-only journal of entries, and the transactions and
// balances derived from it by replay.
//
// - The journal (entries()) holds every posting in arrival order, exactly as received, with the
//   allocation it got when it was posted. Nothing in it is ever changed or removed.
// - The ledger (transactions()) is the journal replayed in effective-date order: interest is
//   recomputed from the principal actually outstanding day by day, and every credit is allocated
//   by the waterfall in force on its effective date. A backdated payment or reversal therefore
//   re-computes interest and allocations from its effective date forward; a transaction whose
//   allocation (or interest amount) differs from what it got when posted is marked `restated`.
// - Balances are read from the replay; they are never stored on their own.
// The replay order is a pure function of the entries' contents (effective date, type, reference,
// amount ...), so the same set of postings gives the same ledger whatever order they arrived in.
#pragma once

#include <array>
#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "arrears/allocation.hpp"
#include "arrears/date.hpp"
#include "arrears/fee_rules.hpp"
#include "arrears/interest.hpp"
#include "arrears/money.hpp"

namespace arrears {

enum class TransactionType : std::uint8_t {
    charge,               // debit: the placed balance, or any amount owed on one component
    interest,             // debit: interest accrued through the effective date (derived amount)
    fee,                  // debit: a fee (fees) or a cost such as court costs (costs)
    payment,              // credit: allocated by the payment waterfall
    payment_reversal,     // debit: restores exactly what a payment paid (NSF, chargeback, error)
    adjustment,           // signed: + raises one component, - credits it (excess: unapplied)
    write_off,            // credit: allocated by the write-off waterfall
    settlement_discount,  // credit: the part forgiven by a settlement, by its waterfall
};
std::string_view to_string(TransactionType t) noexcept;
TransactionType parse_transaction_type(std::string_view name, std::string_view field = "type");
// True for the types that lower the balance (payment, write_off, settlement_discount).
bool is_credit(TransactionType t) noexcept;

enum class ReversalReason : std::uint8_t { nsf, chargeback, error, other };
std::string_view to_string(ReversalReason r) noexcept;
ReversalReason parse_reversal_reason(std::string_view name, std::string_view field = "reason");

// What a transaction did to the balance components, in non-negative minor units: for a debit the
// amounts added, for a credit the amounts paid off plus the unapplied (overpaid) part, for a
// payment reversal the amounts restored (and the unapplied credit taken back).
// Always: principal + interest + fees + costs + unapplied == |amount|.
struct Allocation {
    Currency currency;
    std::array<std::int64_t, kComponentCount> parts{};
    std::int64_t unapplied = 0;
    std::int64_t transaction_id = 0;  // the transaction it belongs to (0: none)

    Money of(Component c) const { return Money(parts[static_cast<std::size_t>(c)], currency); }
    Money principal() const { return of(Component::principal); }
    Money interest() const { return of(Component::interest); }
    Money fees() const { return of(Component::fees); }
    Money costs() const { return of(Component::costs); }
    Money unapplied_credit() const { return Money(unapplied, currency); }
    Money total() const;  // the sum of all five parts
    std::string repr() const;
    friend bool operator==(const Allocation&, const Allocation&) = default;
};

// What is owed: four components, less any unapplied credit.
struct Balance {
    Currency currency;
    std::array<std::int64_t, kComponentCount> parts{};
    std::int64_t unapplied = 0;

    Money of(Component c) const { return Money(parts[static_cast<std::size_t>(c)], currency); }
    Money principal() const { return of(Component::principal); }
    Money interest() const { return of(Component::interest); }
    Money fees() const { return of(Component::fees); }
    Money costs() const { return of(Component::costs); }
    Money unapplied_credit() const { return Money(unapplied, currency); }
    // principal + interest + fees + costs - unapplied (negative when the account is in credit).
    Money total() const;
    std::string repr() const;
    friend bool operator==(const Balance&, const Balance&) = default;
};

// One posting, as received (the journal).
struct LedgerEntry {
    std::int64_t id = 0;  // 1, 2, 3 ... in arrival order, per account
    TransactionType type = TransactionType::charge;
    Date effective;
    Instant posted_at;
    // The amount as given; positive, except an adjustment, which is signed. For interest, the
    // amount computed when it was posted.
    Money amount;
    std::string reference;
    std::string note;
    std::optional<Component> component;    // charge, fee (fees|costs), adjustment
    std::optional<std::int64_t> reverses;  // payment_reversal, NSF fee: the payment's id
    std::optional<ReversalReason> reason;  // payment_reversal (NSF fee: nsf)
    Allocation posted_allocation;          // the allocation it got when it was posted

    std::string repr() const;
    friend bool operator==(const LedgerEntry&, const LedgerEntry&) = default;
};

// One transaction of the derived ledger: the entry with its current (replayed) allocation.
struct Transaction {
    LedgerEntry entry;
    Money amount;           // current amount (differs from entry.amount only for interest)
    Allocation allocation;  // current allocation
    Balance balance_after;  // the balance right after it, in replay order
    std::optional<std::int64_t> reversed_by;
    bool restated = false;  // amount or allocation differ from what it got when posted

    std::int64_t id() const noexcept { return entry.id; }
    TransactionType type() const noexcept { return entry.type; }
    // The signed change of the total balance: + for debits, - for credits.
    Money balance_effect() const;
    std::string repr() const;
    friend bool operator==(const Transaction&, const Transaction&) = default;
};

// A change of the payment allocation policy from a date on (principal first after judgment ...).
struct PolicyChange {
    Date effective;
    AllocationPolicy policy;
    friend bool operator==(const PolicyChange&, const PolicyChange&) = default;
};

// Everything the replay needs besides the entries.
struct LedgerTerms {
    Currency currency;
    Date opened_on;  // nothing may be effective before it
    InterestTerms interest;
    AllocationPolicy allocation;
    std::vector<PolicyChange> allocation_changes;  // strictly increasing dates
    FeeRules fees;

    void validate(std::string_view field = "terms") const;
    const AllocationPolicy& policy_on(Date d) const noexcept;
    friend bool operator==(const LedgerTerms&, const LedgerTerms&) = default;
};

// Amounts since the itemization date, for the Reg F §1006.34(c)(2)(vi)-(viii) itemization:
// current == on_itemization_date + interest + fees + other_charges - payments - credits.
struct Itemization {
    Date itemization_date;
    Date as_of;
    Money on_itemization_date;  // total owed at the end of the itemization date
    Money interest;       // interest accrued or charged after it
    Money fees;           // fees and costs charged after it
    Money other_charges;  // principal charged or adjusted up after it (normally zero)
    Money payments;       // payments after it, net of their reversals
    Money credits;        // write-offs, settlement discounts, downward adjustments after it
    Money current;        // total owed at the end of as_of
    std::string repr() const;
    friend bool operator==(const Itemization&, const Itemization&) = default;
};

class Ledger {
public:
    explicit Ledger(LedgerTerms terms);
    // Rebuilds a ledger from its journal (the store, JSON): ids must be 1..n in order, every entry
    // valid, and the replay must succeed; otherwise ValidationError naming the entry.
    static Ledger from_entries(LedgerTerms terms, std::vector<LedgerEntry> entries);

    const LedgerTerms& terms() const noexcept { return terms_; }
    Currency currency() const noexcept { return terms_.currency; }
    // The journal, in arrival order.
    const std::vector<LedgerEntry>& entries() const noexcept { return entries_; }
    // The ledger, in replay (effective-date) order.
    const std::vector<Transaction>& transactions() const noexcept { return view_; }
    // NotFoundError for an unknown id.
    const Transaction& transaction(std::int64_t id) const;

    Balance balance() const;
    // The balance at the end of `as_of` (zero before the first transaction).
    Balance balance(Date as_of) const;
    // The interest accrue_interest(through) would post now, without posting it.
    Money accrued_interest(Date through) const;
    Itemization itemization(Date itemization_date, Date as_of) const;
    // Whether payment `t` (a transaction of this ledger) stands as of `as_of`: it is effective
    // by then and not reversed by a reversal effective by then.
    bool payment_stands(const Transaction& t, Date as_of) const;
    // The latest effective date of a payment that is not reversed.
    std::optional<Date> last_payment_date() const;
    // The latest effective date of a payment standing as of `as_of` (payment_stands).
    std::optional<Date> last_payment_date(Date as_of) const;

    // Postings. Each validates first and changes nothing when it throws: ValidationError for a
    // bad amount, currency, component or date (before the opening), NotFoundError for an unknown
    // id, ConflictError for a second reversal or a duplicate payment reference.
    Transaction post_charge(const Money& amount, Date effective, std::string reference,
                            Component component, Instant posted_at, std::string note = {});
    Transaction post_fee(const Money& amount, Date effective, std::string reference,
                         Component component, Instant posted_at, std::string note = {});
    Transaction post_payment(const Money& amount, Date effective, std::string reference,
                             Instant posted_at, std::string note = {});
    // Reverses payment `id` on `effective` (default: the payment's own effective date, as if it
    // never happened). With reason nsf and an NSF fee rule, also posts the NSF fee.
    Transaction reverse(std::int64_t id, ReversalReason reason, std::optional<Date> effective,
                        Instant posted_at, std::string note = {});
    // Posts the interest accrued up to `through` since the previous accrual. Returns nullopt
    // (and posts nothing) when the terms accrue no interest or an accrual through that date
    // already exists.
    std::optional<Transaction> accrue_interest(Date through, Instant posted_at);
    Transaction post_adjustment(const Money& amount, Component component, Date effective,
                                std::string reference, Instant posted_at, std::string note = {});
    Transaction post_write_off(const Money& amount, Date effective, std::string reference,
                               Instant posted_at, std::string note = {});
    Transaction post_settlement_discount(const Money& amount, Date effective,
                                         std::string reference, Instant posted_at,
                                         std::string note = {});
    // The late fee for an amount past due since `due_on`, effective due_on + grace + 1 day, once
    // per due date (reference "late:<due_on>"); ValidationError without a late-fee rule,
    // ConflictError when that due date already has one.
    Transaction post_late_fee(Date due_on, const Money& past_due, Instant posted_at);

    // Term changes from a date on; the whole ledger is replayed with them.
    void change_interest_rate(const Rational& annual_rate, Date effective);
    void change_allocation_policy(const AllocationPolicy& policy, Date effective);

    friend bool operator==(const Ledger& a, const Ledger& b) {
        return a.terms_ == b.terms_ && a.entries_ == b.entries_;
    }

    // The running state of a replay (public so the replay helpers can share it; not an API).
    struct State {
        std::array<std::int64_t, kComponentCount> parts{};
        std::int64_t unapplied = 0;
        std::int64_t interest_accrued = 0;  // all interest accrued so far (for the cap)
        Date segment_start;                 // interest is summed up to here in `pending`
        ExactAmount pending;                // exact interest since the last posted accrual
    };

private:
    Transaction post(LedgerEntry entry);
    void rebuild();
    void check_effective(Date effective, std::string_view field) const;
    void check_amount(const Money& amount, std::string_view field, bool allow_negative) const;

    LedgerTerms terms_;
    std::vector<LedgerEntry> entries_;
    std::vector<Transaction> view_;
    std::vector<std::size_t> position_;  // id - 1 -> index in view_
    State state_;
};

// JSON of the value types (entries and transactions carry their allocations).
void to_json(nlohmann::json& j, const Allocation& a);
void to_json(nlohmann::json& j, const Balance& b);
void to_json(nlohmann::json& j, const LedgerEntry& e);
void to_json(nlohmann::json& j, const Transaction& t);
void to_json(nlohmann::json& j, const Itemization& i);
void to_json(nlohmann::json& j, const LedgerTerms& t);
Allocation parse_allocation(const nlohmann::json& j, Currency currency, const std::string& path);
Balance parse_balance(const nlohmann::json& j, Currency currency, const std::string& path);
LedgerEntry parse_ledger_entry(const nlohmann::json& j, Currency currency, const std::string& path);
Transaction parse_transaction(const nlohmann::json& j, Currency currency, const std::string& path);
Itemization parse_itemization(const nlohmann::json& j, Currency currency, const std::string& path);
LedgerTerms parse_ledger_terms(const nlohmann::json& j, const std::string& path = "$");

}  // namespace arrears
