"""The compliance gate over the store: stored debtors and contact history decide whether a call
may be placed, with the rule and citation when not."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

import arrears
from arrears import Store
from arrears.compliance import ContactAttempt, ContactPolicy

UTC = dt.timezone.utc
NOON_NY = dt.datetime(2026, 11, 23, 17, 0, tzinfo=UTC)  # 12:00 in New York, 09:00 in Seattle


@pytest.fixture
def store() -> Store:
    s = Store(":memory:")
    s.import_debtors(
        pd.DataFrame(
            {
                "debtor_id": ["D1", "D2", "D3"],
                "last_name": ["Lopez", "Boston", "Seattle"],
                "address_line1": ["1 Main St", "2 Beacon St", "3 Pike St"],
                "city": ["Albany", "Boston", "Seattle"],
                "state": ["NY", "MA", "WA"],
                "zip": ["12207", "02108", "98101"],
            }
        )
    )
    s.import_accounts(
        pd.DataFrame(
            {
                "account_id": ["A1", "A2", "A3", "A4"],
                "debtor_id": ["D1", "D1", "D2", "D3"],
                "opened_on": "2024-01-01",
                "principal": "500.00",
            }
        )
    )
    return s


def calls(
    consumer: str, debt: str, n: int, start: dt.datetime, outcome: str = "connected"
) -> list[ContactAttempt]:
    return [
        ContactAttempt(consumer, [debt], "call", "outbound", outcome, start + dt.timedelta(hours=i))
        for i in range(n)
    ]


def test_seven_calls_in_seven_days_block_the_eighth(store: Store) -> None:
    store.record_contacts(calls("D1", "A1", 7, NOON_NY - dt.timedelta(days=2)), collector="c7")
    r = store.check_contacts(["A1", "A2"], NOON_NY).to_pylist()
    assert r[0]["call_allowed"] is False
    assert r[0]["blocked_rule"] == "reg_f.call_frequency"
    assert r[0]["citation"].startswith("12 CFR 1006.14(b)(2)(i)")
    assert r[0]["next_allowed_at"] > NOON_NY
    assert r[1]["call_allowed"] is True  # the count is per debt
    hist = store.contact_history(NOON_NY - dt.timedelta(days=7), NOON_NY).to_pandas()
    assert len(hist) == 7 and set(hist.account_id) == {"A1"}


def test_not_connected_calls_do_not_count(store: Store) -> None:
    store.record_contacts(calls("D1", "A1", 9, NOON_NY - dt.timedelta(days=1), "not_connected"))
    assert store.check_contacts(["A1"], NOON_NY).to_pylist()[0]["call_allowed"] is True


def test_a_conversation_blocks_seven_days(store: Store) -> None:
    store.record_contacts(calls("D1", "A1", 1, NOON_NY - dt.timedelta(days=6), "conversation"))
    r = store.check_contacts(["A1"], NOON_NY).to_pylist()[0]
    assert (r["call_allowed"], r["blocked_rule"]) == (False, "reg_f.call_after_conversation")
    later = store.check_contacts(["A1"], NOON_NY + dt.timedelta(days=1)).to_pylist()[0]
    assert later["call_allowed"] is True


def test_time_of_day_in_the_consumers_zone(store: Store) -> None:
    early = dt.datetime(2026, 11, 23, 14, 30, tzinfo=UTC)  # 09:30 NY, 06:30 Seattle
    r = store.check_contacts(["A1", "A4"], early).to_pandas().set_index("account_id")
    assert bool(r.loc["A1", "call_allowed"]) and not bool(r.loc["A4", "call_allowed"])
    assert r.loc["A4", "next_allowed_at"] == pd.Timestamp("2026-11-23 16:00", tz="UTC")


def test_cease_and_state_overlays(store: Store) -> None:
    d1 = store.debtor("D1")
    store.save(
        d1.replace(
            cease_communications=[arrears.debtor.CeaseCommunication("A2", dt.date(2026, 11, 1))]
        )
    )
    r = store.check_contacts(["A1", "A2"], NOON_NY).to_pylist()
    assert r[0]["call_allowed"] is True and r[1]["call_allowed"] is False
    assert r[1]["next_allowed_at"] is None  # never, after a cease
    # Massachusetts: two calls in seven days per debtor (940 CMR 7.04(1)(f)) already block.
    store.record_contacts(calls("D2", "A3", 2, NOON_NY - dt.timedelta(days=3)))
    ma = store.check_contacts(["A3"], NOON_NY).to_pylist()[0]
    assert ma["call_allowed"] is False and ma["blocked_rule"].startswith("ma.")
    no_overlay = store.check_contacts(["A3"], NOON_NY, state_overlays=False).to_pylist()[0]
    assert no_overlay["call_allowed"] is True


def test_a_base_policy_with_the_overlay_already_applied(store: Store) -> None:
    """Overlays are merged in one place (ContactPolicy.with_overlays): a base policy that has the
    Massachusetts overlay already does not get it twice for a consumer in Massachusetts."""
    store.record_contacts(calls("D2", "A3", 2, NOON_NY - dt.timedelta(days=3)))
    ma = ContactPolicy.for_state("MA")
    r = store.check_contacts(["A3", "A1"], NOON_NY, policy=ma).to_pylist()
    assert r[0]["call_allowed"] is False and r[0]["blocked_rule"].startswith("ma.")
    assert r[1]["call_allowed"] is True


def test_worklist_gate_and_bad_input(store: Store) -> None:
    strategy = arrears.Strategy.from_dict(
        {
            "name": "calls",
            "segments": [{"name": "all", "treatment": {"type": "call", "queue": "q"}}],
        }
    )
    p = store.load_portfolio(dt.date(2026, 11, 23))
    store.record_contacts(calls("D1", "A1", 7, NOON_NY - dt.timedelta(days=1)))
    wl = strategy.worklist(p, dt.date(2026, 11, 23), compliance=store.compliance_gate(NOON_NY))
    got = dict(zip(wl["account_id"].tolist(), wl["call_allowed"].tolist(), strict=True))
    assert got == {"A1": False, "A2": True, "A3": True, "A4": True}
    with pytest.raises(arrears.NotFoundError, match="'A9'"):
        store.check_contacts(["A9"], NOON_NY)
    with pytest.raises(arrears.ValidationError):
        store.check_contacts(["A1"], dt.datetime(2026, 11, 23, 12, 0))  # naive
    with pytest.raises(arrears.ValidationError, match="history_days"):
        store.check_contacts(["A1"], NOON_NY, history_days=3)
