// Days past due and delinquency buckets: _core.aging.
#include "pybind11.hpp"

#include "arrears/aging.hpp"
#include "arrears/json.hpp"

using arrears::Buckets;

void bind_aging(py::module_& m) {
    py::class_<Buckets> buckets(m, "Buckets", R"doc(
Delinquency buckets by days past due. ``Buckets([1, 31, 61, 91, 121, 181])`` means current
(0 dpd), 1-30, 31-60, 61-90, 91-120, 121-180 and 181+. Edges must be positive and strictly
increasing (so ranges never overlap); the last bucket is open-ended. ``labels`` (one more than
the edges) replace the generated names.
)doc");
    buckets.def(py::init<>())
        .def(py::init<std::vector<std::int32_t>, std::vector<std::string>>(), "edges"_a,
             "labels"_a = std::vector<std::string>{})
        .def_property_readonly("edges", &Buckets::edges)
        .def_property_readonly("labels", &Buckets::labels)
        .def("index_of", &Buckets::index_of, "dpd"_a, "Bucket index of a days-past-due value.")
        .def("label_of", &Buckets::label_of, "dpd"_a)
        .def("to_json", [](const Buckets& b) { return b.to_json().dump(); })
        .def_static("from_json", [](std::string_view text) {
            return Buckets::from_json(arrears::JsonView(arrears::parse_json(text, "buckets")));
        }, "text"_a)
        .def("__len__", &Buckets::size)
        .def("__repr__", &Buckets::repr);
    glue::def_value(
        buckets,
        [](const Buckets& b) {
            return py::make_tuple(py::tuple(py::cast(b.edges())), py::tuple(py::cast(b.labels())));
        },
        [](const py::tuple& s) {
            return Buckets(s[0].cast<std::vector<std::int32_t>>(), s[1].cast<std::vector<std::string>>());
        });
    m.def("days_past_due", &arrears::days_past_due, "oldest_unpaid_due"_a, "as_of"_a,
          "Days past due as of a date: the due date is day 0, the next day 1; None is 0.");
}
