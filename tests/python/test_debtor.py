"""arrears.Debtor and contact points from Python: construction and validation, the masked SSN,
flags, consent, the best-contact rule, time zones, immutability, JSON and pickling."""

from __future__ import annotations

import copy
import pickle
from datetime import date, datetime, time, timezone
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import arrears
from arrears import Debtor
from arrears.debtor import (
    Address,
    AttorneyRepresentation,
    Bankruptcy,
    CeaseCommunication,
    ConsentRecord,
    Deceased,
    Email,
    InconvenientTime,
    MediumOptOut,
    MilitaryService,
    Phone,
    possible_time_zones,
    time_zone_tables,
    time_zones_for_address,
    time_zones_for_area_code,
)

D = date


def at(*args: int) -> datetime:
    return datetime(*args, tzinfo=timezone.utc)  # type: ignore[misc]


def full() -> Debtor:
    home = Address("12 Elm St", "Pensacola", "fl", "325011234", type="home", status="good",
                   last_seen=D(2025, 5, 1), source="creditor_file", confidence=80)  # fmt: skip
    cell = Phone(
        "(212) 555-0100",
        consents=[ConsentRecord("text", True, at(2025, 1, 1), "electronic", "web form")],
    )
    work = Phone("850.555.0199", type="work", status="bad")
    mail = Email("Ana.Lopez@Example.COM")
    return Debtor(
        "D1",
        "Ana",
        "Lopez",
        middle_name="M.",
        suffix="Jr",
        date_of_birth=D(1980, 2, 29),
        ssn="123-45-6789",
        preferred_language="ES",
        addresses=[home],
        phones=[cell, work],
        emails=[mail],
        deceased=None,
        bankruptcies=[
            Bankruptcy(13, D(2025, 3, 1), case_number="25-1", dismissed_on=D(2025, 9, 1))
        ],
        attorneys=[AttorneyRepresentation(D(2025, 4, 1), name="J. Doe", phone="2125550199")],
        military_service=[MilitaryService(D(2024, 1, 1), until=D(2025, 1, 1))],
        cease_communications=[CeaseCommunication("A1", D(2025, 5, 1))],
        opt_outs=[MediumOptOut("email", at(2025, 5, 1), contact_point_id="ana.lopez@example.com")],
        inconvenient_times=[
            InconvenientTime(time(9), time(17), D(2025, 1, 1), weekdays=["mon", "tue", "wed"])
        ],
    )


class TestSsn:
    def test_masked_everywhere_but_reveal(self) -> None:
        d = full()
        assert d.ssn == "***-**-6789"
        assert d.ssn_last4 == "6789"
        assert d.reveal_ssn() == "123456789"
        assert "123" not in repr(d) and "***-**-6789" in repr(d)
        assert "12345" not in d._repr_html_()
        assert d.to_dict()["ssn"] == "123456789"  # the storage form keeps it whole

    @pytest.mark.parametrize(
        "bad",
        ["123-45-678", "000-12-3456", "666-12-3456", "912-34-5678", "123-00-4567", "123-45-0000"],
    )
    def test_invalid_ssns_are_never_echoed(self, bad: str) -> None:
        with pytest.raises(arrears.ValidationError, match=r"^ssn: ") as info:
            Debtor("D", "A", "B", ssn=bad)
        message = str(info.value)
        digits = bad.replace("-", "")
        assert bad not in message
        assert digits[:5] not in message.replace("-", "")  # never shown, even masked

    @given(
        area=st.integers(1, 899).filter(lambda a: a != 666),
        group=st.integers(1, 99),
        serial=st.integers(1, 9999),
    )
    def test_repr_never_contains_more_than_the_last_four(
        self, area: int, group: int, serial: int
    ) -> None:
        ssn = f"{area:03d}-{group:02d}-{serial:04d}"
        d = Debtor("D", "A", "B", ssn=ssn)
        text = repr(d) + d._repr_html_() + str(d.ssn)
        assert f"{area:03d}{group:02d}" not in text.replace("-", "")
        assert d.reveal_ssn() == ssn.replace("-", "")


class TestContactPoints:
    @pytest.mark.parametrize(
        "text",
        ["(212) 555-0100", "212.555.0100", "+1 212 555 0100", "1-212-555-0100", "2125550100"],
    )
    def test_phone_numbers_normalize(self, text: str) -> None:
        p = Phone(text)
        assert (p.number, p.area_code, p.formatted, p.id) == (
            "+12125550100",
            "212",
            "(212) 555-0100",
            "+12125550100",
        )

    @pytest.mark.parametrize(
        ("text", "match"),
        [
            ("555-0100", "has 7 digits"),
            ("+44 20 7946 0958", r"not a North American \(\+1\) number"),
            ("(112) 555-0100", "start with 2-9"),
            ("(911) 555-0100", "service code"),
            ("212-555-CALL", "unexpected 'C'"),
        ],
    )
    def test_bad_phone_numbers(self, text: str, match: str) -> None:
        with pytest.raises(arrears.ValidationError, match=match):
            Phone(text)

    def test_address_and_email_normalize(self) -> None:
        a = Address("  12 Elm St ", "Pensacola", "fl", "325011234")
        assert (a.line1, a.state, a.zip, a.id) == (
            "12 Elm St",
            "FL",
            "32501-1234",
            "12 ELM ST, 32501-1234",
        )
        e = Email(" Ana.Lopez@Example.COM ")
        assert (e.address, e.id) == ("Ana.Lopez@example.com", "ana.lopez@example.com")

    @pytest.mark.parametrize(
        ("make", "match"),
        [
            (lambda: Address("1 A St", "X", "XX", "12345"), "state: 'XX'"),
            (lambda: Address("1 A St", "X", "NY", "1234"), "zip: '1234'"),
            (lambda: Address("", "X", "NY", "12345"), "line1"),
            (lambda: Address("1 A St", "X", "NY", "12345", type="mobile"), "not a type of address"),
            (lambda: Phone("2125550100", type="mailing"), "not a type of phone"),
            (lambda: Phone("2125550100", confidence=101), "confidence: 101"),
            (lambda: Phone("2125550100", source="rumour"), "contact source 'rumour'"),
            (lambda: Phone("2125550100", status="great"), "contact status 'great'"),
            (
                lambda: Phone("2125550100", first_seen=D(2025, 2, 1), last_seen=D(2025, 1, 1)),
                "last_seen: 2025-01-01 is before first_seen",
            ),
            (
                lambda: Phone(
                    "2125550100", consents=[ConsentRecord("email", True, at(2025, 1, 1))]
                ),
                r"consents\[0\].channel: 'email'",
            ),
            (lambda: Email("ana@"), "not an email address"),
            (lambda: ConsentRecord("call", True, datetime(2025, 1, 1)), "naive"),
            (lambda: ConsentRecord("fax", True, at(2025, 1, 1)), "channel 'fax'"),
        ],
    )
    def test_bad_contact_points(self, make: Any, match: str) -> None:
        with pytest.raises(arrears.ValidationError, match=match):
            make()

    def test_consent_at_an_instant(self) -> None:
        p = Phone(
            "2125550100",
            consents=[
                ConsentRecord("text", True, at(2025, 1, 1), "electronic"),
                ConsentRecord("text", False, at(2025, 3, 1), "oral", "STOP"),
            ],
        )
        assert p.consent("text", at(2024, 12, 31)) is None
        assert p.consent("text", at(2025, 2, 1)) is True
        assert p.consent("text") is False
        assert p.consent("call") is None


class TestDebtor:
    def test_fields(self) -> None:
        d = full()
        assert d.full_name == "Ana M. Lopez Jr"
        assert d.preferred_language == "es"
        assert d.attorneys[0].phone == "+12125550199"
        assert d.emails[0].address == "Ana.Lopez@example.com"
        with pytest.raises(AttributeError):
            d.last_name = "X"  # type: ignore[misc]

    def test_flags_in_effect(self) -> None:
        d = full()
        assert d.open_bankruptcy(D(2025, 3, 1)) == d.bankruptcies[0]
        assert d.open_bankruptcy(D(2025, 9, 1)) is None  # dismissed
        assert d.attorney_represented(D(2025, 4, 1))
        assert not d.active_duty(D(2025, 1, 1))
        assert d.cease_requested("A1", D(2025, 5, 1))
        assert not d.cease_requested("A2", D(2025, 5, 1))
        assert d.opted_out("email", at(2025, 5, 2), "ana.lopez@example.com")
        assert not d.opted_out("call", at(2025, 5, 2))
        assert not d.is_deceased
        assert d.replace(deceased=Deceased(D(2025, 6, 1))).is_deceased

    def test_inconvenient_time(self) -> None:
        t = InconvenientTime(time(21), time(10), D(2025, 1, 1), weekdays=["sat", "sun"])
        assert t.covers(datetime(2025, 6, 7, 22, 30))  # Saturday night
        assert t.covers(datetime(2025, 6, 9, 9, 0))  # Monday morning, after Sunday night
        assert not t.covers(datetime(2025, 6, 9, 10, 0))
        assert not t.covers(datetime(2024, 6, 8, 22, 0))  # before it was designated
        with pytest.raises(arrears.ValidationError, match="naive"):
            t.covers(at(2025, 6, 7, 22))
        with pytest.raises(arrears.ValidationError, match="'someday'"):
            InconvenientTime(time(9), time(10), D(2025, 1, 1), weekdays=["someday"])
        with pytest.raises(arrears.ValidationError, match="time zone"):
            InconvenientTime(time(9, tzinfo=timezone.utc), time(10), D(2025, 1, 1))

    @pytest.mark.parametrize(
        ("kwargs", "match"),
        [
            ({"last_name": ""}, "last_name"),
            ({"id": " "}, "id"),
            ({"preferred_language": "english"}, "preferred_language: 'english'"),
            ({"phones": [Phone("2125550100"), Phone("212-555-0100")]}, r"phones\[1\].id"),
            ({"bankruptcies": [Bankruptcy(7, D(2025, 1, 1))] * 1 + ["x"]}, r"bankruptcies\[1\]"),
            (
                {"opt_outs": [MediumOptOut("call", at(2025, 1, 1), contact_point_id="nope")]},
                r"opt_outs\[0\].contact_point_id: 'nope'",
            ),
            ({"addresses": Address("1 A St", "X", "NY", "12345")}, "expected a list"),
            ({"ssn": 123456789}, "ssn: expected a str"),
        ],
    )
    def test_bad_debtors(self, kwargs: dict[str, Any], match: str) -> None:
        args = {"id": "D", "first_name": "A", "last_name": "B", **kwargs}
        with pytest.raises(arrears.ValidationError, match=match):
            Debtor(**args)

    @pytest.mark.parametrize(
        ("make", "match"),
        [
            (lambda: Bankruptcy(9, D(2025, 1, 1)), "chapter: 9"),
            (lambda: Bankruptcy(7, D(2025, 1, 1), discharged_on=D(2024, 1, 1)), "discharged_on"),
            (lambda: AttorneyRepresentation(D(2025, 1, 1)), "name or a firm"),
            (lambda: MilitaryService(D(2025, 1, 1), until=D(2024, 1, 1)), "until"),
            (lambda: CeaseCommunication("", D(2025, 1, 1)), "account_id"),
            (lambda: MediumOptOut("call", datetime(2025, 1, 1)), "naive"),
        ],
    )
    def test_bad_flags(self, make: Any, match: str) -> None:
        with pytest.raises(arrears.ValidationError, match=match):
            make()

    def test_replace_and_with_contact_point(self) -> None:
        d = full()
        e = d.replace(first_name="Anna")
        assert (e.first_name, e.reveal_ssn()) == ("Anna", "123456789")
        assert d.first_name == "Ana"
        with pytest.raises(arrears.ValidationError, match="nickname is not a field"):
            d.replace(nickname="x")
        cell = d.phones[0].replace(status="good")
        f = d.with_contact_point(cell)
        assert len(f.phones) == 2 and f.phones[0].status == "good"
        g = d.with_contact_point(Phone("3035550100"))
        assert len(g.phones) == 3
        with pytest.raises(arrears.ValidationError, match="expected an Address, Phone or Email"):
            d.with_contact_point("3035550100")  # type: ignore[arg-type]

    def test_best_contact_point(self) -> None:
        d = full()
        assert d.best_contact_point("mail") == d.addresses[0]
        assert d.best_contact_point("call") == d.phones[0]  # the other phone is bad
        assert d.best_contact_point("text") == d.phones[0]
        assert d.best_contact_point("email") is None  # opted out of that address
        assert d.best_contact_point("email", as_of=at(2025, 4, 30)) == d.emails[0]
        stop = d.phones[0].replace(
            consents=[*d.phones[0].consents, ConsentRecord("text", False, at(2025, 6, 1))]
        )
        assert d.with_contact_point(stop).best_contact_point("text") is None
        with pytest.raises(arrears.ValidationError, match="channel 'fax'"):
            d.best_contact_point("fax")

    def test_round_trips(self) -> None:
        d = full()
        assert Debtor.from_json(d.to_json()) == d
        assert Debtor.from_dict(d.to_dict()) == d
        assert pickle.loads(pickle.dumps(d)) == d
        assert copy.deepcopy(d) == d
        assert hash(Debtor.from_json(d.to_json())) == hash(d)
        values: list[Any] = [
            *d.addresses, *d.phones, *d.emails, *d.bankruptcies, *d.attorneys,
            *d.military_service, *d.cease_communications, *d.opt_outs,
            *d.inconvenient_times, d.phones[0].consents[0], Deceased(D(2025, 1, 2), source="x"),
        ]  # fmt: skip
        for v in values:
            cls = type(v)
            assert cls.from_json(v.to_json()) == v, cls
            assert pickle.loads(pickle.dumps(v)) == v, cls
            assert hash(v) == hash(cls.from_dict(v.to_dict())), cls
        bad = d.to_dict()
        bad["phones"][0]["number"] = "12"
        with pytest.raises(arrears.ValidationError, match=r"\$\.phones\[0\]\.number"):
            Debtor.from_dict(bad)
        bad = d.to_dict()
        bad["nickname"] = "x"
        with pytest.raises(arrears.ValidationError, match=r"\$\.nickname"):
            Debtor.from_dict(bad)


class TestTimeZones:
    @pytest.mark.parametrize(
        ("state", "zip_code", "zones"),
        [
            ("NY", "10001", ["America/New_York"]),
            ("FL", "32501", ["America/Chicago"]),
            ("FL", "32301", ["America/New_York"]),
            ("TX", "79901", ["America/Denver"]),
            ("AZ", "85004", ["America/Phoenix"]),
            ("AZ", "86515", ["America/Denver", "America/Phoenix"]),
            ("IN", "46320", ["America/Chicago"]),
            ("FL", "", ["America/New_York", "America/Chicago"]),
            ("AP", "96201", []),
        ],
    )
    def test_address_zones(self, state: str, zip_code: str, zones: list[str]) -> None:
        assert time_zones_for_address(state, zip_code) == zones

    def test_area_codes_and_disagreement(self) -> None:
        assert time_zones_for_area_code("212") == ["America/New_York"]
        assert time_zones_for_area_code("800") == []
        assert possible_time_zones("FL", "32501", "212") == ["America/Chicago", "America/New_York"]
        assert full().possible_time_zones() == ["America/Chicago", "America/New_York"]

    def test_tables_are_exported_for_review(self) -> None:
        tables = time_zone_tables()
        assert {"states", "zips", "area_codes"} <= set(tables)
        fl = next(r for r in tables["states"] if r["state"] == "FL")
        assert fl["zones"][0] == "America/New_York"
        assert any(r["zip"] == "325" for r in tables["zips"])
        assert len(tables["area_codes"]) > 300
