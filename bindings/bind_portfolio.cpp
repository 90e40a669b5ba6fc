// The columnar portfolio (arrears.Portfolio holds one) and bucket moves: _core.portfolio.
#include "pybind11.hpp"

#include "arrears/portfolio.hpp"
#include "glue/arrow.hpp"

using arrears::Buckets;
using arrears::Date;
using arrears::Portfolio;
using arrears::Table;

namespace {

std::shared_ptr<Portfolio> from_arrow(py::handle data, const std::vector<std::string>& columns) {
    auto in = glue::import_arrow(data, "data");
    py::gil_scoped_release release;
    return std::const_pointer_cast<Portfolio>(Portfolio::from_arrow(*in, columns));
}

std::optional<std::size_t> row_of(const Portfolio& p, std::string_view id) { return p.find(id); }

std::string column_kind(const Portfolio& p, std::string_view name) {
    return std::string(arrears::to_string(p.column(name).kind));
}

}  // namespace

void bind_portfolio(py::module_& m) {
    using release = py::call_guard<py::gil_scoped_release>;
    py::class_<Portfolio, std::shared_ptr<Portfolio>>(m, "Portfolio",
                                                      "Columnar account snapshot (use arrears.Portfolio).")
        .def_static("from_arrow", &from_arrow, "data"_a, "columns"_a = std::vector<std::string>{})
        .def("__len__", &Portfolio::size)
        .def_property_readonly("column_names", &Portfolio::column_names)
        .def_property_readonly("memory_bytes", &Portfolio::memory_bytes)
        .def("column_kind", &column_kind, "name"_a)
        .def("__contains__", [](const Portfolio& p, std::string_view id) { return p.find(id).has_value(); })
        .def("row_of", &row_of, "account_id"_a)
        .def("total_balance_cents", [](const Portfolio& p) { return glue::to_int(p.total_balance_cents()); })
        .def("age", &Portfolio::age, "as_of"_a, "buckets"_a, "threads"_a = 0, release())
        .def("bucket_summary", &Portfolio::bucket_summary, "as_of"_a, "buckets"_a, "threads"_a = 0,
             release());
    m.def("bucket_moves", &arrears::bucket_moves, "before"_a, "before_as_of"_a, "after"_a,
          "after_as_of"_a, "buckets"_a, release());
    m.def("bucket_transitions", &arrears::bucket_transitions, "before"_a, "before_as_of"_a,
          "after"_a, "after_as_of"_a, "buckets"_a, release());
}
