#include "glue/json.hpp"

#include <string>

#include "glue/casters.hpp"

namespace arrears::glue {

namespace {

py::object json_module() {
    PYBIND11_CONSTINIT static py::gil_safe_call_once_and_store<py::object> storage;
    return storage.call_once_and_store_result([] { return py::module_::import("json"); })
        .get_stored();
}

}  // namespace

py::object to_python(const Json& j) { return json_module().attr("loads")(j.dump()); }

Json from_python(py::handle data, const char* what) {
    if (py::isinstance<py::str>(data)) return parse_json(data.cast<std::string>(), what);
    std::string text;
    try {
        text = json_module().attr("dumps")(data).cast<std::string>();
    } catch (const py::error_already_set&) {
        throw ValidationError(std::string(what) + ": expected JSON text or a dict, got " +
                              py_repr(data));
    }
    return parse_json(text, what);
}

}  // namespace arrears::glue
