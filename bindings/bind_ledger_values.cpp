// The values a ledger reads and produces (_core.ledger): the debtors of an account, allocations,
// balances, journal entries, transactions, the Reg F itemization and status changes.
#include "bind_ledger.hpp"

#include "arrears/account.hpp"
#include "arrears/ledger.hpp"

using namespace arrears;
using namespace ledger_args;

namespace {

// Principal, interest, fees, costs, unapplied and total of an Allocation or a Balance.
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

// The journal fields a Transaction and a LedgerEntry share, read through `entry`.
template <class T, class Entry>
void entry_properties(py::class_<T>& cls, Entry entry) {
    auto name = [](const auto& v) -> std::optional<std::string> {
        if (!v) return std::nullopt;
        return std::string(to_string(*v));
    };
    cls.def_property_readonly("id", [entry](const T& t) { return entry(t).id; })
        .def_property_readonly("type", [entry](const T& t) { return std::string(to_string(entry(t).type)); })
        .def_property_readonly("effective", [entry](const T& t) { return entry(t).effective; })
        .def_property_readonly("posted_at", [entry](const T& t) { return entry(t).posted_at; })
        .def_property_readonly("reference", [entry](const T& t) { return entry(t).reference; })
        .def_property_readonly("note", [entry](const T& t) { return entry(t).note; })
        .def_property_readonly("component", [entry, name](const T& t) { return name(entry(t).component); })
        .def_property_readonly("reverses", [entry](const T& t) { return entry(t).reverses; })
        .def_property_readonly("reason", [entry, name](const T& t) { return name(entry(t).reason); })
        .def_property_readonly("posted_allocation", [entry](const T& t) { return entry(t).posted_allocation; },
                               "The allocation it got when it was posted.")
        .def_property_readonly("currency", [entry](const T& t) {
            return std::string(entry(t).amount.currency().code());
        });
}

}  // namespace

void bind_ledger_values(py::module_& m) {
    py::class_<AccountDebtor> party(m, "AccountDebtor", R"doc(
A debtor on an account: ``AccountDebtor(debtor_id, role="primary", ecoa_code="1")``. Roles:
primary, co_signer, joint, authorized_user, guarantor. ECOA codes (Metro 2): 1, 2, 3, 5, 7, T,
X, W, Z.
)doc");
    party
        .def(py::init([](const std::string& debtor_id, const std::string& role, const std::string& ecoa_code) {
                 AccountDebtor d{debtor_id, parse_debtor_role(role), ecoa_code};
                 d.validate();
                 return d;
             }),
             "debtor_id"_a, "role"_a = "primary", "ecoa_code"_a = "1")
        .def_readonly("debtor_id", &AccountDebtor::debtor_id)
        .def_property_readonly("role", glue::name_of<AccountDebtor>(&AccountDebtor::role))
        .def_readonly("ecoa_code", &AccountDebtor::ecoa_code)
        .def("__repr__", &AccountDebtor::repr);
    glue::def_json_value(party, [](const Json& j) { return parse_account_debtor(j, "$"); });
    glue::def_replace(party, {"debtor_id", "role", "ecoa_code"});

    py::class_<Allocation> allocation(m, "Allocation", R"doc(
How a transaction moved the balance components (non-negative amounts): what a payment paid on
principal, interest, fees and costs and the unapplied (overpaid) rest, or what a charge added.
``total`` is the sum of all five; ``transaction_id`` is the transaction it belongs to.
)doc");
    component_properties(allocation);
    allocation.def_property_readonly("transaction_id", [](const Allocation& a) -> std::optional<std::int64_t> {
        if (!a.transaction_id) return std::nullopt;
        return a.transaction_id;
    });
    glue::def_json_value(allocation, [](const Json& j) { return parse_allocation(j, kUsd, "$"); });

    py::class_<Balance> balance(m, "Balance", R"doc(
What is owed: principal, interest, fees, costs, the unapplied credit, and
``total = principal + interest + fees + costs - unapplied``.
)doc");
    component_properties(balance);
    glue::def_json_value(balance, [](const Json& j) { return parse_balance(j, kUsd, "$"); });

    py::class_<LedgerEntry> entry(m, "LedgerEntry", R"doc(
One posting as received (the journal, in arrival order): never changed after posting.
``amount`` is as given (signed for adjustments; for interest, the amount computed when posted).
)doc");
    entry_properties(entry, [](const LedgerEntry& e) -> const LedgerEntry& { return e; });
    entry.def_property_readonly("amount", glue::get<LedgerEntry>(&LedgerEntry::amount))
        .def("__repr__", &LedgerEntry::repr);
    glue::def_json_value(entry, [](const Json& j) { return parse_ledger_entry(j, kUsd, "$"); });

    py::class_<Transaction> transaction(m, "Transaction", R"doc(
One transaction of the ledger (effective-date order) with its current allocation. After a
backdated posting, interest and allocations are recomputed; ``restated`` tells that amount or
allocation differ from what it got when posted (``posted_amount``, ``posted_allocation``).
``balance_effect`` is the signed change of the total (+ debit, - credit).
)doc");
    entry_properties(transaction, [](const Transaction& t) -> const LedgerEntry& { return t.entry; });
    transaction.def_property_readonly("amount", glue::get<Transaction>(&Transaction::amount))
        .def_property_readonly("posted_amount", [](const Transaction& t) { return t.entry.amount; })
        .def_property_readonly("allocation", glue::get<Transaction>(&Transaction::allocation))
        .def_property_readonly("balance_after", glue::get<Transaction>(&Transaction::balance_after))
        .def_readonly("reversed_by", &Transaction::reversed_by)
        .def_readonly("restated", &Transaction::restated)
        .def_property_readonly("balance_effect", &Transaction::balance_effect)
        .def("__repr__", &Transaction::repr);
    glue::def_json_value(transaction, [](const Json& j) { return parse_transaction(j, kUsd, "$"); });

    py::class_<Itemization> itemization(m, "Itemization", R"doc(
The Reg F itemization (12 CFR 1006.34(c)(2)(vi)-(viii)) since the itemization date:
``current == on_itemization_date + interest + fees + other_charges - payments - credits``.
)doc");
    itemization.def_readonly("itemization_date", &Itemization::itemization_date)
        .def_readonly("as_of", &Itemization::as_of)
        .def_property_readonly("on_itemization_date", glue::get<Itemization>(&Itemization::on_itemization_date))
        .def_property_readonly("interest", glue::get<Itemization>(&Itemization::interest))
        .def_property_readonly("fees", glue::get<Itemization>(&Itemization::fees))
        .def_property_readonly("other_charges", glue::get<Itemization>(&Itemization::other_charges))
        .def_property_readonly("payments", glue::get<Itemization>(&Itemization::payments))
        .def_property_readonly("credits", glue::get<Itemization>(&Itemization::credits))
        .def_property_readonly("current", glue::get<Itemization>(&Itemization::current))
        .def("__repr__", &Itemization::repr);
    glue::def_json_value(itemization, [](const Json& j) { return parse_itemization(j, kUsd, "$"); });

    py::class_<StatusChange> status_change(m, "StatusChange", "One entry of an account's status history.");
    status_change.def_property_readonly("status", glue::name_of<StatusChange>(&StatusChange::status))
        .def_readonly("effective", &StatusChange::effective)
        .def_readonly("reason", &StatusChange::reason)
        .def("__repr__", &StatusChange::repr);
    glue::def_json_value(status_change, [](const Json& j) { return parse_status_change(j, "$"); });
}
