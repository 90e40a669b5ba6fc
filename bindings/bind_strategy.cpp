// Collection strategies (arrears.Strategy holds one): _core.strategy.
#include "pybind11.hpp"

#include "arrears/portfolio.hpp"
#include "arrears/strategy.hpp"
#include "glue/arrow.hpp"
#include "glue/progress.hpp"

using arrears::Date;
using arrears::Portfolio;
using arrears::Strategy;
using arrears::Table;

namespace {

using Snapshots = std::vector<std::pair<Date, std::shared_ptr<Portfolio>>>;

std::vector<std::string> arm_names(const Strategy& s) {
    std::vector<std::string> names;
    for (const auto& a : s.arms()) names.push_back(a.name);
    return names;
}

std::vector<std::string> segment_names(const Strategy& s) {
    std::vector<std::string> names;
    for (const auto& g : s.segments()) names.push_back(g.name);
    return names;
}

Table apply(const Strategy& s, const Portfolio& p, const Date& as_of, unsigned threads,
            py::object progress) {
    glue::ProgressBridge bridge(std::move(progress));
    py::gil_scoped_release release;
    return s.apply(p, as_of, threads, &bridge.progress());
}

Table worklist(const Strategy& s, const Portfolio& p, const Date& as_of, std::vector<std::string> queues,
               std::optional<std::size_t> top_n, std::optional<double> top_percent, unsigned threads,
               py::object progress) {
    glue::ProgressBridge bridge(std::move(progress));
    const arrears::WorklistOptions options{std::move(queues), top_n, top_percent};
    py::gil_scoped_release release;
    return s.worklist(p, as_of, options, threads, &bridge.progress());
}

Table backtest(const Strategy& s, const Snapshots& snapshots, py::handle payments,
               std::int32_t horizon_days, unsigned threads) {
    std::vector<std::pair<Date, std::shared_ptr<const Portfolio>>> snaps(snapshots.begin(),
                                                                         snapshots.end());
    auto pay = glue::import_arrow(payments, "payments");
    py::gil_scoped_release release;
    return s.backtest(snaps, *pay, horizon_days, threads);
}

std::string repr(const Strategy& s) {
    return "Strategy(" + arrears::quote(s.name()) + ", " + std::to_string(s.factors().size()) +
           " factors, " + std::to_string(s.segments().size()) + " segments, " +
           std::to_string(s.arms().size()) + " arms)";
}

}  // namespace

void bind_strategy(py::module_& m) {
    py::class_<Strategy> strategy(m, "Strategy", "A collections strategy (use arrears.Strategy).");
    strategy.def_static("from_json", &Strategy::from_json, "text"_a)
        .def("to_json", [](const Strategy& s) { return s.to_json().dump(2); })
        .def_property_readonly("name", &Strategy::name)
        .def_property_readonly("seed", &Strategy::seed)
        .def_property_readonly("buckets", &Strategy::buckets)
        .def_property_readonly("arm_names", &arm_names)
        .def_property_readonly("segment_names", &segment_names)
        .def("arm_of", [](const Strategy& s, std::string_view id) { return s.arms()[s.arm_of(id)].name; },
             "account_id"_a)
        .def("apply", &apply, "portfolio"_a, "as_of"_a, "threads"_a = 0, "progress"_a = py::none())
        .def("worklist", &worklist, "portfolio"_a, "as_of"_a, "queues"_a = std::vector<std::string>{},
             "top_n"_a = py::none(), "top_percent"_a = py::none(), "threads"_a = 0,
             "progress"_a = py::none())
        .def("backtest", &backtest, "snapshots"_a, "payments"_a, "horizon_days"_a = 30, "threads"_a = 0)
        .def("__repr__", &repr);
    glue::def_value(
        strategy, [](const Strategy& s) { return py::make_tuple(s.to_json().dump()); },
        [](const py::tuple& st) { return Strategy::from_json(st[0].cast<std::string>()); });
}
