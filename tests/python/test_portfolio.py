"""Portfolio and aging from Python: inputs accepted and rejected, aging, bucket totals, moves."""

from __future__ import annotations

import datetime
import pickle

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import arrears
from arrears import Portfolio
from arrears.aging import Buckets, days_past_due
from arrears.portfolio import bucket_moves

AS_OF = datetime.date(2026, 11, 23)


def frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "account_id": ["A", "B", "C", "D"],
            "balance_cents": [10_000, 20_000, 30_000, 40_000],
            "oldest_unpaid_due": pd.to_datetime(["2026-11-23", "2026-10-23", None, "2026-05-01"]),
            "status": ["active", "disputed", "active", "active"],
            "score_external": [0.1, 0.5, 0.9, 0.2],
        }
    )


def test_from_pandas_and_from_arrow_agree() -> None:
    a = Portfolio.from_pandas(frame())
    b = Portfolio.from_arrow(pa.Table.from_pandas(frame(), preserve_index=False))
    assert a.age(AS_OF).to_pylist() == b.age(AS_OF).to_pylist()
    assert len(a) == 4 and "C" in a and "Z" not in a
    assert a.column_kind("status") == "category"
    assert a.column_kind("score_external") == "real"
    assert a.total_balance_cents == 100_000


def test_dict_of_columns_and_column_selection() -> None:
    p = Portfolio.from_arrow(
        {
            "account_id": ["A"],
            "balance_cents": [5],
            "oldest_unpaid_due": [None],
            "extra": [1],
            "other": ["x"],
        },
        columns=["extra"],
    )
    assert p.column_names == ["account_id", "balance_cents", "oldest_unpaid_due", "extra"]


def test_aging_as_of_past_and_present() -> None:
    p = Portfolio.from_pandas(frame())
    assert p.age(AS_OF)["dpd"].tolist() == [0, 31, 0, 206]
    assert p.age(datetime.date(2026, 11, 1))["dpd"].tolist() == [0, 9, 0, 184]
    summary = p.bucket_summary(AS_OF).to_pandas()
    assert summary["accounts"].sum() == 4
    assert summary.set_index("bucket").loc["31-60", "balance_cents"] == 20_000
    assert summary["balance_share"].sum() == pytest.approx(1.0)


def test_custom_buckets() -> None:
    p = Portfolio.from_pandas(frame())
    b = Buckets([1, 91], ["current", "early", "late"])
    assert p.age(AS_OF, b)["bucket"].tolist() == ["current", "early", "current", "late"]
    assert b.label_of(90) == "early" and len(b) == 3
    assert pickle.loads(pickle.dumps(b)) == b
    with pytest.raises(arrears.ValidationError, match="sorted"):
        Buckets([1, 61, 31])
    with pytest.raises(arrears.ValidationError, match=r"buckets\[0\]"):
        Buckets([0, 30])


def test_days_past_due_edges() -> None:
    assert days_past_due(datetime.date(2024, 2, 28), datetime.date(2024, 3, 1)) == 2
    assert days_past_due(None, AS_OF) == 0
    assert days_past_due(datetime.date(2026, 12, 1), AS_OF) == 0


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda df: df.drop(columns=["balance_cents"]), "'balance_cents' is missing"),
        (lambda df: df.assign(account_id=["A", "B", "A", "D"]), "duplicate 'A' at rows 0 and 2"),
        (lambda df: df.assign(account_id=["A", None, "C", "D"]), "null at row 1"),
        (lambda df: df.assign(balance_cents=[1.5, 2.0, 3.0, 4.0]), "'balance_cents'"),
        (lambda df: df.assign(oldest_unpaid_due=["x", "y", "z", "w"]), "'oldest_unpaid_due'"),
    ],
)
def test_bad_portfolios_name_the_column(change, message: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(arrears.ValidationError, match=message):
        Portfolio.from_pandas(change(frame()))


def test_portfolio_is_a_handle() -> None:
    with Portfolio.from_pandas(frame()) as p:
        table = p.age(AS_OF)
    with pytest.raises(arrears.ValidationError, match="closed"):
        len(p)
    assert table.num_rows == 4  # results outlive the portfolio
    with pytest.raises(TypeError):
        pickle.dumps(Portfolio.from_pandas(frame()))
    with pytest.raises(arrears.ValidationError):
        Portfolio.from_pandas([1, 2])  # type: ignore[arg-type]


def test_bucket_moves_between_snapshots() -> None:
    before = Portfolio.from_pandas(frame())
    df = frame()
    df.loc[0, "oldest_unpaid_due"] = pd.Timestamp("2026-10-01")
    df = df[df.account_id != "D"]
    after = Portfolio.from_pandas(
        pd.concat(
            [
                df,
                pd.DataFrame(
                    {
                        "account_id": ["E"],
                        "balance_cents": [1],
                        "oldest_unpaid_due": [pd.NaT],
                        "status": ["active"],
                        "score_external": [0.0],
                    }
                ),
            ]
        )
    )
    moves = bucket_moves(before, AS_OF, after, AS_OF).to_pylist()
    by_id = {m["account_id"]: m for m in moves}
    assert by_id["A"]["from_bucket"] == "current" and by_id["A"]["to_bucket"] == "31-60"
    assert by_id["D"]["to_bucket"] is None  # gone
    assert by_id["E"]["from_bucket"] is None  # new
    assert "B" not in by_id


@settings(max_examples=40)
@given(
    st.lists(
        st.tuples(st.integers(-(10**9), 10**9), st.one_of(st.none(), st.integers(-400, 400))),
        min_size=1,
        max_size=300,
    )
)
def test_bucket_summary_matches_numpy(rows: list[tuple[int, int | None]]) -> None:
    bal = np.array([r[0] for r in rows], dtype=np.int64)
    due = [None if r[1] is None else AS_OF + datetime.timedelta(days=r[1]) for r in rows]
    p = Portfolio.from_arrow(
        {
            "account_id": [f"a{i}" for i in range(len(rows))],
            "balance_cents": bal,
            "oldest_unpaid_due": due,
        }
    )
    dpd = np.array([0 if r[1] is None else max(0, -r[1]) for r in rows])
    edges = np.array([1, 31, 61, 91, 121, 181])
    bucket = np.searchsorted(edges, dpd, side="right")
    summary = p.bucket_summary(AS_OF).to_pandas()
    assert summary["accounts"].tolist() == np.bincount(bucket, minlength=7).tolist()
    sums = [int(bal[bucket == k].sum()) for k in range(7)]
    assert summary["balance_cents"].tolist() == sums


@settings(max_examples=40)
@given(
    st.lists(
        st.tuples(
            st.one_of(st.none(), st.integers(-400, 60)),  # due offset before (None: current)
            st.one_of(st.none(), st.integers(-400, 60)),  # due offset after
            st.integers(0, 10**7),
            st.booleans(),  # present after
        ),
        min_size=1,
        max_size=200,
    )
)
def test_bucket_transitions_match_pandas_crosstab(
    rows: list[tuple[int | None, int | None, int, bool]],
) -> None:
    def due(offset: int | None) -> datetime.date | None:
        return None if offset is None else AS_OF + datetime.timedelta(days=offset)

    ids = [f"a{i}" for i in range(len(rows))]
    before = Portfolio.from_arrow(
        {
            "account_id": ids,
            "balance_cents": [r[2] for r in rows],
            "oldest_unpaid_due": [due(r[0]) for r in rows],
        }
    )
    kept = [i for i, r in enumerate(rows) if r[3]]
    after = Portfolio.from_arrow(
        {
            "account_id": [ids[i] for i in kept],
            "balance_cents": [rows[i][2] + 7 for i in kept],
            "oldest_unpaid_due": [due(rows[i][1]) for i in kept],
        }
    )
    later = AS_OF + datetime.timedelta(days=30)
    got = arrears.portfolio.bucket_transitions(before, AS_OF, after, later).to_pandas()
    labels = Buckets().labels
    assert len(got) == len(labels) ** 2  # every pair, zeros included
    assert int(got["accounts"].sum()) == len(kept)
    # Reference: bucket each side with the same engine, cross-tabulate with pandas.
    b = before.age(AS_OF).to_pandas().set_index("account_id")["bucket"]
    a = after.age(later).to_pandas().set_index("account_id")["bucket"]
    bal = pd.Series([rows[i][2] + 7 for i in kept], index=[ids[i] for i in kept])
    both = pd.DataFrame(
        {"from_bucket": b.loc[a.index], "to_bucket": a, "balance_cents": bal.loc[a.index]}
    )
    ref = both.groupby(["from_bucket", "to_bucket"]).agg(
        accounts=("balance_cents", "size"), balance_cents=("balance_cents", "sum")
    )
    for (f, t), row in ref.iterrows():
        hit = got[(got.from_bucket == f) & (got.to_bucket == t)]
        assert int(hit["accounts"].iloc[0]) == row["accounts"]
        assert int(hit["balance_cents"].iloc[0]) == row["balance_cents"]
