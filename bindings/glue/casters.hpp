// Type casters: datetime.date <-> arrears::Date (a datetime.datetime is rejected, since a
// time of day silently dropped is a bug), aware datetime <-> arrears::Instant (naive rejected),
// and helpers that turn Python numbers into exact core values (a float is always rejected).
#pragma once

#include <pybind11/pybind11.h>

#include <cstdint>
#include <string>

#include "arrears/arrow_import.hpp"
#include "arrears/date.hpp"
#include "arrears/error.hpp"
#include "arrears/money.hpp"
#include "arrears/parallel.hpp"
#include "arrears/rational.hpp"
#include "arrears/table.hpp"

namespace arrears::py_glue {

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
// str or Decimal -> exact amount; int -> whole units (Money(12) is 12.00); a Money must have the
// same currency. A float, bool or anything else is a ValidationError naming `field`.
Money to_money(py::handle h, Currency currency, const char* field = "amount");
// Money -> decimal.Decimal of its amount.
py::object to_decimal(const Money& m);

// A core Table -> the Python arrears.Table (facade over _core.Table; Arrow, pandas, numpy).
// Return this from bindings that produce tables.
py::object wrap_table(Table&& table);
// Any object with __arrow_c_stream__ (pyarrow, pandas >= 2.2, polars, DuckDB, arrears.Table)
// -> an imported table. `what` names the argument in errors.
std::shared_ptr<ArrowImport> import_arrow(py::handle obj, const char* what = "data");

// Bridges an optional Python callable fn(done, total) (e.g. a tqdm update) and Ctrl-C to the
// core's Progress. Build it with the GIL held, pass progress() into the core call made with the
// GIL released; Ctrl-C makes the core stop and raise Cancelled (Python: KeyboardInterrupt).
class ProgressBridge {
public:
    explicit ProgressBridge(py::object callback, std::uint64_t total = 0);
    Progress& progress() noexcept { return progress_; }

private:
    py::object callback_;
    Progress progress_;
};

}  // namespace arrears::py_glue

namespace pybind11::detail {

template <>
struct type_caster<arrears::Date> {
    PYBIND11_TYPE_CASTER(arrears::Date, const_name("datetime.date"));
    bool load(handle src, bool) {
        if (!src || src.is_none()) return false;
        value = arrears::py_glue::to_date(src);
        return true;
    }
    static handle cast(const arrears::Date& d, return_value_policy, handle) {
        return arrears::py_glue::from_date(d).release();
    }
};

template <>
struct type_caster<arrears::Instant> {
    PYBIND11_TYPE_CASTER(arrears::Instant, const_name("datetime.datetime"));
    bool load(handle src, bool) {
        if (!src || src.is_none()) return false;
        value = arrears::py_glue::to_instant(src);
        return true;
    }
    static handle cast(const arrears::Instant& t, return_value_policy, handle) {
        return arrears::py_glue::from_instant(t).release();
    }
};

}  // namespace pybind11::detail
