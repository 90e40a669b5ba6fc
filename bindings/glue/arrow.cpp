#include "glue/arrow.hpp"

#include <string>

#include "glue/casters.hpp"

namespace arrears::glue {

namespace {

void stream_capsule_destructor(PyObject* capsule) {
    auto* stream = static_cast<ArrowArrayStream*>(PyCapsule_GetPointer(capsule, "arrow_array_stream"));
    if (stream == nullptr) {
        PyErr_Clear();
        return;
    }
    if (stream->release) stream->release(stream);
    delete stream;
}

void schema_capsule_destructor(PyObject* capsule) {
    auto* schema = static_cast<ArrowSchema*>(PyCapsule_GetPointer(capsule, "arrow_schema"));
    if (schema == nullptr) {
        PyErr_Clear();
        return;
    }
    if (schema->release) schema->release(schema);
    delete schema;
}

}  // namespace

py::object stream_capsule(const std::shared_ptr<const Table>& t) {
    auto* stream = new ArrowArrayStream{};
    Table::export_stream(t, stream);
    return py::reinterpret_steal<py::object>(
        PyCapsule_New(stream, "arrow_array_stream", &stream_capsule_destructor));
}

py::object schema_capsule(const std::shared_ptr<const Table>& t) {
    // The schema of a one-shot stream.
    ArrowArrayStream stream{};
    Table::export_stream(t, &stream);
    auto* schema = new ArrowSchema{};
    const int rc = stream.get_schema(&stream, schema);
    stream.release(&stream);
    if (rc != 0) {
        delete schema;
        throw Error("arrow: exporting the schema failed");
    }
    return py::reinterpret_steal<py::object>(
        PyCapsule_New(schema, "arrow_schema", &schema_capsule_destructor));
}

std::shared_ptr<ArrowImport> import_arrow(py::handle obj, const char* what) {
    if (!py::hasattr(obj, "__arrow_c_stream__"))
        throw ValidationError(std::string(what) + ": expected an Arrow table (an object with "
                              "__arrow_c_stream__: pyarrow, pandas, polars, DuckDB), got " +
                              py_repr(py::type::of(obj)));
    py::object capsule = obj.attr("__arrow_c_stream__")();
    auto* stream = static_cast<ArrowArrayStream*>(PyCapsule_GetPointer(capsule.ptr(), "arrow_array_stream"));
    if (stream == nullptr) throw py::error_already_set();
    std::shared_ptr<ArrowImport> result;
    {
        py::gil_scoped_release release;
        result = ArrowImport::read(stream);  // moves the stream out; the capsule then frees nothing
    }
    return result;
}

}  // namespace arrears::glue
