// Re-aging: when keeping a payment plan makes a delinquent account current again, and what that
// does to its delinquency. The default follows the FFIEC Uniform Retail Credit Classification and
// Account Management Policy (65 FR 36903, June 12, 2000) for open-end credit: at least three consecutive minimum
// payments (or the equivalent cumulative amount), at most once in 12 months and twice in five
// years. Re-aging sets days past due to 0 on the re-age date; it never changes the date of first
// delinquency (the FCRA §623(a)(5) date reported in Metro 2 field 25 stays what it was).
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "arrears/date.hpp"
#include "arrears/payment_plan.hpp"

namespace arrears {

struct ReagingRule {
    int consecutive_kept = 3;      // kept installments in a row, with no missed one between
    int min_months_between = 12;   // no re-age if the last one was fewer months before
    int max_reages = 2;            // at most this many ...
    int max_reages_window_months = 60;  // ... within this many months (counting this one)

    void validate() const;  // each >= 1 (months >= 0), ValidationError naming the field
    friend bool operator==(const ReagingRule&, const ReagingRule&) = default;
};

struct ReagingDecision {
    bool reaged = false;
    std::optional<Date> reaged_on;          // the date of the qualifying kept installment
    int days_past_due = 0;                  // after the decision, as of the evaluation's as_of
    std::optional<Date> date_of_first_delinquency;  // always the input, unchanged
    int kept_streak = 0;                    // consecutive kept installments at as_of
    std::string reason;                     // why (or why not), for the audit trail
    friend bool operator==(const ReagingDecision&, const ReagingDecision&) = default;
};

// Decides re-aging for the account a plan covers.
//   evaluation: the plan's evaluation as of the decision date (its kept/missed events);
//   days_past_due, date_of_first_delinquency: the account's delinquency before re-aging;
//   previous_reages: dates the account was re-aged before.
// When reaged, days_past_due becomes the days since the oldest plan installment due after the
// re-age date that is still unpaid (0 when the plan is up to date).
ReagingDecision decide_reaging(const ReagingRule& rule, const PlanEvaluation& evaluation,
                               int days_past_due, std::optional<Date> date_of_first_delinquency,
                               std::span<const Date> previous_reages = {});

void to_json(nlohmann::json& j, const ReagingRule& r);
ReagingRule reaging_rule_from_json(const nlohmann::json& j, std::string_view path = "$");
void to_json(nlohmann::json& j, const ReagingDecision& d);
ReagingDecision reaging_decision_from_json(const nlohmann::json& j, std::string_view path = "$");

}  // namespace arrears
