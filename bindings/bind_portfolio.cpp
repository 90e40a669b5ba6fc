// Portfolio, aging buckets and strategies.
#include "pybind11.hpp"

#include "arrears/aging.hpp"
#include "arrears/portfolio.hpp"
#include "arrears/strategy.hpp"

using arrears::Buckets;
using arrears::Date;
using arrears::Portfolio;
using arrears::Strategy;
namespace glue = arrears::py_glue;

namespace {

using PortfolioPtr = std::shared_ptr<const Portfolio>;

}  // namespace

void bind_portfolio(py::module_& m) {
    py::class_<Buckets>(m, "Buckets", R"doc(
Delinquency buckets by days past due. ``Buckets([1, 31, 61, 91, 121, 181])`` means current
(0 dpd), 1-30, 31-60, 61-90, 91-120, 121-180 and 181+. Edges must be positive and strictly
increasing (so ranges never overlap); the last bucket is open-ended. ``labels`` (one more than
the edges) replace the generated names.
)doc")
        .def(py::init<>())
        .def(py::init<std::vector<std::int32_t>, std::vector<std::string>>(), "edges"_a,
             "labels"_a = std::vector<std::string>{})
        .def_property_readonly("edges", &Buckets::edges)
        .def_property_readonly("labels", &Buckets::labels)
        .def("index_of", &Buckets::index_of, "dpd"_a, "Bucket index of a days-past-due value.")
        .def("label_of", [](const Buckets& b, std::int32_t dpd) {
            return b.labels()[static_cast<std::size_t>(b.index_of(dpd))];
        }, "dpd"_a)
        .def("to_json", [](const Buckets& b) { return b.to_json().dump(); })
        .def_static("from_json", [](std::string_view text) {
            const auto j = arrears::parse_json(text, "buckets");
            return Buckets::from_json(arrears::JsonView(j));
        }, "text"_a)
        .def("__len__", &Buckets::size)
        .def("__repr__", &Buckets::repr)
        .def(py::self == py::self)
        .def("__hash__", [](const Buckets& b) {
            return py::hash(py::make_tuple(py::tuple(py::cast(b.edges())), py::tuple(py::cast(b.labels()))));
        })
        .def(py::pickle([](const Buckets& b) { return py::make_tuple(1, b.edges(), b.labels()); },
                        [](const py::tuple& t) {
                            if (t.size() != 3 || t[0].cast<int>() != 1)
                                throw arrears::ValidationError("Buckets pickle: unknown state version");
                            return Buckets(t[1].cast<std::vector<std::int32_t>>(), t[2].cast<std::vector<std::string>>());
                        }));
    m.def("days_past_due", &arrears::days_past_due, "oldest_unpaid_due"_a, "as_of"_a,
          "Days past due as of a date: the due date is day 0, the next day 1; None is 0.");

    py::class_<Portfolio, std::shared_ptr<Portfolio>>(m, "Portfolio",
                                                      "Columnar account snapshot (use arrears.Portfolio).")
        .def_static("from_arrow", [](py::handle data, std::vector<std::string> columns) {
            auto in = glue::import_arrow(data, "data");
            PortfolioPtr p;
            {
                py::gil_scoped_release release;
                p = Portfolio::from_arrow(*in, columns);
            }
            return std::const_pointer_cast<Portfolio>(p);
        }, "data"_a, "columns"_a = std::vector<std::string>{})
        .def("__len__", &Portfolio::size)
        .def_property_readonly("column_names", &Portfolio::column_names)
        .def_property_readonly("memory_bytes", &Portfolio::memory_bytes)
        .def("column_kind", [](const Portfolio& p, std::string_view name) {
            return std::string(arrears::to_string(p.column(name).kind));
        }, "name"_a)
        .def("__contains__", [](const Portfolio& p, std::string_view id) { return p.find(id).has_value(); })
        .def("row_of", [](const Portfolio& p, std::string_view id) -> py::object {
            auto r = p.find(id);
            return r ? py::cast(*r) : py::none();
        }, "account_id"_a)
        .def("total_balance_cents", [](const Portfolio& p) {
            arrears::i128 sum = 0;
            for (auto v : p.balance_cents().values) sum += v;
            return py::int_(py::str(std::to_string(static_cast<long long>(sum))));
        })
        .def("age", [](const std::shared_ptr<Portfolio>& p, const Date& as_of, const Buckets& b, unsigned threads) {
            arrears::Table t;
            {
                py::gil_scoped_release release;
                t = p->age(as_of, b, threads);
            }
            return glue::wrap_table(std::move(t));
        }, "as_of"_a, "buckets"_a, "threads"_a = 0)
        .def("bucket_summary", [](const std::shared_ptr<Portfolio>& p, const Date& as_of, const Buckets& b, unsigned threads) {
            arrears::Table t;
            {
                py::gil_scoped_release release;
                t = p->bucket_summary(as_of, b, threads);
            }
            return glue::wrap_table(std::move(t));
        }, "as_of"_a, "buckets"_a, "threads"_a = 0);

    m.def("bucket_moves", [](const Portfolio& before, const Date& before_as_of, const Portfolio& after,
                             const Date& after_as_of, const Buckets& b) {
        arrears::Table t;
        {
            py::gil_scoped_release release;
            t = arrears::bucket_moves(before, before_as_of, after, after_as_of, b);
        }
        return glue::wrap_table(std::move(t));
    }, "before"_a, "before_as_of"_a, "after"_a, "after_as_of"_a, "buckets"_a);

    m.def("bucket_transitions", [](const Portfolio& before, const Date& before_as_of, const Portfolio& after,
                                   const Date& after_as_of, const Buckets& b) {
        arrears::Table t;
        {
            py::gil_scoped_release release;
            t = arrears::bucket_transitions(before, before_as_of, after, after_as_of, b);
        }
        return glue::wrap_table(std::move(t));
    }, "before"_a, "before_as_of"_a, "after"_a, "after_as_of"_a, "buckets"_a);

    py::class_<Strategy>(m, "Strategy", "A collections strategy (use arrears.Strategy).")
        .def_static("from_json", &Strategy::from_json, "text"_a)
        .def("to_json", [](const Strategy& s) { return s.to_json().dump(2); })
        .def_property_readonly("name", &Strategy::name)
        .def_property_readonly("seed", &Strategy::seed)
        .def_property_readonly("buckets", &Strategy::buckets)
        .def_property_readonly("arm_names", [](const Strategy& s) {
            std::vector<std::string> names;
            for (const auto& a : s.arms()) names.push_back(a.name);
            return names;
        })
        .def_property_readonly("segment_names", [](const Strategy& s) {
            std::vector<std::string> names;
            for (const auto& g : s.segments()) names.push_back(g.name);
            return names;
        })
        .def("arm_of", [](const Strategy& s, std::string_view id) { return s.arms()[s.arm_of(id)].name; },
             "account_id"_a)
        .def("apply", [](const Strategy& s, const Portfolio& p, const Date& as_of, unsigned threads, py::object progress) {
            glue::ProgressBridge bridge(progress);
            arrears::Table t;
            {
                py::gil_scoped_release release;
                t = s.apply(p, as_of, threads, &bridge.progress());
            }
            return glue::wrap_table(std::move(t));
        }, "portfolio"_a, "as_of"_a, "threads"_a = 0, "progress"_a = py::none())
        .def("worklist", [](const Strategy& s, const Portfolio& p, const Date& as_of,
                            std::vector<std::string> queues, std::optional<std::size_t> top_n,
                            std::optional<double> top_percent, unsigned threads, py::object progress) {
            glue::ProgressBridge bridge(progress);
            arrears::WorklistOptions options{std::move(queues), top_n, top_percent};
            arrears::Table t;
            {
                py::gil_scoped_release release;
                t = s.worklist(p, as_of, options, threads, &bridge.progress());
            }
            return glue::wrap_table(std::move(t));
        }, "portfolio"_a, "as_of"_a, "queues"_a = std::vector<std::string>{}, "top_n"_a = py::none(),
           "top_percent"_a = py::none(), "threads"_a = 0, "progress"_a = py::none())
        .def("backtest", [](const Strategy& s, const std::vector<std::pair<Date, std::shared_ptr<Portfolio>>>& snapshots,
                            py::handle payments, std::int32_t horizon_days, unsigned threads) {
            std::vector<std::pair<Date, PortfolioPtr>> snaps(snapshots.begin(), snapshots.end());
            auto pay = glue::import_arrow(payments, "payments");
            arrears::Table t;
            {
                py::gil_scoped_release release;
                t = s.backtest(snaps, *pay, horizon_days, threads);
            }
            return glue::wrap_table(std::move(t));
        }, "snapshots"_a, "payments"_a, "horizon_days"_a = 30, "threads"_a = 0)
        .def("__eq__", [](const Strategy& a, const Strategy& b) { return a.to_json() == b.to_json(); })
        .def("__hash__", [](const Strategy& s) { return py::hash(py::str(s.to_json().dump())); })
        .def("__repr__", [](const Strategy& s) {
            return "Strategy(" + arrears::quote(s.name()) + ", " + std::to_string(s.factors().size()) + " factors, " +
                   std::to_string(s.segments().size()) + " segments, " + std::to_string(s.arms().size()) + " arms)";
        })
        .def(py::pickle([](const Strategy& s) { return py::make_tuple(1, s.to_json().dump()); },
                        [](const py::tuple& t) {
                            if (t.size() != 2 || t[0].cast<int>() != 1)
                                throw arrears::ValidationError("Strategy pickle: unknown state version");
                            return Strategy::from_json(t[1].cast<std::string>());
                        }));
}
