"""Store benchmarks (issue 3): ingest of payments through arrears.Store against a plain C
prepared-statement loop and Python's sqlite3 executemany, into the same table of the same
store; and loading every account for the batch engine."""

from __future__ import annotations

import csv
import datetime
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

from harness import Benchmark

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
AS_OF = datetime.date(2026, 11, 23)


def _c_loop() -> Path:
    exe = OUT / "ingest_c"
    src = HERE / "c" / "ingest.c"
    if not exe.exists() or exe.stat().st_mtime < src.stat().st_mtime:
        OUT.mkdir(exist_ok=True)
        subprocess.run(["gcc", "-O2", "-o", str(exe), str(src), "-lsqlite3"], check=True)
    return exe


def _base_store(accounts: int) -> Path:
    """A store with `accounts` accounts (and their debtors), built once per size."""
    import pandas as pd

    import arrears

    path = OUT / f"store-base-{accounts}.db"
    if path.exists():
        return path
    OUT.mkdir(exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.unlink(missing_ok=True)
    ids = [f"A{i:08d}" for i in range(accounts)]
    debtors = pd.DataFrame(
        {"debtor_id": [f"D{i:08d}" for i in range(accounts)], "last_name": "Doe"}
    )
    rng = np.random.default_rng(3)
    acc = pd.DataFrame(
        {
            "account_id": ids,
            "debtor_id": debtors["debtor_id"],
            "opened_on": "2023-01-15",
            "charged_off_on": "2025-06-30",
            "principal_cents": rng.integers(10_000, 1_000_000, accounts),
        }
    )
    with arrears.Store(tmp) as s:
        s.import_debtors(debtors)
        s.import_accounts(acc)
    os.replace(tmp, path)
    return path


def setup_ingest(n: int) -> dict[str, Any]:
    accounts = max(1, n // 5)
    base = _base_store(accounts)
    csv_path = OUT / f"payments-{n}.csv"
    if not csv_path.exists():
        rng = np.random.default_rng(5)
        acct = rng.integers(0, accounts, n)
        seq = np.zeros(n, dtype=np.int64)
        counts = np.ones(accounts, dtype=np.int64)  # every account has its placement charge (seq 1)
        for i, a in enumerate(acct):
            counts[a] += 1
            seq[i] = counts[a]
        day0 = datetime.date(2026, 1, 1).toordinal()
        # Dates increase with the row so most payments sort after the account's earlier ones.
        days = day0 + (np.arange(n) * 300 // n)
        with csv_path.open("w", newline="") as f:
            w = csv.writer(f)
            w.writerow(["account_id", "amount", "effective_date", "reference", "seq"])
            for i in range(n):
                w.writerow(
                    [
                        f"A{acct[i]:08d}",
                        f"{rng.integers(100, 50_000) / 100:.2f}",
                        datetime.date.fromordinal(int(days[i])).isoformat(),
                        f"P{i:09d}",
                        int(seq[i]),
                    ]
                )
    return {"base": base, "csv": csv_path, "exe": _c_loop(), "n": n}


def _fresh(d: dict[str, Any]) -> Path:
    tmp = Path(tempfile.mkdtemp(dir=OUT))
    db = tmp / "s.db"
    shutil.copyfile(d["base"], db)
    return db


def ingest_arrears(d: dict[str, Any]) -> int:
    import arrears

    db = _fresh(d)
    try:
        with arrears.Store(db, actor="bench") as s:
            r = s.import_payments(d["csv"])
            return int(r.inserted)
    finally:
        shutil.rmtree(db.parent)


def ingest_c_loop(d: dict[str, Any]) -> int:
    db = _fresh(d)
    try:
        out = subprocess.run(
            [str(d["exe"]), str(db), str(d["csv"])], capture_output=True, text=True, check=True
        )
        return int(out.stdout.strip())
    finally:
        shutil.rmtree(db.parent)


def ingest_python(d: dict[str, Any]) -> int:
    import sqlite3
    from decimal import Decimal

    db = _fresh(d)
    try:
        con = sqlite3.connect(db, isolation_level=None)
        con.execute("PRAGMA journal_mode=WAL")
        con.execute("PRAGMA synchronous=NORMAL")
        con.execute("PRAGMA foreign_keys=ON")
        with d["csv"].open(newline="") as f:
            r = csv.reader(f)
            next(r)
            rows = [(a, int(seq), day, int(Decimal(amt) * 100), ref) for a, amt, day, ref, seq in r]
        con.execute("BEGIN IMMEDIATE")
        con.executemany(
            "INSERT INTO transactions (account_id, seq, type, effective_date, posted_at, "
            "amount_cents, currency, reference, actor) VALUES (?, ?, 'payment', ?, "
            "'2026-11-23T00:00:00Z', ?, 'USD', ?, 'executemany')",
            rows,
        )
        con.execute("COMMIT")
        con.close()
        return len(rows)
    finally:
        shutil.rmtree(db.parent)


def same_count(result: Any, base: Any) -> None:
    if int(result) != int(base):
        raise AssertionError(f"{result} rows != {base}")


def setup_load(n: int) -> dict[str, Any]:
    return {"base": _base_store(n)}


def load_arrears(d: dict[str, Any]) -> int:
    import arrears

    with arrears.Store(d["base"], read_only=True) as s:
        p = s.load_portfolio(AS_OF)
        return len(p)


def load_pandas(d: dict[str, Any]) -> int:
    import sqlite3

    import pandas as pd

    con = sqlite3.connect(f"file:{d['base']}?mode=ro", uri=True)
    df = pd.read_sql("SELECT * FROM v_aging_input", con, parse_dates=["oldest_unpaid_due"])
    con.close()
    return len(df)


BENCHMARKS = [
    Benchmark(
        name="store_ingest_payments",
        setup=setup_ingest,
        variants={
            "arrears": ingest_arrears,
            "c_loop": ingest_c_loop,
            "python_executemany": ingest_python,
        },
        sizes=(100_000, 1_000_000),
        quick_sizes=(20_000,),
        unit="payments",
        repeat=3,
        description="Payments from a CSV file into the ledger table of a store holding n/5 "
        "accounts, one transaction. arrears: `store.import_payments(path)` (parses, "
        "validates, allocates through the waterfall, updates account_state, idempotent by "
        "reference). The baselines only insert rows (seq precomputed in the file). Each "
        "run copies the base store first (included, the same for all).",
        targets=">= 80% of the C loop's rate (1e6 payments)",
        check=same_count,
    ),
    Benchmark(
        name="store_load_portfolio",
        setup=setup_load,
        variants={"arrears": load_arrears, "pandas_read_sql": load_pandas},
        sizes=(100_000, 1_000_000),
        quick_sizes=(20_000,),
        unit="accounts",
        repeat=3,
        description="Every account's aging/strategy columns as of a date into the batch engine. "
        "arrears: `store.load_portfolio(as_of)` (columns straight into buffers, flags included); "
        "pandas: `read_sql` of the v_aging_input view.",
        targets="1e6 accounts in under 2 s",
        check=same_count,
    ),
]
