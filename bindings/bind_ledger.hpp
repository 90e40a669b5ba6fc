// Argument helpers of the ledger area (bind_ledger_*.cpp, bind_account.cpp,
// bind_payment_batch.cpp): amounts whose currency comes with them, and payment waterfalls.
#pragma once

#include "pybind11.hpp"

#include "arrears/allocation.hpp"
#include "arrears/money.hpp"

namespace ledger_args {

using arrears::Currency;
using arrears::Json;
using arrears::Money;
using arrears::Waterfall;

inline const Currency kUsd = Currency::of("USD");

// A Money keeps its own currency; a str, Decimal or int is read in USD.
inline Money money_any(py::handle h, const char* field) {
    if (py::isinstance<Money>(h)) return h.cast<Money>();
    return glue::to_money(h, kUsd, field);
}

// The currency of the money object at j[key] ({"amount", "currency"}), else USD: the JSON forms
// of terms and rules carry their amounts with a currency.
inline Currency currency_in(const Json& j, const char* key) {
    if (j.is_object() && j.contains(key) && j[key].is_object() && j[key].contains("currency") &&
        j[key]["currency"].is_string())
        return Currency::of(j[key]["currency"].get<std::string>(), std::string("$.") + key + ".currency");
    return kUsd;
}

// A sequence of component names ("fees", "costs", "interest", "principal").
inline Waterfall waterfall_arg(py::handle h, const char* field) {
    if (py::isinstance<py::str>(h))
        throw arrears::ValidationError(std::string(field) +
                                       ": expected a list of component names, got a str");
    return Waterfall::parse(glue::str_list(h, field), field);
}

inline std::vector<std::string> waterfall_names(const Waterfall& w) {
    std::vector<std::string> out;
    for (auto c : w.order()) out.emplace_back(to_string(c));
    return out;
}

}  // namespace ledger_args
