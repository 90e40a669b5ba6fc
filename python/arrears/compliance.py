"""Regulation F compliance: may this contact happen now, when next, and why.

Every contact the product schedules goes through a :class:`ContactPolicy` (Regulation F, 12 CFR
part 1006, plus state and local overlays). Rules are JSON data with stable ids and legal
citations that a compliance officer reviews (``policy.save("policy.json")``) and changes
(``ContactPolicy.load(...)``). Not legal advice.

    >>> from datetime import datetime, timezone
    >>> from arrears.compliance import ContactAttempt, ContactPolicy, Consumer
    >>> policy = ContactPolicy.for_state("MA")
    >>> consumer = Consumer("C1", time_zones=["America/New_York"])
    >>> at = datetime(2026, 3, 11, 11, 0, tzinfo=timezone.utc)      # 07:00 in New York
    >>> call = ContactAttempt("C1", ["D1"], "call", "outbound", "connected", at)
    >>> decision = policy.check(consumer, call, history=[])
    >>> decision.allowed, decision.reasons[0].rule
    (False, 'reg_f.time_of_day')
    >>> policy.next_allowed(consumer, call, [])
    datetime.datetime(2026, 3, 11, 12, 0, tzinfo=datetime.timezone.utc)

A whole worklist is checked in one call that releases the GIL and uses every core:
:func:`check_worklist`.
"""

from __future__ import annotations

import datetime as _dt
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from arrears._core.compliance import (
    Consumer,
    ContactAttempt,
    ContactPolicy,
    Decision,
    DisputeAssessment,
    Reason,
    StatuteOfLimitations,
    check_contact_columns,
    earliest_furnishing_date,
    earliest_purge_date,
    is_time_barred,
    retention_purge_allowed,
    validation_period,
)
from arrears._progress import progress_bar
from arrears.errors import NotFoundError, ValidationError

__all__ = [
    "CHANNELS",
    "DIRECTIONS",
    "OUTCOMES",
    "TAGS",
    "Consumer",
    "ContactAttempt",
    "ContactPolicy",
    "Decision",
    "DisputeAssessment",
    "Reason",
    "StatuteOfLimitations",
    "check_worklist",
    "worklist_gate",
    "earliest_furnishing_date",
    "earliest_purge_date",
    "is_time_barred",
    "retention_purge_allowed",
    "validation_period",
]

CHANNELS: tuple[str, ...] = ("call", "text", "email", "letter", "voicemail")
DIRECTIONS: tuple[str, ...] = ("outbound", "inbound")
OUTCOMES: tuple[str, ...] = (
    "connected",
    "not_connected",
    "conversation",
    "left_message",
    "delivered",
    "bounced",
)
TAGS: tuple[str, ...] = (
    "terminating_efforts",
    "remedy_notice",
    "remedy_intent",
    "opt_out_confirmation",
    "reply",
    "required_by_law",
    "verification",
    "dispute_response",
    "legal_action",
    "threat_of_suit",
    "proof_of_claim",
    "validation_notice",
)

_NO_INSTANT = np.iinfo(np.int64).min


# Reading and writing policy files is Python's job (the bindings do no file I/O): these two are
# added to the compiled ContactPolicy as ContactPolicy.load(path) and policy.save(path).
def _load_policy(path: str | os.PathLike[str]) -> ContactPolicy:
    """Read a policy JSON file."""
    p = os.fspath(path)
    try:
        with open(p, encoding="utf-8") as f:
            text = f.read()
    except OSError as exc:
        raise NotFoundError(f"path: cannot open {p!r}") from exc
    return ContactPolicy.from_json(text)


def _save_policy(self: ContactPolicy, path: str | os.PathLike[str]) -> None:
    """Write the policy as an indented JSON file (for review)."""
    p = os.fspath(path)
    try:
        with open(p, "w", encoding="utf-8") as f:
            f.write(self.to_json(2) + "\n")
    except OSError as exc:
        raise ValidationError(f"path: cannot write {p!r}") from exc


setattr(ContactPolicy, "load", staticmethod(_load_policy))  # noqa: B010
setattr(ContactPolicy, "save", _save_policy)  # noqa: B010

try:  # pandas is optional: it makes string columns fast to encode
    import pandas as _pd  # type: ignore[import-untyped, unused-ignore]
except ImportError:  # pragma: no cover - pandas is in the dev extra
    _pd = None


def _column(table: Any, name: str, where: str, required: bool = True) -> Any:
    try:
        if name in table:
            return table[name]
    except TypeError:
        pass
    if required:
        raise ValidationError(f"{where}: required column {name!r} is missing")
    return None


def _length(table: Any, where: str) -> int:
    for name in ("at", "channel"):
        col = _column(table, name, where, required=False)
        if col is not None:
            return len(col)
    raise ValidationError(f"{where}: required column 'at' is missing")


def _factorize(values: Any, field: str) -> tuple[npt.NDArray[np.int64], list[str]]:
    """Codes and unique ids (as str) of a column of ids (str, int or pandas Categorical)."""
    cat = None
    if _pd is not None:
        if isinstance(values, _pd.Categorical):
            cat = values
        elif isinstance(getattr(values, "dtype", None), _pd.CategoricalDtype):
            cat = _pd.Categorical(values)
    if cat is not None:
        codes = np.asarray(cat.codes, dtype=np.int64)
        uniques = list(map(str, cat.categories.tolist()))
    elif _pd is not None:
        raw, uniq = _pd.factorize(np.asarray(values, dtype=object), use_na_sentinel=True)
        codes = np.asarray(raw, dtype=np.int64)
        uniques = [str(u) for u in uniq]
    else:  # pragma: no cover - pandas is in the dev extra
        arr = np.asarray(values, dtype=object)
        missing = np.array([v is None for v in arr], dtype=bool)
        uniq, inverse = np.unique(np.where(missing, "", arr).astype(str), return_inverse=True)
        codes = inverse.astype(np.int64)
        codes[missing] = -1
        uniques = [str(u) for u in uniq]
    bad = np.flatnonzero(codes < 0)
    if bad.size:
        raise ValidationError(f"{field}[{int(bad[0])}]: missing id")
    return codes, uniques


def _enum_codes(values: Any, names: Sequence[str], field: str) -> npt.NDArray[np.uint8]:
    arr = np.asarray(values)
    if arr.dtype.kind in "iu":
        if arr.size and (int(arr.min()) < 0 or int(arr.max()) >= len(names)):
            bad = np.flatnonzero((arr < 0) | (arr >= len(names)))
            raise ValidationError(
                f"{field}[{int(bad[0])}]: {arr[bad[0]]!r} is not a code 0..{len(names) - 1}"
            )
        return np.asarray(arr, dtype=np.uint8)
    if arr.dtype.kind == "b":
        raise ValidationError(f"{field}: expected names such as {names[0]!r}, got booleans")
    codes, uniques = _factorize(values, field)
    lut = np.empty(len(uniques), dtype=np.uint8)
    for i, u in enumerate(uniques):
        if u not in names:
            row = int(np.flatnonzero(codes == i)[0])
            raise ValidationError(f"{field}[{row}]: {u!r} is not one of {', '.join(names)}")
        lut[i] = names.index(u)
    return lut[codes]


def _tags(values: Any, field: str) -> npt.NDArray[np.uint32] | None:
    if values is None:
        return None
    if getattr(getattr(values, "dtype", None), "kind", None) in ("i", "u"):
        arr = np.asarray(values)
        if arr.size and (arr.min() < 0 or arr.max() >= (1 << len(TAGS))):
            raise ValidationError(
                f"{field}: tag bit masks must be within 0..{(1 << len(TAGS)) - 1}"
            )
        return np.asarray(arr, dtype=np.uint32)
    out = np.zeros(len(values), dtype=np.uint32)
    cache: dict[Any, int] = {}
    for i, v in enumerate(values):
        key = v if isinstance(v, str) or v is None else tuple(v)
        mask = cache.get(key)
        if mask is None:
            items: Iterable[str]
            if v is None:
                items = ()
            elif isinstance(v, str):
                items = [t.strip() for t in v.split(",") if t.strip()]
            else:
                items = v
            mask = 0
            for t in items:
                if t not in TAGS:
                    raise ValidationError(f"{field}[{i}]: {t!r} is not one of {', '.join(TAGS)}")
                mask |= 1 << TAGS.index(t)
            cache[key] = mask
        out[i] = mask
    return out


def _epoch_seconds(values: Any, field: str) -> npt.NDArray[np.int64]:
    """UTC seconds from tz-aware pandas datetimes, aware datetime objects or int seconds."""
    if _pd is not None and isinstance(getattr(values, "dtype", None), _pd.DatetimeTZDtype):
        utc = _pd.DatetimeIndex(values).tz_convert("UTC").tz_localize(None)
        if utc.hasnans:
            raise ValidationError(f"{field}[{int(np.flatnonzero(utc.isna())[0])}]: missing instant")
        ns = np.asarray(utc, dtype="datetime64[ns]").view(np.int64)
        return ns // 1_000_000_000
    arr = np.asarray(values)
    if arr.dtype.kind == "M":
        raise ValidationError(
            f"{field}: naive datetime64 values are ambiguous; localize them "
            "(e.g. series.dt.tz_localize('UTC')) or pass int64 UTC seconds"
        )
    if arr.dtype.kind in "iu":
        return np.asarray(arr, dtype=np.int64)
    if arr.dtype.kind in "fb":
        raise ValidationError(f"{field}: expected aware datetimes or int64 UTC seconds")
    out = np.empty(len(arr), dtype=np.int64)
    for i, v in enumerate(arr):
        offset = v.utcoffset() if hasattr(v, "utcoffset") and hasattr(v, "timestamp") else None
        if offset is None:
            raise ValidationError(f"{field}[{i}]: {v!r} is not a timezone-aware datetime")
        out[i] = int(v.timestamp() // 1)
    return out


def _policies(
    policy: ContactPolicy | Mapping[str | None, ContactPolicy], consumers: Sequence[Consumer]
) -> tuple[list[ContactPolicy], npt.NDArray[np.int32] | None]:
    if isinstance(policy, ContactPolicy):
        return [policy], None
    if not isinstance(policy, Mapping):
        raise ValidationError(
            "policy: expected a ContactPolicy or a mapping of state -> ContactPolicy, "
            f"got {policy!r}"
        )
    keys = list(policy)
    for k in keys:
        if not isinstance(policy[k], ContactPolicy):
            raise ValidationError(f"policy[{k!r}]: expected a ContactPolicy, got {policy[k]!r}")
    index = {k: i for i, k in enumerate(keys)}
    out = np.empty(len(consumers), dtype=np.int32)
    for i, c in enumerate(consumers):
        key: str | None = c.state if c.state in index else None
        if key not in index:
            raise ValidationError(
                f"policy: no policy for consumers[{i}] (state {c.state!r}) and no default "
                "under the key None"
            )
        out[i] = index[key]
    return [policy[k] for k in keys], out


def _consumer_index(table: Any, consumers: Sequence[Consumer], where: str) -> npt.NDArray[np.int64]:
    positions = _column(table, "consumer", where, required=False)
    if positions is not None:
        arr = np.asarray(positions)
        if arr.dtype.kind not in "iu":
            raise ValidationError(f"{where}.consumer: expected integer positions into consumers")
        return np.asarray(arr, dtype=np.int64)
    ids = _column(table, "consumer_id", where)
    lookup = {c.id: i for i, c in enumerate(consumers)}
    codes, uniques = _factorize(ids, f"{where}.consumer_id")
    lut = np.empty(len(uniques), dtype=np.int64)
    for i, u in enumerate(uniques):
        if u not in lookup:
            row = int(np.flatnonzero(codes == i)[0])
            raise ValidationError(f"{where}.consumer_id[{row}]: {u!r} is not one of the consumers")
        lut[i] = lookup[u]
    return lut[codes]


def _encode_debts(
    columns: list[tuple[Any, str]],
) -> tuple[list[npt.NDArray[np.int32]], int, Callable[[list[str]], Any]]:
    """One code space for the debt ids of several columns: the codes, their number, and a
    lookup from debt ids to codes (the engine asks only for the ids consumers name).

    Categorical columns sharing their categories (the columnar inputs the store and the
    portfolio hand over) are used as they are; anything else is factorized and merged.
    """
    index: dict[str, int] | None = None
    base: Any = None  # the categories the codes refer to, while no merge was needed
    out: list[npt.NDArray[np.int32]] = []
    for values, field in columns:
        cats = _categories(values)
        if cats is not None and index is None and (base is None or cats.equals(base)):
            codes = np.asarray(values.codes if hasattr(values, "codes") else values.cat.codes)
            if codes.size and int(codes.min()) < 0:
                raise ValidationError(f"{field}[{int(np.flatnonzero(codes < 0)[0])}]: missing id")
            base = cats
            out.append(codes.astype(np.int32, copy=False))
            continue
        if index is None:
            index = {}
            if base is not None:
                for n in map(str, base.tolist()):
                    index.setdefault(n, len(index))
        codes64, uniques = _factorize(values, field)
        lut = np.fromiter(
            (index.setdefault(u, len(index)) for u in uniques), dtype=np.int32, count=len(uniques)
        )
        out.append(lut[codes64] if len(uniques) else np.zeros(len(codes64), dtype=np.int32))
    if index is not None:
        merged = index
        return out, len(merged), lambda ids: [merged.get(i, -1) for i in ids]
    if base is None:
        return out, 0, lambda ids: [-1] * len(ids)
    cats = base

    def lookup(ids: list[str]) -> Any:
        if _pd is not None and _pd.api.types.is_string_dtype(cats.dtype):
            return cats.get_indexer(ids)
        by_name = {str(u): i for i, u in enumerate(cats.tolist())}
        return [by_name.get(i, -1) for i in ids]

    return out, len(cats), lookup


def _categories(values: Any) -> Any:
    if _pd is None:
        return None
    if isinstance(values, _pd.Categorical):
        return values.categories
    if isinstance(getattr(values, "dtype", None), _pd.CategoricalDtype):
        return values.dtype.categories
    return None


def check_worklist(
    policy: ContactPolicy | Mapping[str | None, ContactPolicy],
    consumers: Sequence[Consumer],
    proposed: Any,
    history: Any = None,
    *,
    threads: int = 0,
    next_allowed: bool = True,
    progress: bool | Callable[[int, int], object] | None = None,
) -> Any:
    """Check every proposed contact of a worklist against its consumer's history, in one call.

    ``policy``: one :class:`ContactPolicy`, or a mapping from ``Consumer.state`` to a policy (the
    key ``None`` is the default for consumers whose state has no entry).

    ``proposed`` and ``history`` are columns: a pandas DataFrame or a mapping of column name to
    array. One row per (contact, debt).

    - ``consumer_id`` (matching ``Consumer.id``) or ``consumer`` (int positions into consumers)
    - ``debt_id`` (str or int ids, pandas Categorical welcome)
    - ``channel``: names (``call``...) or codes in :data:`CHANNELS` order
    - ``at``: timezone-aware datetimes (pandas ``datetime64[ns, tz]`` or ``datetime`` objects)
      or int64 UTC seconds; naive values are rejected
    - ``tags`` (optional): comma-separated names, sequences of names or bit masks
    - history only: ``direction``, ``outcome`` (names or codes), ``consent`` (optional bool),
      ``event`` (optional int: rows of one contact about several debts share it and should be
      adjacent)

    Returns, per proposed row, ``allowed`` (bool), ``next_allowed`` and ``window_end`` (UTC;
    NaT when never, or for ``window_end`` when nothing closes the window), ``rule`` (the first
    blocking rule id, "" when allowed) and ``blocked_by`` (every blocking rule id, ";"-joined):
    a DataFrame (same index) when ``proposed`` is one, else a dict of numpy arrays. For the
    sentences behind a row, call ``policy.check`` on it. The GIL is released and ``threads``
    cores are used (0 = all). ``progress``: ``None`` shows a tqdm bar on a terminal or in
    Jupyter, ``True``/``False`` force it on/off, a callable ``fn(done, total)`` is called
    instead; Ctrl-C (or a callback that raises) stops the call with :class:`KeyboardInterrupt`.
    """
    consumers = list(consumers)
    policies, consumer_policy = _policies(policy, consumers)
    n = _length(proposed, "proposed")
    p_consumer = _consumer_index(proposed, consumers, "proposed")
    h_rows = 0 if history is None else _length(history, "history")
    debt_columns: list[tuple[Any, str]] = [
        (_column(proposed, "debt_id", "proposed"), "proposed.debt_id")
    ]
    if h_rows:
        debt_columns.append((_column(history, "debt_id", "history"), "history.debt_id"))
    (p_debt, *rest), n_debts, debt_lookup = _encode_debts(debt_columns)
    p_at = _epoch_seconds(_column(proposed, "at", "proposed"), "proposed.at")
    p_channel = _enum_codes(_column(proposed, "channel", "proposed"), CHANNELS, "proposed.channel")
    p_tags = _tags(_column(proposed, "tags", "proposed", required=False), "proposed.tags")
    if h_rows:
        h = history
        h_consumer = _consumer_index(h, consumers, "history")
        h_debt = rest[0]
        h_at = _epoch_seconds(_column(h, "at", "history"), "history.at")
        h_channel = _enum_codes(_column(h, "channel", "history"), CHANNELS, "history.channel")
        h_direction = _enum_codes(
            _column(h, "direction", "history"), DIRECTIONS, "history.direction"
        )
        h_outcome = _enum_codes(_column(h, "outcome", "history"), OUTCOMES, "history.outcome")
        consent = _column(h, "consent", "history", required=False)
        h_consent = None if consent is None else np.asarray(consent).astype(bool).astype(np.uint8)
        h_tags = _tags(_column(h, "tags", "history", required=False), "history.tags")
        event = _column(h, "event", "history", required=False)
        h_event = None if event is None else np.asarray(event).astype(np.int64)
    else:
        h_consumer = np.zeros(0, np.int64)
        h_debt = np.zeros(0, np.int32)
        h_at = np.zeros(0, np.int64)
        h_channel = h_direction = h_outcome = np.zeros(0, np.uint8)
        h_consent = h_tags = h_event = None
    for name, col in (
        ("consumer", p_consumer),
        ("debt_id", p_debt),
        ("at", p_at),
        ("channel", p_channel),
    ):
        if len(col) != n:
            raise ValidationError(f"proposed.{name}: {len(col)} values for {n} rows")

    def _check_columns(cb: Callable[[int, int], object] | None) -> dict[str, Any]:
        return check_contact_columns(
            policies,
            consumers,
            consumer_policy,
            n_debts,
            debt_lookup,
            np.ascontiguousarray(p_consumer, np.int64),
            np.ascontiguousarray(p_debt, np.int32),
            np.ascontiguousarray(p_at, np.int64),
            np.ascontiguousarray(p_channel, np.uint8),
            None if p_tags is None else np.ascontiguousarray(p_tags, np.uint32),
            np.ascontiguousarray(h_consumer, np.int64),
            np.ascontiguousarray(h_debt, np.int32),
            np.ascontiguousarray(h_at, np.int64),
            np.ascontiguousarray(h_channel, np.uint8),
            np.ascontiguousarray(h_direction, np.uint8),
            np.ascontiguousarray(h_outcome, np.uint8),
            None if h_consent is None else np.ascontiguousarray(h_consent, np.uint8),
            None if h_tags is None else np.ascontiguousarray(h_tags, np.uint32),
            None if h_event is None else np.ascontiguousarray(h_event, np.int64),
            threads,
            next_allowed,
            cb,
        )

    if progress is None or isinstance(progress, bool):
        with progress_bar("compliance", n, progress, "contacts") as bar:
            raw = _check_columns(bar)
    else:
        raw = _check_columns(progress)
    rule, blocked_by = _rule_names(policies, raw)
    out: dict[str, Any] = {"allowed": raw["allowed"]}
    if next_allowed:
        out["next_allowed"] = raw["next_allowed"].view("datetime64[s]")
        out["window_end"] = raw["window_end"].view("datetime64[s]")
    out["rule"] = rule
    out["blocked_by"] = blocked_by
    if _pd is not None and isinstance(proposed, _pd.DataFrame):
        frame = _pd.DataFrame(index=proposed.index)
        for k, v in out.items():
            frame[k] = v
        for k in ("next_allowed", "window_end"):
            if k in frame:
                frame[k] = frame[k].dt.tz_localize("UTC")
        return frame
    return out


def _rule_names(
    policies: list[ContactPolicy], raw: dict[str, Any]
) -> tuple[npt.NDArray[np.object_], npt.NDArray[np.object_]]:
    """The first blocking rule id and all of them (";"-joined) per row, from the core's codes."""
    policy = raw["policy"]
    first_rule = raw["first_rule"]
    if len(policies) == 1:
        ids = np.array([*policies[0].rule_ids, ""], dtype=object)
        first = ids[first_rule]  # -1 (allowed) picks the trailing ""
    else:
        first = np.full(len(first_rule), "", dtype=object)
        for which, p in enumerate(policies):
            mine = policy == which
            ids = np.array([*p.rule_ids, ""], dtype=object)
            first[mine] = ids[first_rule[mine]]
    names = np.empty(len(raw["masks"]), dtype=object)
    for i, (which, mask) in enumerate(raw["masks"]):
        ids_w = policies[which].rule_ids
        names[i] = ";".join(ids_w[b] for b in range(len(ids_w)) if mask >> b & 1)
    return first, names[raw["mask_code"]]


def worklist_gate(
    policy: ContactPolicy | Mapping[str | None, ContactPolicy],
    consumers: Sequence[Consumer],
    history: Any,
    *,
    at: _dt.datetime | Callable[[_dt.date], _dt.datetime],
    accounts: Mapping[str, str] | Any,
    channel: str = "call",
    threads: int = 0,
    progress: bool | Callable[[int, int], object] | None = None,
) -> Callable[[Any, _dt.date], dict[str, Any]]:
    """The ``compliance=`` callable of ``Strategy.worklist``: one batch check of every call
    entry of a worklist.

    ``at``: the instant the calls would be placed (aware datetime), or ``fn(as_of)`` giving it.
    ``accounts``: which consumer each account (debt) belongs to: a mapping ``account_id ->
    consumer id``, or a table with columns ``account_id`` and ``consumer_id``. ``history``: the
    contact history in :func:`check_worklist`'s columns.

    The gate returns, per worklist row: ``call_allowed``, ``next_allowed_at`` and
    ``window_end_at`` (UTC; null when never / open), ``blocked_rule`` and ``blocked_by``.
    """
    if channel not in CHANNELS:
        raise ValidationError(f"channel: {channel!r} is not one of {', '.join(CHANNELS)}")
    consumers = list(consumers)
    if isinstance(accounts, Mapping):
        owner: Mapping[str, str] = accounts
    else:
        acc_ids = _column(accounts, "account_id", "accounts")
        owners = _column(accounts, "consumer_id", "accounts")
        owner = dict(zip(map(str, acc_ids), map(str, owners), strict=True))

    def gate(worklist: Any, as_of: _dt.date) -> dict[str, Any]:
        ids = worklist["account_id"]
        ids = list(ids.tolist() if hasattr(ids, "tolist") else ids)
        consumer_ids = []
        for row, account in enumerate(ids):
            who = owner.get(str(account))
            if who is None:
                raise ValidationError(
                    f"worklist.account_id[{row}]: {account!r} has no consumer in `accounts`"
                )
            consumer_ids.append(who)
        when = at(as_of) if callable(at) else at
        if not isinstance(when, _dt.datetime) or when.utcoffset() is None:
            raise ValidationError(f"at: {when!r} is not a timezone-aware datetime")
        seconds = int(when.timestamp() // 1)
        proposed = {
            "consumer_id": consumer_ids,
            "debt_id": [str(a) for a in ids],
            "channel": np.full(len(ids), CHANNELS.index(channel), dtype=np.uint8),
            "at": np.full(len(ids), seconds, dtype=np.int64),
        }
        r = check_worklist(policy, consumers, proposed, history, threads=threads, progress=progress)
        out = {
            "call_allowed": r["allowed"],
            "next_allowed_at": r["next_allowed"],
            "window_end_at": r["window_end"],
            "blocked_rule": r["rule"],
            "blocked_by": r["blocked_by"],
        }
        if _pd is not None:  # timestamps leave as UTC, not naive
            for k in ("next_allowed_at", "window_end_at"):
                out[k] = _pd.Series(out[k]).dt.tz_localize("UTC")
        return out

    return gate
