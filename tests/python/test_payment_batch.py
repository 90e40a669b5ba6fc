"""arrears.post_payment_batch: numpy columns in, balances and allocations out, the same
allocation as Account.post_payment, validation before any write."""

from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Any

import numpy as np
import pytest

import arrears
from arrears import Account, Money
from arrears.ledger import ALLOCATION_COLUMNS, AllocationPolicy, PaymentBatchResult

T0 = datetime(2026, 1, 1, tzinfo=timezone.utc)


def columns(n_accounts: int = 3) -> dict[str, Any]:
    return {
        "account": np.array([0, 1, 0, 2, 0], dtype=np.int32),
        "effective": np.array(
            ["2025-02-03", "2025-02-01", "2025-02-01", "2025-02-01", "2025-02-02"],
            dtype="datetime64[D]",
        ),
        "amount": np.array([5000, 700, 1500, 100, 3000], dtype=np.int64),
        "principal": np.array([10000, 500, 0], dtype=np.int64)[:n_accounts],
        "interest": np.array([1000, 0, 0], dtype=np.int64)[:n_accounts],
        "fees": np.array([2000, 100, 0], dtype=np.int64)[:n_accounts],
        "costs": np.array([500, 0, 0], dtype=np.int64)[:n_accounts],
    }


def post(c: dict[str, Any], **kwargs: Any) -> PaymentBatchResult:
    return arrears.post_payment_batch(
        c["account"], c["effective"], c["amount"],
        c["principal"], c["interest"], c["fees"], c["costs"], **kwargs,
    )  # fmt: skip


def test_allocations_in_input_order_and_new_balances() -> None:
    r = post(columns())
    assert ALLOCATION_COLUMNS == ("principal", "interest", "fees", "costs", "unapplied")
    assert r.allocations is not None
    # account 0 owes fees 2000, costs 500, interest 1000, principal 10000 and pays on 02-01
    # (1500), 02-02 (3000), 02-03 (5000), whatever the input order
    assert r.allocations.tolist() == [
        [5000, 0, 0, 0, 0],  # row 0 (02-03): principal
        [500, 0, 100, 0, 100],  # row 1, account 1 owes 600 and pays 700
        [0, 0, 1500, 0, 0],  # row 2 (02-01): fees first
        [0, 0, 0, 0, 100],  # row 3, account 2 owes nothing
        [1000, 1000, 500, 500, 0],  # row 4 (02-02): fees, costs, interest, principal
    ]
    assert (r.allocations.sum(axis=1) == columns()["amount"]).all()
    assert r.principal.tolist() == [4000, 0, 0]
    assert r.unapplied.tolist() == [0, 100, 100]
    assert r.allocations.dtype == np.int64 and r.allocations.shape == (5, 5)


def test_same_allocation_as_the_object_api() -> None:
    c = columns()
    r = post(c, threads=2)
    a = Account("A", date(2025, 1, 1))
    for name in ("principal", "interest", "fees", "costs"):
        a.post_charge(
            Money.from_minor(int(c[name][0])), date(2025, 1, 1), component=name, posted_at=T0
        )
    got = {}
    for i in (0, 2, 4):
        d = c["effective"][i].astype(object)
        got[i] = a.post_payment(Money.from_minor(int(c["amount"][i])), d, f"{i}", posted_at=T0)
    for i, alloc in got.items():
        again = a.transaction(alloc.transaction_id or 0).allocation
        parts = [again.principal, again.interest, again.fees, again.costs, again.unapplied]
        assert [m.minor for m in parts] == r.allocations[i].tolist()  # type: ignore[index]


def test_date_and_index_types() -> None:
    c = columns()
    base = post(c)
    days = (c["effective"] - np.datetime64("1970-01-01", "D")).astype(np.int64)
    for eff in (days, days.astype(np.int32), c["effective"].astype("datetime64[ns]"),
                c["effective"].astype("datetime64[s]") + np.timedelta64(3600, "s")):  # fmt: skip
        r = post({**c, "effective": eff, "account": c["account"].astype(np.int64)})
        assert np.array_equal(r.allocations, base.allocations)  # type: ignore[arg-type]


def test_balances_only_and_in_place() -> None:
    c = columns()
    full = post(c)
    quick = post(c, allocations=False)
    assert quick.allocations is None
    for k in ("principal", "interest", "fees", "costs", "unapplied"):
        assert np.array_equal(getattr(quick, k), getattr(full, k))
    mine = {k: v.copy() for k, v in c.items()}
    r = post(mine, in_place=True)
    assert r.principal is mine["principal"]
    assert mine["fees"].tolist() == full.fees.tolist()
    assert c["fees"].tolist() == [2000, 100, 0]  # the copy-mode input was not touched


def test_unapplied_in_and_per_account_rules() -> None:
    c = columns()
    r = post(
        c,
        unapplied=np.array([7, 0, 0], dtype=np.int64),
        rules=[AllocationPolicy(), ["principal", "interest", "fees", "costs"]],
        account_rule=np.array([1, 0, 0], dtype=np.uint8),
    )
    assert r.allocations is not None
    assert r.allocations[2].tolist() == [1500, 0, 0, 0, 0]  # account 0: principal first
    assert r.unapplied.tolist() == [7, 100, 100]


def test_progress_callback_sees_the_end() -> None:
    seen: list[tuple[int, int]] = []
    post(columns(), progress=lambda done, total: seen.append((done, total)))
    assert seen and seen[-1][0] == seen[-1][1] == 5 + 3


@pytest.mark.parametrize(
    ("change", "match"),
    [
        ({"amount": np.array([5000, 700, 0, 100, 3000], dtype=np.int64)}, r"amount\[2\]: 0"),
        ({"amount": np.array([50.0, 7, 15, 1, 30])}, "money is never a float"),
        (
            {"account": np.array([0, 1, 3, 2, 0], dtype=np.int32)},
            r"account\[2\]: 3 is out of range",
        ),
        ({"account": np.array([0.0, 1, 0, 2, 0])}, "account: expected int32 or int64"),
        (
            {
                "effective": np.array(
                    ["2025-02-03", "NaT", "2025-02-01", "2025-02-01", "2025-02-02"],
                    dtype="datetime64[D]",
                )
            },
            r"effective\[1\]: NaT",
        ),
        ({"fees": np.array([2000, -1, 0], dtype=np.int64)}, r"fees\[1\]: -1 is a negative balance"),
        ({"costs": np.array([1, 2], dtype=np.int64)}, "costs: 2 elements, expected 3"),
        ({"amount": np.array([1, 2], dtype=np.int64)}, "amount: 2 elements, expected 5"),
        ({"amount": [1, 2, 3, 4, 5]}, "expected a numpy array"),
    ],
)
def test_bad_columns_name_the_column_and_row(change: dict[str, Any], match: str) -> None:
    c = columns()
    with pytest.raises(arrears.ValidationError, match=match):
        post({**c, **change})


def test_nothing_is_written_in_place_when_a_row_is_bad() -> None:
    c = {k: v.copy() for k, v in columns().items()}
    c["amount"][4] = -3
    before = {k: v.copy() for k, v in c.items()}
    with pytest.raises(arrears.ValidationError, match=r"amount\[4\]"):
        post(c, in_place=True)
    for k in before:
        assert np.array_equal(c[k], before[k])
    frozen = columns()
    frozen["principal"].setflags(write=False)
    with pytest.raises(arrears.ValidationError, match="read-only"):
        post(frozen, in_place=True)


def test_rule_arguments_are_checked() -> None:
    with pytest.raises(arrears.ValidationError, match="give one or the other"):
        post(columns(), waterfall=["fees"], rules=[AllocationPolicy()])
    with pytest.raises(arrears.ValidationError, match="appears twice"):
        post(columns(), waterfall=["fees", "fees", "interest", "principal"])
    with pytest.raises(arrears.ValidationError, match=r"account_rule\[0\]: 3 is out of range"):
        post(
            columns(), rules=[AllocationPolicy()], account_rule=np.array([3, 0, 0], dtype=np.uint8)
        )
    with pytest.raises(arrears.ValidationError, match="needs rules"):
        post(columns(), account_rule=np.array([0, 0, 0], dtype=np.uint8))
