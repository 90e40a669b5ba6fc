"""The arrears.metro2 contract: positions from the reference, encoding rules, validation rules,
the collection profile, the monthly file and the tolerant reader."""

from __future__ import annotations

import builtins
import datetime
import pickle
import random
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import arrears
from arrears import Money
from arrears import metro2 as m2
from arrears.errors import OverflowError as ArrearsOverflow
from arrears.errors import ValidationError

D = datetime.date
AS_OF = D(2024, 4, 30)

# Transcribed from ../shared/reference/metro2.md §2.2 (character format tables):
# (reference name, first position, last position, reference type).
REFERENCE_LAYOUTS: dict[str, list[tuple[str, int, int, str]]] = {
    "BaseSegment": [
        ("RecordDescriptorWord", 1, 4, "N"),
        ("ProcessingIndicator", 5, 5, "N"),
        ("TimeStamp", 6, 19, "timestamp"),
        ("CorrectionIndicator", 20, 20, "N"),
        ("IdentificationNumber", 21, 40, "AN"),
        ("CycleIdentifier", 41, 42, "AN"),
        ("ConsumerAccountNumber", 43, 72, "AN"),
        ("PortfolioType", 73, 73, "AN"),
        ("AccountType", 74, 75, "AN"),
        ("DateOpened", 76, 83, "date"),
        ("CreditLimit", 84, 92, "N"),
        ("HighestCredit", 93, 101, "N"),
        ("TermsDuration", 102, 104, "AN"),
        ("TermsFrequency", 105, 105, "AN"),
        ("ScheduledMonthlyPaymentAmount", 106, 114, "N"),
        ("ActualPaymentAmount", 115, 123, "N"),
        ("AccountStatus", 124, 125, "AN"),
        ("PaymentRating", 126, 126, "AN"),
        ("PaymentHistoryProfile", 127, 150, "AN"),
        ("SpecialComment", 151, 152, "AN"),
        ("ComplianceConditionCode", 153, 154, "AN"),
        ("CurrentBalance", 155, 163, "N"),
        ("AmountPastDue", 164, 172, "N"),
        ("OriginalChargeOffAmount", 173, 181, "N"),
        ("DateAccountInformation", 182, 189, "date"),
        ("DateFirstDelinquency", 190, 197, "date"),
        ("DateClosed", 198, 205, "date"),
        ("DateLastPayment", 206, 213, "date"),
        ("InterestTypeIndicator", 214, 214, "AN"),
        ("Reserved2", 215, 231, "AN"),
        ("Surname", 232, 256, "AN"),
        ("FirstName", 257, 276, "AN"),
        ("MiddleName", 277, 296, "AN"),
        ("GenerationCode", 297, 297, "AN"),
        ("SocialSecurityNumber", 298, 306, "N"),
        ("DateBirth", 307, 314, "date"),
        ("TelephoneNumber", 315, 324, "N"),
        ("ECOACode", 325, 325, "AN"),
        ("ConsumerInformationIndicator", 326, 327, "AN"),
        ("CountryCode", 328, 329, "AN"),
        ("FirstLineAddress", 330, 361, "AN"),
        ("SecondLineAddress", 362, 393, "AN"),
        ("City", 394, 413, "AN"),
        ("State", 414, 415, "AN"),
        ("ZipCode", 416, 424, "AN"),
        ("AddressIndicator", 425, 425, "AN"),
        ("ResidenceCode", 426, 426, "AN"),
    ],
    "HeaderRecord": [
        ("RecordDescriptorWord", 1, 4, "N"),
        ("RecordIdentifier", 5, 10, "AN"),
        ("CycleIdentifier", 11, 12, "AN"),
        ("InnovisProgramIdentifier", 13, 22, "AN"),
        ("EquifaxProgramIdentifier", 23, 32, "AN"),
        ("ExperianProgramIdentifier", 33, 37, "AN"),
        ("TransUnionProgramIdentifier", 38, 47, "AN"),
        ("ActivityDate", 48, 55, "date"),
        ("DateCreated", 56, 63, "date"),
        ("ProgramDate", 64, 71, "date"),
        ("ProgramRevisionDate", 72, 79, "date"),
        ("ReporterName", 80, 119, "AN"),
        ("ReporterAddress", 120, 215, "AN"),
        ("ReporterTelephoneNumber", 216, 225, "N"),
        ("SoftwareVendorName", 226, 265, "AN"),
        ("SoftwareVersionNumber", 266, 270, "AN"),
        ("PRBCProgramIdentifier", 271, 280, "AN"),
        ("Reserved", 281, 426, "AN"),
    ],
    "TrailerRecord": [
        ("RecordDescriptorWord", 1, 4, "N"),
        ("RecordIdentifier", 5, 11, "AN"),
        ("TotalBaseRecords", 12, 20, "N"),
        ("Reserved1", 21, 29, "AN"),
        ("TotalStatusCodeDF", 30, 38, "N"),
        ("TotalConsumerSegmentsJ1", 39, 47, "N"),
        ("TotalConsumerSegmentsJ2", 48, 56, "N"),
        ("BlockCount", 57, 65, "N"),
        ("TotalStatusCodeDA", 66, 74, "N"),
        ("TotalStatusCode05", 75, 83, "N"),
        ("TotalStatusCode11", 84, 92, "N"),
        ("TotalStatusCode13", 93, 101, "N"),
        ("TotalStatusCode61", 102, 110, "N"),
        ("TotalStatusCode62", 111, 119, "N"),
        ("TotalStatusCode63", 120, 128, "N"),
        ("TotalStatusCode64", 129, 137, "N"),
        ("TotalStatusCode65", 138, 146, "N"),
        ("TotalStatusCode71", 147, 155, "N"),
        ("TotalStatusCode78", 156, 164, "N"),
        ("TotalStatusCode80", 165, 173, "N"),
        ("TotalStatusCode82", 174, 182, "N"),
        ("TotalStatusCode83", 183, 191, "N"),
        ("TotalStatusCode84", 192, 200, "N"),
        ("TotalStatusCode88", 201, 209, "N"),
        ("TotalStatusCode89", 210, 218, "N"),
        ("TotalStatusCode93", 219, 227, "N"),
        ("TotalStatusCode94", 228, 236, "N"),
        ("TotalStatusCode95", 237, 245, "N"),
        ("TotalStatusCode96", 246, 254, "N"),
        ("TotalStatusCode97", 255, 263, "N"),
        ("TotalECOACodeZ", 264, 272, "N"),
        ("TotalEmploymentSegments", 273, 281, "N"),
        ("TotalOriginalCreditorSegments", 282, 290, "N"),
        ("TotalPurchasedToSegments", 291, 299, "N"),
        ("TotalMortgageInformationSegments", 300, 308, "N"),
        ("TotalPaymentInformationSegments", 309, 317, "N"),
        ("TotalChangeSegments", 318, 326, "N"),
        ("TotalSocialNumbersAllSegments", 327, 335, "N"),
        ("TotalSocialNumbersBaseSegments", 336, 344, "N"),
        ("TotalSocialNumbersJ1Segments", 345, 353, "N"),
        ("TotalSocialNumbersJ2Segments", 354, 362, "N"),
        ("TotalDatesBirthAllSegments", 363, 371, "N"),
        ("TotalDatesBirthBaseSegments", 372, 380, "N"),
        ("TotalDatesBirthJ1Segments", 381, 389, "N"),
        ("TotalDatesBirthJ2Segments", 390, 398, "N"),
        ("TotalTelephoneNumbersAllSegments", 399, 407, "N"),
        ("Reserved2", 408, 426, "N"),
    ],
    "J1Segment": [
        ("SegmentIdentifier", 1, 2, "AN"),
        ("Reserved1", 3, 3, "AN"),
        ("Surname", 4, 28, "AN"),
        ("FirstName", 29, 48, "AN"),
        ("MiddleName", 49, 68, "AN"),
        ("GenerationCode", 69, 69, "AN"),
        ("SocialSecurityNumber", 70, 78, "N"),
        ("DateBirth", 79, 86, "date"),
        ("TelephoneNumber", 87, 96, "N"),
        ("ECOACode", 97, 97, "AN"),
        ("ConsumerInformationIndicator", 98, 99, "AN"),
        ("Reserved2", 100, 100, "AN"),
    ],
    "J2Segment": [
        ("SegmentIdentifier", 1, 2, "AN"),
        ("Reserved1", 3, 3, "AN"),
        ("Surname", 4, 28, "AN"),
        ("FirstName", 29, 48, "AN"),
        ("MiddleName", 49, 68, "AN"),
        ("GenerationCode", 69, 69, "AN"),
        ("SocialSecurityNumber", 70, 78, "N"),
        ("DateBirth", 79, 86, "date"),
        ("TelephoneNumber", 87, 96, "N"),
        ("ECOACode", 97, 97, "AN"),
        ("ConsumerInformationIndicator", 98, 99, "AN"),
        ("CountryCode", 100, 101, "AN"),
        ("FirstLineAddress", 102, 133, "AN"),
        ("SecondLineAddress", 134, 165, "AN"),
        ("City", 166, 185, "AN"),
        ("State", 186, 187, "AN"),
        ("ZipCode", 188, 196, "AN"),
        ("AddressIndicator", 197, 197, "AN"),
        ("ResidenceCode", 198, 198, "AN"),
        ("Reserved2", 199, 200, "AN"),
    ],
    "K1Segment": [
        ("SegmentIdentifier", 1, 2, "AN"),
        ("OriginalCreditorName", 3, 32, "AN"),
        ("CreditorClassification", 33, 34, "N"),
    ],
    "K2Segment": [
        ("SegmentIdentifier", 1, 2, "AN"),
        ("PurchasedIndicator", 3, 3, "N"),
        ("PurchasedName", 4, 33, "AN"),
        ("Reserved", 34, 34, "AN"),
    ],
    "K3Segment": [
        ("SegmentIdentifier", 1, 2, "AN"),
        ("AgencyIdentifier", 3, 4, "N"),
        ("AccountNumber", 5, 22, "AN"),
        ("MortgageIdentificationNumber", 23, 40, "AN"),
    ],
    "K4Segment": [
        ("SegmentIdentifier", 1, 2, "AN"),
        ("SpecializedPaymentIndicator", 3, 4, "N"),
        ("DeferredPaymentStartDate", 5, 12, "date"),
        ("BalloonPaymentDueDate", 13, 20, "date"),
        ("BalloonPaymentAmount", 21, 29, "N"),
        ("Reserved", 30, 30, "AN"),
    ],
    "L1Segment": [
        ("SegmentIdentifier", 1, 2, "AN"),
        ("ChangeIndicator", 3, 3, "N"),
        ("NewConsumerAccountNumber", 4, 33, "AN"),
        ("NewIdentificationNumber", 34, 53, "AN"),
        ("Reserved", 54, 54, "AN"),
    ],
    "N1Segment": [
        ("SegmentIdentifier", 1, 2, "AN"),
        ("EmployerName", 3, 32, "AN"),
        ("FirstLineEmployerAddress", 33, 64, "AN"),
        ("SecondLineEmployerAddress", 65, 96, "AN"),
        ("EmployerCity", 97, 116, "AN"),
        ("EmployerState", 117, 118, "AN"),
        ("ZipCode", 119, 127, "AN"),
        ("Occupation", 128, 145, "AN"),
        ("Reserved", 146, 146, "AN"),
    ],
}

SEGMENTS = {
    "HeaderRecord": m2.HeaderRecord,
    "BaseSegment": m2.BaseSegment,
    "TrailerRecord": m2.TrailerRecord,
    "J1Segment": m2.J1Segment,
    "J2Segment": m2.J2Segment,
    "K1Segment": m2.K1Segment,
    "K2Segment": m2.K2Segment,
    "K3Segment": m2.K3Segment,
    "K4Segment": m2.K4Segment,
    "L1Segment": m2.L1Segment,
    "N1Segment": m2.N1Segment,
}
REFERENCE_LENGTHS = {
    "HeaderRecord": 426,
    "BaseSegment": 426,
    "TrailerRecord": 426,
    "J1Segment": 100,
    "J2Segment": 200,
    "K1Segment": 34,
    "K2Segment": 34,
    "K3Segment": 40,
    "K4Segment": 30,
    "L1Segment": 54,
    "N1Segment": 146,
}
TYPES_FOR_REFERENCE = {
    "AN": {"alphanumeric", "identifier", "reserved"},
    "N": {"digits", "count", "money", "rdw"},
    "date": {"date"},
    "timestamp": {"timestamp"},
}
UTC = datetime.timezone.utc


def value_fields(cls: Any) -> list[Any]:
    return [f for f in cls.layout() if f.type not in ("rdw", "identifier", "reserved")]


# ---- positions -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(SEGMENTS))
def test_layout_matches_the_reference_table(name: str) -> None:
    cls = SEGMENTS[name]
    ours = {f.reference_name: f for f in cls.layout()}
    reference = REFERENCE_LAYOUTS[name]
    assert sorted(ours) == sorted(r[0] for r in reference)
    for ref_name, start, end, ref_type in reference:
        f = ours[ref_name]
        assert (f.start, f.end, f.length) == (start, end, end - start + 1), ref_name
        if name == "TrailerRecord" and ref_name == "Reserved2":
            # moov marks it N but blank-fills it; the reference says: blank-fill reserved fields
            assert f.type == "reserved"
        else:
            assert f.type in TYPES_FOR_REFERENCE[ref_type], ref_name
    assert cls.length == REFERENCE_LENGTHS[name]
    assert len(cls().encode()) == REFERENCE_LENGTHS[name]


def _sample(f: Any) -> tuple[Any, str]:
    """A value for the field and the text the reference says it encodes to."""
    if f.type == "alphanumeric":
        return "X" * f.length, "X" * f.length
    if f.type == "digits":
        return "7" * f.length, "7" * f.length
    if f.type in ("count", "money"):
        return 10**f.length - 1, "9" * f.length
    if f.type == "date":
        return D(2031, 12, 25), "12252031"
    return datetime.datetime(2031, 12, 25, 23, 59, 58, tzinfo=UTC), "12252031235958"


@pytest.mark.parametrize("name", sorted(SEGMENTS))
def test_every_field_encodes_at_its_positions(name: str) -> None:
    cls = SEGMENTS[name]
    blank = cls().encode()
    for f in value_fields(cls):
        value, text = _sample(f)
        encoded = cls(**{f.name: value}).encode()
        assert encoded[f.start - 1 : f.end] == text, f.name
        assert encoded[: f.start - 1] == blank[: f.start - 1], f.name
        assert encoded[f.end :] == blank[f.end :], f.name


def test_identifiers_and_rdw() -> None:
    assert m2.HeaderRecord().encode()[:10] == "0426HEADER"
    assert m2.TrailerRecord().encode()[:11] == "0426TRAILER"
    assert m2.BaseSegment().encode()[:5] == "04261"  # RDW, Processing Indicator "1"
    for seg in ("J1", "J2", "K1", "K2", "K3", "K4", "L1", "N1"):
        assert SEGMENTS[f"{seg}Segment"]().encode()[:2] == seg


def test_the_reference_sample_trailer_counts() -> None:
    # reference §2.6: moov's sample data record (base + J1 + J2 + K3 + L1 + N1, status 62) and
    # the trailer counts listed for it.
    consumer = {"social_security_number": "159328759", "date_of_birth": D(1972, 3, 18)}
    record = m2.DataRecord(
        m2.BaseSegment(account_status="62", telephone_number="5175555555", **consumer),
        j1=[m2.J1Segment(surname="SMITH", telephone_number="5175555555", **consumer)],
        j2=[m2.J2Segment(surname="SMITH", telephone_number="5175555555", **consumer)],
        k3=m2.K3Segment(agency_identifier="01"),
        l1=m2.L1Segment(change_indicator="1", new_consumer_account_number="N1"),
        n1=m2.N1Segment(employer_name="ACME"),
    )
    assert record.length == 426 + 100 + 200 + 40 + 54 + 146
    t = m2.compute_trailer([record])
    nonzero = {k: v for k, v in t.to_dict().items() if v}
    assert nonzero == {
        "total_base_records": 1,
        "total_consumer_segments_j1": 1,
        "total_consumer_segments_j2": 1,
        "block_count": 3,
        "total_status_code_62": 1,
        "total_employment_segments": 1,
        "total_mortgage_information_segments": 1,
        "total_change_segments": 1,
        "total_social_security_numbers_all_segments": 3,
        "total_social_security_numbers_base_segments": 1,
        "total_social_security_numbers_j1_segments": 1,
        "total_social_security_numbers_j2_segments": 1,
        "total_dates_of_birth_all_segments": 3,
        "total_dates_of_birth_base_segments": 1,
        "total_dates_of_birth_j1_segments": 1,
        "total_dates_of_birth_j2_segments": 1,
        "total_telephone_numbers_all_segments": 3,
    }


# ---- construction and encoding rules ---------------------------------------------------------


def test_alphanumeric_left_justified_numeric_right_justified() -> None:
    b = m2.BaseSegment(surname="SMITH", current_balance=1234, social_security_number="12345678")
    text = b.encode()
    assert text[231:256] == "SMITH" + " " * 20
    assert text[154:163] == "000001234"
    assert text[297:306] == "012345678"  # N: right-justified, zero-filled
    assert b.social_security_number == "012345678"
    assert text[75:83] == "00000000"  # no date: zeros
    assert b.date_opened is None
    assert m2.BaseSegment(date_opened=D(2019, 11, 22)).encode()[75:83] == "11222019"
    assert m2.K1Segment(creditor_classification=2).creditor_classification == "02"


def test_keyword_fields_are_checked() -> None:
    with pytest.raises(ValidationError, match=r"'surnam' is not a field \(did you mean 'surname'"):
        m2.BaseSegment(surnam="X")
    with pytest.raises(TypeError):
        m2.BaseSegment("X")  # type: ignore[misc]
    with pytest.raises(ValidationError, match="surname: expected a str, got 5"):
        m2.BaseSegment(surname=5)  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="float"):
        m2.BaseSegment(current_balance=12.5)  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="expected an int"):
        m2.TrailerRecord(total_base_records="3")  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="datetime"):
        m2.BaseSegment(date_opened=datetime.datetime(2020, 1, 1))
    with pytest.raises(ValidationError, match="naive"):
        m2.BaseSegment(time_stamp=datetime.datetime(2020, 1, 1))
    with pytest.raises(ValidationError, match="rounding"):
        m2.BaseSegment(current_balance=Money("1.50"), rounding="sideways")


@pytest.mark.parametrize(
    ("field", "value", "holds"),
    [
        ("surname", "A" * 26, "holds 25"),
        ("state", "ILL", "holds 2"),
        ("zip_code", "1234567890", "holds 9"),
        ("payment_history_profile", "B" * 25, "holds 24"),
        ("consumer_account_number", "9" * 31, "holds 30"),
        ("telephone_number", "12345678901", "holds 10"),
    ],
)
def test_over_long_values_are_errors_not_truncations(field: str, value: str, holds: str) -> None:
    with pytest.raises(ValidationError, match=holds):
        m2.BaseSegment(**{field: value})


@pytest.mark.parametrize(
    ("cls", "field", "value"),
    [
        (m2.BaseSegment, "current_balance", 1_000_000_000),
        (m2.BaseSegment, "credit_limit", 10**30),
        (m2.BaseSegment, "amount_past_due", Money("1000000000.00")),
        (m2.TrailerRecord, "total_base_records", 1_000_000_000),
        (m2.K4Segment, "balloon_payment_amount", 10**9),
    ],
)
def test_numbers_that_do_not_fit_raise_overflow(cls: Any, field: str, value: Any) -> None:
    with pytest.raises(ArrearsOverflow, match=field):
        cls(**{field: value})
    with pytest.raises(builtins.OverflowError):
        cls(**{field: value})
    cls(**{field: 999_999_999})  # the largest nine-digit value fits


def test_text_must_be_printable_ascii() -> None:
    for bad in ("MONTRÉAL", "A\nB", "TAB\tX"):
        with pytest.raises(ValidationError, match="printable ASCII"):
            m2.BaseSegment(city=bad)
    with pytest.raises(ValidationError, match="digits only"):
        m2.BaseSegment(telephone_number="555-123-4567")


def test_money_is_whole_dollars_with_a_named_policy() -> None:
    assert m2.BaseSegment(current_balance=Money("1234.99")).current_balance == 1234
    assert m2.BaseSegment(current_balance=Decimal("1234.99")).current_balance == 1234
    assert m2.BaseSegment(current_balance="1234.50", rounding="half_up").current_balance == 1235
    assert m2.BaseSegment(current_balance=Money("-25.00")).current_balance == 0
    assert m2.BaseSegment(current_balance=-25).current_balance == 0  # credit balance -> 0
    assert m2.whole_dollars(Money("0.99")) == 0
    assert m2.whole_dollars("10.01", rounding="ceiling") == 11
    with pytest.raises(ValidationError, match="USD"):
        m2.BaseSegment(current_balance=Money("5", "EUR"))


def test_values_are_immutable_with_replace() -> None:
    b = m2.BaseSegment(surname="SMITH")
    with pytest.raises(AttributeError):
        b.surname = "JONES"  # type: ignore[misc]
    c = b.replace(surname="JONES", first_name="ANN")
    assert (b.surname, c.surname, c.first_name) == ("SMITH", "JONES", "ANN")
    with pytest.raises(ValidationError):
        b.replace(surname="A" * 30)
    assert b.surname == "SMITH"


def test_equality_hash_pickle_and_to_dict() -> None:
    a = m2.BaseSegment(surname="SMITH", current_balance=10)
    b = m2.BaseSegment(current_balance=10, surname="SMITH")
    assert a == b and hash(a) == hash(b)
    assert a != a.replace(current_balance=11)
    assert a != "SMITH"
    assert pickle.loads(pickle.dumps(a)) == a
    assert a.__getstate__()[0] == 1  # versioned state
    d = a.to_dict()
    assert d["surname"] == "SMITH" and d["current_balance"] == 10 and d["date_opened"] is None
    record = m2.DataRecord(
        a, j1=[m2.J1Segment(surname="X")], k1=m2.K1Segment(creditor_classification="02")
    )
    assert pickle.loads(pickle.dumps(record)) == record
    assert hash(record) == hash(m2.DataRecord.decode(record.encode()))
    p = m2.Metro2Problem("surname", "required", "surname: is required")
    assert pickle.loads(pickle.dumps(p)) == p and p.line is None
    profile = m2.Metro2Profile("AGENCY01", excluded_debt_types=["medical"])
    assert pickle.loads(pickle.dumps(profile)) == profile and hash(profile) == hash(
        m2.Metro2Profile("AGENCY01", excluded_debt_types=["medical"])
    )
    ex = m2.Metro2Exclusion("A1", "obsolete", "too old")
    assert pickle.loads(pickle.dumps(ex)) == ex


def test_ssn_and_date_of_birth_are_masked() -> None:
    b = m2.BaseSegment(social_security_number="123456789", date_of_birth=D(1980, 5, 1))
    assert "123456789" not in repr(b) and "1980" not in repr(b)
    assert "social_security_number=<masked>" in repr(b)
    assert "123456789" not in b._repr_html_()
    record = m2.DataRecord(b, j1=[m2.J1Segment(social_security_number="987654321")])
    assert "987654321" not in repr(record)
    for bad in ("1234567890", "12345678X"):
        with pytest.raises(ValidationError) as err:
            m2.BaseSegment(social_security_number=bad)
        assert bad not in str(err.value)
    with pytest.raises(ValidationError) as err:
        m2.BaseSegment(date_of_birth="1980-05-01")  # type: ignore[arg-type]
    assert "1980" not in str(err.value)
    leaky = b.replace(consumer_account_number="A123-45-6789")
    assert "6789" not in repr(leaky)
    assert "ssn_in_account_number" in {p.code for p in leaky.validate()}
    assert all("6789" not in p.message for p in leaky.validate())
    text = b.encode()
    bad_line = text[:297] + "12345678X" + text[306:]
    with pytest.raises(ValidationError) as err:
        m2.BaseSegment.decode(bad_line)
    assert "12345678X" not in str(err.value) and "298-306" in str(err.value)


def test_decode_is_strict() -> None:
    b = m2.BaseSegment(surname="SMITH")
    assert m2.BaseSegment.decode(b.encode()) == b
    with pytest.raises(ValidationError, match="426"):
        m2.BaseSegment.decode(b.encode()[:-1])
    with pytest.raises(ValidationError, match="segment_identifier"):
        m2.J1Segment.decode("J2" + " " * 98)
    with pytest.raises(ValidationError, match="date_opened"):
        m2.BaseSegment.decode(b.encode()[:75] + "02302020" + b.encode()[83:])


# ---- round trips (hypothesis) ----------------------------------------------------------------

_PRINTABLE = st.characters(min_codepoint=0x20, max_codepoint=0x7E)


def _value(f: Any) -> st.SearchStrategy[Any]:
    if f.type == "alphanumeric":
        return st.text(_PRINTABLE, max_size=f.length).map(str.rstrip)
    if f.type == "digits":
        return st.text("0123456789", min_size=f.length, max_size=f.length)
    if f.type in ("count", "money"):
        return st.integers(0, 10**f.length - 1)
    if f.type == "date":
        return st.none() | st.dates(D(1, 1, 1), D(9999, 12, 31))
    return st.none() | st.datetimes(
        datetime.datetime(1, 1, 2), datetime.datetime(9999, 12, 30), timezones=st.just(UTC)
    ).map(lambda t: t.replace(microsecond=0))


def _fields(cls: Any) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries({f.name: _value(f) for f in value_fields(cls)})


@pytest.mark.parametrize("name", sorted(SEGMENTS))
@given(data=st.data())
def test_segments_round_trip(name: str, data: st.DataObject) -> None:
    cls = SEGMENTS[name]
    values = data.draw(_fields(cls))
    seg = cls(**values)
    text = seg.encode()
    assert len(text) == cls.length
    again = cls.decode(text)
    assert again == seg
    for key, value in values.items():
        assert getattr(again, key) == value, key
    assert again.encode() == text


@given(
    base=_fields(m2.BaseSegment),
    j1=st.lists(_fields(m2.J1Segment), max_size=3),
    j2=st.lists(_fields(m2.J2Segment), max_size=2),
    k1=st.none() | _fields(m2.K1Segment),
    k2=st.none() | _fields(m2.K2Segment),
    k3=st.none() | _fields(m2.K3Segment),
    k4=st.none() | _fields(m2.K4Segment),
    l1=st.none() | _fields(m2.L1Segment),
    n1=st.none() | _fields(m2.N1Segment),
)
def test_data_records_round_trip(**parts: Any) -> None:
    record = m2.DataRecord(
        m2.BaseSegment(**parts["base"]),
        j1=[m2.J1Segment(**v) for v in parts["j1"]],
        j2=[m2.J2Segment(**v) for v in parts["j2"]],
        **{
            k: (None if parts[k] is None else SEGMENTS[k.upper() + "Segment"](**parts[k]))
            for k in ("k1", "k2", "k3", "k4", "l1", "n1")
        },
    )
    text = record.encode()
    assert len(text) == record.length
    assert int(text[:4]) == record.length  # the RDW
    assert m2.DataRecord.decode(text) == record


# ---- validation ------------------------------------------------------------------------------


def valid_base(**changes: Any) -> m2.BaseSegment:
    fields: dict[str, Any] = dict(
        identification_number="AGENCY01",
        consumer_account_number="C100234",
        portfolio_type="O",
        account_type="48",
        date_opened=D(2023, 1, 15),
        highest_credit=1500,
        terms_duration="001",
        account_status="93",
        payment_history_profile="GG" + "B" * 22,
        current_balance=1234,
        amount_past_due=1234,
        date_of_account_information=AS_OF,
        date_of_first_delinquency=D(2023, 8, 14),
        surname="OBRIEN",
        first_name="MARY",
        social_security_number="123456789",
        date_of_birth=D(1980, 5, 1),
        ecoa_code="1",
        first_line_of_address="12 MAIN ST",
        city="SPRINGFIELD",
        state="IL",
        zip_code="62701",
    )
    fields.update(changes)
    return m2.BaseSegment(**fields)


def codes(problems: list[m2.Metro2Problem]) -> set[str]:
    return {p.code for p in problems}


def test_the_valid_fixture_is_valid() -> None:
    assert valid_base().validate(AS_OF) == []


NO_DOFD = {"date_of_first_delinquency": None}
RULES: list[tuple[str, dict[str, Any], str, dict[str, Any]]] = [
    # (rule, change that breaks it, expected code, nearby change that is fine)
    (
        "rating with 05/13/65/88/89/94/95",
        {"account_status": "13", "current_balance": 0, "amount_past_due": 0, **NO_DOFD},
        "payment_rating_required",
        {
            "account_status": "13",
            "payment_rating": "0",
            "current_balance": 0,
            "amount_past_due": 0,
            **NO_DOFD,
        },
    ),
    ("no rating with other statuses", {"payment_rating": "G"}, "payment_rating_not_allowed", {}),
    (
        "DOFD with 61-65, 71-84, 88-89, 93-97",
        NO_DOFD,
        "date_of_first_delinquency_required",
        {"date_of_first_delinquency": D(2023, 1, 1)},
    ),
    (
        "no DOFD on a current account",
        {"account_status": "11", "amount_past_due": 0},
        "date_of_first_delinquency_not_allowed",
        {"account_status": "11", "amount_past_due": 0, **NO_DOFD},
    ),
    (
        "status 11 has nothing past due",
        {"account_status": "11", **NO_DOFD},
        "amount_past_due_not_zero",
        {"account_status": "11", "amount_past_due": 0, **NO_DOFD},
    ),
    (
        "statuses 71-84 have something past due",
        {"account_status": "84", "amount_past_due": 0},
        "amount_past_due_required",
        {"account_status": "84", "amount_past_due": 600},
    ),
    (
        "statuses 13, 61-65 have a zero balance",
        {"account_status": "62"},
        "current_balance_not_zero",
        {"account_status": "62", "current_balance": 0, "amount_past_due": 0},
    ),
    (
        "past due never above the balance",
        {"amount_past_due": 1235},
        "amount_past_due_exceeds_balance",
        {"amount_past_due": 1200},
    ),
    (
        "24 months of history",
        {"payment_history_profile": "G" * 23},
        "invalid_payment_history",
        {"payment_history_profile": "G" * 24},
    ),
    (
        "history values",
        {"payment_history_profile": "GZ" + "B" * 22},
        "invalid_payment_history",
        {"payment_history_profile": "GD" + "B" * 22},
    ),
    (
        "no embedded B",
        {"payment_history_profile": "GBG" + "B" * 21},
        "embedded_b",
        {"payment_history_profile": "GGG" + "B" * 21},
    ),
    (
        "SSN or date of birth",
        {"social_security_number": "000000000", "date_of_birth": None},
        "ssn_or_dob_required",
        {"social_security_number": "000000000"},
    ),
    ("ECOA codes", {"ecoa_code": "0"}, "obsolete_code", {"ecoa_code": "7"}),
    ("ECOA code set", {"ecoa_code": "Q"}, "invalid_code", {"ecoa_code": "W"}),
    (
        "dates not in the future",
        {"date_of_last_payment": D(2024, 5, 1)},
        "future_date",
        {"date_of_last_payment": D(2024, 4, 29)},
    ),
    ("date opened required", {"date_opened": None}, "required", {"date_closed": None}),
]


@pytest.mark.parametrize(("rule", "breaks", "code", "passes"), RULES, ids=[r[0] for r in RULES])
def test_validation_rules(
    rule: str, breaks: dict[str, Any], code: str, passes: dict[str, Any]
) -> None:
    bad = valid_base(**breaks).validate(AS_OF)
    assert code in codes(bad), rule
    problem = next(p for p in bad if p.code == code)
    assert problem.message.startswith(problem.field + ": ")
    assert problem.line is None
    assert valid_base(**passes).validate(AS_OF) == [], rule


def test_validate_without_an_as_of_date_uses_the_account_information_date() -> None:
    assert valid_base().validate() == []
    assert "after_date_of_account_information" in codes(
        valid_base(date_of_last_payment=D(2024, 5, 2)).validate()
    )


def test_header_rules() -> None:
    header = m2.HeaderRecord(
        reporter_name="ACME",
        reporter_address="1 FIRST ST",
        activity_date=AS_OF,
        date_created=D(2024, 5, 1),
        transunion_program_identifier="TU1",
    )
    assert header.validate() == []
    assert "future_date" in codes(header.replace(activity_date=D(2024, 5, 2)).validate())
    assert "program_identifier_required" in codes(
        header.replace(transunion_program_identifier="").validate()
    )
    assert "required" in codes(m2.HeaderRecord().validate())


def test_record_rules_use_field_paths() -> None:
    record = m2.DataRecord(
        valid_base(),
        j2=[m2.J2Segment(surname="SMITH", ecoa_code="4")],
        k1=m2.K1Segment(original_creditor_name="MERCY", creditor_classification="02"),
    )
    fields = {p.field: p.code for p in record.validate(AS_OF)}
    assert fields["j2[0].ecoa_code"] == "obsolete_code"
    assert fields["j2[0].first_line_of_address"] == "required"
    assert "original_creditor_required" in codes(record.replace(k1=None).validate(AS_OF))


# ---- collection profile ----------------------------------------------------------------------

PROFILE = m2.Metro2Profile(identification_number="AGENCY01")


def facts(**changes: Any) -> dict[str, Any]:
    f: dict[str, Any] = {
        "account_number": "C100234",
        "date_opened": D(2023, 1, 15),
        "date_placed": D(2024, 3, 1),
        "date_of_first_delinquency": D(2023, 8, 14),
        "original_amount": Money("1500.00"),
        "current_balance": Money("1234.56"),
        "original_creditor_name": "Mercy Hospital",
        "creditor_classification": "02",
        "earliest_furnishing_date": D(2024, 4, 1),
        "consumers": [
            {
                "surname": "O'Brien",
                "first_name": "Mary",
                "social_security_number": "123456789",
                "date_of_birth": D(1980, 5, 1),
                "first_line_of_address": "12 Main St",
                "city": "Springfield",
                "state": "IL",
                "zip_code": "62701",
            }
        ],
    }
    f.update(changes)
    return f


def test_an_unpaid_collection_becomes_status_93_with_k1() -> None:
    r = m2.to_record(facts(), PROFILE, AS_OF)
    assert isinstance(r, m2.DataRecord)
    b = r.base
    assert (b.account_status, b.payment_rating, b.portfolio_type, b.account_type) == (
        "93",
        "",
        "O",
        "48",
    )
    assert (b.current_balance, b.amount_past_due, b.highest_credit) == (1234, 1234, 1500)
    assert b.date_of_first_delinquency == D(2023, 8, 14)  # passed through, not re-aged
    assert b.date_of_account_information == AS_OF
    assert b.surname == "OBRIEN"
    assert r.k1 is not None and r.k1.original_creditor_name == "MERCY HOSPITAL"
    assert r.validate(AS_OF) == []


@pytest.mark.parametrize(
    ("changes", "status", "comment"),
    [
        ({"state": "paid", "date_paid": D(2024, 4, 20)}, "62", ""),
        ({"state": "settled", "date_paid": D(2024, 4, 20)}, "62", "AU"),
        ({"state": "deleted", "previously_reported": True}, "DA", ""),
    ],
)
def test_paid_settled_deleted(changes: dict[str, Any], status: str, comment: str) -> None:
    r = m2.to_record(facts(**changes), PROFILE, AS_OF)
    assert isinstance(r, m2.DataRecord), r
    assert (r.base.account_status, r.base.special_comment) == (status, comment)


@pytest.mark.parametrize(
    ("dispute", "last", "ccc"),
    [
        ("none", "", ""),
        ("open", "", "XB"),
        ("resolved", "XB", "XH"),
        ("resolved_disagrees", "XB", "XC"),
        ("withdrawn", "XB", "XR"),
        ("none", "XB", "XR"),
    ],
)
def test_compliance_condition_codes(dispute: str, last: str, ccc: str) -> None:
    r = m2.to_record(
        facts(dispute=dispute, last_reported_compliance_condition_code=last), PROFILE, AS_OF
    )
    assert isinstance(r, m2.DataRecord)
    assert r.base.compliance_condition_code == ccc


def test_cosigners_become_j1_and_j2() -> None:
    consumers = facts()["consumers"] + [
        {
            "surname": "OBrien",
            "first_name": "John",
            "ecoa_code": "2",
            "date_of_birth": D(1979, 1, 1),
        },
        {
            "surname": "Smith",
            "first_name": "Ann",
            "ecoa_code": "5",
            "social_security_number": "987654321",
            "first_line_of_address": "9 Oak Ave",
            "city": "Peoria",
            "state": "IL",
            "zip_code": "61602",
        },
    ]
    r = m2.to_record(facts(consumers=consumers), PROFILE, AS_OF)
    assert isinstance(r, m2.DataRecord)
    assert [j.ecoa_code for j in r.j1] == ["2"]
    assert [j.ecoa_code for j in r.j2] == ["5"]


def test_debt_buyer_reports_k2() -> None:
    buyer = m2.Metro2Profile("BUYER001", account_type="0C")
    r = m2.to_record(facts(purchased_from="Big Bank"), buyer, AS_OF)
    assert isinstance(r, m2.DataRecord)
    assert r.k2 is not None and (r.k2.purchased_indicator, r.k2.purchased_name) == ("1", "BIG BANK")


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"earliest_furnishing_date": D(2024, 5, 15)}, "passive_collection_period"),
        ({"earliest_furnishing_date": None}, "no_earliest_furnishing_date"),
        (
            {"debt_type": "medical", "client_excluded_debt_types": ["medical"]},
            "client_excluded_debt_type",
        ),
        ({"date_of_first_delinquency": None}, "missing_facts"),
        ({"last_reported_date_of_first_delinquency": D(2023, 9, 1)}, "re_aged"),
        ({"date_of_first_delinquency": D(2016, 11, 1), "date_placed": None}, "obsolete"),
        ({"state": "deleted"}, "not_previously_reported"),
        ({"current_balance": "0.99"}, "invalid_facts"),
    ],
)
def test_accounts_left_out_with_a_reason(changes: dict[str, Any], code: str) -> None:
    out = m2.to_record(facts(**changes), PROFILE, AS_OF)
    assert isinstance(out, m2.Metro2Exclusion), out
    assert (out.account_number, out.code) == ("C100234", code)


def test_profile_level_exclusions_and_checks() -> None:
    no_medical = m2.Metro2Profile("AGENCY01", excluded_debt_types=["medical"])
    out = m2.to_record(facts(debt_type="medical"), no_medical, AS_OF)
    assert isinstance(out, m2.Metro2Exclusion) and out.code == "excluded_debt_type"
    with pytest.raises(ValidationError, match=r"profile\.identification_number"):
        m2.Metro2Profile("AB")
    with pytest.raises(ValidationError, match=r"profile\.portfolio_type"):
        m2.Metro2Profile("AGENCY01", portfolio_type="Z")
    with pytest.raises(ValidationError, match="rounding"):
        m2.Metro2Profile("AGENCY01", rounding="nearest")


def test_facts_input_is_checked() -> None:
    assert isinstance(m2.to_record(facts(current_balance=1234), PROFILE, AS_OF), m2.DataRecord)
    assert isinstance(
        m2.to_record(facts(current_balance=Decimal("1234.56")), PROFILE, AS_OF), m2.DataRecord
    )
    with pytest.raises(ValidationError, match=r"\$.current_balance.*float"):
        m2.to_record(facts(current_balance=12.5), PROFILE, AS_OF)
    with pytest.raises(ValidationError, match=r"\$.balance: unknown field"):
        m2.to_record(facts(balance="1"), PROFILE, AS_OF)
    with pytest.raises(ValidationError, match=r"\$.state"):
        m2.to_record(facts(state="open"), PROFILE, AS_OF)
    bad = facts()
    bad["consumers"] = [dict(bad["consumers"][0], social_security_number="12345678Z")]
    with pytest.raises(ValidationError) as err:
        m2.to_record(bad, PROFILE, AS_OF)
    assert "12345678Z" not in str(err.value)
    assert "consumers[0].social_security_number" in str(err.value)
    with pytest.raises(ValidationError, match=r"\$\[1\].account_number"):
        m2.build_records([facts(), {"state": "paid"}], PROFILE, AS_OF)


def test_build_records_keeps_order_and_splits_exclusions() -> None:
    many = [facts(account_number=f"C{i}") for i in range(50)]
    many[10] = facts(account_number="C10", earliest_furnishing_date=D(2024, 6, 1))
    records, excluded = m2.build_records(iter(many), PROFILE, AS_OF, threads=2)
    assert [r.base.consumer_account_number for r in records] == [
        f"C{i}" for i in range(50) if i != 10
    ]
    assert [(e.account_number, e.code) for e in excluded] == [("C10", "passive_collection_period")]


# ---- files -----------------------------------------------------------------------------------

HEADER = m2.HeaderRecord(
    reporter_name="ACME COLLECTIONS",
    reporter_address="1 FIRST ST CHICAGO IL 60601",
    activity_date=AS_OF,
    date_created=D(2024, 5, 1),
    equifax_program_identifier="EQ12345",
    experian_program_identifier="EX123",
)


def random_facts(rng: random.Random, i: int) -> dict[str, Any]:
    dofd = D(2019, 1, 1) + datetime.timedelta(days=rng.randrange(0, 1600))
    state = rng.choice(["unpaid"] * 6 + ["paid", "settled", "deleted"])
    consumers = [
        {
            "surname": rng.choice(["SMITH", "GARCIA", "NGUYEN", "O'NEIL", "VAN DYKE"]),
            "first_name": rng.choice(["ANA", "JOSE", "MARY", "LI"]),
            "social_security_number": rng.choice(["", f"{rng.randrange(1, 10**9):09d}"]),
            "date_of_birth": D(1950, 1, 1) + datetime.timedelta(days=rng.randrange(0, 18000)),
            "telephone_number": rng.choice(["", "2175551234"]),
            "first_line_of_address": f"{rng.randrange(1, 9999)} MAIN ST",
            "city": "SPRINGFIELD",
            "state": rng.choice(["IL", "TX", "CA", "NY"]),
            "zip_code": rng.choice(["62701", "627011234"]),
        }
    ]
    if rng.random() < 0.2:
        consumers.append(
            {
                "surname": "SMITH",
                "first_name": "JO",
                "ecoa_code": "2",
                "date_of_birth": D(1970, 1, 1),
            }
        )
    if rng.random() < 0.1:
        consumers.append(
            {
                "surname": "ROE",
                "first_name": "AL",
                "ecoa_code": "5",
                "social_security_number": "555443333",
                "first_line_of_address": "1 ELM",
                "city": "AUSTIN",
                "state": "TX",
                "zip_code": "73301",
            }
        )
    return {
        "account_number": f"C{i:07d}",
        "state": state,
        "previously_reported": True,
        "date_opened": dofd - datetime.timedelta(days=120),
        "date_placed": dofd + datetime.timedelta(days=200),
        "date_of_first_delinquency": dofd,
        "date_paid": AS_OF - datetime.timedelta(days=rng.randrange(0, 25)),
        "original_amount": Money(f"{rng.randrange(100, 9000)}.{rng.randrange(100):02d}"),
        "current_balance": Money(f"{rng.randrange(25, 9000)}.{rng.randrange(100):02d}"),
        "dispute": rng.choice(["none"] * 8 + ["open", "resolved"]),
        "original_creditor_name": rng.choice(["MERCY HOSPITAL", "CITY UTILITIES", "BIG BANK"]),
        "creditor_classification": rng.choice(["02", "10", "08"]),
        "earliest_furnishing_date": dofd + datetime.timedelta(days=230),
        "payment_history_profile": "G" * rng.randrange(0, 24),
        "consumers": consumers,
    }


def test_a_generated_monthly_file_parses_back_with_no_problems() -> None:
    rng = random.Random(8)
    records, excluded = m2.build_records([random_facts(rng, i) for i in range(600)], PROFILE, AS_OF)
    assert len(records) > 500
    assert all(e.code in {"obsolete", "passive_collection_period"} for e in excluded), excluded
    text = m2.write_file(HEADER, records)
    lines = text.split("\n")
    assert lines[-1] == "" and len(lines) == len(records) + 3
    assert {len(line) for line in lines[1:-2]} <= {
        426 + 100 * a + 200 * b + 34 for a in range(3) for b in range(3)
    }
    f = m2.parse(text)
    assert f.ok, f.problems[:5]
    assert f.records == records
    assert f.header == HEADER
    assert f.trailer == m2.compute_trailer(records)
    assert f.record_lines == list(range(2, len(records) + 2))
    assert m2.parse(text.encode("ascii")).records == records
    crlf = m2.write_file(HEADER, records, newline="\r\n", threads=1)
    assert m2.parse(crlf).records == records


def test_write_file_accepts_base_segments_and_checks_by_default() -> None:
    base = valid_base()
    assert m2.write_file(HEADER, [base], check=False).count("\n") == 3
    with pytest.raises(ValidationError, match=r"record 0.*original_creditor_required"):
        m2.write_file(HEADER, [base])  # a collection account without its K1
    with pytest.raises(ValidationError, match="records\\[1\\]"):
        m2.write_file(HEADER, [base, "x"], check=False)  # type: ignore[list-item]
    with pytest.raises(ValidationError, match="newline"):
        m2.write_file(HEADER, [], newline="\t")
    empty = m2.parse(m2.write_file(HEADER, []))
    assert empty.ok and empty.records == [] and empty.trailer is not None


def _file(n: int = 3) -> tuple[str, list[str]]:
    records, _ = m2.build_records([facts(account_number=f"C{i}") for i in range(n)], PROFILE, AS_OF)
    text = m2.write_file(HEADER, records)
    return text, text.split("\n")[:-1]


def _problems(lines: list[str], validate: bool = True) -> set[tuple[str, int | None]]:
    return {(p.code, p.line) for p in m2.parse("\n".join(lines) + "\n", validate=validate).problems}


def test_reader_reports_a_bad_date_and_keeps_going() -> None:
    _, lines = _file()
    lines[2] = lines[2][:75] + "13452019" + lines[2][83:]
    f = m2.parse("\n".join(lines))
    assert len(f.records) == 2 and f.record_lines == [2, 4]
    assert ("invalid_date", 3) in {(p.code, p.line) for p in f.problems}
    bad = next(p for p in f.problems if p.code == "invalid_date")
    assert bad.field == "date_opened" and bad.message.startswith("line 3: date_opened")
    assert ("trailer_mismatch", 5) in {(p.code, p.line) for p in f.problems}


def test_reader_reports_segment_problems_with_line_numbers() -> None:
    _, lines = _file()
    lines[1] = lines[1] + "ZZ"  # unknown segment
    lines[2] = lines[2][:-5]  # truncated K1
    lines[3] = "0999" + lines[3][4:]  # RDW says 999
    got = _problems(lines)
    assert ("unknown_segment", 2) in got
    assert ("truncated_segment", 3) in got
    assert ("rdw_mismatch", 4) in got


def test_reader_reports_short_lines_non_ascii_blank_numbers_and_structure() -> None:
    _, lines = _file()
    lines[1] = lines[1][:200]
    lines[2] = lines[2][:240] + "É" + lines[2][241:]
    lines[3] = lines[3][:314] + " " * 10 + lines[3][324:]  # blank telephone
    got = _problems(lines)
    assert ("too_short", 2) in got
    assert ("not_printable", 3) in got
    assert ("blank_numeric", 4) in got
    got = _problems(lines[1:-1], validate=False)
    assert ("missing_header", 1) in got
    assert ("missing_trailer", 3) in got
    got = _problems([*lines[:2], "", lines[-1], *lines[2:-1]], validate=False)
    assert ("empty_line", 3) in got
    assert ("misplaced_trailer", 4) in got
    assert m2.parse("").problems[0].code == "empty_file"


def test_reader_escapes_bytes_that_are_not_utf8() -> None:
    _, lines = _file()
    data = bytearray(("\n".join(lines) + "\n").encode())
    at = data.index(b"\n") + 1 + 240  # line 2, inside the surname
    data[at] = 0xE9  # Latin-1 "é": not UTF-8
    f = m2.parse(bytes(data))
    bad = [p for p in f.problems if p.line == 2]
    assert [p.code for p in bad] == ["not_printable"]
    assert "\\xe9" in bad[0].message and bad[0].message.startswith("line 2: surname")
    for p in f.problems:  # every message is a str Python can show
        p.message.encode("utf-8")


def test_decode_names_a_character_split_by_a_field_boundary() -> None:
    image = m2.BaseSegment(consumer_account_number="A1", account_status="93").encode()
    # "é" is two bytes: the first ends identification_number (21-40), the second starts
    # cycle_identifier (41-42).
    text = image[:39] + "é" + image[40:-1]
    assert len(text.encode()) == 426
    with pytest.raises(ValidationError) as info:
        m2.BaseSegment.decode(text)
    message = str(info.value)
    assert "identification_number" in message and "\\xc3" in message
    assert "cycle_identifier" in message and "\\xa9" in message


def _records(n: int = 3) -> tuple[list[m2.DataRecord], list[str]]:
    """Records and the file's records as text (header, data, trailer), one per element."""
    records, _ = m2.build_records([facts(account_number=f"C{i}") for i in range(n)], PROFILE, AS_OF)
    return records, m2.write_file(HEADER, records).split("\n")[:-1]


def test_reader_reads_records_back_to_back_by_their_rdw() -> None:
    records, texts = _records()
    assert len({len(t) for t in texts}) > 1  # data records are longer than header and trailer
    f = m2.parse(m2.write_file(HEADER, records, newline=""))
    assert f.ok, f.problems
    assert f.records == records and f.record_lines == [2, 3, 4]
    assert f.header is not None and f.trailer is not None
    # A trailing line break, or one after some records, is fine.
    assert m2.parse("".join(texts[:2]) + "\n" + "".join(texts[2:]) + "\n").ok
    # Problems name the record and its first byte.
    texts[2] = texts[2][:75] + "13452019" + texts[2][83:]
    f = m2.parse("".join(texts))
    bad = next(p for p in f.problems if p.code == "invalid_date")
    offset = len(texts[0]) + len(texts[1]) + 1
    assert bad.line == 3 and bad.message.startswith(f"record 3 (byte {offset}): date_opened")


def test_reader_stops_where_a_record_cannot_be_delimited() -> None:
    _, texts = _records()
    cut = "".join(texts)[:-100]  # the trailer is cut short
    f = m2.parse(cut)
    assert [r.base.consumer_account_number for r in f.records] == ["C0", "C1", "C2"]
    bad = next(p for p in f.problems if p.code == "truncated_record")
    assert bad.line == 5 and "says 0426 bytes" not in bad.message
    assert "record_descriptor_word: says 426 bytes but the file has 326 bytes left" in bad.message
    broken = texts[0] + texts[1] + "XXXX" + texts[2][4:] + texts[3] + texts[4]
    f = m2.parse(broken)
    assert len(f.records) == 1
    assert "record 3 (byte" in next(p for p in f.problems if p.code == "invalid_rdw").message


def test_reader_reads_variable_blocked_files() -> None:
    records, texts = _records()
    blocked = "".join(f"{len(t) + 4:04d}{t}" for t in texts)  # one record per block
    f = m2.parse(blocked)
    assert f.ok, f.problems
    assert f.records == records and f.record_lines == [2, 3, 4]
    # A block may hold several records, and blocks may end with line breaks.
    data = "".join(texts[1:4])
    two = [f"{len(texts[0]) + 4:04d}{texts[0]}", f"{len(data) + 4:04d}{data}",
           f"{len(texts[4]) + 4:04d}{texts[4]}"]  # fmt: skip
    f = m2.parse("\r\n".join(two) + "\r\n")
    assert f.ok, f.problems
    assert f.records == records
    # A block descriptor that runs past the end of the file stops the reading, with the block.
    bad = two[0] + "9999" + two[1][4:] + two[2]
    f = m2.parse(bad)
    problem = next(p for p in f.problems if p.code == "truncated_block")
    assert problem.message.startswith("block 2 (byte ")
    assert f.records == []


def test_reader_says_once_that_a_file_is_packed_or_ebcdic() -> None:
    packed = b"\x01\x6e\x00\x00HEADER" + bytes(356)  # binary RDW 016E0000 (366)
    variable = b"\x01\x72\x00\x00" + packed  # binary BDW 01720000 (370)
    for data in (packed, packed * 3, variable):
        f = m2.parse(data)
        assert [p.code for p in f.problems] == ["packed_format"], f.problems
        assert "packed format" in f.problems[0].message and f.records == []
    _, texts = _records(1)
    f = m2.parse("\n".join(texts).encode("cp500"))  # EBCDIC
    assert [p.code for p in f.problems] == ["ebcdic"]


def test_reader_messages_count_bytes() -> None:
    _, lines = _file()
    lines[1] = lines[1][:200]
    lines[2] = "0999" + lines[2][4:]
    f = m2.parse("\n".join(lines))
    messages = {p.code: p.message for p in f.problems}
    assert (
        messages["too_short"]
        == "line 2: record: 200 bytes; a data record is at least 426 (the base segment)"
    )
    assert messages["rdw_mismatch"].endswith("says 0999 but the record is 460 bytes")
    with pytest.raises(ValidationError, match="is 426 bytes, got 427"):
        m2.BaseSegment.decode(lines[3][:425] + "é")  # 426 characters, 427 bytes


def test_reader_accepts_fixed_length_padding() -> None:
    _, lines = _file(1)
    padded = [line.ljust(1000) for line in lines]
    padded = [("1000" + line[4:]) for line in padded]
    f = m2.parse("\n".join(padded))
    assert f.ok, f.problems
    assert len(f.records) == 1


def test_reader_validates_records_against_the_activity_date() -> None:
    _, lines = _file(1)
    late = m2.DataRecord.decode(lines[1])
    late = late.replace(base=late.base.replace(date_of_account_information=D(2024, 5, 3)))
    lines[1] = late.encode()
    assert ("future_date", 2) in _problems(lines)
    assert ("future_date", 2) not in _problems(lines, validate=False)


def test_package_exports() -> None:
    assert arrears.metro2 is m2
    for name in m2.__all__:
        assert hasattr(m2, name), name
