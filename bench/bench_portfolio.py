"""Portfolio engine benchmarks (issue 4): aging + bucket totals, and scoring + a top-10%
worklist, against the same job written with pandas and with numpy on the same data."""

from __future__ import annotations

import datetime
from typing import Any

import numpy as np

from harness import Benchmark

AS_OF = datetime.date(2026, 11, 23)
AS_OF_DAYS = (AS_OF - datetime.date(1970, 1, 1)).days
EDGES = np.array([1, 31, 61, 91, 121, 181])
STRATEGY = {
    "name": "bench",
    "factors": [
        {"column": "dpd", "weight": 50, "cap": 180},
        {"column": "balance_cents", "weight": 30, "cap": 500_000},
        {"column": "days_since_last_payment", "weight": 20, "cap": 365, "null_value": 1},
    ],
    "segments": [{"name": "all", "treatment": {"type": "call", "queue": "all"}}],
}


def generate(n: int, seed: int = 7) -> dict[str, Any]:
    rng = np.random.default_rng(seed)
    balance = rng.integers(0, 1_000_000, n, dtype=np.int64)
    due_days = (AS_OF_DAYS - rng.integers(-30, 400, n)).astype(np.int32)
    due_valid = rng.random(n) > 0.2
    last_pay = (AS_OF_DAYS - rng.integers(0, 700, n)).astype(np.int32)
    last_pay_valid = rng.random(n) > 0.3
    ids = np.char.add("A", np.arange(n).astype("U10"))
    return {
        "ids": ids,
        "balance": balance,
        "due_days": due_days,
        "due_valid": due_valid,
        "last_pay": last_pay,
        "last_pay_valid": last_pay_valid,
    }


def arrow_table(d: dict[str, Any]) -> Any:
    import pyarrow as pa

    return pa.table(
        {
            "account_id": pa.array(d["ids"].astype(object), pa.large_utf8()),
            "balance_cents": pa.array(d["balance"]),
            "oldest_unpaid_due": pa.array(d["due_days"], pa.date32(), mask=~d["due_valid"]),
            "last_payment_date": pa.array(d["last_pay"], pa.date32(), mask=~d["last_pay_valid"]),
        }
    )


def setup(n: int) -> dict[str, Any]:
    import pandas as pd

    import arrears

    d = generate(n)
    d["portfolio"] = arrears.Portfolio.from_arrow(arrow_table(d))
    d["strategy"] = arrears.Strategy.from_dict(STRATEGY)
    d["df"] = pd.DataFrame(
        {
            "account_id": d["ids"],
            "balance_cents": d["balance"],
            "oldest_unpaid_due": pd.Series(d["due_days"].astype("datetime64[D]")).where(
                d["due_valid"]
            ),
            "last_payment_date": pd.Series(d["last_pay"].astype("datetime64[D]")).where(
                d["last_pay_valid"]
            ),
        }
    )
    return d


# -- aging + bucket totals ---------------------------------------------------------------------


def aging_arrears(d: dict[str, Any]) -> Any:
    t = d["portfolio"].bucket_summary(AS_OF)
    return t["accounts"].tolist(), t["balance_cents"].tolist()


def aging_numpy(d: dict[str, Any]) -> Any:
    dpd = np.where(d["due_valid"], np.maximum(AS_OF_DAYS - d["due_days"], 0), 0)
    bucket = np.searchsorted(EDGES, dpd, side="right")
    counts = np.bincount(bucket, minlength=7)
    # exact integer sums (bincount's weights are float64 and lose cents at scale)
    order = np.argsort(bucket, kind="stable")
    sums = np.add.reduceat(d["balance"][order], np.searchsorted(bucket[order], np.arange(7)))
    sums[counts == 0] = 0
    return counts.tolist(), sums.tolist()


def aging_pandas(d: dict[str, Any]) -> Any:
    import pandas as pd

    df = d["df"]
    dpd = (pd.Timestamp(AS_OF) - df["oldest_unpaid_due"]).dt.days.fillna(0).clip(lower=0)
    bucket = pd.cut(dpd, bins=[-1, 0, 30, 60, 90, 120, 180, np.inf], labels=False)
    g = df["balance_cents"].groupby(bucket).agg(["count", "sum"]).reindex(range(7), fill_value=0)
    return g["count"].tolist(), g["sum"].tolist()


def same_totals(result: Any, base: Any) -> None:
    if [list(map(int, x)) for x in result] != [list(map(int, x)) for x in base]:
        raise AssertionError(f"{result} != {base}")


# -- scoring + top-10% worklist ----------------------------------------------------------------


def worklist_arrears(d: dict[str, Any]) -> Any:
    t = d["strategy"].worklist(d["portfolio"], AS_OF, top_percent=10)
    return t["account_id"]


def _scores_numpy(d: dict[str, Any]) -> np.ndarray:
    dpd = np.where(d["due_valid"], np.maximum(AS_OF_DAYS - d["due_days"], 0), 0)
    since = AS_OF_DAYS - d["last_pay"]
    f_dpd = np.minimum(dpd, 180) / 180
    f_bal = np.minimum(np.maximum(d["balance"], 0), 500_000) / 500_000
    f_pay = np.where(d["last_pay_valid"], np.minimum(np.maximum(since, 0), 365) / 365, 1.0)
    return 50 * f_dpd + 30 * f_bal + 20 * f_pay, dpd


def worklist_numpy(d: dict[str, Any]) -> Any:
    score, dpd = _scores_numpy(d)
    k = -(-len(score) // 10)
    # The k-th best score, then every row at or above it (ties at the cut need the full
    # tie-break: dpd, balance, id), ordered, cut to k.
    kth = -np.partition(-score, k - 1)[k - 1]
    cand = np.flatnonzero(score >= kth)
    order = np.lexsort((d["ids"][cand], -d["balance"][cand], -dpd[cand], -score[cand]))
    return d["ids"][cand[order[:k]]]


def worklist_pandas(d: dict[str, Any]) -> Any:
    import pandas as pd

    df = d["df"]
    as_of = pd.Timestamp(AS_OF)
    dpd = (as_of - df["oldest_unpaid_due"]).dt.days.fillna(0).clip(lower=0)
    since = (as_of - df["last_payment_date"]).dt.days
    score = (
        50 * dpd.clip(upper=180) / 180
        + 30 * df["balance_cents"].clip(0, 500_000) / 500_000
        + 20 * (since.clip(0, 365) / 365).fillna(1.0)
    )
    k = -(-len(df) // 10)
    out = df.assign(score=score, dpd=dpd).sort_values(
        ["score", "dpd", "balance_cents", "account_id"], ascending=[False, False, False, True]
    )
    return out["account_id"].to_numpy()[:k]


def same_ids(result: Any, base: Any) -> None:
    a, b = list(map(str, result)), list(map(str, base))
    if a != b:
        first = next(i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y)
        raise AssertionError(f"worklists differ at rank {first + 1} ({len(a)} vs {len(b)} rows)")


BENCHMARKS = [
    Benchmark(
        name="aging_bucket_totals",
        setup=setup,
        variants={"arrears": aging_arrears, "numpy": aging_numpy, "pandas": aging_pandas},
        sizes=(100_000, 1_000_000, 10_000_000),
        quick_sizes=(100_000,),
        unit="accounts",
        description="Days past due and bucket (current, 1-30 ... 181+) for every account, then "
        "count and exact balance per bucket. arrears: `portfolio.bucket_summary(as_of)`.",
        targets="1e7 accounts <= 50 ms and >= 10x numpy",
        check=same_totals,
    ),
    Benchmark(
        name="scoring_top10_worklist",
        setup=setup,
        variants={"arrears": worklist_arrears, "numpy": worklist_numpy, "pandas": worklist_pandas},
        sizes=(100_000, 1_000_000, 10_000_000),
        quick_sizes=(100_000,),
        unit="accounts",
        description="Three weighted, capped factors (dpd, balance, days since last payment) "
        "scored for every account, then the top 10% ordered by score, dpd, balance, id. "
        "arrears: `strategy.worklist(portfolio, as_of, top_percent=10)` (a full table out).",
        targets="1e7: >= 20x pandas and >= 2x numpy",
        check=same_ids,
    ),
]
