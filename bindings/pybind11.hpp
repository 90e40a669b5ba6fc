// Include this first in every binding file: it owns the pybind11 includes, the `py` and `glue`
// namespace aliases and the shared glue (bindings/glue/): casters for dates, instants, money and
// rates, argument helpers, the value protocol and the JSON converter.
#pragma once

#include <pybind11/operators.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include "glue/args.hpp"
#include "glue/casters.hpp"
#include "glue/json.hpp"
#include "glue/value.hpp"

namespace py = pybind11;
namespace glue = arrears::glue;
using namespace pybind11::literals;

// One bind_<area> function per binding file, each filling the submodule `_core.<area>` it is
// given; module.cpp creates the submodules and calls them in order.
void bind_errors();
void bind_money(py::module_& m);
void bind_calendar(py::module_& m);
void bind_table(py::module_& m);
void bind_aging(py::module_& m);
void bind_debtor(py::module_& m);
void bind_ledger_terms(py::module_& m);
void bind_ledger_values(py::module_& m);
void bind_account(py::module_& m);
void bind_payment_batch(py::module_& m);
void bind_portfolio(py::module_& m);
void bind_strategy(py::module_& m);
void bind_metro2_segments(py::module_& m);
void bind_metro2(py::module_& m);
void bind_letters(py::module_& m);
void bind_plans(py::module_& m);
void bind_compliance(py::module_& m);
void bind_contact_batch(py::module_& m);
void bind_store(py::module_& m);
