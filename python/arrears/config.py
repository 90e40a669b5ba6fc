"""Configuration of a nightly run and of the CLI: one TOML file (``arrears.toml``).

```toml
[store]
path = "arrears.db"            # --db overrides
actor = "nightly-batch"

[nightly]
out_dir = "out"                # worklists, reports, letters, Metro 2 files
buckets = [1, 31, 61, 91, 121, 181]
threads = 0
call_time_utc = "15:00"        # when tomorrow's worklist calls are checked against the rules

[strategy]                     # a strategy inline (docs/portfolio.md), or file = "strategy.toml"
file = "strategy.toml"

[worklist]
top_percent = 100.0
queues = []

[compliance]
state_overlays = true
policy = "policy.json"         # optional: a reviewed rule set (else Regulation F)
```
Unknown keys are errors naming the key, so a typo never passes silently.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import pathlib
import sys
from collections.abc import Mapping
from typing import Any

from arrears.errors import ValidationError

__all__ = ["Config", "load_config"]

DEFAULT_STRATEGY: dict[str, Any] = {
    "name": "default",
    "factors": [
        {"column": "dpd", "weight": 35, "cap": 365},
        {"column": "balance_cents", "weight": 35, "cap": 1_000_000, "transform": "log"},
        {"column": "days_since_last_payment", "weight": 20, "cap": 365, "null_value": 1},
        {"column": "days_since_last_contact", "weight": 10, "cap": 60, "null_value": 1},
    ],
    "exclusions": ["disputed", "cease", "bankrupt", "deceased", "attorney"],
    "segments": [
        {
            "name": "paid_off",
            "when": {"column": "balance_cents", "<=": 0},
            "treatment": {"type": "hold"},
        },
        {
            "name": "early",
            "when": {"column": "dpd", "between": [1, 90]},
            "treatment": {"type": "call", "queue": "early"},
        },
        {
            "name": "late_high",
            "when": {
                "all": [{"column": "dpd", ">": 90}, {"column": "balance_cents", ">=": 250_000}]
            },
            "treatment": {"type": "call", "queue": "recovery"},
        },
        {
            "name": "late_low",
            "when": {"column": "dpd", ">": 90},
            "treatment": {"type": "letter", "template": "reminder"},
        },
        {"name": "other", "treatment": {"type": "hold"}},
    ],
    "arms": [{"name": "champion", "percent": 80}, {"name": "challenger", "percent": 20}],
}


@dataclasses.dataclass
class Config:
    """A loaded configuration (all optional; defaults give a working nightly run)."""

    store_path: str = "arrears.db"
    actor: str = "arrears"
    out_dir: str = "out"
    buckets: list[int] = dataclasses.field(default_factory=lambda: [1, 31, 61, 91, 121, 181])
    threads: int = 0
    call_time_utc: dt.time = dt.time(15, 0)
    strategy: dict[str, Any] = dataclasses.field(default_factory=lambda: dict(DEFAULT_STRATEGY))
    top_percent: float | None = None
    top_n: int | None = None
    queues: list[str] = dataclasses.field(default_factory=list)
    state_overlays: bool = True
    policy_json: str | None = None
    campaigns: list[dict[str, Any]] = dataclasses.field(default_factory=list)
    metro2: dict[str, Any] = dataclasses.field(default_factory=dict)
    source: str | None = None


_SECTIONS = {
    "store": {"path", "actor"},
    "nightly": {"out_dir", "buckets", "threads", "call_time_utc"},
    "strategy": None,  # a strategy document (checked by the strategy parser) or {file = ...}
    "worklist": {"top_percent", "top_n", "queues"},
    "compliance": {"state_overlays", "policy"},
    "campaigns": None,
    "metro2": None,
}


def _toml(text: str, where: str) -> dict[str, Any]:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib
    try:
        data: dict[str, Any] = tomllib.loads(text)
        return data
    except tomllib.TOMLDecodeError as exc:
        raise ValidationError(f"{where}: invalid TOML: {exc}") from exc


def load_config(path: str | pathlib.Path | None) -> Config:
    """Reads ``path`` (TOML); None gives the defaults. Paths inside are relative to the file."""
    cfg = Config()
    if path is None:
        return cfg
    p = pathlib.Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as exc:
        raise ValidationError(f"config: cannot read {str(p)!r}: {exc.strerror}") from exc
    data = _toml(text, str(p))
    cfg.source = str(p)
    base = p.parent
    for key in data:
        if key not in _SECTIONS:
            raise ValidationError(f"{p}: unknown section [{key}] (expected {', '.join(_SECTIONS)})")
    for section, allowed in _SECTIONS.items():
        body = data.get(section)
        if body is None or allowed is None:
            continue
        if not isinstance(body, Mapping):
            raise ValidationError(f"{p}: [{section}] must be a table")
        for key in body:
            if key not in allowed:
                raise ValidationError(
                    f"{p}: unknown key {section}.{key} (expected {', '.join(sorted(allowed))})"
                )
    store = data.get("store", {})
    cfg.store_path = str(base / store["path"]) if "path" in store else cfg.store_path
    cfg.actor = str(store.get("actor", cfg.actor))
    nightly = data.get("nightly", {})
    if "out_dir" in nightly:
        cfg.out_dir = str(base / nightly["out_dir"])
    cfg.buckets = list(nightly.get("buckets", cfg.buckets))
    cfg.threads = int(nightly.get("threads", 0))
    if "call_time_utc" in nightly:
        try:
            cfg.call_time_utc = dt.time.fromisoformat(str(nightly["call_time_utc"]))
        except ValueError as exc:
            raise ValidationError(
                f"{p}: nightly.call_time_utc: {nightly['call_time_utc']!r} is not HH:MM"
            ) from exc
    if "strategy" in data:
        strategy = data["strategy"]
        if not isinstance(strategy, Mapping):
            raise ValidationError(f"{p}: [strategy] must be a table")
        if "file" in strategy:
            if len(strategy) != 1:
                raise ValidationError(f"{p}: [strategy] has a file; other keys belong in it")
            sp = base / str(strategy["file"])
            try:
                stext = sp.read_text(encoding="utf-8")
            except OSError as exc:
                raise ValidationError(f"{p}: strategy.file {str(sp)!r}: {exc.strerror}") from exc
            if sp.suffix.lower() == ".toml":
                cfg.strategy = _toml(stext, str(sp))
            else:
                import json

                cfg.strategy = json.loads(stext)
        else:
            cfg.strategy = dict(strategy)
    worklist = data.get("worklist", {})
    cfg.top_percent = worklist.get("top_percent")
    cfg.top_n = worklist.get("top_n")
    cfg.queues = list(worklist.get("queues", []))
    compliance = data.get("compliance", {})
    cfg.state_overlays = bool(compliance.get("state_overlays", True))
    if "policy" in compliance:
        pp = base / str(compliance["policy"])
        try:
            cfg.policy_json = pp.read_text(encoding="utf-8")
        except OSError as exc:
            raise ValidationError(f"{p}: compliance.policy {str(pp)!r}: {exc.strerror}") from exc
    campaigns = data.get("campaigns", [])
    if not isinstance(campaigns, list):
        raise ValidationError(f"{p}: campaigns must be an array of tables ([[campaigns]])")
    cfg.campaigns = [dict(c) for c in campaigns]
    cfg.metro2 = dict(data.get("metro2", {}))
    return cfg
