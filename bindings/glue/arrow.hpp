// Arrow C Data Interface PyCapsules: a core Table leaves as an ArrowArrayStream capsule
// (`__arrow_c_stream__`), and any Arrow stream producer (pyarrow, pandas >= 2.2, polars, DuckDB,
// arrears.Table) comes in as an imported table.
#pragma once

#include <pybind11/pybind11.h>

#include <memory>

#include "arrears/arrow_import.hpp"
#include "arrears/table.hpp"

namespace arrears::glue {

namespace py = pybind11;

// An "arrow_array_stream" capsule over the table (shared: the table lives while the stream does).
py::object stream_capsule(const std::shared_ptr<const Table>& t);
// An "arrow_schema" capsule of the table's schema.
py::object schema_capsule(const std::shared_ptr<const Table>& t);
// Any object with __arrow_c_stream__ -> an imported table. `what` names the argument in errors.
std::shared_ptr<ArrowImport> import_arrow(py::handle obj, const char* what = "data");

}  // namespace arrears::glue
