"""Accounts and their ledgers: posting, allocation, reversals, interest, and batch posting.

An :class:`Account` is one debt with an append-only journal of postings; its transactions and
balances are derived by replaying the journal in effective-date order, so a backdated payment
or reversal re-computes interest and allocations from its date forward::

    >>> from datetime import date
    >>> from arrears.ledger import Account, InterestTerms
    >>> a = Account("A1", date(2025, 1, 1), interest=InterestTerms("0.12"))
    >>> _ = a.post_charge("1000.00", date(2025, 1, 1), "placement")
    >>> _ = a.accrue_interest(date(2025, 1, 31))
    >>> paid = a.post_payment("100.00", date(2025, 2, 1), "CHK-1001")
    >>> paid.interest, paid.principal
    (Money('9.86', 'USD'), Money('90.14', 'USD'))

For millions of payments, :func:`post_payment_batch` takes numpy columns and applies the same
allocation rule in C++ over all cores.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

import numpy as np

from arrears._core import ledger as _ledger
from arrears._core.ledger import (
    Account,
    AccountDebtor,
    Allocation,
    AllocationPolicy,
    Balance,
    FeeRules,
    InterestTerms,
    Itemization,
    LateFeeRule,
    LedgerEntry,
    StatusChange,
    Transaction,
    account_status_transitions,
    post_debtor_payment,
    transactions_table,
)
from arrears._progress import progress_bar
from arrears.errors import ValidationError

__all__ = [
    "Account",
    "AccountDebtor",
    "Allocation",
    "AllocationPolicy",
    "Balance",
    "FeeRules",
    "InterestTerms",
    "Itemization",
    "LateFeeRule",
    "LedgerEntry",
    "PaymentBatchResult",
    "StatusChange",
    "Transaction",
    "account_status_transitions",
    "post_debtor_payment",
    "post_payment_batch",
    "transactions_table",
]

_DEFAULT_WATERFALL = ("fees", "costs", "interest", "principal")
ALLOCATION_COLUMNS = ("principal", "interest", "fees", "costs", "unapplied")


class PaymentBatchResult(NamedTuple):
    """The result of :func:`post_payment_batch`: balances after the batch (int64 minor units, one
    per account) and, unless switched off, each payment's allocation."""

    principal: np.ndarray[Any, np.dtype[np.int64]]
    interest: np.ndarray[Any, np.dtype[np.int64]]
    fees: np.ndarray[Any, np.dtype[np.int64]]
    costs: np.ndarray[Any, np.dtype[np.int64]]
    unapplied: np.ndarray[Any, np.dtype[np.int64]]
    allocations: np.ndarray[Any, np.dtype[np.int64]] | None
    """(payments, 5) int64 in input row order; columns principal, interest, fees, costs,
    unapplied (``ALLOCATION_COLUMNS``). Each row sums to its payment."""


def _waterfall(rule: object, field: str) -> list[str]:
    if isinstance(rule, AllocationPolicy):
        return list(rule.payment)
    if isinstance(rule, str) or not isinstance(rule, Sequence):
        raise ValidationError(
            f"{field}: expected a sequence of component names or an AllocationPolicy, got {rule!r}"
        )
    return [str(c) for c in rule]


def post_payment_batch(
    account: np.ndarray[Any, Any],
    effective: np.ndarray[Any, Any],
    amount: np.ndarray[Any, Any],
    principal: np.ndarray[Any, Any],
    interest: np.ndarray[Any, Any],
    fees: np.ndarray[Any, Any],
    costs: np.ndarray[Any, Any],
    unapplied: np.ndarray[Any, Any] | None = None,
    *,
    waterfall: Sequence[str] | AllocationPolicy | None = None,
    rules: Sequence[Sequence[str] | AllocationPolicy] | None = None,
    account_rule: np.ndarray[Any, Any] | None = None,
    threads: int = 0,
    in_place: bool = False,
    allocations: bool = True,
    progress: bool | Callable[[int, int], None] | None = None,
) -> PaymentBatchResult:
    """Posts many payments over many accounts in one C++ call (GIL released, all cores).

    Payments (one row each): ``account`` (int32/int64 index into the balance arrays),
    ``effective`` (datetime64[D|s|ms|us|ns] or int32/int64 days since 1970-01-01) and ``amount``
    (int64 minor units, > 0). Balances (one row per account, int64 minor units):
    ``principal``, ``interest``, ``fees``, ``costs`` and optionally ``unapplied``. Arrays are
    read in place (zero copy) when C-contiguous.

    Each account's payments are applied in effective-date order (input order breaks ties) with
    the payment waterfall (``waterfall``, default fees, costs, interest, principal), or per
    account with ``rules[account_rule[i]]`` (``account_rule``: uint8 per account). It is the
    rule :meth:`Account.post_payment` uses, so both allocate identically. Anything left over is
    unapplied credit.

    Everything is validated before anything is written (ValidationError naming column and
    row). ``in_place=True`` updates the balance arrays themselves; otherwise new arrays are
    returned. ``progress``: a callable ``fn(done, total)``, True/False for a progress bar, None
    for a bar only when interactive. Ctrl-C stops a copying batch (KeyboardInterrupt); an
    in-place batch always completes.
    """
    if waterfall is not None and rules is not None:
        raise ValidationError("waterfall, rules: give one or the other")
    if rules is None:
        rule_list = [
            _waterfall(waterfall if waterfall is not None else _DEFAULT_WATERFALL, "waterfall")
        ]
        if account_rule is not None:
            raise ValidationError("account_rule: needs rules= (a list of waterfalls)")
    else:
        rule_list = [_waterfall(r, f"rules[{i}]") for i, r in enumerate(rules)]
    n = len(amount) + len(principal)
    callback: Callable[[int, int], None] | None
    if callable(progress):
        callback = progress
        result = _ledger.post_payment_batch(
            account, effective, amount, principal, interest, fees, costs, unapplied,
            rule_list, account_rule, threads, in_place, allocations, callback,
        )  # fmt: skip
    else:
        with progress_bar("posting payments", n, progress, "rows") as callback:
            result = _ledger.post_payment_batch(
                account, effective, amount, principal, interest, fees, costs, unapplied,
                rule_list, account_rule, threads, in_place, allocations, callback,
            )  # fmt: skip
    return PaymentBatchResult(*result)
