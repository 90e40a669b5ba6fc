"""How ``arrears`` commands print what they found: a table or ``key: value`` lines for people,
JSON Lines (``--json``: one object per line, so a cron job can append to a ``.jsonl`` file) or
CSV (``--csv``) for scripts.

In every format money is a decimal string with the currency's minor digits (``"3225.00"``),
rendered by :func:`money_text` from exact integer minor units: a column or key ``x_cents`` is
printed as ``x`` (replacing a float ``x`` in dollars beside it), never as a float. Dates are
``YYYY-MM-DD``, instants ISO 8601, missing values JSON ``null`` (blank in CSV and tables).
CSV goes through the one CSV writer (:func:`arrears.outputs.csv_text`): a text cell a
spreadsheet would run as a formula gets a leading apostrophe; amounts keep their sign.
"""

from __future__ import annotations

import datetime as dt
import decimal
import json
import math
import numbers
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import click

from arrears.outputs import csv_text

if TYPE_CHECKING:
    import pandas as pd

    from arrears.cli_context import Ctx

_CENTS = "_cents"


def _money_name(name: str) -> bool:
    """``x_cents`` holds integer minor units; ``part_x_cents`` is a score part (points) that a
    strategy names after its factor column."""
    return name.endswith(_CENTS) and not name.startswith("part_")


def _money_column(name: str, values: Any) -> bool:
    import pandas as pd

    if not _money_name(name):
        return False
    if pd.api.types.is_integer_dtype(values):
        return True
    return pd.api.types.is_float_dtype(values) and bool((values.dropna() % 1 == 0).all())


def _whole(value: Any) -> bool:
    return value is None or (
        isinstance(value, numbers.Real)
        and not isinstance(value, bool)
        and (not isinstance(value, float) or math.isnan(value) or value.is_integer())
    )


def money_text(value: Any, currency: str = "USD") -> str | None:
    """The one rendering of an amount in CLI output: a Money, or integer minor units of
    ``currency``, as a decimal string (``Money.from_minor(322500).amount`` -> ``"3225.00"``);
    None (or a missing value) stays None."""
    from arrears import Money

    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if value.__class__.__name__ == "NAType":
        return None
    if isinstance(value, Money):
        return str(value.amount)
    if isinstance(value, float):  # a column of cents with gaps that pandas made float
        if not value.is_integer():
            raise ValueError(f"{value!r} is not a whole number of minor units")
        value = int(value)
    return str(Money.from_minor(int(value), currency).amount)


def _plain(value: Any, currency: str) -> Any:
    """A value JSON can hold (nested dicts and lists too; ``x_cents`` keys become ``x``)."""
    from arrears import Money

    if isinstance(value, Mapping):
        return record(value, currency)
    if isinstance(value, (list, tuple)):
        return [_plain(v, currency) for v in value]
    if isinstance(value, Money):
        return money_text(value)
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return value.isoformat()
    if isinstance(value, float) and math.isnan(value):
        return None
    if value.__class__.__name__ in ("NAType", "NaTType"):
        return None
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):  # numpy scalars
        return _plain(value.item(), currency)
    return value


def record(data: Mapping[str, Any], currency: str = "USD") -> dict[str, Any]:
    """One output object: money keys as decimal strings, dates as text, nested values too."""
    given = data.get("currency")
    row_currency: str = given if isinstance(given, str) else currency
    out: dict[str, Any] = {}
    for key, value in data.items():
        key = str(key)
        if _money_name(key) and _whole(value):
            out[key[: -len(_CENTS)]] = money_text(value, row_currency)
        elif key + _CENTS in data and _money_name(key + _CENTS) and _whole(data[key + _CENTS]):
            # a float in dollars beside exact cents: the cents win
            continue
        else:
            out[key] = _plain(value, row_currency)
    return out


def frame(data: Any, currency: str = "USD") -> pd.DataFrame:
    """A DataFrame (or rows, or anything Arrow) as printed: money columns as decimal strings,
    dates as text, integer columns with gaps as integers, gaps as None."""
    import pandas as pd

    if isinstance(data, pd.DataFrame):
        source = data
    elif isinstance(data, list):
        source = pd.DataFrame([record(row, currency) for row in data])
    else:  # an arrears.Table or an Arrow table
        import pyarrow as pa

        source = pa.table(data).to_pandas()
    money = {str(c) for c in source.columns if _money_column(str(c), source[c])}
    currencies = source["currency"].tolist() if "currency" in source.columns else None
    out = pd.DataFrame(index=source.index)
    for column in source.columns:
        name = str(column)
        values = source[column]
        if name in money:
            amounts = values.tolist()
            rendered = (
                [money_text(v, currency) for v in amounts]
                if currencies is None
                else [money_text(v, c) for v, c in zip(amounts, currencies, strict=True)]
            )
            out[name[: -len(_CENTS)]] = pd.Series(rendered, index=source.index, dtype=object)
            continue
        if f"{name}{_CENTS}" in money:
            continue  # a float in dollars beside exact cents: the cents win
        if pd.api.types.is_datetime64_any_dtype(values):
            out[name] = _instants(values)
        elif pd.api.types.is_float_dtype(values) and values.isna().any():
            known = values.dropna()
            whole = bool(len(known)) and bool((known == known.round()).all())
            out[name] = values.astype("Int64") if whole else values
        elif values.dtype == object:
            out[name] = values.map(lambda v: _plain(v, currency))
        else:
            out[name] = values
    return out


def _instants(values: Any) -> Any:
    """Dates as YYYY-MM-DD (a column of midnights), instants as ISO 8601."""
    known = values.dropna()
    tz = getattr(values.dt, "tz", None)
    if tz is None and bool((known == known.dt.normalize()).all()):
        text = values.dt.strftime("%Y-%m-%d")
    else:
        text = values.map(lambda t: t.isoformat())
    return text.astype(object).where(values.notna(), None)


def _json_line(row: Mapping[str, Any]) -> str:
    return json.dumps(row, ensure_ascii=False, allow_nan=False, default=str)


def _csv_cell(value: Any) -> Any:
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, default=str)
    return value


def emit(ctx: Ctx, data: Any, title: str | None = None) -> None:
    """Prints one object (a dict) or rows (a DataFrame, a list of dicts, an Arrow table) in the
    chosen format: text with ``title``, JSON Lines or CSV."""
    if isinstance(data, Mapping):
        row = record(data, ctx.currency)
        if ctx.fmt == "json":
            click.echo(_json_line(row))
        elif ctx.fmt == "csv":
            click.echo(csv_text([{k: _csv_cell(v) for k, v in row.items()}]), nl=False)
        else:
            if title:
                click.echo(title)
            for key, value in row.items():
                click.echo(f"  {key}: {_csv_cell(value)}")
        return
    table = frame(data, ctx.currency)
    if ctx.fmt == "json":
        columns = [str(c) for c in table.columns]
        lines = (
            _json_line({c: _plain(v, ctx.currency) for c, v in zip(columns, values, strict=True)})
            for values in table.itertuples(index=False, name=None)
        )
        text = "\n".join(lines)
        if text:
            click.echo(text)
    elif ctx.fmt == "csv":
        if len(table.columns):
            cells = table.apply(lambda column: column.map(_csv_cell))
            click.echo(csv_text(cells), nl=False)
    else:
        if title:
            click.echo(title)
        shown = table.astype(object).where(table.notna(), "")
        shown = shown.apply(lambda column: column.map(_csv_cell))
        click.echo(shown.to_string(index=False) if len(table) else "(no rows)")
