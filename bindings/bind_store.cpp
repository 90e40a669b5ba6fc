// The store handle (_core.store; arrears.Store holds one).
#include "pybind11.hpp"

#include "glue/args.hpp"
#include "glue/arrow.hpp"
#include "glue/progress.hpp"

#include <set>

#include "arrears/csv.hpp"
#include "arrears/metro2.hpp"
#include "arrears/metro2_profile.hpp"
#include "arrears/payment_plan.hpp"
#include "arrears/store.hpp"

using arrears::Store;
using arrears::StoreOptions;

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

arrears::ImportOptions import_options(bool keep_good, const py::object& mapping, const std::string& currency) {
    arrears::ImportOptions o;
    o.keep_good = keep_good;
    o.currency = currency;
    if (!mapping.is_none())
        for (auto item : mapping.cast<py::dict>())
            o.mapping.emplace_back(item.first.cast<std::string>(), item.second.cast<std::string>());
    return o;
}

template <class Fn>
void def_import(py::class_<Store>& cls, const char* name, Fn fn, const char* doc) {
    cls.def(name, [fn](Store& s, py::handle source, bool keep_good, py::object mapping, const std::string& currency,
                       py::object posted_at) {
        auto src = import_source(source);
        auto options = import_options(keep_good, mapping, currency);
        const arrears::Instant at = glue::instant_or_now(posted_at, "posted_at");  // the core reads no clock
        py::gil_scoped_release release;
        if constexpr (std::is_invocable_v<Fn, Store&, const arrears::ImportSource&, arrears::Instant,
                                          const arrears::ImportOptions&>)
            return (s.*fn)(src, at, options);
        else
            return (s.*fn)(src, options);
    }, "source"_a, "keep_good"_a = false, "mapping"_a = py::none(), "currency"_a = "USD",
       "posted_at"_a = py::none(), doc);
}

// A letter record as arrears.letters.Campaign.run builds it (a dict per letter).
arrears::LetterRecord letter_record(py::handle h, std::size_t i) {
    const std::string at = "records[" + std::to_string(i) + "]";
    if (!PyDict_Check(h.ptr())) throw arrears::ValidationError(at + ": expected a dict, got " + glue::py_repr(h));
    const auto d = py::reinterpret_borrow<py::dict>(h);
    static const std::set<std::string> known = {"letter_id", "campaign", "account_id", "row", "channel", "letter",
                                                "language", "template_sha256", "sent", "send_at", "batch", "file",
                                                "offset", "length"};
    for (auto [k, v] : d) {
        (void)v;
        const std::string key = py::str(k).cast<std::string>();
        if (!known.contains(key)) throw arrears::ValidationError(at + ": unknown field " + arrears::quote(key));
    }
    auto text = [&](const char* key) -> std::string {
        if (!d.contains(key) || d[key].is_none()) return {};
        py::object v = d[key];
        if (!PyUnicode_Check(v.ptr()))
            throw arrears::ValidationError(at + "." + key + ": expected text, got " + glue::py_repr(v));
        return v.cast<std::string>();
    };
    auto integer = [&](const char* key) -> std::optional<std::int64_t> {
        if (!d.contains(key) || d[key].is_none()) return std::nullopt;
        py::object v = d[key];
        if (!PyLong_Check(v.ptr()) || PyBool_Check(v.ptr()))
            throw arrears::ValidationError(at + "." + key + ": expected an int, got " + glue::py_repr(v));
        return v.cast<std::int64_t>();
    };
    arrears::LetterRecord r;
    r.letter_id = text("letter_id");
    r.campaign = text("campaign");
    r.account_id = text("account_id");
    r.channel = text("channel");
    r.letter = text("letter");
    r.language = text("language");
    r.template_sha256 = text("template_sha256");
    if (!d.contains("sent") || d["sent"].is_none()) throw arrears::ValidationError(at + ".sent: required");
    const std::string sent_field = at + ".sent";
    r.sent = glue::to_date(d["sent"], sent_field.c_str());
    if (d.contains("send_at") && !d["send_at"].is_none()) {
        const std::string f = at + ".send_at";
        r.send_at = glue::to_instant(d["send_at"], f.c_str());
    }
    r.batch = integer("batch").value_or(0);
    r.file = text("file");
    r.offset = integer("offset");
    r.length = integer("length");
    return r;
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
            return t;
        }, "sql"_a, "params"_a = py::tuple())
        .def("read_table", [](const Store& s, std::string_view name) {
            arrears::Table t;
            {
                py::gil_scoped_release release;
                t = s.read_table(name);
            }
            return t;
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
        .def("record_output", &Store::record_output, "key"_a, "folder"_a, "staging"_a, "entries_json"_a,
             "replace"_a = false)
        .def("mark_output_published", &Store::mark_output_published, "key"_a)
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
            return t;
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
            return t;
        }, "account_ids"_a, "at"_a, "channel"_a, "policy"_a, "state_overlays"_a = true, "history_days"_a = 14,
           "threads"_a = 0)
        .def("portfolio_table", [](const Store& s, const arrears::Date& as_of) {
            arrears::Table t;
            {
                py::gil_scoped_release release;
                t = s.portfolio_table(as_of);
            }
            return t;
        }, "as_of"_a);
    // Plans (src/store/plans.cpp)
    store
        .def("save_plan", [](arrears::Store& s, const arrears::PaymentPlan& p) {
            py::gil_scoped_release release;
            s.save_plan(p);
        }, "plan"_a)
        .def("close_paid_accounts", [](Store& s, const arrears::Date& as_of) {
            py::gil_scoped_release release;
            return s.close_paid_accounts(as_of);
        }, "as_of"_a)
        .def("load_plan", &Store::load_plan, "id"_a)
        .def("has_plan", &Store::has_plan, "id"_a)
        .def("load_plans", [](const Store& s, const std::string& account_id, const std::optional<std::string>& status) {
            std::optional<arrears::PlanStatus> st;
            if (status) st = arrears::parse_plan_status(*status, "status");
            return s.load_plans(account_id, st);
        }, "account_id"_a = "", "status"_a = py::none())
        .def("plan_payments", [](const Store& s, const std::string& plan_id, const arrears::Date& as_of) {
            py::list out;
            for (const auto& p : s.plan_payments(plan_id, as_of)) out.append(py::make_tuple(p.date, p.amount));
            return out;
        }, "plan_id"_a, "as_of"_a)
        .def("evaluate_plans", [](Store& s, const arrears::Date& as_of, const std::vector<std::string>& plan_ids,
                                  unsigned threads, py::object posted_at, py::object progress) {
            arrears::PlanRunOptions o;
            o.plan_ids = plan_ids;
            o.threads = threads;
            glue::ProgressBridge bridge(progress);
            o.progress = &bridge.progress();
            const arrears::Instant at = glue::instant_or_now(posted_at, "posted_at");  // the core reads no clock
            arrears::Table t;
            {
                py::gil_scoped_release release;
                t = s.evaluate_plans(as_of, at, o);
            }
            return t;
        }, "as_of"_a, "plan_ids"_a = std::vector<std::string>{}, "threads"_a = 0u, "posted_at"_a = py::none(),
           "progress"_a = py::none())
        .def("reage_dates", &Store::reage_dates, "account_id"_a)
        .def("record_reaging", [](Store& s, const std::string& account_id, const arrears::Date& reaged_on,
                                  const std::string& plan_id, int days_past_due_before, const std::string& reason) {
            s.record_reaging(account_id, reaged_on, plan_id, days_past_due_before, reason);
        }, "account_id"_a, "reaged_on"_a, "plan_id"_a = "", "days_past_due_before"_a = 0, "reason"_a = "");
    // Disputes (src/store/disputes.cpp)
    store
        .def("record_dispute", &Store::record_dispute, "account_id"_a, "received_on"_a, "written"_a = true,
             "within_validation"_a = true)
        .def("record_verification", &Store::record_verification, "dispute_id"_a, "sent_on"_a)
        .def("resolve_dispute", &Store::resolve_dispute, "dispute_id"_a, "resolution"_a, "resolved_on"_a);
    // Letters (src/store/letters.cpp)
    store
        .def("letter_table", [](const Store& s, const std::vector<std::string>& account_ids, const arrears::Date& as_of,
                                unsigned threads, py::object progress) {
            glue::ProgressBridge bridge(progress);
            arrears::Table t;
            {
                py::gil_scoped_release release;
                t = s.letter_table(account_ids, as_of, threads, &bridge.progress());
            }
            return t;
        }, "account_ids"_a, "as_of"_a, "threads"_a = 0u, "progress"_a = py::none())
        .def("log_letters", [](Store& s, py::sequence records, std::optional<std::int64_t> suppressed,
                               const std::string& suppressed_by_reason) {
            std::vector<arrears::LetterRecord> rs;
            rs.reserve(records.size());
            for (std::size_t i = 0; i < records.size(); ++i) rs.push_back(letter_record(records[i], i));
            arrears::LetterLogOptions o;
            o.suppressed = suppressed;
            o.suppressed_by_reason = suppressed_by_reason;
            py::gil_scoped_release release;
            return s.log_letters(rs, o);
        }, "records"_a, "suppressed"_a = py::none(), "suppressed_by_reason"_a = "");
    // Metro 2 (src/store/metro2.cpp)
    store.def("metro2_monthly_file", [](Store& s, const arrears::Date& as_of, const arrears::HeaderRecord& header,
                                        const arrears::Metro2Profile& profile, const std::vector<std::string>& account_ids,
                                        const std::string& path, const std::string& newline, bool record, unsigned threads,
                                        py::object progress) {
        glue::ProgressBridge bridge(progress);
        arrears::Metro2RunOptions o;
        o.progress = &bridge.progress();
        o.account_ids = account_ids;
        o.path = path;
        o.newline = newline;
        o.record = record;
        o.threads = threads;
        arrears::Metro2Run run;
        {
            py::gil_scoped_release release;
            run = s.metro2_monthly_file(as_of, header, profile, o);
        }
        py::list excluded;
        for (const auto& e : run.excluded) excluded.append(py::make_tuple(e.account_id, e.code, e.message));
        py::object sub = run.submission_id ? py::object(py::int_(*run.submission_id)) : py::object(py::none());
        return py::make_tuple(py::str(run.text), sub, run.sha256, run.reported, excluded);
    }, "as_of"_a, "header"_a, "profile"_a, "account_ids"_a = std::vector<std::string>{}, "path"_a = "",
       "newline"_a = "\n", "record"_a = true, "threads"_a = 0u, "progress"_a = py::none());
    def_import(store, "import_debtors", &Store::import_debtors, "Debtors (and their addresses, phones, emails) from a CSV path or a table.");
    def_import(store, "import_accounts", &Store::import_accounts, "Accounts with their placed balances.");
    def_import(store, "import_contacts", &Store::import_contacts, "Contact points (skip-trace files).");
    def_import(store, "import_payments", &Store::import_payments, "Payments, posted to the ledgers.");
}
