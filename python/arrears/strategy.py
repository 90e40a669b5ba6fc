"""Strategies: score, exclude, segment and split accounts, then build call worklists.

A strategy is a JSON (or TOML) document; see docs/portfolio.md for the format. Everything runs
in C++ over the portfolio's columns, on all cores, with the GIL released.
"""

from __future__ import annotations

import datetime
import json
import pathlib
import sys
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from arrears._core import strategy as _strategy
from arrears._progress import progress_bar
from arrears.aging import Buckets
from arrears.errors import ValidationError
from arrears.frames import Table, as_arrow_stream
from arrears.portfolio import Portfolio

__all__ = ["ComplianceGate", "Strategy"]

ComplianceGate = Callable[[Table, datetime.date], Mapping[str, Sequence[Any]]]
"""Called with a worklist and the as-of date; returns extra columns (one value per row), e.g.
``call_allowed``, ``next_allowed_at``, ``blocked_rule``. The compliance engine provides one."""


def _load_toml(text: str) -> Any:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ValidationError(f"strategy: invalid TOML: {exc}") from exc


class Strategy:
    """A collections strategy: weighted, capped factors; exclusions; segments with treatments;
    champion/challenger arms by a stable hash of the account id. Immutable and picklable."""

    __slots__ = ("_s",)

    def __init__(self, core: _strategy.Strategy) -> None:
        self._s = core

    # -- loading --------------------------------------------------------------------------------
    @classmethod
    def from_json(cls, text: str) -> Strategy:
        """From JSON text; errors name the JSON path (``$.segments[1].when.column``)."""
        return cls(_strategy.Strategy.from_json(text))

    @classmethod
    def from_dict(cls, config: Mapping[str, Any]) -> Strategy:
        try:
            text = json.dumps(config)
        except TypeError as exc:
            raise ValidationError(f"strategy: not JSON-serializable: {exc}") from exc
        return cls.from_json(text)

    @classmethod
    def from_toml(cls, text: str) -> Strategy:
        return cls.from_dict(_load_toml(text))

    @classmethod
    def from_file(cls, path: str | pathlib.Path) -> Strategy:
        """From a ``.json`` or ``.toml`` file."""
        p = pathlib.Path(path)
        try:
            text = p.read_text(encoding="utf-8")
        except OSError as exc:
            raise ValidationError(f"strategy: cannot read {str(p)!r}: {exc.strerror}") from exc
        if p.suffix.lower() == ".toml":
            return cls.from_toml(text)
        return cls.from_json(text)

    def to_json(self) -> str:
        return self._s.to_json()

    def to_dict(self) -> dict[str, Any]:
        result: dict[str, Any] = json.loads(self._s.to_json())
        return result

    # -- properties -----------------------------------------------------------------------------
    @property
    def name(self) -> str:
        return self._s.name

    @property
    def buckets(self) -> Buckets:
        return self._s.buckets

    @property
    def arm_names(self) -> list[str]:
        return self._s.arm_names

    @property
    def segment_names(self) -> list[str]:
        return self._s.segment_names

    def arm_of(self, account_id: str) -> str:
        """The arm an account id lands in (stable for the strategy's seed)."""
        return self._s.arm_of(account_id)

    # -- running --------------------------------------------------------------------------------
    def apply(
        self,
        portfolio: Portfolio,
        as_of: datetime.date,
        threads: int = 0,
        progress: bool | None = None,
    ) -> Table:
        """Per account: arm, excluded/exclusion, segment, treatment, queue, template, score,
        dpd, bucket, balance_cents and the score parts (``part_<factor>``)."""
        with progress_bar(f"strategy {self.name}", len(portfolio), progress, "accounts") as cb:
            return self._s.apply(portfolio.handle, as_of, threads, cb)

    def worklist(
        self,
        portfolio: Portfolio,
        as_of: datetime.date,
        queues: Sequence[str] | None = None,
        top_n: int | None = None,
        top_percent: float | None = None,
        compliance: ComplianceGate | None = None,
        threads: int = 0,
        progress: bool | None = None,
    ) -> Table:
        """Call worklists, one block per queue, ordered by score (then dpd, balance, id), cut to
        ``top_n`` / ``top_percent`` per queue. Each row carries why it is there (segment, arm,
        score parts). With ``compliance``, its columns (call allowed now, next allowed window)
        are attached to every row."""
        if isinstance(queues, str):
            queues = [queues]
        with progress_bar(f"worklist {self.name}", len(portfolio), progress, "accounts") as cb:
            table = self._s.worklist(
                portfolio.handle, as_of, list(queues or []), top_n, top_percent, threads, cb
            )
        if compliance is not None:
            table = table.with_columns(dict(compliance(table, as_of)))
        return table

    def backtest(
        self,
        snapshots: Sequence[tuple[datetime.date, Portfolio]],
        payments: object,
        horizon_days: int = 30,
        threads: int = 0,
    ) -> Table:
        """Runs the strategy over historical snapshots and reports, per snapshot, arm, segment
        and treatment, the accounts selected and what they paid in the ``horizon_days`` after
        the snapshot date. ``payments``: account_id, effective_date, amount_cents (any table)."""
        snaps = [(d, p.handle) for d, p in snapshots]
        return self._s.backtest(snaps, as_arrow_stream(payments, "payments"), horizon_days, threads)

    # -- value semantics ------------------------------------------------------------------------
    def __eq__(self, other: object) -> bool:
        return isinstance(other, Strategy) and self._s == other._s

    def __hash__(self) -> int:
        return hash(self._s)

    def __repr__(self) -> str:
        return repr(self._s)

    def __reduce__(self) -> tuple[Any, tuple[str]]:
        return (Strategy.from_json, (self.to_json(),))
