// JSON <-> Python, the one converter every binding uses: the core's nlohmann JSON becomes plain
// Python data (dict, list, str, int, float, bool, None), and JSON text or plain Python data
// becomes nlohmann JSON for the core's validating readers (whose errors carry the JSON path).
#pragma once

#include <pybind11/pybind11.h>

#include "arrears/json.hpp"

namespace arrears::glue {

namespace py = pybind11;

py::object to_python(const Json& j);
// JSON text (a str) or plain Python data (dict, list ...) -> Json. `what` names the argument in
// errors: data json.dumps cannot write, or malformed text, is a ValidationError.
Json from_python(py::handle data, const char* what);

}  // namespace arrears::glue
