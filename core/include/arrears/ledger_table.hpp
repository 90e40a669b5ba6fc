// The ledger as a Table: one row per transaction in replay (effective-date) order, money as
// <name>_cents int64 columns, for pandas/Arrow users and the store.
#pragma once

#include <span>

#include "arrears/account.hpp"
#include "arrears/table.hpp"

namespace arrears {

// Columns: account_id, id, type, effective (date32), posted_at (timestamp), amount_cents,
// currency, reference, note, component, reverses, reason, reversed_by, principal_cents,
// interest_cents, fees_cents, costs_cents, unapplied_cents (the allocation),
// balance_effect_cents (+ debit, - credit), balance_principal_cents, balance_interest_cents,
// balance_fees_cents, balance_costs_cents, balance_unapplied_cents, balance_total_cents (after
// the transaction), restated, posted_amount_cents. component, reverses, reason and reversed_by
// are null where they do not apply.
Table transactions_table(std::span<const Account* const> accounts);
Table transactions_table(const Account& account);

}  // namespace arrears
