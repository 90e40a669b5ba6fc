"""The SQLite store: arrears' state in one file.

``arrears.Store(path)`` opens (or creates) a store; ``":memory:"`` works for tests. It is a
context manager and a handle (not picklable). Analysts can read the same file with pandas,
DuckDB or the ``sqlite3`` shell through the documented views (docs/store.md).
"""

from __future__ import annotations

import datetime
import os
from collections.abc import Sequence
from types import TracebackType
from typing import Any

from arrears import _core
from arrears.errors import ValidationError
from arrears.frames import Table

__all__ = ["Store"]


class Store:
    """One SQLite file (WAL, foreign keys, STRICT tables, versioned schema, audit log).

    ``actor`` names who made the changes in the audit log (a collector, ``nightly-batch``).
    ``read_only=True`` opens an existing file without writing to it.
    """

    __slots__ = ("_s",)

    def __init__(
        self,
        path: str | os.PathLike[str] = "arrears.db",
        *,
        read_only: bool = False,
        actor: str = "arrears",
        busy_timeout_ms: int = 5000,
        create: bool = True,
    ) -> None:
        self._s: _core.Store = _core.Store(
            os.fspath(path), read_only, busy_timeout_ms, actor, create
        )

    # -- handle life ----------------------------------------------------------------------------
    @property
    def handle(self) -> _core.Store:
        return self._s

    def close(self) -> None:
        self._s.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __reduce__(self) -> Any:
        raise TypeError("a Store is an open database handle and cannot be pickled")

    def __repr__(self) -> str:
        state = "open" if self._s.is_open else "closed"
        mode = ", read-only" if self._s.read_only else ""
        return f"Store({self._s.path!r}, {state}{mode})"

    # -- facts ----------------------------------------------------------------------------------
    @property
    def path(self) -> str:
        return self._s.path

    @property
    def schema_version(self) -> int:
        return self._s.schema_version

    @property
    def actor(self) -> str:
        return self._s.actor

    @actor.setter
    def actor(self, value: str) -> None:
        self._s.actor = value

    # -- settings -------------------------------------------------------------------------------
    def setting(self, key: str, default: str | None = None) -> str | None:
        value = self._s.setting(key)
        return default if value is None else value

    def set_setting(self, key: str, value: str) -> None:
        if not isinstance(value, str):
            raise ValidationError(f"value: settings are text, got {type(value).__name__}")
        self._s.set_setting(key, value)

    # -- reading --------------------------------------------------------------------------------
    def query(self, sql: str, params: Sequence[Any] = ()) -> Table:
        """A read-only SQL query as an arrears.Table (``?`` placeholders, ``params`` bound:
        None, int, float, str, datetime.date)."""
        return self._s.query(sql, list(params))

    def read_table(self, name: str) -> Table:
        """A whole table or view."""
        return self._s.read_table(name)

    def tables(self) -> list[str]:
        return self._s.table_names()

    def views(self) -> list[str]:
        return self._s.view_names()

    def export(self, name: str, path: str | os.PathLike[str], format: str | None = None) -> int:  # noqa: A002
        """Writes a table or view to ``path`` as CSV (RFC 4180) or Parquet (needs pyarrow);
        the format follows the suffix unless given. Returns the rows written."""
        target = os.fspath(path)
        fmt = format or ("parquet" if target.endswith(".parquet") else "csv")
        if fmt == "csv":
            return int(self._s.export_csv(name, target))
        if fmt == "parquet":
            import pyarrow.parquet as pq

            table = self.read_table(name)
            pq.write_table(table.to_arrow(), target)
            return table.num_rows
        raise ValidationError(f"format: {fmt!r} is not csv or parquet")

    def audit_log(self, table: str | None = None, since: datetime.date | None = None) -> Table:
        """The audit log (who, when, what, before/after as JSON), optionally for one table."""
        sql = "SELECT id, at, actor, table_name, row_key, action, before, after FROM audit_log"
        clauses, params = [], []
        if table is not None:
            clauses.append("table_name = ?")
            params.append(table)
        if since is not None:
            clauses.append("at >= ?")
            params.append(since.isoformat())
        if clauses:
            sql += " WHERE " + " AND ".join(clauses)
        return self.query(sql + " ORDER BY id", params)
