"""Letters and campaigns: Mustache templates, the Regulation F validation notice, suppression,
print-vendor files, PDFs and e-mail.

Templates are Mustache, compiled and rendered in the C++ core::

    >>> from arrears.letters import Template
    >>> Template("Dear {{name}}, you owe {{amount}}.").render({"name": "Ana", "amount": "$12.00"})
    'Dear Ana, you owe $12.00.'

Letter data is built in the core from plain inputs (:class:`LetterAccount`,
:class:`LetterRecipient`, :class:`CollectorProfile`); :func:`validation_notice_data` and
:func:`letter_data` return it as a dict, so a team can also render it with Jinja2 or docxtpl.
:func:`builtin_template` gives the built-in letters (CFPB Model Form B-1 validation notice,
reminder, plan confirmation, settlement offer, promise broken, paid in full, dispute response) in
English and Spanish, as HTML and plain text. :class:`Campaign` selects, suppresses (with a reason
per account), renders in C++ threads and writes one folder with a manifest; see docs/letters.md.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import email.message
import email.policy
import email.utils
import hashlib
import html as _html
import importlib
import json
import logging
import os
import re
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from arrears import _core
from arrears._core import letters as _letters
from arrears._core.letters import (
    Template,
    TemplateLint,
    address_lines,
    address_problem,
    builtin_partials,
    builtin_source,
    builtin_stylesheet,
    format_date,
    format_money,
    html_escape,
    reference_number,
    reference_number_valid,
    truncate_account_number,
)
from arrears._core.money import Money
from arrears._core.plans import PaymentPlan
from arrears.errors import ValidationError
from arrears.frames import Table
from arrears.outputs import sha256_file

if TYPE_CHECKING:
    from arrears.store import Store

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib  # type: ignore[import-not-found,unused-ignore]

__all__ = [
    "LETTER_COLUMNS",
    "Address",
    "Campaign",
    "CampaignPreview",
    "CampaignResult",
    "CollectorProfile",
    "DisputeResponse",
    "Installment",
    "Itemization",
    "LetterAccount",
    "LetterRecipient",
    "PromiseTerms",
    "Resolution",
    "SettlementTerms",
    "Template",
    "TemplateLint",
    "TemplateSyntaxError",
    "address_lines",
    "address_problem",
    "builtin_partials",
    "builtin_source",
    "builtin_stylesheet",
    "builtin_template",
    "debt_collector_disclosure",
    "email_opt_out_text",
    "format_date",
    "format_money",
    "html_escape",
    "letter_columns",
    "letter_data",
    "letter_kinds",
    "reference_number",
    "reference_number_valid",
    "store_selection",
    "suppression_reasons",
    "truncate_account_number",
    "validation_notice_data",
]

_log = logging.getLogger("arrears")


class TemplateSyntaxError(ValidationError):
    """A template that does not parse, or a strict render that misses a name.

    ``source`` is ``"template"`` or ``"partial 'name'"``; ``line`` and ``column`` are 1-based
    (columns count characters); ``problem`` is the message without the position.
    """

    def __init__(
        self,
        message: str,
        source: str = "template",
        line: int = 0,
        column: int = 0,
        problem: str = "",
    ) -> None:
        super().__init__(message)
        self.source = source
        self.line = line
        self.column = column
        self.problem = problem

    def __reduce__(self) -> tuple[type, tuple[str, str, int, int, str]]:
        return (type(self), (str(self), self.source, self.line, self.column, self.problem))


def letter_kinds() -> list[str]:
    """Names of the built-in letters."""
    return list(_letters.letter_kinds())


def suppression_reasons() -> list[str]:
    """Suppression reasons in the order they are checked (the first that applies is reported)."""
    return list(_letters.suppression_reasons())


def builtin_template(
    name: str,
    language: str = "en",
    format: str = "html",  # noqa: A002 - the natural name
    partials: Mapping[str, str] | None = None,
) -> Template:
    """The built-in letter `name` (see :func:`letter_kinds`) in ``"en"`` or ``"es"``, as
    ``"html"`` or ``"text"``. `partials` replaces shared pieces (``letterhead``, ``closing``,
    ``disclosure``, ``state_disclosures``, ``e_mail_footer``, ``how_to_pay``, ``account``)."""
    return _letters.builtin_template(name, language, format, dict(partials) if partials else None)


# ---- plain inputs --------------------------------------------------------------------------------


def _money(value: Any, field: str, currency: str = "USD") -> Money:
    if isinstance(value, Money):
        return value
    if isinstance(value, float):
        raise ValidationError(f"{field}: {value!r} is a float; money never comes as a float")
    try:
        return Money(value, currency)
    except ValidationError as exc:
        raise ValidationError(f"{field}: {exc}") from None


def _date(value: Any, field: str) -> _dt.date:
    if isinstance(value, _dt.datetime) or not isinstance(value, _dt.date):
        raise ValidationError(f"{field}: expected a datetime.date, got {value!r}")
    return value


@dataclasses.dataclass(frozen=True)
class Address:
    """A postal address; ``postal_code`` is text (ZIP codes keep their leading zeros)."""

    line1: str
    line2: str = ""
    city: str = ""
    state: str = ""
    postal_code: str = ""
    country: str = "US"

    def __post_init__(self) -> None:
        for f in dataclasses.fields(self):
            v = getattr(self, f.name)
            if not isinstance(v, str):
                hint = " (a ZIP code must be text)" if f.name == "postal_code" else ""
                raise ValidationError(f"address.{f.name}: expected text, got {v!r}{hint}")

    def to_dict(self) -> dict[str, str]:
        return dataclasses.asdict(self)

    @property
    def lines(self) -> list[str]:
        return list(address_lines(self.to_dict()))


@dataclasses.dataclass(frozen=True)
class Installment:
    due: _dt.date
    amount: Money

    def __post_init__(self) -> None:
        _date(self.due, "installment.due")
        object.__setattr__(self, "amount", _money(self.amount, "installment.amount"))


@dataclasses.dataclass(frozen=True)
class Itemization:
    """12 CFR 1006.34(c)(2)(vi)-(ix): amount on the itemization date, interest, fees and payments
    or credits since, and the current amount (which must add up; checked in the core).
    ``reference`` is the kind of itemization date: last_statement, charge_off, last_payment,
    transaction or judgment."""

    date: _dt.date
    amount: Money
    current: Money
    interest: Money = dataclasses.field(default_factory=lambda: Money(0))
    fees: Money = dataclasses.field(default_factory=lambda: Money(0))
    payments_credits: Money = dataclasses.field(default_factory=lambda: Money(0))
    reference: str = "charge_off"

    def __post_init__(self) -> None:
        _date(self.date, "itemization.date")
        for name in ("amount", "current", "interest", "fees", "payments_credits"):
            object.__setattr__(self, name, _money(getattr(self, name), f"itemization.{name}"))


@dataclasses.dataclass(frozen=True)
class SettlementTerms:
    amount: Money
    expires: _dt.date
    installments: tuple[Installment, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "amount", _money(self.amount, "settlement.amount"))
        _date(self.expires, "settlement.expires")
        object.__setattr__(self, "installments", tuple(self.installments))


@dataclasses.dataclass(frozen=True)
class PromiseTerms:
    amount: Money
    due: _dt.date
    received: Money = dataclasses.field(default_factory=lambda: Money(0))

    def __post_init__(self) -> None:
        object.__setattr__(self, "amount", _money(self.amount, "promise.amount"))
        object.__setattr__(self, "received", _money(self.received, "promise.received"))
        _date(self.due, "promise.due")


@dataclasses.dataclass(frozen=True)
class Resolution:
    """How the account ended: the date, the total paid, and whether it was settled for less."""

    date: _dt.date
    paid: Money
    settled: bool = False

    def __post_init__(self) -> None:
        _date(self.date, "resolution.date")
        object.__setattr__(self, "paid", _money(self.paid, "resolution.paid"))


@dataclasses.dataclass(frozen=True)
class DisputeResponse:
    """A written dispute and the answer (12 CFR 1006.38(d)(2)): the verification documents
    enclosed, or for a duplicative dispute the earlier response's date and a brief reason."""

    received: _dt.date
    documents: tuple[str, ...] = ()
    duplicative: bool = False
    previous_response: _dt.date | None = None
    reason: str = ""

    def __post_init__(self) -> None:
        _date(self.received, "dispute.received")
        object.__setattr__(self, "documents", tuple(self.documents))


@dataclasses.dataclass(frozen=True)
class LetterRecipient:
    """The person a letter goes to, and the facts that decide whether it may go (see
    docs/letters.md for where each comes from: debtor record and compliance decisions)."""

    name: str
    address: Address
    address_ok: bool = True
    email: str = ""
    email_opt_out: bool = False
    language: str = "en"
    time_zone: str = ""
    deceased: bool = False
    bankruptcy: bool = False
    attorney: bool = False
    cease: bool = False
    dispute_pause: bool = False


@dataclasses.dataclass(frozen=True)
class LetterAccount:
    """The debt a letter is about. ``extra`` carries custom fields for custom templates
    (``{{extra.name}}``); a dict is accepted and stored as sorted pairs."""

    account_id: str
    creditor: str
    itemization: Itemization
    reference: str = ""
    account_number: str = ""
    original_creditor: str = ""
    product: str = ""
    time_barred: bool = False
    initial_communication: bool = False
    english_notice_sent: bool = False
    notices: tuple[str, ...] = ()
    plan: tuple[Installment, ...] = ()
    settlement: SettlementTerms | None = None
    promise: PromiseTerms | None = None
    resolution: Resolution | None = None
    dispute: DisputeResponse | None = None
    extra: tuple[tuple[str, str], ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "notices", tuple(self.notices))
        object.__setattr__(self, "plan", tuple(self.plan))
        extra: Any = self.extra
        if isinstance(extra, Mapping):
            object.__setattr__(self, "extra", tuple(sorted(extra.items())))
        else:
            object.__setattr__(self, "extra", tuple(tuple(p) for p in extra))


@dataclasses.dataclass(frozen=True)
class CollectorProfile:
    """The collector: name, the mailing address where disputes are accepted, phone and hours,
    website, electronic dispute and request addresses, e-mail sender and opt-out method."""

    name: str
    address: Address
    phone: str
    hours: str = ""
    hours_es: str = ""
    website: str = ""
    dispute_url: str = ""
    original_creditor_url: str = ""
    email: str = ""
    email_opt_out: str = ""
    email_opt_out_es: str = ""
    payable_to: str = ""
    spanish_disclosures: bool = True
    time_zone: str = "America/New_York"

    def __post_init__(self) -> None:
        if isinstance(self.address, Mapping):
            object.__setattr__(
                self, "address", Address(**_fields(Address, self.address, "address"))
            )
        elif not isinstance(self.address, Address):
            raise ValidationError(f"collector.address: expected an address, got {self.address!r}")
        _letters.check_collector(self.to_dict())

    def to_dict(self) -> dict[str, Any]:
        d = dataclasses.asdict(self)
        d["address"] = self.address.to_dict()
        return d

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> CollectorProfile:
        return cls(**_fields(cls, data, "collector"))

    @classmethod
    def from_file(cls, path: str | os.PathLike[str]) -> CollectorProfile:
        """Read a JSON or TOML profile."""
        p = Path(path)
        try:
            text = p.read_text(encoding="utf-8")
            data = tomllib.loads(text) if p.suffix == ".toml" else json.loads(text)
        except OSError as exc:
            raise ValidationError(f"collector: cannot read {str(p)!r}: {exc.strerror}") from exc
        except ValueError as exc:  # not UTF-8, not TOML, not JSON
            raise ValidationError(f"collector: {str(p)!r}: {exc}") from exc
        return cls.from_dict(data)


def _fields(cls: type, data: object, where: str) -> dict[str, Any]:
    """`data` as keyword arguments of the dataclass `cls`: a mapping with no unknown field and
    every required one, or a ValidationError naming the field."""
    if not isinstance(data, Mapping):
        raise ValidationError(f"{where}: expected a table of fields, got {data!r}")
    fields = dataclasses.fields(cls)
    known = {f.name for f in fields}
    for key in data:
        if key not in known:
            raise ValidationError(f"{where}: unknown field {key!r}")
    for f in fields:
        required = f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
        if required and f.name not in data:
            raise ValidationError(f"{where}: missing field {f.name!r}")
    return dict(data)


def _collector_dict(collector: CollectorProfile | Mapping[str, Any]) -> dict[str, Any]:
    if isinstance(collector, CollectorProfile):
        return collector.to_dict()
    if isinstance(collector, Mapping):
        return CollectorProfile.from_dict(collector).to_dict()
    raise ValidationError(f"collector: expected a CollectorProfile or a dict, got {collector!r}")


def debt_collector_disclosure(
    letter: str, initial: bool, collector: str, creditor: str, language: str = "en"
) -> str:
    """The 12 CFR 1006.18(e) statement a letter carries."""
    return _letters.debt_collector_disclosure(letter, initial, collector, creditor, language)


def email_opt_out_text(
    collector: CollectorProfile | Mapping[str, Any], language: str = "en"
) -> str:
    """The 12 CFR 1006.6(e) opt-out text e-mail letters carry."""
    return _letters.email_opt_out_text(_collector_dict(collector), language)


# ---- selections as columns -----------------------------------------------------------------------

LETTER_COLUMNS: dict[str, str] = {
    "account_id": "text, required",
    "reference": "text; empty: reference_number(account_id)",
    "account_number": "text (printed truncated)",
    "creditor": "text, required: the current creditor",
    "original_creditor": "text; empty: creditor",
    "product": "text: 'Main Street Department Store credit card'",
    "currency": "ISO 4217 code; default USD",
    "itemization_reference": "last_statement | charge_off | last_payment | transaction | judgment",
    "itemization_date": "date",
    "itemization_amount_cents": "int minor units; default current_cents",
    "interest_cents": "int minor units; default 0",
    "fees_cents": "int minor units; default 0",
    "payments_credits_cents": "int minor units; default 0",
    "current_cents": "int minor units, required",
    "time_barred": "bool",
    "initial_communication": "bool",
    "english_notice_sent": "bool",
    "notices": "list of text (state disclosures)",
    "plan": "list of {'due': date, 'amount_cents': int}",
    "settlement": "{'amount_cents', 'expires', 'installments'} or None",
    "promise": "{'amount_cents', 'due', 'received_cents'} or None",
    "resolution": "{'date', 'paid_cents', 'settled'} or None",
    "dispute": "{'received', 'documents', 'duplicative', 'previous_response', 'reason'} or None",
    "extra": "dict of text (custom template fields)",
    "recipient_name": "text, required",
    "address_line1": "text",
    "address_line2": "text",
    "city": "text",
    "state": "two-letter code",
    "postal_code": "text (never a number)",
    "country": "text; default US",
    "address_ok": "bool; default True",
    "email": "text",
    "email_opt_out": "bool",
    "language": "en | es",
    "time_zone": "IANA zone",
    "deceased": "bool",
    "bankruptcy": "bool",
    "attorney": "bool",
    "cease": "bool",
    "dispute_pause": "bool",
}


def _installments(items: Iterable[Installment]) -> list[dict[str, Any]]:
    return [{"due": i.due, "amount_cents": i.amount.minor} for i in items]


def _pair_row(account: LetterAccount, recipient: LetterRecipient) -> dict[str, Any]:
    if not isinstance(account, LetterAccount) or not isinstance(recipient, LetterRecipient):
        raise ValidationError(
            "selection: expected (LetterAccount, LetterRecipient) pairs, got "
            f"({type(account).__name__}, {type(recipient).__name__})"
        )
    it = account.itemization
    currency = it.current.currency
    row: dict[str, Any] = {
        "account_id": account.account_id,
        "reference": account.reference,
        "account_number": account.account_number,
        "creditor": account.creditor,
        "original_creditor": account.original_creditor,
        "product": account.product,
        "currency": currency,
        "itemization_reference": it.reference,
        "itemization_date": it.date,
        "itemization_amount_cents": it.amount.minor,
        "interest_cents": it.interest.minor,
        "fees_cents": it.fees.minor,
        "payments_credits_cents": it.payments_credits.minor,
        "current_cents": it.current.minor,
        "time_barred": account.time_barred,
        "initial_communication": account.initial_communication,
        "english_notice_sent": account.english_notice_sent,
        "notices": list(account.notices),
        "plan": _installments(account.plan),
        "settlement": None,
        "promise": None,
        "resolution": None,
        "dispute": None,
        "extra": dict(account.extra),
        "recipient_name": recipient.name,
        "address_line1": recipient.address.line1,
        "address_line2": recipient.address.line2,
        "city": recipient.address.city,
        "state": recipient.address.state,
        "postal_code": recipient.address.postal_code,
        "country": recipient.address.country,
        "address_ok": recipient.address_ok,
        "email": recipient.email,
        "email_opt_out": recipient.email_opt_out,
        "language": recipient.language,
        "time_zone": recipient.time_zone,
        "deceased": recipient.deceased,
        "bankruptcy": recipient.bankruptcy,
        "attorney": recipient.attorney,
        "cease": recipient.cease,
        "dispute_pause": recipient.dispute_pause,
    }
    for m in (it.amount, it.interest, it.fees, it.payments_credits):
        if m.currency != currency:
            raise ValidationError(
                f"account {account.account_id!r}: itemization mixes {m.currency} and {currency}"
            )
    if account.settlement is not None:
        s = account.settlement
        row["settlement"] = {
            "amount_cents": s.amount.minor,
            "expires": s.expires,
            "installments": _installments(s.installments),
        }
    if account.promise is not None:
        p = account.promise
        row["promise"] = {
            "amount_cents": p.amount.minor,
            "due": p.due,
            "received_cents": p.received.minor,
        }
    if account.resolution is not None:
        r = account.resolution
        row["resolution"] = {"date": r.date, "paid_cents": r.paid.minor, "settled": r.settled}
    if account.dispute is not None:
        d = account.dispute
        row["dispute"] = {
            "received": d.received,
            "documents": list(d.documents),
            "duplicative": d.duplicative,
            "previous_response": d.previous_response,
            "reason": d.reason,
        }
    return row


def _table_columns(table: Table) -> dict[str, Any]:
    import numpy as np

    out: dict[str, Any] = {}
    for name in table.column_names:
        if name not in LETTER_COLUMNS:
            continue
        values = table.column(name)
        if np.ma.isMaskedArray(values):  # nulls (an account without an itemization date)
            filled = np.ma.getdata(values).astype(object)
            filled[np.ma.getmaskarray(values)] = None
            values = filled
        out[name] = values
    return out


def letter_columns(selection: Any) -> dict[str, Any]:
    """A selection as the columns the core reads (see :data:`LETTER_COLUMNS`).

    Accepts an :class:`arrears.Table` (``Store.letter_table``; other columns are ignored), a
    pandas DataFrame (columns by those names; other columns are ignored), a dict of columns
    (lists or numpy arrays; unknown names are an error), a list of
    ``(LetterAccount, LetterRecipient)`` pairs, or a list of dicts (one flat row each).
    """
    if isinstance(selection, Table):
        return _table_columns(selection)
    if hasattr(selection, "columns") and hasattr(selection, "to_numpy"):  # pandas DataFrame
        return {c: selection[c].to_numpy() for c in selection.columns if str(c) in LETTER_COLUMNS}
    if isinstance(selection, Mapping):
        return dict(selection)
    if isinstance(selection, (str, bytes)) or not isinstance(selection, Sequence):
        raise ValidationError(
            "selection: expected a DataFrame, a dict of columns, or a list of "
            f"(LetterAccount, LetterRecipient) pairs or row dicts; got {type(selection).__name__}"
        )
    rows: list[Mapping[str, Any]] = []
    for i, item in enumerate(selection):
        if isinstance(item, Mapping):
            rows.append(item)
        elif isinstance(item, tuple) and len(item) == 2:
            rows.append(_pair_row(item[0], item[1]))
        else:
            raise ValidationError(
                f"selection[{i}]: expected a (LetterAccount, LetterRecipient) pair or a dict, "
                f"got {type(item).__name__}"
            )
    names: list[str] = []
    for r in rows:
        for k in r:
            if k not in names:
                names.append(k)
    return {k: [r.get(k) for r in rows] for k in names}


def _plan_installments(plan: PaymentPlan) -> list[dict[str, Any]]:
    return [{"due": i.due, "amount_cents": i.amount.minor} for i in plan.schedule]


def store_selection(
    store: Store,
    as_of: _dt.date,
    account_ids: Sequence[str] | None = None,
    *,
    plans: bool = False,
    threads: int = 0,
    progress: bool | Callable[[int, int], object] | None = None,
) -> dict[str, Any]:
    """A campaign selection from the store: :meth:`Store.letter_table` as columns (see
    :func:`letter_columns`) for ``account_ids`` (None: every account) as of ``as_of``.

    With ``plans=True`` the columns the plan letters need are added from each account's latest
    stored plan made on or before ``as_of`` (docs/store.md): ``plan`` (its installments, for
    reminders and plan confirmations), ``settlement`` (amount, offer expiry, installments),
    ``promise`` (amount, due date, received as of ``as_of``) and, for accounts whose status is
    paid or settled, ``resolution`` (date, amount paid, settled)."""
    table = store.letter_table(account_ids, as_of, threads=threads, progress=progress)
    columns = letter_columns(table)
    if not plans:
        return columns
    ids = [str(x) for x in columns["account_id"]]
    wanted = set(ids)
    latest: dict[str, PaymentPlan] = {}
    for plan in store.plans():
        if plan.plan_date > as_of:
            continue
        for account_id, _ in plan.accounts:
            if account_id not in wanted:
                continue
            seen = latest.get(account_id)
            if seen is None or (plan.plan_date, plan.plan_id) > (seen.plan_date, seen.plan_id):
                latest[account_id] = plan
    status = {
        r["id"]: r
        for r in store.query(
            "SELECT a.id, a.status, json_extract(a.data, '$.status_history[#-1].effective') AS "
            "status_on, (SELECT coalesce(sum(p.amount_cents), 0) FROM transactions p "
            "WHERE p.account_id = a.id AND p.type = 'payment' AND p.effective_date <= ? AND "
            "NOT EXISTS (SELECT 1 FROM transactions r WHERE r.account_id = p.account_id AND "
            "r.type = 'payment_reversal' AND r.reverses = p.seq AND r.effective_date <= ?)) "
            "AS paid_cents FROM accounts a WHERE a.status IN ('paid', 'settled')",
            [as_of, as_of],
        ).to_pylist()
    }
    evaluations: dict[str, Any] = {}

    def paid_on_plan(plan: PaymentPlan) -> int:
        if plan.plan_id not in evaluations:
            payments = store.plan_payments(plan.plan_id, as_of)
            evaluations[plan.plan_id] = plan.evaluate(payments, as_of)
        return int(evaluations[plan.plan_id].paid.minor)

    plan_col: list[Any] = []
    settlement_col: list[Any] = []
    promise_col: list[Any] = []
    resolution_col: list[Any] = []
    for account_id in ids:
        chosen = latest.get(account_id)
        installments: list[dict[str, Any]] = []
        settlement: dict[str, Any] | None = None
        promise: dict[str, Any] | None = None
        resolution: dict[str, Any] | None = None
        if chosen is not None:
            if chosen.kind == "promise":
                only = chosen.schedule.installments[0]
                promise = {
                    "amount_cents": only.amount.minor,
                    "due": only.due,
                    "received_cents": min(paid_on_plan(chosen), only.amount.minor),
                }
            else:
                installments = _plan_installments(chosen)
            if chosen.kind == "settlement":
                settlement = {
                    "amount_cents": chosen.total.minor,
                    "expires": chosen.offer_expiry,
                    "installments": installments if len(installments) > 1 else [],
                }
        row = status.get(account_id)
        if row is not None:
            completed = chosen is not None and chosen.kind != "promise"
            status_on = row["status_on"]
            if not isinstance(status_on, _dt.date):
                status_on = _dt.date.fromisoformat(str(status_on))
            resolution = {
                "date": status_on,
                "paid_cents": paid_on_plan(chosen)
                if completed and chosen is not None
                else row["paid_cents"],
                "settled": row["status"] == "settled",
            }
        plan_col.append(installments)
        settlement_col.append(settlement)
        promise_col.append(promise)
        resolution_col.append(resolution)
    columns.update(
        plan=plan_col, settlement=settlement_col, promise=promise_col, resolution=resolution_col
    )
    return columns


def letter_data(
    letter: str,
    account: LetterAccount,
    debtor: LetterRecipient,
    collector: CollectorProfile | Mapping[str, Any],
    sent: _dt.date,
    language: str | None = None,
    channel: str = "mail",
) -> dict[str, Any]:
    """The data of one letter as a dict (what the built-in templates render). `language`
    defaults to the debtor's; `channel` "email" adds the opt-out flag the templates test."""
    cols = letter_columns([(account, debtor)])
    return dict(
        _letters.letter_data(
            letter, cols, 0, _collector_dict(collector), sent, language or "", channel
        )
    )


def validation_notice_data(
    account: LetterAccount,
    debtor: LetterRecipient,
    collector: CollectorProfile | Mapping[str, Any],
    sent: _dt.date,
    language: str = "en",
) -> dict[str, Any]:
    """The data of a validation notice (12 CFR 1006.34, Model Form B-1) as a dict: formatted
    money and dates, address lines, truncated account number, reference number, the
    §1006.18(e) statement, the itemization (rejected unless it adds up) and the validation end
    date. Render it with :func:`builtin_template` or any engine (Jinja2, docxtpl)."""
    return letter_data("validation_notice", account, debtor, collector, sent, language)


# ---- campaigns -----------------------------------------------------------------------------------

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
_CSV_SPECIAL = {"letter_id", "batch", "sequence", "batch_file"}


def _load_mapping(mapping: str | os.PathLike[str] | Mapping[str, Any]) -> list[tuple[str, str]]:
    if isinstance(mapping, Mapping):
        data: Any = mapping
        where = "csv_mapping"
    else:
        p = Path(mapping)
        where = str(p)
        text = p.read_text(encoding="utf-8")
        data = tomllib.loads(text) if p.suffix == ".toml" else json.loads(text)
    if not isinstance(data, Mapping) or set(data) != {"columns"}:
        raise ValidationError(f"{where}: expected {{'columns': [{{'header': ..., 'field': ...}}]}}")
    columns = data["columns"]
    if not isinstance(columns, list) or not columns:
        raise ValidationError(f"{where}: columns must be a non-empty list")
    out: list[tuple[str, str]] = []
    for i, c in enumerate(columns):
        if not isinstance(c, Mapping) or set(c) != {"header", "field"}:
            raise ValidationError(f"{where}: columns[{i}] needs exactly 'header' and 'field'")
        header, field = c["header"], c["field"]
        if not isinstance(header, str) or not isinstance(field, str) or not header or not field:
            raise ValidationError(f"{where}: columns[{i}]: header and field must be non-empty text")
        out.append((header, field))
    return out


def _lookup(data: Any, path: str) -> Any:
    node = data
    for part in path.split("."):
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            return KeyError
    return node


def _template_hash(templates: Sequence[tuple[str, str, Template]]) -> str:
    canon = [
        {
            "language": lang,
            "format": fmt,
            "source": t.source,
            "partials": dict(sorted(t.partials.items())),
            "strict": t.strict,
            "escape": t.escape,
        }
        for lang, fmt, t in sorted(templates, key=lambda x: (x[0], x[1]))
    ]
    blob = json.dumps(canon, sort_keys=True, ensure_ascii=False).encode("utf-8")
    return hashlib.sha256(blob).hexdigest()


class _Progress:
    def __init__(self, progress: bool | Callable[[int, int], Any] | None, label: str) -> None:
        self._user = progress if callable(progress) else None
        self._bar: Any = None
        if progress is True:
            from tqdm.auto import tqdm  # type: ignore[import-untyped,unused-ignore]

            self._bar = tqdm(desc=label, unit="letters")

    def __call__(self, done: int, total: int) -> bool:
        if self._bar is not None:
            self._bar.total = total
            self._bar.n = done
            self._bar.refresh()
        if self._user is not None:
            return self._user(done, total) is not False
        return True

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()


@dataclasses.dataclass(frozen=True)
class CampaignPreview:
    """Counts and the first letters of a campaign, without writing or logging anything."""

    name: str
    counts: dict[str, int]
    suppressed_by_reason: dict[str, int]
    letters: list[str]
    format: str

    def _repr_html_(self) -> str:
        rows = "".join(
            f"<tr><td>{_html.escape(k)}</td><td style='text-align:right'>{v:,}</td></tr>"
            for k, v in self.counts.items()
        )
        reasons = "".join(
            f"<tr><td>&nbsp;&nbsp;{_html.escape(k)}</td>"
            f"<td style='text-align:right'>{v:,}</td></tr>"
            for k, v in self.suppressed_by_reason.items()
            if v
        )
        shown = []
        for letter in self.letters:
            if self.format == "html":
                doc = _letters.html_document(letter, self.name, builtin_stylesheet())
                shown.append(
                    "<iframe style='width:100%;height:480px;border:1px solid #ccc' "
                    f'srcdoc="{_html.escape(doc, quote=True)}"></iframe>'
                )
            else:
                shown.append(f"<pre>{_html.escape(letter)}</pre>")
        return (
            f"<div><b>Campaign {_html.escape(self.name)}</b><table>{rows}{reasons}</table>"
            + "".join(shown)
            + "</div>"
        )


@dataclasses.dataclass(frozen=True)
class CampaignResult:
    """What :meth:`Campaign.run` wrote: the folder, its manifest and the letters' index."""

    out_dir: Path
    manifest: dict[str, Any]

    @property
    def counts(self) -> dict[str, int]:
        return dict(self.manifest["counts"])

    @property
    def files(self) -> list[dict[str, Any]]:
        return list(self.manifest["files"])

    def _repr_html_(self) -> str:
        files = "".join(
            f"<tr><td>{_html.escape(f['path'])}</td><td>{f['bytes']:,}</td>"
            f"<td><code>{f['sha256'][:16]}…</code></td></tr>"
            for f in self.manifest["files"][:20]
        )
        counts = ", ".join(f"{k}: {v:,}" for k, v in self.counts.items())
        return (
            f"<div><b>Campaign {_html.escape(self.manifest['campaign'])}</b> → "
            f"{_html.escape(str(self.out_dir))}<br>{_html.escape(counts)}"
            f"<table><tr><th>file</th><th>bytes</th><th>sha256</th></tr>{files}</table></div>"
        )


CommunicationSink = Callable[[list[dict[str, Any]]], Any]


class Campaign:
    """A letter campaign over a selection of accounts.

    ``Campaign(name, template, selection, as_of, *, collector, ...)``:

    - `template`: a built-in letter name (the English and Spanish, HTML and text versions are
      used; each recipient gets their language) or a :class:`Template` (every letter in the
      template's language; pass `text_template` for e-mail text parts).
    - `selection`: see :func:`letter_columns` (DataFrame, dict of columns, pairs, row dicts).
    - `as_of`: the letter date (mail); for e-mail an aware datetime (the send time, for the
      time-of-day rule) or pass `send_at`.
    - `letter`: which letter data to build (default: the built-in name, else ``"custom"``);
      `tags`: suppression tags (default: the built-in letter's, else ``["collection"]``).

    ``suppressed``/``counts`` show who is left out and why; :meth:`preview` and
    :meth:`dry_run` render without writing; :meth:`run` writes the folder and logs each letter
    through `log` only when everything succeeded.
    """

    def __init__(
        self,
        name: str,
        template: str | Template,
        selection: Any,
        as_of: _dt.date,
        *,
        collector: CollectorProfile | Mapping[str, Any],
        channel: str = "mail",
        letter: str | None = None,
        tags: Sequence[str] | None = None,
        send_at: _dt.datetime | None = None,
        text_template: Template | None = None,
        language: str | None = None,
        batch_size: int = 1000,
        threads: int = 0,
        subject: str | None = None,
    ) -> None:
        if not isinstance(name, str) or not _NAME.match(name):
            raise ValidationError(
                f"name: {name!r} must be 1-64 letters, digits, '_', '.' or '-' (it names files)"
            )
        if channel not in ("mail", "email"):
            raise ValidationError(f"channel: {channel!r} is not 'mail' or 'email'")
        if not isinstance(batch_size, int) or isinstance(batch_size, bool) or batch_size < 1:
            raise ValidationError(f"batch_size: {batch_size!r} must be a positive int")
        self.name = name
        self.channel = channel
        self.batch_size = batch_size
        self.threads = threads
        self._collector = _collector_dict(collector)
        if isinstance(as_of, _dt.datetime):
            if as_of.utcoffset() is None:
                raise ValidationError(
                    f"as_of: {as_of!r} is naive; pass a date or an aware datetime"
                )
            send_at = send_at or as_of
            from zoneinfo import ZoneInfo

            as_of = as_of.astimezone(ZoneInfo(self._collector["time_zone"])).date()
        self.as_of = _date(as_of, "as_of")
        if send_at is not None and (
            not isinstance(send_at, _dt.datetime) or send_at.utcoffset() is None
        ):
            raise ValidationError(f"send_at: {send_at!r} must be a timezone-aware datetime")
        self.send_at = send_at
        if channel == "email" and not self._collector.get("email"):
            raise ValidationError("collector.email: an e-mail campaign needs the sender address")
        if channel == "email" and send_at is None:
            raise ValidationError(
                "send_at: an e-mail campaign needs the send time (an aware datetime as as_of or "
                "send_at) to check the time of day, 12 CFR 1006.6(b)(1)(i)"
            )

        self._templates: list[tuple[str, str, Template]] = []
        self._builtin: str | None
        if isinstance(template, str):
            if template not in _letters.letter_kinds():
                raise ValidationError(
                    f"template: {template!r} is not a built-in letter ({', '.join(letter_kinds())})"
                )
            self.letter = letter or template
            for lang in ("en", "es"):
                for fmt in ("html", "text"):
                    self._templates.append((lang, fmt, builtin_template(template, lang, fmt)))
            self._language = language
            self.tags = list(tags) if tags is not None else list(_letters.builtin_tags(template))
            self._subject = subject
            self._builtin = template
        elif isinstance(template, Template):
            self.letter = letter or "custom"
            fmt = "html" if template.escape == "html" else "text"
            self._templates.append((template.language, fmt, template))
            if text_template is not None:
                if not isinstance(text_template, Template):
                    raise ValidationError("text_template: expected a Template")
                self._templates.append((template.language, "text", text_template))
            self._language = language or template.language
            self.tags = list(tags) if tags is not None else ["collection"]
            self._subject = subject
            self._builtin = None
        else:
            raise ValidationError(
                f"template: expected a built-in letter name or a Template, got {template!r}"
            )
        if self.letter not in (*_letters.letter_kinds(), "custom"):
            raise ValidationError(f"letter: {self.letter!r} is not a letter kind")
        self.template_sha256 = _template_hash(self._templates)
        self._check_disclosures()

        columns = letter_columns(selection)
        n = len(next(iter(columns.values()))) if columns else 0
        if n == 0:
            raise ValidationError("selection: the campaign selects no accounts")
        # Read (and checked) once; later changes to the caller's lists do not reach the campaign.
        self._selection = _letters.LetterSelection(columns)
        self._ids = tuple(str(x) for x in columns["account_id"])
        self._names = tuple(str(x) for x in columns["recipient_name"])
        emails = columns.get("email")
        self._emails = (
            tuple("" if x is None else str(x) for x in emails) if emails is not None else None
        )
        self._reasons: list[str | None] | None = None

    def _check_disclosures(self) -> None:
        required = ["disclosure"]
        if self.channel == "email":
            required.append("email_opt_out")
        for lang, fmt, t in self._templates:
            missing = t.lint(required=required).missing_required
            if missing:
                raise ValidationError(
                    f"template ({lang} {fmt}): never interpolates {', '.join(missing)}; a "
                    "collection letter carries the 12 CFR 1006.18(e) disclosure"
                    + (" and e-mail the 1006.6(e) opt-out" if "email_opt_out" in missing else "")
                )

    # -- selection and suppression --

    @property
    def size(self) -> int:
        return len(self._ids)

    @property
    def suppressed(self) -> list[str | None]:
        """Per selected account: the suppression reason, or None when its letter goes."""
        if self._reasons is None:
            self._reasons = list(
                _letters.letter_suppressions(self._selection, self.channel, self.tags, self.send_at)
            )
        return self._reasons

    def _to_send(self) -> list[int]:
        return [i for i, r in enumerate(self.suppressed) if r is None]

    @property
    def counts(self) -> dict[str, int]:
        reasons = self.suppressed
        sent = sum(1 for r in reasons if r is None)
        return {"selected": len(reasons), "suppressed": len(reasons) - sent, "letters": sent}

    @property
    def suppressed_by_reason(self) -> dict[str, int]:
        c = Counter(r for r in self.suppressed if r is not None)
        return {r: c.get(r, 0) for r in suppression_reasons()}

    def _account_ids(self) -> list[str]:
        return list(self._ids)

    # -- rendering --

    def _spec(self, formats: Sequence[str], **extra: Any) -> dict[str, Any]:
        have = {fmt for _, fmt, _ in self._templates}
        for fmt in formats:
            if fmt not in ("html", "text"):
                raise ValidationError(f"formats: {fmt!r} is not 'html' or 'text'")
            if fmt not in have:
                raise ValidationError(f"formats: no {fmt} template in this campaign")
        spec: dict[str, Any] = {
            "name": self.name,
            "letter": self.letter,
            "channel": self.channel,
            "templates": self._templates,
            "language": self._language,
            "collector": self._collector,
            "sent": self.as_of,
            "batch_size": self.batch_size,
            "formats": list(formats),
            "stylesheet": builtin_stylesheet(),
            "threads": self.threads,
        }
        spec.update(extra)
        return spec

    def preview(self, n: int = 3, format: str = "html") -> list[str]:  # noqa: A002
        """The first `n` letters that would go out, rendered, nothing written or logged."""
        rows = self._to_send()[: max(0, n)]
        if not rows:
            return []
        out = _letters.render_campaign(
            self._selection, rows, self._spec([format], collect=True, batch_size=max(1, n)), ""
        )
        return list(out["letters"]["html" if format == "html" else "text"])

    def dry_run(self, progress: bool | Callable[[int, int], Any] | None = None) -> CampaignPreview:
        """Render every letter (so a bad account or template fails now), write and log nothing."""
        fmt = "html" if any(f == "html" for _, f, _ in self._templates) else "text"
        rows = self._to_send()
        bar = _Progress(progress, f"{self.name} (dry run)")
        try:
            if rows:
                _letters.render_campaign(
                    self._selection, rows, self._spec([fmt], return_letters=False), "", bar
                )
        finally:
            bar.close()
        return CampaignPreview(
            self.name, self.counts, self.suppressed_by_reason, self.preview(2, fmt), fmt
        )

    def _repr_html_(self) -> str:
        fmt = "html" if any(f == "html" for _, f, _ in self._templates) else "text"
        preview = CampaignPreview(
            self.name, self.counts, self.suppressed_by_reason, self.preview(2, fmt), fmt
        )
        return preview._repr_html_()

    def __repr__(self) -> str:
        return (
            f"Campaign({self.name!r}, letter={self.letter!r}, channel={self.channel!r}, "
            f"as_of={self.as_of.isoformat()}, selected={self.size})"
        )

    def run(
        self,
        out_dir: str | os.PathLike[str],
        *,
        formats: Sequence[str] | None = None,
        one_file_each: bool = False,
        pdf: bool = False,
        csv_mapping: str | os.PathLike[str] | Mapping[str, Any] | None = None,
        log: CommunicationSink | None = None,
        progress: bool | Callable[[int, int], Any] | None = None,
    ) -> CampaignResult:
        """Render and write the campaign into the new folder `out_dir`.

        Writes letters-NNNN.html/.txt per batch (and letters/<letter_id>.* with
        `one_file_each`), letters-NNNN.pdf with `pdf` (needs the ``[pdf]`` extra), email/*.eml
        for e-mail campaigns, print_vendor.csv from `csv_mapping`, index.csv and manifest.json
        (counts, suppressed by reason, template hash, SHA-256 of every file). The folder is an
        output (arrears.outputs): built in a private staging folder beside `out_dir`, then `log`
        gets one list with a communication record per letter, and the folder is renamed into
        place only after that. With ``log=store.letter_sink(...)`` the folder is recorded in the
        store's transaction with the letters and appears when they commit (at the end of an
        enclosing ``store.transaction()``, when there is one); a crash before then leaves
        nothing sent, one after it a folder the next run publishes (``outputs.reconcile``). If
        anything fails, including `log`, the staged folder is removed and nothing counts as sent.
        """
        from arrears import outputs

        target = Path(out_dir)
        if target.exists():
            raise ValidationError(
                f"out_dir: {str(target)!r} exists; a campaign writes a new folder"
            )
        if formats is None:
            formats = ("html", "text") if self.channel == "email" else ("html",)
        formats = list(dict.fromkeys(formats))
        if self.channel == "email" and set(formats) != {"html", "text"}:
            if not {"html", "text"} <= {f for _, f, _ in self._templates}:
                raise ValidationError(
                    "formats: e-mail letters need an HTML and a text template (text_template=...)"
                )
            formats = ["html", "text"]
        if pdf and "html" not in formats:
            raise ValidationError("pdf: PDFs are made from the HTML letters; add 'html' to formats")
        weasyprint: Any = None
        if pdf:
            try:
                weasyprint = importlib.import_module("weasyprint")
            except ImportError as exc:
                raise ValidationError(
                    "pdf: WeasyPrint is not installed; install the [pdf] extra "
                    "(pip install 'arrears[pdf]')"
                ) from exc
        csv_columns = _load_mapping(csv_mapping) if csv_mapping is not None else []
        rows = self._to_send()
        if csv_columns and rows:
            sample = _letters.letter_data(
                self.letter,
                self._selection,
                rows[0],
                self._collector,
                self.as_of,
                self._language or "",
                self.channel,
            )
            for header, field in csv_columns:
                if field not in _CSV_SPECIAL and _lookup(sample, field) is KeyError:
                    raise ValidationError(
                        f"csv_mapping: column {header!r}: field {field!r} is not in the letter "
                        f"data (top-level keys: {', '.join(sorted(sample))})"
                    )

        store = getattr(log, "store", None)
        output = outputs.Output(target.parent, f"campaign/{self.name}", store=store)
        bar = _Progress(progress, self.name)
        try:
            tmp = output.directory(target.name)
            want_letters = self.channel == "email" or log is not None
            out: dict[str, Any] = {"letters": {}, "files": []}
            if rows:
                out = _letters.render_campaign(
                    self._selection,
                    rows,
                    self._spec(
                        formats,
                        one_file_each=one_file_each,
                        csv_columns=csv_columns,
                        collect=self.channel == "email",
                        return_letters=want_letters,
                    ),
                    str(tmp),
                    bar,
                )
            files: list[dict[str, Any]] = list(out["files"])
            letters: dict[str, Any] = out["letters"]
            if self.channel == "email" and rows:
                files.extend(self._write_emails(tmp, letters))
            if weasyprint is not None:
                files.extend(self._write_pdfs(tmp, files, weasyprint))
            manifest = self._manifest(formats, files, one_file_each, pdf, bool(csv_columns))
            (tmp / "manifest.json").write_text(
                json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
            )
            outputs.crash_point(output.key, "rendered")
            if store is not None:
                with store.transaction():
                    if rows:
                        log(self._communications(letters, formats))  # type: ignore[misc]
                    output.commit()
            else:
                if log is not None and rows:
                    log(self._communications(letters, formats))
                output.commit()
        except BaseException:
            output.discard()
            raise
        finally:
            bar.close()
        _log.info(
            "campaign %s: %d letters, %d suppressed, written to %s",
            self.name,
            manifest["counts"]["letters"],
            manifest["counts"]["suppressed"],
            target,
        )
        return CampaignResult(target, manifest)

    def _manifest(
        self,
        formats: Sequence[str],
        files: list[dict[str, Any]],
        one_file_each: bool,
        pdf: bool,
        csv: bool,
    ) -> dict[str, Any]:
        reasons = self.suppressed
        ids = self._account_ids()
        return {
            "campaign": self.name,
            "letter": self.letter,
            "channel": self.channel,
            "as_of": self.as_of.isoformat(),
            "send_at": self.send_at.isoformat() if self.send_at else None,
            "arrears_version": _core.__version__,
            "template": {
                "builtin": self._builtin,
                "sha256": self.template_sha256,
                "versions": [f"{lang} {fmt}" for lang, fmt, _ in self._templates],
            },
            "tags": self.tags,
            "collector": self._collector,
            "options": {
                "formats": list(formats),
                "batch_size": self.batch_size,
                "one_file_each": one_file_each,
                "pdf": pdf,
                "print_vendor_csv": csv,
                "language": self._language or "recipient",
            },
            "counts": self.counts,
            "suppressed_by_reason": self.suppressed_by_reason,
            "suppressed": [
                {"row": i, "account_id": ids[i], "reason": r}
                for i, r in enumerate(reasons)
                if r is not None
            ],
            "files": sorted(files, key=lambda f: f["path"]),
        }

    def _write_emails(self, tmp: Path, letters: dict[str, Any]) -> list[dict[str, Any]]:
        folder = tmp / "email"
        folder.mkdir()
        rows = letters["row"]
        emails = self._emails
        names = self._names
        sender = self._collector.get("email") or ""
        if not sender:
            raise ValidationError("collector.email: an e-mail campaign needs the sender address")
        assert self.send_at is not None
        out = []
        for i, letter_id in enumerate(letters["letter_id"]):
            row = rows[i]
            lang = letters["language"][i]
            msg = email.message.EmailMessage(policy=email.policy.SMTP)
            msg["From"] = email.utils.formataddr((self._collector["name"], sender))
            msg["To"] = email.utils.formataddr(
                (str(names[row]), str(emails[row] if emails is not None else ""))
            )
            subject = self._subject or _letters.builtin_subject(self._builtin or "custom", lang)
            msg["Subject"] = subject
            msg["Date"] = email.utils.format_datetime(self.send_at)
            msg["Message-ID"] = f"<{letter_id}@{sender.split('@')[-1] or 'arrears'}>"
            msg["X-Arrears-Letter-Id"] = letter_id
            msg.set_content(letters["text"][i])
            msg.add_alternative(
                _letters.html_document(letters["html"][i], subject, builtin_stylesheet()),
                subtype="html",
            )
            path = folder / f"{letter_id}.eml"
            data = msg.as_bytes()
            path.write_bytes(data)
            out.append(
                {
                    "path": f"email/{letter_id}.eml",
                    "kind": "eml",
                    "bytes": len(data),
                    "sha256": hashlib.sha256(data).hexdigest(),
                }
            )
        return out

    def _write_pdfs(
        self, tmp: Path, files: list[dict[str, Any]], weasyprint: Any
    ) -> list[dict[str, Any]]:
        batches = [f for f in files if f["kind"] == "html" and f["path"].startswith("letters-")]
        if not batches:
            batches = [f for f in files if f["kind"] == "html"]

        def one(f: dict[str, Any]) -> dict[str, Any]:
            src = tmp / f["path"]
            dst = src.with_suffix(".pdf")
            weasyprint.HTML(filename=str(src)).write_pdf(str(dst))
            return {
                "path": dst.relative_to(tmp).as_posix(),
                "kind": "pdf",
                "bytes": dst.stat().st_size,
                "sha256": sha256_file(dst),
            }

        return [one(f) for f in batches]

    def _communications(
        self, letters: dict[str, Any], formats: Sequence[str]
    ) -> list[dict[str, Any]]:
        ids = self._account_ids()
        ext = "html" if "html" in formats else "txt"
        # Looked up once: a default list built per letter made this loop quadratic in the batch.
        offsets = letters.get(f"offset_{ext}")
        lengths = letters.get(f"length_{ext}")
        rows, languages, batches = letters["row"], letters["language"], letters["batch"]
        out = []
        for i, letter_id in enumerate(letters["letter_id"]):
            row = rows[i]
            out.append(
                {
                    "letter_id": letter_id,
                    "campaign": self.name,
                    "account_id": ids[row],
                    "row": row,
                    "channel": self.channel,
                    "letter": self.letter,
                    "language": languages[i],
                    "template_sha256": self.template_sha256,
                    "sent": self.as_of,
                    "send_at": self.send_at,
                    "batch": batches[i],
                    "file": (
                        f"email/{letter_id}.eml"
                        if self.channel == "email"
                        else f"letters-{batches[i]:04d}.{ext}"
                    ),
                    "offset": offsets[i] if offsets is not None else None,
                    "length": lengths[i] if lengths is not None else None,
                }
            )
        return out
