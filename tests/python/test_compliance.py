"""arrears.compliance: the contract from Python, cases pinned in the reference, invariants.

Dates, windows and counts come from ../shared/reference/regulation-f.md and payment-math.md
3.4-3.5, not from the implementation.
"""

from __future__ import annotations

import pickle
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import arrears
from arrears.compliance import (
    CHANNELS,
    Consumer,
    ContactAttempt,
    ContactPolicy,
    Decision,
    DisputeAssessment,
    Reason,
    StatuteOfLimitations,
    check_worklist,
    earliest_furnishing_date,
    earliest_purge_date,
    is_time_barred,
    retention_purge_allowed,
    validation_period,
)

UTC = timezone.utc
NY = "America/New_York"
LA = "America/Los_Angeles"
REG_F = ContactPolicy.regulation_f()


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def attempt(
    at: str | datetime,
    channel: str = "call",
    debts: Any = ("D1",),
    outcome: str = "connected",
    direction: str = "outbound",
    consent: bool = False,
    tags: Any = (),
    consumer: str = "C1",
) -> ContactAttempt:
    when = utc(at) if isinstance(at, str) else at
    return ContactAttempt(consumer, debts, channel, direction, outcome, when, consent, tags)


def daily_calls(first: int, last: int, debt: str = "D1") -> list[ContactAttempt]:
    return [attempt(f"2026-03-{d:02d}T15:00:00Z", debts=[debt]) for d in range(first, last + 1)]


# ---- construction: accepted and rejected inputs --------------------------------------------


def test_contact_attempt_is_a_plain_immutable_value() -> None:
    a = attempt("2026-03-10T14:00:00Z", "email", ["D1", "D2", "D1"], "delivered", tags="reply")
    assert a.debt_ids == ("D1", "D2")
    assert a.at == datetime(2026, 3, 10, 14, tzinfo=UTC)
    assert a.tags == ("reply",)
    assert a == attempt("2026-03-10T14:00:00Z", "email", ["D1", "D2"], "delivered", tags=["reply"])
    assert hash(a) == hash(ContactAttempt.from_json(a.to_json()))
    assert ContactAttempt.from_json(a.to_dict()) == a
    assert pickle.loads(pickle.dumps(a)) == a
    assert repr(a).startswith("ContactAttempt('C1', ['D1', 'D2'], 'email'")
    with pytest.raises(AttributeError):
        a.channel = "call"  # type: ignore[misc]
    # An aware datetime in another zone is the same instant.
    local = datetime(2026, 3, 10, 10, 0, tzinfo=ZoneInfo(NY))
    assert attempt(local).at == utc("2026-03-10T14:00:00Z")
    assert a.to_dict()["at"] == "2026-03-10T14:00:00Z"


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"at": datetime(2026, 3, 10, 14, 0)}, "naive"),
        ({"channel": "fax"}, "channel: 'fax' is not one of"),
        ({"direction": "sideways"}, "direction"),
        ({"outcome": "ok"}, "outcome"),
        ({"debts": ()}, "debt_ids"),
        ({"debts": ["D1", ""]}, r"debt_ids\[1\]"),
        ({"tags": ["polite"]}, r"tags\[0\]: 'polite'"),
        ({"consumer": ""}, "consumer_id"),
    ],
)
def test_contact_attempt_rejects_bad_input(kwargs: dict[str, Any], match: str) -> None:
    args: dict[str, Any] = {"at": "2026-03-10T14:00:00Z"} | kwargs
    with pytest.raises(arrears.ValidationError, match=match):
        attempt(**args)


def test_contact_attempt_json_errors_name_the_path() -> None:
    data = attempt("2026-03-10T14:00:00Z").to_dict()
    with pytest.raises(arrears.ValidationError, match=r"\$\.outcome"):
        ContactAttempt.from_json(data | {"outcome": "maybe"})
    with pytest.raises(arrears.ValidationError, match=r"\$\.colour: unknown field"):
        ContactAttempt.from_json(data | {"colour": "red"})
    with pytest.raises(arrears.ValidationError, match=r"\$\.at"):
        ContactAttempt.from_json(data | {"at": "2026-03-10 14:00"})


def test_consumer_normalizes_and_round_trips() -> None:
    c = Consumer(
        "C1",
        time_zones=[ZoneInfo(NY), LA, NY],
        state="ma",
        cease=["D2", "D1", "D2"],
        opted_out=["text"],
        inconvenient=[(time(9), "17:30"), ("22:00", "07:00")],
        time_barred="D9",
    )
    assert c.time_zones == (NY, LA)
    assert c.state == "MA"
    assert c.cease == ("D1", "D2")
    assert c.time_barred == ("D9",)
    assert c.inconvenient == ((time(9), time(17, 30)), (time(22), time(7)))
    assert Consumer.from_json(c.to_json()) == c
    assert pickle.loads(pickle.dumps(c)) == c
    assert hash(c) == hash(pickle.loads(pickle.dumps(c)))
    assert "state='MA'" in repr(c)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"time_zones": ["Mars/Olympus"]}, r"time_zones\[0\]: 'Mars/Olympus'"),
        ({"time_zones": [42]}, r"time_zones\[0\]"),
        ({"state": "XX"}, "state: 'XX'"),
        ({"opted_out": ["fax"]}, r"opted_out\[0\]"),
        ({"inconvenient": [("09:00", "09:00")]}, r"inconvenient\[0\]"),
        ({"inconvenient": [("9am", "10:00")]}, r"inconvenient\[0\]\[0\]"),
        ({"inconvenient": ["09:00"]}, r"inconvenient\[0\]: expected a \(start, end\)"),
        ({"inconvenient": [(time(9, tzinfo=UTC), "10:00")]}, "tzinfo"),
        ({"cease": [""]}, r"cease\[0\]"),
    ],
)
def test_consumer_rejects_bad_input(kwargs: dict[str, Any], match: str) -> None:
    with pytest.raises(arrears.ValidationError, match=match):
        Consumer("C1", **kwargs)


def test_check_rejects_mismatched_consumers_and_inbound_proposals() -> None:
    c = Consumer("C1", [NY])
    with pytest.raises(arrears.ValidationError, match=r"proposed\.consumer_id"):
        REG_F.check(c, attempt("2026-03-10T15:00:00Z", consumer="C2"))
    with pytest.raises(arrears.ValidationError, match=r"history\[0\].consumer_id"):
        REG_F.check(
            c, attempt("2026-03-10T15:00:00Z"), [attempt("2026-03-09T15:00Z", consumer="C2")]
        )
    with pytest.raises(arrears.ValidationError, match="inbound"):
        REG_F.check(c, attempt("2026-03-10T15:00:00Z", direction="inbound"))
    with pytest.raises(arrears.ValidationError, match=r"history\[1\]"):
        REG_F.check(c, attempt("2026-03-10T15:00:00Z"), [attempt("2026-03-09T15:00Z"), "call"])


# ---- decisions explain themselves -------------------------------------------------------------


def test_a_blocked_decision_names_rule_citation_and_a_sentence() -> None:
    c = Consumer("C1", [NY])
    history = [*daily_calls(2, 7), attempt("2026-03-08T16:00:00Z")]
    d = REG_F.check(c, attempt("2026-03-08T18:00:00Z"), history)
    assert not d and not d.allowed
    (reason,) = d.reasons
    assert reason.rule == "reg_f.call_frequency"
    assert reason.citation == "12 CFR 1006.14(b)(2)(i)(A)"
    assert "7 calls about debt 'D1'" in reason.message
    assert "2026-03-02 to 2026-03-08" in reason.message
    assert str(reason).endswith("[12 CFR 1006.14(b)(2)(i)(A)]")
    with pytest.raises(arrears.ComplianceError) as info:
        d.raise_if_blocked()
    assert info.value.rule == "reg_f.call_frequency"
    assert info.value.citation == "12 CFR 1006.14(b)(2)(i)(A)"
    assert pickle.loads(pickle.dumps(d)) == d
    assert d.to_dict()["reasons"][0]["rule"] == "reg_f.call_frequency"


def test_an_allowed_decision_explains_what_was_checked() -> None:
    d = REG_F.check(Consumer("C1", [NY, LA]), attempt("2026-06-10T15:00:00Z"), daily_calls(8, 9))
    assert d.allowed and d.reasons == ()
    rules = {n.rule for n in d.notes}
    assert {"reg_f.call_frequency", "reg_f.call_after_conversation", "reg_f.time_of_day"} <= rules
    assert any("America/Los_Angeles 08:00" in n.message for n in d.notes)
    d.raise_if_blocked()


def test_value_types_can_be_built_and_compared() -> None:
    r = Reason("x.rule", "cite", "message")
    assert Decision(False, [r]) == Decision(False, [r])
    assert Decision(True).allowed
    with pytest.raises(arrears.ValidationError):
        Decision(True, [r])
    with pytest.raises(arrears.ValidationError):
        Decision(False)
    a = DisputeAssessment(True, True, [r])
    assert pickle.loads(pickle.dumps(a)) == a
    assert hash(pickle.loads(pickle.dumps(r))) == hash(r)


# ---- the pinned cases, from Python ------------------------------------------------------------


@pytest.mark.parametrize(
    ("zones", "at", "allowed"),
    [
        ([NY], "2026-03-07T12:59:59Z", False),  # 07:59:59 EST
        ([NY], "2026-03-08T12:00:00Z", True),  # 08:00 EDT, first day of DST
        ([NY], "2026-03-09T01:00:00Z", False),  # 21:00:00 EDT, end excluded
        ([NY], "2026-11-01T12:30:00Z", False),  # 07:30 EST, DST over
        ([NY], "2026-11-02T01:30:00Z", True),  # 20:30 EST
        ([NY, LA], "2026-06-10T14:59:59Z", False),  # 07:59:59 PDT
        ([NY, LA], "2026-06-10T15:00:00Z", True),  # 11:00 EDT = 08:00 PDT
        ([NY, LA], "2026-06-11T00:59:59Z", True),  # 20:59:59 EDT = 17:59:59 PDT
        ([NY, LA], "2026-06-11T01:00:00Z", False),  # 21:00 EDT = 18:00 PDT
        ([], "2026-06-10T17:59:59Z", False),  # unknown location: 18:00-01:00 UTC in June
        ([], "2026-06-10T18:00:00Z", True),
        ([], "2026-06-11T01:00:00Z", False),
        ([], "2026-01-14T18:00:00Z", True),  # 18:00-02:00 UTC in January
        ([], "2026-01-15T01:59:59Z", True),
        ([], "2026-01-15T02:00:00Z", False),
    ],
)
def test_time_of_day_windows(zones: list[str], at: str, allowed: bool) -> None:
    for channel in CHANNELS:
        assert REG_F.check(Consumer("C1", zones), attempt(at, channel)).allowed is allowed


def test_next_window_for_unknown_location_and_two_zones() -> None:
    start, end = REG_F.next_window(Consumer("C1"), attempt("2026-06-10T12:00:00Z")) or (None, None)
    assert (start, end) == (utc("2026-06-10T18:00:00Z"), utc("2026-06-11T01:00:00Z"))
    start, end = REG_F.next_window(Consumer("C1", [NY, LA]), attempt("2026-01-14T03:00:00Z")) or (
        None,
        None,
    )
    assert (start, end) == (utc("2026-01-14T16:00:00Z"), utc("2026-01-15T02:00:00Z"))


@pytest.mark.parametrize(
    ("history", "at", "allowed"),
    [
        (daily_calls(2, 7), "2026-03-08T16:00:00Z", True),  # the 7th call
        (daily_calls(2, 8), "2026-03-08T18:00:00Z", False),  # the 8th call
        (daily_calls(2, 8), "2026-03-09T12:00:00Z", True),  # 03-02 has left the window
        (daily_calls(2, 8, "D2"), "2026-03-08T18:00:00Z", True),  # other debt
    ],
)
def test_seven_in_seven(history: list[ContactAttempt], at: str, allowed: bool) -> None:
    assert REG_F.check(Consumer("C1", [NY]), attempt(at), history).allowed is allowed


def test_conversation_period_ends_after_day_seven() -> None:
    c = Consumer("C1", [NY])
    h = [attempt("2026-03-10T14:00:00Z", outcome="conversation", direction="inbound")]
    assert not REG_F.check(c, attempt("2026-03-10T20:00:00Z"), h).allowed  # same day
    assert not REG_F.check(c, attempt("2026-03-17T00:59:00Z"), h).allowed  # 03-16 20:59 EDT
    assert REG_F.check(c, attempt("2026-03-17T12:00:00Z"), h).allowed  # 03-17 08:00 EDT
    assert REG_F.next_allowed(c, attempt("2026-03-11T15:00:00Z"), h) == utc("2026-03-17T12:00:00Z")
    # Consent given directly on the conversation date: calls through 03-16 do not count.
    consented = [
        attempt("2026-03-10T14:00:00Z", outcome="conversation", direction="inbound", consent=True)
    ]
    assert REG_F.check(c, attempt("2026-03-11T15:00:00Z"), consented).allowed


def test_cease_opt_out_and_their_exceptions() -> None:
    at = "2026-06-10T15:00:00Z"
    ceased = Consumer("C1", [NY], cease=["D1"])
    assert not REG_F.check(ceased, attempt(at, "letter")).allowed
    assert REG_F.check(ceased, attempt(at, "letter", tags="terminating_efforts")).allowed
    assert REG_F.check(ceased, attempt(at, "letter", tags="remedy_notice")).allowed
    assert REG_F.next_allowed(ceased, attempt(at)) is None
    opted = Consumer("C1", [NY], opted_out=["email"])
    confirm = attempt(at, "email", tags="opt_out_confirmation", outcome="delivered")
    assert REG_F.check(opted, confirm).allowed
    assert not REG_F.check(opted, confirm, [confirm]).allowed
    inbound = attempt("2026-06-10T14:00:00Z", "email", outcome="delivered", direction="inbound")
    reply = attempt(at, "email", tags="reply", outcome="delivered")
    assert REG_F.check(opted, reply, [inbound]).allowed
    assert not REG_F.check(opted, reply, [inbound, reply]).allowed
    assert REG_F.check(opted, attempt(at, "text")).allowed


@pytest.mark.parametrize(
    ("flag", "rule"),
    [
        ("attorney", "reg_f.attorney"),
        ("bankruptcy", "bankruptcy.automatic_stay"),
        ("deceased", "reg_f.deceased"),
    ],
)
def test_status_blocks(flag: str, rule: str) -> None:
    c = Consumer("C1", [NY], **{flag: True})
    d = REG_F.check(c, attempt("2026-06-10T15:00:00Z", "letter"))
    assert [r.rule for r in d.reasons] == [rule]
    assert REG_F.next_allowed(c, attempt("2026-06-10T15:00:00Z")) is None


def test_disputes() -> None:
    end = date(2026, 8, 9)
    assert REG_F.assess_dispute(date(2026, 8, 9), end).pauses_collection
    late = REG_F.assess_dispute(date(2026, 8, 10), end)
    assert not late.pauses_collection and late.mark_disputed
    assert not REG_F.assess_dispute(date(2026, 7, 1), end, written=False).pauses_collection
    nyc = ContactPolicy.for_state("NYC")
    assert nyc.assess_dispute(date(2026, 7, 1), end, written=False).pauses_collection
    assert not REG_F.assess_dispute(
        date(2026, 7, 1), end, True, date(2026, 7, 15)
    ).pauses_collection
    paused = Consumer("C1", [NY], disputed=["D1"])
    d = REG_F.check(paused, attempt("2026-06-10T15:00:00Z", "letter"))
    assert d.reasons[0].citation == "12 CFR 1006.38(d)(2)"
    assert REG_F.check(paused, attempt("2026-06-10T15:00:00Z", "letter", tags="verification"))


def test_time_barred_debt_blocks_suit_and_threats() -> None:
    c = Consumer("C1", [NY], time_barred=["D1"])
    at = "2026-06-10T15:00:00Z"
    assert REG_F.check(c, attempt(at, "letter"))
    assert not REG_F.check(c, attempt(at, "letter", tags="threat_of_suit"))
    assert not REG_F.check_action(c, ["D1"], ["legal_action"])
    assert REG_F.check_action(c, ["D1"], ["legal_action", "proof_of_claim"])


# ---- overlays ---------------------------------------------------------------------------------


def test_overlays_add_stricter_rules() -> None:
    c = Consumer("C1", [NY])
    two_calls = [attempt("2026-03-09T15:00:00Z"), attempt("2026-03-10T15:00:00Z", "text")]
    ma = ContactPolicy.for_state("MA")
    assert REG_F.check(c, attempt("2026-03-11T15:00:00Z"), two_calls)
    d = ma.check(c, attempt("2026-03-11T15:00:00Z"), two_calls)
    assert [r.rule for r in d.reasons] == ["ma.telephone_frequency"]
    assert d.reasons[0].citation == "940 CMR 7.04(1)(f)"
    three = [
        attempt("2026-03-09T15:00:00Z", "letter", ["D1"], "delivered"),
        attempt("2026-03-10T15:00:00Z", "email", ["D2"], "delivered"),
        attempt("2026-03-11T15:00:00Z", "call", ["D3"], "not_connected"),
    ]
    nyc = ContactPolicy.for_state("nyc")
    assert [
        r.rule for r in nyc.check(c, attempt("2026-03-12T15:00:00Z", debts="D4"), three).reasons
    ] == ["nyc.communication_frequency"]
    wa = ContactPolicy.for_state("WA")
    early = wa.check(Consumer("C1", [LA]), attempt("2026-06-10T14:45:00Z"))  # 07:45 PDT
    assert [r.rule for r in early.reasons] == ["reg_f.time_of_day"]
    assert wa.overlays == ("WA",)
    assert ContactPolicy.for_state("TX").overlays == ()
    assert ContactPolicy.for_states(["MA", "WA"]).overlays == ("MA", "WA")
    with pytest.raises(arrears.ValidationError, match="'QQ'"):
        ContactPolicy.for_state("QQ")
    assert ContactPolicy.overlay_codes() == ["MA", "NYC", "WA"]
    assert ContactPolicy.overlay("WA")["rules"][0]["citation"] == "RCW 19.16.250"


# ---- policy JSON ------------------------------------------------------------------------------


def test_policy_json_round_trip_save_load(tmp_path: Path) -> None:
    policy = ContactPolicy.for_states(["MA", "NYC"])
    path = tmp_path / "policy.json"
    policy.save(path)
    assert ContactPolicy.load(path) == policy
    assert ContactPolicy.load(str(path)) == policy
    assert ContactPolicy(policy.to_json()) == policy
    assert ContactPolicy.from_json(policy.to_dict()) == policy
    assert pickle.loads(pickle.dumps(policy)) == policy
    assert hash(pickle.loads(pickle.dumps(policy))) == hash(policy)
    for rule_id in policy.rule_ids:
        rule = policy.rule(rule_id)
        assert rule["citation"] and rule["summary"]
    with pytest.raises(arrears.NotFoundError):
        policy.rule("reg_f.nope")
    with pytest.raises(arrears.NotFoundError):
        ContactPolicy.load(tmp_path / "missing.json")


@pytest.mark.parametrize(
    ("edit", "match"),
    [
        (lambda d: d["rules"][0].update(max=0), r"\$\.rules\[0\]\.max"),
        (lambda d: d["rules"][0].update(maximum=7), r"\$\.rules\[0\]\.maximum: unknown field"),
        (lambda d: d["rules"][2].update(start="8 am"), r"\$\.rules\[2\]\.start"),
        (lambda d: d["rules"][1].update(kind="vibes"), r"\$\.rules\[1\]\.kind"),
        (lambda d: d["rules"][0].pop("citation"), r"\$\.rules\[0\]\.citation"),
        (lambda d: d["rules"][0].update(channels=["pigeon"]), r"\$\.rules\[0\]\.channels\[0\]"),
        (lambda d: d["rules"][4].update(allowed_tags=["please"]), r"\$\.rules\[4\]\.allowed_tags"),
        (lambda d: d.update(version=2), r"\$\.version"),
        (lambda d: d.update(served_time_zones=["Nowhere/X"]), r"served_time_zones\[0\]"),
        (lambda d: d["rules"].append(dict(d["rules"][0])), "duplicate rule id"),
    ],
)
def test_policy_json_errors_name_the_path(edit: Any, match: str) -> None:
    data = REG_F.to_dict()
    edit(data)
    with pytest.raises(arrears.ValidationError, match=match):
        ContactPolicy.from_json(data)
    with pytest.raises(arrears.ValidationError, match="policy"):
        ContactPolicy.from_json("{not json")


def test_an_edited_rule_takes_effect() -> None:
    data = REG_F.to_dict()
    data["rules"][0]["max"] = 3
    strict = ContactPolicy.from_json(data)
    assert not strict.check(
        Consumer("C1", [NY]), attempt("2026-03-06T16:00:00Z"), daily_calls(2, 4)
    )
    assert REG_F.check(Consumer("C1", [NY]), attempt("2026-03-06T16:00:00Z"), daily_calls(2, 4))


# ---- dates: validation period, furnishing, retention -------------------------------------------


@pytest.mark.parametrize(
    ("sent", "holidays", "receipt", "end"),
    [
        (date(2026, 7, 2), "conservative", date(2026, 7, 10), date(2026, 8, 9)),
        (date(2026, 7, 2), "statutory", date(2026, 7, 9), date(2026, 8, 8)),
        (date(2027, 6, 16), "conservative", date(2027, 6, 24), date(2027, 7, 24)),
        (date(2027, 6, 16), "statutory", date(2027, 6, 23), date(2027, 7, 23)),
        (date(2027, 12, 29), "conservative", date(2028, 1, 6), date(2028, 2, 5)),
        (date(2027, 12, 29), "statutory", date(2028, 1, 5), date(2028, 2, 4)),
        (date(2026, 11, 20), "conservative", date(2026, 11, 30), date(2026, 12, 30)),
    ],
)
def test_validation_period(sent: date, holidays: str, receipt: date, end: date) -> None:
    assert validation_period(sent, holidays=holidays) == (receipt, end)


def test_validation_period_defaults_and_errors() -> None:
    assert validation_period(date(2026, 7, 2)) == (date(2026, 7, 10), date(2026, 8, 9))
    with pytest.raises(arrears.ValidationError, match="holidays"):
        validation_period(date(2026, 7, 2), holidays="observed")
    with pytest.raises(arrears.ValidationError, match="datetime"):
        validation_period(datetime(2026, 7, 2, 10, 0))  # type: ignore[arg-type]


def test_earliest_furnishing_date() -> None:
    assert earliest_furnishing_date([date(2026, 3, 2)]) == date(2026, 3, 17)
    assert earliest_furnishing_date([(date(2026, 3, 2), date(2026, 3, 16))]) is None
    assert earliest_furnishing_date([(date(2026, 3, 2), None)], [date(2026, 3, 5)]) == date(
        2026, 3, 6
    )
    assert earliest_furnishing_date() is None
    with pytest.raises(arrears.ValidationError, match=r"messages\[0\]"):
        earliest_furnishing_date([(date(2026, 3, 2), date(2026, 3, 1))])


def test_retention() -> None:
    assert earliest_purge_date(date(2026, 3, 10)) == date(2029, 3, 11)
    assert earliest_purge_date(date(2024, 2, 29)) == date(2027, 3, 1)
    early = retention_purge_allowed(date(2026, 3, 10), date(2029, 3, 10))
    assert not early and early.reasons[0].citation == "12 CFR 1006.100(a)"
    with pytest.raises(arrears.ComplianceError) as info:
        early.raise_if_blocked()
    assert info.value.rule == "reg_f.record_retention"
    assert retention_purge_allowed(date(2026, 3, 10), date(2029, 3, 11))
    rec = retention_purge_allowed(date(2026, 3, 10), date(2027, 1, 1), kind="recording")
    assert rec.reasons[0].citation == "12 CFR 1006.100(b)"
    with pytest.raises(arrears.ValidationError, match="kind"):
        retention_purge_allowed(date(2026, 3, 10), date(2027, 1, 1), kind="emails")


def test_statute_of_limitations() -> None:
    table = StatuteOfLimitations.builtin()
    assert table.needs_legal_review
    assert "LEGAL REVIEW" in table.note
    assert table.period("CA", "open_account")["years"] == 4
    assert is_time_barred("CA", "open_account", date(2020, 3, 10), date(2024, 3, 10))
    assert not is_time_barred("CA", "open_account", date(2020, 3, 10), date(2024, 3, 9))
    with pytest.raises(arrears.NotFoundError, match="'WA'"):
        is_time_barred("WA", "open_account", date(2020, 1, 1), date(2026, 1, 1))
    reviewed = table.with_period("WA", "open_account", 6, "RCW 4.16.040", "reviewed 2026-05")
    assert is_time_barred("WA", "open_account", date(2020, 1, 1), date(2026, 1, 1), table=reviewed)
    assert StatuteOfLimitations(reviewed.to_json()) == reviewed
    assert pickle.loads(pickle.dumps(reviewed)) == reviewed
    data = table.to_dict()
    data["periods"][0]["state"] = "ZZ"
    with pytest.raises(arrears.ValidationError, match=r"\$\.periods\[0\]\.state"):
        StatuteOfLimitations.from_json(data)
    with pytest.raises(arrears.ValidationError, match="years"):
        table.with_period("CA", "open_account", 0, "x")


# ---- the batch form ---------------------------------------------------------------------------


def _worklist_fixture() -> tuple[list[Consumer], pd.DataFrame, pd.DataFrame]:
    consumers = [
        Consumer("C1", [NY]),
        Consumer("C2", [NY, LA], cease=["D3"], state="MA"),
        Consumer("C3"),
    ]
    history = pd.DataFrame(
        {
            "consumer_id": ["C2", "C1", "C1", "C3", "C1", "C1"],
            "debt_id": ["D3", "D1", "D1", "D2", "D2", "D1"],
            "channel": ["call", "call", "text", "call", "call", "call"],
            "direction": ["outbound", "outbound", "outbound", "inbound", "outbound", "outbound"],
            "outcome": [
                "connected",
                "connected",
                "delivered",
                "conversation",
                "conversation",
                "connected",
            ],
            "at": pd.to_datetime(
                [
                    "2026-03-09T15:00Z",
                    "2026-03-09T15:00Z",
                    "2026-03-10T15:00Z",
                    "2026-03-10T14:00Z",
                    "2026-03-10T15:00Z",
                    "2026-03-10T16:00Z",
                ],
                utc=True,
            ),
            "consent": [False, False, False, True, False, False],
        }
    )
    rows = []
    for cid in ("C1", "C2", "C3"):
        for debt in ("D1", "D2", "D3"):
            for at in ("2026-03-11T03:00Z", "2026-03-11T15:00Z", "2026-03-11T19:00Z"):
                for channel in ("call", "email"):
                    rows.append((cid, debt, channel, at))
    proposed = pd.DataFrame(rows, columns=["consumer_id", "debt_id", "channel", "at"])
    proposed["at"] = pd.to_datetime(proposed["at"], utc=True)
    return consumers, proposed, history


def _history_of(history: pd.DataFrame, cid: str) -> list[ContactAttempt]:
    out = []
    for r in history[history.consumer_id == cid].itertuples():
        out.append(
            ContactAttempt(
                r.consumer_id,
                [r.debt_id],
                r.channel,
                r.direction,
                r.outcome,
                r.at.to_pydatetime(),
                bool(r.consent),
            )
        )
    return out


@pytest.mark.parametrize("threads", [1, 2])
def test_check_worklist_matches_check(threads: int) -> None:
    consumers, proposed, history = _worklist_fixture()
    policy = ContactPolicy.for_state("MA")
    result = check_worklist(policy, consumers, proposed, history, threads=threads)
    assert list(result.index) == list(proposed.index)
    assert str(result["next_allowed"].dtype) == "datetime64[s, UTC]"
    by_id = {c.id: c for c in consumers}
    for i, row in proposed.iterrows():
        c = by_id[row.consumer_id]
        a = ContactAttempt(
            c.id, [row.debt_id], row.channel, "outbound", "connected", row["at"].to_pydatetime()
        )
        hist = _history_of(history, c.id)
        d = policy.check(c, a, hist)
        got = result.loc[i]
        assert bool(got["allowed"]) == d.allowed, (i, d)
        assert got["blocked_by"] == ";".join(r.rule for r in d.reasons)
        assert got["rule"] == (d.reasons[0].rule if d.reasons else "")
        window = policy.next_window(c, a, hist)
        if window is None:
            assert pd.isna(got["next_allowed"])
        else:
            assert got["next_allowed"].to_pydatetime() == window[0]
            if window[1] is None:
                assert pd.isna(got["window_end"])
            else:
                assert got["window_end"].to_pydatetime() == window[1]


def test_check_worklist_with_plain_arrays_and_a_policy_per_state() -> None:
    consumers, proposed, history = _worklist_fixture()
    policies = {"MA": ContactPolicy.for_state("MA"), None: REG_F}
    columns = {
        "consumer": proposed.consumer_id.map({"C1": 0, "C2": 1, "C3": 2}).to_numpy(),
        "debt_id": proposed.debt_id.to_numpy(),
        "channel": proposed.channel.map(CHANNELS.index).to_numpy(),
        "at": np.array([int(t.timestamp()) for t in proposed["at"]], dtype=np.int64),
    }
    out = check_worklist(policies, consumers, columns, history, next_allowed=False)
    assert isinstance(out, dict) and "next_allowed" not in out
    frame = check_worklist(policies, consumers, proposed, history)
    assert np.array_equal(out["allowed"], frame["allowed"].to_numpy())
    # C2 lives in MA: its rows used the MA policy; the others Regulation F.
    ma_rows = proposed.consumer_id == "C2"
    assert (frame.loc[~ma_rows, "blocked_by"].str.contains("ma.") == False).all()  # noqa: E712


def test_check_worklist_rejects_bad_columns() -> None:
    consumers, proposed, history = _worklist_fixture()
    with pytest.raises(arrears.ValidationError, match="proposed: required column 'debt_id'"):
        check_worklist(REG_F, consumers, proposed.drop(columns="debt_id"))
    bad = proposed.copy()
    bad.loc[3, "channel"] = "fax"
    with pytest.raises(arrears.ValidationError, match=r"proposed\.channel\[3\]: 'fax'"):
        check_worklist(REG_F, consumers, bad)
    bad = proposed.copy()
    bad.loc[2, "consumer_id"] = "C9"
    with pytest.raises(arrears.ValidationError, match=r"proposed\.consumer_id\[2\]: 'C9'"):
        check_worklist(REG_F, consumers, bad)
    naive = proposed.copy()
    naive["at"] = naive["at"].dt.tz_localize(None)
    with pytest.raises(arrears.ValidationError, match="naive"):
        check_worklist(REG_F, consumers, naive)
    h = history.copy()
    h.loc[0, "outcome"] = "great"
    with pytest.raises(arrears.ValidationError, match=r"history\.outcome\[0\]"):
        check_worklist(REG_F, consumers, proposed, h)
    with pytest.raises(arrears.ValidationError, match=r"history\.consumer"):
        check_worklist(
            REG_F,
            consumers,
            proposed,
            history.drop(columns="consumer_id").assign(consumer=np.full(len(history), 7)),
        )
    with pytest.raises(arrears.ValidationError, match="no policy"):
        check_worklist({"MA": REG_F}, consumers, proposed)


def test_check_worklist_reports_progress_and_stops_on_a_failing_callback() -> None:
    consumers, proposed, history = _worklist_fixture()
    seen: list[tuple[int, int]] = []
    check_worklist(REG_F, consumers, proposed, history, progress=lambda d, t: seen.append((d, t)))
    assert seen[0] == (0, len(proposed))
    assert seen[-1] == (len(proposed), len(proposed))
    quiet = check_worklist(REG_F, consumers, proposed, history, progress=False)
    assert len(quiet) == len(proposed)

    def boom(done: int, total: int) -> None:
        raise RuntimeError("stop")

    with pytest.raises(KeyboardInterrupt):  # as Ctrl-C does: the batch stops
        check_worklist(REG_F, consumers, proposed, history, progress=boom)


def test_check_worklist_accepts_tags_and_events() -> None:
    consumers = [Consumer("C1", [NY], cease=["D1"])]
    proposed = {
        "consumer_id": ["C1", "C1"],
        "debt_id": ["D1", "D1"],
        "channel": ["letter", "letter"],
        "at": [utc("2026-03-11T15:00:00Z")] * 2,
        "tags": ["terminating_efforts", None],
    }
    out = check_worklist(ContactPolicy.for_state("NYC"), consumers, proposed)
    assert out["allowed"].tolist() == [True, False]
    assert out["rule"].tolist() == ["", "reg_f.cease"]
    # One letter about three debts is one NYC attempt when its rows share an event id.
    history = {
        "consumer_id": ["C1"] * 4,
        "debt_id": ["D2", "D3", "D4", "D2"],
        "channel": ["letter"] * 3 + ["email"],
        "direction": ["outbound"] * 4,
        "outcome": ["delivered"] * 4,
        "at": [utc("2026-03-09T15:00:00Z")] * 3 + [utc("2026-03-10T15:00:00Z")],
        "event": [1, 1, 1, 2],
    }
    call = {
        "consumer_id": ["C1"],
        "debt_id": ["D5"],
        "channel": ["call"],
        "at": [utc("2026-03-11T15:00:00Z")],
    }
    nyc = ContactPolicy.for_state("NYC")
    assert check_worklist(nyc, consumers, call, history)["allowed"].tolist() == [True]
    del history["event"]
    assert check_worklist(nyc, consumers, call, history)["allowed"].tolist() == [False]


# ---- invariants (hypothesis) -------------------------------------------------------------------

ZONES = [NY, LA, "America/Chicago", "Pacific/Honolulu", "America/Phoenix"]
START = datetime(2026, 2, 25, tzinfo=UTC)
moments = st.integers(min_value=0, max_value=45 * 86400).map(lambda s: START + timedelta(seconds=s))
history_events = st.lists(
    st.tuples(
        moments,
        st.sampled_from(["D1", "D2"]),
        st.sampled_from(["call", "text", "voicemail", "letter"]),
        st.sampled_from(["outbound", "outbound", "inbound"]),
        st.sampled_from(
            ["connected", "not_connected", "conversation", "left_message", "delivered"]
        ),
        st.booleans(),
    ),
    max_size=25,
)
zone_sets = st.lists(st.sampled_from(ZONES), max_size=3, unique=True)
policies = st.sampled_from(
    [REG_F, ContactPolicy.for_state("MA"), ContactPolicy.for_states(["NYC", "WA"])]
)


def _history(events: list[Any]) -> list[ContactAttempt]:
    return [attempt(at, ch, [d], oc, dr, consent) for at, d, ch, dr, oc, consent in events]


@settings(max_examples=150, deadline=None)
@given(policies, zone_sets, history_events, moments, st.sampled_from(["call", "email", "text"]))
def test_next_allowed_is_allowed_and_nothing_earlier_is(
    policy: ContactPolicy, zones: list[str], events: list[Any], at: datetime, channel: str
) -> None:
    consumer = Consumer("C1", zones)
    history = _history(events)
    proposed = attempt(at, channel)
    nxt = policy.next_allowed(consumer, proposed, history)
    decision = policy.check(consumer, proposed, history)
    if decision.allowed:
        assert nxt == at.replace(microsecond=0)
        return
    assert decision.reasons and all(r.rule and r.citation and r.message for r in decision.reasons)
    if nxt is None:
        return
    assert nxt > at
    assert policy.check(consumer, attempt(nxt, channel), history).allowed
    assert not policy.check(consumer, attempt(nxt - timedelta(seconds=1), channel), history).allowed
    # Sample instants before it: all blocked.
    span = (nxt - at).total_seconds()
    for k in range(1, 6):
        probe = at + timedelta(seconds=int(span * k / 6))
        assert not policy.check(consumer, attempt(probe, channel), history).allowed


@settings(max_examples=150, deadline=None)
@given(policies, zone_sets, st.sampled_from(ZONES), history_events, moments)
def test_more_possible_zones_never_allow_more(
    policy: ContactPolicy, zones: list[str], extra: str, events: list[Any], at: datetime
) -> None:
    history = _history(events)
    wider = policy.check(Consumer("C1", [*zones, extra]), attempt(at), history)
    narrower = policy.check(Consumer("C1", zones or [extra]), attempt(at), history)
    if wider.allowed:
        assert narrower.allowed


@settings(max_examples=150, deadline=None)
@given(policies, zone_sets, history_events, moments, moments)
def test_another_outbound_call_never_unblocks(
    policy: ContactPolicy, zones: list[str], events: list[Any], at: datetime, extra: datetime
) -> None:
    consumer = Consumer("C1", zones)
    history = [attempt(a, ch, [d], oc, dr) for a, d, ch, dr, oc, _ in events]  # no consent
    before = policy.check(consumer, attempt(at), history)
    after = policy.check(consumer, attempt(at), [*history, attempt(extra)])
    if not before.allowed:
        assert not after.allowed


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(zone_sets, history_events), min_size=1, max_size=4),
    st.lists(
        st.tuples(st.integers(0, 3), moments, st.sampled_from(["call", "email"])), max_size=12
    ),
    policies,
)
def test_batch_agrees_with_check(
    people: list[Any], proposals: list[Any], policy: ContactPolicy
) -> None:
    consumers = [Consumer(f"C{i}", zones) for i, (zones, _) in enumerate(people)]
    histories = []
    rows: dict[str, list[Any]] = {
        k: [] for k in ("consumer", "debt_id", "channel", "direction", "outcome", "at", "consent")
    }
    for i, (_, events) in enumerate(people):
        hist = []
        for at, d, ch, dr, oc, consent in events:
            hist.append(attempt(at, ch, [d], oc, dr, consent, consumer=f"C{i}"))
            for k, v in zip(rows, (i, d, ch, dr, oc, at, consent), strict=True):
                rows[k].append(v)
        histories.append(hist)
    prop = {"consumer": [], "debt_id": [], "channel": [], "at": []}  # type: dict[str, list[Any]]
    for who, at, ch in proposals:
        who %= len(consumers)
        for k, v in zip(prop, (who, "D1", ch, at), strict=True):
            prop[k].append(v)
    if not prop["at"]:
        return
    prop_cols = {k: np.asarray(v) if k == "consumer" else v for k, v in prop.items()}
    hist_cols = {k: np.asarray(v) if k == "consumer" else v for k, v in rows.items()}
    out = check_worklist(policy, consumers, prop_cols, hist_cols if rows["at"] else None)
    if rows["at"]:  # the same history in (consumer, at) order takes the engine's fast path
        order = sorted(range(len(rows["at"])), key=lambda k: (rows["consumer"][k], rows["at"][k]))
        sorted_cols = {k: [v[i] for i in order] for k, v in rows.items()}
        sorted_cols["consumer"] = np.asarray(sorted_cols["consumer"])
        again = check_worklist(policy, consumers, prop_cols, sorted_cols)
        assert np.array_equal(again["allowed"], out["allowed"])
        assert np.array_equal(again["next_allowed"], out["next_allowed"], equal_nan=True)
    for k, (who, at, ch) in enumerate(
        zip(prop["consumer"], prop["at"], prop["channel"], strict=True)
    ):
        c = consumers[who]
        a = attempt(at, ch, consumer=c.id)
        assert bool(out["allowed"][k]) == policy.check(c, a, histories[who]).allowed
        nxt = policy.next_allowed(c, a, histories[who])
        got = out["next_allowed"][k]
        if nxt is None:
            assert np.isnat(got)
        else:
            assert int(got.astype("int64")) == int(nxt.timestamp())


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2090, 12, 31)))
def test_validation_receipt_is_a_business_day_and_end_is_30_days_later(sent: date) -> None:
    cons = validation_period(sent)
    stat = validation_period(sent, holidays="statutory")
    cal = arrears.calendar.BusinessCalendar("us_federal", observed=True)
    assert cons[0] > sent and cons[0].weekday() < 5 and cal.is_business_day(cons[0])
    assert cons[1] - cons[0] == timedelta(days=30)
    assert stat[0] <= cons[0]
    assert cal.business_days_between(sent, cons[0]) == 5


def test_the_module_examples_run() -> None:
    import doctest

    import arrears.compliance

    assert doctest.testmod(arrears.compliance).failed == 0


def test_worklist_gate_plugs_into_strategy_worklists() -> None:
    from arrears import Portfolio, Strategy

    accounts = [f"ACC{i}" for i in range(12)]
    portfolio = Portfolio.from_pandas(
        pd.DataFrame(
            {
                "account_id": accounts,
                "balance_cents": [10_000 * (i + 1) for i in range(12)],
                "oldest_unpaid_due": pd.to_datetime(["2026-01-05"] * 12),
            }
        )
    )
    strategy = Strategy.from_dict(
        {
            "name": "calls",
            "factors": [{"column": "balance_cents", "weight": 1, "cap": 1_000_000}],
            "segments": [{"name": "all", "treatment": {"type": "call", "queue": "q"}}],
        }
    )
    consumers = [
        Consumer("P0", [NY]),
        Consumer("P1", [NY], cease=["ACC1"]),
        Consumer("P2", [LA]),
    ]
    owner = {a: f"P{i % 3}" for i, a in enumerate(accounts)}
    history = {
        "consumer_id": ["P0"],
        "debt_id": ["ACC0"],
        "channel": ["call"],
        "direction": ["inbound"],
        "outcome": ["conversation"],
        "at": [utc("2026-03-10T14:00:00Z")],
    }
    at = utc("2026-03-11T14:00:00Z")  # 10:00 EDT, 07:00 PDT
    gate = arrears.compliance.worklist_gate(REG_F, consumers, history, at=at, accounts=owner)
    table = strategy.worklist(portfolio, date(2026, 3, 11), compliance=gate).to_pandas()
    assert len(table) == 12
    by_account = table.set_index("account_id")
    for account in accounts:
        row = by_account.loc[account]
        who = next(c for c in consumers if c.id == owner[account])
        proposed = attempt(at, debts=[account], consumer=who.id)
        hist = (
            [
                attempt(
                    "2026-03-10T14:00:00Z",
                    debts=["ACC0"],
                    outcome="conversation",
                    direction="inbound",
                    consumer="P0",
                )
            ]
            if who.id == "P0"
            else []
        )
        decision = REG_F.check(who, proposed, hist)
        assert bool(row["call_allowed"]) == decision.allowed, account
        assert row["blocked_rule"] == (decision.reasons[0].rule if decision.reasons else "")
        nxt = REG_F.next_allowed(who, proposed, hist)
        assert (
            pd.isna(row["next_allowed_at"])
            if nxt is None
            else row["next_allowed_at"].to_pydatetime() == nxt
        )
    assert by_account.loc["ACC1", "blocked_rule"] == "reg_f.cease"
    assert by_account.loc["ACC0", "blocked_rule"] == "reg_f.call_after_conversation"
    assert by_account.loc["ACC2", "blocked_rule"] == "reg_f.time_of_day"
    with pytest.raises(arrears.ValidationError, match="has no consumer"):
        bad = arrears.compliance.worklist_gate(REG_F, consumers, None, at=at, accounts={})
        strategy.worklist(portfolio, date(2026, 3, 11), compliance=bad)


def test_consumer_from_debtor_maps_the_ledger_flags() -> None:
    from arrears.debtor import (
        Address,
        AttorneyRepresentation,
        Bankruptcy,
        CeaseCommunication,
        Debtor,
        InconvenientTime,
        MediumOptOut,
        Phone,
    )

    as_of = utc("2026-03-11T15:00:00Z")
    debtor = Debtor(
        "D1",
        "Ana",
        "Lopez",
        addresses=[Address("1 Main St", "Boston", "MA", "02108")],
        phones=[Phone("(415) 555-0100")],
        cease_communications=[
            CeaseCommunication("ACC1", date(2026, 2, 1)),
            CeaseCommunication("ACC2", date(2026, 1, 5), withdrawn_on=date(2026, 2, 1)),
            CeaseCommunication("ACC3", date(2026, 4, 1)),  # not yet received on as_of
        ],
        opt_outs=[
            MediumOptOut("email", utc("2026-03-01T12:00:00Z")),
            MediumOptOut("mail", utc("2026-03-01T12:00:00Z")),
            MediumOptOut(
                "text", utc("2026-03-01T12:00:00Z"), withdrawn_at=utc("2026-03-05T12:00:00Z")
            ),
        ],
        inconvenient_times=[
            InconvenientTime(time(9), time(17), date(2026, 1, 1), weekdays=["mon", "tue"]),
            InconvenientTime(time(0), time(0), date(2026, 1, 1), weekdays=["sun"]),
        ],
        attorneys=[AttorneyRepresentation(date(2026, 1, 1), name="Lee")],
        bankruptcies=[Bankruptcy(7, date(2025, 6, 1), discharged_on=date(2025, 12, 1))],
    )
    c = Consumer.from_debtor(debtor, as_of, disputed=["ACC9"])
    assert c.id == "D1"
    assert set(c.time_zones) == set(debtor.possible_time_zones())
    assert set(c.time_zones) == {NY, LA}  # Boston address, a 415 phone
    assert c.state == "MA"
    assert c.cease == ("ACC1",)
    assert set(c.opted_out) == {"email", "letter"}
    assert c.inconvenient == (
        (time(9), time(17), ("mon", "tue")),
        (time(0), "24:00", ("sun",)),
    )
    assert c.attorney and not c.bankruptcy and not c.deceased
    assert c.disputed == ("ACC9",)
    # The view decides like the consumer it describes.
    policy = ContactPolicy.for_state(c.state or "")
    d = policy.check(c, attempt("2026-03-11T17:00:00Z", debts=["ACC4"], consumer="D1"))
    assert [r.rule for r in d.reasons] == ["reg_f.attorney"]
    free = Consumer.from_debtor(debtor.replace(attorneys=[]), as_of)
    assert policy.check(free, attempt("2026-03-11T17:00:00Z", debts=["ACC4"], consumer="D1"))
    assert not policy.check(free, attempt("2026-03-11T17:00:00Z", debts=["ACC1"], consumer="D1"))
    with pytest.raises(arrears.ValidationError, match="naive"):
        Consumer.from_debtor(debtor, datetime(2026, 3, 11, 15, 0))


def test_consent_given_after_the_proposed_instant_lifts_a_conversation_block_then() -> None:
    # Found by hypothesis: a conversation with consent one second after the proposed call. At the
    # proposed instant the conversation (same local day) blocks; from the consent on, calls are
    # exempt, so next_allowed is the consent instant, not seven days later.
    consumer = Consumer("C1", ["America/Los_Angeles"])
    at = datetime(2026, 2, 25, 0, 0, 0, tzinfo=timezone.utc)
    history = [attempt(at + timedelta(seconds=1), "call", ["D1"], "conversation", "outbound", True)]
    proposed = attempt(at, "call")
    assert not REG_F.check(consumer, proposed, history).allowed
    assert REG_F.next_allowed(consumer, proposed, history) == at + timedelta(seconds=1)


def test_decision_html_shows_each_reason_escaped() -> None:
    from arrears._core import compliance as _compliance

    blocked = _compliance.Decision(
        False,
        [
            _compliance.Reason(
                "reg_f.time_of_day", "12 CFR 1006.6(b)(1)(i)", "before 8 a.m. <local>"
            )
        ],
        [_compliance.Reason("note.zone", "", "two zones")],
    )
    html = blocked._repr_html_()
    assert "blocked" in html and "reg_f.time_of_day" in html and "&lt;local&gt;" in html
    assert html.count("<tr><td>reason") == 1 and html.count("<tr><td>note") == 1
    assert "allowed" in _compliance.Decision(True)._repr_html_()
