"""Metro 2: encode and write a monthly file of N base segments, and read it back.

``metro2_write``: arrears' ``write_file`` (C++, both cores, trailer computed) against a
plain-Python fixed-width writer that formats the same records from dicts with the same layout
(``ljust`` / ``zfill`` per field, length checks included, trailer counted in Python).
``arrears_checked`` also validates every record first (the default of ``write_file``). The
variants produce the same text.

``metro2_parse``: arrears' tolerant ``parse`` (validation off and on) against plain-Python
slicing of every field into a dict.

Inputs reuse 10,000 distinct records (list entries point at them) so the data fits in memory at
a million rows; every row is still encoded or decoded on its own.
"""

from __future__ import annotations

import datetime
import random
from typing import Any

from arrears import metro2 as m2
from harness import Benchmark

D = datetime.date
AS_OF = D(2024, 4, 30)
DISTINCT = 10_000

HEADER = m2.HeaderRecord(
    reporter_name="ACME COLLECTIONS",
    reporter_address="1 FIRST ST CHICAGO IL 60601",
    activity_date=AS_OF,
    date_created=D(2024, 5, 1),
    equifax_program_identifier="EQ12345",
)
BASE_SPEC = [(f.name, f.length, f.type) for f in m2.BaseSegment.layout()]
TRAILER_SPEC = [(f.name, f.length, f.type) for f in m2.TrailerRecord.layout()]
STATUS_FIELD = {
    f.name[len("total_status_code_") :].upper(): f.name
    for f in m2.TrailerRecord.layout()
    if f.name.startswith("total_status_code_")
}


def _distinct_records(n: int) -> list[m2.BaseSegment]:
    rng = random.Random(2)
    out = []
    for i in range(n):
        status = rng.choice(["93"] * 8 + ["62", "DA"])
        unpaid = status != "62"
        balance = rng.randrange(25, 90_000) if unpaid else 0
        out.append(
            m2.BaseSegment(
                identification_number="AGENCY01",
                consumer_account_number=f"C{i:09d}",
                portfolio_type="I",  # an unsecured loan in internal collections: no K1 needed
                account_type="01",
                date_opened=D(2020, 1, 1) + datetime.timedelta(days=rng.randrange(1000)),
                highest_credit=balance + rng.randrange(0, 500),
                terms_duration="012",
                account_status=status,
                payment_history_profile=("G" * rng.randrange(24)).ljust(24, "B"),
                current_balance=balance,
                amount_past_due=balance,
                date_of_account_information=AS_OF,
                date_of_first_delinquency=D(2020, 6, 1) + datetime.timedelta(rng.randrange(900)),
                surname=rng.choice(["SMITH", "GARCIA", "NGUYEN", "JOHNSON", "VAN DYKE"]),
                first_name=rng.choice(["ANA", "JOSE", "MARY", "LI", "ROBERT"]),
                social_security_number=rng.choice(["", f"{rng.randrange(1, 10**9):09d}"]),
                date_of_birth=D(1950, 1, 1) + datetime.timedelta(days=rng.randrange(18_000)),
                telephone_number=rng.choice(["", "2175551234"]),
                ecoa_code="1",
                first_line_of_address=f"{rng.randrange(1, 9999)} MAIN ST",
                city="SPRINGFIELD",
                state=rng.choice(["IL", "TX", "CA", "NY"]),
                zip_code=rng.choice(["62701", "627011234"]),
            )
        )
    return out


def _fmt(value: Any, length: int, kind: str) -> str:
    if kind == "alphanumeric":
        if len(value) > length:
            raise ValueError(f"{value!r} does not fit in {length}")
        return value.ljust(length)
    if kind == "digits":
        return value.rjust(length, "0")
    if kind in ("count", "money"):
        text = str(value)
        if len(text) > length:
            raise OverflowError(f"{value} does not fit in {length} digits")
        return text.zfill(length)
    if kind == "date":
        return "00000000" if value is None else f"{value.month:02d}{value.day:02d}{value.year:04d}"
    if kind == "timestamp":
        return "0" * 14 if value is None else value.strftime("%m%d%Y%H%M%S")
    return " " * length  # reserved


def _python_line(d: dict[str, Any], spec: list[tuple[str, int, str]], rdw: str, ident: str) -> str:
    parts = []
    for name, length, kind in spec:
        if kind == "rdw":
            parts.append(rdw)
        elif kind == "identifier":
            parts.append(ident)
        elif kind == "reserved":
            parts.append(" " * length)
        else:
            parts.append(_fmt(d[name], length, kind))
    return "".join(parts)


def python_write(header_text: str, rows: list[dict[str, Any]]) -> str:
    """A plain-Python Metro 2 writer: fixed-width formatting per field plus the trailer."""
    counts = {name: 0 for name, _, kind in TRAILER_SPEC if kind == "count"}
    lines = [header_text]
    for d in rows:
        lines.append(_python_line(d, BASE_SPEC, "0426", ""))
        counts["total_base_records"] += 1
        field = STATUS_FIELD.get(d["account_status"])
        if field:
            counts[field] += 1
        ssn = d["social_security_number"]
        if ssn.strip("0") and ssn.strip("9"):
            counts["total_social_security_numbers_base_segments"] += 1
            counts["total_social_security_numbers_all_segments"] += 1
        if d["date_of_birth"] is not None:
            counts["total_dates_of_birth_base_segments"] += 1
            counts["total_dates_of_birth_all_segments"] += 1
        phone = d["telephone_number"]
        if phone.strip("0") and phone.strip("9"):
            counts["total_telephone_numbers_all_segments"] += 1
        if d["ecoa_code"] == "Z":
            counts["total_ecoa_code_z"] += 1
    counts["block_count"] = len(rows) + 2
    lines.append(_python_line(counts, TRAILER_SPEC, "0426", "TRAILER"))
    lines.append("")
    return "\n".join(lines)


def python_parse(text: str) -> list[dict[str, Any]]:
    """Plain-Python reading: slice every base field of every data line into a dict."""
    out = []
    for line in text.split("\n")[1:-2]:
        d: dict[str, Any] = {}
        pos = 0
        for name, length, kind in BASE_SPEC:
            s = line[pos : pos + length]
            pos += length
            if kind in ("alphanumeric",):
                d[name] = s.rstrip()
            elif kind in ("count", "money"):
                d[name] = int(s)
            elif kind == "date":
                d[name] = None if s == "00000000" else D(int(s[4:]), int(s[:2]), int(s[2:4]))
            elif kind == "digits":
                d[name] = s
        out.append(d)
    return out


def setup_write(n: int) -> dict[str, Any]:
    distinct = _distinct_records(min(n, DISTINCT))
    dicts = [r.to_dict() for r in distinct]
    return {
        "records": [distinct[i % len(distinct)] for i in range(n)],
        "dicts": [dicts[i % len(dicts)] for i in range(n)],
        "header_text": HEADER.encode(),
    }


def setup_parse(n: int) -> dict[str, Any]:
    data = setup_write(n)
    return {"text": m2.write_file(HEADER, data["records"], check=False)}


def _same_text(result: str, baseline: str) -> None:
    if result != baseline:
        raise AssertionError("the files differ")


def _same_count(result: Any, baseline: Any) -> None:
    n = len(result) if isinstance(result, list) else len(result.records)
    m = len(baseline) if isinstance(baseline, list) else len(baseline.records)
    if n != m:
        raise AssertionError(f"{n} records against {m}")


BENCHMARKS = [
    Benchmark(
        name="metro2_write",
        setup=setup_write,
        variants={
            "arrears": lambda d: m2.write_file(HEADER, d["records"], check=False),
            "arrears_checked": lambda d: m2.write_file(HEADER, d["records"]),
            "python": lambda d: python_write(d["header_text"], d["dicts"]),
        },
        sizes=(100_000, 1_000_000),
        quick_sizes=(10_000,),
        unit="records",
        repeat=3,
        description="Encode N base segments and write the file with its trailer (one string).",
        targets="faster than a plain-Python fixed-width writer; 1e6 records in seconds",
        check=_same_text,
    ),
    Benchmark(
        name="metro2_parse",
        setup=setup_parse,
        variants={
            "arrears": lambda d: m2.parse(d["text"], validate=False),
            "arrears_validated": lambda d: m2.parse(d["text"]),
            "python": lambda d: python_parse(d["text"]),
        },
        sizes=(100_000, 1_000_000),
        quick_sizes=(10_000,),
        unit="records",
        repeat=3,
        description="Read a file of N base records back (records as objects / dicts).",
        targets="faster than plain-Python slicing",
        check=_same_count,
    ),
]
