// Include this first in every binding file: it owns the pybind11 includes, the `py` namespace
// alias and the casters shared by all areas (dates, instants, money and rate arguments).
#pragma once

#include <pybind11/operators.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include "casters.hpp"

namespace py = pybind11;
using namespace pybind11::literals;

// One bind_<area> function per binding file; module.cpp calls them in order.
void bind_errors(py::module_& m);
void bind_money(py::module_& m);
void bind_calendar(py::module_& m);
void bind_table(py::module_& m);
void bind_portfolio(py::module_& m);
void bind_store(py::module_& m);
void bind_debtor(py::module_& m);
void bind_ledger(py::module_& m);
void bind_metro2(py::module_& m);
void bind_letters(py::module_& m);
void bind_plans(py::module_& m);
void bind_compliance(py::module_& m);
