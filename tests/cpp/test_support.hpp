// Shorthands shared by the C++ tests: dollars, ISO dates and a posting instant.
#pragma once

#include "arrears/date.hpp"
#include "arrears/money.hpp"

namespace arrears::test {

inline const Currency USD = Currency::of("USD");
inline Date D(const char* iso) { return parse_date(iso); }
inline Money usd(const char* amount) { return Money::parse(amount, USD); }
inline const Instant T0 = parse_instant("2026-01-01T12:00:00Z");

}  // namespace arrears::test
