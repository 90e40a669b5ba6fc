// arrears._core: the compiled half of the arrears package, one submodule per area of the core
// (`_core.money`, `_core.ledger`, `_core.metro2` ...). Each area binds itself in its own
// bind_<area>.cpp; this file only creates the submodules and calls them. def_submodule also
// registers "arrears._core.<area>" in sys.modules (PyImport_AddModule), so `import
// arrears._core.ledger` works and pickles of its classes load (tests/python/test_core_modules.py).
#include "pybind11.hpp"

PYBIND11_MODULE(_core, m, py::mod_gil_not_used()) {
    m.doc() = "arrears compiled core (import the public API from `arrears`, not from here)";
    m.attr("__version__") = ARREARS_VERSION;
    bind_errors();

    py::module_ money = m.def_submodule("money", "Money and currencies.");
    bind_money(money);
    py::module_ calendar = m.def_submodule("calendar", "Dates, holidays, business days, day counts.");
    bind_calendar(calendar);
    py::module_ table = m.def_submodule("table", "Columnar tables: Arrow out and in, numpy views.");
    bind_table(table);
    py::module_ aging = m.def_submodule("aging", "Days past due and delinquency buckets.");
    bind_aging(aging);
    py::module_ debtor = m.def_submodule("debtor", "Debtors, contact points and time zones.");
    bind_debtor(debtor);
    py::module_ ledger = m.def_submodule("ledger", "Accounts, ledgers, allocation and batch posting.");
    bind_ledger_terms(ledger);
    bind_ledger_values(ledger);
    bind_account(ledger);
    bind_payment_batch(ledger);
    py::module_ portfolio = m.def_submodule("portfolio", "The columnar portfolio and bucket moves.");
    bind_portfolio(portfolio);
    py::module_ strategy = m.def_submodule("strategy", "Collection strategies: scores, segments, worklists.");
    bind_strategy(strategy);
    py::module_ metro2 = m.def_submodule("metro2", "Metro 2 records, files and the collection profile.");
    bind_metro2_segments(metro2);
    bind_metro2(metro2);
    py::module_ letters = m.def_submodule("letters", "Letter templates, built-in letters and campaigns.");
    bind_letters(letters);
    py::module_ plans = m.def_submodule("plans", "Schedules, payment plans, re-aging and offers.");
    bind_plans(plans);
    py::module_ compliance = m.def_submodule("compliance", "Contact rules, decisions and compliance dates.");
    bind_compliance(compliance);
    bind_contact_batch(compliance);
    py::module_ store = m.def_submodule("store", "The SQLite store.");
    bind_store(store);  // last: its methods take the other areas' types
}
