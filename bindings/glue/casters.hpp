// Conversions between Python values and the core's foundation types: datetime.date <->
// arrears::Date (a datetime.datetime is rejected, since a time of day silently dropped is a bug),
// aware datetime <-> arrears::Instant (naive rejected), and exact numbers and money (a float is
// always rejected). The Date and Instant type casters make them plain arguments and results.
#pragma once

#include <pybind11/pybind11.h>

#include <string>

#include "arrears/date.hpp"
#include "arrears/error.hpp"
#include "arrears/money.hpp"
#include "arrears/rational.hpp"
#include "arrears/rounding.hpp"

namespace arrears::glue {

namespace py = pybind11;

// Cached objects from the standard library (imported once per interpreter).
py::object decimal_class();
py::object fraction_class();
py::object datetime_module();

// Python repr of an object, shortened, for error messages.
std::string py_repr(py::handle h);

// datetime.date (not datetime.datetime) -> Date. Throws ValidationError naming `field`.
Date to_date(py::handle h, const char* field = "date");
py::object from_date(const Date& d);
// Aware datetime -> Instant (microseconds are truncated toward the past).
Instant to_instant(py::handle h, const char* field = "at");
py::object from_instant(const Instant& t);

// int, str, Decimal or Fraction -> Rational. A float or bool is a ValidationError.
Rational to_rational(py::handle h, const char* field);
// Rational -> decimal.Decimal (exact: the rates arrears keeps are finite decimals).
py::object to_decimal(const Rational& r);
// str or Decimal -> exact amount; int -> whole units (Money(12) is 12.00); a Money must have the
// same currency. A float, bool or anything else is a ValidationError naming `field`.
Money to_money(py::handle h, Currency currency, const char* field = "amount");
// Money -> decimal.Decimal of its amount.
py::object to_decimal(const Money& m);
// A 128-bit sum (totals of minor units) -> Python int.
py::int_ to_int(i128 v);

}  // namespace arrears::glue

namespace pybind11::detail {

template <>
struct type_caster<arrears::Date> {
    PYBIND11_TYPE_CASTER(arrears::Date, const_name("datetime.date"));
    bool load(handle src, bool) {
        if (!src || src.is_none()) return false;
        value = arrears::glue::to_date(src);
        return true;
    }
    static handle cast(const arrears::Date& d, return_value_policy, handle) {
        return arrears::glue::from_date(d).release();
    }
};

template <>
struct type_caster<arrears::Instant> {
    PYBIND11_TYPE_CASTER(arrears::Instant, const_name("datetime.datetime"));
    bool load(handle src, bool) {
        if (!src || src.is_none()) return false;
        value = arrears::glue::to_instant(src);
        return true;
    }
    static handle cast(const arrears::Instant& t, return_value_policy, handle) {
        return arrears::glue::from_instant(t).release();
    }
};

}  // namespace pybind11::detail
