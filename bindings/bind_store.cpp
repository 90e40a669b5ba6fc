// The store handle. Domain persistence and imports add their methods in their own files.
#include "pybind11.hpp"

#include "arrears/store.hpp"

using arrears::Store;
using arrears::StoreOptions;
namespace glue = arrears::py_glue;

namespace {

std::vector<arrears::SqlValue> to_params(const py::sequence& params) {
    std::vector<arrears::SqlValue> out;
    std::size_t i = 0;
    for (py::handle p : params) {
        if (p.is_none()) out.push_back({});
        else if (PyBool_Check(p.ptr())) out.push_back(arrears::SqlValue::of(static_cast<std::int64_t>(p.cast<bool>())));
        else if (PyLong_Check(p.ptr())) out.push_back(arrears::SqlValue::of(p.cast<std::int64_t>()));
        else if (PyFloat_Check(p.ptr())) out.push_back(arrears::SqlValue::of(p.cast<double>()));
        else if (py::isinstance<py::str>(p)) out.push_back(arrears::SqlValue::of(p.cast<std::string>()));
        else if (py::isinstance(p, glue::datetime_module().attr("date")) &&
                 !py::isinstance(p, glue::datetime_module().attr("datetime")))
            out.push_back(arrears::SqlValue::of(arrears::to_iso(glue::to_date(p, "params"))));
        else
            throw arrears::ValidationError("params[" + std::to_string(i) + "]: cannot bind " + glue::py_repr(p) +
                                           " (use None, int, float, str or datetime.date)");
        ++i;
    }
    return out;
}

}  // namespace

void bind_store(py::module_& m) {
    py::class_<Store>(m, "Store", "A handle to an arrears SQLite store (use arrears.Store).")
        .def(py::init([](const std::string& path, bool read_only, int busy_timeout_ms, std::string actor, bool create) {
                 py::gil_scoped_release release;
                 return Store(path, StoreOptions{read_only, busy_timeout_ms, std::move(actor), create});
             }),
             "path"_a, "read_only"_a = false, "busy_timeout_ms"_a = 5000, "actor"_a = "arrears", "create"_a = true)
        .def_property_readonly("path", &Store::path)
        .def_property_readonly("read_only", &Store::read_only)
        .def_property_readonly("is_open", &Store::is_open)
        .def_property_readonly("schema_version", &Store::schema_version)
        .def_property_readonly_static("latest_schema_version", [](py::object) { return Store::latest_schema_version(); })
        .def_property("actor", &Store::actor, &Store::set_actor)
        .def("close", &Store::close)
        .def("setting", &Store::setting, "key"_a)
        .def("set_setting", &Store::set_setting, "key"_a, "value"_a)
        .def("query", [](const Store& s, std::string_view sql, const py::sequence& params) {
            auto values = to_params(params);
            arrears::Table t;
            {
                py::gil_scoped_release release;
                t = s.query(sql, values);
            }
            return glue::wrap_table(std::move(t));
        }, "sql"_a, "params"_a = py::tuple())
        .def("read_table", [](const Store& s, std::string_view name) {
            arrears::Table t;
            {
                py::gil_scoped_release release;
                t = s.read_table(name);
            }
            return glue::wrap_table(std::move(t));
        }, "name"_a)
        .def("table_names", &Store::table_names)
        .def("view_names", &Store::view_names)
        .def("export_csv", [](const Store& s, std::string_view name, const std::string& path) {
            py::gil_scoped_release release;
            return s.export_csv(name, path);
        }, "name"_a, "path"_a);
}
