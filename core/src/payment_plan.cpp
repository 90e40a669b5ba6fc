#include "arrears/payment_plan.hpp"

#include <algorithm>
#include <array>
#include <nlohmann/json.hpp>
#include <set>

#include "arrears/error.hpp"
#include "arrears/html.hpp"
#include "arrears/json.hpp"

namespace arrears {

// ---- names ---------------------------------------------------------------------------------

namespace {

template <class E, std::size_t N>
E parse_name(std::string_view s, std::string_view field, const std::array<std::pair<std::string_view, E>, N>& table,
             const char* what) {
    for (const auto& [name, value] : table)
        if (name == s) return value;
    std::string expected;
    for (const auto& [name, value] : table) expected += (expected.empty() ? "" : ", ") + std::string(name);
    throw ValidationError(std::string(field) + ": unknown " + what + " " + quote(s) + " (expected " +
                          expected + ")");
}

template <class E, std::size_t N>
std::string_view name_of(E value, const std::array<std::pair<std::string_view, E>, N>& table) {
    for (const auto& [name, v] : table)
        if (v == value) return name;
    return table[0].first;
}

constexpr std::array<std::pair<std::string_view, PlanKind>, 3> kKinds{{
    {"installment", PlanKind::installment},
    {"settlement", PlanKind::settlement},
    {"promise", PlanKind::promise},
}};
constexpr std::array<std::pair<std::string_view, SettlementDefault>, 2> kDefaults{{
    {"void", SettlementDefault::void_settlement},
    {"pro_rata", SettlementDefault::pro_rata},
}};
constexpr std::array<std::pair<std::string_view, AccountSplit>, 2> kSplits{{
    {"pro_rata", AccountSplit::pro_rata},
    {"sequential", AccountSplit::sequential},
}};
constexpr std::array<std::pair<std::string_view, PlanStatus>, 6> kStatuses{{
    {"active", PlanStatus::active},
    {"current", PlanStatus::current},
    {"delinquent", PlanStatus::delinquent},
    {"broken", PlanStatus::broken},
    {"completed", PlanStatus::completed},
    {"cancelled", PlanStatus::cancelled},
}};
constexpr std::array<std::pair<std::string_view, InstallmentState>, 4> kStates{{
    {"due", InstallmentState::due},
    {"paid", InstallmentState::paid},
    {"partial", InstallmentState::partial},
    {"missed", InstallmentState::missed},
}};
constexpr std::array<std::pair<std::string_view, PlanEventType>, 8> kEvents{{
    {"kept", PlanEventType::kept},
    {"missed", PlanEventType::missed},
    {"broken", PlanEventType::broken},
    {"completed", PlanEventType::completed},
    {"settlement_discount", PlanEventType::settlement_discount},
    {"settlement_voided", PlanEventType::settlement_voided},
    {"offer_expired", PlanEventType::offer_expired},
    {"cancelled", PlanEventType::cancelled},
}};

}  // namespace

PlanKind parse_plan_kind(std::string_view s, std::string_view f) { return parse_name(s, f, kKinds, "plan kind"); }
SettlementDefault parse_settlement_default(std::string_view s, std::string_view f) {
    return parse_name(s, f, kDefaults, "settlement default");
}
AccountSplit parse_account_split(std::string_view s, std::string_view f) {
    return parse_name(s, f, kSplits, "account split");
}
PlanStatus parse_plan_status(std::string_view s, std::string_view f) {
    return parse_name(s, f, kStatuses, "plan status");
}
InstallmentState parse_installment_state(std::string_view s, std::string_view f) {
    return parse_name(s, f, kStates, "installment status");
}
PlanEventType parse_plan_event_type(std::string_view s, std::string_view f) {
    return parse_name(s, f, kEvents, "event type");
}
std::string_view to_string(PlanKind k) noexcept { return name_of(k, kKinds); }
std::string_view to_string(SettlementDefault d) noexcept { return name_of(d, kDefaults); }
std::string_view to_string(AccountSplit s) noexcept { return name_of(s, kSplits); }
std::string_view to_string(PlanStatus s) noexcept { return name_of(s, kStatuses); }
std::string_view to_string(InstallmentState s) noexcept { return name_of(s, kStates); }
std::string_view to_string(PlanEventType t) noexcept { return name_of(t, kEvents); }

// ---- rules ---------------------------------------------------------------------------------

void PlanRules::validate() const {
    if (grace_days < 0 || grace_days > 365)
        throw ValidationError("grace_days: " + std::to_string(grace_days) + " is outside 0..365");
    if (tolerance.is_negative())
        throw ValidationError("tolerance: " + tolerance.amount_string() + " must not be negative");
    if (break_after_missed && *break_after_missed < 1)
        throw ValidationError("break_after_missed: " + std::to_string(*break_after_missed) +
                              " must be at least 1 (or None: never by count)");
    if (break_after_days_late) {
        if (*break_after_days_late > 3650)
            throw ValidationError("break_after_days_late: " + std::to_string(*break_after_days_late) +
                                  " is more than 3650");
        if (*break_after_days_late < grace_days)
            throw ValidationError("break_after_days_late: " + std::to_string(*break_after_days_late) +
                                  " is less than grace_days " + std::to_string(grace_days));
    }
}

// ---- plan ----------------------------------------------------------------------------------

namespace {

bool before(Date a, Date b) { return to_days(a) < to_days(b); }
std::int64_t day_number(Date d) { return to_days(d).time_since_epoch().count(); }
Date from_day_number(std::int64_t n) { return from_days(std::chrono::sys_days{std::chrono::days{n}}); }

}  // namespace

PaymentPlan::PaymentPlan(PlanKind kind, Date plan_date, std::vector<PlanAccount> accounts,
                         Schedule schedule, PlanRules rules, std::optional<Date> offer_expiry,
                         AccountSplit split, std::string plan_id, std::string debtor_id,
                         std::optional<Date> cancelled_on)
    : kind_(kind),
      plan_date_(plan_date),
      accounts_(std::move(accounts)),
      schedule_(std::move(schedule)),
      rules_(std::move(rules)),
      offer_expiry_(offer_expiry),
      split_(split),
      plan_id_(std::move(plan_id)),
      debtor_id_(std::move(debtor_id)),
      cancelled_on_(cancelled_on) {
    check_date(plan_date_, "plan_date");
    const Currency c = schedule_.currency();
    if (accounts_.empty()) throw ValidationError("accounts: a plan needs at least one account");
    std::set<std::string> ids;
    balance_ = Money(0, c);
    for (std::size_t i = 0; i < accounts_.size(); ++i) {
        const auto& a = accounts_[i];
        const std::string at = "accounts[" + std::to_string(i) + "]";
        a.balance.require_same_currency(balance_, at + ".balance");
        if (!a.balance.is_positive())
            throw ValidationError(at + ".balance: " + a.balance.amount_string() +
                                  " must be positive");
        if (accounts_.size() > 1 && a.account_id.empty())
            throw ValidationError(at + ".account_id: empty (a plan over several accounts names each)");
        if (!ids.insert(a.account_id).second)
            throw ValidationError(at + ".account_id: " + quote(a.account_id) + " appears twice");
        balance_ += a.balance;
    }
    rules_.validate();
    if (rules_.tolerance.is_zero())
        rules_.tolerance = Money(0, c);
    else
        rules_.tolerance.require_same_currency(balance_, "tolerance");
    if (before(schedule_.first_due(), plan_date_))
        throw ValidationError("first_due: " + to_iso(schedule_.first_due()) +
                              " is before the plan date " + to_iso(plan_date_));
    if (cancelled_on_ && before(*cancelled_on_, plan_date_))
        throw ValidationError("cancelled_on: " + to_iso(*cancelled_on_) +
                              " is before the plan date " + to_iso(plan_date_));
    if (kind_ != PlanKind::settlement && offer_expiry_)
        throw ValidationError("offer_expiry: only a settlement has an offer expiry");
    switch (kind_) {
        case PlanKind::installment:
            if (schedule_.total() > balance_)
                throw ValidationError("total: " + schedule_.total().amount_string() +
                                      " is above the balance " + balance_.amount_string());
            break;
        case PlanKind::settlement:
            if (!schedule_.total_interest().is_zero())
                throw ValidationError("settlement: a settlement carries no interest (annual_rate " +
                                      schedule_.annual_rate().to_string() + ")");
            if (schedule_.total() > balance_)
                throw ValidationError("settlement: " + schedule_.total().amount_string() +
                                      " is above the balance " + balance_.amount_string());
            if (!offer_expiry_)
                throw ValidationError("offer_expiry: a settlement needs an offer expiry date");
            check_date(*offer_expiry_, "offer_expiry");
            if (before(*offer_expiry_, plan_date_))
                throw ValidationError("offer_expiry: " + to_iso(*offer_expiry_) +
                                      " is before the plan date " + to_iso(plan_date_));
            if (before(*offer_expiry_, schedule_.first_due()))
                throw ValidationError("offer_expiry: " + to_iso(*offer_expiry_) +
                                      " is before the first due date " +
                                      to_iso(schedule_.first_due()) +
                                      " (the first payment accepts the offer)");
            break;
        case PlanKind::promise:
            if (schedule_.count() != 1)
                throw ValidationError("schedule: a promise to pay has one date and amount, not " +
                                      std::to_string(schedule_.count()) + " installments");
            if (!schedule_.total_interest().is_zero())
                throw ValidationError("schedule: a promise to pay carries no interest");
            if (schedule_.total() > balance_)
                throw ValidationError("amount: " + schedule_.total().amount_string() +
                                      " is above the balance " + balance_.amount_string());
            break;
    }
}

Money PaymentPlan::discount() const {
    if (kind_ != PlanKind::settlement) return Money(0, currency());
    return balance_ - schedule_.total();
}

namespace {

Money total_balance(const std::vector<PlanAccount>& accounts) {
    if (accounts.empty()) throw ValidationError("accounts: a plan needs at least one account");
    Money total(0, accounts.front().balance.currency());
    for (const auto& a : accounts) total += a.balance;
    return total;
}

}  // namespace

PaymentPlan PaymentPlan::installment(Date plan_date, std::vector<PlanAccount> accounts,
                                     Date first_due, std::optional<int> count,
                                     std::optional<Money> amount, Frequency frequency,
                                     const Rational& annual_rate, RoundingMode rounding,
                                     PlanRules rules, AccountSplit split, std::string plan_id,
                                     std::string debtor_id) {
    if (count.has_value() == amount.has_value())
        throw ValidationError("count: give exactly one of count and amount");
    const Money total = total_balance(accounts);
    Schedule s = count ? installment_schedule(total, *count, first_due, frequency, annual_rate, rounding)
                       : installment_schedule_by_amount(total, *amount, first_due, frequency, annual_rate);
    return PaymentPlan(PlanKind::installment, plan_date, std::move(accounts), std::move(s),
                       std::move(rules), std::nullopt, split, std::move(plan_id), std::move(debtor_id));
}

PaymentPlan PaymentPlan::settlement(Date plan_date, std::vector<PlanAccount> accounts, Money amount,
                                    Date offer_expiry, std::optional<Date> first_due, int count,
                                    Frequency frequency, RoundingMode rounding, PlanRules rules,
                                    AccountSplit split, std::string plan_id, std::string debtor_id) {
    const Money balance = total_balance(accounts);
    if (amount > balance)
        throw ValidationError("settlement_amount: " + amount.amount_string() +
                              " is above the balance " + balance.amount_string());
    Schedule s = installment_schedule(amount, count, first_due.value_or(offer_expiry), frequency,
                                      Rational{}, rounding);
    return PaymentPlan(PlanKind::settlement, plan_date, std::move(accounts), std::move(s),
                       std::move(rules), offer_expiry, split, std::move(plan_id),
                       std::move(debtor_id));
}

PaymentPlan PaymentPlan::promise(Date plan_date, std::vector<PlanAccount> accounts, Money amount,
                                 Date due, PlanRules rules, std::string plan_id,
                                 std::string debtor_id) {
    if (!amount.is_positive())
        throw ValidationError("amount: " + amount.amount_string() + " must be positive");
    const std::pair<Date, Money> one{due, amount};
    return PaymentPlan(PlanKind::promise, plan_date, std::move(accounts),
                       Schedule::from_payments(std::span(&one, 1), Frequency::monthly),
                       std::move(rules), std::nullopt, AccountSplit::pro_rata, std::move(plan_id),
                       std::move(debtor_id));
}

PaymentPlan PaymentPlan::cancel(Date on) const {
    check_date(on, "on");
    if (cancelled_on_)
        throw ConflictError("cancel: the plan was already cancelled on " + to_iso(*cancelled_on_));
    PaymentPlan copy = *this;
    if (before(on, plan_date_))
        throw ValidationError("on: " + to_iso(on) + " is before the plan date " + to_iso(plan_date_));
    copy.cancelled_on_ = on;
    return copy;
}

std::vector<Money> PaymentPlan::split_amount(Money applied) const {
    applied.require_same_currency(balance_, "applied");
    if (applied.is_negative())
        throw ValidationError("applied: " + applied.amount_string() + " must not be negative");
    const Currency c = currency();
    const std::size_t k = accounts_.size();
    std::vector<std::int64_t> share(k, 0);
    const std::int64_t x = applied.minor();
    if (k == 1) return {applied};
    if (split_ == AccountSplit::sequential) {
        std::int64_t left = x;
        for (std::size_t i = 0; i < k; ++i) {
            const std::int64_t take = i + 1 == k ? left : std::min(left, accounts_[i].balance.minor());
            share[i] = take;
            left -= take;
        }
    } else {
        const i128 w_total = balance_.minor();
        std::int64_t given = 0;
        for (std::size_t i = 0; i < k; ++i) {
            share[i] = static_cast<std::int64_t>(static_cast<i128>(x) * accounts_[i].balance.minor() / w_total);
            given += share[i];
        }
        const bool capped = x <= balance_.minor();
        for (std::int64_t left = x - given; left > 0; --left) {
            // D'Hondt: the next unit to the largest balance / (received + 1).
            std::size_t best = k;
            for (std::size_t i = 0; i < k; ++i) {
                if (capped && share[i] >= accounts_[i].balance.minor()) continue;
                if (best == k ||
                    static_cast<i128>(accounts_[i].balance.minor()) * (share[best] + 1) >
                        static_cast<i128>(accounts_[best].balance.minor()) * (share[i] + 1))
                    best = i;
            }
            share[best] += 1;
        }
    }
    std::vector<Money> out;
    out.reserve(k);
    for (auto s : share) out.emplace_back(s, c);
    return out;
}

namespace {

std::vector<AccountAmount> account_amounts(const PaymentPlan& plan, const std::vector<Money>& v) {
    std::vector<AccountAmount> out;
    out.reserve(v.size());
    for (std::size_t i = 0; i < v.size(); ++i) out.push_back({plan.accounts()[i].account_id, v[i]});
    return out;
}

std::vector<Money> difference(const std::vector<Money>& a, const std::vector<Money>& b) {
    std::vector<Money> out;
    out.reserve(a.size());
    for (std::size_t i = 0; i < a.size(); ++i) out.push_back(a[i] - b[i]);
    return out;
}

// Checkpoints processed in date order; on one date: cancellation, then deadline checks (which
// see payments up to the day before), then that date's payments.
enum class CheckKind : int { cancel = 0, miss = 1, late = 2, expiry = 3, payment = 4 };

struct Checkpoint {
    std::int64_t day;
    CheckKind kind;
    std::size_t index;  // installment or payment index
    friend bool operator<(const Checkpoint& a, const Checkpoint& b) {
        if (a.day != b.day) return a.day < b.day;
        if (a.kind != b.kind) return static_cast<int>(a.kind) < static_cast<int>(b.kind);
        return a.index < b.index;
    }
};

}  // namespace

PlanEvaluation PaymentPlan::evaluate(std::span<const Payment> payments, Date as_of) const {
    check_date(as_of, "as_of");
    if (before(as_of, plan_date_))
        throw ValidationError("as_of: " + to_iso(as_of) + " is before the plan date " +
                              to_iso(plan_date_));
    const Currency c = currency();
    const Money zero(0, c);
    std::vector<Payment> sorted;
    sorted.reserve(payments.size());
    for (std::size_t i = 0; i < payments.size(); ++i) {
        const auto& p = payments[i];
        const std::string at = "payments[" + std::to_string(i) + "]";
        check_date(p.date, at + ".date");
        p.amount.require_same_currency(balance_, at + ".amount");
        if (!p.amount.is_positive())
            throw ValidationError(at + ".amount: " + p.amount.amount_string() +
                                  " must be positive (remove a reversed payment instead)");
        if (!before(as_of, p.date)) sorted.push_back(p);
    }
    std::sort(sorted.begin(), sorted.end(), [](const Payment& a, const Payment& b) {
        if (a.date != b.date) return before(a.date, b.date);
        return a.amount.minor() < b.amount.minor();
    });

    const auto& items = schedule_.installments();
    const std::size_t n = items.size();
    std::vector<std::int64_t> cum(n + 1, 0);  // cum[k] = amounts of installments 1..k
    for (std::size_t k = 0; k < n; ++k) cum[k + 1] = cum[k] + items[k].amount.minor();
    const std::int64_t total = cum[n];
    const std::int64_t tol = rules_.tolerance.minor();
    const std::int64_t asof = day_number(as_of);

    std::vector<Checkpoint> checks;
    checks.reserve(sorted.size() + 2 * n + 2);
    for (std::size_t i = 0; i < sorted.size(); ++i)
        checks.push_back({day_number(sorted[i].date), CheckKind::payment, i});
    for (std::size_t k = 0; k < n; ++k) {
        const std::int64_t due = day_number(items[k].due);
        checks.push_back({due + rules_.grace_days + 1, CheckKind::miss, k});
        if (rules_.break_after_days_late)
            checks.push_back({due + *rules_.break_after_days_late + 1, CheckKind::late, k});
    }
    if (offer_expiry_) checks.push_back({day_number(*offer_expiry_) + 1, CheckKind::expiry, 0});
    if (cancelled_on_) checks.push_back({day_number(*cancelled_on_), CheckKind::cancel, 0});
    std::sort(checks.begin(), checks.end());

    PlanEvaluation ev;
    ev.as_of = as_of;
    std::int64_t paid = 0;
    std::size_t next = 0;  // first installment not yet covered
    std::vector<std::optional<std::int64_t>> covered_on(n);
    std::vector<bool> missed(n, false);
    int misses = 0;
    std::optional<PlanStatus> terminal;
    std::int64_t terminal_day = 0;
    std::int64_t granted_discount = 0;  // settlement discount granted (completion or pro rata)
    std::vector<Money> received = split_amount(zero);

    auto event = [&](PlanEventType type, std::int64_t day, int installment, Money amount,
                     std::string detail, std::vector<AccountAmount> accounts = {}) {
        ev.events.push_back({type, from_day_number(day), installment, amount, std::move(detail),
                             std::move(accounts)});
    };
    auto end_plan = [&](PlanStatus status, std::int64_t day) {
        terminal = status;
        terminal_day = day;
    };
    auto per_account_discount = [&]() {
        std::vector<Money> d;
        for (std::size_t i = 0; i < accounts_.size(); ++i)
            d.push_back(accounts_[i].balance - received[i]);
        return d;
    };
    auto break_plan = [&](std::int64_t day, std::string reason) {
        event(PlanEventType::broken, day, 0, zero, std::move(reason));
        end_plan(PlanStatus::broken, day);
        if (kind_ != PlanKind::settlement) return;
        const std::int64_t disc = discount().minor();
        std::int64_t earned = 0;
        if (rules_.on_default == SettlementDefault::pro_rata && total > 0)
            earned = round_div(static_cast<i128>(paid) * disc, total, RoundingMode::down);
        if (earned > 0) {
            // Split the earned discount like the payments that earned it.
            const Money e(earned, c);
            std::vector<Money> parts = e.allocate(std::span<const std::int64_t>(
                [&] {
                    std::vector<std::int64_t> w;
                    for (const auto& r : received) w.push_back(r.minor());
                    return w;
                }()));
            event(PlanEventType::settlement_discount, day, 0, e,
                  "pro rata share of the discount earned by " + Money(paid, c).amount_string() +
                      " paid",
                  account_amounts(*this, parts));
            granted_discount = earned;
        }
        event(PlanEventType::settlement_voided, day, 0, Money(disc - earned, c),
              rules_.on_default == SettlementDefault::pro_rata
                  ? "the unearned discount is withdrawn; the rest of the balance returns"
                  : "the settlement is void; the full balance returns");
    };

    for (const Checkpoint& cp : checks) {
        if (cp.day > asof) break;
        if (cp.kind == CheckKind::payment) {
            const Payment& p = sorted[cp.index];
            PaymentMatch m{p.date, p.amount, {}, zero, {}, {}};
            if (terminal) {
                m.unapplied = p.amount;
                m.note = "the plan was " + std::string(to_string(*terminal)) + " on " +
                         to_iso(from_day_number(terminal_day));
            } else if (before(p.date, plan_date_)) {
                m.unapplied = p.amount;
                m.note = "before the plan date " + to_iso(plan_date_);
            } else {
                const std::int64_t room = total - paid;
                const std::int64_t apply = std::min(room, p.amount.minor());
                // Oldest due first: walk the installments the applied money covers.
                std::int64_t from = paid;
                const std::int64_t to = paid + apply;
                for (std::size_t k = 0; k < n && from < to; ++k) {
                    if (cum[k + 1] <= from) continue;
                    const std::int64_t part = std::min(to, cum[k + 1]) - from;
                    m.applied.push_back({static_cast<int>(k) + 1, Money(part, c)});
                    from += part;
                }
                const std::vector<Money> before_split = received;
                paid = to;
                received = split_amount(Money(paid, c));
                if (accounts_.size() > 1) m.accounts = account_amounts(*this, difference(received, before_split));
                else m.accounts = {{accounts_[0].account_id, Money(apply, c)}};
                m.unapplied = Money(p.amount.minor() - apply, c);
                if (!m.unapplied.is_zero()) m.note = "exceeds the plan total";
                while (next < n && paid >= cum[next + 1] - tol) {
                    covered_on[next] = cp.day;
                    if (!missed[next])
                        event(PlanEventType::kept, cp.day, static_cast<int>(next) + 1,
                              items[next].amount, "");
                    ++next;
                }
                if (next == n) {
                    event(PlanEventType::completed, cp.day, 0, Money(paid, c),
                          paid < total ? "completed within the tolerance (short " +
                                             Money(total - paid, c).amount_string() + ")"
                                       : "");
                    end_plan(PlanStatus::completed, cp.day);
                    if (kind_ == PlanKind::settlement) {
                        const std::vector<Money> parts = per_account_discount();
                        Money d = balance_ - Money(paid, c);
                        granted_discount = d.minor();
                        if (d.is_positive())
                            event(PlanEventType::settlement_discount, cp.day, 0, d,
                                  "settlement completed: write off the rest of the balance",
                                  account_amounts(*this, parts));
                    }
                }
            }
            ev.payments.push_back(std::move(m));
            continue;
        }
        if (terminal) continue;
        switch (cp.kind) {
            case CheckKind::cancel:
                event(PlanEventType::cancelled, cp.day, 0, zero, "");
                end_plan(PlanStatus::cancelled, cp.day);
                break;
            case CheckKind::expiry:
                if (paid == 0) {
                    event(PlanEventType::offer_expired, cp.day, 0, zero,
                          "nothing paid by the offer expiry " + to_iso(*offer_expiry_));
                    end_plan(PlanStatus::cancelled, cp.day);
                }
                break;
            case CheckKind::miss:
                if (!covered_on[cp.index]) {
                    missed[cp.index] = true;
                    ++misses;
                    const std::int64_t on_it =
                        std::clamp<std::int64_t>(paid - cum[cp.index], 0, items[cp.index].amount.minor());
                    event(PlanEventType::missed, cp.day, static_cast<int>(cp.index) + 1,
                          Money(items[cp.index].amount.minor() - on_it, c),
                          on_it > 0 ? "partly paid (" + Money(on_it, c).amount_string() + ")" : "");
                    if (kind_ == PlanKind::promise)
                        break_plan(cp.day, "promise to pay missed");
                    else if (rules_.break_after_missed && misses >= *rules_.break_after_missed)
                        break_plan(cp.day, std::to_string(misses) + " missed installment" +
                                               (misses == 1 ? "" : "s"));
                }
                break;
            case CheckKind::late:
                if (!covered_on[cp.index])
                    break_plan(cp.day, "installment " + std::to_string(cp.index + 1) +
                                           " more than " +
                                           std::to_string(*rules_.break_after_days_late) +
                                           " days late");
                break;
            case CheckKind::payment: break;
        }
    }

    // Installment statuses as of as_of.
    bool open_miss = false;
    std::optional<std::int64_t> oldest_unpaid_due;
    for (std::size_t k = 0; k < n; ++k) {
        const auto& x = items[k];
        const std::int64_t due = day_number(x.due);
        InstallmentStatus s;
        s.number = x.number;
        s.due = x.due;
        s.amount = x.amount;
        s.paid = Money(std::clamp<std::int64_t>(paid - cum[k], 0, x.amount.minor()), c);
        if (covered_on[k]) {
            s.status = InstallmentState::paid;
            s.paid_on = from_day_number(*covered_on[k]);
            s.days_late = static_cast<int>(std::max<std::int64_t>(0, *covered_on[k] - due));
        } else {
            s.days_late = static_cast<int>(std::max<std::int64_t>(0, asof - due));
            if (asof > due + rules_.grace_days) {
                s.status = InstallmentState::missed;
                open_miss = true;
            } else if (s.paid.is_positive()) {
                s.status = InstallmentState::partial;
            }
            if (asof > due && !oldest_unpaid_due) oldest_unpaid_due = due;
        }
        ev.installments.push_back(std::move(s));
    }
    if (terminal) {
        ev.status = *terminal;
        ev.status_date = from_day_number(terminal_day);
    } else if (open_miss) {
        ev.status = PlanStatus::delinquent;
    } else if (asof >= day_number(schedule_.first_due())) {
        ev.status = PlanStatus::current;
    } else {
        ev.status = PlanStatus::active;
    }
    ev.paid = Money(paid, c);
    ev.remaining = terminal == PlanStatus::completed ? zero : Money(total - paid, c);
    ev.missed_count = misses;
    ev.days_past_due = oldest_unpaid_due && ev.status != PlanStatus::completed
                           ? static_cast<int>(asof - *oldest_unpaid_due)
                           : 0;
    // Owed on the accounts: balance − principal paid (each installment's payment goes to its
    // interest first, actuarial order) − any discount granted.
    std::int64_t principal_paid = 0;
    for (std::size_t k = 0; k < n; ++k) {
        const std::int64_t on_it = ev.installments[k].paid.minor();
        principal_paid += std::max<std::int64_t>(0, on_it - items[k].interest.minor());
    }
    ev.balance_remaining = Money(std::max<std::int64_t>(0, balance_.minor() - principal_paid - granted_discount), c);
    return ev;
}

// ---- display -------------------------------------------------------------------------------

namespace {

std::string plan_heading(const PaymentPlan& p) {
    std::string h = std::string(to_string(p.kind())) + " plan";
    if (p.kind() == PlanKind::promise) h = "promise to pay";
    if (!p.plan_id().empty()) h += " " + p.plan_id();
    return h;
}

}  // namespace

std::string PaymentPlan::repr() const {
    std::string out = "PaymentPlan(" + std::string(to_string(kind_));
    if (!plan_id_.empty()) out += ", plan_id=" + quote(plan_id_);
    out += ", plan_date=" + to_iso(plan_date_) + ", balance=" + balance_.amount_string() + " " +
           std::string(currency().code()) + ", total=" + total().amount_string() + ", " +
           std::to_string(schedule_.count()) + " x " + std::string(to_string(schedule_.frequency())) +
           " from " + to_iso(schedule_.first_due());
    if (accounts_.size() > 1) out += ", accounts=" + std::to_string(accounts_.size());
    if (offer_expiry_) out += ", offer_expiry=" + to_iso(*offer_expiry_);
    if (cancelled_on_) out += ", cancelled_on=" + to_iso(*cancelled_on_);
    return out + ")";
}

std::string PaymentPlan::to_html() const {
    std::string h = "<div class=\"arrears-plan\"><p><b>" + html_escape(plan_heading(*this)) + "</b>";
    if (!debtor_id_.empty()) h += " for debtor " + html_escape(debtor_id_);
    h += ", agreed " + to_iso(plan_date_) + ": balance " + html_escape(balance_.format()) + ", total " +
         html_escape(total().format());
    if (kind_ == PlanKind::settlement)
        h += " (discount " + html_escape(discount().format()) + ", offer expires " + to_iso(*offer_expiry_) + ")";
    if (cancelled_on_) h += ", cancelled " + to_iso(*cancelled_on_);
    h += ". Kept within " + std::to_string(rules_.grace_days) + " grace days";
    if (rules_.tolerance.is_positive()) h += " and " + html_escape(rules_.tolerance.format()) + " tolerance";
    h += "; breaks";
    if (kind_ == PlanKind::promise) {
        h += " when missed";
    } else {
        if (rules_.break_after_missed) h += " after " + std::to_string(*rules_.break_after_missed) + " missed";
        if (rules_.break_after_missed && rules_.break_after_days_late) h += " or";
        if (rules_.break_after_days_late)
            h += " when " + std::to_string(*rules_.break_after_days_late) + " days late";
        if (!rules_.break_after_missed && !rules_.break_after_days_late) h += " never";
    }
    h += ".</p>";
    if (accounts_.size() > 1) {
        h += "<p>Accounts (" + std::string(to_string(split_)) + " split): ";
        for (std::size_t i = 0; i < accounts_.size(); ++i)
            h += (i ? ", " : "") + html_escape(accounts_[i].account_id) + " " + html_escape(accounts_[i].balance.format());
        h += "</p>";
    }
    // The schedule with each installment's status as of the plan date (no payments yet): the
    // same table PlanEvaluation shows once payments are evaluated.
    return h + evaluate({}, plan_date_).to_html() + "</div>";
}

std::string PlanEvaluation::repr() const {
    return "PlanEvaluation(as_of=" + to_iso(as_of) + ", status=" + std::string(to_string(status)) +
           ", paid=" + paid.amount_string() + ", remaining=" + remaining.amount_string() +
           ", missed=" + std::to_string(missed_count) + ", events=" + std::to_string(events.size()) + ")";
}

std::string PlanEvaluation::to_html() const {
    std::string h = "<div class=\"arrears-plan-status\"><p><b>Status " + std::string(to_string(status)) +
                    "</b> as of " + to_iso(as_of);
    if (status_date) h += " (since " + to_iso(*status_date) + ")";
    h += ": paid " + html_escape(paid.format()) + ", remaining " + html_escape(remaining.format()) +
         ", missed installments " + std::to_string(missed_count) + ", days past due " +
         std::to_string(days_past_due) + "</p>";
    h += "<table><thead><tr><th>#</th><th>due</th><th>amount</th><th>paid</th><th>status</th>"
         "<th>paid on</th><th>days late</th></tr></thead><tbody>";
    for (const auto& s : installments) {
        h += "<tr><td>" + std::to_string(s.number) + "</td><td>" + to_iso(s.due) +
             "</td><td style=\"text-align:right\">" + html_escape(s.amount.format()) +
             "</td><td style=\"text-align:right\">" + html_escape(s.paid.format()) + "</td><td>" +
             std::string(to_string(s.status)) + "</td><td>" + (s.paid_on ? to_iso(*s.paid_on) : "") +
             "</td><td>" + std::to_string(s.days_late) + "</td></tr>";
    }
    h += "</tbody></table>";
    if (!events.empty()) {
        h += "<p><b>Events</b></p><ul>";
        for (const auto& e : events) {
            h += "<li>" + to_iso(e.date) + " " + std::string(to_string(e.type));
            if (e.installment) h += " #" + std::to_string(e.installment);
            if (!e.amount.is_zero()) h += " " + html_escape(e.amount.format());
            if (!e.detail.empty()) h += " — " + html_escape(e.detail);
            h += "</li>";
        }
        h += "</ul>";
    }
    return h + "</div>";
}

// ---- tables --------------------------------------------------------------------------------

Table to_table(const PlanEvaluation& e) {
    std::vector<std::int32_t> number, due, paid_on, days_late, status;
    std::vector<std::int64_t> amount, paid;
    std::vector<std::uint8_t> paid_valid;
    for (const auto& s : e.installments) {
        number.push_back(s.number);
        due.push_back(days_since_epoch(s.due));
        amount.push_back(s.amount.minor());
        paid.push_back(s.paid.minor());
        status.push_back(static_cast<std::int32_t>(s.status));
        paid_on.push_back(s.paid_on ? days_since_epoch(*s.paid_on) : 0);
        paid_valid.push_back(s.paid_on ? 1 : 0);
        days_late.push_back(s.days_late);
    }
    auto labels = std::make_shared<const std::vector<std::string>>(
        std::vector<std::string>{"due", "paid", "partial", "missed"});
    Table t;
    t.add_int32("number", std::move(number))
        .add_date32("due", std::move(due))
        .add_int64("amount_cents", std::move(amount))
        .add_int64("paid_cents", std::move(paid))
        .add_dictionary("status", std::move(status), labels)
        .add_date32("paid_on", std::move(paid_on), std::move(paid_valid))
        .add_int32("days_late", std::move(days_late));
    return t;
}

Table events_table(const PlanEvaluation& e) {
    std::vector<std::int32_t> date, type, installment;
    std::vector<std::int64_t> amount;
    std::vector<std::string> detail;
    std::vector<std::string> names;
    for (const auto& [name, value] : kEvents) names.emplace_back(name);
    for (const auto& x : e.events) {
        date.push_back(days_since_epoch(x.date));
        type.push_back(static_cast<std::int32_t>(x.type));
        installment.push_back(x.installment);
        amount.push_back(x.amount.minor());
        detail.push_back(x.detail);
    }
    Table t;
    t.add_date32("date", std::move(date))
        .add_dictionary("type", std::move(type), std::make_shared<const std::vector<std::string>>(std::move(names)))
        .add_int32("installment", std::move(installment))
        .add_int64("amount_cents", std::move(amount))
        .add_utf8("detail", std::move(detail));
    return t;
}

// ---- JSON ----------------------------------------------------------------------------------

namespace {

nlohmann::json opt_int(const std::optional<int>& v) { return v ? nlohmann::json(*v) : nlohmann::json(nullptr); }
nlohmann::json opt_date(const std::optional<Date>& d) { return d ? nlohmann::json(to_iso(*d)) : nlohmann::json(nullptr); }

std::optional<int> read_opt_int(const JsonView& v, std::string_view key, int lo, int hi) {
    auto f = v.find(key);
    if (!f) return std::nullopt;
    const std::int64_t x = f->as_int();
    if (x < lo || x > hi) f->fail("out of range " + std::to_string(lo) + ".." + std::to_string(hi));
    return static_cast<int>(x);
}

std::optional<Date> read_opt_date(const JsonView& v, std::string_view key) {
    auto f = v.find(key);
    if (!f) return std::nullopt;
    return f->as_date();
}

nlohmann::json account_amounts_json(const std::vector<AccountAmount>& v) {
    nlohmann::json a = nlohmann::json::array();
    for (const auto& x : v) a.push_back({{"account_id", x.account_id}, {"amount", x.amount.amount_string()}});
    return a;
}

std::vector<AccountAmount> read_account_amounts(const JsonView& v, Currency c) {
    std::vector<AccountAmount> out;
    for (std::size_t i = 0; i < v.size(); ++i) {
        const JsonView x = v.at(i);
        x.check_keys({"account_id", "amount"});
        out.push_back({x.at("account_id").as_string(), x.at("amount").as_money(c)});
    }
    return out;
}

void write_event(nlohmann::json& j, const PlanEvent& e) {
    j = nlohmann::json{{"type", std::string(to_string(e.type))},
                       {"date", to_iso(e.date)},
                       {"installment", e.installment},
                       {"amount", e.amount},
                       {"detail", e.detail},
                       {"accounts", account_amounts_json(e.accounts)}};
}

PlanEvent read_event(const JsonView& v) {
    v.check_keys({"type", "date", "installment", "amount", "detail", "accounts"});
    PlanEvent e;
    e.type = parse_plan_event_type(v.at("type").as_string(), v.path() + ".type");
    e.date = v.at("date").as_date();
    e.installment = static_cast<int>(std::clamp<std::int64_t>(v.at("installment").as_int(), 0, kMaxInstallments));
    e.amount = v.at("amount").as_money();
    e.detail = v.find("detail") ? v.at("detail").as_string() : std::string{};
    if (auto a = v.find("accounts")) e.accounts = read_account_amounts(*a, e.amount.currency());
    return e;
}

}  // namespace

void to_json(nlohmann::json& j, const PlanRules& r) {
    j = nlohmann::json{{"grace_days", r.grace_days},
                       {"tolerance", r.tolerance},
                       {"break_after_missed", opt_int(r.break_after_missed)},
                       {"break_after_days_late", opt_int(r.break_after_days_late)},
                       {"on_default", std::string(to_string(r.on_default))}};
}

PlanRules plan_rules_from_json(const nlohmann::json& json, std::string_view path) {
    const JsonView v(json, std::string(path));
    v.check_keys({"grace_days", "tolerance", "break_after_missed", "break_after_days_late", "on_default"});
    PlanRules r;
    if (auto g = v.find("grace_days")) {
        const std::int64_t x = g->as_int();
        if (x < 0 || x > 365) g->fail(std::to_string(x) + " is outside 0..365");
        r.grace_days = static_cast<int>(x);
    }
    if (auto t = v.find("tolerance")) r.tolerance = t->as_money();
    // Explicit null switches a break condition off; absent keeps the default.
    if (v.has("break_after_missed")) r.break_after_missed = read_opt_int(v, "break_after_missed", 1, 100000);
    else if (v.json().contains("break_after_missed")) r.break_after_missed = std::nullopt;
    if (v.has("break_after_days_late")) r.break_after_days_late = read_opt_int(v, "break_after_days_late", 0, 100000);
    else if (v.json().contains("break_after_days_late")) r.break_after_days_late = std::nullopt;
    if (auto d = v.find("on_default")) r.on_default = parse_settlement_default(d->as_string(), d->path());
    try {
        r.validate();
    } catch (const ValidationError& e) {
        throw ValidationError(v.path() + "." + e.what());
    }
    return r;
}

void to_json(nlohmann::json& j, const PaymentPlan& p) {
    nlohmann::json accounts = nlohmann::json::array();
    for (const auto& a : p.accounts()) accounts.push_back({{"account_id", a.account_id}, {"balance", a.balance}});
    j = nlohmann::json{{"version", 1},
                       {"kind", std::string(to_string(p.kind()))},
                       {"plan_id", p.plan_id()},
                       {"debtor_id", p.debtor_id()},
                       {"plan_date", to_iso(p.plan_date())},
                       {"accounts", accounts},
                       {"split", std::string(to_string(p.split()))},
                       {"schedule", p.schedule()},
                       {"rules", p.rules()},
                       {"offer_expiry", opt_date(p.offer_expiry())},
                       {"cancelled_on", opt_date(p.cancelled_on())}};
}

PaymentPlan payment_plan_from_json(const nlohmann::json& json, std::string_view path) {
    const JsonView v(json, std::string(path));
    v.check_keys({"version", "kind", "plan_id", "debtor_id", "plan_date", "accounts", "split",
                  "schedule", "rules", "offer_expiry", "cancelled_on"});
    if (auto ver = v.find("version"); ver && ver->as_int() != 1) ver->fail("unknown version");
    const PlanKind kind = parse_plan_kind(v.at("kind").as_string(), v.path() + ".kind");
    const JsonView accts = v.at("accounts");
    std::vector<PlanAccount> accounts;
    for (std::size_t i = 0; i < accts.size(); ++i) {
        const JsonView a = accts.at(i);
        a.check_keys({"account_id", "balance"});
        accounts.push_back({a.at("account_id").as_string(), a.at("balance").as_money()});
    }
    Schedule schedule = schedule_from_json(v.at("schedule").json(), v.path() + ".schedule");
    PlanRules rules = v.find("rules") ? plan_rules_from_json(v.at("rules").json(), v.path() + ".rules") : PlanRules{};
    const AccountSplit split = v.find("split") ? parse_account_split(v.at("split").as_string(), v.path() + ".split")
                                               : AccountSplit::pro_rata;
    try {
        return PaymentPlan(kind, v.at("plan_date").as_date(), std::move(accounts), std::move(schedule),
                           std::move(rules), read_opt_date(v, "offer_expiry"), split,
                           v.find("plan_id") ? v.at("plan_id").as_string() : std::string{},
                           v.find("debtor_id") ? v.at("debtor_id").as_string() : std::string{},
                           read_opt_date(v, "cancelled_on"));
    } catch (const ValidationError& e) {
        if (std::string_view(e.what()).starts_with("$")) throw;
        throw ValidationError(v.path() + ": " + e.what());
    }
}

void to_json(nlohmann::json& j, const PlanEvent& e) { write_event(j, e); }

PlanEvent plan_event_from_json(const nlohmann::json& json, std::string_view path) {
    return read_event(JsonView(json, std::string(path)));
}

void to_json(nlohmann::json& j, const InstallmentStatus& s) {
    j = nlohmann::json{{"number", s.number},
                       {"due", to_iso(s.due)},
                       {"amount", s.amount.amount_string()},
                       {"paid", s.paid.amount_string()},
                       {"status", std::string(to_string(s.status))},
                       {"paid_on", opt_date(s.paid_on)},
                       {"days_late", s.days_late}};
}

void to_json(nlohmann::json& j, const PaymentMatch& m) {
    nlohmann::json applied = nlohmann::json::array();
    for (const auto& a : m.applied)
        applied.push_back({{"installment", a.installment}, {"amount", a.amount.amount_string()}});
    j = nlohmann::json{{"date", to_iso(m.date)},
                       {"amount", m.amount.amount_string()},
                       {"applied", applied},
                       {"unapplied", m.unapplied.amount_string()},
                       {"note", m.note},
                       {"accounts", account_amounts_json(m.accounts)}};
}

InstallmentStatus installment_status_from_json(const nlohmann::json& json, Currency c,
                                               std::string_view path) {
    const JsonView x(json, std::string(path));
    x.check_keys({"number", "due", "amount", "paid", "status", "paid_on", "days_late"});
    InstallmentStatus s;
    s.number = static_cast<int>(std::clamp<std::int64_t>(x.at("number").as_int(), 0, kMaxInstallments));
    s.due = x.at("due").as_date();
    s.amount = x.at("amount").as_money(c);
    s.paid = x.at("paid").as_money(c);
    s.status = parse_installment_state(x.at("status").as_string(), x.path() + ".status");
    s.paid_on = read_opt_date(x, "paid_on");
    s.days_late = static_cast<int>(std::clamp<std::int64_t>(x.at("days_late").as_int(), 0, 1'000'000));
    return s;
}

PaymentMatch payment_match_from_json(const nlohmann::json& json, Currency c, std::string_view path) {
    const JsonView x(json, std::string(path));
    x.check_keys({"date", "amount", "applied", "unapplied", "note", "accounts"});
    PaymentMatch m;
    m.date = x.at("date").as_date();
    m.amount = x.at("amount").as_money(c);
    const JsonView ap = x.at("applied");
    for (std::size_t k = 0; k < ap.size(); ++k) {
        const JsonView a = ap.at(k);
        a.check_keys({"installment", "amount"});
        m.applied.push_back({static_cast<int>(std::clamp<std::int64_t>(a.at("installment").as_int(), 0, kMaxInstallments)),
                             a.at("amount").as_money(c)});
    }
    m.unapplied = x.at("unapplied").as_money(c);
    m.note = x.find("note") ? x.at("note").as_string() : std::string{};
    if (auto a = x.find("accounts")) m.accounts = read_account_amounts(*a, c);
    return m;
}

void to_json(nlohmann::json& j, const PlanEvaluation& e) {
    nlohmann::json events = nlohmann::json::array();
    for (const auto& x : e.events) {
        nlohmann::json one;
        write_event(one, x);
        events.push_back(std::move(one));
    }
    j = nlohmann::json{{"version", 1},
                       {"as_of", to_iso(e.as_of)},
                       {"status", std::string(to_string(e.status))},
                       {"status_date", opt_date(e.status_date)},
                       {"paid", e.paid},
                       {"remaining", e.remaining.amount_string()},
                       {"balance_remaining", e.balance_remaining.amount_string()},
                       {"missed_count", e.missed_count},
                       {"days_past_due", e.days_past_due},
                       {"installments", e.installments},
                       {"events", events},
                       {"payments", e.payments}};
}

PlanEvaluation plan_evaluation_from_json(const nlohmann::json& json, std::string_view path) {
    const JsonView v(json, std::string(path));
    v.check_keys({"version", "as_of", "status", "status_date", "paid", "remaining", "balance_remaining",
                  "missed_count", "days_past_due", "installments", "events", "payments"});
    if (auto ver = v.find("version"); ver && ver->as_int() != 1) ver->fail("unknown version");
    PlanEvaluation e;
    e.as_of = v.at("as_of").as_date();
    e.status = parse_plan_status(v.at("status").as_string(), v.path() + ".status");
    e.status_date = read_opt_date(v, "status_date");
    e.paid = v.at("paid").as_money();
    const Currency c = e.paid.currency();
    e.remaining = v.at("remaining").as_money(c);
    e.balance_remaining = v.at("balance_remaining").as_money(c);
    e.missed_count = static_cast<int>(std::clamp<std::int64_t>(v.at("missed_count").as_int(), 0, kMaxInstallments));
    e.days_past_due = static_cast<int>(std::clamp<std::int64_t>(v.at("days_past_due").as_int(), 0, 10'000'000));
    const JsonView inst = v.at("installments");
    for (std::size_t i = 0; i < inst.size(); ++i)
        e.installments.push_back(installment_status_from_json(inst.at(i).json(), c, inst.at(i).path()));
    const JsonView evs = v.at("events");
    for (std::size_t i = 0; i < evs.size(); ++i) e.events.push_back(read_event(evs.at(i)));
    const JsonView pays = v.at("payments");
    for (std::size_t i = 0; i < pays.size(); ++i)
        e.payments.push_back(payment_match_from_json(pays.at(i).json(), c, pays.at(i).path()));
    return e;
}

}  // namespace arrears
