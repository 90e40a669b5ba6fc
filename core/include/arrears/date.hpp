// Dates and instants. A Date is a calendar date (std::chrono::year_month_day; Python
// datetime.date); an Instant is a UTC second (std::chrono::sys_seconds; Python aware datetime).
// Month arithmetic clamps to the month end: Jan 31 + 1 month is Feb 28 (Feb 29 in leap years).
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace arrears {

using Date = std::chrono::year_month_day;
using Instant = std::chrono::sys_seconds;

// The years arrears accepts: the range Python's datetime.date can hold.
inline constexpr int kMinYear = 1;
inline constexpr int kMaxYear = 9999;

// A validated date; throws ValidationError ("<field>: 2026-02-30 is not a valid date").
Date make_date(int year, unsigned month, unsigned day, std::string_view field = "date");
// "2026-02-28" -> Date; strict ISO 8601 calendar date (YYYY-MM-DD), else ValidationError.
Date parse_date(std::string_view text, std::string_view field = "date");
// Date -> "2026-02-28".
std::string to_iso(Date d);
// Throws ValidationError naming `field` when d is not a valid date within kMinYear..kMaxYear.
void check_date(Date d, std::string_view field = "date");

// "2026-03-08T07:00:00Z" or with an offset ("...-05:00"); a time without offset is rejected
// (a naive time is ambiguous). Fractions of a second are dropped toward the past.
Instant parse_instant(std::string_view text, std::string_view field = "at");
// Instant -> "2026-03-08T07:00:00Z".
std::string to_iso(Instant t);

inline std::chrono::sys_days to_days(Date d) { return std::chrono::sys_days{d}; }
inline Date from_days(std::chrono::sys_days d) { return Date{d}; }
// The last second of a date, 23:59:59 UTC: what happened that day counts "as of" it.
inline Instant end_of_day(Date d) {
    return std::chrono::sys_seconds{to_days(d)} + std::chrono::seconds{86399};
}
// d + n days (n may be negative).
Date add_days(Date d, std::int64_t n);
// d + n months, clamped to the end of the target month. n may be negative.
Date add_months(Date d, int n);
// end - start in days (negative when end is before start).
std::int64_t days_between(Date start, Date end);
Date end_of_month(Date d);
bool is_leap_year(int year);
bool is_weekend(Date d);  // Saturday or Sunday

}  // namespace arrears
