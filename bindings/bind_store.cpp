// The store handle. Domain persistence and imports add their methods in their own files.
#include "pybind11.hpp"

#include "arrears/csv.hpp"
#include "arrears/store.hpp"

using arrears::Store;
using arrears::StoreOptions;
namespace glue = arrears::py_glue;

namespace {

std::vector<arrears::SqlValue> to_params(const py::sequence& params) {
    std::vector<arrears::SqlValue> out;
    std::size_t i = 0;
    for (py::handle p : params) {
        if (p.is_none()) out.push_back({});
        else if (PyBool_Check(p.ptr())) out.push_back(arrears::SqlValue::of(static_cast<std::int64_t>(p.cast<bool>())));
        else if (PyLong_Check(p.ptr())) out.push_back(arrears::SqlValue::of(p.cast<std::int64_t>()));
        else if (PyFloat_Check(p.ptr())) out.push_back(arrears::SqlValue::of(p.cast<double>()));
        else if (py::isinstance<py::str>(p)) out.push_back(arrears::SqlValue::of(p.cast<std::string>()));
        else if (py::isinstance(p, glue::datetime_module().attr("date")) &&
                 !py::isinstance(p, glue::datetime_module().attr("datetime")))
            out.push_back(arrears::SqlValue::of(arrears::to_iso(glue::to_date(p, "params"))));
        else
            throw arrears::ValidationError("params[" + std::to_string(i) + "]: cannot bind " + glue::py_repr(p) +
                                           " (use None, int, float, str or datetime.date)");
        ++i;
    }
    return out;
}

arrears::ImportSource import_source(py::handle source) {
    if (py::isinstance<py::str>(source) || py::hasattr(source, "__fspath__")) {
        const std::string path = py::module_::import("os").attr("fspath")(source).cast<std::string>();
        py::gil_scoped_release release;
        return arrears::ImportSource::from_csv(arrears::read_csv_file(path));
    }
    auto table = glue::import_arrow(source, "source");
    return arrears::ImportSource::from_arrow(table, "data");
}

arrears::ImportOptions import_options(bool keep_good, const py::object& mapping, const std::string& currency,
                                      const py::object& posted_at) {
    arrears::ImportOptions o;
    o.keep_good = keep_good;
    o.currency = currency;
    if (!mapping.is_none())
        for (auto item : mapping.cast<py::dict>())
            o.mapping.emplace_back(item.first.cast<std::string>(), item.second.cast<std::string>());
    if (!posted_at.is_none()) o.posted_at = glue::to_instant(posted_at, "posted_at");
    return o;
}

template <class Fn>
void def_import(py::class_<Store>& cls, const char* name, Fn fn, const char* doc) {
    cls.def(name, [fn](Store& s, py::handle source, bool keep_good, py::object mapping, const std::string& currency,
                       py::object posted_at) {
        auto src = import_source(source);
        auto options = import_options(keep_good, mapping, currency, posted_at);
        py::gil_scoped_release release;
        return (s.*fn)(src, options);
    }, "source"_a, "keep_good"_a = false, "mapping"_a = py::none(), "currency"_a = "USD",
       "posted_at"_a = py::none(), doc);
}

}  // namespace

void bind_store(py::module_& m) {
    py::class_<arrears::ImportProblem>(m, "ImportProblem", "One rejected row or cell of an import.")
        .def_readonly("where", &arrears::ImportProblem::where)
        .def_readonly("column", &arrears::ImportProblem::column)
        .def_readonly("reason", &arrears::ImportProblem::reason)
        .def("message", &arrears::ImportProblem::message)
        .def("__repr__", [](const arrears::ImportProblem& p) { return "ImportProblem(" + arrears::quote(p.message()) + ")"; });
    py::class_<arrears::ImportReport>(m, "ImportReport", "What an import did (or would have done).")
        .def_readonly("kind", &arrears::ImportReport::kind)
        .def_readonly("source", &arrears::ImportReport::source)
        .def_readonly("rows", &arrears::ImportReport::rows)
        .def_readonly("inserted", &arrears::ImportReport::inserted)
        .def_readonly("updated", &arrears::ImportReport::updated)
        .def_readonly("unchanged", &arrears::ImportReport::unchanged)
        .def_readonly("rejected", &arrears::ImportReport::rejected)
        .def_readonly("problems", &arrears::ImportReport::problems)
        .def_readonly("committed", &arrears::ImportReport::committed)
        .def("__repr__", [](const arrears::ImportReport& r) {
            return "ImportReport(" + r.kind + " from " + arrears::quote(r.source) + ": " + std::to_string(r.rows) +
                   " rows, " + std::to_string(r.inserted) + " inserted, " + std::to_string(r.updated) + " updated, " +
                   std::to_string(r.unchanged) + " unchanged, " + std::to_string(r.rejected) + " rejected, " +
                   (r.committed ? "committed" : "NOT committed") + ")";
        });

    py::class_<Store> store(m, "Store", "A handle to an arrears SQLite store (use arrears.Store).");
    store
        .def(py::init([](const std::string& path, bool read_only, int busy_timeout_ms, std::string actor, bool create) {
                 py::gil_scoped_release release;
                 return Store(path, StoreOptions{read_only, busy_timeout_ms, std::move(actor), create});
             }),
             "path"_a, "read_only"_a = false, "busy_timeout_ms"_a = 5000, "actor"_a = "arrears", "create"_a = true)
        .def_property_readonly("path", &Store::path)
        .def_property_readonly("read_only", &Store::read_only)
        .def_property_readonly("is_open", &Store::is_open)
        .def_property_readonly("schema_version", &Store::schema_version)
        .def_property_readonly_static("latest_schema_version", [](py::object) { return Store::latest_schema_version(); })
        .def_property("actor", &Store::actor, &Store::set_actor)
        .def("close", &Store::close)
        .def("setting", &Store::setting, "key"_a)
        .def("set_setting", &Store::set_setting, "key"_a, "value"_a)
        .def("query", [](const Store& s, std::string_view sql, const py::sequence& params) {
            auto values = to_params(params);
            arrears::Table t;
            {
                py::gil_scoped_release release;
                t = s.query(sql, values);
            }
            return glue::wrap_table(std::move(t));
        }, "sql"_a, "params"_a = py::tuple())
        .def("read_table", [](const Store& s, std::string_view name) {
            arrears::Table t;
            {
                py::gil_scoped_release release;
                t = s.read_table(name);
            }
            return glue::wrap_table(std::move(t));
        }, "name"_a)
        .def("table_names", &Store::table_names)
        .def("view_names", &Store::view_names)
        .def("export_csv", [](const Store& s, std::string_view name, const std::string& path) {
            py::gil_scoped_release release;
            return s.export_csv(name, path);
        }, "name"_a, "path"_a)
        .def("begin", &Store::begin)
        .def("commit", &Store::commit)
        .def("rollback", &Store::rollback)
        .def_property_readonly("in_transaction", &Store::in_transaction)
        .def("save_debtor", [](Store& s, const arrears::Debtor& d) {
            py::gil_scoped_release release;
            s.save_debtor(d);
        }, "debtor"_a)
        .def("load_debtor", &Store::load_debtor, "id"_a)
        .def("has_debtor", &Store::has_debtor, "id"_a)
        .def("save_account", [](Store& s, const arrears::Account& a) {
            py::gil_scoped_release release;
            s.save_account(a);
        }, "account"_a)
        .def("load_account", &Store::load_account, "id"_a)
        .def("has_account", &Store::has_account, "id"_a)
        .def("account_ids", &Store::account_ids, "debtor_id"_a = "")
        .def("record_bucket_moves", [](Store& s, py::handle moves, const arrears::Date& as_of) {
            auto in = glue::import_arrow(moves, "moves");
            py::gil_scoped_release release;
            return s.record_bucket_moves(*in, as_of);
        }, "moves"_a, "as_of"_a)
        .def("change_counter", &Store::change_counter)
        .def("mark_run_step", &Store::mark_run_step, "kind"_a, "as_of"_a, "step"_a, "detail_json"_a)
        .def("run_step", &Store::run_step, "kind"_a, "as_of"_a, "step"_a)
        .def("accrue_interest", [](Store& s, const arrears::Date& through, const arrears::Instant& posted_at) {
            py::gil_scoped_release release;
            return s.accrue_interest(through, posted_at);
        }, "through"_a, "posted_at"_a)
        .def("record_contacts", [](Store& s, const std::vector<arrears::ContactAttempt>& attempts,
                                   const std::string& collector) {
            py::gil_scoped_release release;
            s.record_contacts(attempts, collector);
        }, "attempts"_a, "collector"_a = "")
        .def("contact_history", [](const Store& s, const arrears::Instant& since, const arrears::Instant& until) {
            arrears::Table t;
            {
                py::gil_scoped_release release;
                t = s.contact_history(since, until);
            }
            return glue::wrap_table(std::move(t));
        }, "since"_a, "until"_a)
        .def("check_contacts", [](const Store& s, const std::vector<std::string>& account_ids, const arrears::Instant& at,
                                  const std::string& channel, const arrears::ContactPolicy& policy, bool state_overlays,
                                  int history_days, unsigned threads) {
            const auto ch = arrears::parse_contact_channel(channel);
            arrears::Table t;
            {
                py::gil_scoped_release release;
                t = s.check_contacts(account_ids, at, ch, policy, state_overlays, history_days, threads);
            }
            return glue::wrap_table(std::move(t));
        }, "account_ids"_a, "at"_a, "channel"_a, "policy"_a, "state_overlays"_a = true, "history_days"_a = 14,
           "threads"_a = 0)
        .def("portfolio_table", [](const Store& s, const arrears::Date& as_of) {
            arrears::Table t;
            {
                py::gil_scoped_release release;
                t = s.portfolio_table(as_of);
            }
            return glue::wrap_table(std::move(t));
        }, "as_of"_a);
    def_import(store, "import_debtors", &Store::import_debtors, "Debtors (and their addresses, phones, emails) from a CSV path or a table.");
    def_import(store, "import_accounts", &Store::import_accounts, "Accounts with their placed balances.");
    def_import(store, "import_contacts", &Store::import_contacts, "Contact points (skip-trace files).");
    def_import(store, "import_payments", &Store::import_payments, "Payments, posted to the ledgers.");
}
