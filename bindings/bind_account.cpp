// Accounts: one debt, its lifecycle and its ledger (_core.ledger). Postings validate first and
// change nothing when they raise; `posted_at` defaults to now (UTC), read here.
#include "bind_ledger.hpp"

#include "arrears/account.hpp"
#include "arrears/html.hpp"
#include "arrears/ledger_table.hpp"

using namespace arrears;

namespace {

// A getter of one descriptive field (AccountInfo) of an account.
template <class M>
auto info(M AccountInfo::*member) {
    return [member](const Account& a) -> M { return a.info().*member; };
}

std::vector<std::string> status_names(const std::vector<AccountStatus>& statuses) {
    std::vector<std::string> out;
    for (auto s : statuses) out.emplace_back(to_string(s));
    return out;
}

std::map<std::string, std::vector<std::string>> account_status_transitions() {
    std::map<std::string, std::vector<std::string>> out;
    for (std::size_t i = 0; i <= static_cast<std::size_t>(AccountStatus::deceased); ++i) {
        const auto s = static_cast<AccountStatus>(i);
        out.emplace(std::string(to_string(s)), status_names(allowed_transitions(s)));
    }
    return out;
}

// Account objects of a list, by pointer (the objects stay owned by Python).
template <class Ptr>
std::vector<Ptr> accounts_of(const py::list& accounts) {
    std::vector<Ptr> out;
    std::size_t i = 0;
    for (py::handle h : accounts) {
        if (!py::isinstance<Account>(h))
            throw ValidationError("accounts[" + std::to_string(i) + "]: expected an Account, got " +
                                  glue::py_repr(h));
        out.push_back(&h.cast<Account&>());
        ++i;
    }
    return out;
}

std::vector<std::optional<Allocation>> debtor_payment(const py::list& accounts, py::handle amount,
                                                      const Date& effective, const std::string& reference,
                                                      const std::string& method, const py::object& posted_at) {
    const auto ptrs = accounts_of<Account*>(accounts);
    if (ptrs.empty()) throw ValidationError("accounts: no accounts to post the payment to");
    const Money m = glue::to_money(amount, ptrs.front()->currency(), "amount");
    const auto posted = post_debtor_payment(ptrs, m, effective, reference, parse_split_method(method),
                                            glue::instant_or_now(posted_at, "posted_at"));
    std::vector<std::optional<Allocation>> out;
    for (const auto& t : posted) out.push_back(t ? std::optional(t->allocation) : std::nullopt);
    return out;
}

}  // namespace

void bind_account(py::module_& m) {
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
                 info.last_statement_on = glue::opt_date(last_statement_on, "last_statement_on");
                 info.charged_off_on = glue::opt_date(charged_off_on, "charged_off_on");
                 info.first_delinquency_on = glue::opt_date(first_delinquency_on, "first_delinquency_on");
                 info.last_payment_on = glue::opt_date(last_payment_on, "last_payment_on");
                 info.judgment_on = glue::opt_date(judgment_on, "judgment_on");
                 info.itemization_date = glue::opt_date(itemization_date, "itemization_date");
                 if (!itemization_basis.is_none())
                     info.itemization_basis = parse_itemization_basis(
                         glue::str_arg(itemization_basis, "itemization_basis"));
                 info.client = client;
                 info.portfolio = portfolio;
                 if (py::isinstance<py::str>(tags))
                     throw ValidationError("tags: expected a list of str, got a str");
                 for (py::handle t : tags) info.tags.push_back(glue::str_arg(t, "tags"));
                 std::sort(info.tags.begin(), info.tags.end());
                 info.tags.erase(std::unique(info.tags.begin(), info.tags.end()), info.tags.end());
                 info.queue = glue::opt_str_arg(queue, "queue");
                 info.collector = glue::opt_str_arg(collector, "collector");
                 LedgerTerms terms;
                 terms.currency = Currency::of(currency);
                 terms.opened_on = glue::to_date(opened_on, "opened_on");
                 if (auto t = glue::opt_of<InterestTerms>(interest_terms, "interest")) terms.interest = *t;
                 if (auto p = glue::opt_of<AllocationPolicy>(allocation_policy, "allocation")) terms.allocation = *p;
                 if (auto f = glue::opt_of<FeeRules>(fee_rules, "fees")) terms.fees = *f;
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
        .def_property_readonly("account_number", info(&AccountInfo::account_number))
        .def_property_readonly("masked_account_number", &Account::masked_account_number)
        .def_property_readonly("debtors", info(&AccountInfo::debtors))
        .def_property_readonly("original_creditor", info(&AccountInfo::original_creditor))
        .def_property_readonly("current_creditor", info(&AccountInfo::current_creditor))
        .def_property_readonly("creditor_on_itemization_date", info(&AccountInfo::creditor_on_itemization_date))
        .def_property_readonly("product_type", [](const Account& a) { return std::string(to_string(a.info().product_type)); })
        .def_property_readonly("currency", [](const Account& a) { return std::string(a.currency().code()); })
        .def_property_readonly("opened_on", &Account::opened_on)
        .def_property_readonly("last_statement_on", info(&AccountInfo::last_statement_on))
        .def_property_readonly("charged_off_on", info(&AccountInfo::charged_off_on))
        .def_property_readonly("first_delinquency_on", info(&AccountInfo::first_delinquency_on))
        .def_property_readonly("last_payment_on", info(&AccountInfo::last_payment_on),
                               "The last payment date from the creditor file (see last_payment_date()).")
        .def_property_readonly("judgment_on", info(&AccountInfo::judgment_on))
        .def_property_readonly("itemization_date", info(&AccountInfo::itemization_date))
        .def_property_readonly("itemization_basis", [](const Account& a) -> std::optional<std::string> {
            const auto& b = a.info().itemization_basis;
            if (!b) return std::nullopt;
            return std::string(to_string(*b));
        })
        .def_property_readonly("client", info(&AccountInfo::client))
        .def_property_readonly("portfolio", info(&AccountInfo::portfolio))
        .def_property_readonly("tags", [](const Account& a) { return py::tuple(py::cast(a.info().tags)); })
        .def_property_readonly("queue", info(&AccountInfo::queue))
        .def_property_readonly("collector", info(&AccountInfo::collector))
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
        .def_property_readonly("transactions", [](const Account& a) { return transactions_table(a); },
        "The ledger as an arrears.Table (Arrow; .to_pandas(), .to_pylist()): one row per "
           "transaction in effective-date (replay) order, money in *_cents columns.")
        .def("transaction_list", [](const Account& a) { return a.ledger().transactions(); },
             "The ledger as Transaction objects, in effective-date (replay) order.")
        .def("last_payment_date", py::overload_cast<>(&Account::last_payment_date, py::const_),
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
                 return as_of.is_none() ? a.itemization() : a.itemization(glue::to_date(as_of, "as_of"));
             }, "as_of"_a = py::none(),
             "The Reg F itemization since the itemization date, as of a date (None: the last "
             "transaction date).")
        // posting
        .def("post_charge", [](Account& a, py::handle amount, const Date& effective,
                               const std::string& reference, const std::string& component,
                               const std::string& note, const py::object& posted_at) {
                 const Money m = glue::to_money(amount, a.currency(), "amount");
                 return a.ledger().post_charge(m, effective, reference, parse_component(component),
                                               glue::instant_or_now(posted_at, "posted_at"), note);
             }, "amount"_a, "effective"_a, "reference"_a = "", py::kw_only(),
             "component"_a = "principal", "note"_a = "", "posted_at"_a = py::none(),
             "A debit on one component (the placed balance is a principal charge).")
        .def("post_fee", [](Account& a, py::handle amount, const Date& effective,
                            const std::string& reference, const std::string& component,
                            const std::string& note, const py::object& posted_at) {
                 const Money m = glue::to_money(amount, a.currency(), "amount");
                 return a.ledger().post_fee(m, effective, reference, parse_component(component),
                                            glue::instant_or_now(posted_at, "posted_at"), note);
             }, "amount"_a, "effective"_a, "reference"_a = "", py::kw_only(),
             "component"_a = "fees", "note"_a = "", "posted_at"_a = py::none(),
             "A fee (component 'fees') or a cost such as court costs (component 'costs').")
        .def("post_payment", [](Account& a, py::handle amount, const Date& effective,
                                const std::string& reference, const std::string& note,
                                const py::object& posted_at) {
                 const Money m = glue::to_money(amount, a.currency(), "amount");
                 return a.ledger()
                     .post_payment(m, effective, reference, glue::instant_or_now(posted_at, "posted_at"), note)
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
                                           glue::opt_date(effective, "effective"),
                                           glue::instant_or_now(posted_at, "posted_at"), note);
             }, "transaction_id"_a, "reason"_a, py::kw_only(), "effective"_a = py::none(),
             "note"_a = "", "posted_at"_a = py::none(),
             "Reverses a payment (reason: nsf, chargeback, error, other), restoring exactly what "
             "it paid, on `effective` (default: the payment's own date, as if it never happened). "
             "With reason 'nsf' and an NSF fee rule the fee is posted too.")
        .def("accrue_interest", [](Account& a, const Date& through, const py::object& posted_at) -> py::object {
                 auto t = a.ledger().accrue_interest(through, glue::instant_or_now(posted_at, "posted_at"));
                 return t ? py::cast(*t) : py::none();
             }, "through"_a, py::kw_only(), "posted_at"_a = py::none(),
             "Posts the interest accrued since the previous accrual through `through`. None when "
             "the account accrues no interest or already has an accrual through that date.")
        .def("post_adjustment", [](Account& a, py::handle amount, const std::string& component,
                                   const Date& effective, const std::string& reference,
                                   const std::string& note, const py::object& posted_at) {
                 const Money m = glue::to_money(amount, a.currency(), "amount");
                 return a.ledger().post_adjustment(m, parse_component(component), effective,
                                                   reference, glue::instant_or_now(posted_at, "posted_at"),
                                                   note);
             }, "amount"_a, "component"_a, "effective"_a, "reference"_a = "", py::kw_only(),
             "note"_a = "", "posted_at"_a = py::none(),
             "A signed correction of one component: positive raises it, negative credits it "
             "(beyond its balance: unapplied credit).")
        .def("post_write_off", [](Account& a, const py::object& amount, const Date& effective,
                                  const std::string& reference, const std::string& note,
                                  const py::object& posted_at) {
                 const Money m = amount.is_none() ? a.ledger().balance(effective).total()
                                                  : glue::to_money(amount, a.currency(), "amount");
                 return a.ledger().post_write_off(m, effective, reference,
                                                  glue::instant_or_now(posted_at, "posted_at"), note);
             }, "amount"_a, "effective"_a, "reference"_a = "", py::kw_only(), "note"_a = "",
             "posted_at"_a = py::none(),
             "Writes off an amount (None: the whole balance as of effective) by the write-off "
             "waterfall. More than the balance is a ValidationError.")
        .def("post_settlement_discount", [](Account& a, const py::object& amount,
                                            const Date& effective, const std::string& reference,
                                            const std::string& note, const py::object& posted_at) {
                 const Money m = amount.is_none() ? a.ledger().balance(effective).total()
                                                  : glue::to_money(amount, a.currency(), "amount");
                 return a.ledger().post_settlement_discount(
                     m, effective, reference, glue::instant_or_now(posted_at, "posted_at"), note);
             }, "amount"_a, "effective"_a, "reference"_a = "", py::kw_only(), "note"_a = "",
             "posted_at"_a = py::none(),
             "Forgives the part of the balance a settlement does not collect (None: all of it).")
        .def("post_late_fee", [](Account& a, const Date& due_on, py::handle past_due,
                                 const py::object& posted_at) {
                 return a.ledger().post_late_fee(due_on, glue::to_money(past_due, a.currency(), "past_due"),
                                                 glue::instant_or_now(posted_at, "posted_at"));
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
        .def("allowed_statuses", [](const Account& a) { return status_names(allowed_transitions(a.status())); },
             "The statuses the account may move to now.")
        .def("assign", [](Account& a, const py::object& queue, const py::object& collector) {
                 a.assign(glue::opt_str_arg(queue, "queue"), glue::opt_str_arg(collector, "collector"));
             }, "queue"_a = py::none(), "collector"_a = py::none(),
             "Sets the work queue and the collector (None clears).")
        .def("add_tag", [](Account& a, const std::string& tag) { a.add_tag(tag); }, "tag"_a)
        .def("remove_tag", [](Account& a, const std::string& tag) { a.remove_tag(tag); }, "tag"_a)
        .def("__repr__", &Account::repr)
        .def("_repr_html_", [](const Account& a) { return to_html(a); });
    glue::def_json_value(account, [](const Json& j) { return parse_account(j); }, glue::unhashable);

    m.def("account_status_transitions", &account_status_transitions,
          "The account status lifecycle: {status: [statuses it may change to]}.");
    m.def("post_debtor_payment", &debtor_payment, "accounts"_a, "amount"_a, "effective"_a,
          "reference"_a = "", py::kw_only(), "method"_a = "pro_rata", "posted_at"_a = py::none(),
          "Splits one payment across a debtor's accounts (pro_rata by balance, or sequential in the "
          "order given) and posts each part; all or nothing. Returns each account's Allocation (None "
          "for accounts that got nothing).");
    m.def("transactions_table",
          [](const py::list& accounts) { return transactions_table(accounts_of<const Account*>(accounts)); },
          "accounts"_a, "The transactions of many accounts as one arrears.Table (an account_id column "
          "tells them apart).");
}
