// arrears::Table: _core.table.Table is arrears.Table (arrears/frames.py adds the conversions:
// to_pandas, to_pylist, column ...). Out through the Arrow PyCapsule interface, numeric columns
// as zero-copy numpy views; in from any Arrow stream producer.
#include "pybind11.hpp"

#include <optional>

#include "arrears/csv.hpp"
#include "glue/arrow.hpp"
#include "glue/numpy.hpp"

using arrears::Column;
using arrears::ColumnType;
using arrears::Table;
using TablePtr = std::shared_ptr<const Table>;

namespace {

// The values of a column: numeric ones as read-only numpy views that keep the table alive.
py::object column_values(const std::shared_ptr<Table>& table, std::string_view name) {
    const TablePtr t = table;
    const Column& c = t->column(name);
    if (const auto* b = std::get_if<arrears::BorrowedValues>(&c.values)) {
        switch (c.type) {
            case ColumnType::int64:
            case ColumnType::timestamp:
                return glue::numpy_view(static_cast<const std::int64_t*>(b->data), b->length, t);
            case ColumnType::float64:
                return glue::numpy_view(static_cast<const double*>(b->data), b->length, t);
            default:
                return glue::numpy_view(static_cast<const std::int32_t*>(b->data), b->length, t);
        }
    }
    if (const auto* s = std::get_if<std::shared_ptr<const arrears::StringColumn>>(&c.values)) {
        py::list out((*s)->size());
        for (std::size_t i = 0; i < (*s)->size(); ++i)
            out[i] = py::str((*s)->at(i).data(), (*s)->at(i).size());
        return out;
    }
    if (const auto* d = std::get_if<arrears::DictionaryValues>(&c.values))
        return py::make_tuple(glue::numpy_view(d->codes.data(), d->codes.size(), t), *d->categories);
    switch (c.type) {
        case ColumnType::int64:
        case ColumnType::timestamp: {
            const auto& v = std::get<std::vector<std::int64_t>>(c.values);
            return glue::numpy_view(v.data(), v.size(), t);
        }
        case ColumnType::int32:
        case ColumnType::date32: {
            const auto& v = std::get<std::vector<std::int32_t>>(c.values);
            return glue::numpy_view(v.data(), v.size(), t);
        }
        case ColumnType::float64: {
            const auto& v = std::get<std::vector<double>>(c.values);
            return glue::numpy_view(v.data(), v.size(), t);
        }
        case ColumnType::boolean: {
            const auto& v = std::get<std::vector<std::uint8_t>>(c.values);
            return glue::numpy_view(v.data(), v.size(), t);
        }
        case ColumnType::utf8: return py::cast(std::get<std::vector<std::string>>(c.values));
        case ColumnType::dictionary: break;
    }
    return py::none();
}

py::object column_valid(const std::shared_ptr<Table>& table, std::string_view name) {
    const TablePtr t = table;
    const Column& c = t->column(name);
    if (c.valid.empty()) return py::none();
    return glue::numpy_view(c.valid.data(), c.valid.size(), t);
}

std::vector<std::string> column_names(const Table& t) {
    std::vector<std::string> names;
    for (const auto& c : t.columns()) names.push_back(c.name);
    return names;
}

std::vector<std::string> column_types(const Table& t) {
    std::vector<std::string> types;
    for (const auto& c : t.columns()) types.emplace_back(arrears::to_string(c.type));
    return types;
}

std::shared_ptr<Table> from_arrow_stream(py::handle data) {
    auto in = glue::import_arrow(data, "data");
    py::gil_scoped_release release;
    return std::make_shared<Table>(in->to_table());
}

}  // namespace

void bind_table(py::module_& m) {
    py::class_<Table, std::shared_ptr<Table>>(m, "Table", R"doc(
A columnar result from the core (struct of arrays): every table arrears produces. Arrow out
without copies (``pyarrow.table(t)``, ``polars.from_arrow(t)``, ``duckdb``), pandas and numpy on
request (``t.to_pandas()``, ``t["balance_cents"]``).
)doc")
        .def_static("_from_arrow_stream", &from_arrow_stream, "data"_a,
                    "Copies an Arrow stream producer into a core table (Table.from_arrow also "
                    "takes pandas frames and dicts of columns).")
        .def_property_readonly("num_rows", &Table::num_rows)
        .def("__len__", &Table::num_rows)
        .def_property_readonly("column_names", &column_names)
        .def_property_readonly("column_types", &column_types)
        .def("__arrow_c_stream__",
             [](const std::shared_ptr<Table>& t, const py::object& requested_schema) {
                 (void)requested_schema;  // the table's own types are always offered
                 return glue::stream_capsule(t);
             },
             "requested_schema"_a = py::none())
        .def("__arrow_c_schema__",
             [](const std::shared_ptr<Table>& t) { return glue::schema_capsule(t); })
        .def("column_values", &column_values, "name"_a,
             "Values of a column: a read-only numpy view (no copy) for numeric, date32 (days "
             "since 1970-01-01) and bool (0/1) columns; a list of str for text; (codes, "
             "categories) for a dictionary column.")
        .def("column_valid", &column_valid, "name"_a,
             "Validity (1 = present) of a column as a numpy view, or None without nulls.");
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
