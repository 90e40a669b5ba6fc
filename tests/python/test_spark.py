"""arrears.spark on a real local Spark (local[2]): every result equals the single-machine result,
row by row and type for type. The pickling tests at the top need no Spark."""

from __future__ import annotations

import dataclasses
import datetime as dt
import importlib.util
import itertools
import os
import pickle
import shutil
import sys
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import arrears
from arrears import Money, Strategy
from arrears.aging import Buckets
from arrears.compliance import Consumer, ContactPolicy
from arrears.errors import ValidationError
from arrears.letters import (
    Address,
    Campaign,
    CollectorProfile,
    Itemization,
    LetterAccount,
    LetterRecipient,
    Template,
    builtin_template,
    letter_columns,
)
from arrears.plans import PlanRules, installment_plan, installment_schedule, installment_schedules

# pyspark 4 warns about pandas 3 on every Arrow job; arrears.spark does not go through pandas.
pytestmark = pytest.mark.filterwarnings(
    "ignore:PySpark does not yet fully support pandas:FutureWarning"
)

AS_OF = dt.date(2026, 11, 23)
SENT = dt.date(2026, 5, 4)

STRATEGY: dict[str, Any] = {
    "name": "collections-2026",
    "seed": "2026Q4",
    "buckets": [1, 31, 61, 91, 121, 181],
    "factors": [
        {"column": "dpd", "weight": 50, "cap": 180},
        {"column": "balance_cents", "weight": 30, "cap": 500000, "transform": "log"},
        {"column": "days_since_last_payment", "weight": 20, "cap": 365, "null_value": 1},
        {"column": "broken_promises", "weight": 10, "cap": 3},
    ],
    "exclusions": [
        "disputed",
        "cease",
        {"reason": "recalled", "when": {"column": "status", "==": "recalled"}},
    ],
    "segments": [
        {
            "name": "early_high",
            "when": {
                "all": [
                    {"column": "dpd", "between": [1, 30]},
                    {"column": "balance_cents", ">=": 100000},
                ]
            },
            "treatment": {"type": "call", "queue": "early"},
        },
        {
            "name": "late",
            "when": {"column": "bucket", "in": ["91-120", "121-180", "181+"]},
            "treatment": {"type": "call", "queue": "late"},
        },
        {"name": "rest", "treatment": {"type": "letter", "template": "reminder"}},
    ],
    "arms": [
        {"name": "champion", "percent": 80},
        {
            "name": "challenger",
            "percent": 20,
            "factors": [{"column": "balance_cents", "weight": 1, "cap": 1000000}],
        },
    ],
}


def collector() -> CollectorProfile:
    return CollectorProfile(
        "North South Group",
        Address("1234 Main Street", "Suite 100", "Anytown", "MA", "02110"),
        "(800) 123-4567",
        hours="from 8am to 8pm EST, Monday to Saturday",
        website="www.example.com",
        dispute_url="www.example.com/dispute",
        original_creditor_url="www.example.com/request",
        email="letters@example.com",
    )


# -- value types travel to workers by pickle (no Spark needed) -------------------------------------


def test_the_values_workers_need_pickle_and_compare_equal() -> None:
    rules = PlanRules(grace_days=3)
    values: list[Any] = [
        Strategy.from_dict(STRATEGY),
        Buckets([1, 31, 61], ["ok", "late", "later", "worst"]),
        Money("12.34", "USD"),
        rules,
        installment_schedule("1000.00", 12, dt.date(2026, 2, 1), annual_rate="0.12"),
        installment_plan(
            "300.00", plan_date=dt.date(2026, 1, 15), first_due=dt.date(2026, 2, 1), count=3
        ),
        builtin_template("validation_notice", "es", "text"),
        Template("{{disclosure}} {{x}}", partials={"p": "y"}),
        collector(),
        ContactPolicy.for_state("MA"),
        Consumer("C1", time_zones=["America/Chicago"], state="WA", cease=["D1"]),
    ]
    for v in values:
        back = pickle.loads(pickle.dumps(v))
        assert back == v and type(back) is type(v)
        assert hash(back) == hash(v)


def test_a_pickled_strategy_scores_like_the_original() -> None:
    import pyarrow as pa

    s = Strategy.from_dict(STRATEGY)
    t = pa.table(portfolio_columns(200))
    with arrears.Portfolio.from_arrow(t) as p:
        a = s.apply(p, AS_OF, progress=False).to_pylist()
        b = pickle.loads(pickle.dumps(s)).apply(p, AS_OF, progress=False).to_pylist()
    assert a == b


# -- the per-batch jobs, combined without Spark, for any split into batches -----------------------


@settings(max_examples=40, deadline=None)
@given(
    cuts=st.lists(st.integers(0, 600), max_size=6),
    top_n=st.integers(1, 80),
    seed=st.integers(0, 2**16),
)
def test_per_batch_top_n_then_a_global_sort_is_the_core_worklist(
    cuts: list[int], top_n: int, seed: int
) -> None:
    """The claim the Spark worklist rests on: each batch's own top N per queue, merged and
    sorted by the worklist order, cut to N, is the whole portfolio's worklist."""
    import pyarrow as pa

    from arrears.spark import _columns_of, _run_worklist_top_n, _WorklistJob

    t = pa.table(portfolio_columns(600, seed))
    s = Strategy.from_dict(STRATEGY)
    job = _WorklistJob(s, AS_OF, (), top_n, None)
    bounds = [0, *sorted(cuts), t.num_rows]
    batches = [
        t.slice(lo, hi - lo).to_batches()[0] for lo, hi in itertools.pairwise(bounds) if hi > lo
    ]
    cols = _columns_of(job(t.slice(0, 0)), drop=("rank",))
    # two "partitions": the first batches and the rest, each folded to its own top N
    half = len(batches) // 2
    merged: list[dict[str, Any]] = []
    for part in (batches[:half], batches[half:]):
        for b in _run_worklist_top_n(job, cols, top_n, part):
            merged += b.to_pylist()
    merged.sort(
        key=lambda r: (r["_queue"], -r["score"], -r["dpd"], -r["balance_cents"], r["account_id"])
    )
    got = []
    for q in sorted({r["_queue"] for r in merged}):
        block = [r for r in merged if r["_queue"] == q][:top_n]
        for rank, r in enumerate(block, 1):
            got.append(
                {
                    "queue": r["queue"],
                    "rank": rank,
                    **{k: v for k, v in r.items() if k not in ("queue", "rank", "_queue")},
                }
            )
    with arrears.Portfolio.from_arrow(t) as p:
        want = s.worklist(p, AS_OF, top_n=top_n, progress=False).to_pylist()
    same_rows(got, want)


@settings(max_examples=40, deadline=None)
@given(cuts=st.lists(st.integers(0, 500), max_size=6), seed=st.integers(0, 2**16))
def test_bucket_totals_from_any_batches_equal_bucket_summary(cuts: list[int], seed: int) -> None:
    import pyarrow as pa

    from arrears.spark import _BucketPartsJob, _BucketTotalsJob

    t = pa.table(portfolio_columns(500, seed))
    buckets = arrears.aging.DEFAULT_BUCKETS
    parts = _BucketPartsJob(AS_OF, buckets)
    bounds = [0, *sorted(cuts), t.num_rows]
    pieces = [
        pa.table(parts(t.slice(lo, hi - lo).to_batches()[0]))
        for lo, hi in itertools.pairwise(bounds)
        if hi > lo
    ]
    got = pa.table(_BucketTotalsJob(buckets)(pa.concat_tables(pieces))).to_pylist()
    with arrears.Portfolio.from_arrow(t) as p:
        want = p.bucket_summary(AS_OF).to_pylist()
    same_rows(got, want)


# -- data ------------------------------------------------------------------------------------------


def portfolio_columns(n: int, seed: int = 11) -> dict[str, Any]:
    """A small generated portfolio with the columns the strategy reads, nulls included."""
    import pyarrow as pa

    rng = np.random.default_rng(seed)
    epoch = dt.date(1970, 1, 1)
    today = (AS_OF - epoch).days
    due = today - rng.integers(-20, 400, n)
    due_ok = rng.random(n) > 0.15
    last_pay = today - rng.integers(0, 800, n)
    last_ok = rng.random(n) > 0.3
    balance = rng.integers(-5_000, 900_000, n)
    balance[::97] = 250_000  # ties on balance
    status = rng.choice(["open", "open", "open", "recalled", "payment_plan"], n)
    return {
        "account_id": pa.array([f"A{i:05d}" for i in rng.permutation(n)], pa.string()),
        "balance_cents": pa.array(balance, pa.int64()),
        "oldest_unpaid_due": pa.array(due.astype(np.int32), pa.date32(), mask=~due_ok),
        "last_payment_date": pa.array(last_pay.astype(np.int32), pa.date32(), mask=~last_ok),
        "broken_promises": pa.array(rng.integers(0, 5, n).astype(np.int32), pa.int32()),
        "status": pa.array(status, pa.string()),
        "disputed": pa.array(rng.random(n) < 0.03, pa.bool_()),
        "cease": pa.array(rng.random(n) < 0.02, pa.bool_()),
    }


# -- Spark -----------------------------------------------------------------------------------------

HAVE_SPARK = importlib.util.find_spec("pyspark") is not None and shutil.which("java") is not None
needs_spark = pytest.mark.skipif(not HAVE_SPARK, reason="pyspark (arrears[spark]) or Java missing")


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    if not HAVE_SPARK:
        pytest.skip("pyspark (arrears[spark]) or Java missing")
    os.environ["PYSPARK_PYTHON"] = sys.executable
    os.environ["PYSPARK_DRIVER_PYTHON"] = sys.executable
    from pyspark.sql import SparkSession

    session = (
        SparkSession.builder.master("local[2]")
        .appName("arrears-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.sql.session.timeZone", "UTC")
        # Small batches, so every job crosses several Arrow batches and partitions.
        .config("spark.sql.execution.arrow.maxRecordsPerBatch", "300")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


N = 2_000


@pytest.fixture(scope="module")
def local_table() -> Any:
    import pyarrow as pa

    return pa.table(portfolio_columns(N))


@pytest.fixture(scope="module")
def frame(spark: Any, local_table: Any) -> Any:
    from pyspark.sql.pandas.types import from_arrow_schema

    schema = from_arrow_schema(local_table.schema)
    return spark.createDataFrame(local_table.to_pylist(), schema).repartition(3)


def same_rows(got: list[dict[str, Any]], want: list[dict[str, Any]]) -> None:
    """Equal row by row: the same columns in the same order, the same Python types, the same
    values (floats to the last bit)."""
    assert len(got) == len(want)
    for i, (g, w) in enumerate(zip(got, want, strict=True)):
        assert list(g) == list(w), f"row {i}: columns {list(g)} != {list(w)}"
        for k in w:
            a, b = g[k], w[k]
            assert type(a) is type(b), f"row {i} {k}: {type(a).__name__} != {type(b).__name__}"
            if isinstance(a, float):
                assert a.hex() == b.hex(), f"row {i} {k}: {a!r} != {b!r}"
            else:
                assert a == b, f"row {i} {k}: {a!r} != {b!r}"


def rows(df: Any, key: str | None = None) -> list[dict[str, Any]]:
    out = [r.asDict() for r in df.collect()]
    return sorted(out, key=lambda r: r[key]) if key else out


def by(rows_: list[dict[str, Any]], key: str) -> list[dict[str, Any]]:
    return sorted(rows_, key=lambda r: r[key])


@needs_spark
@pytest.mark.spark
def test_aging_equals_the_single_machine_result(frame: Any, local_table: Any) -> None:
    from arrears import spark as asp

    got = asp.age(frame, AS_OF)
    assert got.schema.simpleString() == "struct<account_id:string,dpd:int,bucket:string>"
    with arrears.Portfolio.from_arrow(local_table) as p:
        want = p.age(AS_OF).to_pylist()
    same_rows(rows(got, "account_id"), by(want, "account_id"))
    buckets = Buckets([1, 61, 121], ["current", "early", "middle", "late"])
    with arrears.Portfolio.from_arrow(local_table) as p:
        want = p.age(dt.date(2026, 1, 5), buckets).to_pylist()
    same_rows(
        rows(asp.age(frame, dt.date(2026, 1, 5), buckets), "account_id"), by(want, "account_id")
    )


@needs_spark
@pytest.mark.spark
def test_bucket_totals_equal_bucket_summary(spark: Any, frame: Any, local_table: Any) -> None:
    from arrears import spark as asp

    with arrears.Portfolio.from_arrow(local_table) as p:
        want = p.bucket_summary(AS_OF).to_pylist()
    got = asp.bucket_totals(frame, AS_OF)
    assert list(asp.BUCKET_TOTALS_COLUMNS) == got.columns
    same_rows(rows(got), want)
    with arrears.Portfolio.from_arrow(local_table) as p:
        want = p.bucket_summary(AS_OF, Buckets([10, 100])).to_pylist()
    same_rows(rows(asp.bucket_totals(frame, AS_OF, [10, 100])), want)
    with pytest.raises(ValidationError, match="buckets"):
        asp.bucket_totals(frame, AS_OF, "1,31")  # type: ignore[arg-type]
    # An empty DataFrame still has every bucket, with zeros.
    empty = asp.bucket_totals(frame.limit(0), AS_OF).collect()
    assert [r.bucket for r in empty] == list(arrears.aging.DEFAULT_BUCKETS.labels)
    assert {(r.accounts, r.balance_cents, r.balance_share) for r in empty} == {(0, 0, 0.0)}


@needs_spark
@pytest.mark.spark
def test_scoring_equals_strategy_apply(frame: Any, local_table: Any) -> None:
    from arrears import spark as asp

    s = Strategy.from_dict(STRATEGY)
    got = asp.score(frame, s, AS_OF)
    with arrears.Portfolio.from_arrow(local_table) as p:
        want = s.apply(p, AS_OF, progress=False).to_pylist()
    got_rows = rows(got, "account_id")
    same_rows(got_rows, by(want, "account_id"))
    # both arms, exclusions and nulls in the parts are exercised
    assert {r["arm"] for r in got_rows} == {"champion", "challenger"}
    assert {r["exclusion"] for r in got_rows} >= {None, "disputed", "recalled"}
    assert any(r["part_broken_promises"] is None for r in got_rows)
    # a strategy given as a dict or JSON text is the same strategy
    same_rows(rows(asp.score(frame, STRATEGY, AS_OF), "account_id"), got_rows)


@needs_spark
@pytest.mark.spark
@pytest.mark.parametrize(
    "options",
    [
        {},
        {"top_n": 25},
        {"top_percent": 10},
        {"top_percent": 33.3, "top_n": 40},
        {"queues": ["late"], "top_n": 7},
        {"queues": "early"},
    ],
    ids=["all", "top_n", "top_percent", "both", "one_queue", "queue_as_str"],
)
def test_worklists_equal_strategy_worklist(
    frame: Any, local_table: Any, options: dict[str, Any]
) -> None:
    from arrears import spark as asp

    s = Strategy.from_dict(STRATEGY)
    got = asp.worklist(frame, s, AS_OF, **options)
    with arrears.Portfolio.from_arrow(local_table) as p:
        want = s.worklist(p, AS_OF, progress=False, **options).to_pylist()
    assert want, "the fixture must put accounts on the worklist"
    same_rows(rows(got), want)


@needs_spark
@pytest.mark.spark
def test_worklist_ties_are_settled_like_the_core(spark: Any) -> None:
    """Equal scores, dpd and balances: the account id decides, bytewise (uppercase first)."""
    import pyarrow as pa
    from pyspark.sql.pandas.types import from_arrow_schema

    from arrears import spark as asp

    n = 400
    ids = [f"{'ab'[i % 2]}{'XY'[i % 3 % 2]}{i:04d}" for i in range(n)]
    t = pa.table(
        {
            "account_id": ids,
            "balance_cents": pa.array([1000 * (i % 3) for i in range(n)], pa.int64()),
            "oldest_unpaid_due": pa.array([AS_OF - dt.timedelta(days=100)] * n, pa.date32()),
        }
    )
    strategy = {
        "name": "ties",
        "factors": [{"column": "dpd", "weight": 1, "cap": 10}],
        "segments": [{"name": "all", "treatment": {"type": "call", "queue": "q"}}],
    }
    df = spark.createDataFrame(t.to_pylist(), from_arrow_schema(t.schema)).repartition(4)
    with arrears.Portfolio.from_arrow(t) as p:
        want = Strategy.from_dict(strategy).worklist(p, AS_OF, top_n=150, progress=False)
    same_rows(rows(asp.worklist(df, strategy, AS_OF, top_n=150)), want.to_pylist())


@needs_spark
@pytest.mark.spark
def test_bad_inputs_are_refused_on_the_driver(frame: Any) -> None:
    from arrears import spark as asp

    with pytest.raises(ValidationError, match="no column 'oldest_unpaid_due'"):
        asp.age(frame.drop("oldest_unpaid_due"), AS_OF)
    with pytest.raises(ValidationError, match="as_of"):
        asp.age(frame, dt.datetime(2026, 1, 1))  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="Spark DataFrame"):
        asp.age({"account_id": ["A"]}, AS_OF)
    bad = {**STRATEGY, "factors": [{"column": "fico", "weight": 1, "cap": 850}]}
    with pytest.raises(ValidationError, match=r"\$\.factors\[0\]\.column.*fico"):
        asp.score(frame, bad, AS_OF)
    with pytest.raises(ValidationError, match="no column 'broken_promises'"):
        asp.score(frame.drop("broken_promises"), STRATEGY, AS_OF)
    with pytest.raises(ValidationError, match="feeds queue 'nope'"):
        asp.worklist(frame, STRATEGY, AS_OF, queues=["nope"])
    with pytest.raises(ValidationError, match="top_percent"):
        asp.worklist(frame, STRATEGY, AS_OF, top_percent=0)
    with pytest.raises(ValidationError, match="top_n"):
        asp.worklist(frame, STRATEGY, AS_OF, top_n=0)
    with pytest.raises(ValidationError, match="columns: no column 'fico'"):
        asp.score(frame, STRATEGY, AS_OF, columns=["fico"])


@needs_spark
@pytest.mark.spark
def test_a_duplicate_id_in_a_batch_fails_the_job_with_the_core_message(spark: Any) -> None:
    from arrears import spark as asp

    df = spark.createDataFrame(
        [("A", 1, None), ("A", 2, None)],
        "account_id string, balance_cents long, oldest_unpaid_due date",
    ).coalesce(1)
    with pytest.raises(Exception, match="account_id: duplicate 'A'"):
        asp.age(df, AS_OF).collect()


# -- schedules -------------------------------------------------------------------------------------


@needs_spark
@pytest.mark.spark
def test_schedules_equal_installment_schedules(spark: Any) -> None:
    from pyspark.sql.types import (
        DateType,
        DecimalType,
        IntegerType,
        LongType,
        StringType,
        StructField,
        StructType,
    )

    from arrears import spark as asp

    rng = np.random.default_rng(5)
    n = 700
    totals = rng.integers(10_000, 5_000_000, n)
    counts = rng.integers(1, 24, n)
    firsts = [dt.date(2026, 1, 1) + dt.timedelta(days=int(d)) for d in rng.integers(0, 365, n)]
    bp = rng.choice([0, 0, 499, 1299, 2499], n)
    freq = rng.choice(["monthly", "weekly", "biweekly", "semimonthly"], n)
    rates = [Decimal(int(b)).scaleb(-4) for b in bp]
    schema = StructType(
        [
            StructField("plan_id", StringType()),
            StructField("region", IntegerType()),
            StructField("total_cents", LongType()),
            StructField("count", IntegerType()),
            StructField("first_due", DateType()),
            StructField("annual_rate", DecimalType(9, 6)),
            StructField("rate_bp", LongType()),
            StructField("rate_text", StringType()),
            StructField("frequency", StringType()),
        ]
    )
    data = [
        (
            f"P{i:04d}",
            i % 5,
            int(totals[i]),
            int(counts[i]),
            firsts[i],
            rates[i],
            int(bp[i]),
            str(rates[i]),
            str(freq[i]),
        )
        for i in range(n)
    ]
    df = spark.createDataFrame(data, schema).repartition(3)
    want_t = installment_schedules(
        totals,
        counts,
        np.array(firsts, dtype="datetime64[D]"),
        bp,
        rate_scale=10_000,
        frequency=list(freq),
        progress=False,
    ).to_pylist()
    want = []
    for r in want_t:
        i = r.pop("schedule")
        want.append({"plan_id": f"P{i:04d}", "region": i % 5, **r})
    want.sort(key=lambda r: (r["plan_id"], r["number"]))

    def check(got: Any) -> None:
        assert got.columns == ["plan_id", "region", *asp.SCHEDULE_COLUMNS]
        same_rows(sorted(rows(got), key=lambda r: (r["plan_id"], r["number"])), want)

    keys = ["plan_id", "region"]
    check(asp.schedules(df, key=keys, frequency_col="frequency"))
    check(
        asp.schedules(
            df, key=keys, annual_rate="rate_bp", rate_scale=10_000, frequency_col="frequency"
        )
    )
    check(asp.schedules(df, key=keys, annual_rate="rate_text", frequency_col="frequency"))
    # no rate column at all: zero interest, one frequency for every row
    flat = asp.schedules(df.drop("annual_rate"), key="plan_id")
    want_flat = installment_schedules(
        totals, counts, np.array(firsts, dtype="datetime64[D]"), progress=False
    )
    assert flat.count() == want_flat.num_rows
    assert {r.interest_cents for r in flat.select("interest_cents").distinct().collect()} == {0}


@needs_spark
@pytest.mark.spark
def test_schedule_inputs_are_checked(spark: Any) -> None:
    from arrears import spark as asp

    df = spark.createDataFrame(
        [("P1", 10_000, 3, dt.date(2026, 1, 1)), ("P2", -5, 3, dt.date(2026, 1, 1))],
        "plan_id string, total_cents long, count int, first_due date",
    )
    with pytest.raises(Exception, match=r"schedule plan_id='P2': totals: .*-0\.05"):
        asp.schedules(df).collect()
    with pytest.raises(
        ValidationError, match="total_cents: expected an integer column, got double"
    ):
        asp.schedules(df.withColumn("total_cents", df.total_cents.cast("double")))
    with pytest.raises(ValidationError, match="needs rate_scale"):
        asp.schedules(df.withColumn("annual_rate", df["count"]))
    with pytest.raises(ValidationError, match="rates are exact, never a float"):
        asp.schedules(df.withColumn("annual_rate", df["count"].cast("double")))
    with pytest.raises(ValidationError, match="no column 'plan'"):
        asp.schedules(df, key="plan")
    with pytest.raises(ValidationError, match="frequency: 'daily'"):
        asp.schedules(df, frequency="daily")
    nulls = spark.createDataFrame(
        [("P9", None, 3, dt.date(2026, 1, 1))],
        "plan_id string, total_cents long, count int, first_due date",
    )
    with pytest.raises(Exception, match="total_cents: null for the schedule plan_id='P9'"):
        asp.schedules(nulls).collect()


# -- letters ---------------------------------------------------------------------------------------

LETTER_SCHEMA = (
    "account_id string, reference string, account_number string, creditor string, "
    "original_creditor string, product string, currency string, itemization_reference string, "
    "itemization_date date, itemization_amount_cents long, interest_cents long, fees_cents long, "
    "payments_credits_cents long, current_cents long, time_barred boolean, "
    "initial_communication boolean, english_notice_sent boolean, notices array<string>, "
    "plan array<struct<due:date,amount_cents:long>>, extra map<string,string>, "
    "recipient_name string, address_line1 string, address_line2 string, city string, "
    "state string, postal_code string, country string, address_ok boolean, email string, "
    "email_opt_out boolean, language string, time_zone string, deceased boolean, "
    "bankruptcy boolean, attorney boolean, cease boolean, dispute_pause boolean, "
    "segment string"
)


def letter_people(n: int) -> list[tuple[LetterAccount, LetterRecipient]]:
    base = LetterAccount(
        "X",
        "Bank of Rockville",
        Itemization(
            dt.date(2017, 1, 2),
            Money("2234.56"),
            Money("2284.56"),
            interest=Money("75.00"),
            fees=Money("25.00"),
            payments_credits=Money("50.00"),
            reference="last_statement",
        ),
        account_number="123-456-789",
        product="Main Street Department Store credit card",
    )
    person = LetterRecipient(
        "Erica Smith", Address("123 Elm Street", "", "Springfield", "IL", "62704")
    )
    out = []
    for i in range(n):
        acc = dataclasses.replace(base, account_id=f"L{i:04d}", extra={"agent": f"agent {i % 7}"})
        rec = dataclasses.replace(
            person,
            name=f"Person <{i}> & Co",
            language="es" if i % 5 == 0 else "en",
            deceased=i % 11 == 3,
            cease=i % 13 == 4,
            address_ok=i % 17 != 5,
        )
        out.append((acc, rec))
    return out


@needs_spark
@pytest.mark.spark
@pytest.mark.parametrize("letter", ["validation_notice", "reminder", "custom"])
def test_letters_equal_a_single_machine_campaign(spark: Any, letter: str) -> None:
    from arrears import spark as asp

    people = letter_people(120)
    cols = letter_columns(people)
    data = [
        tuple(
            {**cols, "segment": ["s"] * len(people)}[c.split()[0]][i]
            for c in LETTER_SCHEMA.split(", ")
        )
        for i in range(len(people))
    ]
    df = spark.createDataFrame(data, LETTER_SCHEMA).repartition(3)
    template: str | Template = letter
    if letter == "custom":
        template = Template(
            "<p>{{recipient.name}} owes {{balance}} to {{account.creditor}} "
            "({{extra.agent}})</p>{{disclosure}}"
        )
    got = rows(
        asp.render_letters(
            df,
            template,
            SENT,
            collector=collector(),
            formats=["html", "text"] if letter != "custom" else ["html"],
            campaign="vn",
        ),
        "account_id",
    )
    c = Campaign("single", template, people, SENT, collector=collector())
    html = iter(c.preview(len(people), "html"))
    text = iter(c.preview(len(people), "text")) if letter != "custom" else None
    assert len(got) == len(people)
    ids = set()
    for (acc, _), reason, r in zip(people, c.suppressed, got, strict=True):
        assert r["account_id"] == acc.account_id
        assert r["suppressed"] == reason
        if reason is None:
            assert r["html"] == next(html)
            if text is not None:
                assert r["text"] == next(text)
            assert r["letter_id"].startswith("vn-p")
            ids.add(r["letter_id"])
        else:
            assert r["letter_id"] is None and r["html"] is None and r["language"] is None
    assert len(ids) == c.counts["letters"]  # unique across partitions and batches
    assert c.counts["suppressed"] > 0


@needs_spark
@pytest.mark.spark
def test_letter_inputs_are_checked(spark: Any) -> None:
    from arrears import spark as asp

    df = spark.createDataFrame([("A", "B")], "account_id string, recipient_name string")
    with pytest.raises(ValidationError, match="campaign"):
        asp.render_letters(df, "reminder", SENT, collector=collector(), campaign="bad name")
    with pytest.raises(ValidationError, match="not a built-in letter"):
        asp.render_letters(df, "nope", SENT, collector=collector())
    with pytest.raises(ValidationError, match="formats: 'pdf'"):
        asp.render_letters(df, "reminder", SENT, collector=collector(), formats=["pdf"])
    with pytest.raises(ValidationError, match="no column 'recipient_name'"):
        asp.render_letters(df.drop("recipient_name"), "reminder", SENT, collector=collector())
    with pytest.raises(ValidationError, match="never interpolates disclosure"):
        asp.render_letters(df, Template("hi"), SENT, collector=collector())


@needs_spark
@pytest.mark.spark
def test_written_letters_are_the_single_machine_letters(spark: Any, tmp_path: Any) -> None:
    import json

    from arrears import spark as asp

    people = letter_people(90)
    cols = letter_columns(people)
    data = [
        tuple(
            {**cols, "segment": ["s"] * len(people)}[c.split()[0]][i]
            for c in LETTER_SCHEMA.split(", ")
        )
        for i in range(len(people))
    ]
    df = spark.createDataFrame(data, LETTER_SCHEMA).repartition(3)
    out = tmp_path / "vn"
    records = asp.write_letters(
        df,
        str(out),
        "validation_notice",
        SENT,
        collector=collector(),
        campaign="vn",
        batch_size=10,
    )
    assert records.columns == list(asp.COMMUNICATION_COLUMNS)
    got = {r.account_id: r for r in records.collect()}
    c = Campaign("single", "validation_notice", people, SENT, collector=collector())
    html = iter(c.preview(len(people), "html"))
    assert len(got) == len(people)
    folders = set()
    for (acc, _), reason in zip(people, c.suppressed, strict=True):
        r = got[acc.account_id]
        assert r.suppressed == reason
        folders.add(r.folder)
        if reason is None:
            data_ = (out / r.file).read_bytes()[r.offset : r.offset + r.length]
            assert data_.decode("utf-8") == next(html)
            assert r.letter_id.startswith(r.folder + "-")
            assert r.sent == SENT and r.language in ("en", "es")
        else:
            assert r.letter_id is None and r.file is None
    manifests = [json.loads((out / f / "manifest.json").read_text()) for f in sorted(folders)]
    assert sum(m["counts"]["letters"] for m in manifests) == c.counts["letters"]
    assert sum(m["counts"]["suppressed"] for m in manifests) == c.counts["suppressed"]
    with pytest.raises(ValidationError, match="exists"):
        asp.write_letters(df, str(out), "validation_notice", SENT, collector=collector())


# -- compliance ------------------------------------------------------------------------------------


def contact_fixture(
    n_consumers: int = 60, seed: int = 3
) -> tuple[list[Any], dict[str, Any], dict[str, Any]]:
    """Consumers across zones and states, a week of call history, and proposed calls at
    several times of day (so the time-of-day, 7-in-7, cease and state rules all decide)."""
    from arrears.compliance import Consumer

    rng = np.random.default_rng(seed)
    zones = ["America/New_York", "America/Chicago", "America/Los_Angeles", "Pacific/Honolulu"]
    states = ["MA", "NY", "WA", "TX", None]
    consumers = []
    for i in range(n_consumers):
        consumers.append(
            Consumer(
                f"C{i:03d}",
                time_zones=[zones[i % 4]] if i % 7 else [zones[0], zones[2]],
                state=states[i % 5],
                cease=["D1"] if i % 11 == 0 else [],
                attorney=i % 13 == 5,
            )
        )
    base = dt.datetime(2026, 3, 9, 14, 0, tzinfo=dt.timezone.utc)
    hist: dict[str, list[Any]] = {
        k: [] for k in ("consumer_id", "debt_id", "at", "channel", "direction", "outcome", "event")
    }
    event = 0
    for i in range(n_consumers):
        for _ in range(int(rng.integers(0, 9))):
            event += 1
            at = base - dt.timedelta(hours=int(rng.integers(1, 24 * 8)))
            for debt in ("D1", "D2")[: int(rng.integers(1, 3))]:
                hist["consumer_id"].append(f"C{i:03d}")
                hist["debt_id"].append(debt)
                hist["at"].append(at)
                hist["channel"].append(str(rng.choice(["call", "call", "text"])))
                hist["direction"].append("outbound")
                hist["outcome"].append(
                    str(rng.choice(["connected", "not_connected", "conversation"]))
                )
                hist["event"].append(event)
    prop: dict[str, list[Any]] = {k: [] for k in ("row", "consumer_id", "debt_id", "channel", "at")}
    for k in range(3 * n_consumers):
        prop["row"].append(k)
        prop["consumer_id"].append(f"C{int(rng.integers(0, n_consumers)):03d}")
        prop["debt_id"].append(str(rng.choice(["D1", "D2"])))
        prop["channel"].append("call")
        prop["at"].append(
            base + dt.timedelta(hours=int(rng.integers(-3, 10)), seconds=int(rng.integers(0, 60)))
        )
    return consumers, prop, hist


@needs_spark
@pytest.mark.spark
@pytest.mark.parametrize("with_history", [True, False])
def test_compliance_checks_equal_check_worklist(spark: Any, with_history: bool) -> None:
    from arrears import spark as asp
    from arrears.compliance import ContactPolicy
    from arrears.compliance import check_worklist as local_check

    consumers, prop, hist = contact_fixture()
    policy = {
        "MA": ContactPolicy.for_state("MA"),
        "WA": ContactPolicy.for_state("WA"),
        None: ContactPolicy.regulation_f(),
    }
    prop_df = spark.createDataFrame(
        list(zip(*prop.values(), strict=True)),
        "row long, consumer_id string, debt_id string, channel string, at timestamp",
    ).repartition(3)
    hist_df = spark.createDataFrame(
        list(zip(*hist.values(), strict=True)),
        "consumer_id string, debt_id string, at timestamp, channel string, direction string, "
        "outcome string, event long",
    )
    got = rows(
        asp.check_worklist(policy, consumers, prop_df, hist_df if with_history else None), "row"
    )
    want = local_check(
        policy,
        consumers,
        {k: v for k, v in prop.items() if k != "row"},
        hist if with_history else None,
        progress=False,
    )
    assert [r["row"] for r in got] == prop["row"]
    assert list(got[0]) == ["consumer_id", "row", "debt_id", "channel", "at", *asp.CHECK_COLUMNS]
    epoch = dt.datetime(1970, 1, 1)
    for i, r in enumerate(got):
        assert r["allowed"] is bool(want["allowed"][i])
        assert r["rule"] == want["rule"][i] and r["blocked_by"] == want["blocked_by"][i]
        for name in ("next_allowed", "window_end"):
            w = want[name][i]
            if np.isnat(w):
                assert r[name] is None
            else:  # Spark hands timestamps back as naive datetimes in the session zone (UTC)
                assert r[name] == epoch + dt.timedelta(seconds=int(w.astype("int64")))
    assert {r["allowed"] for r in got} == {True, False}
    # without next_allowed the timestamps are not computed
    lean = asp.check_worklist(policy, consumers, prop_df, next_allowed=False)
    assert "next_allowed" not in lean.columns and lean.count() == len(prop["row"])


@needs_spark
@pytest.mark.spark
def test_compliance_inputs_are_checked(spark: Any) -> None:
    from arrears import spark as asp
    from arrears.compliance import ContactPolicy

    consumers, prop, _ = contact_fixture(5)
    df = spark.createDataFrame(
        list(zip(*prop.values(), strict=True)),
        "row long, consumer_id string, debt_id string, channel string, at timestamp",
    )
    reg_f = ContactPolicy.regulation_f()
    with pytest.raises(ValidationError, match="policy: expected a ContactPolicy"):
        asp.check_worklist("reg_f", consumers, df)
    with pytest.raises(ValidationError, match="proposed: no column 'at'"):
        asp.check_worklist(reg_f, consumers, df.drop("at"))
    with pytest.raises(ValidationError, match="result column"):
        asp.check_worklist(reg_f, consumers, df.withColumn("allowed", df.row > 1))
    stranger = df.limit(1).selectExpr("row", "'C999' as consumer_id", "debt_id", "channel", "at")
    with pytest.raises(Exception, match="'C999' is not in consumers"):
        asp.check_worklist(reg_f, consumers, stranger).collect()
