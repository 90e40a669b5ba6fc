// Day-count conventions and simple interest. Facts: shared/reference/payment-math.md §3.2.
#pragma once

#include <cstdint>
#include <string_view>

#include "arrears/date.hpp"
#include "arrears/money.hpp"
#include "arrears/rational.hpp"

namespace arrears {

enum class DayCountConvention : std::uint8_t {
    actual_365,     // "actual/365": actual days / 365 (Actual/365 Fixed)
    actual_360,     // "actual/360": actual days / 360
    thirty_360,     // "30/360": 30/360 US bond basis (no end-of-February rule; SIA variant not used)
    actual_actual,  // "actual/actual": ISDA, each year's days over 365 or 366
};

// Accepts "actual/365", "act/365", "actual/365f", "actual/360", "act/360", "30/360",
// "30/360us", "actual/actual", "act/act", "actual/actual isda" (case-insensitive).
DayCountConvention parse_day_count(std::string_view name, std::string_view field = "convention");
std::string_view to_string(DayCountConvention c) noexcept;

// Days from start to end under the convention (negative when end < start).
std::int64_t day_count(Date start, Date end, DayCountConvention c);
// Exact fraction of a year from start to end.
Rational year_fraction(Date start, Date end, DayCountConvention c);

// principal * annual_rate * year_fraction(start, end), rounded once with `mode`.
Money simple_interest(const Money& principal, const Rational& annual_rate, Date start, Date end,
                      DayCountConvention c, RoundingMode mode = RoundingMode::half_up);

}  // namespace arrears
