// Payment plans, settlements and promises to pay: what was agreed (PaymentPlan, a value) and how
// it stands on a date given the payments received (PaymentPlan::evaluate, a pure function).
//
// Payments are plain (effective date, Money) pairs; the plan never touches the ledger. What the
// ledger must post (a settlement discount, a voided settlement) comes back as dated events.
//
// Matching: payments (those dated on or before as_of) are sorted by date then amount and applied
// to installments oldest due first; a partial payment leaves the installment partly paid, an
// overpayment flows on to the next installments, and what exceeds the plan total is returned as
// unapplied. Installment k counts as paid once cumulative payments reach (installments 1..k) minus
// the tolerance; it is kept when that happens by its due date + grace days, missed otherwise.
#pragma once

#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "arrears/date.hpp"
#include "arrears/money.hpp"
#include "arrears/schedule.hpp"
#include "arrears/table.hpp"

namespace arrears {

enum class PlanKind : std::uint8_t { installment, settlement, promise };
// What a broken settlement does: void (the discount is withdrawn, the full balance returns) or
// pro_rata (the debtor keeps the share of the discount earned by what was paid:
// paid × discount / settlement, rounded down; the rest is withdrawn).
enum class SettlementDefault : std::uint8_t { void_settlement, pro_rata };
// How money paid on a plan over several accounts is split between them (see split_amount).
enum class AccountSplit : std::uint8_t { pro_rata, sequential };
enum class InstallmentState : std::uint8_t { due, paid, partial, missed };
enum class PlanStatus : std::uint8_t { active, current, delinquent, broken, completed, cancelled };
enum class PlanEventType : std::uint8_t {
    kept,                 // an installment paid by its due date + grace (dated the payment)
    missed,               // not paid by due + grace (dated the day after the grace period)
    broken,               // the break rule fired (terminal)
    completed,            // the plan total was paid (terminal)
    settlement_discount,  // post a settlement-discount transaction of `amount` (write-off)
    settlement_voided,    // the settlement's (remaining) discount is withdrawn
    offer_expired,        // a settlement with nothing paid by its offer expiry (terminal)
    cancelled,            // the plan was cancelled (terminal)
};

PlanKind parse_plan_kind(std::string_view s, std::string_view field = "kind");
SettlementDefault parse_settlement_default(std::string_view s, std::string_view field = "on_default");
AccountSplit parse_account_split(std::string_view s, std::string_view field = "split");
PlanStatus parse_plan_status(std::string_view s, std::string_view field = "status");
InstallmentState parse_installment_state(std::string_view s, std::string_view field = "status");
PlanEventType parse_plan_event_type(std::string_view s, std::string_view field = "type");
std::string_view to_string(PlanKind k) noexcept;
std::string_view to_string(SettlementDefault d) noexcept;  // "void", "pro_rata"
std::string_view to_string(AccountSplit s) noexcept;
std::string_view to_string(PlanStatus s) noexcept;
std::string_view to_string(InstallmentState s) noexcept;
std::string_view to_string(PlanEventType t) noexcept;

// When an installment counts as kept and when a plan breaks.
struct PlanRules {
    int grace_days = 5;      // an installment paid up to due + grace_days is kept
    Money tolerance{};       // shortfall still counted as paid (cumulative), e.g. 1.00
    // The plan breaks on the N-th missed installment (nullopt: never by count). A promise to pay
    // breaks when its one installment is missed, whatever N is.
    std::optional<int> break_after_missed = 2;
    // ... or when an installment is still unpaid more than D days after its due date (nullopt:
    // never by lateness). D must be >= grace_days.
    std::optional<int> break_after_days_late = 30;
    SettlementDefault on_default = SettlementDefault::void_settlement;

    // Throws ValidationError naming the field (grace_days 0..365, tolerance >= 0, N >= 1,
    // grace_days <= D <= 3650).
    void validate() const;
    friend bool operator==(const PlanRules&, const PlanRules&) = default;
};

struct PlanAccount {
    std::string account_id;
    Money balance;
    friend bool operator==(const PlanAccount&, const PlanAccount&) = default;
};

struct AccountAmount {
    std::string account_id;
    Money amount;
    friend bool operator==(const AccountAmount&, const AccountAmount&) = default;
};

struct Payment {
    Date date{};
    Money amount;
    friend bool operator==(const Payment&, const Payment&) = default;
};

struct InstallmentStatus {
    int number = 0;
    Date due{};
    Money amount;
    Money paid;                    // applied to this installment so far
    InstallmentState status = InstallmentState::due;
    std::optional<Date> paid_on;   // when cumulative payments covered it (within tolerance)
    int days_late = 0;             // paid: paid_on − due; unpaid: as_of − due (never negative)
    friend bool operator==(const InstallmentStatus&, const InstallmentStatus&) = default;
};

struct PlanEvent {
    PlanEventType type = PlanEventType::kept;
    Date date{};
    int installment = 0;           // 1-based for kept/missed, 0 otherwise
    Money amount;                  // kept: installment amount; missed: shortfall; completed:
                                   // paid; settlement_*: the discount amount; else 0
    std::string detail;            // human-readable reason ("2 missed installments")
    std::vector<AccountAmount> accounts;  // per-account split of `amount` (settlement events)
    friend bool operator==(const PlanEvent&, const PlanEvent&) = default;
};

struct InstallmentAllocation {
    int installment = 0;
    Money amount;
    friend bool operator==(const InstallmentAllocation&, const InstallmentAllocation&) = default;
};

struct PaymentMatch {
    Date date{};
    Money amount;
    std::vector<InstallmentAllocation> applied;
    Money unapplied;               // amount − Σ applied: never lost, reported with `note`
    std::string note;              // why something was not applied ("" when all was)
    std::vector<AccountAmount> accounts;  // per-account split of the applied part
    friend bool operator==(const PaymentMatch&, const PaymentMatch&) = default;
};

struct PlanEvaluation {
    Date as_of{};
    PlanStatus status = PlanStatus::active;
    std::optional<Date> status_date;   // when a terminal status began
    Money paid;                        // applied to the plan
    Money remaining;                   // plan total − paid (0 once completed)
    Money balance_remaining;           // still owed on the accounts (see docs/plans.md)
    int missed_count = 0;              // installments missed so far (ever)
    int days_past_due = 0;             // as_of − due of the oldest unpaid installment past due
    std::vector<InstallmentStatus> installments;
    std::vector<PlanEvent> events;     // dated on or before as_of, in date order
    std::vector<PaymentMatch> payments;  // every payment dated on or before as_of, sorted

    std::string repr() const;
    std::string to_html() const;
    friend bool operator==(const PlanEvaluation&, const PlanEvaluation&) = default;
};

class PaymentPlan {
public:
    // Validates everything (ValidationError naming the field and value):
    //  - accounts: at least one; balances positive, one currency (the schedule's); ids unique,
    //    and non-empty when there is more than one account;
    //  - schedule.first_due on or after plan_date;
    //  - installment: schedule principal <= balance; settlement: zero interest, total <= balance
    //    ("settlement above the balance"), offer_expiry required with plan_date <= offer_expiry
    //    and first_due <= offer_expiry; promise: one installment, zero interest, <= balance;
    //    offer_expiry only on settlements;
    //  - rules.validate(); a zero tolerance takes the plan's currency, a non-zero one must match;
    //  - cancelled_on, if any, on or after plan_date.
    PaymentPlan(PlanKind kind, Date plan_date, std::vector<PlanAccount> accounts,
                Schedule schedule, PlanRules rules = {},
                std::optional<Date> offer_expiry = std::nullopt,
                AccountSplit split = AccountSplit::pro_rata, std::string plan_id = {},
                std::string debtor_id = {}, std::optional<Date> cancelled_on = std::nullopt);

    // The builders arrears.plans uses, over the whole balance of `accounts` (ValidationError
    // naming the argument as the constructor does):
    // an installment plan of `count` installments or of installments of a fixed `amount`
    // (exactly one of the two);
    static PaymentPlan installment(Date plan_date, std::vector<PlanAccount> accounts, Date first_due,
                                   std::optional<int> count, std::optional<Money> amount,
                                   Frequency frequency, const Rational& annual_rate,
                                   RoundingMode rounding, PlanRules rules = {},
                                   AccountSplit split = AccountSplit::pro_rata,
                                   std::string plan_id = {}, std::string debtor_id = {});
    // a settlement of `amount` (at most the balance) in `count` zero-interest installments from
    // `first_due` (default: the offer expiry);
    static PaymentPlan settlement(Date plan_date, std::vector<PlanAccount> accounts, Money amount,
                                  Date offer_expiry, std::optional<Date> first_due, int count,
                                  Frequency frequency, RoundingMode rounding, PlanRules rules = {},
                                  AccountSplit split = AccountSplit::pro_rata,
                                  std::string plan_id = {}, std::string debtor_id = {});
    // a promise to pay `amount` (positive) by `due`.
    static PaymentPlan promise(Date plan_date, std::vector<PlanAccount> accounts, Money amount,
                               Date due, PlanRules rules = {}, std::string plan_id = {},
                               std::string debtor_id = {});

    PlanKind kind() const noexcept { return kind_; }
    Date plan_date() const noexcept { return plan_date_; }
    const std::vector<PlanAccount>& accounts() const noexcept { return accounts_; }
    Money balance() const noexcept { return balance_; }
    const Schedule& schedule() const noexcept { return schedule_; }
    Money total() const noexcept { return schedule_.total_amount(); }
    // balance − total for a settlement (the contingent write-off); zero otherwise.
    Money discount() const;
    const PlanRules& rules() const noexcept { return rules_; }
    std::optional<Date> offer_expiry() const noexcept { return offer_expiry_; }
    AccountSplit split() const noexcept { return split_; }
    const std::string& plan_id() const noexcept { return plan_id_; }
    const std::string& debtor_id() const noexcept { return debtor_id_; }
    std::optional<Date> cancelled_on() const noexcept { return cancelled_on_; }
    Currency currency() const noexcept { return balance_.currency(); }

    // A copy cancelled on `on` (payments dated on or after it are not applied).
    PaymentPlan cancel(Date on) const;

    // The plan as of `as_of` given every payment received (any order; only those dated on or
    // before as_of count). Payments must be positive and in the plan's currency; as_of must not
    // be before the plan date.
    PlanEvaluation evaluate(std::span<const Payment> payments, Date as_of) const;

    // Cumulative split of `applied` money over the accounts: pro_rata gives each account its
    // share of the balances (floors, then leftover minor units one at a time to the account with
    // the largest balance per unit already received, D'Hondt; ties to the earlier account; never
    // more than an account's balance when the plan total is within the balance), so that a later
    // payment never takes back a unit; sequential fills the accounts in order up to their balance
    // (beyond the balances, interest goes to the last account).
    std::vector<Money> split_amount(Money applied) const;

    std::string repr() const;
    // Terms, then the schedule with each installment's status as of the plan date.
    std::string to_html() const;
    friend bool operator==(const PaymentPlan&, const PaymentPlan&) = default;

private:
    PlanKind kind_;
    Date plan_date_;
    std::vector<PlanAccount> accounts_;
    Money balance_;
    Schedule schedule_;
    PlanRules rules_;
    std::optional<Date> offer_expiry_;
    AccountSplit split_;
    std::string plan_id_;
    std::string debtor_id_;
    std::optional<Date> cancelled_on_;
};

// Installment statuses as a table: number, due, amount_cents, paid_cents, status (categorical),
// paid_on (date, null when unpaid), days_late.
Table to_table(const PlanEvaluation& e);
// Events as a table: date, type (categorical), installment, amount_cents, detail.
Table events_table(const PlanEvaluation& e);

// JSON (money as {"amount","currency"} or "12.34" in the plan's currency, dates ISO).
void to_json(nlohmann::json& j, const PlanRules& r);
void to_json(nlohmann::json& j, const PaymentPlan& p);
void to_json(nlohmann::json& j, const PlanEvaluation& e);
void to_json(nlohmann::json& j, const PlanEvent& e);
PlanRules plan_rules_from_json(const nlohmann::json& j, std::string_view path = "$");
PaymentPlan payment_plan_from_json(const nlohmann::json& j, std::string_view path = "$");
PlanEvaluation plan_evaluation_from_json(const nlohmann::json& j, std::string_view path = "$");
PlanEvent plan_event_from_json(const nlohmann::json& j, std::string_view path = "$");
// Amounts as strings in the given currency (the evaluation's).
void to_json(nlohmann::json& j, const InstallmentStatus& s);
void to_json(nlohmann::json& j, const PaymentMatch& m);
InstallmentStatus installment_status_from_json(const nlohmann::json& j, Currency currency,
                                               std::string_view path = "$");
PaymentMatch payment_match_from_json(const nlohmann::json& j, Currency currency,
                                     std::string_view path = "$");

}  // namespace arrears
