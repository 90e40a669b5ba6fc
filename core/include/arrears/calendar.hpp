// U.S. federal holidays (5 U.S.C. 6103(a)) and business-day arithmetic.
//
// Holiday rules are those in force since the Uniform Monday Holiday Act (1971): MLK Day from
// 1986, Veterans Day on the 4th Monday of October in 1971-1977, Juneteenth from 2021. Years
// before 1971 are rejected rather than answered with rules that did not apply then.
// Observed days follow 5 U.S.C. 6103(b) / E.O. 11582: a holiday on Saturday is observed the
// Friday before, on Sunday the Monday after (New Year's Day on a Saturday is observed on
// December 31 of the year before). Inauguration Day (D.C. area only) is not included.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "arrears/date.hpp"

namespace arrears {

inline constexpr int kFirstHolidayYear = 1971;

struct Holiday {
    Date date;
    std::string_view name;  // "Independence Day"
    bool observed = false;  // true: the weekday on which a weekend holiday is observed
};

// The federal holidays whose date falls in `year`, sorted by date. With observed=true the list
// also holds the observed weekdays of weekend holidays that fall in `year` (so it can contain
// December 31 for the next New Year's Day). Throws ValidationError for years before 1971.
std::vector<Holiday> us_federal_holiday_list(int year, bool observed = false);
std::vector<Date> us_federal_holidays(int year, bool observed = false);
// Name of the federal holiday on d ("Christmas Day", "Christmas Day (observed)"), or empty.
std::string us_federal_holiday_name(Date d, bool observed = true);

// How to move a date that is not a business day.
enum class BusinessDayConvention : std::uint8_t {
    unadjusted,          // leave it
    following,           // the next business day
    modified_following,  // the next one, unless that is in the next month: then the previous
    preceding,           // the previous business day
    modified_preceding,  // the previous one, unless that is in the previous month: then the next
};
BusinessDayConvention parse_business_day_convention(std::string_view name,
                                                    std::string_view field = "convention");

// Saturdays and Sundays are never business days; holidays come from a rule set (U.S. federal,
// with or without observed days) and/or an explicit list.
class BusinessCalendar {
public:
    // U.S. federal holidays, observed days included.
    BusinessCalendar() = default;
    // holidays: "us_federal" or "none".
    BusinessCalendar(std::string_view holidays, bool observed = true,
                     std::vector<Date> extra_holidays = {});
    // Weekends plus exactly these holidays.
    explicit BusinessCalendar(std::vector<Date> holidays);

    bool is_holiday(Date d) const;
    bool is_business_day(Date d) const { return !is_weekend(d) && !is_holiday(d); }
    // Steps n business days from d (n < 0 steps back); n == 0 returns d unchanged.
    Date add_business_days(Date d, std::int64_t n) const;
    // The signed number of business-day steps from start to end: the business days in
    // (start, end] when end >= start, minus those in [end, start) when end < start. So for a
    // business day e, add_business_days(s, business_days_between(s, e)) == e in both directions.
    std::int64_t business_days_between(Date start, Date end) const;
    Date adjust(Date d, BusinessDayConvention convention) const;

    std::string_view holiday_rules() const noexcept { return federal_ ? "us_federal" : "none"; }
    bool observed() const noexcept { return observed_; }
    const std::vector<Date>& extra_holidays() const noexcept { return extra_; }
    std::string repr() const;

    friend bool operator==(const BusinessCalendar&, const BusinessCalendar&) = default;

private:
    bool federal_ = true;
    bool observed_ = true;
    std::vector<Date> extra_;  // sorted, unique
};

}  // namespace arrears
