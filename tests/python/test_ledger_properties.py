"""Property tests (hypothesis) over random ledger histories: charges, fees, payments, reversals,
interest accruals and adjustments, arriving in any order with effective dates in the past.

Invariants: every allocation sums to its transaction; the balance is charges minus credits (no
cent created or lost); components never go negative; any arrival order gives the same ledger; a
reversal on the payment's own date is as if the payment was never posted; a journal replays to
the same ledger; a rejected posting changes nothing.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import Any

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

import arrears
from arrears import Account, Money
from arrears.ledger import AllocationPolicy, FeeRules, InterestTerms, post_payment_batch

T0 = datetime(2026, 1, 1, tzinfo=timezone.utc)
OPENED = date(2025, 1, 1)
COMPONENTS = ("principal", "interest", "fees", "costs")
CREDITS = {"payment", "write_off", "settlement_discount"}


@dataclass(frozen=True)
class Op:
    kind: str  # charge, fee, payment, reversal, interest, adjustment
    day: int
    cents: int = 0
    component: str = "principal"
    target: int = -1  # reversal: index of the payment op
    reason: str = "chargeback"


@st.composite
def histories(draw: st.DrawFn) -> list[Op]:
    ops = [Op("charge", 0, draw(st.integers(1, 500_000)))]
    payments: list[int] = []
    for i in range(draw(st.integers(1, 25))):
        day = draw(st.integers(0, 150))
        kind = draw(st.sampled_from(["charge", "fee", "payment", "payment", "payment", "reversal",
                                     "interest", "adjustment"]))  # fmt: skip
        cents = draw(st.integers(1, 200_000))
        if kind == "reversal":
            if not payments:
                continue
            target = draw(st.sampled_from(payments))
            payments.remove(target)
            same_day = draw(st.booleans())
            day = ops[target].day if same_day else max(day, ops[target].day)
            reason = draw(st.sampled_from(["nsf", "chargeback", "error", "other"]))
            ops.append(Op("reversal", day, 0, target=target, reason=reason))
        elif kind == "payment":
            payments.append(len(ops))
            ops.append(Op("payment", day, cents))
        elif kind == "fee":
            ops.append(Op("fee", day, cents, draw(st.sampled_from(["fees", "costs"]))))
        elif kind == "adjustment":
            sign = draw(st.sampled_from([1, -1]))
            ops.append(Op("adjustment", day, sign * cents, draw(st.sampled_from(COMPONENTS))))
        elif kind == "charge":
            ops.append(Op("charge", day, cents, draw(st.sampled_from(COMPONENTS))))
        else:
            ops.append(Op("interest", day))
        del i
    return ops


def new_account(principal_first: bool = False) -> Account:
    policy = (
        AllocationPolicy(payment=["principal", "interest", "fees", "costs"])
        if principal_first
        else None
    )
    return Account(
        "A", OPENED, interest=InterestTerms("0.2399"), fees=FeeRules(nsf="20"), allocation=policy
    )


def post(ops: list[Op], order: list[int], principal_first: bool = False) -> Account:
    a = new_account(principal_first)
    ids: dict[int, int] = {}
    for k in order:
        op = ops[k]
        day = OPENED + timedelta(days=op.day)
        amount = Money.from_minor(op.cents)
        ref = f"r{k:03d}"
        if op.kind == "charge":
            ids[k] = a.post_charge(amount, day, ref, component=op.component, posted_at=T0).id
        elif op.kind == "fee":
            a.post_fee(amount, day, ref, component=op.component, posted_at=T0)
        elif op.kind == "payment":
            ids[k] = a.post_payment(amount, day, ref, posted_at=T0).transaction_id or 0
        elif op.kind == "reversal":
            a.reverse(ids[op.target], op.reason, effective=day, posted_at=T0)
        elif op.kind == "interest":
            a.accrue_interest(day, posted_at=T0)
        else:
            a.post_adjustment(amount, op.component, day, ref, posted_at=T0)
    return a


def valid_order(ops: list[Op], rnd: random.Random) -> list[int]:
    """A random arrival order in which every reversal comes after its payment."""
    order = list(range(len(ops)))
    rnd.shuffle(order)
    placed: list[int] = []
    pending = order
    while pending:
        rest = []
        for k in pending:
            if ops[k].kind == "reversal" and ops[k].target not in placed:
                rest.append(k)
            else:
                placed.append(k)
        pending = rest
    return placed


IGNORED = {"id", "posted_at", "restated", "posted_amount_cents", "reverses", "reversed_by"}


def content(a: Account) -> list[dict[str, Any]]:
    rows = a.transactions.to_pylist()
    for r in rows:
        r["is_reversed"] = r["reversed_by"] is not None
    return [{k: v for k, v in r.items() if k not in IGNORED} for r in rows]


@given(histories())
def test_every_cent_is_accounted_for(ops: list[Op]) -> None:
    a = post(ops, list(range(len(ops))))
    debits = credited = 0
    for t in a.transaction_list():
        alloc = t.allocation
        assert alloc.total == abs(t.amount)
        for part in (alloc.principal, alloc.interest, alloc.fees, alloc.costs, alloc.unapplied):
            assert part.minor >= 0
        b = t.balance_after
        for part in (b.principal, b.interest, b.fees, b.costs, b.unapplied):
            assert part.minor >= 0
        if t.type in CREDITS or (t.type == "adjustment" and t.amount.minor < 0):
            credited += abs(t.amount.minor)
        else:
            debits += t.amount.minor
    assert a.balance().total.minor == debits - credited
    assert a.balance().total.minor == sum(t.balance_effect.minor for t in a.transaction_list())
    table = a.transactions
    assert int(np.asarray(table["balance_effect_cents"]).sum()) == a.balance().total.minor


@given(histories(), st.randoms(use_true_random=False))
def test_any_arrival_order_gives_the_same_ledger(ops: list[Op], rnd: random.Random) -> None:
    first = post(ops, list(range(len(ops))))
    other = post(ops, valid_order(ops, rnd))
    assert content(other) == content(first)
    assert other.balance() == first.balance()


@given(histories())
def test_a_same_day_reversal_is_as_if_the_payment_never_happened(ops: list[Op]) -> None:
    a = post(ops, list(range(len(ops))))
    dropped = {
        op.target
        for op in ops
        if op.kind == "reversal" and op.reason != "nsf" and op.day == ops[op.target].day
    }
    kept = [
        k
        for k, op in enumerate(ops)
        if k not in dropped and not (op.kind == "reversal" and op.target in dropped)
    ]
    assert post(ops, kept).balance() == a.balance()


@given(histories())
def test_the_journal_replays_to_the_same_ledger(ops: list[Op]) -> None:
    a = post(ops, list(range(len(ops))))
    back = Account.from_json(a.to_json())
    assert back == a
    assert back.transactions.to_pylist() == a.transactions.to_pylist()


@given(histories(), st.integers(0, 30))
def test_rejected_postings_change_nothing(ops: list[Op], pick: int) -> None:
    a = post(ops, list(range(len(ops))))
    before = a.to_json()
    reversed_ids = [t.id for t in a.transaction_list() if t.type == "payment" and t.reversed_by]
    attempts = [
        (lambda: a.post_payment("0", date(2025, 2, 1)), arrears.ValidationError),
        (lambda: a.post_payment("-1", date(2025, 2, 1)), arrears.ValidationError),
        (lambda: a.post_payment(Money("1", "EUR"), date(2025, 2, 1)), arrears.ValidationError),
        (lambda: a.post_payment("1", date(2024, 12, 31)), arrears.ValidationError),
        (lambda: a.reverse(len(a.entries) + 1 + pick, "nsf"), arrears.NotFoundError),
        (lambda: a.reverse(1, "nsf"), arrears.ValidationError),  # a charge
        (lambda: a.post_payment("1", date(2025, 2, 1), "r000"), None),  # maybe a duplicate
    ]
    if reversed_ids:
        attempts.append((lambda: a.reverse(reversed_ids[0], "nsf"), arrears.ConflictError))
    action, error = attempts[pick % len(attempts)]
    if error is None:
        return
    try:
        action()
    except error:
        pass
    else:
        raise AssertionError("the bad posting was accepted")
    assert a.to_json() == before


@given(
    st.lists(
        st.tuples(st.integers(0, 7), st.integers(0, 20), st.integers(1, 50_000)),
        min_size=1,
        max_size=60,
    ),
    st.lists(st.integers(0, 40_000), min_size=32, max_size=32),
    st.booleans(),
)
def test_batch_posting_matches_the_object_api(
    payments: list[tuple[int, int, int]], balances: list[int], principal_first: bool
) -> None:
    n_accounts = 8
    acct = np.array([p[0] for p in payments], dtype=np.int32)
    eff = np.array([p[1] for p in payments], dtype=np.int32) + 20089  # days since 1970
    amt = np.array([p[2] for p in payments], dtype=np.int64)
    cols = [
        np.array(balances[k * n_accounts : (k + 1) * n_accounts], dtype=np.int64) for k in range(4)
    ]
    waterfall = ["principal", "interest", "fees", "costs"] if principal_first else None
    out = post_payment_batch(acct, eff, amt, *cols, waterfall=waterfall, threads=2)
    assert out.allocations is not None
    assert (out.allocations.sum(axis=1) == amt).all()
    for a_index in range(n_accounts):
        a = new_account(principal_first)
        for k, name in enumerate(COMPONENTS):
            if cols[k][a_index] > 0:
                a.post_charge(
                    Money.from_minor(int(cols[k][a_index])), OPENED, component=name, posted_at=T0
                )
        rows = [i for i in range(len(payments)) if acct[i] == a_index]
        ids = {}
        for i in rows:
            day = date(1970, 1, 1) + timedelta(days=int(eff[i]))
            ids[i] = a.post_payment(Money.from_minor(int(amt[i])), day, f"{i:05d}", posted_at=T0)
        for i, alloc in ids.items():
            again = a.transaction(alloc.transaction_id or 0).allocation
            got = [again.principal, again.interest, again.fees, again.costs, again.unapplied]
            assert [m.minor for m in got] == out.allocations[i].tolist()
        b = a.balance()
        expected = [b.principal.minor, b.interest.minor, b.fees.minor, b.costs.minor]
        got_balance = [out.principal, out.interest, out.fees, out.costs]
        assert [int(col[a_index]) for col in got_balance] == expected
        assert out.unapplied[a_index] == b.unapplied.minor
