"""arrears on Spark (issue 10): the same portfolio, in Parquet, through aging and scoring on a
local Spark (local[2]: both cores of this machine) against single-machine arrears.

Both sides start from the same Parquet dataset (8 files, written once per size under
build/bench-data/) and produce the full per-account result: single-machine arrears reads it
with pyarrow into a Portfolio and runs the core on both cores; Spark reads it, sends each Arrow
batch (spark.sql.execution.arrow.maxRecordsPerBatch = 10,000, Spark's default) through one core
call on a Python worker, and writes the per-account result to Spark's ``noop`` sink (computed
in full, written nowhere). The Spark session starts in the warm-up run, not in the timed ones.
Peak memory is the driver's Python process only (Spark's JVM and Python workers are not in it).
"""

from __future__ import annotations

import datetime
import os
import sys
from pathlib import Path
from typing import Any

import numpy as np

from harness import Benchmark

AS_OF = datetime.date(2026, 11, 23)
STRATEGY = {
    "name": "bench",
    "factors": [
        {"column": "dpd", "weight": 50, "cap": 180},
        {"column": "balance_cents", "weight": 30, "cap": 500_000},
        {"column": "days_since_last_payment", "weight": 20, "cap": 365, "null_value": 1},
    ],
    "segments": [{"name": "all", "treatment": {"type": "call", "queue": "all"}}],
}
DATA = Path(__file__).resolve().parent.parent / "build" / "bench-data"
FILES = 8
TOP_N = 10_000


def write_dataset(n: int, seed: int = 7) -> Path:
    """The portfolio as a Parquet dataset of 8 files (written once per size)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = DATA / f"spark-portfolio-{n}"
    if (path / "_done").exists():
        return path
    path.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    today = (AS_OF - datetime.date(1970, 1, 1)).days
    step = -(-n // FILES)
    for f in range(FILES):
        lo, hi = f * step, min(n, (f + 1) * step)
        m = hi - lo
        ids = np.char.add("A", np.arange(lo, hi).astype("U10")).astype(object)
        table = pa.table(
            {
                "account_id": pa.array(ids, pa.string()),
                "balance_cents": pa.array(rng.integers(0, 1_000_000, m, dtype=np.int64)),
                "oldest_unpaid_due": pa.array(
                    (today - rng.integers(-30, 400, m)).astype(np.int32),
                    pa.date32(),
                    mask=rng.random(m) < 0.2,
                ),
                "last_payment_date": pa.array(
                    (today - rng.integers(0, 700, m)).astype(np.int32),
                    pa.date32(),
                    mask=rng.random(m) < 0.3,
                ),
            }
        )
        pq.write_table(table, path / f"part-{f:02d}.parquet")
    (path / "_done").touch()
    return path


def setup(n: int) -> dict[str, Any]:
    return {"path": write_dataset(n), "n": n}


def spark_session(d: dict[str, Any]) -> Any:
    """local[2], started on first use (the harness's untimed warm-up run)."""
    if "spark" not in d:
        os.environ["PYSPARK_PYTHON"] = sys.executable
        from pyspark.sql import SparkSession

        d["spark"] = (
            SparkSession.builder.master("local[2]")
            .appName("arrears-bench")
            .config("spark.ui.enabled", "false")
            .config("spark.driver.memory", "6g")
            .config("spark.sql.shuffle.partitions", "4")
            .getOrCreate()
        )
        d["spark"].sparkContext.setLogLevel("ERROR")
    return d["spark"]


# -- aging: per-account dpd + bucket, and the bucket totals ----------------------------------------


def aging_arrears(d: dict[str, Any]) -> Any:
    import pyarrow.parquet as pq

    import arrears

    with arrears.Portfolio.from_arrow(pq.read_table(d["path"])) as p:
        aged = p.age(AS_OF)
        totals = p.bucket_summary(AS_OF)
    return aged.num_rows, totals["accounts"].tolist(), totals["balance_cents"].tolist()


def aging_spark(d: dict[str, Any]) -> Any:
    from arrears import spark as asp

    df = spark_session(d).read.parquet(str(d["path"]))
    asp.age(df, AS_OF).write.format("noop").mode("overwrite").save()
    totals = asp.bucket_totals(df, AS_OF).collect()
    return d["n"], [r.accounts for r in totals], [r.balance_cents for r in totals]


# -- scoring: every account scored, and the top 10,000 worklist ------------------------------------


def scoring_arrears(d: dict[str, Any]) -> Any:
    import pyarrow.parquet as pq

    import arrears

    s = arrears.Strategy.from_dict(STRATEGY)
    with arrears.Portfolio.from_arrow(pq.read_table(d["path"])) as p:
        scored = s.apply(p, AS_OF, progress=False)
        work = s.worklist(p, AS_OF, top_n=TOP_N, progress=False)
    return scored.num_rows, work["account_id"].tolist()


def scoring_spark(d: dict[str, Any]) -> Any:
    from arrears import spark as asp

    df = spark_session(d).read.parquet(str(d["path"]))
    asp.score(df, STRATEGY, AS_OF).write.format("noop").mode("overwrite").save()
    work = asp.worklist(df, STRATEGY, AS_OF, top_n=TOP_N).select("account_id").collect()
    return d["n"], [r.account_id for r in work]


def same(result: Any, base: Any) -> None:
    if result != base:
        raise AssertionError("Spark and single-machine arrears disagree")


BENCHMARKS = [
    Benchmark(
        name="spark_aging",
        setup=setup,
        variants={"arrears": aging_arrears, "spark": aging_spark},
        sizes=(1_000_000, 10_000_000),
        quick_sizes=(100_000,),
        unit="accounts",
        repeat=3,
        description="Parquet -> days past due and bucket per account + bucket totals; "
        "single-machine arrears against arrears.spark on local[2].",
        targets="none stated; the numbers for docs/scale.md (what a cluster must beat)",
        check=same,
    ),
    Benchmark(
        name="spark_scoring",
        setup=setup,
        variants={"arrears": scoring_arrears, "spark": scoring_spark},
        sizes=(1_000_000, 10_000_000),
        quick_sizes=(100_000,),
        unit="accounts",
        repeat=3,
        description="Parquet -> strategy scores of every account + a top-10,000 call worklist; "
        "single-machine arrears against arrears.spark on local[2].",
        targets="none stated; the numbers for docs/scale.md",
        check=same,
    ),
]
