"""arrears on Spark: the batch computations over Spark DataFrames, one Arrow batch per core call.

Every function here has the same shape: it checks its inputs on the driver (the column names and
types, the configuration, by running the core once on an empty batch of the DataFrame's schema),
then returns a lazy Spark DataFrame computed with ``DataFrame.mapInArrow``: each Arrow record
batch Spark hands a Python worker goes through one C++ call (the GIL released), with the
engine rebuilt on the worker from its configuration (a :class:`~arrears.Strategy` travels as its
JSON, :class:`~arrears.aging.Buckets` as its edges and labels, templates as their sources). The
results are Spark DataFrames with the schemas documented below and in docs/scale.md; each row
equals, value for value and type for type, what the single-machine call gives for that account.

=======================  =====================================================================
function                 result (one row per ...)
=======================  =====================================================================
:func:`age`              account: account_id, dpd, bucket
:func:`bucket_totals`    bucket: bucket, lower_dpd, upper_dpd, accounts, balance_cents,
                         balance_share
:func:`score`            account: Strategy.apply's columns (arm, segment, treatment, score,
                         part_<factor> ...)
:func:`worklist`         worklist entry: queue, rank, account_id, ... (ranked with Spark's
                         window functions over the whole DataFrame)
:func:`schedules`        installment: the key columns, number, due, amount_cents,
                         principal_cents, interest_cents
:func:`render_letters`   selected account: letter_id, suppressed, language, html / text
:func:`write_letters`    selected account: the communication records of the campaign folders
                         written per batch (an action: it runs when called)
:func:`check_worklist`   proposed contact: its columns + allowed, next_allowed, window_end,
                         rule, blocked_by
=======================  =====================================================================

Workers need arrears installed (the same wheel as the driver) and pyarrow; ``pip install
'arrears[spark]'`` brings pyspark, pandas and pyarrow. Every core call on a worker uses one
thread (``threads=1``): Spark already runs one task per core.
"""

from __future__ import annotations

import dataclasses
import datetime
import functools
import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import numpy as np

from arrears import errors
from arrears._core import letters as _letters
from arrears._core.money import Money
from arrears.aging import DEFAULT_BUCKETS, Buckets
from arrears.errors import ValidationError
from arrears.frames import Table
from arrears.letters import (
    LETTER_COLUMNS,
    Campaign,
    CollectorProfile,
    Template,
)
from arrears.plans import FREQUENCIES, installment_schedules
from arrears.portfolio import Portfolio
from arrears.strategy import Strategy

if TYPE_CHECKING:
    import pyarrow as pa
    from pyspark.sql import DataFrame

__all__ = [
    "AGING_COLUMNS",
    "BUCKET_TOTALS_COLUMNS",
    "LETTER_RESULT_COLUMNS",
    "SCHEDULE_COLUMNS",
    "WORKLIST_ORDER",
    "age",
    "bucket_totals",
    "check_worklist",
    "CHECK_COLUMNS",
    "COMMUNICATION_COLUMNS",
    "render_letters",
    "schedules",
    "score",
    "worklist",
    "write_letters",
]

AGING_COLUMNS: dict[str, str] = {
    "account_id": "string",
    "dpd": "int",
    "bucket": "string",
}
"""Schema of :func:`age` (Spark type names)."""

BUCKET_TOTALS_COLUMNS: dict[str, str] = {
    "bucket": "string",
    "lower_dpd": "int",
    "upper_dpd": "int",
    "accounts": "long",
    "balance_cents": "long",
    "balance_share": "double",
}
"""Schema of :func:`bucket_totals`; ``upper_dpd`` is null for the open-ended last bucket."""

SCHEDULE_COLUMNS: dict[str, str] = {
    "number": "int",
    "due": "date",
    "amount_cents": "long",
    "principal_cents": "long",
    "interest_cents": "long",
}
"""Columns :func:`schedules` adds after the key columns."""

LETTER_RESULT_COLUMNS: dict[str, str] = {
    "account_id": "string",
    "letter_id": "string",
    "suppressed": "string",
    "language": "string",
    "html": "string",
    "text": "string",
}
"""Schema of :func:`render_letters` (``html``/``text`` only for the formats asked for)."""

COMMUNICATION_COLUMNS: dict[str, str] = {
    "account_id": "string",
    "suppressed": "string",
    "letter_id": "string",
    "campaign": "string",
    "folder": "string",
    "channel": "string",
    "letter": "string",
    "language": "string",
    "template_sha256": "string",
    "sent": "date",
    "batch": "int",
    "file": "string",
    "offset": "long",
    "length": "long",
}
"""Schema of the records :func:`write_letters` returns: one per selected account, a letter
(``letter_id`` ... ``length``, ``file`` relative to ``out_dir``) or a suppression (``suppressed``
is the reason and the letter columns are null)."""

WORKLIST_ORDER = ("score DESC", "dpd DESC", "balance_cents DESC", "account_id ASC")
"""The order of a worklist queue, as in ``Strategy.worklist``."""

# Spark type name -> (pyspark type class name, pyarrow type factory name). Only the types results
# use; inputs are read with pyspark's own conversion.
_SPARK_TYPES = {
    "string": "StringType",
    "int": "IntegerType",
    "long": "LongType",
    "double": "DoubleType",
    "boolean": "BooleanType",
    "date": "DateType",
}


# -- the shared shape: a picklable job per Arrow batch ---------------------------------------------


def _require_pyspark() -> Any:
    try:
        import pyspark.sql
    except ImportError as exc:  # pragma: no cover - exercised only without the extra
        raise ImportError("arrears.spark needs pyspark: pip install 'arrears[spark]'") from exc
    return pyspark.sql


def _check_dataframe(df: Any) -> DataFrame:
    sql = _require_pyspark()
    if not isinstance(df, sql.DataFrame):
        raise ValidationError(f"df: expected a Spark DataFrame, got {type(df).__name__}")
    return df  # type: ignore[no-any-return]


def _spark_schema(columns: Sequence[tuple[str, str]]) -> Any:
    sql_types = _require_pyspark().types
    return sql_types.StructType(
        [sql_types.StructField(n, getattr(sql_types, _SPARK_TYPES[k])(), True) for n, k in columns]
    )


def _arrow_type(kind: str) -> pa.DataType:
    import pyarrow as pa

    factories: dict[str, Callable[[], pa.DataType]] = {
        "string": pa.string,
        "int": pa.int32,
        "long": pa.int64,
        "double": pa.float64,
        "boolean": pa.bool_,
        "date": pa.date32,
    }
    return factories[kind]()


def _conform(table: Any, columns: Sequence[tuple[str, str]]) -> pa.Table:
    """A table (arrears.Table or pyarrow) as exactly the declared columns and types: dictionary
    columns decoded to text, every column cast to its declared Arrow type."""
    import pyarrow as pa

    t = table if isinstance(table, pa.Table) else pa.table(table)
    arrays = []
    fields = []
    for name, kind in columns:
        target = _arrow_type(kind)
        col = t.column(name)
        if col.type != target:
            col = col.cast(target)
        arrays.append(col)
        fields.append(pa.field(name, target, nullable=True))
    return pa.Table.from_arrays(arrays, schema=pa.schema(fields))


def _run_job(
    job: Callable[[pa.RecordBatch, int], Any],
    columns: Sequence[tuple[str, str]],
    batches: Iterable[pa.RecordBatch],
) -> Iterator[pa.RecordBatch]:
    """The mapInArrow function: every non-empty batch through ``job`` (one core call), the result
    conformed to the declared schema. ``job(batch, n)`` gets the batch's number in the
    partition."""
    n = 0
    for batch in batches:
        if batch.num_rows == 0:
            continue
        n += 1
        result = job(batch, n)
        if result is None:
            continue
        yield from _conform(result, columns).to_batches()


def _map_batches(
    df: DataFrame, job: Callable[[pa.RecordBatch, int], Any], columns: Sequence[tuple[str, str]]
) -> DataFrame:
    """``df.mapInArrow`` with a picklable job and declared result columns: the shape of every
    function here (a new batch computation is one more job and a schema)."""
    return df.mapInArrow(functools.partial(_run_job, job, list(columns)), _spark_schema(columns))


def _to_arrow_schema(schema: Any) -> pa.Schema:
    """pyspark's Spark -> Arrow schema conversion, timestamps in UTC (pyspark 4 asks for the
    zone, pyspark 3.5 always uses UTC)."""
    from pyspark.sql.pandas.types import to_arrow_schema

    try:
        return to_arrow_schema(schema, timezone="UTC")
    except TypeError:  # pyspark 3.5
        return to_arrow_schema(schema)


def _arrow_schema_of(df: DataFrame) -> pa.Schema:
    return _to_arrow_schema(df.schema)


def _empty_batch(df: DataFrame) -> pa.Table:
    """A zero-row Arrow table with the DataFrame's schema, for checking a job on the driver."""
    return _arrow_schema_of(df).empty_table()


def _as_table(batch: Any) -> pa.Table:
    import pyarrow as pa

    return batch if isinstance(batch, pa.Table) else pa.Table.from_batches([batch])


def _partition_id() -> int:
    from pyspark import TaskContext

    ctx = TaskContext.get()
    return ctx.partitionId() if ctx is not None else 0


def _require_columns(df: DataFrame, names: Iterable[str], what: str) -> None:
    have = df.columns
    for name in names:
        if name not in have:
            raise ValidationError(
                f"{what}: no column {name!r} in the DataFrame (columns: {', '.join(have)})"
            )


def _date(value: Any, field: str) -> datetime.date:
    if isinstance(value, datetime.datetime) or not isinstance(value, datetime.date):
        raise ValidationError(f"{field}: expected a datetime.date, got {value!r}")
    return value


def _select(df: DataFrame, columns: Sequence[str] | None, required: Sequence[str]) -> DataFrame:
    if columns is None:
        return df
    if isinstance(columns, str):
        columns = [columns]
    wanted = list(dict.fromkeys([*required, *columns]))
    _require_columns(df, wanted, "columns")
    return df.select(*wanted)


# -- aging ---------------------------------------------------------------------------------------

_PORTFOLIO_REQUIRED = ("account_id", "balance_cents", "oldest_unpaid_due")


def _buckets(buckets: Buckets | Sequence[int] | None) -> Buckets:
    if buckets is None:
        return DEFAULT_BUCKETS
    if isinstance(buckets, Buckets):
        return buckets
    if isinstance(buckets, Sequence) and not isinstance(buckets, str):
        return Buckets(list(buckets))
    raise ValidationError(f"buckets: expected arrears.aging.Buckets or edges, got {buckets!r}")


def _portfolio_input(df: DataFrame) -> DataFrame:
    _require_columns(df, _PORTFOLIO_REQUIRED, "df")
    return df.select(*_PORTFOLIO_REQUIRED)


@dataclasses.dataclass(frozen=True)
class _AgeJob:
    as_of: datetime.date
    buckets: Buckets

    def __call__(self, batch: pa.RecordBatch, n: int = 0) -> Table:
        with Portfolio.from_arrow(_as_table(batch)) as p:
            return p.age(self.as_of, self.buckets, threads=1)


def age(df: Any, as_of: datetime.date, buckets: Buckets | Sequence[int] | None = None) -> DataFrame:
    """Days past due and bucket of every account as of a date (``Portfolio.age`` per batch).

    ``df`` needs ``account_id``, ``balance_cents`` and ``oldest_unpaid_due`` (other columns are
    not read). Result columns: :data:`AGING_COLUMNS` (``account_id`` string, ``dpd`` int,
    ``bucket`` string). Account ids are checked for duplicates within each Arrow batch only;
    a Spark DataFrame has no global uniqueness check (``df.groupBy("account_id").count()``)."""
    df = _check_dataframe(df)
    job = _AgeJob(_date(as_of, "as_of"), _buckets(buckets))
    data = _portfolio_input(df)
    job(_empty_batch(data))  # types and columns checked on the driver
    return _map_batches(data, job, list(AGING_COLUMNS.items()))


@dataclasses.dataclass(frozen=True)
class _BucketPartsJob:
    as_of: datetime.date
    buckets: Buckets

    def __call__(self, batch: pa.RecordBatch, n: int = 0) -> dict[str, Any]:
        with Portfolio.from_arrow(_as_table(batch)) as p:
            t = p.bucket_summary(self.as_of, self.buckets, threads=1)
        return {
            "bucket_index": np.arange(t.num_rows, dtype=np.int32),
            "accounts": t["accounts"],
            "balance_cents": t["balance_cents"],
        }


@dataclasses.dataclass(frozen=True)
class _BucketTotalsJob:
    """Adds up the per-batch bucket sums (all of them, in one partition) exactly, as the core
    does: 128-bit sums, an error when a bucket's balance leaves 64 bits, shares as the quotient
    of the two exact sums converted to double."""

    buckets: Buckets

    def __call__(self, batch: pa.Table, n: int = 0) -> dict[str, Any]:
        k = len(self.buckets)
        accounts = [0] * k
        sums = [0] * k
        cols = batch.to_pydict()
        for i, a, s in zip(
            cols["bucket_index"], cols["accounts"], cols["balance_cents"], strict=True
        ):
            accounts[i] += int(a)
            sums[i] += int(s)
        total = sum(sums)
        for j, s in enumerate(sums):
            if not -(2**63) <= s < 2**63:
                raise errors.OverflowError(
                    f"bucket_summary: the balance of bucket {self.buckets.labels[j]!r} does not "
                    "fit in 64-bit cents"
                )
        edges = list(self.buckets.edges)
        return {
            "bucket": list(self.buckets.labels),
            "lower_dpd": [0, *edges],
            "upper_dpd": [*(e - 1 for e in edges), None],
            "accounts": accounts,
            "balance_cents": sums,
            "balance_share": [0.0 if total == 0 else float(s) / float(total) for s in sums],
        }


def _whole_partition(
    job: Callable[[pa.Table, int], Any],
    columns: Sequence[tuple[str, str]],
    batches: Iterable[pa.RecordBatch],
) -> Iterator[pa.RecordBatch]:
    import pyarrow as pa

    table = pa.Table.from_batches(list(batches))
    yield from _conform(pa.table(job(table, 0)), columns).to_batches()


def bucket_totals(
    df: Any, as_of: datetime.date, buckets: Buckets | Sequence[int] | None = None
) -> DataFrame:
    """Accounts and balance per bucket (``Portfolio.bucket_summary`` over the whole DataFrame).

    Each Arrow batch is summarised in C++; Spark adds the per-batch sums up (as
    ``decimal(38,0)``, so nothing wraps) and one final task computes the totals and shares
    exactly as the core does. Result: :data:`BUCKET_TOTALS_COLUMNS`, one row per bucket in
    bucket order, empty buckets included."""
    df = _check_dataframe(df)
    sql = _require_pyspark()
    f = sql.functions
    buckets = _buckets(buckets)
    parts_job = _BucketPartsJob(_date(as_of, "as_of"), buckets)
    data = _portfolio_input(df)
    parts_job(_empty_batch(data))
    parts_cols = [("bucket_index", "int"), ("accounts", "long"), ("balance_cents", "long")]
    parts = _map_batches(data, parts_job, parts_cols)
    # One zero row per bucket, so an empty DataFrame still gives every bucket.
    zeros = data.sparkSession.createDataFrame(
        [(i, 0, 0) for i in range(len(buckets))], _spark_schema(parts_cols)
    )
    summed = (
        parts.unionByName(zeros)
        .groupBy("bucket_index")
        .agg(
            f.sum("accounts").alias("accounts"),
            f.sum(f.col("balance_cents").cast("decimal(38,0)")).alias("balance_cents"),
        )
        .coalesce(1)
    )
    out = list(BUCKET_TOTALS_COLUMNS.items())
    return summed.mapInArrow(
        functools.partial(_whole_partition, _BucketTotalsJob(buckets), out), _spark_schema(out)
    )


# -- strategies ------------------------------------------------------------------------------------


def _strategy(strategy: Any) -> Strategy:
    if isinstance(strategy, Strategy):
        return strategy
    if isinstance(strategy, Mapping):
        return Strategy.from_dict(strategy)
    if isinstance(strategy, str):
        return Strategy.from_json(strategy)
    raise ValidationError(
        "strategy: expected an arrears.Strategy, a dict or JSON text, got "
        f"{type(strategy).__name__}"
    )


def _kind(t: pa.DataType) -> str:
    """The Spark type name of a result column's Arrow type (dictionaries are decoded)."""
    import pyarrow as pa

    if pa.types.is_dictionary(t):
        t = t.value_type
    for kind in _SPARK_TYPES:
        if _arrow_type(kind) == t:
            return kind
    if pa.types.is_large_string(t):
        return "string"
    raise ValidationError(
        f"result column type {t} has no Spark equivalent here"
    )  # pragma: no cover


def _columns_of(table: Any, drop: Sequence[str] = ()) -> list[tuple[str, str]]:
    """(name, Spark type name) of every column of a result table (arrears or pyarrow)."""
    import pyarrow as pa

    t = table if isinstance(table, pa.Table) else pa.table(table)
    return [(f.name, _kind(f.type)) for f in t.schema if f.name not in drop]


@dataclasses.dataclass(frozen=True)
class _ScoreJob:
    strategy: Strategy
    as_of: datetime.date

    def __call__(self, batch: pa.RecordBatch, n: int = 0) -> Table:
        with Portfolio.from_arrow(_as_table(batch)) as p:
            return self.strategy.apply(p, self.as_of, threads=1, progress=False)


def score(
    df: Any, strategy: Any, as_of: datetime.date, columns: Sequence[str] | None = None
) -> DataFrame:
    """Scores, exclusions, segments, treatments and arms of every account
    (``Strategy.apply`` per batch, the strategy rebuilt on each worker from its JSON).

    ``df`` is a portfolio as a DataFrame: ``account_id``, ``balance_cents``,
    ``oldest_unpaid_due`` and the columns the strategy reads; ``columns`` limits the optional
    columns sent to the workers (select them before calling, or pass them here; Parquet then
    reads only those). Result: ``account_id``, ``arm``, ``excluded``, ``exclusion``,
    ``segment``, ``treatment``, ``queue``, ``template`` (strings; null when none), ``score``
    (double), ``dpd`` (int), ``bucket`` (string), ``balance_cents`` (long) and
    ``part_<factor>`` (double; null where the account's arm has no such factor). The strategy
    is checked against the DataFrame's columns on the driver (errors name the JSON path)."""
    df = _check_dataframe(df)
    s = _strategy(strategy)
    data = _select(df, columns, _PORTFOLIO_REQUIRED)
    _require_columns(data, _PORTFOLIO_REQUIRED, "df")
    job = _ScoreJob(s, _date(as_of, "as_of"))
    return _map_batches(data, job, _columns_of(job(_empty_batch(data))))


@dataclasses.dataclass(frozen=True)
class _WorklistJob:
    """Per batch: the batch's worklist (all of it, or its best ``top_n`` per queue, which hold
    every account that can make the global top ``top_n``), plus the queue's position in the
    strategy (``_queue``) for ordering the blocks."""

    strategy: Strategy
    as_of: datetime.date
    queues: tuple[str, ...]
    top_n: int | None
    top_percent: float | None

    def __call__(self, batch: pa.RecordBatch, n: int = 0) -> pa.Table:
        import pyarrow as pa

        with Portfolio.from_arrow(_as_table(batch)) as p:
            t = self.strategy.worklist(
                p,
                self.as_of,
                queues=list(self.queues),
                top_n=self.top_n if self.top_percent is None else None,
                top_percent=None,
                threads=1,
                progress=False,
            )
        table = pa.table(t)
        queue = table.column("queue").combine_chunks()
        return table.append_column("_queue", queue.indices)


_WORKLIST_SORT = [
    ("_queue", "ascending"),
    ("score", "descending"),
    ("dpd", "descending"),
    ("balance_cents", "descending"),
    ("account_id", "ascending"),
]


def _best_per_queue(table: pa.Table, top_n: int) -> pa.Table:
    """The best ``top_n`` rows of each queue, in the worklist order (strings compare bytewise,
    as in the core)."""
    import pyarrow.compute as pc

    ordered = table.take(pc.sort_indices(table, sort_keys=_WORKLIST_SORT))
    queue = np.asarray(ordered.column("_queue").to_numpy())
    starts = np.searchsorted(queue, queue, side="left")
    keep = np.flatnonzero(np.arange(len(queue)) - starts < top_n)
    return ordered.take(keep)


def _run_worklist_top_n(
    job: _WorklistJob,
    columns: Sequence[tuple[str, str]],
    top_n: int,
    batches: Iterable[pa.RecordBatch],
) -> Iterator[pa.RecordBatch]:
    """The mapInArrow function of a ``top_n`` worklist: each batch's own top N per queue (the
    core's cut), folded into the partition's running top N per queue, which is all the
    partition sends to the ranking window (at most N rows per queue)."""
    import pyarrow as pa

    best: pa.Table | None = None
    pending: list[pa.Table] = []
    held = 0
    for batch in batches:
        if batch.num_rows == 0:
            continue
        t = _conform(job(batch), columns)
        pending.append(t)
        held += t.num_rows
        if held > 4 * top_n + 100_000:
            best = _best_per_queue(pa.concat_tables([*([best] if best else []), *pending]), top_n)
            pending, held = [], best.num_rows
    if pending:
        best = _best_per_queue(pa.concat_tables([*([best] if best else []), *pending]), top_n)
    if best is not None:
        yield from best.to_batches()


def _check_cut(top_n: Any, top_percent: Any) -> None:
    if top_n is not None and (isinstance(top_n, bool) or not isinstance(top_n, int) or top_n < 1):
        raise ValidationError(f"top_n: {top_n!r} must be a positive int")
    if top_percent is not None:
        if isinstance(top_percent, bool) or not isinstance(top_percent, int | float | Decimal):
            raise ValidationError(f"top_percent: {top_percent!r} must be a number in (0, 100]")
        if not 0 < float(top_percent) <= 100:
            raise ValidationError(f"top_percent: {top_percent!r} is outside (0, 100]")


def worklist(
    df: Any,
    strategy: Any,
    as_of: datetime.date,
    queues: Sequence[str] | None = None,
    top_n: int | None = None,
    top_percent: float | None = None,
    columns: Sequence[str] | None = None,
) -> DataFrame:
    """Call worklists over the whole DataFrame, as ``Strategy.worklist`` builds them.

    Scoring runs per Arrow batch in C++ (mapInArrow); the global order is Spark's: a window
    partitioned by queue and ordered by score, dpd, balance (descending) and account id
    (ascending) numbers the entries (``rank``), ``top_n`` and ``top_percent`` (of the queue's
    eligible accounts, rounded up, as in the core) cut each queue. With ``top_n`` alone each
    batch first keeps only its own best ``top_n`` per queue (the core's cut) and each partition
    only its best ``top_n`` per queue (exact: an account outside its batch's or partition's top N
    is outside the global top N), so the window sees at most partitions x N rows per queue;
    ``top_percent`` needs every eligible row counted, so nothing is cut before the window.

    Result, sorted by queue (in the strategy's order) then rank: ``queue``, ``rank`` (int),
    ``account_id``, ``arm``, ``segment``, ``treatment``, ``score``, ``dpd``, ``bucket``,
    ``balance_cents``, ``part_<factor>``..."""
    df = _check_dataframe(df)
    sql = _require_pyspark()
    f = sql.functions
    window = sql.Window
    s = _strategy(strategy)
    if isinstance(queues, str):
        queues = [queues]
    _check_cut(top_n, top_percent)
    data = _select(df, columns, _PORTFOLIO_REQUIRED)
    _require_columns(data, _PORTFOLIO_REQUIRED, "df")
    job = _WorklistJob(
        s,
        _date(as_of, "as_of"),
        tuple(queues or ()),
        top_n,
        None if top_percent is None else float(top_percent),
    )
    sample = job(_empty_batch(data))  # checks the strategy, the columns and the queues
    cols = _columns_of(sample, drop=("rank",))
    names = [n for n, _ in cols if n != "_queue"]
    if top_n is not None and top_percent is None:
        entries = data.mapInArrow(
            functools.partial(_run_worklist_top_n, job, cols, top_n), _spark_schema(cols)
        )
    else:
        entries = _map_batches(data, job, cols)

    by_queue = window.partitionBy("_queue")
    ordered = by_queue.orderBy(
        f.col("score").desc(),
        f.col("dpd").desc(),
        f.col("balance_cents").desc(),
        f.col("account_id").asc(),
    )
    ranked = entries.withColumn("rank", f.row_number().over(ordered).cast("int"))
    keep = None
    if top_n is not None:
        keep = f.col("rank") <= f.lit(int(top_n))
    if top_percent is not None:
        # The core's cut: ceil(double(n) * p / 100.0), evaluated in the same order in doubles.
        ranked = ranked.withColumn("_n", f.count(f.lit(1)).over(by_queue).cast("double"))
        limit = f.ceil(f.col("_n") * f.lit(float(top_percent)) / f.lit(100.0))
        by_percent = f.col("rank") <= limit
        keep = by_percent if keep is None else keep & by_percent
    if keep is not None:
        ranked = ranked.where(keep)
    out = ["queue", "rank", *[n for n in names if n != "queue"]]
    return ranked.orderBy("_queue", "rank").select(*out)


# -- plan schedules --------------------------------------------------------------------------------


def _keys(key: str | Sequence[str]) -> list[str]:
    keys = [key] if isinstance(key, str) else list(key)
    if not keys:
        raise ValidationError("key: name at least one column that identifies a schedule")
    return keys


@dataclasses.dataclass(frozen=True)
class _ScheduleJob:
    keys: tuple[str, ...]
    total: str
    count: str
    first_due: str
    annual_rate: str | None
    rate_scale: int | None
    frequency: str
    frequency_col: str | None
    rounding: str
    currency: str

    def _key_of(self, table: pa.Table, row: int) -> str:
        return ", ".join(f"{k}={table.column(k)[row].as_py()!r}" for k in self.keys)

    def _no_nulls(self, table: pa.Table, name: str) -> None:
        col = table.column(name)
        if col.null_count:
            row = int(np.flatnonzero(np.asarray(col.is_null()))[0])
            raise ValidationError(f"{name}: null for the schedule {self._key_of(table, row)}")

    def _rates(self, table: pa.Table) -> tuple[Any, int | None]:
        import pyarrow as pa

        if self.annual_rate is None:
            return "0", None
        col = table.column(self.annual_rate)
        self._no_nulls(table, self.annual_rate)
        if pa.types.is_decimal(col.type):
            scale = col.type.scale
            nums = np.array([int(v.scaleb(scale)) for v in col.to_pylist()], dtype=np.int64)
            return nums, 10**scale
        if pa.types.is_integer(col.type):
            return col.to_numpy(), self.rate_scale
        return col.to_pylist(), None

    def __call__(self, batch: pa.RecordBatch, n: int = 0) -> pa.Table:
        import pyarrow as pa

        table = _as_table(batch)
        for name in (self.total, self.count, self.first_due):
            self._no_nulls(table, name)
        rates, scale = self._rates(table)
        frequency: Any = self.frequency
        if self.frequency_col is not None:
            self._no_nulls(table, self.frequency_col)
            frequency = table.column(self.frequency_col).to_pylist()
        try:
            t = installment_schedules(
                table.column(self.total).to_numpy(),
                table.column(self.count).to_numpy(),
                table.column(self.first_due).to_numpy(),
                rates,
                rate_scale=scale,
                frequency=frequency,
                rounding=self.rounding,
                currency=self.currency,
                threads=1,
                progress=False,
            )
        except ValidationError as exc:
            m = re.match(r"^(\w+)\[(\d+)\]: (.*)$", str(exc), re.S)
            if m is None:
                raise
            row = int(m.group(2))
            where = self._key_of(table, row)
            raise type(exc)(f"schedule {where}: {m.group(1)}: {m.group(3)}") from exc
        result = pa.table(t)
        rows = result.column("schedule")
        out = table.select(list(self.keys)).take(rows)
        for name in SCHEDULE_COLUMNS:
            out = out.append_column(name, result.column(name))
        return out


def schedules(
    df: Any,
    *,
    key: str | Sequence[str] = "plan_id",
    total: str = "total_cents",
    count: str = "count",
    first_due: str = "first_due",
    annual_rate: str | None = "annual_rate",
    rate_scale: int | None = None,
    frequency: str = "monthly",
    frequency_col: str | None = None,
    rounding: str = "half_up",
    currency: str = "USD",
) -> DataFrame:
    """Installment schedules for every row of plan terms (``plans.installment_schedules`` per
    batch), one result row per installment.

    Columns of ``df`` (names are parameters): ``key`` (one or more columns copied onto every
    installment of the row's schedule), ``total`` (integer minor units), ``count`` (integer),
    ``first_due`` (date), ``annual_rate`` (optional: a decimal column such as
    ``decimal(9,6)``, exact; decimal strings; or integers over ``rate_scale``; no column means
    zero interest), ``frequency_col`` (optional: one frequency name per row, else
    ``frequency`` for all). Result: the key columns, then :data:`SCHEDULE_COLUMNS`. A bad row
    fails the job with a ValidationError naming its key (``schedule plan_id='P17': totals:
    -5 must be positive``)."""
    df = _check_dataframe(df)
    keys = _keys(key)
    if frequency not in FREQUENCIES:
        raise ValidationError(f"frequency: {frequency!r} is not one of {', '.join(FREQUENCIES)}")
    if annual_rate is not None and annual_rate not in df.columns and annual_rate == "annual_rate":
        annual_rate = None  # the default column is optional: no column, no interest
    needed = [*keys, total, count, first_due]
    if annual_rate is not None:
        needed.append(annual_rate)
    if frequency_col is not None:
        needed.append(frequency_col)
    _require_columns(df, needed, "df")
    data = df.select(*dict.fromkeys(needed))
    _check_schedule_types(data, total, count, first_due, annual_rate, rate_scale, frequency_col)
    job = _ScheduleJob(
        tuple(keys),
        total,
        count,
        first_due,
        annual_rate,
        rate_scale,
        frequency,
        frequency_col,
        rounding,
        currency,
    )
    key_types = {fld.name: fld.dataType for fld in data.schema.fields}
    job(_empty_batch(data))  # the job itself checked once on the driver
    sql_types = _require_pyspark().types
    fields = [sql_types.StructField(k, key_types[k], True) for k in keys]
    fields += [
        sql_types.StructField(n, getattr(sql_types, _SPARK_TYPES[k])(), True)
        for n, k in SCHEDULE_COLUMNS.items()
    ]
    schema = sql_types.StructType(fields)
    out: DataFrame = _map_typed(data, job, schema)
    return out


def _run_typed(
    job: Callable[[pa.RecordBatch, int], pa.Table],
    schema_json: str,
    batches: Iterable[pa.RecordBatch],
) -> Iterator[pa.RecordBatch]:
    """Like :func:`_run_job` for results that keep input columns with their own Spark types:
    every column is cast to the Arrow type pyspark uses for the declared Spark schema."""
    import pyarrow as pa
    from pyspark.sql.types import StructType

    target = _to_arrow_schema(StructType.fromJson(json.loads(schema_json)))
    n = 0
    for batch in batches:
        if batch.num_rows == 0:
            continue
        n += 1
        t = job(batch, n)
        cols = [t.column(fld.name).cast(fld.type) for fld in target]
        yield from pa.Table.from_arrays(cols, schema=target).to_batches()


def _map_typed(df: DataFrame, job: Callable[[pa.RecordBatch, int], pa.Table], schema: Any) -> Any:
    """``df.mapInArrow`` for jobs whose results carry input columns (declared as a StructType)."""
    return df.mapInArrow(functools.partial(_run_typed, job, schema.json()), schema)


def _check_schedule_types(
    data: DataFrame,
    total: str,
    count: str,
    first_due: str,
    annual_rate: str | None,
    rate_scale: int | None,
    frequency_col: str | None,
) -> None:
    t = _require_pyspark().types
    types = {fld.name: fld.dataType for fld in data.schema.fields}
    integers = (t.ByteType, t.ShortType, t.IntegerType, t.LongType)
    for name in (total, count):
        if not isinstance(types[name], integers):
            hint = " (money is integer minor units, never a float)" if name == total else ""
            raise ValidationError(
                f"{name}: expected an integer column, got {types[name].simpleString()}{hint}"
            )
    if not isinstance(types[first_due], t.DateType):
        raise ValidationError(
            f"{first_due}: expected a date column, got {types[first_due].simpleString()}"
        )
    if annual_rate is not None:
        rt = types[annual_rate]
        if isinstance(rt, t.DecimalType | t.StringType):
            if rate_scale is not None:
                raise ValidationError(
                    f"rate_scale: only for an integer rate column; {annual_rate} is "
                    f"{rt.simpleString()}"
                )
        elif isinstance(rt, integers):
            if rate_scale is None:
                raise ValidationError(
                    f"{annual_rate}: an integer rate column needs rate_scale (10_000 for basis "
                    "points)"
                )
        else:
            raise ValidationError(
                f"{annual_rate}: expected a decimal, string or integer column, got "
                f"{rt.simpleString()} (rates are exact, never a float)"
            )
    if frequency_col is not None and not isinstance(types[frequency_col], t.StringType):
        raise ValidationError(
            f"{frequency_col}: expected a string column of frequency names, got "
            f"{types[frequency_col].simpleString()}"
        )


# -- letters ---------------------------------------------------------------------------------------

_CAMPAIGN_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,51}$")


def _probe_columns() -> dict[str, Any]:
    from arrears.letters import Address, Itemization, LetterAccount, LetterRecipient, letter_columns

    account = LetterAccount(
        "probe", "probe", Itemization(datetime.date(2000, 1, 1), Money(0), Money(0))
    )
    return letter_columns([(account, LetterRecipient("probe", Address("probe")))])


def _letter_columns(batch: pa.Table) -> dict[str, Any]:
    """A batch's letter columns as the lists ``letters.letter_columns`` reads (maps as dicts)."""
    import pyarrow as pa

    out: dict[str, Any] = {}
    for name in batch.column_names:
        if name not in LETTER_COLUMNS:
            continue
        col = batch.column(name)
        if pa.types.is_map(col.type):
            out[name] = [None if v is None else dict(v) for v in col.to_pylist()]
        elif col.null_count == 0 and (
            pa.types.is_integer(col.type) or pa.types.is_boolean(col.type)
        ):
            out[name] = col.to_numpy()
        else:
            out[name] = col.to_pylist()
    return out


@dataclasses.dataclass(frozen=True)
class _LetterJob:
    campaign: str
    template: str | Template
    as_of: datetime.date
    collector: dict[str, Any]
    options: tuple[tuple[str, Any], ...]
    formats: tuple[str, ...]

    def make(self, columns: Mapping[str, Any], name: str) -> Campaign:
        return Campaign(
            name, self.template, columns, self.as_of, collector=self.collector, **dict(self.options)
        )

    def __call__(self, batch: pa.RecordBatch, n: int = 0) -> dict[str, Any]:
        table = _as_table(batch)
        columns = _letter_columns(table)
        name = f"{self.campaign}-p{_partition_id():05d}-b{n:04d}"
        c = self.make(columns, name)
        ids = [str(x) for x in columns["account_id"]]
        reasons = c.suppressed
        rows = [i for i, r in enumerate(reasons) if r is None]
        size = len(ids)
        out: dict[str, Any] = {
            "account_id": ids,
            "letter_id": [None] * size,
            "suppressed": list(reasons),
            "language": [None] * size,
        }
        for fmt in self.formats:
            out[fmt] = [None] * size
        if rows:
            spec = c._spec(list(self.formats), collect=True, return_letters=True)
            spec["threads"] = 1
            letters = _letters.render_campaign(c._selection, rows, spec, "")["letters"]
            for k, row in enumerate(letters["row"]):
                out["letter_id"][row] = letters["letter_id"][k]
                out["language"][row] = letters["language"][k]
                for fmt in self.formats:
                    out[fmt][row] = letters[fmt][k]
        return out


def _letter_job(
    template: str | Template,
    as_of: datetime.date,
    collector: CollectorProfile | Mapping[str, Any],
    campaign: str,
    formats: Sequence[str],
    options: Mapping[str, Any],
) -> _LetterJob:
    if not isinstance(campaign, str) or not _CAMPAIGN_NAME.match(campaign):
        raise ValidationError(
            f"campaign: {campaign!r} must be 1-52 letters, digits, '_', '.' or '-' (partition "
            "and batch numbers are appended)"
        )
    if isinstance(collector, CollectorProfile):
        coll = collector.to_dict()
    elif isinstance(collector, Mapping):
        coll = CollectorProfile.from_dict(collector).to_dict()
    else:
        raise ValidationError(
            f"collector: expected a CollectorProfile or a dict, got {type(collector).__name__}"
        )
    opts = {k: v for k, v in options.items() if v is not None}
    opts["threads"] = 1
    if "tags" in opts:
        opts["tags"] = list(opts["tags"])
    channel = opts.get("channel", "mail")
    job = _LetterJob(
        campaign,
        template,
        _date(as_of, "as_of") if channel == "mail" else as_of,
        coll,
        tuple(opts.items()),
        tuple(formats),
    )
    # The template, collector and options are checked on the driver by a campaign over one
    # made-up row (the data itself is checked per batch on the workers).
    probe = job.make(_probe_columns(), f"{campaign}-p0")
    have = {fmt for _, fmt, _ in probe._templates}
    for fmt in formats:
        if fmt not in ("html", "text"):
            raise ValidationError(f"formats: {fmt!r} is not 'html' or 'text'")
        if fmt not in have:
            raise ValidationError(f"formats: no {fmt} template in this campaign")
    return job


def _letter_input(df: DataFrame) -> DataFrame:
    _require_columns(df, ["account_id", "recipient_name"], "df")
    return df.select(*[c for c in df.columns if c in LETTER_COLUMNS])


def render_letters(
    df: Any,
    template: str | Template,
    as_of: datetime.date,
    *,
    collector: CollectorProfile | Mapping[str, Any],
    campaign: str = "letters",
    formats: Sequence[str] = ("html",),
    channel: str = "mail",
    letter: str | None = None,
    tags: Sequence[str] | None = None,
    send_at: datetime.datetime | None = None,
    text_template: Template | None = None,
    language: str | None = None,
) -> DataFrame:
    """Letters for every row of a DataFrame of letter data (the columns of
    ``arrears.letters.LETTER_COLUMNS``; others are not read), rendered per Arrow batch in C++.

    Each batch is one :class:`~arrears.letters.Campaign` (same template, collector, channel,
    tags and suppression rules) named ``<campaign>-p<partition>-b<batch>``, so letter ids
    (``<campaign>-p00003-b0001-000017``) are unique across the run. Result per input row:
    ``account_id``, ``letter_id`` (null when suppressed), ``suppressed`` (the reason, null when
    the letter goes), ``language``, then ``html`` and/or ``text`` (``formats``). The letters are
    exactly those a single-machine campaign renders for the same rows. Lazy and free of side
    effects: write the result with Spark (Parquet) and log each letter as a communication from
    it, or use :func:`write_letters` for print-vendor folders; see docs/scale.md."""
    df = _check_dataframe(df)
    if isinstance(formats, str):
        formats = [formats]
    formats = list(dict.fromkeys(formats))
    if not formats:
        raise ValidationError("formats: at least one of 'html', 'text'")
    options = {
        "channel": channel,
        "letter": letter,
        "tags": tags,
        "send_at": send_at,
        "text_template": text_template,
        "language": language,
    }
    job = _letter_job(template, as_of, collector, campaign, formats, options)
    cols = [(n, k) for n, k in LETTER_RESULT_COLUMNS.items() if n not in ("html", "text")]
    cols += [(fmt, "string") for fmt in formats]
    return _map_batches(_letter_input(df), job, cols)


@dataclasses.dataclass(frozen=True)
class _WriteLettersJob:
    """Per batch: one Campaign.run into ``<out_dir>/<campaign>-p<partition>-b<batch>``; the
    communication and suppression records come back as rows."""

    letters: _LetterJob
    out_dir: str
    run_options: tuple[tuple[str, Any], ...]

    def __call__(self, batch: pa.RecordBatch, n: int = 0) -> dict[str, Any]:
        import shutil
        from pathlib import Path

        table = _as_table(batch)
        columns = _letter_columns(table)
        name = f"{self.letters.campaign}-p{_partition_id():05d}-b{n:04d}"
        c = self.letters.make(columns, name)
        target = Path(self.out_dir) / name
        if target.exists():
            # Left by an earlier attempt of this same task (the names are unique per batch and
            # the run refused an existing out_dir); only this attempt's records are committed.
            shutil.rmtree(target)
        records: list[dict[str, Any]] = []
        ids = [str(x) for x in columns["account_id"]]
        reasons = c.suppressed
        if any(r is None for r in reasons):
            c.run(target, log=records.extend, **dict(self.run_options))
        else:
            target.mkdir(parents=True)  # every account suppressed: no campaign to write
        out: dict[str, list[Any]] = {k: [] for k in COMMUNICATION_COLUMNS}
        for rec in records:
            out["account_id"].append(rec["account_id"])
            out["suppressed"].append(None)
            out["letter_id"].append(rec["letter_id"])
            out["campaign"].append(rec["campaign"])
            out["folder"].append(name)
            out["channel"].append(rec["channel"])
            out["letter"].append(rec["letter"])
            out["language"].append(rec["language"])
            out["template_sha256"].append(rec["template_sha256"])
            out["sent"].append(rec["sent"])
            out["batch"].append(rec["batch"])
            out["file"].append(f"{name}/{rec['file']}")
            out["offset"].append(rec["offset"])
            out["length"].append(rec["length"])
        for account, reason in zip(ids, reasons, strict=True):
            if reason is None:
                continue
            out["account_id"].append(account)
            out["suppressed"].append(reason)
            out["campaign"].append(name)
            out["folder"].append(name)
            out["channel"].append(c.channel)
            out["letter"].append(c.letter)
            out["template_sha256"].append(c.template_sha256)
            out["sent"].append(c.as_of)
            for k in ("letter_id", "language", "batch", "file", "offset", "length"):
                out[k].append(None)
        return out


def write_letters(
    df: Any,
    out_dir: str,
    template: str | Template,
    as_of: datetime.date,
    *,
    collector: CollectorProfile | Mapping[str, Any],
    campaign: str = "letters",
    records_path: str | None = None,
    formats: Sequence[str] | None = None,
    channel: str = "mail",
    letter: str | None = None,
    tags: Sequence[str] | None = None,
    send_at: datetime.datetime | None = None,
    text_template: Template | None = None,
    language: str | None = None,
    batch_size: int = 1000,
    one_file_each: bool = False,
    csv_mapping: str | Mapping[str, Any] | None = None,
    pdf: bool = False,
) -> DataFrame:
    """Renders and writes a letter campaign from a DataFrame of letter data, one audited
    campaign folder per Arrow batch, and returns the communication records. **Runs now** (an
    action, not a lazy DataFrame): letters are side effects and must be written once.

    Every batch becomes ``Campaign(...).run(out_dir/<campaign>-p<partition>-b<batch>)`` on its
    worker: the combined letter files, ``index.csv``, ``manifest.json`` (counts, suppressions,
    SHA-256 of every file) and, as asked, ``print_vendor.csv``, PDFs, e-mails. ``out_dir`` must
    be a path every worker can write (a shared mount: ``/dbfs/...``, ``/Volumes/...``, NFS or
    EFS) and must not exist yet. The records (:data:`COMMUNICATION_COLUMNS`: one per selected
    account, a letter or its suppression reason) are written by Spark as Parquet to
    ``records_path`` (default ``out_dir + "/_communications"``) and returned read back from
    there; log them into the store as communications. A retried task replaces the folder of
    its own earlier attempt; only the folders named in the records are part of the campaign."""
    import os

    df = _check_dataframe(df)
    if formats is not None:
        formats = [formats] if isinstance(formats, str) else list(dict.fromkeys(formats))
    shown = list(formats) if formats else (["html", "text"] if channel == "email" else ["html"])
    options = {
        "channel": channel,
        "letter": letter,
        "tags": tags,
        "send_at": send_at,
        "text_template": text_template,
        "language": language,
        "batch_size": batch_size,
    }
    job = _letter_job(template, as_of, collector, campaign, shown, options)
    if os.path.exists(out_dir):
        raise ValidationError(f"out_dir: {out_dir!r} exists; a campaign writes a new folder")
    run_options: dict[str, Any] = {"one_file_each": one_file_each, "pdf": pdf}
    if formats is not None:
        run_options["formats"] = list(formats)
    if csv_mapping is not None:
        run_options["csv_mapping"] = csv_mapping
    os.makedirs(out_dir)
    records = _map_batches(
        _letter_input(df),
        _WriteLettersJob(job, os.path.abspath(out_dir), tuple(run_options.items())),
        list(COMMUNICATION_COLUMNS.items()),
    )
    path = records_path or os.path.join(out_dir, "_communications")
    records.write.parquet(path)
    out: DataFrame = df.sparkSession.read.parquet(path)
    return out


# -- compliance ------------------------------------------------------------------------------------

CHECK_COLUMNS: dict[str, str] = {
    "allowed": "boolean",
    "next_allowed": "timestamp",
    "window_end": "timestamp",
    "rule": "string",
    "blocked_by": "string",
}
"""Columns :func:`check_worklist` adds to the proposed contacts (UTC timestamps; null when
never, or for ``window_end`` when nothing closes the window)."""

_PROPOSED_COLUMNS = ("consumer_id", "debt_id", "channel", "at", "tags")
_HISTORY_COLUMNS = (
    "debt_id",
    "at",
    "channel",
    "direction",
    "outcome",
    "consent",
    "tags",
    "event",
)


def _seconds(col: Any, field: str) -> np.ndarray[Any, np.dtype[np.int64]]:
    """UTC seconds (floored) from a timestamp column, or an integer column of seconds."""
    import pyarrow as pa

    if col.null_count:
        raise ValidationError(f"{field}: missing instant (null)")
    if pa.types.is_timestamp(col.type):
        micros = col.cast(pa.timestamp("us", tz=col.type.tz)).cast(pa.int64()).to_numpy()
        seconds: np.ndarray[Any, np.dtype[np.int64]] = np.floor_divide(micros, 1_000_000)
        return seconds
    if pa.types.is_integer(col.type):
        return np.asarray(col.to_numpy(), dtype=np.int64)
    raise ValidationError(f"{field}: expected a timestamp or integer UTC seconds, got {col.type}")


def _values(col: Any) -> Any:
    """A column as check_worklist reads it: numpy for null-free numbers and flags, lists else."""
    import pyarrow as pa

    if col.null_count == 0 and (pa.types.is_integer(col.type) or pa.types.is_boolean(col.type)):
        return col.to_numpy()
    return col.to_pylist()


@dataclasses.dataclass(frozen=True)
class _CheckJob:
    """Per batch of proposed contacts (each row carrying its consumer's JSON and complete
    history, joined in Spark): one ``compliance.check_worklist`` call."""

    policy: Any
    proposed_columns: tuple[str, ...]
    history_columns: tuple[str, ...]
    next_allowed: bool

    def __call__(self, batch: pa.RecordBatch, n: int = 0) -> pa.Table:
        import pyarrow as pa
        import pyarrow.compute as pc

        from arrears.compliance import Consumer, check_worklist

        table = _as_table(batch).combine_chunks()
        ids = table.column("consumer_id")
        if ids.null_count:
            raise ValidationError("proposed.consumer_id: null")
        id_list = [str(x) for x in ids.to_pylist()]
        first: dict[str, int] = {}
        for row, cid in enumerate(id_list):
            first.setdefault(cid, row)
        consumer_json = table.column("_consumer").to_pylist()
        consumers = []
        for cid, row in first.items():
            if consumer_json[row] is None:
                raise ValidationError(f"proposed.consumer_id: {cid!r} is not in consumers")
            consumers.append(Consumer.from_json(consumer_json[row]))
        proposed: dict[str, Any] = {"consumer_id": id_list}
        for name in self.proposed_columns:
            if name == "at":
                proposed["at"] = _seconds(table.column("at"), "proposed.at")
            elif name != "consumer_id":
                proposed[name] = _values(table.column(name))
        history: dict[str, Any] | None = None
        if self.history_columns:
            rows = pa.array(list(first.values()), pa.int64())
            lists = table.column("_history").chunk(0).take(rows)
            flat = pc.list_flatten(lists)
            if len(flat):
                owner = np.asarray(pc.list_parent_indices(lists).to_numpy())
                firsts = list(first)
                cols = {name: flat.field(name) for name in self.history_columns}
                at = _seconds(cols["at"], "history.at")
                keys = [at, owner]
                if "event" in cols:
                    keys.insert(0, np.asarray(cols["event"].fill_null(0).to_numpy()))
                order = np.lexsort(keys)  # by consumer, then time (then event): adjacent events
                history = {"consumer_id": [firsts[i] for i in owner[order]], "at": at[order]}
                for name, col in cols.items():
                    if name != "at":
                        history[name] = _values(col.take(pa.array(order)))
        result = check_worklist(
            self.policy,
            consumers,
            proposed,
            history,
            threads=1,
            next_allowed=self.next_allowed,
            progress=False,
        )
        out = table.drop_columns([c for c in ("_consumer", "_history") if c in table.column_names])
        stamp = pa.timestamp("us", tz="UTC")
        out = out.append_column("allowed", pa.array(np.asarray(result["allowed"], dtype=bool)))
        if self.next_allowed:
            for name in ("next_allowed", "window_end"):
                values = np.asarray(result[name]).astype("datetime64[us]")
                out = out.append_column(name, pa.array(values, from_pandas=True).cast(stamp))
        out = out.append_column("rule", pa.array(list(result["rule"]), pa.string()))
        return out.append_column("blocked_by", pa.array(list(result["blocked_by"]), pa.string()))


def check_worklist(
    policy: Any,
    consumers: Any,
    proposed: Any,
    history: Any = None,
    *,
    next_allowed: bool = True,
) -> DataFrame:
    """Checks every proposed contact against its consumer's contact history, as
    ``arrears.compliance.check_worklist`` does on one machine, over Spark DataFrames.

    - ``policy``: a ``ContactPolicy`` or a mapping from ``Consumer.state`` to a policy (key
      ``None``: the default); it travels to the workers as its JSON.
    - ``consumers``: a DataFrame of ``consumer_id`` and ``consumer`` (the text of
      ``Consumer.to_json()``), or a list of ``Consumer`` (made into one).
    - ``proposed``: one row per (contact, debt): ``consumer_id``, ``debt_id``, ``channel``
      (names or codes), ``at`` (a timestamp, or integer UTC seconds) and optionally ``tags``
      (comma-separated text or ``array<string>``). Other columns are kept.
    - ``history``: ``consumer_id``, ``debt_id``, ``at``, ``channel``, ``direction``,
      ``outcome`` and optionally ``consent``, ``tags``, ``event``.

    Spark joins each consumer's JSON and complete history (collected per consumer) onto the
    proposed rows; each Arrow batch then goes through one core call, which is exact because
    every proposed contact is judged against its consumer's history alone. Result: the
    proposed rows (any order) with :data:`CHECK_COLUMNS` added (``next_allowed`` and
    ``window_end`` only with ``next_allowed=True``). Instants are floored to whole seconds.
    The policy and the columns are checked on the driver."""
    sql = _require_pyspark()
    f = sql.functions
    t = sql.types
    from arrears.compliance import Consumer, ContactPolicy

    proposed = _check_dataframe(proposed)
    policies = list(policy.values()) if isinstance(policy, Mapping) else [policy]
    for p in policies:
        if not isinstance(p, ContactPolicy):
            raise ValidationError(f"policy: expected a ContactPolicy, got {type(p).__name__}")
    if not isinstance(consumers, sql.DataFrame):
        items = list(consumers)
        for c in items:
            if not isinstance(c, Consumer):
                raise ValidationError(
                    f"consumers: expected a DataFrame or Consumer objects, got {type(c).__name__}"
                )
        consumers = proposed.sparkSession.createDataFrame(
            [(c.id, c.to_json()) for c in items], "consumer_id string, consumer string"
        )
    _require_columns(consumers, ["consumer_id", "consumer"], "consumers")
    _require_columns(proposed, ["consumer_id", "debt_id", "channel", "at"], "proposed")
    for name in ("_consumer", "_history", *CHECK_COLUMNS):
        if name in proposed.columns:
            raise ValidationError(f"proposed: column {name!r} is a result column; rename it")
    data = proposed.join(
        consumers.select("consumer_id", f.col("consumer").alias("_consumer")),
        "consumer_id",
        "left",
    )
    history_columns: tuple[str, ...] = ()
    if history is not None:
        history = _check_dataframe(history)
        _require_columns(
            history,
            ["consumer_id", "debt_id", "at", "channel", "direction", "outcome"],
            "history",
        )
        history_columns = tuple(c for c in _HISTORY_COLUMNS if c in history.columns)
        nested = history.groupBy("consumer_id").agg(
            f.collect_list(f.struct(*history_columns)).alias("_history")
        )
        data = data.join(nested, "consumer_id", "left")
    proposed_columns = tuple(c for c in _PROPOSED_COLUMNS if c in proposed.columns)
    job = _CheckJob(policy, proposed_columns, history_columns, next_allowed)
    fields = [fld for fld in data.schema.fields if fld.name not in ("_consumer", "_history")]
    types = {"boolean": t.BooleanType(), "timestamp": t.TimestampType(), "string": t.StringType()}
    for name, kind in CHECK_COLUMNS.items():
        if next_allowed or kind != "timestamp":
            fields.append(t.StructField(name, types[kind], True))
    out: DataFrame = _map_typed(data, job, t.StructType(fields))
    return out
