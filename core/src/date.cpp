#include "arrears/date.hpp"

#include <charconv>
#include <cstdio>

#include "arrears/error.hpp"

namespace arrears {

using namespace std::chrono;

namespace {

bool read_int(std::string_view text, std::size_t pos, std::size_t len, int& out) {
    if (pos + len > text.size()) return false;
    for (std::size_t i = pos; i < pos + len; ++i)
        if (text[i] < '0' || text[i] > '9') return false;
    auto [p, ec] = std::from_chars(text.data() + pos, text.data() + pos + len, out);
    return ec == std::errc{} && p == text.data() + pos + len;
}

}  // namespace

Date make_date(int y, unsigned m, unsigned d, std::string_view field) {
    Date date{year{y}, month{m}, day{d}};
    if (!date.ok() || y < kMinYear || y > kMaxYear) {
        char buf[48];
        std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", y, m, d);
        throw ValidationError(std::string(field) + ": " + buf + " is not a valid date");
    }
    return date;
}

void check_date(Date d, std::string_view field) {
    const int y = static_cast<int>(d.year());
    if (!d.ok() || y < kMinYear || y > kMaxYear)
        throw ValidationError(std::string(field) + ": not a valid date (year " +
                              std::to_string(y) + ")");
}

Date parse_date(std::string_view text, std::string_view field) {
    int y = 0, m = 0, d = 0;
    if (text.size() != 10 || text[4] != '-' || text[7] != '-' || !read_int(text, 0, 4, y) ||
        !read_int(text, 5, 2, m) || !read_int(text, 8, 2, d))
        throw ValidationError(std::string(field) + ": " + quote(text) +
                              " is not an ISO date (YYYY-MM-DD)");
    return make_date(y, static_cast<unsigned>(m), static_cast<unsigned>(d), field);
}

std::string to_iso(Date d) {
    const int y = static_cast<int>(d.year());
    const auto m = static_cast<unsigned>(d.month()), day = static_cast<unsigned>(d.day());
    if (y < 0 || y > 9999 || m > 99 || day > 99) {  // not a valid date: printed as it is
        char buf[32];
        std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", y, m, day);
        return buf;
    }
    // By hand: the stores and imports format a date per row, and snprintf costs ten times more.
    std::string out(10, '-');
    const auto yy = static_cast<unsigned>(y);
    out[0] = static_cast<char>('0' + yy / 1000);
    out[1] = static_cast<char>('0' + yy / 100 % 10);
    out[2] = static_cast<char>('0' + yy / 10 % 10);
    out[3] = static_cast<char>('0' + yy % 10);
    out[5] = static_cast<char>('0' + m / 10);
    out[6] = static_cast<char>('0' + m % 10);
    out[8] = static_cast<char>('0' + day / 10);
    out[9] = static_cast<char>('0' + day % 10);
    return out;
}

Instant parse_instant(std::string_view text, std::string_view field) {
    auto bad = [&](const char* why) {
        return ValidationError(std::string(field) + ": " + quote(text) + " " + why);
    };
    if (text.size() < 19) throw bad("is not an ISO date-time with offset");
    const Date date = parse_date(text.substr(0, 10), field);
    int hh = 0, mm = 0, ss = 0;
    if ((text[10] != 'T' && text[10] != ' ') || text[13] != ':' || text[16] != ':' ||
        !read_int(text, 11, 2, hh) || !read_int(text, 14, 2, mm) || !read_int(text, 17, 2, ss) ||
        hh > 23 || mm > 59 || ss > 59)
        throw bad("is not an ISO date-time with offset");
    std::size_t i = 19;
    if (i < text.size() && (text[i] == '.' || text[i] == ',')) {
        ++i;
        const std::size_t start = i;
        while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i;
        if (i == start) throw bad("has an empty fraction of a second");
    }
    if (i >= text.size()) throw bad("has no UTC offset (naive times are rejected)");
    int offset_minutes = 0;
    if (text[i] == 'Z' || text[i] == 'z') {
        ++i;
    } else if (text[i] == '+' || text[i] == '-') {
        const int sign = text[i] == '-' ? -1 : 1;
        int oh = 0, om = 0;
        if (!read_int(text, i + 1, 2, oh)) throw bad("has a malformed UTC offset");
        std::size_t j = i + 3;
        if (j < text.size() && text[j] == ':') ++j;
        if (!read_int(text, j, 2, om) || oh > 23 || om > 59) throw bad("has a malformed UTC offset");
        i = j + 2;
        offset_minutes = sign * (oh * 60 + om);
    } else {
        throw bad("has no UTC offset (naive times are rejected)");
    }
    if (i != text.size()) throw bad("has trailing characters");
    return sys_days{date} + hours{hh} + minutes{mm} + seconds{ss} - minutes{offset_minutes};
}

std::string to_iso(Instant t) {
    const auto day_point = floor<days>(t);
    const Date d{day_point};
    const hh_mm_ss<seconds> tod{t - day_point};
    char buf[40];
    std::snprintf(buf, sizeof buf, "%sT%02d:%02d:%02dZ", to_iso(d).c_str(),
                  static_cast<int>(tod.hours().count()), static_cast<int>(tod.minutes().count()),
                  static_cast<int>(tod.seconds().count()));
    return buf;
}

Date add_days(Date d, std::int64_t n) {
    return Date{sys_days{d} + days{n}};
}

Date add_months(Date d, int n) {
    const year_month ym = year_month{d.year(), d.month()} + months{n};
    const auto last = year_month_day_last{ym.year(), month_day_last{ym.month()}}.day();
    return Date{ym.year(), ym.month(), d.day() > last ? last : d.day()};
}

std::int64_t days_between(Date start, Date end) {
    return (sys_days{end} - sys_days{start}).count();
}

Date end_of_month(Date d) {
    return Date{year_month_day_last{d.year(), month_day_last{d.month()}}};
}

bool is_leap_year(int y) { return year{y}.is_leap(); }

bool is_weekend(Date d) {
    const weekday w{sys_days{d}};
    return w == Saturday || w == Sunday;
}

}  // namespace arrears
