"""The demo's configuration: one document, given to Python as a :class:`arrears.config.Config`
(:func:`demo_config`) and written next to the demo's store as the ``arrears.toml`` the demo runs
with (:func:`write_config`), so the demo folder is a working folder for the CLI."""

from __future__ import annotations

import datetime
import importlib.util
import json
import os
import pathlib
from collections.abc import Mapping
from typing import Any

from arrears.config import Config, campaign_settings

__all__ = ["DEMO_COLLECTOR", "DEMO_PRINT_VENDOR", "demo_config", "write_config"]

DEMO_COLLECTOR: dict[str, Any] = {
    "name": "Northwind Recovery Services LLC",
    "address": {
        "line1": "PO Box 1000",
        "city": "Chicago",
        "state": "IL",
        "postal_code": "60602",
    },
    "phone": "(800) 555-0100",
    "hours": "Monday to Friday, 8 a.m. to 8 p.m. Central",
    "website": "www.example.com/pay",
    "dispute_url": "www.example.com/dispute",
    "email": "help@example.com",
    "email_opt_out": "reply STOP or use the link at the bottom of this e-mail",
}

# The print vendor's file: one row per letter, the columns their mail house asks for.
DEMO_PRINT_VENDOR: dict[str, Any] = {
    "columns": [
        {"header": "LetterId", "field": "letter_id"},
        {"header": "Name", "field": "recipient.name"},
        {"header": "Address1", "field": "recipient.address.line1"},
        {"header": "Address2", "field": "recipient.address.line2"},
        {"header": "City", "field": "recipient.address.city"},
        {"header": "State", "field": "recipient.address.state"},
        {"header": "ZIP", "field": "recipient.address.postal_code"},
        {"header": "Reference", "field": "reference"},
        {"header": "File", "field": "batch_file"},
        {"header": "Sequence", "field": "sequence"},
    ]
}

# Validation notices for the last 30 days' placements, the strategy's reminders after the
# validation period, broken promises, paid-in-full letters.
DEMO_CAMPAIGNS: list[dict[str, Any]] = [
    {
        "name": "validation",
        "letter": "validation_notice",
        "select": "new",
        "placed_within_days": 30,
    },
    {"name": "reminder", "letter": "reminder", "select": "treatment"},
    {
        "name": "promise-broken",
        "letter": "promise_broken",
        "select": "plan_event",
        "event": "broken",
        "kind": "promise",
    },
    {"name": "paid-in-full", "letter": "paid_in_full", "select": "resolved"},
]

DEMO_METRO2: dict[str, Any] = {
    "identification_number": "NWRS0001",
    "reporter_name": "NORTHWIND RECOVERY SERVICES LLC",
    "reporter_address": "PO BOX 1000 CHICAGO IL 60602",
    "reporter_telephone_number": "8005550100",
    "equifax_program_identifier": "EQ00001",
}

PRINT_VENDOR_FILE = "print-vendor.toml"


def _document(as_of: datetime.date, csv_mapping: Any) -> dict[str, Any]:
    """The demo's settings as the sections of ``arrears.toml`` (paths relative to it)."""
    pdf = importlib.util.find_spec("weasyprint") is not None  # PDFs with the [pdf] extra
    return {
        "store": {"path": "arrears.db", "actor": "demo"},
        "nightly": {"out_dir": "out"},
        "collector": dict(DEMO_COLLECTOR),
        "campaigns": [{**c, "csv_mapping": csv_mapping, "pdf": pdf} for c in DEMO_CAMPAIGNS],
        # The Metro 2 file is due on the demo date's day of the month, so the demo writes one.
        "metro2": {**DEMO_METRO2, "day": as_of.day},
    }


def demo_config(out_dir: str, as_of: datetime.date) -> Config:
    """The demo's configuration with outputs in ``out_dir``: the defaults plus a collector, four
    letter campaigns (validation notices for the last 30 days' placements, the strategy's
    reminders after the validation period, broken promises, paid-in-full letters) and a Metro 2
    file on the demo date. The same settings as the ``arrears.toml`` of :func:`write_config`."""
    doc = _document(as_of, DEMO_PRINT_VENDOR)
    base = pathlib.Path(out_dir)
    return Config(
        out_dir=out_dir,
        actor=doc["store"]["actor"],
        collector=doc["collector"],
        campaigns=[campaign_settings(c, "demo", base) for c in doc["campaigns"]],
        metro2=doc["metro2"],
    )


def write_config(directory: str | os.PathLike[str], as_of: datetime.date) -> pathlib.Path:
    """Writes the demo's configuration as ``directory/arrears.toml`` (and the print vendor's
    column mapping it names, ``print-vendor.toml``); returns the path of ``arrears.toml``.
    Commands run in ``directory`` read it: ``arrears campaign list``, ``arrears nightly``,
    ``arrears metro2 export`` and the others use the demo's store, outputs and settings."""
    folder = pathlib.Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    doc = _document(as_of, PRINT_VENDOR_FILE)
    next_day = as_of + datetime.timedelta(days=1)
    lines = [
        f"# The configuration `arrears demo` ran with, as of {as_of.isoformat()}. Commands run in",
        "# this folder read it, e.g. `arrears campaign list`, `arrears report collectors --png",
        f"# collectors.png`, `arrears nightly --as-of {next_day.isoformat()}`. Every key is in",
        "# docs/automation.md. No [strategy]: the default one (arrears.config.DEFAULT_STRATEGY).",
        "",
    ]
    for section in ("store", "nightly", "collector"):
        lines += [f"[{section}]", *_keys(doc[section]), ""]
    for campaign in doc["campaigns"]:
        lines += ["[[campaigns]]", *_keys(campaign), ""]
    lines += ["[metro2]", *_keys(doc["metro2"])]
    columns = ",\n".join(f"    {_toml(c)}" for c in DEMO_PRINT_VENDOR["columns"])
    vendor = (
        "# The print vendor's file: one row per letter, the columns their mail house asks for.\n"
        f"columns = [\n{columns},\n]\n"
    )
    _write(folder / PRINT_VENDOR_FILE, vendor)
    path = folder / "arrears.toml"
    _write(path, "\n".join(lines) + "\n")
    return path


def _keys(table: Mapping[str, Any]) -> list[str]:
    return [f"{key} = {_toml(value)}" for key, value in table.items()]


def _toml(value: Any) -> str:
    """A TOML value: the types the demo's settings use (text, whole numbers, booleans, lists
    and inline tables)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # a TOML basic string: the same escapes
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    if isinstance(value, Mapping):
        return "{ " + ", ".join(f"{k} = {_toml(v)}" for k, v in value.items()) + " }"
    raise TypeError(f"no TOML form for {type(value).__name__}")


def _write(path: pathlib.Path, text: str) -> None:
    """Written whole or not at all, privately (arrears.outputs: staged, renamed over the old)."""
    from arrears.outputs import write_file

    write_file(path, text)
