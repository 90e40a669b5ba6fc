// arrears._core: the compiled half of the arrears package. Each area binds itself in its own
// bind_<area>.cpp; this file only calls them.
#include "pybind11.hpp"

PYBIND11_MODULE(_core, m, py::mod_gil_not_used()) {
    m.doc() = "arrears compiled core (import the public API from `arrears`, not from here)";
    m.attr("__version__") = ARREARS_VERSION;
    bind_errors(m);
    bind_money(m);
    bind_calendar(m);
    bind_table(m);
    bind_debtor(m);
    bind_ledger(m);
    bind_portfolio(m);
    bind_store(m);
    bind_metro2(m);
    bind_letters(m);
    bind_plans(m);
    bind_compliance(m);
}
