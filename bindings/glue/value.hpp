// The value protocol, written once: every bound value type is immutable from Python and gets
// ==/!= (NotImplemented for other types), __hash__, a versioned pickle state (1, *state),
// __copy__/__deepcopy__ and, for types whose storage form is JSON, to_dict/to_json/from_dict/
// from_json. One call per type:
//
//     py::class_<Money> cls(m, "Money", doc);
//     glue::def_value(cls, [](const Money& x) { return py::make_tuple(x.minor(), code); },
//                     [](const py::tuple& s) { return Money::from_minor(...); });
//
//     py::class_<Debtor> debtor(m, "Debtor", doc);
//     glue::def_json_value<Debtor>(debtor, &parse_debtor);
//
// Equality is the C++ operator== when the type has one, else equality of the state.
#pragma once

#include <pybind11/pybind11.h>

#include <concepts>
#include <string>
#include <vector>

#include "arrears/error.hpp"
#include "arrears/json.hpp"
#include "glue/json.hpp"

namespace arrears::glue {

namespace py = pybind11;
using namespace pybind11::literals;

enum ValueFlags : unsigned {
    hashable = 0,
    unhashable = 1,     // mutable in C++ (Account): __hash__ is None
    indented_json = 2,  // to_json(indent=2): documents people review (policies, tables)
};

namespace detail {

inline std::string type_name(py::handle cls) {
    return py::str(cls.attr("__name__")).cast<std::string>();
}

// The JSON form of a value: its to_json() member, or nlohmann's to_json(Json&, const T&).
template <class T>
Json json_of(const T& v) {
    if constexpr (requires { { v.to_json() } -> std::convertible_to<Json>; })
        return v.to_json();
    else
        return Json(v);
}

// A classmethod fn(cls, data) (pybind11 binds static methods only).
template <class T, class Fn>
void def_classmethod(py::class_<T>& cls, const char* name, Fn fn, const char* doc) {
    py::cpp_function f(fn, py::name(name), py::arg("cls"), py::arg("data"), py::doc(doc));
    PyObject* method = PyClassMethod_New(f.ptr());
    if (method == nullptr) throw py::error_already_set();
    cls.attr(name) = py::reinterpret_steal<py::object>(method);
}

}  // namespace detail

// state(const T&) -> py::tuple of picklable, hashable values (no version);
// make(const py::tuple& state) -> T rebuilds it (checked like the constructor).
template <class T, class State, class Make>
void def_value(py::class_<T>& cls, State state, Make make, unsigned flags = hashable) {
    const std::string name = detail::type_name(cls);
    auto equal = [state](const T& a, py::handle b) -> py::object {
        if (!py::isinstance<T>(b)) return py::reinterpret_borrow<py::object>(Py_NotImplemented);
        const T& other = b.cast<const T&>();
        if constexpr (std::equality_comparable<T>)
            return py::bool_(a == other);
        else
            return py::bool_(state(a).equal(state(other)));
    };
    cls.def("__eq__", equal, py::is_operator())
        .def("__ne__", [equal](const T& a, py::handle b) -> py::object {
            py::object eq = equal(a, b);
            return py::isinstance<py::bool_>(eq) ? py::bool_(!eq.cast<bool>()) : eq;
        }, py::is_operator())
        .def(py::pickle(
            [state](const T& v) {
                py::tuple s = state(v);
                py::tuple out(s.size() + 1);
                out[0] = py::int_(1);
                for (std::size_t i = 0; i < s.size(); ++i) out[i + 1] = s[i];
                return out;
            },
            [make, name](const py::tuple& t) {
                if (t.size() < 1 || !py::isinstance<py::int_>(t[0]) || t[0].cast<int>() != 1)
                    throw ValidationError(name + " pickle: unknown state version");
                return make(py::tuple(t[py::slice(1, static_cast<py::ssize_t>(t.size()), 1)]));
            }))
        .def("__copy__", [](const T& v) { return T(v); })
        .def("__deepcopy__", [](const T& v, py::handle) { return T(v); }, "memo"_a);
    if (flags & unhashable)
        cls.attr("__hash__") = py::none();
    else
        cls.def("__hash__", [state](const T& v) { return py::hash(state(v)); });
}

// A value whose storage form is JSON: the pickle state is (1, json text), the hash is that of
// the text, and to_dict/to_json/from_dict/from_json convert. parse(const Json&) -> T reads the
// JSON form and validates it (errors name the JSON path). `what` names the argument in errors
// (default: the class name).
template <class T, class Parse>
void def_json_value(py::class_<T>& cls, Parse parse, unsigned flags = hashable,
                    const char* what = nullptr) {
    const std::string name = what ? what : detail::type_name(cls);
    def_value(
        cls, [](const T& v) { return py::make_tuple(detail::json_of(v).dump()); },
        [parse, name](const py::tuple& s) {
            return parse(parse_json(s[0].cast<std::string>(), name));
        },
        flags);
    auto read = [parse, name](const py::type&, py::handle data) {
        return parse(from_python(data, name.c_str()));
    };
    cls.def("to_dict", [](const T& v) { return to_python(detail::json_of(v)); },
            "The storage form: a dict of JSON types (amounts as decimal strings, dates ISO).");
    detail::def_classmethod(cls, "from_dict", read,
                            "From to_dict() output (a dict) or JSON text; invalid input is a "
                            "ValidationError naming the JSON path.");
    detail::def_classmethod(cls, "from_json", read, "From to_json() output (or a dict).");
    if (flags & indented_json)
        cls.def("to_json", [](const T& v, int indent) { return detail::json_of(v).dump(indent); },
                "indent"_a = 2, "JSON text of to_dict().");
    else
        cls.def("to_json", [](const T& v) { return detail::json_of(v).dump(); },
                "JSON text of to_dict().");
}

// Getters for read-only properties, so a binding line names the member: a copy of a member
// (`glue::get<Phone>(&Phone::consents)`), the name of an enum member (`glue::name_of<Phone>(
// &Phone::type)`).
template <class T, class C, class M>
auto get(M C::*member) {
    return [member](const T& v) -> M { return v.*member; };
}

template <class T, class C, class E>
auto name_of(E C::*member) {
    return [member](const T& v) { return std::string(to_string(v.*member)); };
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
            throw ValidationError("replace: " + py::str(item.first).cast<std::string>() +
                                  " is not a field of " +
                                  detail::type_name(py::type::handle_of(self)));
        return py::type::handle_of(self)(**args);
    }, "A copy with the given fields changed (validated like the constructor).");
}

}  // namespace arrears::glue
