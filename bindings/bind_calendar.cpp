// Dates, U.S. federal holidays, business days and day counts: _core.calendar.
#include "pybind11.hpp"

#include "arrears/calendar.hpp"
#include "arrears/date.hpp"
#include "arrears/day_count.hpp"

using arrears::BusinessCalendar;
using arrears::Date;

void bind_calendar(py::module_& m) {
    m.def("us_federal_holidays", &arrears::us_federal_holidays, "year"_a, "observed"_a = false,
          R"doc(Federal holidays of 5 U.S.C. 6103(a) whose date falls in `year`, sorted.

With ``observed=True`` the list also holds the Friday/Monday on which a Saturday/Sunday holiday is
observed (5 U.S.C. 6103(b)), when that weekday falls in `year`. Years before 1971 are rejected.)doc");
    m.def("us_federal_holiday_name",
          [](const Date& d, bool observed) -> std::optional<std::string> {
              std::string name = arrears::us_federal_holiday_name(d, observed);
              if (name.empty()) return std::nullopt;
              return name;
          },
          "day"_a, "observed"_a = true, "Name of the federal holiday on `day`, or None.");
    m.def("add_months", &arrears::add_months, "day"_a, "months"_a,
          "`day` plus `months` calendar months, clamped to the month end (Jan 31 + 1 = Feb 28/29).");
    m.def("end_of_month", &arrears::end_of_month, "day"_a, "Last day of the month of `day`.");
    m.def("is_leap_year", &arrears::is_leap_year, "year"_a);
    m.def("day_count",
          [](const Date& start, const Date& end, std::string_view convention) {
              return arrears::day_count(start, end, arrears::parse_day_count(convention));
          },
          "start"_a, "end"_a, "convention"_a = "actual/365",
          "Days from start to end under actual/365, actual/360, 30/360 (US bond basis) or "
          "actual/actual (ISDA).");
    m.def("year_fraction",
          [](const Date& start, const Date& end, std::string_view convention) {
              const auto r = arrears::year_fraction(start, end, arrears::parse_day_count(convention));
              return glue::fraction_class()(r.num, r.den);
          },
          "start"_a, "end"_a, "convention"_a = "actual/365",
          "Exact fraction of a year from start to end, as a fractions.Fraction.");

    py::class_<BusinessCalendar> calendar(m, "BusinessCalendar", R"doc(
Business days: Monday to Friday except holidays.

``BusinessCalendar(holidays="us_federal", observed=True, extra_holidays=())``: ``holidays`` is
``"us_federal"`` (5 U.S.C. 6103(a), with the observed Friday/Monday when ``observed``), ``"none"``
(weekends only) or a list of dates (weekends plus exactly those dates).
)doc");
    calendar
        .def(py::init<std::string_view, bool, std::vector<Date>>(), "holidays"_a = "us_federal",
             "observed"_a = true, "extra_holidays"_a = std::vector<Date>{})
        .def(py::init<std::vector<Date>>(), "holidays"_a)
        .def("is_business_day", &BusinessCalendar::is_business_day, "day"_a)
        .def("is_holiday", &BusinessCalendar::is_holiday, "day"_a)
        .def("add_business_days", &BusinessCalendar::add_business_days, "day"_a, "n"_a,
             "Step n business days from day (n < 0 steps back; 0 returns day).")
        .def("business_days_between", &BusinessCalendar::business_days_between, "start"_a, "end"_a,
             "Signed business-day steps from start to end: business days in (start, end], or "
             "minus those in [end, start) when end < start.")
        .def("adjust",
             [](const BusinessCalendar& c, const Date& d, std::string_view convention) {
                 return c.adjust(d, arrears::parse_business_day_convention(convention));
             },
             "day"_a, "convention"_a = "following",
             "Move a non-business day: following, modified_following, preceding, "
             "modified_preceding or unadjusted.")
        .def_property_readonly("holidays", [](const BusinessCalendar& c) { return std::string(c.holiday_rules()); })
        .def_property_readonly("observed", &BusinessCalendar::observed)
        .def_property_readonly("extra_holidays", &BusinessCalendar::extra_holidays)
        .def("__repr__", &BusinessCalendar::repr);
    glue::def_value(
        calendar,
        [](const BusinessCalendar& c) {
            return py::make_tuple(std::string(c.holiday_rules()), c.observed(),
                                  py::tuple(py::cast(c.extra_holidays())));
        },
        [](const py::tuple& s) {
            return BusinessCalendar(s[0].cast<std::string>(), s[1].cast<bool>(),
                                    s[2].cast<std::vector<Date>>());
        });
}
