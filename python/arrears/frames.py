"""Tables in and out of the core.

Every table the core produces is an :class:`arrears.Table`: columns that leave C++ through the
Arrow C stream interface (``__arrow_c_stream__``), so ``pyarrow.table(t)``, ``polars.from_arrow``,
``duckdb`` and ``pandas`` read them without copies; numeric columns are also numpy views
(``t["balance_cents"]``) of the core's own memory.

:class:`Table` is the compiled class (``arrears._core.table.Table``: Arrow export, numpy views);
this module adds the Python conversions to it (pandas, pyarrow, lists of dicts, display).
"""

from __future__ import annotations

import datetime
import html
from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

import numpy as np

from arrears._core.table import Table
from arrears.errors import ValidationError

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa

__all__ = ["Table", "as_arrow_stream"]

_F = TypeVar("_F", bound=Callable[..., Any])


def _method(fn: _F) -> _F:
    """Adds ``fn`` to the compiled Table class under its own name."""
    setattr(Table, fn.__name__, fn)
    return fn


def from_arrow(cls: type[Table], data: object) -> Table:
    """A copy of any tabular data (an Arrow producer, a pandas DataFrame, a dict of columns)
    as an arrears.Table."""
    return cls._from_arrow_stream(as_arrow_stream(data))


setattr(Table, "from_arrow", classmethod(from_arrow))  # noqa: B010


@_method
def with_columns(self: Table, columns: Mapping[str, Any]) -> Table:
    """A new table with ``columns`` (name -> sequence or array of the same length) added or
    replaced. Needs pyarrow."""
    import pyarrow as pa

    t = pa.table(self)
    for name, values in columns.items():
        arr = pa.array(values)
        if len(arr) != self.num_rows:
            raise ValidationError(
                f"columns[{name!r}]: {len(arr)} values for a table of {self.num_rows} rows"
            )
        if name in t.column_names:
            t = t.set_column(t.column_names.index(name), name, arr)
        else:
            t = t.append_column(name, arr)
    return Table.from_arrow(t)


def _schema(self: Table) -> dict[str, str]:
    """Column name -> type (int64, int32, float64, bool, date32, timestamp[s, UTC], utf8,
    dictionary)."""
    return dict(zip(self.column_names, self.column_types, strict=True))


setattr(Table, "schema", property(_schema))  # noqa: B010


@_method
def to_arrow(self: Table) -> pa.Table:
    """A pyarrow.Table sharing the core's memory."""
    import pyarrow as pa

    return pa.table(self)


@_method
def column(self: Table, name: str) -> np.ndarray[Any, Any]:
    """A column as numpy: a read-only view for int64/int32/float64 columns, datetime64[D]
    for dates, datetime64[s] for timestamps, bool for booleans, object for text. Nulls make
    a masked array."""
    kind = self.schema.get(name)
    if kind is None:
        raise KeyError(name)
    raw = self.column_values(name)
    values: np.ndarray[Any, Any]
    if kind == "dictionary":
        codes, categories = raw
        labels = np.array([*categories, None], dtype=object)
        values = labels[np.where(codes < 0, len(categories), codes)]
    elif kind == "utf8":
        values = np.array(raw, dtype=object)
    elif kind == "date32":
        values = raw.astype("datetime64[D]")
    elif kind.startswith("timestamp"):
        values = raw.astype("datetime64[s]")
    elif kind == "bool":
        values = raw.astype(bool)
    else:
        values = raw
    valid = self.column_valid(name)
    if valid is not None:
        return np.ma.MaskedArray(values, mask=(valid == 0))
    return values


@_method
def __getitem__(self: Table, name: str) -> np.ndarray[Any, Any]:
    return self.column(name)


@_method
def __iter__(self: Table) -> Iterator[str]:
    return iter(self.column_names)


@_method
def to_pydict(self: Table) -> dict[str, list[Any]]:
    """Columns as lists of Python values (dates as datetime.date, nulls as None)."""
    out: dict[str, list[Any]] = {}
    for name, kind in self.schema.items():
        raw = self.column_values(name)
        valid = self.column_valid(name)
        if kind == "dictionary":
            codes, categories = raw
            values = [categories[c] if c >= 0 else None for c in codes.tolist()]
        elif kind == "utf8":
            values = list(raw)
        elif kind == "date32":
            values = [datetime.date(1970, 1, 1) + datetime.timedelta(days=int(d)) for d in raw]
        elif kind.startswith("timestamp"):
            epoch = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)
            values = [epoch + datetime.timedelta(seconds=int(s)) for s in raw]
        elif kind == "bool":
            values = [bool(v) for v in raw]
        else:
            values = raw.tolist()
        if valid is not None:
            values = [v if ok else None for v, ok in zip(values, valid, strict=True)]
        out[name] = values
    return out


@_method
def to_pylist(self: Table) -> list[dict[str, Any]]:
    """Rows as dicts."""
    cols = self.to_pydict()
    names = list(cols)
    return [dict(zip(names, row, strict=True)) for row in zip(*cols.values(), strict=True)]


@_method
def to_pandas(self: Table, **kwargs: Any) -> pd.DataFrame:
    """A pandas DataFrame. With pyarrow installed this goes through Arrow (``kwargs`` go to
    ``pyarrow.Table.to_pandas``; dates become datetime64 unless ``date_as_object=True``);
    without it, numeric columns are numpy views."""
    import pandas as pd

    try:
        import pyarrow as pa
    except ImportError:
        data = {n: self.column(n) for n in self.column_names}
        return pd.DataFrame(data)
    kwargs.setdefault("date_as_object", False)
    return pa.table(self).to_pandas(**kwargs)


@_method
def __repr__(self: Table) -> str:
    cols = ", ".join(f"{n}: {t}" for n, t in self.schema.items())
    return f"arrears.Table({self.num_rows:,} rows; {cols})"


@_method
def _repr_html_(self: Table, max_rows: int = 10) -> str:
    names = self.column_names
    cols = {name: self.column(name) for name in names}
    head = [
        {name: col[i] for name, col in cols.items()} for i in range(min(max_rows, self.num_rows))
    ]
    th = "".join(f"<th>{html.escape(n)}</th>" for n in names)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(str(r[n]))}</td>" for n in names) + "</tr>"
        for r in head
    )
    more = f"<p>{self.num_rows - len(head):,} more rows</p>" if self.num_rows > len(head) else ""
    return (
        f"<p><b>arrears.Table</b> {self.num_rows:,} rows, {len(names)} columns</p>"
        f"<table><thead><tr>{th}</tr></thead><tbody>{body}</tbody></table>{more}"
    )


def as_arrow_stream(data: object, what: str = "data") -> object:
    """Anything tabular -> an object with ``__arrow_c_stream__``.

    Accepts Arrow producers as they are (pyarrow, polars, DuckDB, arrears.Table, pandas >= 2.2),
    a pandas DataFrame (converted by pyarrow, index dropped) and a mapping of column name to
    sequence (``{"account_id": [...], ...}``, via pyarrow)."""
    if hasattr(data, "__arrow_c_stream__"):
        try:
            import pandas as pd

            if isinstance(data, pd.DataFrame):
                import pyarrow as pa

                return pa.Table.from_pandas(data, preserve_index=False)
        except ImportError:
            pass
        return data
    if isinstance(data, Mapping):
        try:
            import pyarrow as pa
        except ImportError as exc:  # pragma: no cover - pyarrow is a base dependency
            raise ValidationError(f"{what}: a dict of columns needs pyarrow installed") from exc
        return pa.table(dict(data))
    try:
        import pandas as pd

        if isinstance(data, pd.DataFrame):
            import pyarrow as pa

            return pa.Table.from_pandas(data, preserve_index=False)
    except ImportError:
        pass
    raise ValidationError(
        f"{what}: expected an Arrow table, a pandas DataFrame or a dict of columns, "
        f"got {type(data).__name__}"
    )
