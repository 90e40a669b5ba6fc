#include "arrears/day_count.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <string>

#include "arrears/error.hpp"

namespace arrears {

using namespace std::chrono;

DayCountConvention parse_day_count(std::string_view name, std::string_view field) {
    std::string key;
    for (char c : name)
        if (c != ' ' && c != '_' && c != '-')
            key += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    static constexpr std::array<std::pair<std::string_view, DayCountConvention>, 12> names{{
        {"actual/365", DayCountConvention::actual_365},
        {"act/365", DayCountConvention::actual_365},
        {"actual/365f", DayCountConvention::actual_365},
        {"act/365f", DayCountConvention::actual_365},
        {"actual/360", DayCountConvention::actual_360},
        {"act/360", DayCountConvention::actual_360},
        {"30/360", DayCountConvention::thirty_360},
        {"30/360us", DayCountConvention::thirty_360},
        {"actual/actual", DayCountConvention::actual_actual},
        {"act/act", DayCountConvention::actual_actual},
        {"actual/actualisda", DayCountConvention::actual_actual},
        {"act/actisda", DayCountConvention::actual_actual},
    }};
    for (const auto& [text, c] : names)
        if (text == key) return c;
    throw ValidationError(std::string(field) + ": unknown day-count convention " + quote(name) +
                          " (expected actual/365, actual/360, 30/360 or actual/actual)");
}

std::string_view to_string(DayCountConvention c) noexcept {
    switch (c) {
        case DayCountConvention::actual_365: return "actual/365";
        case DayCountConvention::actual_360: return "actual/360";
        case DayCountConvention::thirty_360: return "30/360";
        case DayCountConvention::actual_actual: return "actual/actual";
    }
    return "actual/365";
}

std::int64_t day_count(Date start, Date end, DayCountConvention c) {
    if (c != DayCountConvention::thirty_360) return days_between(start, end);
    if (sys_days{end} < sys_days{start}) return -day_count(end, start, c);
    const std::int64_t y1 = static_cast<int>(start.year()), y2 = static_cast<int>(end.year());
    const std::int64_t m1 = static_cast<unsigned>(start.month()), m2 = static_cast<unsigned>(end.month());
    std::int64_t d1 = static_cast<unsigned>(start.day()), d2 = static_cast<unsigned>(end.day());
    if (d1 == 31) d1 = 30;
    if (d2 == 31 && d1 >= 30) d2 = 30;
    return 360 * (y2 - y1) + 30 * (m2 - m1) + (d2 - d1);
}

Rational year_fraction(Date start, Date end, DayCountConvention c) {
    switch (c) {
        case DayCountConvention::actual_365: return Rational::of(days_between(start, end), 365);
        case DayCountConvention::actual_360: return Rational::of(days_between(start, end), 360);
        case DayCountConvention::thirty_360: return Rational::of(day_count(start, end, c), 360);
        case DayCountConvention::actual_actual: break;
    }
    if (sys_days{end} < sys_days{start}) {
        Rational r = year_fraction(end, start, c);
        return Rational::of(-r.num, r.den);
    }
    // Days in 365-day years and in 366-day years, over a common denominator 365 * 366.
    std::int64_t days365 = 0, days366 = 0;
    Date cursor = start;
    while (sys_days{cursor} < sys_days{end}) {
        const Date next_year{cursor.year() + years{1}, January, day{1}};
        const Date stop = sys_days{next_year} < sys_days{end} ? next_year : end;
        const std::int64_t n = days_between(cursor, stop);
        (cursor.year().is_leap() ? days366 : days365) += n;
        cursor = stop;
    }
    return Rational::of(days365 * 366 + days366 * 365, 365 * 366);
}

Money simple_interest(const Money& principal, const Rational& annual_rate, Date start, Date end,
                      DayCountConvention c, RoundingMode mode) {
    const Rational yf = year_fraction(start, end, c);
    i128 num = 0, den = 0;
    if (__builtin_mul_overflow(static_cast<i128>(principal.minor()) * annual_rate.num,
                               static_cast<i128>(yf.num), &num) ||
        __builtin_mul_overflow(static_cast<i128>(annual_rate.den), static_cast<i128>(yf.den),
                               &den))
        throw OverflowError("simple_interest: principal * rate * time does not fit");
    return Money(round_div(num, den, mode), principal.currency());
}

}  // namespace arrears
