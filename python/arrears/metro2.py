"""Metro 2 credit reporting: records, validation, the monthly file and its tolerant reader.

Character format only (426-byte base segment; the packed 366-byte format is not supported).
Every record type is an immutable value built from keyword fields named after the Metro 2
layout (``docs/metro2.md`` lists them with their positions)::

    >>> from datetime import date
    >>> from arrears import Money
    >>> from arrears.metro2 import BaseSegment
    >>> base = BaseSegment(consumer_account_number="A1001", account_status="93",
    ...                    current_balance=Money("1234.56"))   # whole dollars: 1234
    >>> len(base.encode())
    426
    >>> base.current_balance
    1234

From account facts to records (collection agency / debt buyer), then the file::

    >>> profile = Metro2Profile(identification_number="AGENCY01")          # doctest: +SKIP
    >>> records, excluded = build_records(facts, profile, as_of=date(2026, 3, 31))  # doctest: +SKIP
    >>> text = write_file(header, records)                                  # doctest: +SKIP
    >>> parse(text).problems                                                # doctest: +SKIP
    []
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime
import decimal
import json
import os
import pathlib
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple, TypedDict

from arrears._core import metro2 as _metro2
from arrears._core.metro2 import (
    BaseSegment,
    DataRecord,
    HeaderRecord,
    J1Segment,
    J2Segment,
    K1Segment,
    K2Segment,
    K3Segment,
    K4Segment,
    L1Segment,
    Metro2Exclusion,
    Metro2Field,
    Metro2Problem,
    Metro2Profile,
    N1Segment,
    TrailerRecord,
    compute_trailer,
    whole_dollars,
    write_file,
)
from arrears._core.money import Money
from arrears.errors import ValidationError

if TYPE_CHECKING:
    from arrears.store import Store

__all__ = [
    "BaseSegment",
    "DataRecord",
    "HeaderRecord",
    "J1Segment",
    "J2Segment",
    "K1Segment",
    "K2Segment",
    "K3Segment",
    "K4Segment",
    "L1Segment",
    "Metro2AccountFacts",
    "Metro2ConsumerFacts",
    "Metro2Exclusion",
    "Metro2Excluded",
    "Metro2Field",
    "Metro2File",
    "Metro2Problem",
    "Metro2Profile",
    "N1Segment",
    "MonthlyFile",
    "TrailerRecord",
    "SETTINGS_KEYS",
    "build_records",
    "compute_trailer",
    "header_and_profile",
    "monthly_file",
    "parse",
    "to_record",
    "whole_dollars",
    "write_file",
]

Record = DataRecord | BaseSegment


class Metro2ConsumerFacts(TypedDict, total=False):
    """One consumer on the account (the first is the primary; the others become J1/J2)."""

    surname: str
    first_name: str
    middle_name: str
    generation_code: str
    social_security_number: str
    date_of_birth: datetime.date
    telephone_number: str
    ecoa_code: str
    consumer_information_indicator: str
    country_code: str
    first_line_of_address: str
    second_line_of_address: str
    city: str
    state: str
    zip_code: str
    address_indicator: str
    residence_code: str


class Metro2AccountFacts(TypedDict, total=False):
    """What the collection profile needs to know about one account (see docs/metro2.md)."""

    account_number: str
    state: str  # unpaid | paid | settled | deleted
    date_opened: datetime.date
    date_placed: datetime.date
    date_of_first_delinquency: datetime.date
    date_of_last_payment: datetime.date
    date_paid: datetime.date
    original_amount: Money | decimal.Decimal | str | int
    current_balance: Money | decimal.Decimal | str | int
    amount_past_due: Money | decimal.Decimal | str | int
    last_payment_amount: Money | decimal.Decimal | str | int
    dispute: str  # none | open | resolved | resolved_disagrees | withdrawn
    original_creditor_name: str
    creditor_classification: str
    purchased_from: str
    debt_type: str
    client_excluded_debt_types: Sequence[str]
    earliest_furnishing_date: datetime.date
    previously_reported: bool
    last_reported_date_of_first_delinquency: datetime.date
    last_reported_compliance_condition_code: str
    payment_history_profile: str
    consumers: Sequence[Metro2ConsumerFacts]


_MONEY_KEYS = ("original_amount", "current_balance", "amount_past_due", "last_payment_amount")


def _json_value(value: object, path: str) -> Any:
    if isinstance(value, datetime.datetime):
        raise ValidationError(f"{path}: a datetime; pass a datetime.date")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Money):
        return value.to_dict()
    if isinstance(value, decimal.Decimal):
        return format(value, "f")
    if isinstance(value, float):
        raise ValidationError(f"{path}: {value!r} is a float; pass a str, Decimal or Money")
    if isinstance(value, dict):
        return {str(k): _json_value(v, f"{path}.{k}") for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_value(v, f"{path}[{i}]") for i, v in enumerate(value)]
    return value


def _facts_json_value(facts: Metro2AccountFacts | dict[str, Any], path: str) -> Any:
    if not isinstance(facts, dict):
        raise ValidationError(
            f"{path}: expected a dict of account facts, got {type(facts).__name__}"
        )
    out = _json_value(facts, path)
    for key in _MONEY_KEYS:
        value = out.get(key)
        if isinstance(value, int) and not isinstance(value, bool):
            out[key] = str(value)  # an int is whole dollars, as everywhere in arrears
    return out


def to_record(
    facts: Metro2AccountFacts | dict[str, Any], profile: Metro2Profile, as_of: datetime.date
) -> DataRecord | Metro2Exclusion:
    """The data record for one account as of ``as_of`` (the reporting date), or the
    :class:`Metro2Exclusion` saying why it is left out this month."""
    text = json.dumps(_facts_json_value(facts, "$"))
    return _metro2.to_record(text, profile, as_of)


def build_records(
    facts: Iterable[Metro2AccountFacts | dict[str, Any]],
    profile: Metro2Profile,
    as_of: datetime.date,
    threads: int = 0,
) -> tuple[list[DataRecord], list[Metro2Exclusion]]:
    """Records for many accounts (input order kept) and the accounts left out, with reasons.
    Malformed facts (unknown keys, wrong types) raise ValidationError naming the JSON path and
    nothing is built."""
    text = json.dumps([_facts_json_value(f, f"$[{i}]") for i, f in enumerate(facts)])
    return _metro2.build_records(text, profile, as_of, threads)


@dataclasses.dataclass(frozen=True)
class Metro2File:
    """What :func:`parse` read: the header and trailer (None when missing or unreadable), the
    records that could be read (``record_lines`` gives the line of each) and every problem found,
    each with its line number."""

    header: HeaderRecord | None
    records: list[DataRecord]
    trailer: TrailerRecord | None
    problems: list[Metro2Problem]
    record_lines: list[int]

    @property
    def ok(self) -> bool:
        """True when nothing was wrong with the file."""
        return not self.problems

    def __repr__(self) -> str:
        return (
            f"Metro2File(records={len(self.records)}, problems={len(self.problems)}, "
            f"header={'yes' if self.header is not None else 'missing'}, "
            f"trailer={'yes' if self.trailer is not None else 'missing'})"
        )


def parse(text: str | bytes, *, validate: bool = True, threads: int = 0) -> Metro2File:
    """Read a character-format Metro 2 file: one record per line, records back to back (each as
    long as its RDW), or variable-blocked (a Block Descriptor Word per block).

    Records that cannot be read are reported in ``problems`` with their line (or, without line
    breaks, their ordinal and first byte) and left out of ``records``; the trailer totals are
    checked against the records. A packed or EBCDIC file is one problem. With ``validate`` (the
    default) every record's rule problems are included too. See docs/metro2.md.
    """
    header, records, lines, trailer, problems = _metro2.parse(text, validate, threads)
    return Metro2File(header, records, trailer, problems, lines)


class Metro2Excluded(NamedTuple):
    """A stored account left out of a monthly file, with the profile's reason code."""

    account_id: str
    code: str
    message: str


@dataclasses.dataclass(frozen=True)
class MonthlyFile:
    """What :func:`monthly_file` produced: the file's text and SHA-256, the submission id it was
    recorded under (None for a dry run), the account ids reported (in file order) and the
    accounts left out with the reason."""

    text: str
    submission_id: int | None
    sha256: str
    reported: list[str]
    excluded: list[Metro2Excluded]
    path: str | None

    def __repr__(self) -> str:
        where = f", path={self.path!r}" if self.path else ""
        return (
            f"MonthlyFile(submission_id={self.submission_id}, reported={len(self.reported)}, "
            f"excluded={len(self.excluded)}{where})"
        )


def monthly_file(
    store: Store,
    as_of: datetime.date,
    header: HeaderRecord,
    profile: Metro2Profile,
    *,
    path: str | os.PathLike[str] | None = None,
    account_ids: Sequence[str] | None = None,
    record: bool = True,
    newline: str = "\n",
    threads: int = 0,
    progress: bool | Callable[[int, int], object] | None = None,
) -> MonthlyFile:
    """The Metro 2 file for the reporting date ``as_of`` (the header's activity date) from the
    accounts and debtors in ``store`` (all of them, or ``account_ids``).

    In one C++ call (GIL released): each account is mapped to its Metro 2 facts (docs/metro2.md,
    "From the store"): balance and payments from the ledger, the date of first delinquency as
    furnished (never re-aged), co-signers from the account's debtors, the dispute state from the
    disputes, the earliest furnishing date from the contact history (letters delivered and not
    returned within 14 days: mailing + 15; a telephone conversation: the next day; 12 CFR
    1006.30(a)), the payment history profile from the earlier submissions. The records are
    built and checked by the collection profile and the submission recorded with what was
    reported for each account and which were left out and why (``metro2_submissions``,
    ``metro2_reported``, ``metro2_excluded``). With ``path``, the file is an output of the store
    (arrears.outputs): staged privately, recorded in the submission's transaction, renamed to
    ``path`` after the commit (at the end of an enclosing ``store.transaction()`` when there is
    one), never over an existing file. ``record=False`` builds the file and writes and records
    nothing. A second file for the same activity date and identification number is a
    ConflictError. ``progress=True`` shows a bar (a callable gets ``(done, total)``); Ctrl-C
    stops the call and nothing is recorded.
    """
    from arrears.outputs import Output

    if account_ids is not None and (isinstance(account_ids, str) or len(account_ids) == 0):
        raise ValidationError("account_ids: expected a non-empty list of ids (None: every account)")
    target = os.fspath(path) if path is not None else ""
    ids = list(account_ids or ())
    count = f"SELECT {len(ids)} AS n" if ids else "SELECT count(*) AS n FROM accounts"
    output = None
    if target and record:
        file = pathlib.Path(target)
        output = Output(
            file.parent, f"metro2/{profile.identification_number}/{as_of.isoformat()}", store=store
        )
        if file.exists():
            raise ValidationError(f"path: {target!r} exists; a Metro 2 file is written once")
    tx = store.transaction() if record else contextlib.nullcontext()
    with store._progress(progress, "metro2", count) as callback, tx:
        text, submission, sha, reported, excluded = store.handle.metro2_monthly_file(
            as_of, header, profile, ids, target, newline, record, threads, callback
        )
        if output is not None:
            output.write_bytes(pathlib.Path(target).name, text.encode("ascii"), sha256=sha)
            output.commit()
    return MonthlyFile(
        text,
        submission,
        sha,
        list(reported),
        [Metro2Excluded(*e) for e in excluded],
        target or None,
    )


# -- settings: the [metro2] table of the config ------------------------------------------------

_HEADER_KEYS = (
    "cycle_identifier",
    "innovis_program_identifier",
    "equifax_program_identifier",
    "experian_program_identifier",
    "transunion_program_identifier",
    "program_date",
    "program_revision_date",
    "reporter_name",
    "reporter_address",
    "reporter_telephone_number",
    "software_vendor_name",
    "software_version_number",
    "prbc_program_identifier",
)
_PROFILE_KEYS = (
    "identification_number",
    "account_type",
    "portfolio_type",
    "terms_duration",
    "terms_frequency",
    "cycle_identifier",
    "rounding",
    "excluded_debt_types",
)
SETTINGS_KEYS: tuple[str, ...] = tuple(sorted(set(_HEADER_KEYS) | set(_PROFILE_KEYS)))
"""The keys :func:`header_and_profile` accepts (the ``[metro2]`` table of ``arrears.toml``)."""


def _setting_value(key: str, value: object) -> Any:
    where = f"metro2.{key}"
    if key in ("program_date", "program_revision_date"):
        if isinstance(value, datetime.datetime):
            raise ValidationError(f"{where}: {value!r} has a time of day; write a date")
        if isinstance(value, datetime.date):
            return value
        if isinstance(value, str):
            try:
                return datetime.date.fromisoformat(value)
            except ValueError:
                raise ValidationError(f"{where}: {value!r} is not a date (YYYY-MM-DD)") from None
        raise ValidationError(f"{where}: expected a date, got {value!r}")
    if key == "excluded_debt_types":
        if isinstance(value, str) or not isinstance(value, (list, tuple)):
            raise ValidationError(f"{where}: expected a list of product types, got {value!r}")
        for i, item in enumerate(value):
            if not isinstance(item, str):
                raise ValidationError(f"{where}[{i}]: expected a string, got {item!r}")
        return list(value)
    if (
        key == "reporter_telephone_number"
        and isinstance(value, int)
        and not isinstance(value, bool)
    ):
        return str(value)
    if not isinstance(value, str):
        raise ValidationError(
            f'{where}: expected a string, got {value!r} (quote codes and numbers: "48")'
        )
    return value


def header_and_profile(
    settings: Mapping[str, Any],
    as_of: datetime.date,
    *,
    date_created: datetime.date | None = None,
    ignore: Collection[str] = (),
) -> tuple[HeaderRecord, Metro2Profile]:
    """The file header and the collection profile for the reporting date ``as_of`` from the
    furnisher's settings (the ``[metro2]`` table of ``arrears.toml``; keys in
    :data:`SETTINGS_KEYS`, named as the fields of :class:`HeaderRecord` and
    :class:`Metro2Profile`).

    ``identification_number`` is required; ``cycle_identifier`` goes to both. The header's
    activity date is ``as_of``, its creation date ``date_created`` (default today). Keys in
    ``ignore`` are skipped (a caller's own settings in the same table). An unknown key, a value of
    the wrong type or a header that fails validation (no reporter name or address ...) is a
    ValidationError naming ``metro2.<key>``; nothing is built.
    """
    if not isinstance(settings, Mapping):
        raise ValidationError(
            f"metro2: expected a table of settings, got {type(settings).__name__}"
        )
    values: dict[str, Any] = {}
    for key, value in settings.items():
        if key in ignore:
            continue
        if key not in SETTINGS_KEYS:
            raise ValidationError(
                f"metro2.{key}: unknown key (expected one of {', '.join(SETTINGS_KEYS)})"
            )
        values[key] = _setting_value(key, value)
    if not values.get("identification_number"):
        raise ValidationError(
            "metro2.identification_number: missing (the furnisher's identification number "
            "the bureaus assigned; base segment positions 21-40)"
        )
    created = date_created or datetime.date.today()
    header_fields = {k: values[k] for k in _HEADER_KEYS if k in values}
    profile_fields = {k: values[k] for k in _PROFILE_KEYS if k in values}
    try:
        header = HeaderRecord(activity_date=as_of, date_created=created, **header_fields)
        profile = Metro2Profile(**profile_fields)
    except ValidationError as exc:
        text = str(exc)
        for prefix in ("profile.", "header.", "metro2."):
            text = text.removeprefix(prefix)
        raise ValidationError(f"metro2.{text}") from exc
    problems = header.validate(as_of)
    if problems:
        shown = [
            f"metro2.{p.field}: {p.message.removeprefix(p.field + ': ')}" for p in problems[:5]
        ]
        raise ValidationError("; ".join(shown))
    return header, profile
