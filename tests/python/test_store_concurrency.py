"""Concurrency and crashes, for real: two processes writing one store, and a process killed
with SIGKILL in the middle of an import."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

import arrears
from arrears import Store

PY = sys.executable


def run(code: str, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [PY, "-c", textwrap.dedent(code), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


HOLD_WRITE_LOCK = """
import sys, time, arrears
store = arrears.Store(sys.argv[1], actor="batch")
with store.transaction():
    store.set_setting("holder", "batch")
    print("locked", flush=True)
    time.sleep(float(sys.argv[2]))
print("done", flush=True)
"""


def test_a_second_writer_waits_or_gets_a_retryable_error(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    Store(db).close()
    holder = run(HOLD_WRITE_LOCK, str(db), "1.5")
    assert holder.stdout is not None
    assert holder.stdout.readline().strip() == "locked"
    # Short busy timeout: a clean, retryable StorageError, nothing written.
    impatient = Store(db, busy_timeout_ms=100, actor="poster")
    with pytest.raises(arrears.StorageError) as info:
        impatient.set_setting("poster", "1")
    assert info.value.retryable
    assert info.value.code & 0xFF == 5  # SQLITE_BUSY
    # Reads go on during the write (WAL).
    assert impatient.setting("holder") is None
    # A patient writer just waits for the lock and succeeds.
    patient = Store(db, busy_timeout_ms=10_000, actor="poster")
    patient.set_setting("poster", "2")
    holder.wait(timeout=30)
    assert holder.returncode == 0
    assert patient.setting("holder") == "batch"
    assert patient.setting("poster") == "2"


IMPORT_FOREVER = """
import sys, arrears
store = arrears.Store(sys.argv[1])
print("start", flush=True)
store.import_debtors(sys.argv[2])
print("finished", flush=True)
"""


def test_kill_9_during_an_import_leaves_nothing_half_written(tmp_path: Path) -> None:
    db = tmp_path / "k.db"
    with Store(db) as s:
        s.import_debtors(_csv(tmp_path / "seed.csv", 3, "S"))
    big = _csv(tmp_path / "big.csv", 60_000, "D")
    proc = run(IMPORT_FOREVER, str(db), str(big))
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "start"
    wal = Path(str(db) + "-wal")
    deadline = time.time() + 60
    while time.time() < deadline and (not wal.exists() or wal.stat().st_size < 2_000_000):
        time.sleep(0.02)
    assert proc.poll() is None, "the import finished before it could be killed"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    with Store(db) as s:
        assert s.query("SELECT count(*) AS n FROM debtors").to_pylist() == [{"n": 3}]
        assert s.query("SELECT count(*) AS n FROM contact_points").to_pylist() == [{"n": 3}]
        assert s.query("PRAGMA integrity_check").to_pylist() == [{"integrity_check": "ok"}]
    con = sqlite3.connect(db)
    assert con.execute("SELECT count(*) FROM audit_log WHERE action = 'import'").fetchone() == (1,)
    con.close()


def _csv(path: Path, n: int, prefix: str) -> Path:
    with path.open("w") as f:
        f.write("debtor_id,first_name,last_name,address_line1,city,state,zip\n")
        for i in range(n):
            f.write(f"{prefix}{i},Ann,Lee{i},{i} Main St,Albany,NY,12207\n")
    return path
