// Helpers shared by bind_debtor.cpp and bind_ledger.cpp: the value-type protocol (eq, hash,
// JSON, dict, versioned pickle, replace) done once, generically, over the C++ JSON functions.
#pragma once

#include "pybind11.hpp"

#include <nlohmann/json.hpp>

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "arrears/error.hpp"
#include "arrears/json.hpp"

namespace ledger_glue {

using arrears::Json;

// nlohmann JSON -> plain Python objects (dict, list, str, int, bool, None).
inline py::object to_python(const Json& j) {
    return py::module_::import("json").attr("loads")(j.dump());
}

// A dict (or JSON text) -> nlohmann JSON.
inline Json from_python(py::handle data, const char* what) {
    if (py::isinstance<py::str>(data)) return arrears::parse_json(data.cast<std::string>(), what);
    if (!py::isinstance<py::dict>(data))
        throw arrears::ValidationError(std::string(what) + ": expected a dict or JSON text, got " +
                                       arrears::py_glue::py_repr(data));
    const std::string text = py::module_::import("json").attr("dumps")(data).cast<std::string>();
    return arrears::parse_json(text, what);
}

// Current UTC time, read in the binding layer (the core never reads a clock).
inline arrears::Instant now_utc() {
    py::object dt = arrears::py_glue::datetime_module();
    return arrears::py_glue::to_instant(
        dt.attr("datetime").attr("now")(dt.attr("timezone").attr("utc")), "posted_at");
}

inline arrears::Instant instant_or_now(const py::object& h, const char* field) {
    if (h.is_none()) return now_utc();
    return arrears::py_glue::to_instant(h, field);
}

inline std::optional<arrears::Date> opt_date(const py::object& h, const char* field) {
    if (h.is_none()) return std::nullopt;
    return arrears::py_glue::to_date(h, field);
}

inline py::object from_opt_date(const std::optional<arrears::Date>& d) {
    return d ? arrears::py_glue::from_date(*d) : py::none();
}

inline std::string str_arg(const py::handle& h, const char* field) {
    if (!py::isinstance<py::str>(h))
        throw arrears::ValidationError(std::string(field) + ": expected a str, got " +
                                       arrears::py_glue::py_repr(h));
    return h.cast<std::string>();
}

inline std::string html_escape(const std::string& s) {
    std::string out;
    out.reserve(s.size());
    for (char c : s) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            default: out += c;
        }
    }
    return out;
}

// __eq__/__ne__/__hash__ (of the JSON form), to_dict/to_json, from_dict/from_json and a
// versioned pickle state (1, json_text) for a value type T with to_json(Json&, const T&).
template <class T>
void value_protocol(py::class_<T>& cls, std::function<T(const Json&)> parse, bool hashable = true) {
    const std::string name = py::str(cls.attr("__name__")).cast<std::string>();
    cls.def("__eq__", [](const T& a, py::handle b) -> py::object {
           if (!py::isinstance<T>(b)) return py::reinterpret_borrow<py::object>(Py_NotImplemented);
           return py::bool_(a == b.cast<const T&>());
       }, py::is_operator())
        .def("__ne__", [](const T& a, py::handle b) -> py::object {
            if (!py::isinstance<T>(b)) return py::reinterpret_borrow<py::object>(Py_NotImplemented);
            return py::bool_(!(a == b.cast<const T&>()));
        }, py::is_operator())
        .def("to_dict", [](const T& v) { return to_python(Json(v)); },
             "Plain dict (JSON types only): the storage form.")
        .def("to_json", [](const T& v) { return Json(v).dump(); }, "JSON text of to_dict().")
        .def_static("from_dict", [parse, name](py::handle data) {
            return parse(from_python(data, name.c_str()));
        }, "data"_a, "From to_dict() output (a dict) or JSON text.")
        .def_static("from_json", [parse, name](const std::string& text) {
            return parse(arrears::parse_json(text, name));
        }, "text"_a, "From to_json() output.")
        .def(py::pickle(
            [](const T& v) { return py::make_tuple(1, Json(v).dump()); },
            [parse, name](const py::tuple& t) {
                if (t.size() != 2 || t[0].cast<int>() != 1)
                    throw arrears::ValidationError(name + " pickle: unknown state version");
                return parse(arrears::parse_json(t[1].cast<std::string>(), name));
            }))
        .def("__copy__", [](const T& v) { return T(v); })
        .def("__deepcopy__", [](const T& v, py::handle) { return T(v); }, "memo"_a);
    if (hashable)
        cls.def("__hash__", [](const T& v) { return py::hash(py::str(Json(v).dump())); });
    else
        cls.attr("__hash__") = py::none();
}

// replace(**changes): a copy with some constructor arguments changed. `fields` are the
// constructor's keyword names; each is read back from the property of the same name, or from
// the method named after a '=' ("ssn=reveal_ssn" calls self.reveal_ssn()).
template <class T>
void def_replace(py::class_<T>& cls, std::vector<std::string> fields) {
    cls.def("replace", [fields](py::handle self, py::kwargs changes) {
        py::dict args;
        for (const auto& spec : fields) {
            const auto eq = spec.find('=');
            const std::string name = spec.substr(0, eq);
            py::str key(name);
            if (changes.contains(key)) {
                args[key] = changes[key];
                PyDict_DelItem(changes.ptr(), key.ptr());
            } else if (eq != std::string::npos) {
                args[key] = self.attr(py::str(spec.substr(eq + 1)))();
            } else {
                args[key] = self.attr(key);
            }
        }
        for (auto item : changes)
            throw arrears::ValidationError("replace: " + py::str(item.first).cast<std::string>() +
                                           " is not a field of " +
                                           py::str(py::type::handle_of(self).attr("__name__")).cast<std::string>());
        return py::type::handle_of(self)(**args);
    }, "A copy with the given fields changed (validated like the constructor).");
}

}  // namespace ledger_glue
