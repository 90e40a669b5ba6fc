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

[collector]                    # who the letters come from (arrears.letters.CollectorProfile)
name = "Acme Collections LLC"
phone = "(800) 555-0100"
hours = "Monday-Friday 8 am-8 pm ET"
address = { line1 = "1 First St", city = "Chicago", state = "IL", postal_code = "60602" }

[[campaigns]]                  # letter campaigns of the nightly run, in order (docs/automation.md)
name = "validation"
letter = "validation_notice"   # a built-in letter, or template = "file.mustache" (+ letter)
select = "new"                 # new | treatment | plan_event | new_plan | resolved
placed_within_days = 30

[metro2]                       # the monthly Metro 2 file (docs/metro2.md)
identification_number = "AGENCY01"
reporter_name = "ACME COLLECTIONS"
day = "month_end"              # or a day of the month, 1-31
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
    collector: dict[str, Any] = dataclasses.field(default_factory=dict)
    campaigns: list[dict[str, Any]] = dataclasses.field(default_factory=list)
    metro2: dict[str, Any] = dataclasses.field(default_factory=dict)
    source: str | None = None


_SECTIONS = {
    "store": {"path", "actor"},
    "nightly": {"out_dir", "buckets", "threads", "call_time_utc"},
    "strategy": None,  # a strategy document (checked by the strategy parser) or {file = ...}
    "worklist": {"top_percent", "top_n", "queues"},
    "compliance": {"state_overlays", "policy"},
    "collector": None,  # checked by CollectorProfile
    "campaigns": None,  # checked by campaign_settings
    "metro2": None,  # checked by arrears.metro2.header_and_profile
}

SELECTS = ("new", "treatment", "plan_event", "new_plan", "resolved")
_CAMPAIGN_KEYS = {
    "name": "campaign name; each run is logged as <name>-<date>",
    "letter": "a built-in letter (arrears.letters.letter_kinds())",
    "template": "a Mustache template file (HTML), instead of the built-in letter's",
    "text_template": "a Mustache template file for e-mail text parts",
    "language": "en or es (with template)",
    "select": "new | treatment | plan_event | new_plan | resolved",
    "channel": "mail or email",
    "every_days": "not the same letter to the same account again within this many days",
    "placed_within_days": "select = new: only accounts placed within this many days",
    "after_notice_days": "only accounts whose validation notice went out this many days ago "
    "(default 35 for select = treatment: the validation period and mailing)",
    "event": "select = plan_event: kept, missed, broken, completed ...",
    "kind": "select = plan_event / new_plan: promise, installment or settlement",
    "within_days": "select = plan_event / resolved: events or status changes within this many days",
    "csv_mapping": "a print-vendor CSV mapping file (TOML or JSON), or the mapping inline",
    "pdf": "also write PDFs (the [pdf] extra)",
    "formats": "html and/or text",
}


def campaign_settings(raw: Mapping[str, Any], where: str, base: pathlib.Path) -> dict[str, Any]:
    """Checks one ``[[campaigns]]`` table: known keys, a letter, a valid ``select``; file paths
    made relative to the config file. Errors name the campaign and the key."""
    from arrears.letters import letter_kinds

    c = dict(raw)
    name = c.get("name")
    label = f"{where}: campaigns[{name!r}]" if name else f"{where}: a campaign"
    if not isinstance(name, str) or not name:
        raise ValidationError(f"{label}: name is required")
    for key in c:
        if key not in _CAMPAIGN_KEYS:
            raise ValidationError(
                f"{label}: unknown key {key!r} (expected {', '.join(_CAMPAIGN_KEYS)})"
            )
    letter = c.get("letter")
    if letter is None and "template" not in c:
        raise ValidationError(f"{label}: letter (a built-in letter) or template is required")
    if letter is not None and letter not in letter_kinds() and "template" not in c:
        raise ValidationError(
            f"{label}: letter {letter!r} is not a built-in letter ({', '.join(letter_kinds())})"
        )
    select = c.setdefault("select", "treatment")
    if select not in SELECTS:
        raise ValidationError(f"{label}: select {select!r} is not one of {', '.join(SELECTS)}")
    if select == "plan_event" and not c.get("event"):
        raise ValidationError(f"{label}: select = 'plan_event' needs event (e.g. 'broken')")
    if c.setdefault("channel", "mail") not in ("mail", "email"):
        raise ValidationError(f"{label}: channel {c['channel']!r} is not 'mail' or 'email'")
    notice = 35 if select == "treatment" else None
    for key, default in (
        ("every_days", 30),
        ("within_days", 7),
        ("placed_within_days", None),
        ("after_notice_days", notice),
    ):
        value = c.get(key, default)
        if value is not None and (
            isinstance(value, bool) or not isinstance(value, int) or value < 0
        ):
            raise ValidationError(f"{label}: {key} {value!r} must be a whole number of days >= 0")
        c[key] = value
    for key in ("template", "text_template", "csv_mapping"):
        if key in c and not (key == "csv_mapping" and isinstance(c[key], Mapping)):
            c[key] = str(base / str(c[key]))
    if not isinstance(c.get("pdf", False), bool):
        raise ValidationError(f"{label}: pdf {c['pdf']!r} must be true or false")
    return c


def _read_text(path: pathlib.Path, where: str) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ValidationError(f"{where} {str(path)!r}: {exc.strerror}") from exc
    except UnicodeDecodeError as exc:
        raise ValidationError(
            f"{where} {str(path)!r}: byte {exc.start + 1} is not UTF-8 (save the file as UTF-8)"
        ) from exc


_KINDS: dict[str, tuple[type, ...]] = {
    "text": (str,),
    "a whole number": (int,),
    "a number": (int, float),
    "true or false": (bool,),
    "a list": (list,),
    "a table": (Mapping,),
}


def _typed(table: Mapping[str, Any], key: str, kind: str, where: str, default: Any = None) -> Any:
    """table[key] when it is of `kind` (bools are not numbers), default when absent."""
    if key not in table:
        return default
    value = table[key]
    ok = isinstance(value, _KINDS[kind]) and not (
        kind != "true or false" and isinstance(value, bool)
    )
    if not ok:
        raise ValidationError(f"{where}.{key}: {value!r} must be {kind}")
    return value


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
    data = _toml(_read_text(p, "config: cannot read"), str(p))
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
    if "path" in store:
        cfg.store_path = str(base / _typed(store, "path", "text", f"{p}: store"))
    cfg.actor = _typed(store, "actor", "text", f"{p}: store", cfg.actor)
    nightly = data.get("nightly", {})
    where = f"{p}: nightly"
    if "out_dir" in nightly:
        cfg.out_dir = str(base / _typed(nightly, "out_dir", "text", where))
    cfg.buckets = list(_typed(nightly, "buckets", "a list", where, cfg.buckets))
    for edge in cfg.buckets:
        if isinstance(edge, bool) or not isinstance(edge, int):
            raise ValidationError(f"{where}.buckets: {edge!r} is not a whole number of days")
    cfg.threads = _typed(nightly, "threads", "a whole number", where, 0)
    if "call_time_utc" in nightly:
        try:
            cfg.call_time_utc = dt.time.fromisoformat(
                _typed(nightly, "call_time_utc", "text", where)
            )
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
            sp = base / _typed(strategy, "file", "text", f"{p}: strategy")
            stext = _read_text(sp, f"{p}: strategy.file")
            if sp.suffix.lower() == ".toml":
                cfg.strategy = _toml(stext, str(sp))
            else:
                import json

                try:
                    cfg.strategy = json.loads(stext)
                except ValueError as exc:
                    raise ValidationError(f"{sp}: invalid JSON: {exc}") from exc
        else:
            cfg.strategy = dict(strategy)
    worklist = data.get("worklist", {})
    cfg.top_percent = _typed(worklist, "top_percent", "a number", f"{p}: worklist")
    cfg.top_n = _typed(worklist, "top_n", "a whole number", f"{p}: worklist")
    cfg.queues = list(_typed(worklist, "queues", "a list", f"{p}: worklist", []))
    for queue in cfg.queues:
        if not isinstance(queue, str):
            raise ValidationError(f"{p}: worklist.queues: {queue!r} is not a queue name")
    compliance = data.get("compliance", {})
    cfg.state_overlays = _typed(
        compliance, "state_overlays", "true or false", f"{p}: compliance", True
    )
    if "policy" in compliance:
        pp = base / _typed(compliance, "policy", "text", f"{p}: compliance")
        cfg.policy_json = _read_text(pp, f"{p}: compliance.policy")
    campaigns = data.get("campaigns", [])
    if not isinstance(campaigns, list) or not all(isinstance(c, Mapping) for c in campaigns):
        raise ValidationError(f"{p}: campaigns must be an array of tables ([[campaigns]])")
    cfg.campaigns = [campaign_settings(c, str(p), base) for c in campaigns]
    names = [c["name"] for c in cfg.campaigns]
    for n in names:
        if names.count(n) > 1:
            raise ValidationError(f"{p}: campaigns: the name {n!r} is used twice")
    collector = data.get("collector")
    if collector is not None:
        if not isinstance(collector, Mapping):
            raise ValidationError(f"{p}: [collector] must be a table")
        from arrears.letters import CollectorProfile

        try:
            CollectorProfile.from_dict(collector)
        except (TypeError, ValueError) as exc:
            raise ValidationError(f"{p}: [collector]: {exc}") from exc
        cfg.collector = dict(collector)
    metro2 = data.get("metro2", {})
    if not isinstance(metro2, Mapping):
        raise ValidationError(f"{p}: [metro2] must be a table")
    cfg.metro2 = dict(metro2)
    return cfg
