// Money and currencies: _core.money.
#include "pybind11.hpp"

#include "arrears/currency.hpp"
#include "arrears/json.hpp"
#include "arrears/money.hpp"
#include "arrears/rounding.hpp"

using arrears::Currency;
using arrears::Money;
using arrears::RoundingMode;

namespace {

[[noreturn]] void reject_float(py::handle other, const char* op) {
    throw arrears::ValidationError(std::string(op) + ": " + glue::py_repr(other) +
                                   " is a float; money never mixes with floats");
}

bool is_plain_int(py::handle h) { return PyLong_Check(h.ptr()) && !PyBool_Check(h.ptr()); }

}  // namespace

void bind_money(py::module_& m) {
    m.def("known_currencies", [] {
        std::vector<std::string> codes;
        for (const auto& c : Currency::all()) codes.emplace_back(c.code());
        return codes;
    }, "ISO 4217 codes arrears knows, sorted.");
    m.def("currency_exponent", [](std::string_view code) { return Currency::of(code).exponent(); },
          "code"_a, "Number of minor-unit digits of an ISO 4217 currency (USD 2, JPY 0, KWD 3).");

    py::class_<Money> money(m, "Money", R"doc(
An exact amount of money: integer minor units of one ISO 4217 currency.

``Money(amount, currency="USD")`` takes a ``str`` or ``Decimal`` (exact; more decimal places than
the currency has is a ValidationError) or an ``int`` of whole units (``Money(12)`` is 12.00).
A ``float`` is always rejected. ``Money.from_minor(1234, "USD")`` builds from minor units.
Arithmetic needs one currency, never wraps on overflow, and rounding only happens in
``round()``, ``multiply()`` and ``allocate()``, each with a named mode.
)doc");
    money
        .def(py::init([](py::handle amount, std::string_view currency) {
                 return glue::to_money(amount, Currency::of(currency), "amount");
             }),
             "amount"_a, "currency"_a = "USD")
        .def_static("from_minor",
                    [](py::handle minor, std::string_view currency) {
                        if (!is_plain_int(minor))
                            throw arrears::ValidationError("minor: expected an int of minor units, got " +
                                                           glue::py_repr(minor));
                        int overflow = 0;
                        const long long v = PyLong_AsLongLongAndOverflow(minor.ptr(), &overflow);
                        if (overflow != 0)
                            throw arrears::OverflowError("minor: " + glue::py_repr(minor) +
                                                         " does not fit in 64 bits");
                        return Money::from_minor(v, Currency::of(currency));
                    },
                    "minor"_a, "currency"_a = "USD", "Money from integer minor units (cents for USD).")
        .def_static("from_json",
                    [](py::handle data) { return glue::from_python(data, "money").get<Money>(); },
                    "data"_a, R"doc(From ``{"amount": "12.34", "currency": "USD"}`` (a dict or JSON text).)doc")
        .def_property_readonly("minor", &Money::minor, "Amount in minor units (int).")
        .def_property_readonly("amount", [](const Money& x) { return glue::to_decimal(x); }, "Amount as a decimal.Decimal.")
        .def_property_readonly("currency", [](const Money& x) { return std::string(x.currency().code()); },
                               "ISO 4217 code.")
        .def_property_readonly("exponent", [](const Money& x) { return x.currency().exponent(); },
                               "Minor-unit digits of the currency.")
        .def("format", &Money::format, "locale"_a = "en_US",
             "Display form: '$1,234.56', '-$1,234.56' (locales en_US, es_US).")
        .def("round", [](const Money& x, int places, std::string_view rounding) {
                 return x.round(places, arrears::parse_rounding_mode(rounding));
             }, "places"_a = 0, "rounding"_a = "half_even",
             "Round to `places` decimal places with a named mode (half_even, half_up, half_down, "
             "down, up, floor, ceiling).")
        .def("multiply", [](const Money& x, py::handle factor, std::string_view rounding) {
                 return x.multiply(glue::to_rational(factor, "factor"), arrears::parse_rounding_mode(rounding));
             }, "factor"_a, "rounding"_a = "half_even",
             "Exact product with an int/str/Decimal/Fraction factor, rounded once to minor units.")
        .def("allocate", [](const Money& x, py::handle parts) {
                 if (is_plain_int(parts)) {
                     const auto n = parts.cast<long long>();
                     if (n <= 0) throw arrears::ValidationError("n: cannot allocate into " + std::to_string(n) + " parts");
                     return x.allocate(static_cast<std::size_t>(n));
                 }
                 std::vector<std::int64_t> weights;
                 std::size_t i = 0;
                 for (py::handle w : parts) {
                     if (!is_plain_int(w))
                         throw arrears::ValidationError("weights[" + std::to_string(i) + "]: expected an int, got " +
                                                        glue::py_repr(w));
                     weights.push_back(w.cast<std::int64_t>());
                     ++i;
                 }
                 return x.allocate(weights);
             }, "parts"_a,
             "Split into n equal parts or in proportion to integer weights; the parts always sum "
             "to the whole, leftover minor units go first-come.")
        .def("to_dict", [](const Money& x) {
                 return py::dict("amount"_a = x.amount_string(), "currency"_a = std::string(x.currency().code()));
             }, "{'amount': '1234.56', 'currency': 'USD'}")
        .def("to_json", [](const Money& x) { return nlohmann::json(x).dump(); },
             R"doc(JSON text {"amount": "1234.56", "currency": "USD"}.)doc")
        .def("__repr__", &Money::repr)
        .def("__str__", [](const Money& x) { return x.format(); })
        .def("__bool__", [](const Money& x) { return !x.is_zero(); })
        .def(py::self < py::self)
        .def(py::self <= py::self)
        .def(py::self > py::self)
        .def(py::self >= py::self)
        .def("__neg__", [](const Money& a) { return -a; })
        .def("__pos__", [](const Money& a) { return a; })
        .def("__abs__", &Money::abs)
        .def("__add__", [](const Money& a, py::handle b) -> py::object {
            if (py::isinstance<Money>(b)) return py::cast(a + b.cast<Money>());
            if (PyFloat_Check(b.ptr())) reject_float(b, "addition");
            return py::reinterpret_borrow<py::object>(Py_NotImplemented);
        }, py::is_operator())
        .def("__radd__", [](const Money& a, py::handle b) -> py::object {
            // sum() starts from int 0
            if (is_plain_int(b) && b.cast<long long>() == 0) return py::cast(a);
            if (PyFloat_Check(b.ptr())) reject_float(b, "addition");
            return py::reinterpret_borrow<py::object>(Py_NotImplemented);
        }, py::is_operator())
        .def("__sub__", [](const Money& a, py::handle b) -> py::object {
            if (py::isinstance<Money>(b)) return py::cast(a - b.cast<Money>());
            if (PyFloat_Check(b.ptr())) reject_float(b, "subtraction");
            return py::reinterpret_borrow<py::object>(Py_NotImplemented);
        }, py::is_operator())
        .def("__rsub__", [](const Money&, py::handle b) -> py::object {
            if (PyFloat_Check(b.ptr())) reject_float(b, "subtraction");
            return py::reinterpret_borrow<py::object>(Py_NotImplemented);
        }, py::is_operator())
        .def("__mul__", [](const Money& a, py::handle b) -> py::object {
            if (is_plain_int(b)) {
                int overflow = 0;
                const long long v = PyLong_AsLongLongAndOverflow(b.ptr(), &overflow);
                if (overflow != 0) throw arrears::OverflowError("multiplication: " + glue::py_repr(b) + " is too large");
                return py::cast(a * v);
            }
            if (PyFloat_Check(b.ptr())) reject_float(b, "multiplication");
            return py::reinterpret_borrow<py::object>(Py_NotImplemented);
        }, py::is_operator())
        .def("__rmul__", [](const Money& a, py::handle b) -> py::object {
            return py::cast(a).attr("__mul__")(b);
        }, py::is_operator())
        .def("__truediv__", [](const Money&, py::handle b) -> py::object {
            if (PyFloat_Check(b.ptr())) reject_float(b, "division");
            throw arrears::ValidationError(
                "division: Money cannot be divided exactly; use allocate(n) to split it or "
                "multiply(Fraction(1, n), rounding=...) to round on purpose");
        }, py::is_operator());
    glue::def_value(
        money, [](const Money& x) { return py::make_tuple(x.minor(), std::string(x.currency().code())); },
        [](const py::tuple& s) {
            return Money::from_minor(s[0].cast<std::int64_t>(), Currency::of(s[1].cast<std::string>()));
        });
}
