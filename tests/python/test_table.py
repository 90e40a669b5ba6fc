"""arrears.Table: Arrow out without copies, numpy views, pandas, and Arrow in."""

from __future__ import annotations

import datetime

import numpy as np
import pyarrow as pa
import pytest

import arrears
from arrears import Portfolio, Table


@pytest.fixture
def aged() -> Table:
    p = Portfolio.from_arrow(
        pa.table(
            {
                "account_id": ["A", "B", "C"],
                "balance_cents": pa.array([100, 200, 300], pa.int64()),
                "oldest_unpaid_due": pa.array(
                    [datetime.date(2026, 11, 1), None, datetime.date(2026, 1, 1)]
                ),
            }
        )
    )
    return p.age(datetime.date(2026, 11, 23))


def test_arrow_stream_is_read_by_pyarrow(aged: Table) -> None:
    t = pa.table(aged)
    assert t.column_names == ["account_id", "dpd", "bucket"]
    assert t.column("dpd").to_pylist() == [22, 0, 326]
    assert t.schema.field("bucket").type == pa.dictionary(pa.int32(), pa.utf8())
    assert t.column("bucket").to_pylist() == ["1-30", "current", "181+"]
    assert t.column("account_id").type == pa.large_utf8()


def test_numpy_columns_are_read_only_views(aged: Table) -> None:
    dpd = aged["dpd"]
    assert dpd.dtype == np.int32
    assert not dpd.flags.writeable
    again = aged["dpd"]
    assert np.shares_memory(dpd, again)  # the same core buffer, no copy
    assert aged["bucket"].tolist() == ["1-30", "current", "181+"]


def test_pandas_and_python_forms(aged: Table) -> None:
    df = aged.to_pandas()
    assert list(df.columns) == ["account_id", "dpd", "bucket"]
    assert df["dpd"].tolist() == [22, 0, 326]
    assert aged.to_pylist()[0] == {"account_id": "A", "dpd": 22, "bucket": "1-30"}
    assert len(aged) == 3 and aged.num_rows == 3
    assert "3 rows" in repr(aged)
    assert "<table>" in aged._repr_html_()


def test_from_arrow_copies_every_supported_type() -> None:
    src = pa.table(
        {
            "i": pa.array([1, None], pa.int64()),
            "s": pa.array([1, 2], pa.int16()),
            "f": [0.5, 1.5],
            "b": [True, False],
            "d": [datetime.date(2024, 2, 29), datetime.date(1969, 12, 31)],
            "ts": pa.array(
                [datetime.datetime(2026, 1, 1, 12, tzinfo=datetime.timezone.utc), None],
                pa.timestamp("us", tz="UTC"),
            ),
            "u": ["x", "é"],
            "cat": pa.array(["a", "b"]).dictionary_encode(),
        }
    )
    t = Table.from_arrow(src)
    back = pa.table(t)
    assert back.column("i").to_pylist() == [1, None]
    assert back.column("s").to_pylist() == [1, 2]
    assert back.column("d").to_pylist() == [datetime.date(2024, 2, 29), datetime.date(1969, 12, 31)]
    assert back.column("ts").to_pylist()[0] == datetime.datetime(
        2026, 1, 1, 12, tzinfo=datetime.timezone.utc
    )
    assert back.column("u").to_pylist() == ["x", "é"]
    assert back.column("cat").to_pylist() == ["a", "b"]
    assert t.to_pydict()["b"] == [True, False]


def test_with_columns_adds_and_checks_length(aged: Table) -> None:
    t = aged.with_columns({"ok": [True, False, True]})
    assert t.column_names[-1] == "ok"
    nothing = aged.with_columns({"rule": [None, None, None]})  # Arrow's null type
    assert nothing.to_pydict()["rule"] == [None, None, None]
    with pytest.raises(arrears.ValidationError, match="ok"):
        aged.with_columns({"ok": [True]})


def test_bad_inputs_are_named() -> None:
    with pytest.raises(arrears.ValidationError, match="expected an Arrow table"):
        Table.from_arrow(42)
    with pytest.raises(arrears.ValidationError, match="not a type"):
        Table.from_arrow(pa.table({"x": pa.array([[1]], pa.list_(pa.int64()))}))
