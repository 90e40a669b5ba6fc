#include "arrears/calendar.hpp"

#include <algorithm>
#include <array>

#include "arrears/error.hpp"

namespace arrears {

using namespace std::chrono;

namespace {

Date nth_weekday(int y, unsigned m, weekday wd, unsigned n) {
    return Date{sys_days{year_month_weekday{year{y}, month{m}, wd[n]}}};
}

Date last_weekday(int y, unsigned m, weekday wd) {
    return Date{sys_days{year_month_weekday_last{year{y}, month{m}, wd[last]}}};
}

void check_year(int y) {
    if (y < kFirstHolidayYear || y > kMaxYear)
        throw ValidationError("year: " + std::to_string(y) +
                              " is outside the years the federal holiday rules cover (1971-9999)");
}

// Statutory dates of the federal holidays of year y, in date order.
std::vector<Holiday> statutory(int y) {
    std::vector<Holiday> h;
    h.reserve(11);
    const auto md = [y](unsigned m, unsigned d) { return Date{year{y}, month{m}, day{d}}; };
    h.push_back({md(1, 1), "New Year's Day"});
    if (y >= 1986) h.push_back({nth_weekday(y, 1, Monday, 3), "Birthday of Martin Luther King, Jr."});
    h.push_back({nth_weekday(y, 2, Monday, 3), "Washington's Birthday"});
    h.push_back({last_weekday(y, 5, Monday), "Memorial Day"});
    if (y >= 2021) h.push_back({md(6, 19), "Juneteenth National Independence Day"});
    h.push_back({md(7, 4), "Independence Day"});
    h.push_back({nth_weekday(y, 9, Monday, 1), "Labor Day"});
    h.push_back({nth_weekday(y, 10, Monday, 2), "Columbus Day"});
    if (y >= 1971 && y <= 1977)
        h.push_back({nth_weekday(y, 10, Monday, 4), "Veterans Day"});
    else
        h.push_back({md(11, 11), "Veterans Day"});
    h.push_back({nth_weekday(y, 11, Thursday, 4), "Thanksgiving Day"});
    h.push_back({md(12, 25), "Christmas Day"});
    std::sort(h.begin(), h.end(), [](const Holiday& a, const Holiday& b) {
        return sys_days{a.date} < sys_days{b.date};
    });
    return h;
}

// The observed weekday for a holiday on a weekend, or nothing.
bool observed_day(const Holiday& h, Holiday& out) {
    const weekday wd{sys_days{h.date}};
    if (wd == Saturday)
        out = {add_days(h.date, -1), h.name, true};
    else if (wd == Sunday)
        out = {add_days(h.date, 1), h.name, true};
    else
        return false;
    return true;
}

// The holiday on d, if any (statutory first, then observed).
const Holiday* find_holiday(Date d, bool observed, std::vector<Holiday>& scratch) {
    const int y = static_cast<int>(d.year());
    scratch.clear();
    for (int yy = y - 1; yy <= y + 1; ++yy) {
        if (yy < kFirstHolidayYear || yy > kMaxYear) continue;
        for (const Holiday& h : statutory(yy)) {
            if (h.date == d) {
                scratch.push_back(h);
                return &scratch.back();
            }
        }
    }
    if (!observed) return nullptr;
    for (int yy = y - 1; yy <= y + 1; ++yy) {
        if (yy < kFirstHolidayYear || yy > kMaxYear) continue;
        for (const Holiday& h : statutory(yy)) {
            Holiday o;
            if (observed_day(h, o) && o.date == d) {
                scratch.push_back(o);
                return &scratch.back();
            }
        }
    }
    return nullptr;
}

// Fast rule check, no allocation: is d a statutory federal holiday?
bool is_statutory(Date d) {
    const int y = static_cast<int>(d.year());
    const unsigned m = static_cast<unsigned>(d.month());
    const unsigned dd = static_cast<unsigned>(d.day());
    const weekday wd{sys_days{d}};
    switch (m) {
        case 1: return dd == 1 || (y >= 1986 && wd == Monday && dd >= 15 && dd <= 21);
        case 2: return wd == Monday && dd >= 15 && dd <= 21;
        case 5: return wd == Monday && dd >= 25;
        case 6: return y >= 2021 && dd == 19;
        case 7: return dd == 4;
        case 9: return wd == Monday && dd <= 7;
        case 10:
            return wd == Monday && ((dd >= 8 && dd <= 14) ||
                                    (y >= 1971 && y <= 1977 && dd >= 22 && dd <= 28));
        case 11:
            return (dd == 11 && (y < 1971 || y > 1977)) || (wd == Thursday && dd >= 22 && dd <= 28);
        case 12: return dd == 25;
        default: return false;
    }
}

bool is_federal(Date d, bool observed) {
    const int y = static_cast<int>(d.year());
    if (y < kFirstHolidayYear) check_year(y);
    if (is_statutory(d)) return true;
    if (!observed) return false;
    const weekday wd{sys_days{d}};
    // Only fixed-date holidays can land on a weekend, so a Friday before / Monday after one is
    // its observed day.
    if (wd == Friday) {
        const Date next = add_days(d, 1);
        return static_cast<int>(next.year()) <= kMaxYear && is_statutory(next);
    }
    if (wd == Monday) return is_statutory(add_days(d, -1));
    return false;
}

}  // namespace

std::vector<Holiday> us_federal_holiday_list(int y, bool observed) {
    check_year(y);
    std::vector<Holiday> out = statutory(y);
    if (observed) {
        for (int yy = y - 1; yy <= y + 1; ++yy) {
            if (yy < kFirstHolidayYear || yy > kMaxYear) continue;
            for (const Holiday& h : statutory(yy)) {
                Holiday o;
                if (observed_day(h, o) && static_cast<int>(o.date.year()) == y) out.push_back(o);
            }
        }
        std::sort(out.begin(), out.end(), [](const Holiday& a, const Holiday& b) {
            return sys_days{a.date} < sys_days{b.date};
        });
    }
    return out;
}

std::vector<Date> us_federal_holidays(int y, bool observed) {
    std::vector<Date> out;
    for (const Holiday& h : us_federal_holiday_list(y, observed)) out.push_back(h.date);
    return out;
}

std::string us_federal_holiday_name(Date d, bool observed) {
    check_year(static_cast<int>(d.year()));
    std::vector<Holiday> scratch;
    const Holiday* h = find_holiday(d, observed, scratch);
    if (h == nullptr) return {};
    return std::string(h->name) + (h->observed ? " (observed)" : "");
}

BusinessDayConvention parse_business_day_convention(std::string_view name,
                                                    std::string_view field) {
    static constexpr std::array<std::pair<std::string_view, BusinessDayConvention>, 5> names{{
        {"unadjusted", BusinessDayConvention::unadjusted},
        {"following", BusinessDayConvention::following},
        {"modified_following", BusinessDayConvention::modified_following},
        {"preceding", BusinessDayConvention::preceding},
        {"modified_preceding", BusinessDayConvention::modified_preceding},
    }};
    for (const auto& [text, c] : names)
        if (text == name) return c;
    throw ValidationError(std::string(field) + ": unknown business-day convention " + quote(name) +
                          " (expected unadjusted, following, modified_following, preceding or "
                          "modified_preceding)");
}

BusinessCalendar::BusinessCalendar(std::string_view holidays, bool observed,
                                   std::vector<Date> extra_holidays)
    : observed_(observed), extra_(std::move(extra_holidays)) {
    if (holidays == "us_federal")
        federal_ = true;
    else if (holidays == "none")
        federal_ = false;
    else
        throw ValidationError("holidays: unknown holiday rules " + quote(holidays) +
                              " (expected us_federal, none or a list of dates)");
    for (const Date& d : extra_) check_date(d, "holidays");
    std::sort(extra_.begin(), extra_.end(),
              [](Date a, Date b) { return sys_days{a} < sys_days{b}; });
    extra_.erase(std::unique(extra_.begin(), extra_.end()), extra_.end());
}

BusinessCalendar::BusinessCalendar(std::vector<Date> holidays)
    : BusinessCalendar("none", false, std::move(holidays)) {}

bool BusinessCalendar::is_holiday(Date d) const {
    if (federal_ && is_federal(d, observed_)) return true;
    return std::binary_search(extra_.begin(), extra_.end(), d,
                              [](Date a, Date b) { return sys_days{a} < sys_days{b}; });
}

Date BusinessCalendar::add_business_days(Date d, std::int64_t n) const {
    const int step = n < 0 ? -1 : 1;
    for (std::int64_t left = n < 0 ? -n : n; left > 0;) {
        d = add_days(d, step);
        if (is_business_day(d)) --left;
    }
    return d;
}

std::int64_t BusinessCalendar::business_days_between(Date start, Date end) const {
    std::int64_t count = 0;
    if (sys_days{start} <= sys_days{end}) {  // business days in (start, end]
        for (Date d = add_days(start, 1); sys_days{d} <= sys_days{end}; d = add_days(d, 1))
            if (is_business_day(d)) ++count;
        return count;
    }
    for (Date d = end; sys_days{d} < sys_days{start}; d = add_days(d, 1))  // in [end, start)
        if (is_business_day(d)) ++count;
    return -count;
}

Date BusinessCalendar::adjust(Date d, BusinessDayConvention c) const {
    if (c == BusinessDayConvention::unadjusted || is_business_day(d)) return d;
    auto next = [&](Date x, int step) {
        do x = add_days(x, step);
        while (!is_business_day(x));
        return x;
    };
    switch (c) {
        case BusinessDayConvention::following: return next(d, 1);
        case BusinessDayConvention::preceding: return next(d, -1);
        case BusinessDayConvention::modified_following: {
            const Date f = next(d, 1);
            return f.month() == d.month() ? f : next(d, -1);
        }
        case BusinessDayConvention::modified_preceding: {
            const Date p = next(d, -1);
            return p.month() == d.month() ? p : next(d, 1);
        }
        case BusinessDayConvention::unadjusted: break;
    }
    return d;
}

std::string BusinessCalendar::repr() const {
    std::string out = "BusinessCalendar(holidays='";
    out += holiday_rules();
    out += "', observed=";
    out += observed_ ? "True" : "False";
    if (!extra_.empty()) out += ", extra_holidays=" + std::to_string(extra_.size());
    return out + ")";
}

}  // namespace arrears
