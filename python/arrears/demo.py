"""A realistic synthetic portfolio for the demo, the notebooks and the benchmarks.

``generate(n)`` returns DataFrames shaped like a collection agency's placement files (debtors
with addresses, phones and e-mails across states and time zones; charged-off accounts from
several creditors; payment history; skip-trace hits), built with numpy so a million accounts
take seconds. ``build_store(path, n)`` loads them into a store through the normal imports.
Everything is random but reproducible from ``seed``; no record describes a real person
(names come from short lists, e-mails use the reserved example.* domains, phone numbers use
the 555-01xx fictional range where possible).
"""

from __future__ import annotations

import datetime
import os
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    import pandas as pd

    from arrears.store import Store

__all__ = ["DemoData", "build_store", "generate"]

FIRST = np.array(
    "James Mary Robert Patricia John Jennifer Michael Linda David Elizabeth William Barbara "
    "Richard Susan Joseph Jessica Thomas Sarah Carlos Maria Luis Ana Jose Sofia Wei Mei Ahmed "
    "Fatima Dmitri Olga Kwame Ama Hiroshi Yuki Raj Priya Diego Lucia Jamal Aisha".split()
)
LAST = np.array(
    "Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez Lopez "
    "Gonzalez Wilson Anderson Thomas Taylor Moore Jackson Martin Lee Perez Thompson White Harris "
    "Sanchez Clark Ramirez Lewis Robinson Walker Young Allen King Wright Scott Torres Nguyen Hill "
    "Flores Green Adams Nelson Baker Hall Rivera Campbell Mitchell Carter Roberts".split()
)
STREETS = np.array(
    "Main Oak Pine Maple Cedar Elm Washington Lake Hill Park Sunset Lincoln Jackson River "
    "Church Spring Highland Meadow Forest Valley".split()
)
SUFFIX = np.array(["St", "Ave", "Rd", "Blvd", "Ln", "Dr", "Ct", "Way"])

# state, weight (share of placements), (city, ZIP), area codes (these give different time zones
# and overlays: MA and NY and WA have state rules; FL and TX straddle zones).
STATES: list[tuple[str, float, list[tuple[str, str]], list[str]]] = [
    (
        "CA",
        12,
        [("Los Angeles", "90012"), ("Fresno", "93721"), ("Sacramento", "95814")],
        ["213", "559", "916"],
    ),
    (
        "TX",
        9,
        [("Houston", "77002"), ("El Paso", "79901"), ("Dallas", "75201")],
        ["713", "915", "214"],
    ),
    (
        "FL",
        7,
        [("Miami", "33130"), ("Pensacola", "32501"), ("Tampa", "33602")],
        ["305", "850", "813"],
    ),
    (
        "NY",
        6,
        [("New York", "10007"), ("Buffalo", "14202"), ("Albany", "12207")],
        ["212", "716", "518"],
    ),
    ("PA", 4, [("Philadelphia", "19107"), ("Pittsburgh", "15219")], ["215", "412"]),
    ("IL", 4, [("Chicago", "60602"), ("Springfield", "62701")], ["312", "217"]),
    ("OH", 3.5, [("Columbus", "43215"), ("Cleveland", "44113")], ["614", "216"]),
    ("GA", 3.3, [("Atlanta", "30303"), ("Savannah", "31401")], ["404", "912"]),
    ("NC", 3.2, [("Charlotte", "28202"), ("Raleigh", "27601")], ["704", "919"]),
    ("MI", 3, [("Detroit", "48226"), ("Grand Rapids", "49503")], ["313", "616"]),
    ("MA", 2.1, [("Boston", "02108"), ("Worcester", "01608")], ["617", "508"]),
    ("WA", 2.3, [("Seattle", "98104"), ("Spokane", "99201")], ["206", "509"]),
    ("AZ", 2.2, [("Phoenix", "85003"), ("Tucson", "85701")], ["602", "520"]),
    ("CO", 1.8, [("Denver", "80202"), ("Boulder", "80302")], ["303", "720"]),
    ("TN", 2.1, [("Nashville", "37201"), ("Memphis", "38103")], ["615", "901"]),
    ("IN", 2.0, [("Indianapolis", "46204"), ("Gary", "46402")], ["317", "219"]),
    ("NV", 1.0, [("Las Vegas", "89101"), ("Reno", "89501")], ["702", "775"]),
    ("OR", 1.3, [("Portland", "97204"), ("Eugene", "97401")], ["503", "541"]),
    ("HI", 0.4, [("Honolulu", "96813")], ["808"]),
    ("AK", 0.3, [("Anchorage", "99501")], ["907"]),
]
CREDITORS = np.array(
    [
        "Acme Card Services",
        "Blue River Bank",
        "Summit Auto Finance",
        "Northgate Medical Group",
        "Lakeside Telecom",
        "Pioneer Student Loans",
    ]
)
PRODUCTS = np.array(
    ["credit_card", "credit_card", "auto_loan", "medical", "telecom", "student_loan"]
)
CLIENTS = np.array(["acme", "blueriver", "summit", "northgate", "lakeside", "pioneer"])


@dataclass(frozen=True)
class DemoData:
    """The generated files, ready for ``store.import_*``."""

    debtors: pd.DataFrame
    accounts: pd.DataFrame
    payments: pd.DataFrame
    contacts: pd.DataFrame
    as_of: datetime.date


def _pick(rng: np.random.Generator, values: np.ndarray, n: int) -> np.ndarray:
    return values[rng.integers(0, len(values), n)]


def generate(n: int = 100_000, seed: int = 2026, as_of: datetime.date | None = None) -> DemoData:
    """``n`` accounts of about ``0.85 n`` debtors, with payments and skip-trace hits."""
    import pandas as pd

    if n < 1:
        from arrears.errors import ValidationError

        raise ValidationError(f"n: at least one account is needed, got {n}")
    as_of = as_of or datetime.date.today()
    rng = np.random.default_rng(seed)
    today = np.datetime64(as_of, "D")
    m = max(1, int(n * 0.85))  # debtors

    # -- debtors -------------------------------------------------------------------------------
    weights = np.array([s[1] for s in STATES], dtype=float)
    state_ix = rng.choice(len(STATES), m, p=weights / weights.sum())
    city = np.empty(m, dtype=object)
    zips = np.empty(m, dtype=object)
    area = np.empty(m, dtype=object)
    state = np.empty(m, dtype=object)
    for k, (code, _w, places, codes) in enumerate(STATES):
        sel = np.flatnonzero(state_ix == k)
        if not len(sel):
            continue
        place = rng.integers(0, len(places), len(sel))
        city[sel] = np.array([p[0] for p in places], dtype=object)[place]
        zips[sel] = np.array([p[1] for p in places], dtype=object)[place]
        area[sel] = np.array(codes, dtype=object)[rng.integers(0, len(codes), len(sel))]
        state[sel] = code
    first = _pick(rng, FIRST, m).astype(object)
    last = _pick(rng, LAST, m).astype(object)
    debtor_id = np.char.add("D", np.char.zfill(np.arange(1, m + 1).astype(str), 8)).astype(object)
    house = rng.integers(1, 9999, m).astype(str).astype(object)
    street = (
        house
        + " "
        + _pick(rng, STREETS, m).astype(object)
        + " "
        + _pick(rng, SUFFIX, m).astype(object)
    )
    # 555-0100..0199 is reserved for fiction; the rest of the number is random but valid.
    line = rng.integers(100, 200, m)
    phone = "(" + area + ") 555-" + np.char.zfill(line.astype(str), 4).astype(object)
    has_phone = rng.random(m) < 0.85
    email = (
        np.char.lower(first.astype(str)).astype(object)
        + "."
        + np.char.lower(last.astype(str)).astype(object)
        + rng.integers(1, 999, m).astype(str).astype(object)
        + "@example."
        + _pick(rng, np.array(["com", "net", "org"]), m).astype(object)
    )
    has_email = rng.random(m) < 0.55
    born = today - rng.integers(21 * 365, 80 * 365, m).astype("timedelta64[D]")
    language = np.where(rng.random(m) < 0.12, "es", "en")
    debtors = pd.DataFrame(
        {
            "debtor_id": debtor_id,
            "first_name": first,
            "last_name": last,
            "date_of_birth": pd.to_datetime(born).date,
            "preferred_language": language,
            "address_line1": street,
            "city": city,
            "state": state,
            "zip": zips,
            "phone": np.where(has_phone, phone, None),
            "phone_type": np.where(rng.random(m) < 0.6, "mobile", "home"),
            "email": np.where(has_email, email, None),
        }
    )

    # -- accounts ------------------------------------------------------------------------------
    owner = np.concatenate([np.arange(m), rng.integers(0, m, n - m)])[:n]
    rng.shuffle(owner)
    creditor = rng.integers(0, len(CREDITORS), n)
    dofd = today - rng.integers(120, 6 * 365, n).astype("timedelta64[D]")
    opened = dofd - rng.integers(200, 5 * 365, n).astype("timedelta64[D]")
    charged_off = dofd + 180
    # Medical and telecom balances are small, auto and student loans large.
    scale = np.array([1800, 2500, 6500, 900, 400, 9000])[creditor]
    principal = np.maximum(2500, (rng.lognormal(0, 0.9, n) * scale * 100).astype(np.int64))
    fees = np.where(rng.random(n) < 0.4, rng.integers(2500, 15000, n), 0)
    interest = np.where(
        rng.random(n) < 0.3, (principal * rng.uniform(0.02, 0.2, n)).astype(np.int64), 0
    )
    account_id = np.char.add("A", np.char.zfill(np.arange(1, n + 1).astype(str), 9)).astype(object)
    account_number = np.char.zfill(rng.integers(10**11, 10**12, n).astype(str), 16).astype(object)
    accounts = pd.DataFrame(
        {
            "account_id": account_id,
            "debtor_id": debtor_id[owner],
            "account_number": account_number,
            "original_creditor": CREDITORS[creditor],
            "product_type": PRODUCTS[creditor],
            "opened_on": pd.to_datetime(opened).date,
            "charged_off_on": pd.to_datetime(charged_off).date,
            "first_delinquency_on": pd.to_datetime(dofd).date,
            "itemization_date": pd.to_datetime(charged_off).date,
            "itemization_basis": "charge_off",
            "principal_cents": principal,
            "interest_cents": interest,
            "fees_cents": fees,
            "client": CLIENTS[creditor],
            "portfolio": pd.to_datetime(charged_off).strftime("%Y-Q")
            + ((pd.to_datetime(charged_off).month - 1) // 3 + 1).astype(str),
        }
    )
    placed = np.maximum(charged_off, today - 3 * 365)
    accounts["placed_on"] = pd.to_datetime(np.minimum(placed, today - 1)).date

    # -- payments: about 30% of accounts pay something, in one to six payments ------------------
    payers = np.flatnonzero(rng.random(n) < 0.3)
    counts = rng.integers(1, 7, len(payers))
    pay_acct = np.repeat(payers, counts)
    start = np.array(placed, dtype="datetime64[D]")[pay_acct]
    span = np.maximum(1, (today - start).astype(int))
    pay_day = start + (rng.random(len(pay_acct)) * span).astype("timedelta64[D]")
    total = principal + interest + fees
    share = rng.uniform(0.02, 0.25, len(pay_acct))
    amount = np.maximum(500, (total[pay_acct] * share).astype(np.int64) // 100 * 100)
    payments = pd.DataFrame(
        {
            "account_id": account_id[pay_acct],
            "amount_cents": amount,
            "effective_date": pd.to_datetime(pay_day).date,
            "reference": np.char.add(
                "PMT", np.char.zfill(np.arange(1, len(pay_acct) + 1).astype(str), 9)
            ).astype(object),
        }
    ).sort_values(["effective_date", "reference"], kind="stable", ignore_index=True)

    # -- skip-trace hits: new phones for 8% of debtors --------------------------------------------
    hit = np.flatnonzero(rng.random(m) < 0.08)
    new_line = rng.integers(100, 200, len(hit))
    contacts = pd.DataFrame(
        {
            "debtor_id": debtor_id[hit],
            "phone": "("
            + area[hit]
            + ") 555-"
            + np.char.zfill(new_line.astype(str), 4).astype(object),
            "phone_type": "mobile",
            "source": "skip_trace",
            "confidence": rng.integers(40, 95, len(hit)),
            "last_seen": pd.to_datetime(
                today - rng.integers(1, 120, len(hit)).astype("timedelta64[D]")
            ).date,
        }
    )
    return DemoData(debtors, accounts, payments, contacts, as_of)


def build_store(
    path: str | os.PathLike[str],
    n: int = 100_000,
    seed: int = 2026,
    as_of: datetime.date | None = None,
    replace: bool = True,
) -> tuple[Store, DemoData]:
    """Generates ``n`` accounts and loads them into a (new) store at ``path``."""
    from arrears.store import Store

    target = os.fspath(path)
    if replace and target != ":memory:":
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(target + suffix):
                os.remove(target + suffix)
    data = generate(n, seed, as_of)
    store = Store(target, actor="demo")
    store.import_debtors(data.debtors)
    store.import_accounts(data.accounts)
    store.import_payments(data.payments)
    store.import_contacts(data.contacts)
    return store, data


def _demo_summary(data: DemoData) -> dict[str, Any]:
    return {
        "debtors": len(data.debtors),
        "accounts": len(data.accounts),
        "payments": len(data.payments),
        "skip_trace_hits": len(data.contacts),
    }
