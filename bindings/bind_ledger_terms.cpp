// The terms of a ledger: allocation policy, interest terms and fee rules (_core.ledger).
#include "bind_ledger.hpp"

#include "arrears/allocation.hpp"
#include "arrears/fee_rules.hpp"
#include "arrears/interest.hpp"

using namespace arrears;
using namespace ledger_args;

void bind_ledger_terms(py::module_& m) {
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
             "payment"_a = py::none(), "write_off"_a = py::none(), "settlement_discount"_a = py::none())
        .def_property_readonly("payment", [](const AllocationPolicy& p) { return waterfall_names(p.payment); })
        .def_property_readonly("write_off", [](const AllocationPolicy& p) { return waterfall_names(p.write_off); })
        .def_property_readonly("settlement_discount",
                               [](const AllocationPolicy& p) { return waterfall_names(p.settlement_discount); })
        .def("__repr__", &AllocationPolicy::repr);
    glue::def_json_value(policy, [](const Json& j) { return parse_allocation_policy(j); });
    glue::def_replace(policy, {"payment", "write_off", "settlement_discount"});

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
                 t.start_on = glue::opt_date(start_on, "start_on");
                 t.stop_on = glue::opt_date(stop_on, "stop_on");
                 if (!cap.is_none()) t.cap = money_any(cap, "cap");
                 std::size_t i = 0;
                 for (py::handle rc : rate_changes) {
                     const std::string at = "rate_changes[" + std::to_string(i++) + "]";
                     py::tuple pair = py::reinterpret_borrow<py::object>(rc).cast<py::tuple>();
                     if (pair.size() != 2) throw ValidationError(at + ": expected a (date, rate) pair");
                     t.rate_changes.push_back({glue::to_date(pair[0], at.c_str()),
                                               glue::to_rational(pair[1], at.c_str())});
                 }
                 t.validate(t.cap ? t.cap->currency() : kUsd, "");
                 return t;
             }),
             "annual_rate"_a = "0", py::kw_only(), "day_count"_a = "actual/365", "compound"_a = false,
             "rounding"_a = "half_up", "start_on"_a = py::none(), "stop_on"_a = py::none(),
             "cap"_a = py::none(), "rate_changes"_a = py::tuple())
        .def_property_readonly("annual_rate", [](const InterestTerms& t) { return glue::to_decimal(t.annual_rate); },
                               "The annual rate as a Decimal.")
        .def_property_readonly("day_count", glue::name_of<InterestTerms>(&InterestTerms::day_count))
        .def_readonly("compound", &InterestTerms::compound)
        .def_property_readonly("rounding", glue::name_of<InterestTerms>(&InterestTerms::rounding))
        .def_readonly("start_on", &InterestTerms::start_on)
        .def_readonly("stop_on", &InterestTerms::stop_on)
        .def_property_readonly("cap", glue::get<InterestTerms>(&InterestTerms::cap))
        .def_property_readonly("rate_changes", [](const InterestTerms& t) {
            py::list out;
            for (const auto& r : t.rate_changes)
                out.append(py::make_tuple(glue::from_date(r.effective), glue::to_decimal(r.annual_rate)));
            return out;
        })
        .def("__repr__", &InterestTerms::repr);
    glue::def_json_value(interest, [](const Json& j) { return parse_interest_terms(j, currency_in(j, "cap")); });
    glue::def_replace(interest, {"annual_rate", "day_count", "compound", "rounding", "start_on",
                                 "stop_on", "cap", "rate_changes"});

    py::class_<LateFeeRule> late(m, "LateFeeRule", R"doc(
``LateFeeRule(fixed="0", percent="0", *, maximum=None, grace_days=0)``: the fee is the greater of
``fixed`` and ``percent`` of the amount past due, at most ``maximum`` and at most the amount past
due; effective ``grace_days + 1`` days after the due date. Amounts: Money (str is USD).
)doc");
    late.def(py::init([](const py::object& fixed, const py::object& percent, const py::object& maximum,
                         int grace_days) {
                 LateFeeRule r;
                 r.fixed = money_any(fixed, "fixed");
                 r.percent = glue::to_rational(percent, "percent");
                 if (!maximum.is_none()) r.maximum = money_any(maximum, "maximum");
                 r.grace_days = grace_days;
                 r.validate(r.fixed.currency(), "");
                 return r;
             }),
             "fixed"_a = "0", "percent"_a = "0", py::kw_only(), "maximum"_a = py::none(), "grace_days"_a = 0)
        .def_property_readonly("fixed", glue::get<LateFeeRule>(&LateFeeRule::fixed))
        .def_property_readonly("percent", [](const LateFeeRule& r) { return glue::to_decimal(r.percent); })
        .def_property_readonly("maximum", glue::get<LateFeeRule>(&LateFeeRule::maximum))
        .def_readonly("grace_days", &LateFeeRule::grace_days)
        .def("amount_for", [](const LateFeeRule& r, py::handle past_due) {
            return r.amount_for(glue::to_money(past_due, r.fixed.currency(), "past_due"));
        }, "past_due"_a, "The fee for an amount past due.")
        .def("__repr__", &LateFeeRule::repr);
    glue::def_json_value(late, [](const Json& j) { return parse_late_fee_rule(j, currency_in(j, "fixed")); });
    glue::def_replace(late, {"fixed", "percent", "maximum", "grace_days"});

    py::class_<FeeRules> fees(m, "FeeRules", R"doc(
``FeeRules(late=None, nsf=None)``: a LateFeeRule, and the fee (Money; str is USD) posted with a
payment reversal whose reason is "nsf". Both are off unless given.
)doc");
    fees.def(py::init([](const py::object& late_rule, const py::object& nsf) {
                 FeeRules f;
                 f.late = glue::opt_of<LateFeeRule>(late_rule, "late");
                 if (!nsf.is_none()) f.nsf = money_any(nsf, "nsf");
                 f.validate(f.late ? f.late->fixed.currency() : f.nsf ? f.nsf->currency() : kUsd, "");
                 return f;
             }),
             "late"_a = py::none(), "nsf"_a = py::none())
        .def_property_readonly("late", glue::get<FeeRules>(&FeeRules::late))
        .def_property_readonly("nsf", glue::get<FeeRules>(&FeeRules::nsf))
        .def("__repr__", &FeeRules::repr);
    glue::def_json_value(fees, [](const Json& j) {
        Currency c = currency_in(j, "nsf");
        if (c == kUsd && j.is_object() && j.contains("late")) c = currency_in(j["late"], "fixed");
        return parse_fee_rules(j, c);
    });
    glue::def_replace(fees, {"late", "nsf"});
}
