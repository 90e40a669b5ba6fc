#include <catch2/catch.hpp>

#include <algorithm>
#include <string>

#include "arrears/calendar.hpp"
#include "arrears/date.hpp"
#include "arrears/day_count.hpp"
#include "arrears/error.hpp"

using namespace arrears;
using namespace std::chrono;

namespace {
Date D(const char* iso) { return parse_date(iso); }
weekday wd(Date d) { return weekday{sys_days{d}}; }
bool contains(const std::vector<Date>& v, Date d) { return std::find(v.begin(), v.end(), d) != v.end(); }
}  // namespace

TEST_CASE("dates parse strictly and print as ISO", "[date]") {
    CHECK(to_iso(D("2024-02-29")) == "2024-02-29");
    CHECK(to_iso(D("0001-01-01")) == "0001-01-01");
    CHECK(to_iso(D("9999-12-31")) == "9999-12-31");
    CHECK(to_iso(D("0987-10-05")) == "0987-10-05");
    CHECK_THROWS_WITH(D("2025-02-29"), Catch::Contains("2025-02-29 is not a valid date"));
    for (const char* bad : {"2026-1-01", "20260101", "2026-13-01", "2026-00-10", "2026-01-32",
                            "2026/01/01", "", "2026-01-01T00:00"})
        CHECK_THROWS_AS(parse_date(bad), ValidationError);
    CHECK_THROWS_WITH(parse_date("nope", "due_date"), Catch::Contains("due_date"));
}

TEST_CASE("instants need an offset and normalize to UTC", "[date]") {
    CHECK(to_iso(parse_instant("2026-03-08T07:00:00Z")) == "2026-03-08T07:00:00Z");
    CHECK(to_iso(parse_instant("2026-03-08T02:00:00-05:00")) == "2026-03-08T07:00:00Z");
    CHECK(to_iso(parse_instant("2026-12-31T23:30:00.123-01:00")) == "2027-01-01T00:30:00Z");
    CHECK(to_iso(parse_instant("2026-01-01 09:00:00+0530")) == "2026-01-01T03:30:00Z");
    CHECK_THROWS_WITH(parse_instant("2026-03-08T07:00:00"), Catch::Contains("naive"));
    CHECK_THROWS_AS(parse_instant("2026-03-08T25:00:00Z"), ValidationError);
    CHECK_THROWS_AS(parse_instant("2026-03-08T07:00:00Zjunk"), ValidationError);
}

TEST_CASE("month arithmetic clamps to the month end", "[date]") {
    auto [start, n, expected] = GENERATE(table<const char*, int, const char*>({
        {"2026-01-31", 1, "2026-02-28"},
        {"2024-01-31", 1, "2024-02-29"},  // leap year
        {"2026-01-30", 1, "2026-02-28"},
        {"2026-03-31", 1, "2026-04-30"},
        {"2026-03-31", -1, "2026-02-28"},
        {"2024-02-29", 12, "2025-02-28"},
        {"2024-02-29", 48, "2028-02-29"},
        {"2026-12-15", 1, "2027-01-15"},
        {"2026-01-15", -1, "2025-12-15"},
        {"2026-08-31", 6, "2027-02-28"},
        {"2026-05-31", 0, "2026-05-31"},
        {"2000-02-29", 1200, "2100-02-28"},  // 2100 is not a leap year
    }));
    INFO(start << " + " << n << " months");
    CHECK(to_iso(add_months(D(start), n)) == expected);
}

TEST_CASE("leap years follow the Gregorian rule", "[date]") {
    CHECK(is_leap_year(2024));
    CHECK(is_leap_year(2000));
    CHECK_FALSE(is_leap_year(1900));
    CHECK_FALSE(is_leap_year(2100));
    CHECK_FALSE(is_leap_year(2026));
    CHECK(to_iso(end_of_month(D("2028-02-03"))) == "2028-02-29");
    CHECK(days_between(D("2024-01-01"), D("2025-01-01")) == 366);
    CHECK(days_between(D("2025-01-01"), D("2024-01-01")) == -366);
    CHECK(to_iso(add_days(D("2024-02-28"), 1)) == "2024-02-29");
    CHECK(to_iso(add_days(D("2025-02-28"), 1)) == "2025-03-01");
}

TEST_CASE("every federal holiday 2020-2035 matches its rule", "[calendar][holidays]") {
    for (int y = 2020; y <= 2035; ++y) {
        INFO("year " << y);
        const auto list = us_federal_holiday_list(y, false);
        CHECK(list.size() == (y >= 2021 ? 11u : 10u));
        for (const auto& h : list) {
            const std::string name(h.name);
            const unsigned m = static_cast<unsigned>(h.date.month());
            const unsigned d = static_cast<unsigned>(h.date.day());
            INFO(name << " " << to_iso(h.date));
            CHECK(static_cast<int>(h.date.year()) == y);
            CHECK_FALSE(h.observed);
            if (name == "New Year's Day") CHECK((m == 1 && d == 1));
            else if (name == "Birthday of Martin Luther King, Jr.")
                CHECK((m == 1 && wd(h.date) == Monday && d >= 15 && d <= 21));
            else if (name == "Washington's Birthday")
                CHECK((m == 2 && wd(h.date) == Monday && d >= 15 && d <= 21));
            else if (name == "Memorial Day")
                CHECK((m == 5 && wd(h.date) == Monday && d + 7 > 31));
            else if (name == "Juneteenth National Independence Day")
                CHECK((m == 6 && d == 19 && y >= 2021));
            else if (name == "Independence Day") CHECK((m == 7 && d == 4));
            else if (name == "Labor Day") CHECK((m == 9 && wd(h.date) == Monday && d <= 7));
            else if (name == "Columbus Day")
                CHECK((m == 10 && wd(h.date) == Monday && d >= 8 && d <= 14));
            else if (name == "Veterans Day") CHECK((m == 11 && d == 11));
            else if (name == "Thanksgiving Day")
                CHECK((m == 11 && wd(h.date) == Thursday && d >= 22 && d <= 28));
            else if (name == "Christmas Day") CHECK((m == 12 && d == 25));
            else FAIL("unexpected holiday " << name);
        }
        // sorted
        for (std::size_t i = 1; i < list.size(); ++i)
            CHECK(sys_days{list[i - 1].date} < sys_days{list[i].date});
    }
}

TEST_CASE("the reference table of 2025-2027 holidays", "[calendar][holidays]") {
    const auto y26 = us_federal_holidays(2026);
    for (const char* d : {"2026-01-01", "2026-01-19", "2026-02-16", "2026-05-25", "2026-06-19",
                          "2026-07-04", "2026-09-07", "2026-10-12", "2026-11-11", "2026-11-26",
                          "2026-12-25"})
        CHECK(contains(y26, D(d)));
    const auto y27 = us_federal_holidays(2027, true);
    for (const char* d : {"2027-06-18", "2027-06-19", "2027-07-04", "2027-07-05", "2027-12-24",
                          "2027-12-25", "2027-05-31", "2027-11-25"})
        CHECK(contains(y27, D(d)));
    const auto y25 = us_federal_holidays(2025);
    CHECK(contains(y25, D("2025-11-27")));
    CHECK(contains(y25, D("2025-01-20")));
    CHECK(us_federal_holidays(2020).size() == 10);  // before Juneteenth
    CHECK_FALSE(contains(us_federal_holidays(2020), D("2020-06-19")));
}

TEST_CASE("observed days: Saturday to Friday, Sunday to Monday, across year ends",
          "[calendar][holidays]") {
    // 2026-07-04 is a Saturday: observed Friday 2026-07-03.
    CHECK(contains(us_federal_holidays(2026, true), D("2026-07-03")));
    CHECK_FALSE(contains(us_federal_holidays(2026, false), D("2026-07-03")));
    // 2022-01-01 is a Saturday: observed Friday 2021-12-31, listed with 2021.
    CHECK(contains(us_federal_holidays(2021, true), D("2021-12-31")));
    CHECK_FALSE(contains(us_federal_holidays(2022, true), D("2021-12-31")));
    // 2023-01-01 is a Sunday: observed Monday 2023-01-02.
    CHECK(contains(us_federal_holidays(2023, true), D("2023-01-02")));
    CHECK(us_federal_holiday_name(D("2023-01-02")) == "New Year's Day (observed)");
    CHECK(us_federal_holiday_name(D("2021-12-31")) == "New Year's Day (observed)");
    CHECK(us_federal_holiday_name(D("2021-12-31"), false).empty());
    CHECK(us_federal_holiday_name(D("2026-11-26")) == "Thanksgiving Day");
    CHECK(us_federal_holiday_name(D("2026-11-27")).empty());
    for (int y = 2020; y <= 2035; ++y) {
        for (const auto& h : us_federal_holiday_list(y, true)) {
            if (!h.observed) continue;
            CHECK((wd(h.date) == Friday || wd(h.date) == Monday));
        }
    }
    CHECK_THROWS_AS(us_federal_holidays(1970), ValidationError);
}

TEST_CASE("business-day arithmetic across holidays and year ends", "[calendar]") {
    const BusinessCalendar cal;  // us_federal, observed
    CHECK_FALSE(cal.is_business_day(D("2026-07-03")));  // observed Independence Day
    CHECK_FALSE(cal.is_business_day(D("2026-07-04")));  // Saturday
    CHECK(cal.is_business_day(D("2026-07-06")));
    CHECK(to_iso(cal.add_business_days(D("2026-07-02"), 1)) == "2026-07-06");
    CHECK(to_iso(cal.add_business_days(D("2026-07-06"), -1)) == "2026-07-02");
    // Christmas 2026 (Fri) and New Year 2027 (Fri)
    CHECK(to_iso(cal.add_business_days(D("2026-12-24"), 1)) == "2026-12-28");
    CHECK(to_iso(cal.add_business_days(D("2026-12-31"), 1)) == "2027-01-04");
    CHECK(to_iso(cal.add_business_days(D("2026-12-24"), 5)) == "2027-01-04");
    CHECK(cal.business_days_between(D("2026-12-24"), D("2027-01-04")) == 5);
    CHECK(cal.business_days_between(D("2027-01-04"), D("2026-12-24")) == -5);
    CHECK(cal.business_days_between(D("2026-12-24"), D("2026-12-24")) == 0);
    CHECK(to_iso(cal.add_business_days(D("2026-12-26"), 0)) == "2026-12-26");

    const BusinessCalendar statutory("us_federal", false);
    CHECK(statutory.is_business_day(D("2026-07-03")));
    const BusinessCalendar weekends("none");
    CHECK(weekends.is_business_day(D("2026-12-25")));
    const BusinessCalendar custom(std::vector<Date>{D("2026-03-17")});
    CHECK_FALSE(custom.is_business_day(D("2026-03-17")));
    CHECK(custom.is_business_day(D("2026-12-25")));
    CHECK_THROWS_AS(BusinessCalendar("uk_bank"), ValidationError);
}

TEST_CASE("add_business_days and business_days_between are inverses", "[calendar][property]") {
    const BusinessCalendar cal;
    Date start = D("2025-12-20");
    for (int i = 0; i < 60; ++i, start = add_days(start, 3)) {
        for (std::int64_t n : {1, 2, 5, 10, 23, -1, -5, -17}) {
            const Date end = cal.add_business_days(start, n);
            INFO(to_iso(start) << " + " << n);
            CHECK(cal.is_business_day(end));
            CHECK(cal.business_days_between(start, end) == n);
        }
    }
}

TEST_CASE("business-day conventions", "[calendar]") {
    const BusinessCalendar cal;
    using C = BusinessDayConvention;
    CHECK(to_iso(cal.adjust(D("2026-05-30"), C::following)) == "2026-06-01");
    CHECK(to_iso(cal.adjust(D("2026-05-30"), C::modified_following)) == "2026-05-29");
    CHECK(to_iso(cal.adjust(D("2026-08-01"), C::preceding)) == "2026-07-31");
    CHECK(to_iso(cal.adjust(D("2026-08-01"), C::modified_preceding)) == "2026-08-03");
    CHECK(to_iso(cal.adjust(D("2026-05-30"), C::unadjusted)) == "2026-05-30");
    CHECK(to_iso(cal.adjust(D("2026-06-02"), C::following)) == "2026-06-02");
    CHECK(parse_business_day_convention("following") == C::following);
    CHECK_THROWS_AS(parse_business_day_convention("next"), ValidationError);
}

TEST_CASE("day counts and year fractions per convention", "[day_count]") {
    using C = DayCountConvention;
    const Date a = D("2026-01-31"), b = D("2026-03-01");
    CHECK(day_count(a, b, C::actual_365) == 29);
    CHECK(day_count(a, b, C::actual_360) == 29);
    CHECK(day_count(a, b, C::thirty_360) == 31);
    CHECK(day_count(D("2026-01-15"), D("2026-02-15"), C::thirty_360) == 30);
    CHECK(day_count(D("2026-01-30"), D("2026-03-31"), C::thirty_360) == 60);  // D1=30 -> D2 31->30
    CHECK(day_count(D("2026-01-29"), D("2026-03-31"), C::thirty_360) == 62);  // D1<30 keeps D2=31
    CHECK(day_count(b, a, C::thirty_360) == -31);
    CHECK(year_fraction(a, b, C::actual_365) == Rational::of(29, 365));
    CHECK(year_fraction(a, b, C::actual_360) == Rational::of(29, 360));
    CHECK(year_fraction(D("2026-01-01"), D("2027-01-01"), C::actual_actual) == Rational::of(1, 1));
    CHECK(year_fraction(D("2024-01-01"), D("2025-01-01"), C::actual_actual) == Rational::of(1, 1));
    // 2023-12-01..2024-02-01: 31 days in 2023 /365 + 31 days in 2024 /366
    CHECK(year_fraction(D("2023-12-01"), D("2024-02-01"), C::actual_actual) ==
          Rational::of(31 * 366 + 31 * 365, 365 * 366));
    CHECK(parse_day_count("ACT/365F") == C::actual_365);
    CHECK(parse_day_count("30/360 US") == C::thirty_360);
    CHECK_THROWS_WITH(parse_day_count("bus/252"), Catch::Contains("'bus/252'"));
}

TEST_CASE("simple interest matches the reference vectors", "[day_count]") {
    using C = DayCountConvention;
    const Money p = Money::parse("10000.00", Currency::of("USD"));
    const Rational six = Rational::parse("0.06");
    const Date a = D("2026-01-31"), b = D("2026-03-01");
    CHECK(simple_interest(p, six, a, b, C::actual_365).amount_string() == "47.67");
    CHECK(simple_interest(p, six, a, b, C::actual_360).amount_string() == "48.33");
    CHECK(simple_interest(p, six, a, b, C::thirty_360).amount_string() == "51.67");
    CHECK(simple_interest(p, six, D("2026-01-15"), D("2026-02-15"), C::actual_365).amount_string() ==
          "50.96");
    CHECK(simple_interest(p, six, D("2026-01-15"), D("2026-02-15"), C::thirty_360).amount_string() ==
          "50.00");
}
