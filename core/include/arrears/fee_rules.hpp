// Fee rules of an account: the late fee on a missed due amount and the NSF (returned payment)
// fee. Whether a fee may be charged at all is a state-law question the compliance rules answer;
// these rules only say how much, and they are off unless configured.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>

#include "arrears/money.hpp"
#include "arrears/rational.hpp"

namespace arrears {

// Late fee = the greater of `fixed` and `percent` of the amount past due (rounded half up),
// never more than `maximum` (when set) and never more than the amount past due itself.
// It is assessed once per due date, after `grace_days` days past the due date.
struct LateFeeRule {
    Money fixed;                   // e.g. 15.00
    Rational percent;              // e.g. 0.05 for 5% of the past-due amount
    std::optional<Money> maximum;  // e.g. a state cap of 25.00
    int grace_days = 0;            // the fee is effective on due date + grace_days + 1

    void validate(Currency currency, std::string_view field = "fees.late") const;
    // The fee for a past-due amount (> 0).
    Money amount_for(const Money& past_due) const;
    std::string repr() const;
    friend bool operator==(const LateFeeRule&, const LateFeeRule&) = default;
};

struct FeeRules {
    std::optional<LateFeeRule> late;
    // Fee posted with a payment reversal whose reason is "nsf" (returned for insufficient funds).
    std::optional<Money> nsf;

    void validate(Currency currency, std::string_view field = "fees") const;
    std::string repr() const;
    friend bool operator==(const FeeRules&, const FeeRules&) = default;
};

// JSON: {"late": {"fixed": "15.00", "percent": "0.05", "maximum": "25.00", "grace_days": 10},
//        "nsf": "25.00"} (amounts as strings or {"amount", "currency"}; null = no such fee).
void to_json(nlohmann::json& j, const LateFeeRule& r);
void to_json(nlohmann::json& j, const FeeRules& f);
LateFeeRule parse_late_fee_rule(const nlohmann::json& j, Currency currency,
                                const std::string& path = "$");
FeeRules parse_fee_rules(const nlohmann::json& j, Currency currency, const std::string& path = "$");

}  // namespace arrears
