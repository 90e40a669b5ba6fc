// Payment plans (_core.plans): schedules, APR, plans and their evaluation, re-aging, offers.
#include "pybind11.hpp"

#include <pybind11/numpy.h>

#include "glue/progress.hpp"

#include "arrears/apr.hpp"
#include "arrears/json.hpp"
#include "arrears/offers.hpp"
#include "arrears/payment_plan.hpp"
#include "arrears/reaging.hpp"
#include "arrears/schedule.hpp"

using namespace arrears;

namespace {

// ---- argument helpers ------------------------------------------------------------------------

Currency currency_of(py::handle amount, std::string_view currency) {
    if (py::isinstance<Money>(amount)) return amount.cast<Money>().currency();
    return Currency::of(currency);
}

Money money_arg(py::handle value, Currency c, const char* field) { return glue::to_money(value, c, field); }

Rational rate_arg(py::handle value, const char* field) { return glue::to_rational(value, field); }

std::optional<int> optional_int(py::handle value, const char* field) {
    if (value.is_none()) return std::nullopt;
    if (!PyLong_Check(value.ptr()) || PyBool_Check(value.ptr()))
        throw ValidationError(std::string(field) + ": expected an int or None, got " + glue::py_repr(value));
    int overflow = 0;
    const long long v = PyLong_AsLongLongAndOverflow(value.ptr(), &overflow);
    if (overflow != 0 || v > 1'000'000'000 || v < -1'000'000'000)
        throw ValidationError(std::string(field) + ": " + glue::py_repr(value) + " is out of range");
    return static_cast<int>(v);
}

int int_arg(py::handle value, const char* field) {
    auto v = optional_int(value, field);
    if (!v) throw ValidationError(std::string(field) + ": expected an int, got None");
    return *v;
}

// (account_id, balance) pairs, or one balance.
std::vector<PlanAccount> accounts_arg(py::handle balance, py::handle accounts, const std::string& account_id,
                                      std::string_view currency, Currency& out_currency) {
    std::vector<PlanAccount> out;
    if (!accounts.is_none()) {
        if (!balance.is_none())
            throw ValidationError("balance: give either balance or accounts, not both");
        std::size_t i = 0;
        for (py::handle item : accounts) {
            const std::string at = "accounts[" + std::to_string(i) + "]";
            py::sequence pair = py::reinterpret_borrow<py::sequence>(item);
            if (!py::isinstance<py::sequence>(item) || py::isinstance<py::str>(item) || pair.size() != 2)
                throw ValidationError(at + ": expected an (account_id, balance) pair, got " + glue::py_repr(item));
            if (!py::isinstance<py::str>(pair[0]))
                throw ValidationError(at + ".account_id: expected a str, got " + glue::py_repr(pair[0]));
            const Currency c = i == 0 ? currency_of(pair[1], currency) : out_currency;
            out_currency = c;
            out.push_back({pair[0].cast<std::string>(), glue::to_money(pair[1], c, (at + ".balance").c_str())});
            ++i;
        }
        if (out.empty()) throw ValidationError("accounts: a plan needs at least one account");
        return out;
    }
    if (balance.is_none()) throw ValidationError("balance: required (or accounts)");
    out_currency = currency_of(balance, currency);
    out.push_back({account_id, glue::to_money(balance, out_currency, "balance")});
    return out;
}

PlanRules rules_arg(py::handle rules) {
    if (rules.is_none()) return PlanRules{};
    if (py::isinstance<PlanRules>(rules)) return rules.cast<PlanRules>();
    throw ValidationError("rules: expected PlanRules or None, got " + glue::py_repr(rules));
}

std::vector<Payment> payments_arg(py::handle payments, Currency c) {
    std::vector<Payment> out;
    std::size_t i = 0;
    for (py::handle item : payments) {
        const std::string at = "payments[" + std::to_string(i) + "]";
        if (!py::isinstance<py::sequence>(item) || py::isinstance<py::str>(item) || py::len(item) != 2)
            throw ValidationError(at + ": expected a (date, amount) pair, got " + glue::py_repr(item));
        py::sequence pair = py::reinterpret_borrow<py::sequence>(item);
        out.push_back({glue::to_date(pair[0], (at + ".date").c_str()),
                       glue::to_money(pair[1], c, (at + ".amount").c_str())});
        ++i;
    }
    return out;
}

std::vector<std::pair<Date, Money>> pairs_arg(py::handle payments, std::optional<Currency> c) {
    std::vector<std::pair<Date, Money>> out;
    std::size_t i = 0;
    for (py::handle item : payments) {
        const std::string at = "payments[" + std::to_string(i) + "]";
        if (!py::isinstance<py::sequence>(item) || py::isinstance<py::str>(item) || py::len(item) != 2)
            throw ValidationError(at + ": expected a (date, amount) pair, got " + glue::py_repr(item));
        py::sequence pair = py::reinterpret_borrow<py::sequence>(item);
        if (!c) c = currency_of(pair[1], "USD");
        out.emplace_back(glue::to_date(pair[0], (at + ".date").c_str()),
                         glue::to_money(pair[1], *c, (at + ".amount").c_str()));
        ++i;
    }
    return out;
}

// The value types whose JSON form carries no currency (installments, statuses, matches): the
// pickle state is (currency, json text).
template <class T, class FromJson, class CurrencyOf>
void currency_value(py::class_<T>& cls, FromJson from_json, CurrencyOf currency_of_value) {
    const std::string what = py::str(cls.attr("__name__")).cast<std::string>();
    glue::def_value(
        cls,
        [currency_of_value](const T& a) {
            return py::make_tuple(std::string(currency_of_value(a).code()), Json(a).dump());
        },
        [from_json, what](const py::tuple& t) {
            return from_json(parse_json(t[1].cast<std::string>(), what), Currency::of(t[0].cast<std::string>()));
        });
    cls.def("to_dict", [](const T& a) { return glue::to_python(Json(a)); },
            "The JSON form as Python dicts and lists (amounts as decimal strings).");
}

py::list account_amounts_py(const std::vector<AccountAmount>& v) {
    py::list out;
    for (const auto& a : v) out.append(py::make_tuple(a.account_id, a.amount));
    return out;
}

// ---- batch -----------------------------------------------------------------------------------

Table run_batch(py::array_t<std::int64_t, py::array::c_style | py::array::forcecast> totals,
                   py::array_t<std::int64_t, py::array::c_style | py::array::forcecast> counts,
                   py::array_t<std::int64_t, py::array::c_style | py::array::forcecast> first_due_days,
                   py::array_t<std::int64_t, py::array::c_style | py::array::forcecast> rate_numerators,
                   std::int64_t rate_scale, py::object frequency, std::string_view rounding,
                   std::string_view currency, unsigned threads, py::object progress) {
    std::vector<Frequency> freqs;
    if (py::isinstance<py::str>(frequency)) {
        freqs.push_back(parse_frequency(frequency.cast<std::string>()));
    } else {
        std::size_t i = 0;
        for (py::handle f : frequency) {
            if (!py::isinstance<py::str>(f))
                throw ValidationError("frequencies[" + std::to_string(i) + "]: expected a str, got " + glue::py_repr(f));
            freqs.push_back(parse_frequency(f.cast<std::string>(), "frequencies[" + std::to_string(i) + "]"));
            ++i;
        }
    }
    auto span_of = [](const py::array_t<std::int64_t, py::array::c_style | py::array::forcecast>& a,
                      const char* field) {
        if (a.ndim() != 1)
            throw ValidationError(std::string(field) + ": expected a one-dimensional array");
        return std::span<const std::int64_t>(a.data(), static_cast<std::size_t>(a.size()));
    };
    ScheduleBatchInput in{span_of(totals, "totals"),
                          span_of(counts, "counts"),
                          span_of(first_due_days, "first_dues"),
                          span_of(rate_numerators, "annual_rates"),
                          rate_scale,
                          freqs,
                          parse_schedule_rounding(rounding),
                          Currency::of(currency)};
    glue::ProgressBridge bridge(progress);
    py::gil_scoped_release release;
    return installment_schedules(in, threads, &bridge.progress());
}

}  // namespace

void bind_plans(py::module_& m) {
    // ---- schedules ----------------------------------------------------------------------------
    py::class_<ScheduledInstallment> installment(m, "ScheduledInstallment", R"doc(
One installment of a schedule: ``number`` (1-based), ``due`` (date), ``amount`` = ``principal`` +
``interest`` (Money). Immutable.
)doc");
    installment.def_readonly("number", &ScheduledInstallment::number)
        .def_readonly("due", &ScheduledInstallment::due)
        .def_readonly("amount", &ScheduledInstallment::amount)
        .def_readonly("principal", &ScheduledInstallment::principal)
        .def_readonly("interest", &ScheduledInstallment::interest)
        .def("__repr__", [](const ScheduledInstallment& x) {
            return "ScheduledInstallment(" + std::to_string(x.number) + ", due=" + to_iso(x.due) + ", amount=" +
                   x.amount.amount_string() + ", principal=" + x.principal.amount_string() +
                   ", interest=" + x.interest.amount_string() + ")";
        });
    currency_value(
        installment,
        [](const Json& j, Currency c) { return installment_from_json(j, c); },
        [](const ScheduledInstallment& x) { return x.amount.currency(); });

    py::class_<Schedule> schedule(m, "Schedule", R"doc(
An installment schedule: a sequence of :class:`ScheduledInstallment` plus the terms that produced it.

Build one with ``arrears.plans.installment_schedule`` (a count), ``installment_schedule_by_amount``
(a fixed amount) or ``Schedule.from_payments([(date, amount), ...])`` (any zero-interest dates and
amounts). ``len(s)``, ``s[i]`` and iteration give the installments.
)doc");
    schedule
        .def_static("from_payments",
                    [](py::handle payments, py::object frequency, std::string_view currency) {
                        auto pairs = pairs_arg(payments, currency.empty() ? std::nullopt
                                                                          : std::optional<Currency>(Currency::of(currency)));
                        std::optional<Frequency> f;
                        if (!frequency.is_none()) f = parse_frequency(frequency.cast<std::string>());
                        return Schedule::from_payments(pairs, f);
                    },
                    "payments"_a, "frequency"_a = py::none(), "currency"_a = "USD",
                    "A zero-interest schedule from (due date, amount) pairs in date order. The frequency "
                    "(used for APR) is inferred when the dates are regular, else monthly.")
        .def_property_readonly("installments", &Schedule::installments)
        .def_property_readonly("count", &Schedule::count)
        .def_property_readonly("total", &Schedule::total, "Principal financed (the plan's total before interest).")
        .def_property_readonly("total_amount", &Schedule::total_amount, "Sum of the installment amounts.")
        .def_property_readonly("total_interest", &Schedule::total_interest)
        .def_property_readonly("regular_amount", &Schedule::regular_amount, "The first installment's amount.")
        .def_property_readonly("last_amount", [](const Schedule& s) { return s.installments().back().amount; })
        .def_property_readonly("first_due", &Schedule::first_due)
        .def_property_readonly("last_due", &Schedule::last_due)
        .def_property_readonly("frequency", [](const Schedule& s) { return std::string(to_string(s.frequency())); })
        .def_property_readonly("annual_rate", [](const Schedule& s) { return glue::to_decimal(s.annual_rate()); })
        .def_property_readonly("rounding", [](const Schedule& s) { return std::string(to_string(s.rounding())); })
        .def_property_readonly("currency", [](const Schedule& s) { return std::string(s.currency().code()); })
        .def("__len__", &Schedule::count)
        .def("__getitem__", [](const Schedule& s, py::ssize_t i) {
            const auto n = static_cast<py::ssize_t>(s.count());
            if (i < 0) i += n;
            if (i < 0 || i >= n) throw py::index_error("installment index out of range");
            return s.installments()[static_cast<std::size_t>(i)];
        })
        .def("__iter__", [](const Schedule& s) { return py::iter(py::cast(s.installments())); })
        .def("to_table", [](const Schedule& s) { return to_table(s); },
             "The installments as an arrears.Table (number, due, amount_cents, principal_cents, "
             "interest_cents): .to_pandas(), pyarrow.table(...), polars.from_arrow(...).")
        .def("__repr__", &Schedule::repr)
        .def("_repr_html_", &Schedule::to_html);
    glue::def_json_value(schedule, [](const Json& j) { return schedule_from_json(j); });

    m.def("installment_schedule",
          [](py::handle total, int count, py::handle first_due_arg, std::string_view frequency,
             py::handle annual_rate, std::string_view rounding, std::string_view currency) {
                const Date first_due = glue::to_date(first_due_arg, "first_due");
              const Currency c = currency_of(total, currency);
              return installment_schedule(money_arg(total, c, "total"), count, first_due,
                                          parse_frequency(frequency), rate_arg(annual_rate, "annual_rate"),
                                          parse_schedule_rounding(rounding));
          },
          "total"_a, "count"_a, "first_due"_a, "frequency"_a = "monthly", "annual_rate"_a = "0",
          "rounding"_a = "half_up", "currency"_a = "USD",
          R"doc(`total` over `count` installments from `first_due` (see arrears.plans).)doc");
    m.def("installment_schedule_by_amount",
          [](py::handle total, py::handle amount, py::handle first_due_arg, std::string_view frequency,
             py::handle annual_rate, std::string_view currency) {
                const Date first_due = glue::to_date(first_due_arg, "first_due");
              const Currency c = currency_of(total, currency);
              return installment_schedule_by_amount(money_arg(total, c, "total"), money_arg(amount, c, "amount"),
                                                    first_due, parse_frequency(frequency),
                                                    rate_arg(annual_rate, "annual_rate"));
          },
          "total"_a, "amount"_a, "first_due"_a, "frequency"_a = "monthly", "annual_rate"_a = "0",
          "currency"_a = "USD", "`total` paid `amount` per period; the last installment is the rest.");
    m.def("due_dates",
          [](py::handle first_due_arg, int count, std::string_view frequency) {
                const Date first_due = glue::to_date(first_due_arg, "first_due");
              return due_dates(first_due, parse_frequency(frequency), count);
          },
          "first_due"_a, "count"_a, "frequency"_a = "monthly",
          "Due dates from the anchor, never chained, month ends clamped.");
    m.def("level_payment",
          [](py::handle total, int count, py::handle annual_rate, std::string_view frequency,
             std::string_view rounding, std::string_view currency) {
              const Money t = money_arg(total, currency_of(total, currency), "total");
              return level_payment(t, count, rate_arg(annual_rate, "annual_rate"), parse_frequency(frequency),
                                   parse_schedule_rounding(rounding));
          },
          "total"_a, "count"_a, "annual_rate"_a, "frequency"_a = "monthly", "rounding"_a = "half_up",
          "currency"_a = "USD", "The regular payment P·r/(1−(1+r)^−n), exactly rounded.");
    m.def("apr",
          [](py::handle amount_financed, py::handle schedule_or_payments, py::object advance, py::object unit_period) {
              std::optional<Date> adv = glue::opt_date(advance, "advance");
              if (py::isinstance<Schedule>(schedule_or_payments)) {
                  const Schedule s = schedule_or_payments.cast<Schedule>();
                  const Money a = money_arg(amount_financed, s.currency(), "amount_financed");
                  if (unit_period.is_none()) return glue::to_decimal(apr(a, s, adv));
                  std::vector<std::pair<Date, Money>> pairs;
                  for (const auto& x : s.installments()) pairs.emplace_back(x.due, x.amount);
                  return glue::to_decimal(apr(a, pairs, parse_frequency(unit_period.cast<std::string>()), adv));
              }
              const Currency c = currency_of(amount_financed, "USD");
              const Money a = money_arg(amount_financed, c, "amount_financed");
              const auto pairs = pairs_arg(schedule_or_payments, c);
              std::optional<Frequency> f;  // None: the frequency the dates follow (core)
              if (!unit_period.is_none()) f = parse_frequency(unit_period.cast<std::string>());
              return glue::to_decimal(apr(a, pairs, f, adv));
          },
          "amount_financed"_a, "schedule"_a, "advance"_a = py::none(), "unit_period"_a = py::none(),
          "APR (a Decimal fraction, 6 places) by the Reg Z Appendix J actuarial method.");
    m.def("installment_schedules", &run_batch, "totals"_a, "counts"_a, "first_due_days"_a, "rate_numerators"_a,
          "rate_scale"_a, "frequency"_a, "rounding"_a, "currency"_a, "threads"_a, "progress"_a,
          "Batch builder over int64 columns (use arrears.plans.installment_schedules).");

    // ---- plans --------------------------------------------------------------------------------
    py::class_<PlanRules> rules(m, "PlanRules", R"doc(
When an installment is kept and when a plan breaks.

``PlanRules(grace_days=5, tolerance="0", break_after_missed=2, break_after_days_late=30,
on_default="void", currency="USD")``: an installment paid by due + grace_days (cumulative
payments within ``tolerance`` of what is due) is kept; the plan breaks on the
``break_after_missed``-th missed installment or when one is more than ``break_after_days_late``
days late (None switches either off). ``on_default`` is what a broken settlement does: "void"
(the full balance returns) or "pro_rata" (the discount earned by what was paid is kept).
)doc");
    rules.def(py::init([](py::handle grace_days, py::handle tolerance, py::handle break_after_missed,
                          py::handle break_after_days_late, std::string_view on_default, std::string_view currency) {
                  PlanRules r;
                  r.grace_days = int_arg(grace_days, "grace_days");
                  r.tolerance = money_arg(tolerance, currency_of(tolerance, currency), "tolerance");
                  r.break_after_missed = optional_int(break_after_missed, "break_after_missed");
                  r.break_after_days_late = optional_int(break_after_days_late, "break_after_days_late");
                  r.on_default = parse_settlement_default(on_default);
                  r.validate();
                  return r;
              }),
              py::kw_only(), "grace_days"_a = 5, "tolerance"_a = "0", "break_after_missed"_a = 2,
              "break_after_days_late"_a = 30, "on_default"_a = "void", "currency"_a = "USD")
        .def_readonly("grace_days", &PlanRules::grace_days)
        .def_readonly("tolerance", &PlanRules::tolerance)
        .def_readonly("break_after_missed", &PlanRules::break_after_missed)
        .def_readonly("break_after_days_late", &PlanRules::break_after_days_late)
        .def_property_readonly("on_default", [](const PlanRules& r) { return std::string(to_string(r.on_default)); })
        .def("__repr__", [](const PlanRules& r) {
            auto opt = [](const std::optional<int>& v) { return v ? std::to_string(*v) : std::string("None"); };
            return "PlanRules(grace_days=" + std::to_string(r.grace_days) + ", tolerance=" +
                   r.tolerance.amount_string() + ", break_after_missed=" + opt(r.break_after_missed) +
                   ", break_after_days_late=" + opt(r.break_after_days_late) + ", on_default=" +
                   std::string(to_string(r.on_default)) + ")";
        });
    glue::def_json_value(rules, [](const Json& j) { return plan_rules_from_json(j); });

    py::class_<InstallmentStatus> status(m, "InstallmentStatus",
                                         "An installment as of a date: status due, paid, partial or missed.");
    status.def_readonly("number", &InstallmentStatus::number)
        .def_readonly("due", &InstallmentStatus::due)
        .def_readonly("amount", &InstallmentStatus::amount)
        .def_readonly("paid", &InstallmentStatus::paid)
        .def_property_readonly("status", [](const InstallmentStatus& s) { return std::string(to_string(s.status)); })
        .def_readonly("paid_on", &InstallmentStatus::paid_on)
        .def_readonly("days_late", &InstallmentStatus::days_late)
        .def("__repr__", [](const InstallmentStatus& s) {
            return "InstallmentStatus(" + std::to_string(s.number) + ", due=" + to_iso(s.due) + ", amount=" +
                   s.amount.amount_string() + ", paid=" + s.paid.amount_string() + ", status=" +
                   std::string(to_string(s.status)) + ")";
        });
    currency_value(
        status, [](const Json& j, Currency c) { return installment_status_from_json(j, c); },
        [](const InstallmentStatus& s) { return s.amount.currency(); });

    py::class_<PlanEvent> event(m, "PlanEvent", R"doc(
A dated event of a plan: ``type`` is kept, missed, broken, completed, settlement_discount (post a
settlement-discount transaction of ``amount``), settlement_voided, offer_expired or cancelled.
)doc");
    event.def_property_readonly("type", [](const PlanEvent& e) { return std::string(to_string(e.type)); })
        .def_readonly("date", &PlanEvent::date)
        .def_readonly("installment", &PlanEvent::installment)
        .def_readonly("amount", &PlanEvent::amount)
        .def_readonly("detail", &PlanEvent::detail)
        .def_property_readonly("accounts", [](const PlanEvent& e) { return account_amounts_py(e.accounts); },
                               "[(account_id, Money)] split of amount (settlement events).")
        .def("__repr__", [](const PlanEvent& e) {
            std::string s = "PlanEvent(" + std::string(to_string(e.type)) + ", " + to_iso(e.date);
            if (e.installment) s += ", installment=" + std::to_string(e.installment);
            if (!e.amount.is_zero()) s += ", amount=" + e.amount.amount_string();
            if (!e.detail.empty()) s += ", detail=" + quote(e.detail);
            return s + ")";
        });
    glue::def_json_value(event, [](const Json& j) { return plan_event_from_json(j); });

    py::class_<PaymentMatch> match(m, "PaymentMatch",
                                   "How one payment was applied: [(installment, Money)], unapplied, note.");
    match.def_readonly("date", &PaymentMatch::date)
        .def_readonly("amount", &PaymentMatch::amount)
        .def_property_readonly("applied", [](const PaymentMatch& pm) {
            py::list out;
            for (const auto& a : pm.applied) out.append(py::make_tuple(a.installment, a.amount));
            return out;
        })
        .def_readonly("unapplied", &PaymentMatch::unapplied)
        .def_readonly("note", &PaymentMatch::note)
        .def_property_readonly("accounts", [](const PaymentMatch& pm) { return account_amounts_py(pm.accounts); })
        .def("__repr__", [](const PaymentMatch& pm) {
            std::string s = "PaymentMatch(" + to_iso(pm.date) + ", " + pm.amount.amount_string() + ", applied=[";
            for (std::size_t i = 0; i < pm.applied.size(); ++i)
                s += (i ? ", " : "") + std::string("#") + std::to_string(pm.applied[i].installment) + " " +
                     pm.applied[i].amount.amount_string();
            s += "]";
            if (!pm.unapplied.is_zero()) s += ", unapplied=" + pm.unapplied.amount_string();
            return s + ")";
        });
    currency_value(
        match, [](const Json& j, Currency c) { return payment_match_from_json(j, c); },
        [](const PaymentMatch& pm) { return pm.amount.currency(); });

    py::class_<PlanEvaluation> evaluation(m, "PlanEvaluation", R"doc(
A plan as of a date: ``status`` (active, current, delinquent, broken, completed, cancelled), the
installments with their status, the dated ``events`` and how each payment was matched.
)doc");
    evaluation.def_readonly("as_of", &PlanEvaluation::as_of)
        .def_property_readonly("status", [](const PlanEvaluation& e) { return std::string(to_string(e.status)); })
        .def_readonly("status_date", &PlanEvaluation::status_date)
        .def_readonly("paid", &PlanEvaluation::paid)
        .def_readonly("remaining", &PlanEvaluation::remaining)
        .def_readonly("balance_remaining", &PlanEvaluation::balance_remaining)
        .def_readonly("missed_count", &PlanEvaluation::missed_count)
        .def_readonly("days_past_due", &PlanEvaluation::days_past_due)
        .def_readonly("installments", &PlanEvaluation::installments)
        .def_readonly("events", &PlanEvaluation::events)
        .def_readonly("payments", &PlanEvaluation::payments)
        .def("to_table", [](const PlanEvaluation& e) { return to_table(e); },
             "Installment statuses as an arrears.Table (number, due, amount_cents, paid_cents, "
             "status, paid_on, days_late).")
        .def("events_table", [](const PlanEvaluation& e) { return events_table(e); },
             "The dated events as an arrears.Table (date, type, installment, amount_cents, detail).")
        .def("__repr__", &PlanEvaluation::repr)
        .def("_repr_html_", &PlanEvaluation::to_html);
    glue::def_json_value(evaluation, [](const Json& j) { return plan_evaluation_from_json(j); });

    py::class_<PaymentPlan> plan(m, "PaymentPlan", R"doc(
A payment plan, settlement or promise to pay over one account or several accounts of one debtor.

Build one with ``PaymentPlan.installment(...)``, ``PaymentPlan.settlement(...)``,
``PaymentPlan.promise(...)`` (or ``arrears.plans.installment_plan`` / ``settlement`` /
``promise_to_pay``). ``plan.evaluate(payments, as_of)`` gives its status on a date.
)doc");
    plan.def(py::init([](std::string_view kind, py::handle plan_date_arg, py::handle accounts, const Schedule& s,
                         py::handle rules_obj, py::object offer_expiry, std::string_view split,
                         std::string plan_id, std::string debtor_id, py::object cancelled_on) {
                const Date plan_date = glue::to_date(plan_date_arg, "plan_date");
                 Currency c = s.currency();
                 const std::string code(c.code());
                 auto accts = accounts_arg(py::none(), accounts, "", code, c);
                 return PaymentPlan(parse_plan_kind(kind), plan_date, std::move(accts), s, rules_arg(rules_obj),
                                    glue::opt_date(offer_expiry, "offer_expiry"), parse_account_split(split),
                                    std::move(plan_id), std::move(debtor_id),
                                    glue::opt_date(cancelled_on, "cancelled_on"));
             }),
             "kind"_a, "plan_date"_a, "accounts"_a, "schedule"_a, py::kw_only(), "rules"_a = py::none(),
             "offer_expiry"_a = py::none(), "split"_a = "pro_rata", "plan_id"_a = "", "debtor_id"_a = "",
             "cancelled_on"_a = py::none())
        .def_static(
            "installment",
            [](py::handle balance, py::handle plan_date_arg, py::handle first_due_arg, py::handle count, py::handle amount,
               std::string_view frequency, py::handle annual_rate, std::string_view rounding, py::handle rules_obj,
               py::handle accounts, std::string account_id, std::string_view split, std::string plan_id,
               std::string debtor_id, std::string_view currency) {
                const Date plan_date = glue::to_date(plan_date_arg, "plan_date");
                const Date first_due = glue::to_date(first_due_arg, "first_due");
                Currency c{};
                auto accts = accounts_arg(balance, accounts, account_id, currency, c);
                std::optional<Money> per_installment;
                if (!amount.is_none()) per_installment = money_arg(amount, c, "amount");
                return PaymentPlan::installment(plan_date, std::move(accts), first_due, optional_int(count, "count"),
                                                per_installment, parse_frequency(frequency),
                                                rate_arg(annual_rate, "annual_rate"), parse_schedule_rounding(rounding),
                                                rules_arg(rules_obj), parse_account_split(split), std::move(plan_id),
                                                std::move(debtor_id));
            },
            "balance"_a = py::none(), py::kw_only(), "plan_date"_a, "first_due"_a, "count"_a = py::none(),
            "amount"_a = py::none(), "frequency"_a = "monthly", "annual_rate"_a = "0", "rounding"_a = "half_up",
            "rules"_a = py::none(), "accounts"_a = py::none(), "account_id"_a = "", "split"_a = "pro_rata",
            "plan_id"_a = "", "debtor_id"_a = "", "currency"_a = "USD",
            "An installment plan for the whole balance: `count` installments or a fixed `amount`.")
        .def_static(
            "settlement",
            [](py::handle balance, py::handle settlement_amount, py::handle plan_date_arg, py::handle offer_expiry_arg,
               py::object first_due, int count, std::string_view frequency, std::string_view rounding,
               py::handle rules_obj, py::handle accounts, std::string account_id, std::string_view split,
               std::string plan_id, std::string debtor_id, std::string_view currency) {
                const Date plan_date = glue::to_date(plan_date_arg, "plan_date");
                const Date offer_expiry = glue::to_date(offer_expiry_arg, "offer_expiry");
                Currency c{};
                auto accts = accounts_arg(balance, accounts, account_id, currency, c);
                return PaymentPlan::settlement(plan_date, std::move(accts),
                                               money_arg(settlement_amount, c, "settlement_amount"), offer_expiry,
                                               glue::opt_date(first_due, "first_due"), count,
                                               parse_frequency(frequency), parse_schedule_rounding(rounding),
                                               rules_arg(rules_obj), parse_account_split(split), std::move(plan_id),
                                               std::move(debtor_id));
            },
            "balance"_a = py::none(), "settlement_amount"_a = py::none(), py::kw_only(), "plan_date"_a,
            "offer_expiry"_a, "first_due"_a = py::none(), "count"_a = 1, "frequency"_a = "monthly",
            "rounding"_a = "half_up", "rules"_a = py::none(), "accounts"_a = py::none(), "account_id"_a = "",
            "split"_a = "pro_rata", "plan_id"_a = "", "debtor_id"_a = "", "currency"_a = "USD",
            "A settlement: the discounted total as a lump sum (count=1, due on the offer expiry unless "
            "first_due is given) or in installments.")
        .def_static(
            "promise",
            [](py::handle balance, py::handle amount, py::handle due_arg, py::handle plan_date_arg, py::handle rules_obj,
               py::handle accounts, std::string account_id, std::string plan_id, std::string debtor_id,
               std::string_view currency) {
                const Date due = glue::to_date(due_arg, "due");
                const Date plan_date = glue::to_date(plan_date_arg, "plan_date");
                Currency c{};
                auto accts = accounts_arg(balance, accounts, account_id, currency, c);
                return PaymentPlan::promise(plan_date, std::move(accts), money_arg(amount, c, "amount"), due,
                                            rules_arg(rules_obj), std::move(plan_id), std::move(debtor_id));
            },
            "balance"_a = py::none(), "amount"_a = py::none(), py::kw_only(), "due"_a, "plan_date"_a,
            "rules"_a = py::none(), "accounts"_a = py::none(), "account_id"_a = "", "plan_id"_a = "",
            "debtor_id"_a = "", "currency"_a = "USD", "A promise to pay `amount` by `due`.")
        .def_property_readonly("kind", [](const PaymentPlan& p) { return std::string(to_string(p.kind())); })
        .def_property_readonly("plan_date", &PaymentPlan::plan_date)
        .def_property_readonly("accounts", [](const PaymentPlan& p) {
            py::list out;
            for (const auto& a : p.accounts()) out.append(py::make_tuple(a.account_id, a.balance));
            return out;
        }, "[(account_id, balance)]")
        .def_property_readonly("balance", &PaymentPlan::balance)
        .def_property_readonly("schedule", &PaymentPlan::schedule)
        .def_property_readonly("total", &PaymentPlan::total)
        .def_property_readonly("discount", &PaymentPlan::discount)
        .def_property_readonly("rules", &PaymentPlan::rules)
        .def_property_readonly("offer_expiry", &PaymentPlan::offer_expiry)
        .def_property_readonly("split", [](const PaymentPlan& p) { return std::string(to_string(p.split())); })
        .def_property_readonly("plan_id", &PaymentPlan::plan_id)
        .def_property_readonly("debtor_id", &PaymentPlan::debtor_id)
        .def_property_readonly("cancelled_on", &PaymentPlan::cancelled_on)
        .def_property_readonly("currency", [](const PaymentPlan& p) { return std::string(p.currency().code()); })
        .def("cancel", [](const PaymentPlan& p, py::handle on) { return p.cancel(glue::to_date(on, "on")); },
             "on"_a, "A copy cancelled on `on` (payments dated on or after it are not applied).")
        .def("evaluate",
             [](const PaymentPlan& p, py::handle payments, py::handle as_of_arg) {
                const Date as_of = glue::to_date(as_of_arg, "as_of");
                 const std::vector<Payment> pays = payments_arg(payments, p.currency());
                 return p.evaluate(pays, as_of);
             },
             "payments"_a, "as_of"_a,
             "Status, installment statuses, dated events and payment matches as of `as_of`, from "
             "(date, amount) payment pairs in any order.")
        .def("split_amount",
             [](const PaymentPlan& p, py::handle applied) {
                 const auto parts = p.split_amount(money_arg(applied, p.currency(), "applied"));
                 py::list out;
                 for (std::size_t i = 0; i < parts.size(); ++i)
                     out.append(py::make_tuple(p.accounts()[i].account_id, parts[i]));
                 return out;
             },
             "applied"_a, "Cumulative per-account split of `applied` money: [(account_id, Money)].")
        .def("__repr__", &PaymentPlan::repr)
        .def("_repr_html_", &PaymentPlan::to_html);
    glue::def_json_value(plan, [](const Json& j) { return payment_plan_from_json(j); });

    // ---- re-aging -----------------------------------------------------------------------------
    py::class_<ReagingRule> reaging(m, "ReagingRule", R"doc(
When kept plan payments make a delinquent account current again (re-aging):
``ReagingRule(consecutive_kept=3, min_months_between=12, max_reages=2, max_reages_window_months=60)``.
)doc");
    reaging.def(py::init([](int consecutive_kept, int min_months_between, int max_reages, int window) {
                    ReagingRule r{consecutive_kept, min_months_between, max_reages, window};
                    r.validate();
                    return r;
                }),
                py::kw_only(), "consecutive_kept"_a = 3, "min_months_between"_a = 12, "max_reages"_a = 2,
                "max_reages_window_months"_a = 60)
        .def_readonly("consecutive_kept", &ReagingRule::consecutive_kept)
        .def_readonly("min_months_between", &ReagingRule::min_months_between)
        .def_readonly("max_reages", &ReagingRule::max_reages)
        .def_readonly("max_reages_window_months", &ReagingRule::max_reages_window_months)
        .def("decide",
             [](const ReagingRule& r, const PlanEvaluation& e, int days_past_due, py::object dofd,
                std::vector<Date> previous) {
                 return decide_reaging(r, e, days_past_due, glue::opt_date(dofd, "date_of_first_delinquency"), previous);
             },
             "evaluation"_a, "days_past_due"_a, "date_of_first_delinquency"_a = py::none(),
             "previous_reages"_a = std::vector<Date>{},
             "Whether the plan re-ages the account; days past due after it; the first delinquency date unchanged.")
        .def("__repr__", [](const ReagingRule& r) {
            return "ReagingRule(consecutive_kept=" + std::to_string(r.consecutive_kept) + ", min_months_between=" +
                   std::to_string(r.min_months_between) + ", max_reages=" + std::to_string(r.max_reages) +
                   ", max_reages_window_months=" + std::to_string(r.max_reages_window_months) + ")";
        });
    glue::def_json_value(reaging, [](const Json& j) { return reaging_rule_from_json(j); });

    py::class_<ReagingDecision> decision(m, "ReagingDecision", "The outcome of ReagingRule.decide.");
    decision.def_readonly("reaged", &ReagingDecision::reaged)
        .def_readonly("reaged_on", &ReagingDecision::reaged_on)
        .def_readonly("days_past_due", &ReagingDecision::days_past_due)
        .def_readonly("date_of_first_delinquency", &ReagingDecision::date_of_first_delinquency)
        .def_readonly("kept_streak", &ReagingDecision::kept_streak)
        .def_readonly("reason", &ReagingDecision::reason)
        .def("__bool__", [](const ReagingDecision& d) { return d.reaged; })
        .def("__repr__", [](const ReagingDecision& d) {
            return std::string("ReagingDecision(reaged=") + (d.reaged ? "True" : "False") +
                   (d.reaged_on ? ", reaged_on=" + to_iso(*d.reaged_on) : "") +
                   ", days_past_due=" + std::to_string(d.days_past_due) + ", reason=" + quote(d.reason) + ")";
        });
    glue::def_json_value(decision, [](const Json& j) { return reaging_decision_from_json(j); });

    // ---- offers -------------------------------------------------------------------------------
    py::class_<Budget> budget(m, "Budget", R"doc(
A debtor's monthly budget: ``Budget(monthly_income, monthly_expenses, available_funds="0",
currency="USD")``; ``disposable`` is income − expenses.
)doc");
    budget.def(py::init([](py::handle income, py::handle expenses, py::handle funds, std::string_view currency) {
                   const Currency c = currency_of(income, currency);
                   Budget b{money_arg(income, c, "monthly_income"), money_arg(expenses, c, "monthly_expenses"),
                            money_arg(funds, c, "available_funds")};
                   b.validate();
                   return b;
               }),
               "monthly_income"_a, "monthly_expenses"_a, "available_funds"_a = "0", "currency"_a = "USD")
        .def_readonly("monthly_income", &Budget::monthly_income)
        .def_readonly("monthly_expenses", &Budget::monthly_expenses)
        .def_readonly("available_funds", &Budget::available_funds)
        .def_property_readonly("disposable", &Budget::disposable)
        .def("__repr__", [](const Budget& b) {
            return "Budget(monthly_income=" + b.monthly_income.amount_string() + ", monthly_expenses=" +
                   b.monthly_expenses.amount_string() + ", available_funds=" + b.available_funds.amount_string() + ")";
        });
    glue::def_json_value(budget, [](const Json& j) { return budget_from_json(j); });

    py::class_<OfferPolicy> policy(m, "OfferPolicy", R"doc(
A client's negotiation policy: ``OfferPolicy(minimum_payment="25", maximum_term_months=12,
settlement_floor=None, offer_expiry_days=14, currency="USD")``; ``settlement_floor`` is the lowest
settlement as a fraction of the balance ("0.6" = 60%), None for no settlements.
)doc");
    policy.def(py::init([](py::handle minimum_payment, int maximum_term_months, py::object settlement_floor,
                           int offer_expiry_days, std::string_view currency) {
                   OfferPolicy p;
                   p.minimum_payment = money_arg(minimum_payment, currency_of(minimum_payment, currency), "minimum_payment");
                   p.maximum_term_months = maximum_term_months;
                   if (!settlement_floor.is_none()) p.settlement_floor = rate_arg(settlement_floor, "settlement_floor");
                   p.offer_expiry_days = offer_expiry_days;
                   p.validate();
                   return p;
               }),
               py::kw_only(), "minimum_payment"_a = "25", "maximum_term_months"_a = 12,
               "settlement_floor"_a = py::none(), "offer_expiry_days"_a = 14, "currency"_a = "USD")
        .def_readonly("minimum_payment", &OfferPolicy::minimum_payment)
        .def_readonly("maximum_term_months", &OfferPolicy::maximum_term_months)
        .def_property_readonly("settlement_floor", [](const OfferPolicy& p) -> py::object {
            if (!p.settlement_floor) return py::none();
            return glue::to_decimal(*p.settlement_floor);
        })
        .def_readonly("offer_expiry_days", &OfferPolicy::offer_expiry_days)
        .def("__repr__", [](const OfferPolicy& p) {
            return "OfferPolicy(minimum_payment=" + p.minimum_payment.amount_string() + ", maximum_term_months=" +
                   std::to_string(p.maximum_term_months) + ", settlement_floor=" +
                   (p.settlement_floor ? p.settlement_floor->to_string() : std::string("None")) +
                   ", offer_expiry_days=" + std::to_string(p.offer_expiry_days) + ")";
        });
    glue::def_json_value(policy, [](const Json& j) { return offer_policy_from_json(j); });

    py::class_<Offer> offer(m, "Offer", "A plan or settlement the collector may offer (see propose_offers).");
    offer.def_property_readonly("kind", [](const Offer& o) { return std::string(to_string(o.kind)); })
        .def_readonly("balance", &Offer::balance)
        .def_readonly("total", &Offer::total)
        .def_readonly("discount", &Offer::discount)
        .def_readonly("schedule", &Offer::schedule)
        .def_readonly("offer_expiry", &Offer::offer_expiry)
        .def_readonly("description", &Offer::description)
        .def_property_readonly("count", &Offer::count)
        .def_property_readonly("regular_payment", &Offer::regular_payment)
        .def("to_plan",
             [](const Offer& o, py::handle plan_date_arg, py::handle accounts, py::handle rules_obj) {
                const Date plan_date = glue::to_date(plan_date_arg, "plan_date");
                 std::vector<PlanAccount> accts;
                 if (!accounts.is_none()) {
                     Currency c = o.balance.currency();
                     const std::string code(c.code());
                     accts = accounts_arg(py::none(), accounts, "", code, c);
                 }
                 return o.to_plan(plan_date, std::move(accts), rules_arg(rules_obj));
             },
             "plan_date"_a, "accounts"_a = py::none(), "rules"_a = py::none(),
             "The PaymentPlan the debtor agrees to by accepting this offer.")
        .def("__repr__", [](const Offer& o) { return "Offer(" + std::string(to_string(o.kind)) + ": " + o.description + ")"; });
    glue::def_json_value(offer, [](const Json& j) { return offer_from_json(j); });

    m.def("propose_offers",
          [](py::handle balance, const Budget& b, const OfferPolicy& p, py::handle as_of_arg, std::string_view currency) {
                const Date as_of = glue::to_date(as_of_arg, "as_of");
              const Currency c = currency_of(balance, currency);
              return propose_offers(money_arg(balance, c, "balance"), b, p, as_of);
          },
          "balance"_a, "budget"_a, "policy"_a, "as_of"_a, "currency"_a = "USD",
          "The offers the policy allows and the budget affords, best first.");
}
