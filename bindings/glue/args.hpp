// Argument and result helpers shared by the binding files: optional values (None <-> empty),
// str and list arguments checked with errors naming the field, and "now" for the posting calls
// (the core never reads a clock; the binding layer supplies the default instant).
#pragma once

#include <pybind11/pybind11.h>

#include <optional>
#include <string>
#include <vector>

#include "arrears/error.hpp"
#include "glue/casters.hpp"

namespace arrears::glue {

namespace py = pybind11;

inline std::optional<Date> opt_date(const py::handle& h, const char* field) {
    if (h.is_none()) return std::nullopt;
    return to_date(h, field);
}

inline std::optional<Instant> opt_instant(const py::handle& h, const char* field) {
    if (h.is_none()) return std::nullopt;
    return to_instant(h, field);
}

// std::optional<T> -> T's Python value or None (for types with a caster or a bound class).
template <class T>
py::object from_opt(const std::optional<T>& v) {
    return v ? py::cast(*v) : py::none();
}

// The current UTC instant, read here (the core never reads a clock).
inline Instant now_utc() {
    py::object dt = datetime_module();
    return to_instant(dt.attr("datetime").attr("now")(dt.attr("timezone").attr("utc")), "now");
}

inline Instant instant_or_now(const py::handle& h, const char* field) {
    return h.is_none() ? now_utc() : to_instant(h, field);
}

inline std::string str_arg(const py::handle& h, const char* field) {
    if (!py::isinstance<py::str>(h))
        throw ValidationError(std::string(field) + ": expected a str, got " + py_repr(h));
    return h.cast<std::string>();
}

inline std::optional<std::string> opt_str_arg(const py::handle& h, const char* field) {
    if (h.is_none()) return std::nullopt;
    return str_arg(h, field);
}

// A sequence of str (a single str is an error: it is a sequence of letters).
inline std::vector<std::string> str_list(const py::handle& items, const char* field) {
    if (py::isinstance<py::str>(items))
        throw ValidationError(std::string(field) + ": expected a list of str, got the str " +
                              py_repr(items));
    std::vector<std::string> out;
    for (py::handle h : items) out.push_back(str_arg(h, field));
    return out;
}

// A sequence of bound T objects; errors name the field and the index.
template <class T>
std::vector<T> list_of(const py::handle& items, const char* field) {
    if (py::isinstance<py::str>(items) || py::isinstance<T>(items))
        throw ValidationError(std::string(field) + ": expected a list, got " + py_repr(items));
    std::vector<T> out;
    std::size_t i = 0;
    for (py::handle h : items) {
        if (!py::isinstance<T>(h))
            throw ValidationError(std::string(field) + "[" + std::to_string(i) + "]: expected " +
                                  py::str(py::type::of<T>().attr("__name__")).cast<std::string>() +
                                  ", got " + py_repr(h));
        out.push_back(h.cast<T>());
        ++i;
    }
    return out;
}

// A bound T or None.
template <class T>
std::optional<T> opt_of(const py::handle& h, const char* field) {
    if (h.is_none()) return std::nullopt;
    if (!py::isinstance<T>(h))
        throw ValidationError(std::string(field) + ": expected " +
                              py::str(py::type::of<T>().attr("__name__")).cast<std::string>() +
                              " or None, got " + py_repr(h));
    return h.cast<T>();
}

}  // namespace arrears::glue
