// Offers: from a debtor's monthly budget and the client's policy, the payment plans and
// settlements a collector may offer, best first (the "advise customers" duty).
//
// The rules (docs/plans.md "Offers"):
//   disposable = income − expenses (per month); an offer is affordable when its regular payment
//   is at most the disposable income (monthly plans) or its lump sum at most available_funds.
//   1. pay in full now                       balance,          if available_funds >= balance
//   2. installment plan for the balance      the largest affordable payment (whole currency
//      units), at least minimum_payment, over at most maximum_term months
//   3. settlement lump sum                   ceil(balance × settlement_floor) if funds cover it
//   4. settlement in installments            the same amount over at most maximum_term months
// Ordered by amount recovered (descending), then months to completion (ascending). Every offer's
// first payment is due on its offer expiry (as_of + offer_expiry_days): paying it accepts.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "arrears/date.hpp"
#include "arrears/money.hpp"
#include "arrears/payment_plan.hpp"
#include "arrears/rational.hpp"
#include "arrears/schedule.hpp"

namespace arrears {

struct Budget {
    Money monthly_income;
    Money monthly_expenses;
    Money available_funds;  // what the debtor can pay at once
    Money disposable() const;  // income − expenses (may be negative)
    void validate() const;     // non-negative amounts, one currency
    friend bool operator==(const Budget&, const Budget&) = default;
};

struct OfferPolicy {
    Money minimum_payment;                   // smallest regular payment accepted
    int maximum_term_months = 12;            // longest plan, 1..120
    std::optional<Rational> settlement_floor;  // lowest settlement as a fraction of the balance
                                             // (0.6 = 60%); nullopt: no settlements
    int offer_expiry_days = 14;              // offers expire (and first payments fall due) then
    void validate() const;
    friend bool operator==(const OfferPolicy&, const OfferPolicy&) = default;
};

struct Offer {
    PlanKind kind = PlanKind::installment;  // installment or settlement
    Money balance;
    Money total;           // what the debtor pays
    Money discount;        // balance − total
    Schedule schedule;
    Date offer_expiry{};
    std::string description;  // "Pay $1,200.00 in 6 monthly payments of $200.00"

    int count() const { return schedule.count(); }
    Money regular_payment() const { return schedule.regular_amount(); }
    // The plan the debtor agrees to by accepting (kind, schedule, offer expiry for settlements).
    PaymentPlan to_plan(Date plan_date, std::vector<PlanAccount> accounts = {},
                        PlanRules rules = {}) const;
    friend bool operator==(const Offer&, const Offer&) = default;
};

std::vector<Offer> propose_offers(Money balance, const Budget& budget, const OfferPolicy& policy,
                                  Date as_of);

void to_json(nlohmann::json& j, const Budget& b);
void to_json(nlohmann::json& j, const OfferPolicy& p);
void to_json(nlohmann::json& j, const Offer& o);
Budget budget_from_json(const nlohmann::json& j, std::string_view path = "$");
OfferPolicy offer_policy_from_json(const nlohmann::json& j, std::string_view path = "$");
Offer offer_from_json(const nlohmann::json& j, std::string_view path = "$");

}  // namespace arrears
