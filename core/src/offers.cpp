#include "arrears/offers.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "arrears/error.hpp"
#include "arrears/json.hpp"

namespace arrears {

Money Budget::disposable() const { return monthly_income - monthly_expenses; }

void Budget::validate() const {
    monthly_expenses.require_same_currency(monthly_income, "monthly_expenses");
    available_funds.require_same_currency(monthly_income, "available_funds");
    if (monthly_income.is_negative())
        throw ValidationError("monthly_income: " + monthly_income.amount_string() + " is negative");
    if (monthly_expenses.is_negative())
        throw ValidationError("monthly_expenses: " + monthly_expenses.amount_string() + " is negative");
    if (available_funds.is_negative())
        throw ValidationError("available_funds: " + available_funds.amount_string() + " is negative");
}

void OfferPolicy::validate() const {
    if (minimum_payment.is_negative())
        throw ValidationError("minimum_payment: " + minimum_payment.amount_string() + " is negative");
    if (maximum_term_months < 1 || maximum_term_months > 120)
        throw ValidationError("maximum_term_months: " + std::to_string(maximum_term_months) +
                              " is outside 1..120");
    if (settlement_floor && (settlement_floor->num <= 0 || *settlement_floor > Rational{1, 1}))
        throw ValidationError("settlement_floor: " + settlement_floor->to_string() +
                              " is outside (0, 1] (a fraction: 0.6 for 60%)");
    if (offer_expiry_days < 0 || offer_expiry_days > 365)
        throw ValidationError("offer_expiry_days: " + std::to_string(offer_expiry_days) +
                              " is outside 0..365");
}

PaymentPlan Offer::to_plan(Date plan_date, std::vector<PlanAccount> accounts, PlanRules rules) const {
    if (accounts.empty()) accounts.push_back({"", balance});
    Money sum(0, balance.currency());
    for (const auto& a : accounts) sum += a.balance;
    if (sum != balance)
        throw ValidationError("accounts: balances sum to " + sum.amount_string() +
                              ", not the offer's balance " + balance.amount_string());
    return PaymentPlan(kind, plan_date, std::move(accounts), schedule, std::move(rules),
                       kind == PlanKind::settlement ? std::optional<Date>(offer_expiry) : std::nullopt);
}

namespace {

std::string percent(const Rational& r) { return Rational::of(r.num * 100, r.den).to_string() + "%"; }

// The largest payment in whole currency units that fits `limit`, capped at `amount`.
std::int64_t affordable_payment(std::int64_t amount, std::int64_t limit, std::int64_t unit) {
    if (limit <= 0) return 0;
    return std::min(amount, limit / unit * unit);
}

}  // namespace

std::vector<Offer> propose_offers(Money balance, const Budget& budget, const OfferPolicy& policy,
                                  Date as_of) {
    if (!balance.is_positive())
        throw ValidationError("balance: " + balance.amount_string() + " must be positive");
    budget.validate();
    budget.monthly_income.require_same_currency(balance, "budget");
    policy.validate();
    policy.minimum_payment.require_same_currency(balance, "minimum_payment");
    check_date(as_of, "as_of");
    const Currency c = balance.currency();
    const Date expiry = add_days(as_of, policy.offer_expiry_days);
    const std::int64_t unit = c.scale();
    const std::int64_t disposable = budget.disposable().minor();
    const std::int64_t lump_capacity = budget.available_funds.minor() + std::max<std::int64_t>(0, disposable);
    const std::int64_t min_pay = policy.minimum_payment.minor();
    std::vector<Offer> offers;

    auto lump = [&](PlanKind kind, std::int64_t amount, std::string description) {
        const Money m(amount, c);
        const std::pair<Date, Money> one{expiry, m};
        offers.push_back({kind, balance, m, balance - m,
                          Schedule::from_payments(std::span(&one, 1), Frequency::monthly), expiry,
                          std::move(description)});
    };
    // Plans for `amount`: the fastest affordable one and the one at the longest term.
    auto plans = [&](PlanKind kind, std::int64_t amount, const std::string& what) {
        std::vector<int> counts;
        const std::int64_t fastest = affordable_payment(amount, disposable, unit);
        if (fastest > 0 && (fastest >= min_pay || fastest == amount)) {
            const auto n = static_cast<int>((amount + fastest - 1) / fastest);
            if (n >= 2 && n <= policy.maximum_term_months) counts.push_back(n);
        }
        if (!counts.empty()) {
            // The gentlest plan the policy allows: the longest term whose payment still meets the
            // minimum payment.
            int n = policy.maximum_term_months;
            while (n > counts.front() && min_pay > 0 && (amount + n - 1) / n < min_pay) --n;
            if (n > counts.front()) counts.push_back(n);
        }
        for (int n : counts) {
            try {
                Schedule s = installment_schedule(Money(amount, c), n, expiry, Frequency::monthly,
                                                  Rational{}, RoundingMode::up);
                std::string d = what + " in " + std::to_string(n) + " monthly payments of " +
                                s.regular_amount().format();
                if (s.installments().back().amount != s.regular_amount())
                    d += " (last " + s.installments().back().amount.format() + ")";
                d += ", the first by " + to_iso(expiry);
                offers.push_back({kind, balance, Money(amount, c), balance - Money(amount, c),
                                  std::move(s), expiry, std::move(d)});
            } catch (const ValidationError&) {
                // Terms that cannot be split (tiny amounts over long terms) are simply not offered.
            }
        }
    };

    const std::int64_t b = balance.minor();
    if (lump_capacity >= b) lump(PlanKind::installment, b, "Pay " + balance.format() + " in full by " + to_iso(expiry));
    plans(PlanKind::installment, b, "Pay " + balance.format());
    if (policy.settlement_floor) {
        const std::int64_t floor_amount =
            balance.multiply(*policy.settlement_floor, RoundingMode::ceiling).minor();
        if (floor_amount < b && floor_amount > 0) {
            const std::string what = "Settle " + balance.format() + " for " + Money(floor_amount, c).format() +
                                     " (" + percent(*policy.settlement_floor) + ")";
            if (lump_capacity >= floor_amount) lump(PlanKind::settlement, floor_amount, what + " paid by " + to_iso(expiry));
            plans(PlanKind::settlement, floor_amount, what);
        }
    }
    std::stable_sort(offers.begin(), offers.end(), [](const Offer& x, const Offer& y) {
        if (x.total != y.total) return x.total > y.total;
        return x.count() < y.count();
    });
    return offers;
}

// ---- JSON ----------------------------------------------------------------------------------

void to_json(nlohmann::json& j, const Budget& b) {
    j = nlohmann::json{{"monthly_income", b.monthly_income},
                       {"monthly_expenses", b.monthly_expenses},
                       {"available_funds", b.available_funds}};
}

void to_json(nlohmann::json& j, const OfferPolicy& p) {
    j = nlohmann::json{{"minimum_payment", p.minimum_payment},
                       {"maximum_term_months", p.maximum_term_months},
                       {"settlement_floor", p.settlement_floor ? nlohmann::json(p.settlement_floor->to_string())
                                                               : nlohmann::json(nullptr)},
                       {"offer_expiry_days", p.offer_expiry_days}};
}

void to_json(nlohmann::json& j, const Offer& o) {
    j = nlohmann::json{{"kind", std::string(to_string(o.kind))},
                       {"balance", o.balance},
                       {"total", o.total.amount_string()},
                       {"discount", o.discount.amount_string()},
                       {"schedule", o.schedule},
                       {"offer_expiry", to_iso(o.offer_expiry)},
                       {"description", o.description}};
}

Budget budget_from_json(const nlohmann::json& json, std::string_view path) {
    const JsonView v(json, std::string(path));
    v.check_keys({"monthly_income", "monthly_expenses", "available_funds"});
    Budget b;
    b.monthly_income = v.at("monthly_income").as_money();
    b.monthly_expenses = v.at("monthly_expenses").as_money(b.monthly_income.currency());
    b.available_funds = v.find("available_funds") ? v.at("available_funds").as_money(b.monthly_income.currency())
                                                  : Money(0, b.monthly_income.currency());
    try {
        b.validate();
    } catch (const ValidationError& e) {
        throw ValidationError(v.path() + "." + e.what());
    }
    return b;
}

OfferPolicy offer_policy_from_json(const nlohmann::json& json, std::string_view path) {
    const JsonView v(json, std::string(path));
    v.check_keys({"minimum_payment", "maximum_term_months", "settlement_floor", "offer_expiry_days"});
    OfferPolicy p;
    p.minimum_payment = v.at("minimum_payment").as_money();
    auto read_int = [&](std::string_view key, int& out) {
        if (auto f = v.find(key)) {
            const std::int64_t x = f->as_int();
            if (x < -1'000'000 || x > 1'000'000) f->fail("out of range");
            out = static_cast<int>(x);
        }
    };
    read_int("maximum_term_months", p.maximum_term_months);
    read_int("offer_expiry_days", p.offer_expiry_days);
    if (auto f = v.find("settlement_floor")) p.settlement_floor = f->as_decimal();
    try {
        p.validate();
    } catch (const ValidationError& e) {
        throw ValidationError(v.path() + "." + e.what());
    }
    return p;
}

Offer offer_from_json(const nlohmann::json& json, std::string_view path) {
    const JsonView v(json, std::string(path));
    v.check_keys({"kind", "balance", "total", "discount", "schedule", "offer_expiry", "description"});
    const Money balance = v.at("balance").as_money();
    const Currency c = balance.currency();
    Offer o{parse_plan_kind(v.at("kind").as_string(), v.path() + ".kind"),
            balance,
            v.at("total").as_money(c),
            v.at("discount").as_money(c),
            schedule_from_json(v.at("schedule").json(), v.path() + ".schedule"),
            v.at("offer_expiry").as_date(),
            v.find("description") ? v.at("description").as_string() : std::string{}};
    if (o.total != o.schedule.total_amount() || o.balance - o.total != o.discount)
        v.fail("total and discount do not match the schedule and balance");
    return o;
}

}  // namespace arrears
