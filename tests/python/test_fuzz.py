"""Any bytes in, a documented error out (issue 17, items 12 and 15).

Arbitrary bytes and strings, and valid inputs with one part changed, go to every parser and
constructor reachable from Python: Money, the JSON form of every value type (discovered from the
public modules, so a new type is covered without an edit here), CSV imports, Metro 2 parse and
decode, templates and their data, strategies, collector profiles, the Metro 2 settings and facts,
and the TOML config. Each call either works or raises an ``arrears.Error`` (whose message is a
``str``); anything else (a ``TypeError``, ``KeyError``, ``UnicodeDecodeError``, a ``RuntimeError``
from a binding, a crash) fails. ``Metro2File`` problems must be readable too.

``make test`` runs a short pass (about 30 s); ``make fuzz`` runs the same tests with
``HYPOTHESIS_PROFILE=fuzz``, thirty times the examples (about an hour). Strings are Unicode scalar values
(hypothesis leaves out lone surrogates, which no UTF-8 file can produce).
"""

from __future__ import annotations

import datetime as dt
import importlib
import inspect
import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import arrears
from arrears import Money, demo
from arrears import metro2 as m2
from arrears.config import load_config
from arrears.letters import CollectorProfile, Template
from arrears.store import Store
from arrears.strategy import Strategy

FUZZ = os.environ.get("HYPOTHESIS_PROFILE") == "fuzz"
AS_OF = dt.date(2026, 11, 23)


def runs(n: int) -> Any:
    """n examples in `make test`, 30 n in `make fuzz`."""
    return settings(
        max_examples=n * 30 if FUZZ else n,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


def documented(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """fn's result, or None when it raised an arrears.Error; any other exception fails."""
    try:
        return fn(*args, **kwargs)
    except arrears.Error as exc:
        str(exc).encode("utf-8")  # a message Python can show
        return None


# ---- inputs ------------------------------------------------------------------------------------

INTERESTING = [
    "", " ", "0", "-1", "1", "0.1299", "-0.01", "12.345", "1e400", "NaN", "inf",
    "99999999999999999999", "92233720368547758.08", "2026-02-30", "2026-13-01", "0000-01-01",
    "9999-12-31", "1969-12-31", "2026-01-01T00:00:00Z", "2026-01-01T25:00:00+00:00", "USD", "XXX",
    "usd", "monthly", "weekly", "half_up", "actual/365", "30/360", "NY", "{{x}}", "é" * 70,
    "\x00", "\t\r\n", "a\u200bb", "\U0001f4b0",
]  # fmt: skip

strings = st.one_of(st.sampled_from(INTERESTING), st.text(max_size=40))
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    strings,
)
json_values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(strings, inner, max_size=3),
    max_leaves=8,
)


def _paths(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield path
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _paths(v, (*path, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _paths(v, (*path, i))


def _replace(value: Any, path: tuple[Any, ...], new: Any) -> Any:
    if not path:
        return new
    copy: Any = dict(value) if isinstance(value, dict) else list(value)
    copy[path[0]] = _replace(value[path[0]], path[1:], new)
    return copy


def _drop(value: Any, path: tuple[Any, ...]) -> Any:
    if len(path) == 1:
        copy: Any = dict(value) if isinstance(value, dict) else list(value)
        del copy[path[0]]
        return copy
    return _replace(value, path[:1], _drop(value[path[0]], path[1:]))


@st.composite
def mutated(draw: st.DrawFn, seed: Any) -> Any:
    """`seed` (a JSON-like value) with one to three parts replaced, dropped or added."""
    value = seed
    for _ in range(draw(st.integers(1, 3))):
        paths = list(_paths(value))
        path = draw(st.sampled_from(paths))
        op = draw(st.sampled_from(["replace", "replace", "drop", "add"]))
        if op == "drop" and path:
            value = _drop(value, path)
        elif op == "add":
            target = value
            for p in path:
                target = target[p]
            if isinstance(target, dict):
                value = _replace(value, path, {**target, draw(strings): draw(json_values)})
            elif isinstance(target, list):
                value = _replace(value, path, [*target, draw(json_values)])
        else:
            value = _replace(value, path, draw(json_values))
    return value


@st.composite
def mutated_bytes(draw: st.DrawFn, seed: bytes) -> bytes:
    """`seed` with bytes flipped, cut out, inserted or the file cut short."""
    data = bytearray(seed)
    for _ in range(draw(st.integers(1, 4))):
        if not data:
            break
        at = draw(st.integers(0, len(data) - 1))
        op = draw(st.sampled_from(["flip", "cut", "insert", "truncate"]))
        if op == "flip":
            data[at] = draw(st.integers(0, 255))
        elif op == "cut":
            del data[at : at + draw(st.integers(1, 40))]
        elif op == "insert":
            data[at:at] = draw(
                st.binary(min_size=1, max_size=12) | st.sampled_from([b"\n", b"\r\n"])
            )
        else:
            del data[at:]
    return bytes(data)


# ---- seeds: real values from a small demo store ------------------------------------------------


@pytest.fixture(scope="session")
def demo_store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    store, _, _ = demo.prepare(tmp_path_factory.mktemp("fuzz-demo"), 40, 2026, AS_OF)
    return store


def _public_classes() -> list[type]:
    found: dict[int, type] = {}
    for name in ["arrears", *(f"arrears.{m}" for m in arrears.__all__ if m.islower())]:
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        for attr in getattr(module, "__all__", []):
            obj = getattr(module, attr, None)
            if inspect.isclass(obj) and not issubclass(obj, BaseException):
                found[id(obj)] = obj
    return sorted(found.values(), key=lambda c: c.__name__)


FROM_JSON = [c for c in _public_classes() if callable(getattr(c, "from_json", None))]
FROM_DICT = [c for c in _public_classes() if callable(getattr(c, "from_dict", None))]


def _harvest(roots: list[Any]) -> dict[type, Any]:
    """One instance of every from_json type reachable from `roots` through public attributes."""
    wanted = set(FROM_JSON) | set(FROM_DICT)
    out: dict[type, Any] = {}
    todo = [(r, 0) for r in roots]
    seen: set[int] = set()
    alive: list[Any] = []  # bound getters return new objects: keep them so ids stay unique
    while todo:
        obj, depth = todo.pop()
        if id(obj) in seen or depth > 4:
            continue
        seen.add(id(obj))
        alive.append(obj)
        if isinstance(obj, (list, tuple)):
            todo.extend((x, depth + 1) for x in obj[:3])
            continue
        if type(obj) in wanted:
            out.setdefault(type(obj), obj)
        if type(obj).__module__.startswith("arrears"):
            for name in dir(obj):
                if name.startswith("_"):
                    continue
                try:
                    attr = getattr(obj, name)
                except Exception:  # a property that needs more state
                    continue
                if not callable(attr):
                    todo.append((attr, depth + 1))
    return out


@pytest.fixture(scope="session")
def seeds(demo_store: Store) -> dict[type, Any]:
    from arrears import aging, compliance, ledger, plans

    s = demo_store
    accounts = [s.account(a) for a in s.account_ids()]
    debtors = [s.debtor(a.debtors[0].debtor_id) for a in accounts]
    accounts_on = [
        (a.balance(AS_OF), a.itemization(AS_OF), a.transaction_list()[:2]) for a in accounts[:5]
    ]
    plan_list = s.plans()[:8]
    evaluations = [p.evaluate([], as_of=AS_OF) for p in plan_list]
    roots: list[Any] = [
        *accounts, *debtors, *plan_list, *evaluations, *accounts_on, Money("12.34"),
        aging.Buckets(), ledger.AllocationPolicy(), ledger.FeeRules(), ledger.InterestTerms(),
        plans.OfferPolicy(), plans.PlanRules(), plans.ReagingRule(),
        compliance.ContactPolicy.regulation_f(), compliance.StatuteOfLimitations.builtin(),
        plans.installment_schedule("1000.00", 12, dt.date(2026, 2, 1), annual_rate="0.12"),
        Strategy.from_dict(STRATEGY), CollectorProfile.from_dict(COLLECTOR),
        *_more_values(evaluations[0]),
    ]  # fmt: skip
    return _harvest(roots)


def _more_values(evaluation: Any) -> list[Any]:
    """Values the small demo store may not hold."""
    from arrears import compliance, debtor, ledger, plans

    day, at = dt.date(2026, 3, 2), dt.datetime(2026, 3, 2, 15, tzinfo=dt.timezone.utc)
    budget = plans.Budget("3000.00", "2500.00")
    return [
        debtor.Bankruptcy(7, day, case_number="26-1"), debtor.Deceased(day, source="family"),
        debtor.CeaseCommunication("A1", day), debtor.MilitaryService(day),
        debtor.ConsentRecord("email", True, at), debtor.MediumOptOut("text", at),
        debtor.InconvenientTime(dt.time(8), dt.time(9), day),
        ledger.LateFeeRule("25.00", maximum="50.00", grace_days=10),
        compliance.Consumer("C1", state="NY", cease="email"),
        compliance.ContactAttempt("C1", "D1", "call", "outbound", "left_message", at),
        budget, plans.propose_offers("1200.00", budget, plans.OfferPolicy(), AS_OF),
        plans.ReagingRule().decide(evaluation, 45),
    ]  # fmt: skip


def _seed_json(seeds: dict[type, Any], cls: type) -> Any:
    obj = seeds.get(cls)
    return json.loads(obj.to_json()) if obj is not None else {}


STRATEGY: dict[str, Any] = {
    "name": "fuzz",
    "factors": [
        {"column": "dpd", "weight": 50, "cap": 180},
        {"column": "balance_cents", "weight": 30, "cap": 500_000, "transform": "log"},
    ],
    "exclusions": ["disputed"],
    "segments": [
        {"name": "early", "when": {"column": "dpd", "between": [1, 60]},
         "treatment": {"type": "call", "queue": "early"}},
        {"name": "rest", "treatment": {"type": "hold"}},
    ],
    "arms": [{"name": "champion", "percent": 70}, {"name": "challenger", "percent": 30}],
}  # fmt: skip


# ---- the JSON form of every value type ----------------------------------------------------------


def test_every_json_type_has_a_seed(seeds: dict[type, Any]) -> None:
    # A new type without a seed would only get arbitrary text: add a value of it to the roots.
    assert sorted(c.__name__ for c in {*FROM_JSON, *FROM_DICT} if c not in seeds) == []


@pytest.mark.parametrize("cls", FROM_JSON, ids=lambda c: c.__name__)
@runs(40)
@given(
    text=st.one_of(st.text(max_size=80), st.sampled_from(INTERESTING), json_values.map(json.dumps))
)
def test_from_json_takes_any_text(cls: type, text: str) -> None:
    documented(cls.from_json, text)  # type: ignore[attr-defined]


@pytest.mark.parametrize("cls", FROM_JSON, ids=lambda c: c.__name__)
@runs(80)
@given(data=st.data())
def test_from_json_takes_any_change_to_a_valid_document(
    cls: type, data: st.DataObject, seeds: dict[type, Any]
) -> None:
    doc = data.draw(mutated(_seed_json(seeds, cls)))
    value = documented(cls.from_json, json.dumps(doc))  # type: ignore[attr-defined]
    if value is not None and hasattr(value, "to_json"):
        documented(value.to_json)


@pytest.mark.parametrize("cls", FROM_DICT, ids=lambda c: c.__name__)
@runs(40)
@given(data=st.data())
def test_from_dict_takes_any_change_to_a_valid_dict(
    cls: type, data: st.DataObject, seeds: dict[type, Any]
) -> None:
    obj = seeds.get(cls)
    seed = obj.to_dict() if obj is not None and hasattr(obj, "to_dict") else {}
    seed = json.loads(json.dumps(seed, default=str))
    documented(cls.from_dict, data.draw(mutated(seed)))  # type: ignore[attr-defined]


# ---- Money -------------------------------------------------------------------------------------


@runs(500)
@given(text=strings, currency=st.one_of(st.sampled_from(["USD", "JPY", "BHD"]), strings))
def test_money_takes_any_text(text: str, currency: str) -> None:
    documented(Money, text)
    documented(Money, text, currency)
    documented(Money.from_json, json.dumps({"amount": text, "currency": currency}))


# ---- Metro 2 -----------------------------------------------------------------------------------

SEGMENTS = [
    m2.HeaderRecord, m2.BaseSegment, m2.TrailerRecord, m2.J1Segment, m2.J2Segment, m2.K1Segment,
    m2.K2Segment, m2.K3Segment, m2.K4Segment, m2.L1Segment, m2.N1Segment,
]  # fmt: skip


@pytest.fixture(scope="session")
def metro2_file(demo_store: Store) -> bytes:
    header, profile = m2.header_and_profile(METRO2_SETTINGS, AS_OF)
    facts = [METRO2_FACTS, {**METRO2_FACTS, "account_number": "C2", "state": "paid"}]
    records, _ = m2.build_records(facts, profile, AS_OF)
    return m2.write_file(header, records).encode()


METRO2_SETTINGS: dict[str, Any] = {
    "identification_number": "AGENCY01",
    "reporter_name": "NORTH SOUTH GROUP",
    "reporter_address": "1234 MAIN STREET ANYTOWN MA 02110",
    "transunion_program_identifier": "TU12345",
}
METRO2_FACTS: dict[str, Any] = {
    "account_number": "C100234",
    "date_opened": "2023-01-15",
    "date_placed": "2024-03-01",
    "date_of_first_delinquency": "2023-08-14",
    "original_amount": "1500.00",
    "current_balance": "1234.56",
    "original_creditor_name": "Mercy Hospital",
    "creditor_classification": "02",
    "earliest_furnishing_date": "2024-04-01",
    "consumers": [
        {"surname": "O'Brien", "first_name": "Mary", "social_security_number": "123456789",
         "date_of_birth": "1980-05-01", "first_line_of_address": "12 Main St",
         "city": "Springfield", "state": "IL", "zip_code": "62701"},
    ],
}  # fmt: skip


def _check_parsed(f: m2.Metro2File) -> None:
    for p in f.problems:
        p.message.encode("utf-8")
        p.field.encode("utf-8")
    assert len(f.records) == len(f.record_lines)


@runs(400)
@given(data=st.binary(max_size=2000))
def test_metro2_parse_never_raises_for_any_bytes(data: bytes) -> None:
    _check_parsed(m2.parse(data))


@runs(400)
@given(data=st.data())
def test_metro2_parse_never_raises_for_a_damaged_file(
    data: st.DataObject, metro2_file: bytes
) -> None:
    layout = data.draw(st.sampled_from(["lines", "back_to_back", "blocked"]))
    text = metro2_file
    if layout != "lines":
        parts = [p for p in metro2_file.split(b"\n") if p]
        if layout == "blocked":
            parts = [b"%04d" % (len(p) + 4) + p for p in parts]
        text = b"".join(parts)
    damaged = data.draw(mutated_bytes(text))
    _check_parsed(m2.parse(damaged))
    _check_parsed(m2.parse(damaged.decode("latin-1")))  # as a str: its UTF-8 bytes


@pytest.mark.parametrize("cls", SEGMENTS, ids=lambda c: c.__name__)
@runs(60)
@given(data=st.data())
def test_segment_decode_takes_any_bytes(cls: Any, data: st.DataObject) -> None:
    image = (
        cls().encode()
        if cls is not m2.BaseSegment
        else m2.BaseSegment(consumer_account_number="A1", account_status="93").encode()
    )
    raw = data.draw(st.one_of(
        st.binary(min_size=cls.length, max_size=cls.length),
        mutated_bytes(image.encode()),
        st.text(min_size=cls.length - 2, max_size=cls.length + 2),
    ))  # fmt: skip
    documented(cls.decode, raw)
    documented(m2.DataRecord.decode, raw)


@pytest.mark.parametrize("cls", SEGMENTS, ids=lambda c: c.__name__)
@runs(50)
@given(data=st.data())
def test_segment_fields_take_any_value(cls: Any, data: st.DataObject) -> None:
    field = data.draw(st.sampled_from([f.name for f in cls.layout() if f.type != "rdw"]))
    documented(cls, **{field: data.draw(json_values)})


@runs(150)
@given(data=st.data())
def test_metro2_settings_and_facts_take_any_change(data: st.DataObject) -> None:
    documented(m2.header_and_profile, data.draw(mutated(METRO2_SETTINGS)), AS_OF)
    profile = m2.Metro2Profile(identification_number="AGENCY01")
    documented(m2.to_record, data.draw(mutated(METRO2_FACTS)), profile, AS_OF)


# ---- templates ---------------------------------------------------------------------------------

mustache = st.text(alphabet="{}#^/>&!=.ab x\n<%", max_size=60) | st.text(max_size=30)


@runs(500)
@given(source=mustache, partial=mustache, strict=st.booleans(), data=json_values)
def test_templates_take_any_source_and_data(
    source: str, partial: str, strict: bool, data: Any
) -> None:
    t = documented(Template, source, {"a": partial, "b": "{{>a}}"}, strict=strict)
    if t is None:
        return
    for d in ({"a": data, "b": data, "x": data}, data):
        documented(t.render, d)
        documented(t.lint, d if isinstance(d, dict) else None)


# ---- strategies, collector profiles, config ----------------------------------------------------


@runs(150)
@given(data=st.data())
def test_strategies_take_any_change(data: st.DataObject) -> None:
    documented(Strategy.from_dict, data.draw(mutated(STRATEGY)))
    documented(Strategy.from_toml, data.draw(st.text(max_size=80) | st.sampled_from(INTERESTING)))


COLLECTOR: dict[str, Any] = {
    "name": "Acme Collections LLC",
    "phone": "(800) 555-0100",
    "hours": "Monday-Friday 8 am-8 pm ET",
    "address": {"line1": "1 First St", "city": "Chicago", "state": "IL", "postal_code": "60602"},
}


@runs(150)
@given(data=st.data())
def test_collector_profiles_take_any_change(data: st.DataObject) -> None:
    documented(CollectorProfile.from_dict, data.draw(mutated(COLLECTOR)))


def _toml_value(v: Any) -> str:
    if isinstance(v, dict):
        return "{" + ", ".join(f"{json.dumps(str(k))} = {_toml_value(x)}" for k, x in v.items()
                               if x is not None) + "}"  # fmt: skip
    if isinstance(v, list):
        return "[" + ", ".join(_toml_value(x) for x in v if x is not None) + "]"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return repr(v)
    return json.dumps(str(v))


CONFIG: dict[str, Any] = {
    "store": {"actor": "nightly-batch"},
    "nightly": {"out_dir": "out", "buckets": [1, 31, 61, 91], "threads": 1, "call_time_utc": "15:00"},
    "worklist": {"top_percent": 100.0, "queues": []},
    "compliance": {"state_overlays": True},
    "collector": COLLECTOR,
    "campaigns": [{"name": "validation", "letter": "validation_notice", "select": "new",
                   "placed_within_days": 30}],
    "metro2": {**METRO2_SETTINGS, "day": "month_end"},
}  # fmt: skip


@runs(200)
@given(data=st.data())
def test_config_takes_any_file(
    data: st.DataObject, tmp_path_factory: pytest.TempPathFactory
) -> None:
    path = tmp_path_factory.getbasetemp() / "fuzz-config.toml"
    doc = data.draw(mutated(CONFIG))
    if not isinstance(doc, dict):
        doc = {"store": doc}
    text = "\n".join(
        f"{json.dumps(str(k))} = {_toml_value(v)}" for k, v in doc.items() if v is not None
    )
    raw = data.draw(
        st.one_of(st.just(text.encode()), mutated_bytes(text.encode()), st.binary(max_size=200))
    )
    path.write_bytes(raw)
    documented(load_config, path)


# ---- CSV imports -------------------------------------------------------------------------------

CSV_SEEDS = {
    "import_debtors": b"debtor_id,first_name,last_name,line1,city,state,postal_code\n"
    b"D1,Ana,Lopez,1 Main St,Springfield,IL,62701\n",
    "import_accounts": b"account_id,debtor_id,opened_on,principal,interest,fees\n"
    b"A1,D1,2025-01-15,1200.00,10.00,0\n",
    "import_payments": b"account_id,paid_on,amount,reference\nA1,2026-02-01,50.00,P1\n",
}


@pytest.fixture(scope="module")
def import_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Store, Path]]:
    folder = tmp_path_factory.mktemp("fuzz-imports")
    with Store(str(folder / "imports.db")) as store:
        yield store, folder


@pytest.mark.parametrize("method", sorted(CSV_SEEDS))
@runs(100)
@given(data=st.data())
def test_csv_imports_take_any_bytes(
    method: str, data: st.DataObject, import_store: tuple[Store, Path]
) -> None:
    store, folder = import_store
    raw = data.draw(st.one_of(mutated_bytes(CSV_SEEDS[method]), st.binary(max_size=200)))
    path = folder / f"{method}.csv"
    path.write_bytes(raw)
    report = documented(getattr(store, method), str(path), keep_good=True)
    if report is not None:
        str(report)
