// Accounts, the ledger and batch posting (issue 11).
#include "pybind11.hpp"

#include <pybind11/numpy.h>

#ifdef __linux__
#include <sys/mman.h>
#endif

#include "arrears/account.hpp"
#include "arrears/allocation.hpp"
#include "arrears/fee_rules.hpp"
#include "arrears/interest.hpp"
#include "arrears/ledger.hpp"
#include "arrears/ledger_table.hpp"
#include "arrears/payment_batch.hpp"
#include "ledger_glue.hpp"

using namespace arrears;
namespace glue = arrears::py_glue;
using ledger_glue::from_opt_date;
using ledger_glue::instant_or_now;
using ledger_glue::opt_date;

namespace {

const Currency kUsd = Currency::of("USD");

// A Money, or str/Decimal/int in `currency`.
Money money_arg(py::handle h, Currency currency, const char* field) {
    return glue::to_money(h, currency, field);
}

// The currency of the money object at j[key] ({"amount", "currency"}), else USD.
Currency currency_in(const Json& j, const char* key) {
    if (j.is_object() && j.contains(key) && j[key].is_object() && j[key].contains("currency") &&
        j[key]["currency"].is_string())
        return Currency::of(j[key]["currency"].get<std::string>(),
                            std::string("$.") + key + ".currency");
    return kUsd;
}

// A Money keeps its own currency; anything else is read in USD.
Money money_any(py::handle h, const char* field) {
    if (py::isinstance<Money>(h)) return h.cast<Money>();
    return glue::to_money(h, kUsd, field);
}

std::vector<std::string> names(py::handle seq, const char* field) {
    if (py::isinstance<py::str>(seq))
        throw ValidationError(std::string(field) +
                              ": expected a list of component names, got a str");
    std::vector<std::string> out;
    for (py::handle h : seq) out.push_back(ledger_glue::str_arg(h, field));
    return out;
}

py::list waterfall_list(const Waterfall& w) {
    py::list out;
    for (Component c : w.order()) out.append(std::string(to_string(c)));
    return out;
}

Waterfall waterfall_arg(py::handle h, const char* field) {
    if (py::isinstance<Waterfall>(h)) return h.cast<Waterfall>();
    return Waterfall::parse(names(h, field), field);
}

py::object opt_str(const std::optional<std::string>& s) {
    return s ? py::object(py::str(*s)) : py::none();
}

std::optional<std::string> opt_str_arg(const py::object& h, const char* field) {
    if (h.is_none()) return std::nullopt;
    return ledger_glue::str_arg(h, field);
}

// Shared properties of Allocation and Balance.
template <class T>
void component_properties(py::class_<T>& cls) {
    cls.def_property_readonly("principal", &T::principal)
        .def_property_readonly("interest", &T::interest)
        .def_property_readonly("fees", &T::fees)
        .def_property_readonly("costs", &T::costs)
        .def_property_readonly("unapplied", &T::unapplied_credit)
        .def_property_readonly("total", &T::total)
        .def_property_readonly("currency", [](const T& x) { return std::string(x.currency.code()); })
        .def("__repr__", &T::repr);
}

// Properties a Transaction and a LedgerEntry share (read through a getter of the entry).
template <class T, class Get>
void entry_properties(py::class_<T>& cls, Get entry) {
    cls.def_property_readonly("id", [entry](const T& t) { return entry(t).id; })
        .def_property_readonly("type", [entry](const T& t) { return std::string(to_string(entry(t).type)); })
        .def_property_readonly("effective", [entry](const T& t) { return glue::from_date(entry(t).effective); })
        .def_property_readonly("posted_at", [entry](const T& t) { return glue::from_instant(entry(t).posted_at); })
        .def_property_readonly("reference", [entry](const T& t) { return entry(t).reference; })
        .def_property_readonly("note", [entry](const T& t) { return entry(t).note; })
        .def_property_readonly("component", [entry](const T& t) -> py::object {
            const auto& c = entry(t).component;
            return c ? py::object(py::str(std::string(to_string(*c)))) : py::none();
        })
        .def_property_readonly("reverses", [entry](const T& t) -> py::object {
            const auto& r = entry(t).reverses;
            return r ? py::object(py::int_(*r)) : py::none();
        })
        .def_property_readonly("reason", [entry](const T& t) -> py::object {
            const auto& r = entry(t).reason;
            return r ? py::object(py::str(std::string(to_string(*r)))) : py::none();
        })
        .def_property_readonly("posted_allocation", [entry](const T& t) { return entry(t).posted_allocation; },
                               "The allocation it got when it was posted.")
        .def_property_readonly("currency", [entry](const T& t) {
            return std::string(entry(t).amount.currency().code());
        });
}

std::string money_cell(const Money& m) { return ledger_glue::html_escape(m.format()); }

std::string account_html(const Account& a) {
    const auto& info = a.info();
    const Balance b = a.ledger().balance();
    std::string out = "<div><strong>Account " + ledger_glue::html_escape(info.id) + "</strong>";
    if (!info.account_number.empty()) out += " (" + ledger_glue::html_escape(a.masked_account_number()) + ")";
    out += ": " + std::string(to_string(a.status())) + ", " +
           std::string(to_string(info.product_type)) + ", opened " + to_iso(a.opened_on());
    if (!info.current_creditor.empty()) out += ", creditor " + ledger_glue::html_escape(info.current_creditor);
    if (info.itemization_date)
        out += ", itemization date " + to_iso(*info.itemization_date) + " (" +
               std::string(to_string(*info.itemization_basis)) + ")";
    out += "</div><table><thead><tr><th>principal</th><th>interest</th><th>fees</th><th>costs</th>"
           "<th>unapplied</th><th>total</th></tr></thead><tbody><tr><td>" +
           money_cell(b.principal()) + "</td><td>" + money_cell(b.interest()) + "</td><td>" +
           money_cell(b.fees()) + "</td><td>" + money_cell(b.costs()) + "</td><td>" +
           money_cell(b.unapplied_credit()) + "</td><td><strong>" + money_cell(b.total()) +
           "</strong></td></tr></tbody></table>";
    const auto& tx = a.ledger().transactions();
    if (tx.empty()) return out + "<div>no transactions</div>";
    const std::size_t shown = std::min<std::size_t>(tx.size(), 20);
    out += "<table><thead><tr><th>id</th><th>effective</th><th>type</th><th>amount</th>"
           "<th>principal</th><th>interest</th><th>fees</th><th>costs</th><th>unapplied</th>"
           "<th>balance</th><th>reference</th><th></th></tr></thead><tbody>";
    for (std::size_t i = tx.size() - shown; i < tx.size(); ++i) {
        const Transaction& t = tx[i];
        std::string mark;
        if (t.reversed_by) mark = "reversed by " + std::to_string(*t.reversed_by);
        if (t.restated) mark += std::string(mark.empty() ? "" : "; ") + "restated";
        out += "<tr><td>" + std::to_string(t.id()) + "</td><td>" + to_iso(t.entry.effective) +
               "</td><td>" + std::string(to_string(t.type())) + "</td><td>" +
               money_cell(t.balance_effect()) + "</td><td>" +
               money_cell(t.allocation.principal()) + "</td><td>" +
               money_cell(t.allocation.interest()) + "</td><td>" + money_cell(t.allocation.fees()) +
               "</td><td>" + money_cell(t.allocation.costs()) + "</td><td>" +
               money_cell(t.allocation.unapplied_credit()) + "</td><td>" +
               money_cell(t.balance_after.total()) + "</td><td>" +
               ledger_glue::html_escape(t.entry.reference) + "</td><td>" + mark + "</td></tr>";
    }
    out += "</tbody></table>";
    if (shown < tx.size())
        out += "<div>last " + std::to_string(shown) + " of " + std::to_string(tx.size()) +
               " transactions</div>";
    return out;
}

// --- numpy columns for the batch path ---

IntColumn int_column(const py::array& a, const char* field, bool dates) {
    if (a.ndim() != 1)
        throw ValidationError(std::string(field) + ": expected a 1-dimensional array, got " +
                              std::to_string(a.ndim()) + " dimensions");
    const py::dtype dt = a.dtype();
    const char kind = dt.kind();
    IntColumn c;
    c.data = a.data();
    c.size = static_cast<std::size_t>(a.shape(0));
    if (dates && kind == 'M') {
        const std::string unit = py::str(py::module_::import("numpy").attr("datetime_data")(dt)[py::int_(0)]).cast<std::string>();
        c.width = 8;
        if (unit == "D") c.divisor = 1;
        else if (unit == "s") c.divisor = 86400;
        else if (unit == "ms") c.divisor = 86400LL * 1000;
        else if (unit == "us") c.divisor = 86400LL * 1000 * 1000;
        else if (unit == "ns") c.divisor = 86400LL * 1000 * 1000 * 1000;
        else
            throw ValidationError(std::string(field) + ": datetime64[" + unit +
                                  "] is not supported (use D, s, ms, us or ns)");
        return c;
    }
    if (kind != 'i' || (dt.itemsize() != 4 && dt.itemsize() != 8))
        throw ValidationError(std::string(field) + ": expected int32 or int64" +
                              (dates ? " days since 1970-01-01 or datetime64" : "") + ", got " +
                              py::str(dt).cast<std::string>());
    c.width = static_cast<int>(dt.itemsize());
    return c;
}

py::array contiguous(py::handle h, const char* field) {
    py::module_ np = py::module_::import("numpy");
    if (!py::isinstance<py::array>(h))
        throw ValidationError(std::string(field) + ": expected a numpy array, got " + glue::py_repr(h));
    return np.attr("ascontiguousarray")(h).cast<py::array>();
}

py::array_t<std::int64_t> int64_column(py::handle h, const char* field, std::size_t n,
                                       bool writeable) {
    py::array a = contiguous(h, field);
    if (a.ndim() != 1 || a.dtype().kind() != 'i' || a.dtype().itemsize() != 8)
        throw ValidationError(std::string(field) + ": expected a 1-dimensional int64 array (minor "
                              "units), got " + py::str(a.dtype()).cast<std::string>() +
                              (a.dtype().kind() == 'f' ? " (money is never a float)" : ""));
    if (static_cast<std::size_t>(a.shape(0)) != n)
        throw ValidationError(std::string(field) + ": " + std::to_string(a.shape(0)) +
                              " elements, expected " + std::to_string(n));
    if (writeable && !a.writeable())
        throw ValidationError(std::string(field) + ": the array is read-only (in_place=True)");
    return a.cast<py::array_t<std::int64_t>>();
}

// An uninitialized int64 array for a large batch output. On Linux it is mapped with
// MADV_HUGEPAGE: the batch writes allocation rows in random order, and 2 MB pages turn hundreds
// of thousands of page faults and TLB misses into hundreds. Elsewhere (or when mapping fails)
// it is numpy's own np.empty.
py::array_t<std::int64_t> big_int64_array(std::vector<py::ssize_t> shape) {
    std::size_t count = 1;
    for (auto d : shape) count *= static_cast<std::size_t>(d);
    const std::size_t bytes = count * sizeof(std::int64_t);
#ifdef __linux__
    constexpr std::size_t kHuge = std::size_t{1} << 21;
    if (bytes >= 4 * kHuge) {
        const std::size_t length = (bytes + kHuge - 1) / kHuge * kHuge + kHuge;
        void* raw = mmap(nullptr, length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (raw != MAP_FAILED) {
            // Align the start to 2 MB so every page of the array can be a huge page.
            const auto base = reinterpret_cast<std::uintptr_t>(raw);
            const std::uintptr_t aligned = (base + kHuge - 1) & ~(kHuge - 1);
            madvise(reinterpret_cast<void*>(aligned), length - (aligned - base), MADV_HUGEPAGE);
            struct Mapping {
                void* raw;
                std::size_t length;
            };
            auto* keep = new Mapping{raw, length};
            py::capsule owner(keep, [](void* p) {
                auto* m = static_cast<Mapping*>(p);
                munmap(m->raw, m->length);
                delete m;
            });
            std::vector<py::ssize_t> strides(shape.size());
            py::ssize_t stride = sizeof(std::int64_t);
            for (std::size_t i = shape.size(); i-- > 0;) {
                strides[i] = stride;
                stride *= shape[i];
            }
            return py::array_t<std::int64_t>(shape, strides,
                                             reinterpret_cast<std::int64_t*>(aligned), owner);
        }
    }
#endif
    return py::array_t<std::int64_t>(shape);
}

}  // namespace

void bind_ledger(py::module_& m) {
    using ledger_glue::def_replace;
    using ledger_glue::value_protocol;

    // --- AccountDebtor ---
    py::class_<AccountDebtor> party(m, "AccountDebtor", R"doc(
A debtor on an account: ``AccountDebtor(debtor_id, role="primary", ecoa_code="1")``. Roles:
primary, co_signer, joint, authorized_user, guarantor. ECOA codes (Metro 2): 1, 2, 3, 5, 7, T,
X, W, Z.
)doc");
    party
        .def(py::init([](const std::string& debtor_id, const std::string& role,
                         const std::string& ecoa_code) {
                 if (debtor_id.empty()) throw ValidationError("debtor_id: empty");
                 if (!is_valid_ecoa_code(ecoa_code))
                     throw ValidationError("ecoa_code: " + quote(ecoa_code) +
                                           " is not a Metro 2 ECOA code (1, 2, 3, 5, 7, T, X, W or Z)");
                 return AccountDebtor{debtor_id, parse_debtor_role(role), ecoa_code};
             }),
             "debtor_id"_a, "role"_a = "primary", "ecoa_code"_a = "1")
        .def_property_readonly("debtor_id", [](const AccountDebtor& d) { return d.debtor_id; })
        .def_property_readonly("role", [](const AccountDebtor& d) { return std::string(to_string(d.role)); })
        .def_property_readonly("ecoa_code", [](const AccountDebtor& d) { return d.ecoa_code; })
        .def("__repr__", &AccountDebtor::repr);
    value_protocol<AccountDebtor>(party, [](const Json& j) { return parse_account_debtor(j, "$"); });
    def_replace(party, {"debtor_id", "role", "ecoa_code"});

    // --- AllocationPolicy ---
    py::class_<AllocationPolicy> policy(m, "AllocationPolicy", R"doc(
The payment waterfall per credit type (Apache Fineract's payment allocation rule): each is the
order in which a credit pays the components, naming principal, interest, fees and costs once.

``AllocationPolicy(payment=("fees", "costs", "interest", "principal"), write_off=...,
settlement_discount=...)``; every default is fees, costs, interest, principal.
)doc");
    policy
        .def(py::init([](const py::object& payment, const py::object& write_off,
                         const py::object& settlement_discount) {
                 AllocationPolicy p;
                 if (!payment.is_none()) p.payment = waterfall_arg(payment, "payment");
                 if (!write_off.is_none()) p.write_off = waterfall_arg(write_off, "write_off");
                 if (!settlement_discount.is_none())
                     p.settlement_discount = waterfall_arg(settlement_discount, "settlement_discount");
                 return p;
             }),
             "payment"_a = py::none(), "write_off"_a = py::none(),
             "settlement_discount"_a = py::none())
        .def_property_readonly("payment", [](const AllocationPolicy& p) { return waterfall_list(p.payment); })
        .def_property_readonly("write_off", [](const AllocationPolicy& p) { return waterfall_list(p.write_off); })
        .def_property_readonly("settlement_discount", [](const AllocationPolicy& p) {
            return waterfall_list(p.settlement_discount);
        })
        .def("__repr__", &AllocationPolicy::repr);
    value_protocol<AllocationPolicy>(policy, [](const Json& j) { return parse_allocation_policy(j); });
    def_replace(policy, {"payment", "write_off", "settlement_discount"});

    // --- InterestTerms ---
    py::class_<InterestTerms> interest(m, "InterestTerms", R"doc(
Simple daily interest on principal: ``InterestTerms(annual_rate="0", *, day_count="actual/365",
compound=False, rounding="half_up", start_on=None, stop_on=None, cap=None, rate_changes=())``.

``annual_rate`` is a str/Decimal/int/Fraction fraction ("0.12" = 12%); ``compound=True`` also
accrues on posted interest; ``cap`` (Money; str is USD) bounds the total interest ever accrued;
``rate_changes`` is a sequence of ``(date, rate)``; ``rounding`` is applied once per accrual.
)doc");
    interest
        .def(py::init([](const py::object& annual_rate, const std::string& day_count, bool compound,
                         const std::string& rounding, const py::object& start_on,
                         const py::object& stop_on, const py::object& cap,
                         const py::object& rate_changes) {
                 InterestTerms t;
                 t.annual_rate = glue::to_rational(annual_rate, "annual_rate");
                 t.day_count = parse_day_count(day_count, "day_count");
                 t.compound = compound;
                 t.rounding = parse_rounding_mode(rounding, "rounding");
                 t.start_on = opt_date(start_on, "start_on");
                 t.stop_on = opt_date(stop_on, "stop_on");
                 if (!cap.is_none()) t.cap = money_any(cap, "cap");
                 std::size_t i = 0;
                 for (py::handle rc : rate_changes) {
                     const std::string at = "rate_changes[" + std::to_string(i++) + "]";
                     py::tuple pair = py::reinterpret_borrow<py::object>(rc).cast<py::tuple>();
                     if (pair.size() != 2)
                         throw ValidationError(at + ": expected a (date, rate) pair");
                     t.rate_changes.push_back({glue::to_date(pair[0], at.c_str()),
                                               glue::to_rational(pair[1], at.c_str())});
                 }
                 t.validate(t.cap ? t.cap->currency() : kUsd, "");
                 return t;
             }),
             "annual_rate"_a = "0", py::kw_only(), "day_count"_a = "actual/365",
             "compound"_a = false, "rounding"_a = "half_up", "start_on"_a = py::none(),
             "stop_on"_a = py::none(), "cap"_a = py::none(), "rate_changes"_a = py::tuple())
        .def_property_readonly("annual_rate", [](const InterestTerms& t) {
            return glue::decimal_class()(t.annual_rate.to_string());
        }, "The annual rate as a Decimal.")
        .def_property_readonly("day_count", [](const InterestTerms& t) { return std::string(to_string(t.day_count)); })
        .def_property_readonly("compound", [](const InterestTerms& t) { return t.compound; })
        .def_property_readonly("rounding", [](const InterestTerms& t) { return std::string(to_string(t.rounding)); })
        .def_property_readonly("start_on", [](const InterestTerms& t) { return from_opt_date(t.start_on); })
        .def_property_readonly("stop_on", [](const InterestTerms& t) { return from_opt_date(t.stop_on); })
        .def_property_readonly("cap", [](const InterestTerms& t) -> py::object {
            return t.cap ? py::cast(*t.cap) : py::none();
        })
        .def_property_readonly("rate_changes", [](const InterestTerms& t) {
            py::list out;
            for (const auto& r : t.rate_changes)
                out.append(py::make_tuple(glue::from_date(r.effective),
                                          glue::decimal_class()(r.annual_rate.to_string())));
            return out;
        })
        .def("__repr__", &InterestTerms::repr);
    value_protocol<InterestTerms>(interest, [](const Json& j) {
        return parse_interest_terms(j, currency_in(j, "cap"));
    });
    def_replace(interest, {"annual_rate", "day_count", "compound", "rounding", "start_on",
                           "stop_on", "cap", "rate_changes"});

    // --- FeeRules ---
    py::class_<LateFeeRule> late(m, "LateFeeRule", R"doc(
``LateFeeRule(fixed="0", percent="0", *, maximum=None, grace_days=0)``: the fee is the greater of
``fixed`` and ``percent`` of the amount past due, at most ``maximum`` and at most the amount past
due; effective ``grace_days + 1`` days after the due date. Amounts: Money (str is USD).
)doc");
    late.def(py::init([](const py::object& fixed, const py::object& percent,
                         const py::object& maximum, int grace_days) {
                 LateFeeRule r;
                 r.fixed = money_any(fixed, "fixed");
                 r.percent = glue::to_rational(percent, "percent");
                 if (!maximum.is_none()) r.maximum = money_any(maximum, "maximum");
                 r.grace_days = grace_days;
                 r.validate(r.fixed.currency(), "");
                 return r;
             }),
             "fixed"_a = "0", "percent"_a = "0", py::kw_only(), "maximum"_a = py::none(),
             "grace_days"_a = 0)
        .def_property_readonly("fixed", [](const LateFeeRule& r) { return r.fixed; })
        .def_property_readonly("percent", [](const LateFeeRule& r) {
            return glue::decimal_class()(r.percent.to_string());
        })
        .def_property_readonly("maximum", [](const LateFeeRule& r) -> py::object {
            return r.maximum ? py::cast(*r.maximum) : py::none();
        })
        .def_property_readonly("grace_days", [](const LateFeeRule& r) { return r.grace_days; })
        .def("amount_for", [](const LateFeeRule& r, py::handle past_due) {
            return r.amount_for(money_arg(past_due, r.fixed.currency(), "past_due"));
        }, "past_due"_a, "The fee for an amount past due.")
        .def("__repr__", [](const LateFeeRule& r) {
            FeeRules f;
            f.late = r;
            const std::string s = f.repr();
            return s.substr(s.find("LateFeeRule("), s.rfind(')') - s.find("LateFeeRule("));
        });
    value_protocol<LateFeeRule>(late, [](const Json& j) {
        return parse_late_fee_rule(j, currency_in(j, "fixed"));
    });
    def_replace(late, {"fixed", "percent", "maximum", "grace_days"});

    py::class_<FeeRules> fees(m, "FeeRules", R"doc(
``FeeRules(late=None, nsf=None)``: a LateFeeRule, and the fee (Money; str is USD) posted with a
payment reversal whose reason is "nsf". Both are off unless given.
)doc");
    fees.def(py::init([](const py::object& late_rule, const py::object& nsf) {
                 FeeRules f;
                 if (!late_rule.is_none()) {
                     if (!py::isinstance<LateFeeRule>(late_rule))
                         throw ValidationError("late: expected a LateFeeRule or None");
                     f.late = late_rule.cast<LateFeeRule>();
                 }
                 if (!nsf.is_none()) f.nsf = money_any(nsf, "nsf");
                 f.validate(f.late ? f.late->fixed.currency() : f.nsf ? f.nsf->currency() : kUsd, "");
                 return f;
             }),
             "late"_a = py::none(), "nsf"_a = py::none())
        .def_property_readonly("late", [](const FeeRules& f) -> py::object {
            return f.late ? py::cast(*f.late) : py::none();
        })
        .def_property_readonly("nsf", [](const FeeRules& f) -> py::object {
            return f.nsf ? py::cast(*f.nsf) : py::none();
        })
        .def("__repr__", &FeeRules::repr);
    value_protocol<FeeRules>(fees, [](const Json& j) {
        Currency c = currency_in(j, "nsf");
        if (c == kUsd && j.is_object() && j.contains("late")) c = currency_in(j["late"], "fixed");
        return parse_fee_rules(j, c);
    });
    def_replace(fees, {"late", "nsf"});

    // --- Allocation, Balance ---
    py::class_<Allocation> allocation(m, "Allocation", R"doc(
How a transaction moved the balance components (non-negative amounts): what a payment paid on
principal, interest, fees and costs and the unapplied (overpaid) rest, or what a charge added.
``total`` is the sum of all five; ``transaction_id`` is the transaction it belongs to.
)doc");
    component_properties(allocation);
    allocation.def_property_readonly("transaction_id", [](const Allocation& a) -> py::object {
        return a.transaction_id ? py::object(py::int_(a.transaction_id)) : py::none();
    });
    value_protocol<Allocation>(allocation, [](const Json& j) { return parse_allocation(j, kUsd, "$"); });

    py::class_<Balance> balance(m, "Balance", R"doc(
What is owed: principal, interest, fees, costs, the unapplied credit, and
``total = principal + interest + fees + costs - unapplied``.
)doc");
    component_properties(balance);
    value_protocol<Balance>(balance, [](const Json& j) { return parse_balance(j, kUsd, "$"); });

    // --- LedgerEntry, Transaction ---
    py::class_<LedgerEntry> entry(m, "LedgerEntry", R"doc(
One posting as received (the journal, in arrival order): never changed after posting.
``amount`` is as given (signed for adjustments; for interest, the amount computed when posted).
)doc");
    entry_properties(entry, [](const LedgerEntry& e) -> const LedgerEntry& { return e; });
    entry.def_property_readonly("amount", [](const LedgerEntry& e) { return e.amount; })
        .def("__repr__", [](const LedgerEntry& e) {
            Transaction t;
            t.entry = e;
            t.amount = e.amount;
            std::string s = t.repr();
            return "LedgerEntry" + s.substr(std::string("Transaction").size());
        });
    value_protocol<LedgerEntry>(entry, [](const Json& j) { return parse_ledger_entry(j, kUsd, "$"); });

    py::class_<Transaction> transaction(m, "Transaction", R"doc(
One transaction of the ledger (effective-date order) with its current allocation. After a
backdated posting, interest and allocations are recomputed; ``restated`` tells that amount or
allocation differ from what it got when posted (``posted_amount``, ``posted_allocation``).
``balance_effect`` is the signed change of the total (+ debit, - credit).
)doc");
    entry_properties(transaction, [](const Transaction& t) -> const LedgerEntry& { return t.entry; });
    transaction
        .def_property_readonly("amount", [](const Transaction& t) { return t.amount; })
        .def_property_readonly("posted_amount", [](const Transaction& t) { return t.entry.amount; })
        .def_property_readonly("allocation", [](const Transaction& t) { return t.allocation; })
        .def_property_readonly("balance_after", [](const Transaction& t) { return t.balance_after; })
        .def_property_readonly("reversed_by", [](const Transaction& t) -> py::object {
            return t.reversed_by ? py::object(py::int_(*t.reversed_by)) : py::none();
        })
        .def_property_readonly("restated", [](const Transaction& t) { return t.restated; })
        .def_property_readonly("balance_effect", &Transaction::balance_effect)
        .def("__repr__", &Transaction::repr);
    value_protocol<Transaction>(transaction, [](const Json& j) { return parse_transaction(j, kUsd, "$"); });

    // --- Itemization, StatusChange ---
    py::class_<Itemization> itemization(m, "Itemization", R"doc(
The Reg F itemization (12 CFR 1006.34(c)(2)(vi)-(viii)) since the itemization date:
``current == on_itemization_date + interest + fees + other_charges - payments - credits``.
)doc");
    itemization
        .def_property_readonly("itemization_date", [](const Itemization& i) { return glue::from_date(i.itemization_date); })
        .def_property_readonly("as_of", [](const Itemization& i) { return glue::from_date(i.as_of); })
        .def_property_readonly("on_itemization_date", [](const Itemization& i) { return i.on_itemization_date; })
        .def_property_readonly("interest", [](const Itemization& i) { return i.interest; })
        .def_property_readonly("fees", [](const Itemization& i) { return i.fees; })
        .def_property_readonly("other_charges", [](const Itemization& i) { return i.other_charges; })
        .def_property_readonly("payments", [](const Itemization& i) { return i.payments; })
        .def_property_readonly("credits", [](const Itemization& i) { return i.credits; })
        .def_property_readonly("current", [](const Itemization& i) { return i.current; })
        .def("__repr__", &Itemization::repr);
    value_protocol<Itemization>(itemization, [](const Json& j) { return parse_itemization(j, kUsd, "$"); });

    py::class_<StatusChange> status_change(m, "StatusChange", "One entry of an account's status history.");
    status_change
        .def_property_readonly("status", [](const StatusChange& s) { return std::string(to_string(s.status)); })
        .def_property_readonly("effective", [](const StatusChange& s) { return glue::from_date(s.effective); })
        .def_property_readonly("reason", [](const StatusChange& s) { return s.reason; })
        .def("__repr__", [](const StatusChange& s) {
            return "StatusChange('" + std::string(to_string(s.status)) + "', " + to_iso(s.effective) +
                   (s.reason.empty() ? "" : ", " + quote(s.reason)) + ")";
        })
;
    value_protocol<StatusChange>(status_change, [](const Json& j) { return parse_status_change(j, "$"); });

    m.def("account_status_transitions", [] {
        py::dict out;
        for (std::size_t i = 0; i <= static_cast<std::size_t>(AccountStatus::deceased); ++i) {
            const auto s = static_cast<AccountStatus>(i);
            py::list next;
            for (auto t : allowed_transitions(s)) next.append(std::string(to_string(t)));
            out[py::str(std::string(to_string(s)))] = next;
        }
        return out;
    }, "The account status lifecycle: {status: [statuses it may change to]}.");

    // --- Account ---
    py::class_<Account> account(m, "Account", R"doc(
One debt: who owes it, whose it is, its dates, status lifecycle and its ledger.

``Account(id, opened_on, *, currency="USD", account_number="", debtors=(), original_creditor="",
current_creditor="", creditor_on_itemization_date="", product_type="other",
last_statement_on=None, charged_off_on=None, first_delinquency_on=None, last_payment_on=None,
judgment_on=None, itemization_date=None, itemization_basis=None, client="", portfolio="",
tags=(), queue=None, collector=None, status="active", interest=None, allocation=None,
fees=None)``.

Postings (``post_charge``, ``post_fee``, ``post_payment``, ``reverse``, ``accrue_interest``,
``post_adjustment``, ``post_write_off``, ``post_settlement_discount``, ``post_late_fee``)
validate first and change nothing when they raise. ``posted_at`` defaults to now (UTC).
Balances are derived from the ledger: ``balance(as_of=None)``.
)doc");
    account
        .def(py::init([](const std::string& id, const py::object& opened_on,
                         const std::string& currency, const std::string& account_number,
                         const py::object& debtors, const std::string& original_creditor,
                         const std::string& current_creditor,
                         const std::string& creditor_on_itemization_date,
                         const std::string& product_type, const py::object& last_statement_on,
                         const py::object& charged_off_on, const py::object& first_delinquency_on,
                         const py::object& last_payment_on, const py::object& judgment_on,
                         const py::object& itemization_date, const py::object& itemization_basis,
                         const std::string& client, const std::string& portfolio,
                         const py::object& tags, const py::object& queue,
                         const py::object& collector, const std::string& status,
                         const py::object& interest_terms, const py::object& allocation_policy,
                         const py::object& fee_rules) {
                 AccountInfo info;
                 info.id = id;
                 info.account_number = account_number;
                 std::size_t i = 0;
                 if (py::isinstance<py::str>(debtors))
                     throw ValidationError("debtors: expected a list of AccountDebtor or debtor ids");
                 for (py::handle d : debtors) {
                     if (py::isinstance<AccountDebtor>(d)) info.debtors.push_back(d.cast<AccountDebtor>());
                     else if (py::isinstance<py::str>(d))
                         info.debtors.push_back({d.cast<std::string>(),
                                                 i == 0 ? DebtorRole::primary : DebtorRole::joint,
                                                 i == 0 ? "1" : "2"});
                     else
                         throw ValidationError("debtors[" + std::to_string(i) +
                                               "]: expected an AccountDebtor or a debtor id, got " +
                                               glue::py_repr(d));
                     ++i;
                 }
                 info.original_creditor = original_creditor;
                 info.current_creditor = current_creditor.empty() ? original_creditor : current_creditor;
                 info.creditor_on_itemization_date = creditor_on_itemization_date;
                 info.product_type = parse_product_type(product_type);
                 info.last_statement_on = opt_date(last_statement_on, "last_statement_on");
                 info.charged_off_on = opt_date(charged_off_on, "charged_off_on");
                 info.first_delinquency_on = opt_date(first_delinquency_on, "first_delinquency_on");
                 info.last_payment_on = opt_date(last_payment_on, "last_payment_on");
                 info.judgment_on = opt_date(judgment_on, "judgment_on");
                 info.itemization_date = opt_date(itemization_date, "itemization_date");
                 if (!itemization_basis.is_none())
                     info.itemization_basis = parse_itemization_basis(
                         ledger_glue::str_arg(itemization_basis, "itemization_basis"));
                 info.client = client;
                 info.portfolio = portfolio;
                 if (py::isinstance<py::str>(tags))
                     throw ValidationError("tags: expected a list of str, got a str");
                 for (py::handle t : tags) info.tags.push_back(ledger_glue::str_arg(t, "tags"));
                 std::sort(info.tags.begin(), info.tags.end());
                 info.tags.erase(std::unique(info.tags.begin(), info.tags.end()), info.tags.end());
                 info.queue = opt_str_arg(queue, "queue");
                 info.collector = opt_str_arg(collector, "collector");
                 LedgerTerms terms;
                 terms.currency = Currency::of(currency);
                 terms.opened_on = glue::to_date(opened_on, "opened_on");
                 if (!interest_terms.is_none()) {
                     if (!py::isinstance<InterestTerms>(interest_terms))
                         throw ValidationError("interest: expected InterestTerms or None");
                     terms.interest = interest_terms.cast<InterestTerms>();
                 }
                 if (!allocation_policy.is_none()) {
                     if (!py::isinstance<AllocationPolicy>(allocation_policy))
                         throw ValidationError("allocation: expected an AllocationPolicy or None");
                     terms.allocation = allocation_policy.cast<AllocationPolicy>();
                 }
                 if (!fee_rules.is_none()) {
                     if (!py::isinstance<FeeRules>(fee_rules))
                         throw ValidationError("fees: expected FeeRules or None");
                     terms.fees = fee_rules.cast<FeeRules>();
                 }
                 return Account(std::move(info), std::move(terms), parse_account_status(status));
             }),
             "id"_a, "opened_on"_a, py::kw_only(), "currency"_a = "USD", "account_number"_a = "",
             "debtors"_a = py::tuple(), "original_creditor"_a = "", "current_creditor"_a = "",
             "creditor_on_itemization_date"_a = "", "product_type"_a = "other",
             "last_statement_on"_a = py::none(), "charged_off_on"_a = py::none(),
             "first_delinquency_on"_a = py::none(), "last_payment_on"_a = py::none(),
             "judgment_on"_a = py::none(), "itemization_date"_a = py::none(),
             "itemization_basis"_a = py::none(), "client"_a = "", "portfolio"_a = "",
             "tags"_a = py::tuple(), "queue"_a = py::none(), "collector"_a = py::none(),
             "status"_a = "active", "interest"_a = py::none(), "allocation"_a = py::none(),
             "fees"_a = py::none())
        // identity and description
        .def_property_readonly("id", &Account::id)
        .def_property_readonly("account_number", [](const Account& a) { return a.info().account_number; })
        .def_property_readonly("masked_account_number", &Account::masked_account_number)
        .def_property_readonly("debtors", [](const Account& a) { return a.info().debtors; })
        .def_property_readonly("original_creditor", [](const Account& a) { return a.info().original_creditor; })
        .def_property_readonly("current_creditor", [](const Account& a) { return a.info().current_creditor; })
        .def_property_readonly("creditor_on_itemization_date", [](const Account& a) {
            return a.info().creditor_on_itemization_date;
        })
        .def_property_readonly("product_type", [](const Account& a) {
            return std::string(to_string(a.info().product_type));
        })
        .def_property_readonly("currency", [](const Account& a) { return std::string(a.currency().code()); })
        .def_property_readonly("opened_on", [](const Account& a) { return glue::from_date(a.opened_on()); })
        .def_property_readonly("last_statement_on", [](const Account& a) { return from_opt_date(a.info().last_statement_on); })
        .def_property_readonly("charged_off_on", [](const Account& a) { return from_opt_date(a.info().charged_off_on); })
        .def_property_readonly("first_delinquency_on", [](const Account& a) { return from_opt_date(a.info().first_delinquency_on); })
        .def_property_readonly("last_payment_on", [](const Account& a) { return from_opt_date(a.info().last_payment_on); },
                               "The last payment date from the creditor file (see last_payment_date()).")
        .def_property_readonly("judgment_on", [](const Account& a) { return from_opt_date(a.info().judgment_on); })
        .def_property_readonly("itemization_date", [](const Account& a) { return from_opt_date(a.info().itemization_date); })
        .def_property_readonly("itemization_basis", [](const Account& a) -> py::object {
            const auto& b = a.info().itemization_basis;
            return b ? py::object(py::str(std::string(to_string(*b)))) : py::none();
        })
        .def_property_readonly("client", [](const Account& a) { return a.info().client; })
        .def_property_readonly("portfolio", [](const Account& a) { return a.info().portfolio; })
        .def_property_readonly("tags", [](const Account& a) { return py::tuple(py::cast(a.info().tags)); })
        .def_property_readonly("queue", [](const Account& a) { return opt_str(a.info().queue); })
        .def_property_readonly("collector", [](const Account& a) { return opt_str(a.info().collector); })
        .def_property_readonly("status", [](const Account& a) { return std::string(to_string(a.status())); })
        .def_property_readonly("status_history", &Account::status_history)
        .def_property_readonly("interest", [](const Account& a) { return a.ledger().terms().interest; })
        .def_property_readonly("allocation", [](const Account& a) { return a.ledger().terms().allocation; })
        .def_property_readonly("allocation_changes", [](const Account& a) {
            py::list out;
            for (const auto& c : a.ledger().terms().allocation_changes)
                out.append(py::make_tuple(glue::from_date(c.effective), c.policy));
            return out;
        })
        .def_property_readonly("fees", [](const Account& a) { return a.ledger().terms().fees; })
        .def_property_readonly("entries", [](const Account& a) { return a.ledger().entries(); },
                               "The journal: every posting in arrival order, as received.")
        .def("transaction", [](const Account& a, std::int64_t id) { return a.ledger().transaction(id); },
             "transaction_id"_a, "The transaction with this id (NotFoundError when none).")
        .def_property_readonly("transactions", [](const Account& a) {
            return glue::wrap_table(transactions_table(a));
        }, "The ledger as an arrears.Table (Arrow; .to_pandas(), .to_pylist()): one row per "
           "transaction in effective-date (replay) order, money in *_cents columns.")
        .def("transaction_list", [](const Account& a) { return a.ledger().transactions(); },
             "The ledger as Transaction objects, in effective-date (replay) order.")
        .def("last_payment_date", [](const Account& a) { return from_opt_date(a.last_payment_date()); },
             "The later of last_payment_on and the last unreversed payment posted.")
        // reading
        .def("balance", [](const Account& a, const py::object& as_of) {
                 if (as_of.is_none()) return a.ledger().balance();
                 return a.ledger().balance(glue::to_date(as_of, "as_of"));
             }, "as_of"_a = py::none(),
             "The balance at the end of as_of (None: after every transaction). Interest counts "
             "once posted by accrue_interest; accrued_interest(through) tells what is pending.")
        .def("accrued_interest", [](const Account& a, const Date& through) {
                 return a.ledger().accrued_interest(through);
             }, "through"_a, "The interest accrue_interest(through) would post now (nothing posted).")
        .def("itemization", [](const Account& a, const py::object& as_of) {
                 if (!as_of.is_none()) return a.itemization(glue::to_date(as_of, "as_of"));
                 Date d = a.info().itemization_date.value_or(a.opened_on());
                 for (const auto& t : a.ledger().transactions())
                     if (to_days(d) < to_days(t.entry.effective)) d = t.entry.effective;
                 return a.itemization(d);
             }, "as_of"_a = py::none(),
             "The Reg F itemization since the itemization date, as of a date (None: the last "
             "transaction date).")
        // posting
        .def("post_charge", [](Account& a, py::handle amount, const Date& effective,
                               const std::string& reference, const std::string& component,
                               const std::string& note, const py::object& posted_at) {
                 const Money m = money_arg(amount, a.currency(), "amount");
                 return a.ledger().post_charge(m, effective, reference, parse_component(component),
                                               instant_or_now(posted_at, "posted_at"), note);
             }, "amount"_a, "effective"_a, "reference"_a = "", py::kw_only(),
             "component"_a = "principal", "note"_a = "", "posted_at"_a = py::none(),
             "A debit on one component (the placed balance is a principal charge).")
        .def("post_fee", [](Account& a, py::handle amount, const Date& effective,
                            const std::string& reference, const std::string& component,
                            const std::string& note, const py::object& posted_at) {
                 const Money m = money_arg(amount, a.currency(), "amount");
                 return a.ledger().post_fee(m, effective, reference, parse_component(component),
                                            instant_or_now(posted_at, "posted_at"), note);
             }, "amount"_a, "effective"_a, "reference"_a = "", py::kw_only(),
             "component"_a = "fees", "note"_a = "", "posted_at"_a = py::none(),
             "A fee (component 'fees') or a cost such as court costs (component 'costs').")
        .def("post_payment", [](Account& a, py::handle amount, const Date& effective,
                                const std::string& reference, const std::string& note,
                                const py::object& posted_at) {
                 const Money m = money_arg(amount, a.currency(), "amount");
                 return a.ledger()
                     .post_payment(m, effective, reference, instant_or_now(posted_at, "posted_at"), note)
                     .allocation;
             }, "amount"_a, "effective"_a, "reference"_a = "", py::kw_only(), "note"_a = "",
             "posted_at"_a = py::none(),
             "Posts a payment and returns its Allocation (by the payment waterfall in force on "
             "the effective date; any excess is unapplied credit). A backdated payment re-computes "
             "later interest and allocations. A second unreversed payment with the same non-empty "
             "reference is a ConflictError.")
        .def("reverse", [](Account& a, std::int64_t transaction_id, const std::string& reason,
                           const py::object& effective, const std::string& note,
                           const py::object& posted_at) {
                 return a.ledger().reverse(transaction_id, parse_reversal_reason(reason),
                                           opt_date(effective, "effective"),
                                           instant_or_now(posted_at, "posted_at"), note);
             }, "transaction_id"_a, "reason"_a, py::kw_only(), "effective"_a = py::none(),
             "note"_a = "", "posted_at"_a = py::none(),
             "Reverses a payment (reason: nsf, chargeback, error, other), restoring exactly what "
             "it paid, on `effective` (default: the payment's own date, as if it never happened). "
             "With reason 'nsf' and an NSF fee rule the fee is posted too.")
        .def("accrue_interest", [](Account& a, const Date& through, const py::object& posted_at) -> py::object {
                 auto t = a.ledger().accrue_interest(through, instant_or_now(posted_at, "posted_at"));
                 return t ? py::cast(*t) : py::none();
             }, "through"_a, py::kw_only(), "posted_at"_a = py::none(),
             "Posts the interest accrued since the previous accrual through `through`. None when "
             "the account accrues no interest or already has an accrual through that date.")
        .def("post_adjustment", [](Account& a, py::handle amount, const std::string& component,
                                   const Date& effective, const std::string& reference,
                                   const std::string& note, const py::object& posted_at) {
                 const Money m = money_arg(amount, a.currency(), "amount");
                 return a.ledger().post_adjustment(m, parse_component(component), effective,
                                                   reference, instant_or_now(posted_at, "posted_at"),
                                                   note);
             }, "amount"_a, "component"_a, "effective"_a, "reference"_a = "", py::kw_only(),
             "note"_a = "", "posted_at"_a = py::none(),
             "A signed correction of one component: positive raises it, negative credits it "
             "(beyond its balance: unapplied credit).")
        .def("post_write_off", [](Account& a, const py::object& amount, const Date& effective,
                                  const std::string& reference, const std::string& note,
                                  const py::object& posted_at) {
                 const Money m = amount.is_none() ? a.ledger().balance(effective).total()
                                                  : money_arg(amount, a.currency(), "amount");
                 return a.ledger().post_write_off(m, effective, reference,
                                                  instant_or_now(posted_at, "posted_at"), note);
             }, "amount"_a, "effective"_a, "reference"_a = "", py::kw_only(), "note"_a = "",
             "posted_at"_a = py::none(),
             "Writes off an amount (None: the whole balance as of effective) by the write-off "
             "waterfall. More than the balance is a ValidationError.")
        .def("post_settlement_discount", [](Account& a, const py::object& amount,
                                            const Date& effective, const std::string& reference,
                                            const std::string& note, const py::object& posted_at) {
                 const Money m = amount.is_none() ? a.ledger().balance(effective).total()
                                                  : money_arg(amount, a.currency(), "amount");
                 return a.ledger().post_settlement_discount(
                     m, effective, reference, instant_or_now(posted_at, "posted_at"), note);
             }, "amount"_a, "effective"_a, "reference"_a = "", py::kw_only(), "note"_a = "",
             "posted_at"_a = py::none(),
             "Forgives the part of the balance a settlement does not collect (None: all of it).")
        .def("post_late_fee", [](Account& a, const Date& due_on, py::handle past_due,
                                 const py::object& posted_at) {
                 return a.ledger().post_late_fee(due_on, money_arg(past_due, a.currency(), "past_due"),
                                                 instant_or_now(posted_at, "posted_at"));
             }, "due_on"_a, "past_due"_a, py::kw_only(), "posted_at"_a = py::none(),
             "The late fee (by the account's LateFeeRule) for an amount past due since due_on; "
             "once per due date.")
        .def("change_interest_rate", [](Account& a, py::handle rate, const Date& effective) {
                 a.ledger().change_interest_rate(glue::to_rational(rate, "annual_rate"), effective);
             }, "annual_rate"_a, "effective"_a,
             "A new annual rate from `effective` on; interest is recomputed.")
        .def("change_allocation_policy", [](Account& a, const AllocationPolicy& p, const Date& effective) {
                 a.ledger().change_allocation_policy(p, effective);
             }, "policy"_a, "effective"_a,
             "A new allocation policy for credits effective from `effective` on (principal first "
             "after judgment ...); later payments are re-allocated.")
        // lifecycle and assignment
        .def("set_status", [](Account& a, const std::string& status, const Date& effective,
                              const std::string& reason) {
                 a.set_status(parse_account_status(status), effective, reason);
             }, "status"_a, "effective"_a, "reason"_a = "",
             "Moves the account along its lifecycle (ConflictError for a move it does not allow).")
        .def("allowed_statuses", [](const Account& a) {
                 py::list out;
                 for (auto s : allowed_transitions(a.status())) out.append(std::string(to_string(s)));
                 return out;
             }, "The statuses the account may move to now.")
        .def("assign", [](Account& a, const py::object& queue, const py::object& collector) {
                 a.assign(opt_str_arg(queue, "queue"), opt_str_arg(collector, "collector"));
             }, "queue"_a = py::none(), "collector"_a = py::none(),
             "Sets the work queue and the collector (None clears).")
        .def("add_tag", [](Account& a, const std::string& tag) { a.add_tag(tag); }, "tag"_a)
        .def("remove_tag", [](Account& a, const std::string& tag) { a.remove_tag(tag); }, "tag"_a)
        .def("__repr__", &Account::repr)
        .def("_repr_html_", &account_html);
    value_protocol<Account>(account, [](const Json& j) { return parse_account(j); }, false);

    m.def("post_debtor_payment", [](const py::list& accounts, py::handle amount, const Date& effective,
                                    const std::string& reference, const std::string& method,
                                    const py::object& posted_at) {
        std::vector<Account*> ptrs;
        for (py::handle h : accounts) {
            if (!py::isinstance<Account>(h))
                throw ValidationError("accounts: expected Account objects, got " + glue::py_repr(h));
            ptrs.push_back(&h.cast<Account&>());
        }
        if (ptrs.empty()) throw ValidationError("accounts: no accounts to post the payment to");
        const Money m = money_arg(amount, ptrs.front()->currency(), "amount");
        auto out = post_debtor_payment(ptrs, m, effective, reference, parse_split_method(method),
                                       instant_or_now(posted_at, "posted_at"));
        py::list result;
        for (auto& t : out) result.append(t ? py::cast(t->allocation) : py::none());
        return result;
    }, "accounts"_a, "amount"_a, "effective"_a, "reference"_a = "", py::kw_only(),
       "method"_a = "pro_rata", "posted_at"_a = py::none(),
       "Splits one payment across a debtor's accounts (pro_rata by balance, or sequential in the "
       "order given) and posts each part; all or nothing. Returns each account's Allocation (None "
       "for accounts that got nothing).");

    m.def("transactions_table", [](const py::list& accounts) {
        std::vector<const Account*> ptrs;
        std::size_t i = 0;
        for (py::handle h : accounts) {
            if (!py::isinstance<Account>(h))
                throw ValidationError("accounts[" + std::to_string(i) + "]: expected an Account, got " +
                                      glue::py_repr(h));
            ptrs.push_back(&h.cast<const Account&>());
            ++i;
        }
        return glue::wrap_table(transactions_table(ptrs));
    }, "accounts"_a, "The transactions of many accounts as one arrears.Table (an account_id column "
       "tells them apart).");

    m.def("_post_payment_batch", [](py::handle account_h, py::handle effective_h, py::handle amount_h,
                                    py::handle principal_h, py::handle interest_h, py::handle fees_h,
                                    py::handle costs_h, const py::object& unapplied_h,
                                    const py::list& rules_h, const py::object& account_rule_h,
                                    unsigned threads, bool in_place, bool want_allocations,
                                    const py::object& progress) {
        py::module_ np = py::module_::import("numpy");
        py::array account_a = contiguous(account_h, "account");
        py::array effective_a = contiguous(effective_h, "effective");
        const IntColumn account_col = int_column(account_a, "account", false);
        const IntColumn effective_col = int_column(effective_a, "effective", true);
        const std::size_t n = account_col.size;
        py::array_t<std::int64_t> amount_a = int64_column(amount_h, "amount", n, false);
        py::array principal_probe = contiguous(principal_h, "principal");
        if (principal_probe.ndim() != 1)
            throw ValidationError("principal: expected a 1-dimensional array");
        const auto accounts = static_cast<std::size_t>(principal_probe.shape(0));
        const char* labels[5] = {"principal", "interest", "fees", "costs", "unapplied"};
        py::handle inputs[5] = {principal_h, interest_h, fees_h, costs_h, unapplied_h};
        std::vector<py::array_t<std::int64_t>> in(5), out(5);
        BalanceColumns cols;
        cols.accounts = accounts;
        for (int k = 0; k < 5; ++k) {
            const auto kk = static_cast<std::size_t>(k);
            if (k == 4 && unapplied_h.is_none()) {
                out[kk] = big_int64_array({static_cast<py::ssize_t>(accounts)});
                cols.out[4] = out[kk].mutable_data();
                continue;
            }
            if (in_place && !py::isinstance<py::array>(inputs[k]))
                throw ValidationError(std::string(labels[k]) + ": expected a numpy array");
            in[kk] = int64_column(inputs[k], labels[k], accounts, in_place);
            if (in_place && !in[kk].is(inputs[k]))
                throw ValidationError(std::string(labels[k]) +
                                      ": in_place=True needs a C-contiguous int64 array");
            cols.in[k] = in[kk].data();
            out[kk] = in_place ? in[kk]
                               : big_int64_array({static_cast<py::ssize_t>(accounts)});
            cols.out[k] = out[kk].mutable_data();
        }
        std::vector<Waterfall> rules;
        for (std::size_t i = 0; i < rules_h.size(); ++i) {
            const std::string f = "rules[" + std::to_string(i) + "]";
            rules.push_back(waterfall_arg(rules_h[i], f.c_str()));
        }
        py::array rule_a;
        std::span<const std::uint8_t> account_rule;
        if (!account_rule_h.is_none()) {
            rule_a = contiguous(account_rule_h, "account_rule");
            if (rule_a.ndim() != 1 || rule_a.dtype().kind() != 'u' || rule_a.dtype().itemsize() != 1)
                throw ValidationError("account_rule: expected a 1-dimensional uint8 array, got " +
                                      py::str(rule_a.dtype()).cast<std::string>());
            account_rule = {static_cast<const std::uint8_t*>(rule_a.data()),
                            static_cast<std::size_t>(rule_a.shape(0))};
        }
        py::object allocations = py::none();
        std::int64_t* alloc_ptr = nullptr;
        if (want_allocations) {
            auto arr = big_int64_array({static_cast<py::ssize_t>(n), 5});
            alloc_ptr = arr.mutable_data();
            allocations = arr;
        }
        glue::ProgressBridge bridge(progress);
        PaymentBatchOptions options;
        options.threads = threads;
        options.in_place = in_place;
        options.progress = &bridge.progress();
        {
            py::gil_scoped_release release;
            post_payment_batch(account_col, effective_col,
                               std::span<const std::int64_t>(amount_a.data(), n), cols, rules,
                               account_rule, alloc_ptr, options);
        }
        return py::make_tuple(out[0], out[1], out[2], out[3], out[4], allocations);
    }, "account"_a, "effective"_a, "amount"_a, "principal"_a, "interest"_a, "fees"_a, "costs"_a,
       "unapplied"_a, "rules"_a, "account_rule"_a, "threads"_a, "in_place"_a, "allocations"_a,
       "progress"_a, "Low-level batch posting; use arrears.post_payment_batch.");
}
