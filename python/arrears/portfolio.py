"""The batch engine's input: a columnar snapshot of accounts as of a date.

Build it from anything tabular (``Portfolio.from_arrow``: pyarrow, polars, DuckDB, an
``arrears.Table``; ``Portfolio.from_pandas``) or from the store (``store.load_portfolio``).
Required columns: ``account_id`` (str, unique), ``balance_cents`` (int64), ``oldest_unpaid_due``
(date, null when nothing is past due). Every other column is kept for strategies.
"""

from __future__ import annotations

import datetime
import html
from collections.abc import Sequence
from types import TracebackType
from typing import TYPE_CHECKING, Any

from arrears._core import portfolio as _portfolio
from arrears._core.money import Money
from arrears.aging import DEFAULT_BUCKETS, Buckets
from arrears.errors import ValidationError
from arrears.frames import Table, as_arrow_stream

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Portfolio", "bucket_moves", "bucket_transitions"]


class Portfolio:
    """A columnar account snapshot (struct of arrays), held in C++.

    Numeric and date columns of the input are used in place when their type allows (no copy).
    A handle, not a value: not picklable; ``with Portfolio.from_arrow(t) as p: ...`` frees the
    memory at the end of the block.
    """

    __slots__ = ("_p",)

    def __init__(self, handle: _portfolio.Portfolio) -> None:
        if not isinstance(handle, _portfolio.Portfolio):
            raise ValidationError(
                "Portfolio: build one with Portfolio.from_arrow, Portfolio.from_pandas or "
                "store.load_portfolio"
            )
        self._p: _portfolio.Portfolio | None = handle

    # -- construction ---------------------------------------------------------------------------
    @classmethod
    def from_arrow(cls, data: object, columns: Sequence[str] | None = None) -> Portfolio:
        """From any Arrow producer (``__arrow_c_stream__``) or a dict of columns. ``columns``
        limits the optional columns loaded (the required ones always are)."""
        return cls(_portfolio.Portfolio.from_arrow(as_arrow_stream(data), list(columns or [])))

    @classmethod
    def from_pandas(cls, df: pd.DataFrame, columns: Sequence[str] | None = None) -> Portfolio:
        """From a pandas DataFrame (through pyarrow; the index is dropped)."""
        import pandas as pd

        if not isinstance(df, pd.DataFrame):
            raise ValidationError(f"df: expected a pandas DataFrame, got {type(df).__name__}")
        return cls.from_arrow(df, columns)

    # -- handle life ----------------------------------------------------------------------------
    @property
    def handle(self) -> _portfolio.Portfolio:
        if self._p is None:
            raise ValidationError("portfolio: this portfolio was closed")
        return self._p

    def close(self) -> None:
        """Releases the portfolio's memory (tables already produced stay valid)."""
        self._p = None

    def __enter__(self) -> Portfolio:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __reduce__(self) -> Any:
        raise TypeError("a Portfolio is a handle to C++ memory and cannot be pickled")

    # -- shape ----------------------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self.handle)

    def __contains__(self, account_id: object) -> bool:
        return isinstance(account_id, str) and account_id in self.handle

    @property
    def column_names(self) -> list[str]:
        return self.handle.column_names

    def column_kind(self, name: str) -> str:
        """integer, real, flag, date, category or text (required columns excluded)."""
        return self.handle.column_kind(name)

    @property
    def memory_bytes(self) -> int:
        """Bytes held by the columns and the id index (borrowed input buffers included)."""
        return self.handle.memory_bytes

    @property
    def total_balance_cents(self) -> int:
        return int(self.handle.total_balance_cents())

    # -- aging ----------------------------------------------------------------------------------
    def age(self, as_of: datetime.date, buckets: Buckets | None = None, threads: int = 0) -> Table:
        """account_id, dpd and bucket of every account as of a date (past dates too)."""
        return self.handle.age(as_of, buckets or DEFAULT_BUCKETS, threads)

    def bucket_summary(
        self, as_of: datetime.date, buckets: Buckets | None = None, threads: int = 0
    ) -> Table:
        """Per bucket: bucket, lower_dpd, upper_dpd, accounts, balance_cents, balance_share."""
        return self.handle.bucket_summary(as_of, buckets or DEFAULT_BUCKETS, threads)

    # -- display --------------------------------------------------------------------------------
    def __repr__(self) -> str:
        if self._p is None:
            return "Portfolio(closed)"
        return (
            f"Portfolio({len(self):,} accounts, {len(self.column_names)} columns, "
            f"{self.memory_bytes / 2**20:.1f} MiB)"
        )

    def _repr_html_(self) -> str:
        if self._p is None:
            return "<p>Portfolio (closed)</p>"
        total = self.total_balance_cents
        cols = ", ".join(html.escape(c) for c in self.column_names)
        return (
            f"<p><b>arrears.Portfolio</b>: {len(self):,} accounts, balance "
            f"{Money.from_minor(total).format()}, "
            f"{self.memory_bytes / max(1, len(self)):.0f} bytes per account</p>"
            f"<p>Columns: {cols}</p>"
        )


def bucket_moves(
    before: Portfolio,
    before_as_of: datetime.date,
    after: Portfolio,
    after_as_of: datetime.date,
    buckets: Buckets | None = None,
) -> Table:
    """Accounts whose bucket changed between two snapshots (or one snapshot at two dates):
    account_id, from_bucket, to_bucket, from_dpd, to_dpd. New accounts move from null, accounts
    gone move to null. ``store.record_bucket_moves`` keeps them as history."""
    return _portfolio.bucket_moves(
        before.handle, before_as_of, after.handle, after_as_of, buckets or DEFAULT_BUCKETS
    )


def bucket_transitions(
    before: Portfolio,
    before_as_of: datetime.date,
    after: Portfolio,
    after_as_of: datetime.date,
    buckets: Buckets | None = None,
) -> Table:
    """The bucket transition matrix between two snapshots, in long form: from_bucket,
    to_bucket, accounts and balance_cents (on ``after_as_of``) for every pair of buckets, zeros
    included, over the accounts present in both."""
    return _portfolio.bucket_transitions(
        before.handle, before_as_of, after.handle, after_as_of, buckets or DEFAULT_BUCKETS
    )
