// arrears::Table -> Python: the Arrow PyCapsule interface (__arrow_c_stream__), zero-copy numpy
// views of numeric columns; and the import of any Arrow stream producer.
#include "pybind11.hpp"

#include <pybind11/numpy.h>

#include <memory>
#include <optional>

#include "arrears/csv.hpp"

using arrears::Column;
using arrears::ColumnType;
using arrears::Table;
namespace glue = arrears::py_glue;

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

py::object stream_capsule(const std::shared_ptr<const Table>& t) {
    auto* stream = new ArrowArrayStream{};
    Table::export_stream(t, stream);
    return py::reinterpret_steal<py::object>(
        PyCapsule_New(stream, "arrow_array_stream", &stream_capsule_destructor));
}

template <class T>
py::array numpy_view(const std::shared_ptr<const Table>& t, const T* data, std::size_t n) {
    // The capsule keeps the table alive as long as the array (or any view of it) lives.
    auto* keep = new std::shared_ptr<const Table>(t);
    py::capsule base(keep, [](void* p) { delete static_cast<std::shared_ptr<const Table>*>(p); });
    py::array_t<T> arr({static_cast<py::ssize_t>(n)}, {static_cast<py::ssize_t>(sizeof(T))}, data,
                       base);
    arr.attr("setflags")("write"_a = false);
    return arr;
}

}  // namespace

namespace arrears::py_glue {

py::object wrap_table(Table&& table) {
    auto handle = std::make_shared<const Table>(std::move(table));
    py::object core_table = py::cast(std::const_pointer_cast<Table>(handle));
    return py::module_::import("arrears.frames").attr("Table")(core_table);
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

}  // namespace arrears::py_glue

void bind_table(py::module_& m) {
    py::class_<Table, std::shared_ptr<Table>>(m, "Table", R"doc(
A columnar result from the core (struct of arrays). Use the facade ``arrears.Table``; this
handle provides the Arrow C stream and zero-copy numpy views.
)doc")
        .def_static("from_arrow", [](py::handle data) {
            auto in = glue::import_arrow(data, "data");
            std::shared_ptr<Table> t;
            {
                py::gil_scoped_release release;
                t = std::make_shared<Table>(in->to_table());
            }
            return t;
        }, "data"_a, "Copies any Arrow table (pyarrow, pandas, polars ...) into a core table.")
        .def_property_readonly("num_rows", &Table::num_rows)
        .def_property_readonly("column_names", [](const Table& t) {
            std::vector<std::string> names;
            for (const auto& c : t.columns()) names.push_back(c.name);
            return names;
        })
        .def_property_readonly("column_types", [](const Table& t) {
            std::vector<std::string> types;
            for (const auto& c : t.columns()) types.emplace_back(arrears::to_string(c.type));
            return types;
        })
        .def("__arrow_c_stream__",
             [](const std::shared_ptr<Table>& t, py::object requested_schema) {
                 (void)requested_schema;  // the table's own types are always offered
                 return stream_capsule(t);
             },
             "requested_schema"_a = py::none())
        .def("__arrow_c_schema__", [](const std::shared_ptr<Table>& t) {
            // Export the schema through a one-shot stream.
            ArrowArrayStream stream{};
            Table::export_stream(t, &stream);
            auto* schema = new ArrowSchema{};
            const int rc = stream.get_schema(&stream, schema);
            stream.release(&stream);
            if (rc != 0) {
                delete schema;
                throw arrears::Error("arrow: exporting the schema failed");
            }
            return py::reinterpret_steal<py::object>(
                PyCapsule_New(schema, "arrow_schema", &schema_capsule_destructor));
        })
        .def("column_values", [](const std::shared_ptr<Table>& t, std::string_view name) -> py::object {
            const Column& c = t->column(name);
            if (const auto* b = std::get_if<arrears::BorrowedValues>(&c.values)) {
                switch (c.type) {
                    case ColumnType::int64:
                    case ColumnType::timestamp:
                        return numpy_view(t, static_cast<const std::int64_t*>(b->data), b->length);
                    case ColumnType::float64:
                        return numpy_view(t, static_cast<const double*>(b->data), b->length);
                    default:
                        return numpy_view(t, static_cast<const std::int32_t*>(b->data), b->length);
                }
            }
            if (const auto* s = std::get_if<std::shared_ptr<const arrears::StringColumn>>(&c.values)) {
                py::list out((*s)->size());
                for (std::size_t i = 0; i < (*s)->size(); ++i) out[i] = py::str((*s)->at(i).data(), (*s)->at(i).size());
                return out;
            }
            if (const auto* d = std::get_if<arrears::DictionaryValues>(&c.values))
                return py::make_tuple(numpy_view(t, d->codes.data(), d->codes.size()), *d->categories);
            switch (c.type) {
                case ColumnType::int64:
                case ColumnType::timestamp: {
                    const auto& v = std::get<std::vector<std::int64_t>>(c.values);
                    return numpy_view(t, v.data(), v.size());
                }
                case ColumnType::int32:
                case ColumnType::date32: {
                    const auto& v = std::get<std::vector<std::int32_t>>(c.values);
                    return numpy_view(t, v.data(), v.size());
                }
                case ColumnType::float64: {
                    const auto& v = std::get<std::vector<double>>(c.values);
                    return numpy_view(t, v.data(), v.size());
                }
                case ColumnType::boolean: {
                    const auto& v = std::get<std::vector<std::uint8_t>>(c.values);
                    return numpy_view(t, v.data(), v.size());
                }
                case ColumnType::utf8:
                    return py::cast(std::get<std::vector<std::string>>(c.values));
                case ColumnType::dictionary: break;
            }
            return py::none();
        }, "name"_a, "Values of a column: a read-only numpy view (no copy) for numeric, date32 "
                     "(days since 1970-01-01) and bool (0/1) columns; a list of str for text; "
                     "(codes, categories) for a dictionary column.")
        .def("column_valid", [](const std::shared_ptr<Table>& t, std::string_view name) -> py::object {
            const Column& c = t->column(name);
            if (c.valid.empty()) return py::none();
            return numpy_view(t, c.valid.data(), c.valid.size());
        }, "name"_a, "Validity (1 = present) of a column as a numpy view, or None without nulls.");

    m.def("csv_text",
          [](const std::vector<std::string>& header,
             const std::vector<std::vector<std::optional<std::string>>>& columns, const std::vector<bool>& numeric,
             bool quote_text, std::string_view newline) {
              std::vector<arrears::CsvCell> kinds;
              for (bool n : numeric) kinds.push_back(n ? arrears::CsvCell::number : arrears::CsvCell::text);
              py::gil_scoped_release release;
              return arrears::csv_text(header, columns, kinds,
                                       quote_text ? arrears::CsvQuote::text : arrears::CsvQuote::minimal, newline);
          },
          "header"_a, "columns"_a, "numeric"_a = std::vector<bool>{}, "quote_text"_a = false, "newline"_a = "\r\n",
          "CSV text (the one CSV writer, csv.hpp): header, then the rows of `columns` (lists of str or None); "
          "text cells a spreadsheet would run as a formula get a leading apostrophe, numeric columns are "
          "written as they are.");
}
