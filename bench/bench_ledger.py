"""Ledger benchmark (issue 11): post a batch of payments over many accounts, giving each
payment's allocation (fees, costs, interest, principal, unapplied) and the new balances, against
the same job written with pandas and with numpy on the same data.

Payments are posted per account in effective-date order (input order breaks ties) by the
default waterfall fees -> costs -> interest -> principal -> unapplied credit. Four payments per
account on average (4e7 payments over 1e7 accounts at full size).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from harness import Benchmark

FIRST_DAY = 20_089  # 2025-01-01 in days since 1970-01-01
PAYMENTS_PER_ACCOUNT = 4


def setup(n: int, seed: int = 11) -> dict[str, Any]:
    rng = np.random.default_rng(seed)
    accounts = max(1, n // PAYMENTS_PER_ACCOUNT)
    return {
        "accounts": accounts,
        "account": rng.integers(0, accounts, n, dtype=np.int32),
        "effective": (FIRST_DAY + rng.integers(0, 90, n)).astype(np.int32),
        "amount": rng.integers(100, 60_000, n, dtype=np.int64),
        "principal": rng.integers(0, 500_000, accounts, dtype=np.int64),
        "interest": rng.integers(0, 20_000, accounts, dtype=np.int64),
        "fees": rng.integers(0, 10_000, accounts, dtype=np.int64),
        "costs": rng.integers(0, 5_000, accounts, dtype=np.int64),
    }


def post_arrears(d: dict[str, Any]) -> Any:
    import arrears

    r = arrears.post_payment_batch(
        d["account"], d["effective"], d["amount"],
        d["principal"], d["interest"], d["fees"], d["costs"],
        progress=False,
    )  # fmt: skip
    return r.allocations, (r.principal, r.interest, r.fees, r.costs, r.unapplied)


def post_numpy(d: dict[str, Any]) -> Any:
    """The vectorized way: sort by (account, date), running totals per account, and each
    component's share as the overlap of [paid before, paid after] with its waterfall band."""
    account, amount = d["account"], d["amount"]
    order = np.lexsort((d["effective"], account))  # stable: input order breaks ties
    acct = account[order]
    amt = amount[order]
    cum = np.cumsum(amt)
    starts = np.flatnonzero(np.r_[True, acct[1:] != acct[:-1]])
    lengths = np.diff(np.r_[starts, len(acct)])
    after = cum - np.repeat(cum[starts] - amt[starts], lengths)  # paid on the account so far
    before = after - amt
    alloc = np.empty((len(amt), 5), dtype=np.int64)
    low = np.zeros(len(amt), dtype=np.int64)
    for col, name in ((2, "fees"), (3, "costs"), (1, "interest"), (0, "principal")):
        high = low + d[name][acct]
        alloc[:, col] = np.clip(after, low, high) - np.clip(before, low, high)
        low = high
    alloc[:, 4] = amt - alloc[:, :4].sum(axis=1)
    allocations = np.empty_like(alloc)
    allocations[order] = alloc
    # New balances: each account's total paid taken through the same bands.
    paid = np.zeros(d["accounts"], dtype=np.int64)
    paid[acct[starts + lengths - 1]] = after[starts + lengths - 1]
    left = paid
    out: dict[str, np.ndarray[Any, Any]] = {}
    for name in ("fees", "costs", "interest", "principal"):
        take = np.minimum(left, d[name])
        out[name] = d[name] - take
        left = left - take
    return allocations, (out["principal"], out["interest"], out["fees"], out["costs"], left)


def post_pandas(d: dict[str, Any]) -> Any:
    """The pandas way: sort_values, groupby().cumsum(), a join for the balances, clip per band."""
    import pandas as pd

    if "payments_df" not in d:  # the frames a data team already has (built once, not timed)
        d["payments_df"] = pd.DataFrame(
            {"account": d["account"], "effective": d["effective"], "amount": d["amount"]}
        )
        d["balances_df"] = pd.DataFrame(
            {k: d[k] for k in ("principal", "interest", "fees", "costs")}
        )
    pay, bal = d["payments_df"], d["balances_df"]
    s = pay.sort_values(["account", "effective"], kind="stable")
    s["after"] = s.groupby("account", sort=False)["amount"].cumsum()
    s = s.join(bal, on="account")
    before = s["after"] - s["amount"]
    low = pd.Series(0, index=s.index, dtype="int64")
    for name in ("fees", "costs", "interest", "principal"):
        high = low + s[name]
        s["paid_" + name] = s["after"].clip(low, high) - before.clip(low, high)
        low = high
    paid_cols = ["paid_principal", "paid_interest", "paid_fees", "paid_costs"]
    s["unapplied"] = s["amount"] - s[paid_cols].sum(axis=1)
    allocations = s[[*paid_cols, "unapplied"]].sort_index().to_numpy()
    total = s.groupby("account", sort=False)["amount"].sum()
    left = total.reindex(bal.index, fill_value=0)
    out = {}
    for name in ("fees", "costs", "interest", "principal"):
        take = left.clip(upper=bal[name])
        out[name] = (bal[name] - take).to_numpy()
        left = left - take
    balances = (out["principal"], out["interest"], out["fees"], out["costs"], left.to_numpy())
    return allocations, balances


def _waterfall_totals(d: dict[str, Any], paid: Any) -> tuple[Any, ...]:
    left = paid
    out = {}
    for name in ("fees", "costs", "interest", "principal"):
        take = np.minimum(left, d[name])
        out[name] = d[name] - take
        left = left - take
    return out["principal"], out["interest"], out["fees"], out["costs"], left


def balances_arrears(d: dict[str, Any]) -> Any:
    import arrears

    r = arrears.post_payment_batch(
        d["account"], d["effective"], d["amount"],
        d["principal"], d["interest"], d["fees"], d["costs"],
        allocations=False, progress=False,
    )  # fmt: skip
    return None, (r.principal, r.interest, r.fees, r.costs, r.unapplied)


def balances_numpy(d: dict[str, Any]) -> Any:
    """Balances only: the order of an account's payments does not matter, so a per-account sum
    (bincount; float64 is exact below 2^53 cents) through the bands is enough."""
    paid = np.bincount(d["account"], weights=d["amount"], minlength=d["accounts"]).astype(np.int64)
    return None, _waterfall_totals(d, paid)


def balances_pandas(d: dict[str, Any]) -> Any:
    import pandas as pd

    if "payments_df" not in d:
        d["payments_df"] = pd.DataFrame(
            {"account": d["account"], "effective": d["effective"], "amount": d["amount"]}
        )
    paid = d["payments_df"].groupby("account")["amount"].sum()
    paid = paid.reindex(pd.RangeIndex(d["accounts"]), fill_value=0).to_numpy()
    return None, _waterfall_totals(d, paid)


def same_postings(result: Any, base: Any) -> None:
    alloc, balances = result
    base_alloc, base_balances = base
    if alloc is not None and not np.array_equal(np.asarray(alloc), np.asarray(base_alloc)):
        rows = np.flatnonzero((np.asarray(alloc) != np.asarray(base_alloc)).any(axis=1))
        raise AssertionError(f"allocations differ in {len(rows)} rows, first {rows[:5].tolist()}")
    for name, x, y in zip(
        ("principal", "interest", "fees", "costs", "unapplied"),
        balances,
        base_balances,
        strict=True,
    ):
        if not np.array_equal(np.asarray(x), np.asarray(y)):
            raise AssertionError(f"{name} balances differ")


BENCHMARKS = [
    Benchmark(
        name="post_payments",
        setup=setup,
        variants={"arrears": post_arrears, "numpy": post_numpy, "pandas": post_pandas},
        sizes=(400_000, 4_000_000, 40_000_000),
        quick_sizes=(400_000,),
        unit="payments",
        repeat=3,
        description="Post payments (4 per account on average) through the waterfall fees, costs, "
        "interest, principal: each payment's allocation in input order and every account's new "
        "balances. arrears: `arrears.post_payment_batch(account, effective, amount, principal, "
        "interest, fees, costs)` (numpy columns in, GIL released, both cores).",
        targets="4e7 payments over 1e7 accounts: >= 40x pandas, >= 5x numpy, peak < 3 GB",
        check=same_postings,
    ),
    Benchmark(
        name="post_payments_balances_only",
        setup=setup,
        variants={"arrears": balances_arrears, "numpy": balances_numpy, "pandas": balances_pandas},
        sizes=(400_000, 4_000_000, 40_000_000),
        quick_sizes=(400_000,),
        unit="payments",
        repeat=3,
        description="The same batch when only the new balances are wanted (no per-payment "
        "allocation): payment order no longer matters, so every variant sums per account. "
        "arrears: `post_payment_batch(..., allocations=False)`.",
        targets="(no target in the issue; shown for comparison)",
        check=same_postings,
    ),
]
