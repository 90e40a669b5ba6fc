// Annual percentage rate by the Regulation Z Appendix J actuarial method (12 CFR 1026, App. J
// (b)): the unit-period rate i solves  A = Σ P_k / ((1 + f_k·i)(1 + i)^t_k)  (general equation
// (b)(8), one advance A), and APR = i × unit-periods per year ((b)(1)). Facts and vectors:
// shared/reference/payment-math.md §3.3 ($1,000.00 -> 11 x 88.85 + 88.84 monthly is 12.00%;
// amount financed $975.00 with the same payments is 16.84%).
#pragma once

#include <optional>
#include <span>
#include <utility>

#include "arrears/date.hpp"
#include "arrears/money.hpp"
#include "arrears/rational.hpp"
#include "arrears/schedule.hpp"

namespace arrears {

// Whole unit-periods t and the fractional unit-period f (exact) from the advance to a payment,
// counted backward from the payment date ((b)(5)): months are all equal, a payment on a month end
// steps back to month ends ("the last day of February shall be used when applicable"), odd days
// are days/30 for a monthly unit-period, days/15 for semimonthly (after whole months, a remaining
// 15 days is one more half-month), days/7 weekly, days/14 biweekly.
struct UnitPeriods {
    long whole = 0;
    Rational fraction{};
};
UnitPeriods unit_periods(Date advance, Date payment, Frequency unit_period);

// The APR as a fraction (0.120009 is 12.0009%), rounded half-up to 6 decimal places, i.e. well
// inside the 1/8-point tolerance of 12 CFR 1026.22(a)(2).
//   unit_period: App. J (b)(4)'s unit-period. Without one it is the frequency the payment dates
//   follow (regular_frequency, as Schedule::from_payments infers it); one payment is monthly.
//   Dates that follow no frequency are a ValidationError asking for it: (b)(4) then makes the
//   unit-period the most frequent (or the average) period, a choice to make on purpose, never
//   a silent "monthly". A Schedule's unit-period is its frequency when its dates follow it.
//   advance: the date of the advance; default one unit-period before the first payment (the
//   regular case the reference vectors use).
// Throws ValidationError when the amount financed is not positive, a payment falls before the
// advance, or the payments total less than the amount financed (no finance charge: APR 0 is
// returned when they are equal).
Rational apr(Money amount_financed, std::span<const std::pair<Date, Money>> payments,
             std::optional<Frequency> unit_period, std::optional<Date> advance = std::nullopt);
Rational apr(Money amount_financed, const Schedule& schedule,
             std::optional<Date> advance = std::nullopt);

}  // namespace arrears
