// Columnar batch posting: many payments over many accounts in one call (_core.ledger; the
// facade arrears.ledger.post_payment_batch checks the arguments and shows progress).
#include "bind_ledger.hpp"

#include "arrears/payment_batch.hpp"
#include "glue/numpy.hpp"
#include "glue/progress.hpp"

using namespace arrears;
using namespace ledger_args;

namespace {

py::tuple post_batch(py::handle account_h, py::handle effective_h, py::handle amount_h,
                             py::handle principal_h, py::handle interest_h, py::handle fees_h,
                             py::handle costs_h, const py::object& unapplied_h, const py::list& rules_h,
                             const py::object& account_rule_h, unsigned threads, bool in_place,
                             bool want_allocations, const py::object& progress) {
    const py::array account_a = glue::contiguous(account_h, "account");
    const py::array effective_a = glue::contiguous(effective_h, "effective");
    const IntColumn account_col = glue::int_column(account_a, "account", false);
    const IntColumn effective_col = glue::int_column(effective_a, "effective", true);
    const std::size_t n = account_col.size;
    const py::array_t<std::int64_t> amount_a = glue::int64_column(amount_h, "amount", n, false);
    const py::array principal_probe = glue::contiguous(principal_h, "principal");
    if (principal_probe.ndim() != 1) throw ValidationError("principal: expected a 1-dimensional array");
    const auto accounts = static_cast<std::size_t>(principal_probe.shape(0));
    const auto rows = static_cast<py::ssize_t>(accounts);

    // Balances in (read in place) and out (new arrays, or the same ones when in_place).
    const char* labels[5] = {"principal", "interest", "fees", "costs", "unapplied"};
    const py::handle inputs[5] = {principal_h, interest_h, fees_h, costs_h, unapplied_h};
    std::vector<py::array_t<std::int64_t>> in(5), out(5);
    BalanceColumns cols;
    cols.accounts = accounts;
    for (std::size_t k = 0; k < 5; ++k) {
        if (k == 4 && unapplied_h.is_none()) {
            out[k] = glue::new_int64_array({rows});
            cols.out[k] = out[k].mutable_data();
            continue;
        }
        if (in_place && !py::isinstance<py::array>(inputs[k]))
            throw ValidationError(std::string(labels[k]) + ": expected a numpy array");
        in[k] = glue::int64_column(inputs[k], labels[k], accounts, in_place);
        if (in_place && !in[k].is(inputs[k]))
            throw ValidationError(std::string(labels[k]) + ": in_place=True needs a C-contiguous int64 array");
        cols.in[k] = in[k].data();
        out[k] = in_place ? in[k] : glue::new_int64_array({rows});
        cols.out[k] = out[k].mutable_data();
    }

    std::vector<Waterfall> rules;
    for (std::size_t i = 0; i < rules_h.size(); ++i)
        rules.push_back(waterfall_arg(rules_h[i], ("rules[" + std::to_string(i) + "]").c_str()));
    py::array rule_a;
    std::span<const std::uint8_t> account_rule;
    if (!account_rule_h.is_none()) {
        rule_a = glue::contiguous(account_rule_h, "account_rule");
        if (rule_a.ndim() != 1 || rule_a.dtype().kind() != 'u' || rule_a.dtype().itemsize() != 1)
            throw ValidationError("account_rule: expected a 1-dimensional uint8 array, got " +
                                  py::str(rule_a.dtype()).cast<std::string>());
        account_rule = {static_cast<const std::uint8_t*>(rule_a.data()), static_cast<std::size_t>(rule_a.shape(0))};
    }
    py::object allocations = py::none();
    std::int64_t* alloc_ptr = nullptr;
    if (want_allocations) {
        auto arr = glue::new_int64_array({static_cast<py::ssize_t>(n), 5});
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
        arrears::post_payment_batch(account_col, effective_col, std::span<const std::int64_t>(amount_a.data(), n),
                                    cols, rules, account_rule, alloc_ptr, options);
    }
    return py::make_tuple(out[0], out[1], out[2], out[3], out[4], allocations);
}

}  // namespace

void bind_payment_batch(py::module_& m) {
    m.def("post_payment_batch", &post_batch, "account"_a, "effective"_a, "amount"_a,
          "principal"_a, "interest"_a, "fees"_a, "costs"_a, "unapplied"_a, "rules"_a, "account_rule"_a,
          "threads"_a, "in_place"_a, "allocations"_a, "progress"_a,
          "Low-level batch posting over numpy columns; use arrears.post_payment_batch.");
}
