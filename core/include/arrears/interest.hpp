// Interest terms of an account and simple daily interest between two dates.
//
// Interest is simple: it accrues on the principal balance only (on principal + posted interest
// when `compound` is set), at an annual rate over a day-count convention
// (shared/reference/payment-math.md §3.2). The exact amount over a window is summed as a fraction
// and rounded once, when an interest transaction is posted (Ledger::accrue_interest).
#pragma once

#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <vector>

#include "arrears/date.hpp"
#include "arrears/day_count.hpp"
#include "arrears/money.hpp"
#include "arrears/rational.hpp"
#include "arrears/rounding.hpp"

namespace arrears {

// An exact, non-negative amount of minor units as a fraction num/den (den > 0).
struct ExactAmount {
    i128 num = 0;
    i128 den = 1;

    // Exact sum; throws OverflowError when it no longer fits in 128 bits.
    void add(const ExactAmount& other);
    std::int64_t round(RoundingMode mode) const { return round_div(num, den, mode); }
    bool is_zero() const noexcept { return num == 0; }
    friend bool operator==(const ExactAmount& a, const ExactAmount& b) noexcept {
        return a.num * b.den == b.num * a.den;
    }
};

// From `effective` on, the annual rate is `annual_rate` (a judgment rate, a rate cut ...).
struct RateChange {
    Date effective;
    Rational annual_rate;
    friend bool operator==(const RateChange&, const RateChange&) = default;
};

struct InterestTerms {
    Rational annual_rate;  // "0.12" is 12% a year; 0 means no interest
    DayCountConvention day_count = DayCountConvention::actual_365;
    bool compound = false;  // interest also accrues on posted interest (off: simple interest)
    RoundingMode rounding = RoundingMode::half_up;  // applied once per posted accrual
    std::optional<Date> start_on;  // no interest before this date (default: the account opening)
    std::optional<Date> stop_on;   // no interest after this date (charge-off, judgment ...)
    std::optional<Money> cap;      // total interest ever accrued may not exceed this
    std::vector<RateChange> rate_changes;  // strictly increasing dates

    // Throws ValidationError naming the field: negative rates, a cap in another currency or
    // negative, stop_on before start_on, rate changes out of order.
    void validate(Currency currency, std::string_view field = "interest") const;
    // True when some rate (initial or changed) is not zero.
    bool accrues() const noexcept;
    // The annual rate in force on day d.
    Rational rate_on(Date d) const noexcept;
    std::string repr() const;

    friend bool operator==(const InterestTerms&, const InterestTerms&) = default;
};

// Exact interest on `base` minor units held from `start` to `end` (start <= end): the sum over
// the pieces cut by rate changes, start_on and stop_on of base * rate * year_fraction(piece).
// Days before start_on or after stop_on earn nothing. base <= 0 earns nothing.
ExactAmount interest_between(std::int64_t base, Date start, Date end, const InterestTerms& terms);

// JSON: {"annual_rate": "0.12", "day_count": "actual/365", "compound": false,
//        "rounding": "half_up", "start_on": null, "stop_on": null, "cap": null,
//        "rate_changes": [{"effective": "2026-01-01", "annual_rate": "0.09"}]}
void to_json(nlohmann::json& j, const InterestTerms& t);
InterestTerms parse_interest_terms(const nlohmann::json& j, Currency currency,
                                   const std::string& path = "$");

}  // namespace arrears
