#include "glue/casters.hpp"

#include <datetime.h>

#include <climits>

namespace arrears::glue {

using namespace pybind11::literals;

namespace {

void ensure_datetime_api() {
    if (!PyDateTimeAPI) {
        PyDateTime_IMPORT;
        if (!PyDateTimeAPI) throw py::error_already_set();
    }
}

py::object cached_import(const char* module, const char* attr) {
    return py::module_::import(module).attr(attr);
}

}  // namespace

py::object decimal_class() {
    PYBIND11_CONSTINIT static py::gil_safe_call_once_and_store<py::object> storage;
    return storage.call_once_and_store_result([] { return cached_import("decimal", "Decimal"); })
        .get_stored();
}

py::object fraction_class() {
    PYBIND11_CONSTINIT static py::gil_safe_call_once_and_store<py::object> storage;
    return storage.call_once_and_store_result([] { return cached_import("fractions", "Fraction"); })
        .get_stored();
}

py::object datetime_module() {
    PYBIND11_CONSTINIT static py::gil_safe_call_once_and_store<py::object> storage;
    return storage.call_once_and_store_result([] { return py::module_::import("datetime"); })
        .get_stored();
}

std::string py_repr(py::handle h) {
    std::string text = py::repr(h).cast<std::string>();
    if (text.size() > 80) text = text.substr(0, 77) + "...";
    return text;
}

Date to_date(py::handle h, const char* field) {
    ensure_datetime_api();
    if (PyDateTime_Check(h.ptr()))
        throw ValidationError(std::string(field) + ": " + py_repr(h) +
                              " is a datetime; pass a datetime.date (e.g. value.date())");
    if (!PyDate_Check(h.ptr()))
        throw ValidationError(std::string(field) + ": expected a datetime.date, got " + py_repr(h));
    return make_date(PyDateTime_GET_YEAR(h.ptr()),
                     static_cast<unsigned>(PyDateTime_GET_MONTH(h.ptr())),
                     static_cast<unsigned>(PyDateTime_GET_DAY(h.ptr())), field);
}

py::object from_date(const Date& d) {
    ensure_datetime_api();
    PyObject* obj = PyDate_FromDate(static_cast<int>(d.year()), static_cast<int>(static_cast<unsigned>(d.month())),
                                    static_cast<int>(static_cast<unsigned>(d.day())));
    if (!obj) throw py::error_already_set();
    return py::reinterpret_steal<py::object>(obj);
}

Instant to_instant(py::handle h, const char* field) {
    ensure_datetime_api();
    if (!PyDateTime_Check(h.ptr()))
        throw ValidationError(std::string(field) + ": expected a timezone-aware datetime, got " +
                              py_repr(h));
    py::object offset = h.attr("utcoffset")();
    if (offset.is_none())
        throw ValidationError(std::string(field) + ": " + py_repr(h) +
                              " is naive; pass a timezone-aware datetime");
    py::object dt = datetime_module();
    py::object epoch = dt.attr("datetime")(1970, 1, 1, "tzinfo"_a = dt.attr("timezone").attr("utc"));
    py::object delta = h.attr("__sub__")(epoch);
    const long long days = delta.attr("days").cast<long long>();
    const long long seconds = delta.attr("seconds").cast<long long>();
    return Instant{std::chrono::seconds{days * 86400 + seconds}};
}

py::object from_instant(const Instant& t) {
    py::object dt = datetime_module();
    py::object epoch = dt.attr("datetime")(1970, 1, 1, "tzinfo"_a = dt.attr("timezone").attr("utc"));
    return epoch + dt.attr("timedelta")("seconds"_a = t.time_since_epoch().count());
}

Rational to_rational(py::handle h, const char* field) {
    if (PyBool_Check(h.ptr()) || PyFloat_Check(h.ptr()))
        throw ValidationError(std::string(field) + ": " + py_repr(h) +
                              " is a " + (PyBool_Check(h.ptr()) ? "bool" : "float") +
                              "; pass an int, a str or a Decimal");
    if (PyLong_Check(h.ptr())) {
        int overflow = 0;
        const long long v = PyLong_AsLongLongAndOverflow(h.ptr(), &overflow);
        if (overflow != 0 || v == LLONG_MIN)
            throw OverflowError(std::string(field) + ": " + py_repr(h) + " does not fit in 64 bits");
        return Rational::of(v, 1);
    }
    if (py::isinstance<py::str>(h)) return Rational::parse(h.cast<std::string>(), field);
    if (py::isinstance(h, decimal_class()))
        return Rational::parse(py::str(py::module_::import("builtins").attr("format")(h, "f"))
                                   .cast<std::string>(),
                               field);
    if (py::isinstance(h, fraction_class())) {
        const Rational num = to_rational(h.attr("numerator"), field);
        const Rational den = to_rational(h.attr("denominator"), field);
        return Rational::of(num.num, den.num);
    }
    throw ValidationError(std::string(field) + ": expected an int, str, Decimal or Fraction, got " +
                          py_repr(h));
}

Money to_money(py::handle h, Currency currency, const char* field) {
    if (py::isinstance<Money>(h)) {
        Money m = h.cast<Money>();
        m.require_same_currency(Money(0, currency), field);
        return m;
    }
    if (PyBool_Check(h.ptr()) || PyFloat_Check(h.ptr()))
        throw ValidationError(std::string(field) + ": " + py_repr(h) +
                              (PyBool_Check(h.ptr())
                                   ? " is a bool, not an amount"
                                   : " is a float; pass a str or Decimal (floats cannot hold cents "
                                     "exactly)"));
    if (PyLong_Check(h.ptr())) {
        int overflow = 0;
        const long long v = PyLong_AsLongLongAndOverflow(h.ptr(), &overflow);
        if (overflow != 0)
            throw OverflowError(std::string(field) + ": " + py_repr(h) +
                                " does not fit in 64-bit minor units");
        return Money::from_units(v, currency);
    }
    if (py::isinstance<py::str>(h)) return Money::parse(h.cast<std::string>(), currency, field);
    if (py::isinstance(h, decimal_class())) {
        if (!h.attr("is_finite")().cast<bool>())
            throw ValidationError(std::string(field) + ": " + py_repr(h) + " is not a finite amount");
        const std::string text =
            py::str(py::module_::import("builtins").attr("format")(h, "f")).cast<std::string>();
        return Money::parse(text, currency, field);
    }
    throw ValidationError(std::string(field) + ": expected a str, Decimal, int or Money, got " +
                          py_repr(h));
}

py::object to_decimal(const Money& m) { return decimal_class()(m.amount_string()); }

py::object to_decimal(const Rational& r) { return decimal_class()(r.to_string()); }

py::int_ to_int(i128 v) {
    std::string digits;
    i128 x = v;
    do {
        const auto d = static_cast<int>(x % 10);
        digits += static_cast<char>('0' + (d < 0 ? -d : d));
        x /= 10;
    } while (x != 0);
    if (v < 0) digits += '-';
    return py::int_(py::str(std::string(digits.rbegin(), digits.rend())));
}


}  // namespace arrears::glue
