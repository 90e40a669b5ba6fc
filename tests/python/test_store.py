"""The store from Python: opening, settings with the audit log, queries as tables, exports, and
clear errors for directories, corrupt files, newer schemas and writes through query()."""

from __future__ import annotations

import csv
import datetime
import pickle
import sqlite3
from pathlib import Path

import pytest

import arrears
from arrears import Store


def test_open_create_and_reopen(tmp_path: Path) -> None:
    path = tmp_path / "a.db"
    with Store(path, actor="tester") as s:
        assert s.schema_version == arrears._core.store.Store.latest_schema_version
        s.set_setting("reporting_day", "5")
        assert "accounts" in s.tables() and "v_account_balance" in s.views()
    with Store(path, read_only=True) as s:
        assert s.setting("reporting_day") == "5"
        assert s.setting("missing", "dflt") == "dflt"
        with pytest.raises(arrears.StorageError, match="read-only"):
            s.set_setting("x", "1")
    # The file is plain SQLite: the sqlite3 module reads it.
    con = sqlite3.connect(path)
    assert con.execute("SELECT value FROM settings").fetchone() == ("5",)
    con.close()


def test_audit_log_names_the_actor(tmp_path: Path) -> None:
    with Store(tmp_path / "b.db", actor="collector-7") as s:
        s.set_setting("k", "1")
        s.actor = "nightly"
        s.set_setting("k", "2")
        log = s.audit_log("settings").to_pylist()
        assert [(r["actor"], r["action"]) for r in log] == [
            ("collector-7", "insert"),
            ("nightly", "update"),
        ]
        assert s.audit_log(since=datetime.date(2000, 1, 1)).num_rows == 2
        with pytest.raises(arrears.ValidationError, match="actor"):
            s.actor = ""


def test_query_and_exports(tmp_path: Path) -> None:
    with Store(":memory:") as s:
        s.set_setting("a", "x,y")
        t = s.query("SELECT key, value, ? AS as_of FROM settings", [datetime.date(2026, 1, 31)])
        assert t.to_pylist() == [{"key": "a", "value": "x,y", "as_of": datetime.date(2026, 1, 31)}]
        out = tmp_path / "settings.csv"
        assert s.export("settings", out) == 1
        with out.open(newline="") as f:
            assert list(csv.reader(f)) == [["key", "value"], ["a", "x,y"]]
        pq = tmp_path / "settings.parquet"
        assert s.export("settings", pq) == 1
        import pyarrow.parquet as parquet

        assert parquet.read_table(pq).column("value").to_pylist() == ["x,y"]
        with pytest.raises(arrears.ValidationError, match="read-only"):
            s.query("DELETE FROM settings")
        with pytest.raises(arrears.NotFoundError):
            s.read_table("nope")
        with pytest.raises(arrears.ValidationError, match="params"):
            s.query("SELECT ?", [object()])


def test_bad_paths_and_files(tmp_path: Path) -> None:
    with pytest.raises(arrears.StorageError, match="is a directory"):
        Store(tmp_path)
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"x" * 8192)
    with pytest.raises(arrears.StorageError) as info:
        Store(junk)
    assert info.value.code & 0xFF == 26  # SQLITE_NOTADB
    newer = tmp_path / "newer.db"
    Store(newer).close()
    con = sqlite3.connect(newer)
    con.execute("PRAGMA user_version = 999")
    con.close()
    with pytest.raises(arrears.StorageError, match="newer than this arrears"):
        Store(newer)
    with pytest.raises(arrears.NotFoundError):
        Store(tmp_path / "absent.db", read_only=True)


def test_store_is_a_handle() -> None:
    s = Store(":memory:")
    with pytest.raises(TypeError):
        pickle.dumps(s)
    s.close()
    with pytest.raises(arrears.StorageError, match="closed"):
        s.setting("x")
    assert "closed" in repr(s)


def test_a_version_1_file_is_migrated_to_the_batch_read_indexes(tmp_path: Path) -> None:
    import sqlite3

    path = tmp_path / "v1.db"
    with arrears.Store(path) as s:
        s.save(arrears.Debtor("D1", "Ana", "Lopez"))
    with sqlite3.connect(path) as db:  # as a file written before version 2
        db.execute("DROP INDEX debtors_flags")
        db.execute("DROP INDEX contact_points_best_address")
        db.execute("PRAGMA user_version=1")
    latest = arrears._core.store.Store.latest_schema_version
    with pytest.raises(arrears.StorageError, match=f"needs migrating to {latest}"):
        arrears.Store(path, read_only=True)
    with arrears.Store(path) as s:
        assert s.schema_version == latest
        names = {
            r["name"]
            for r in s.query("SELECT name FROM sqlite_master WHERE type = 'index'").to_pylist()
        }
        assert {"debtors_flags", "contact_points_best_address"} <= names
        assert s.debtor("D1").last_name == "Lopez"
