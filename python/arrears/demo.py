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
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from arrears._demo_config import DEMO_COLLECTOR, DEMO_PRINT_VENDOR, demo_config, write_config
from arrears._progress import chunks, progress_bar

if TYPE_CHECKING:
    import pandas as pd

    from arrears.config import Config
    from arrears.store import Store

__all__ = [
    "DEMO_COLLECTOR",
    "DEMO_PRINT_VENDOR",
    "DESKS",
    "DemoData",
    "build_store",
    "demo_config",
    "demo_run",
    "generate",
    "write_config",
]


def _words(text: str) -> np.ndarray:
    return np.array(text.split())


FIRST = _words(
    "James Mary Robert Patricia John Jennifer Michael Linda David Elizabeth William "
    "Barbara Richard Susan Joseph Jessica Thomas Sarah Carlos Maria Luis Ana Jose Sofia "
    "Wei Mei Ahmed Fatima Dmitri Olga Kwame Ama Hiroshi Yuki Raj Priya Diego Lucia Jamal "
    "Aisha"
)
LAST = _words(
    "Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez "
    "Lopez Gonzalez Wilson Anderson Thomas Taylor Moore Jackson Martin Lee Perez Thompson "
    "White Harris Sanchez Clark Ramirez Lewis Robinson Walker Young Allen King Wright "
    "Scott Torres Nguyen Hill Flores Green Adams Nelson Baker Hall Rivera Campbell "
    "Mitchell Carter Roberts"
)
STREETS = _words(
    "Main Oak Pine Maple Cedar Elm Washington Lake Hill Park Sunset Lincoln Jackson River "
    "Church Spring Highland Meadow Forest Valley"
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

# The collections floor: desks (an account's queue) and the collectors on each. Early-stage
# placements go to the early desk, charged-off balances of $2,500 or more to recovery, smaller
# ones to the low-balance desk. The desks carry the strategy's queue names (early, recovery).
DESKS: dict[str, list[str]] = {
    "early": ["Ana Rivera", "Ben Okafor", "Chloe Park", "Dev Patel"],
    "recovery": ["Elena Rossi", "Frank Miller", "Grace Liu", "Hassan Ali", "Irene Costa"],
    "low-balance": ["Jamal Brooks", "Kim Nguyen", "Leo Schmidt"],
}


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


def generate(
    n: int = 100_000,
    seed: int = 2026,
    as_of: datetime.date | None = None,
    progress: bool | None = False,
) -> DemoData:
    """``n`` accounts of about ``0.85 n`` debtors, with payments and skip-trace hits
    (``progress``: a bar over the four files)."""
    with progress_bar(f"generating {n:,} accounts", 4, progress, "files") as bar:
        return _generate(n, seed, as_of, bar or (lambda _done, _total: None))


def _generate(
    n: int, seed: int, as_of: datetime.date | None, bar: Callable[[int, int], None]
) -> DemoData:
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

    bar(1, 4)

    # -- accounts ------------------------------------------------------------------------------
    owner = np.concatenate([np.arange(m), rng.integers(0, m, n - m)])[:n]
    rng.shuffle(owner)
    creditor = rng.integers(0, len(CREDITORS), n)
    # A quarter are early-stage placements (first-party, 5-170 days past due, not charged off);
    # the rest charged-off debt placed after the charge-off.
    early = rng.random(n) < 0.25
    dofd = np.where(
        early,
        today - rng.integers(5, 170, n).astype("timedelta64[D]"),
        today - rng.integers(200, 6 * 365, n).astype("timedelta64[D]"),
    )
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
    co_date = pd.to_datetime(charged_off).date
    dofd_date = pd.to_datetime(dofd).date
    accounts = pd.DataFrame(
        {
            "account_id": account_id,
            "debtor_id": debtor_id[owner],
            "account_number": account_number,
            "original_creditor": CREDITORS[creditor],
            "product_type": PRODUCTS[creditor],
            "opened_on": pd.to_datetime(opened).date,
            "charged_off_on": np.where(early, None, co_date),
            "first_delinquency_on": dofd_date,
            "last_statement_on": np.where(early, dofd_date, None),
            "itemization_date": np.where(early, dofd_date, co_date),
            "itemization_basis": np.where(early, "last_statement", "charge_off"),
            "principal_cents": principal,
            "interest_cents": interest,
            "fees_cents": fees,
            "client": CLIENTS[creditor],
            "portfolio": np.where(
                early,
                "early-out",
                pd.to_datetime(charged_off).strftime("%Y-Q")
                + ((pd.to_datetime(charged_off).month - 1) // 3 + 1).astype(str),
            ),
        }
    )
    placed = np.where(early, dofd + 1, np.maximum(charged_off, today - 3 * 365))
    placed = np.minimum(placed, today - 1)
    accounts["placed_on"] = pd.to_datetime(placed).date
    accounts["queue"], accounts["collector"] = _assign(early, principal + interest + fees, seed)

    bar(2, 4)

    # -- payments: about 30% of accounts pay something, in one to six payments ------------------
    payers = np.flatnonzero(rng.random(n) < 0.3)
    counts = rng.integers(1, 7, len(payers))
    pay_acct = np.repeat(payers, counts)
    start = np.array(placed, dtype="datetime64[D]")[pay_acct]
    span = np.maximum(1, (today - start).astype(int))
    pay_day = start + (rng.random(len(pay_acct)) * span).astype("timedelta64[D]")
    total = principal + interest + fees
    # Shares of the placed balance that never add up to more than 95% of it.
    share = rng.uniform(0.02, 0.25, len(pay_acct))
    first = np.concatenate([[0], np.cumsum(counts)[:-1]])
    cumulative = np.cumsum(share) - np.repeat(np.cumsum(share)[first] - share[first], counts)
    share = np.where(cumulative <= 0.95, share, 0.0)
    keep = share > 0
    pay_acct, pay_day, share = pay_acct[keep], pay_day[keep], share[keep]
    amount = np.maximum(500, (total[pay_acct] * share).astype(np.int64) // 100 * 100)
    # The $5 minimum must not pay a small balance past zero: drop what would overpay.
    order = np.lexsort((pay_day, pay_acct))
    pay_acct, pay_day, amount = pay_acct[order], pay_day[order], amount[order]
    starts = np.flatnonzero(np.r_[True, pay_acct[1:] != pay_acct[:-1]])
    running = np.cumsum(amount)
    before = np.repeat(running[starts] - amount[starts], np.diff(np.r_[starts, len(amount)]))
    fits = (running - before) <= total[pay_acct]
    pay_acct, pay_day, amount = pay_acct[fits], pay_day[fits], amount[fits]
    # One payer in six pays the rest off a few days before the as-of date.
    paid = np.bincount(pay_acct, weights=amount, minlength=n).astype(np.int64)
    closers = payers[rng.random(len(payers)) < 1 / 6]
    rest = total[closers] - paid[closers]
    closers, rest = closers[rest > 0], rest[rest > 0]
    pay_acct = np.concatenate([pay_acct, closers])
    pay_day = np.concatenate(
        [pay_day, today - rng.integers(1, 20, len(closers)).astype("timedelta64[D]")]
    )
    amount = np.concatenate([amount, rest])
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

    bar(3, 4)

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
    bar(4, 4)
    return DemoData(debtors, accounts, payments, contacts, as_of)


def _assign(early: np.ndarray, owed: np.ndarray, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Each account's desk and collector (see DESKS); senior collectors, listed first, carry
    more accounts. Drawn from a stream of its own, so the rest of the data does not change."""
    rng = np.random.default_rng([seed, 1])
    desk = np.where(early, "early", np.where(owed >= 250_000, "recovery", "low-balance"))
    collector = np.empty(len(desk), dtype=object)
    for name, people in DESKS.items():
        rows = np.flatnonzero(desk == name)
        weight = 1.0 - 0.1 * np.arange(len(people))
        pick = rng.choice(len(people), len(rows), p=weight / weight.sum())
        collector[rows] = np.array(people, dtype=object)[pick]
    return desk.astype(object), collector


def build_store(
    path: str | os.PathLike[str],
    n: int = 100_000,
    seed: int = 2026,
    as_of: datetime.date | None = None,
    replace: bool = True,
    progress: bool | None = None,
) -> tuple[Store, DemoData]:
    """Generates ``n`` accounts and loads them into a (new) store at ``path``. ``progress``:
    bars for the generation and each import (None: on a terminal or in Jupyter only)."""
    from arrears.store import Store

    target = os.fspath(path)
    if replace and target != ":memory:":
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(target + suffix):
                os.remove(target + suffix)
    data = generate(n, seed, as_of, progress=progress)
    store = Store(target, actor="demo")
    for what, frame in (
        ("debtors", data.debtors),
        ("accounts", data.accounts),
        ("payments", data.payments),
        ("contacts", data.contacts),
    ):
        load = getattr(store, f"import_{what}")
        # With a bar, the file goes in slices (each its own transaction) so the bar moves.
        for start, stop in chunks(len(frame), f"importing {what}", progress, what, IMPORT_ROWS):
            load(frame.iloc[start:stop])
    return store, data


IMPORT_ROWS = 25_000  # rows per import call when a bar is shown


def _demo_summary(data: DemoData) -> dict[str, Any]:
    return {
        "debtors": len(data.debtors),
        "accounts": len(data.accounts),
        "payments": len(data.payments),
        "skip_trace_hits": len(data.contacts),
    }


def contact_history(data: DemoData, seed: int = 7, share: float = 0.3) -> dict[str, list[Any]]:
    """Outbound calls over the ten days before the as-of date for a share of the accounts, each
    made by the account's collector (outcomes as a dialer sees them: mostly not connected, some
    conversations): ``{collector: [ContactAttempt, ...]}`` for ``Store.record_contacts``."""
    from arrears.compliance import ContactAttempt

    rng = np.random.default_rng(seed)
    acc = data.accounts
    pick = np.flatnonzero(rng.random(len(acc)) < share)
    counts = rng.integers(1, 10, len(pick))
    rows = np.repeat(pick, counts)
    end = dt_datetime(data.as_of)
    seconds = rng.integers(1, 10 * 86400, len(rows))
    outcomes = rng.choice(
        ["not_connected", "connected", "left_message", "conversation"],
        len(rows),
        p=[0.5, 0.3, 0.1, 0.1],
    )
    debtor = acc["debtor_id"].to_numpy()
    account = acc["account_id"].to_numpy()
    collector = (
        acc["collector"].to_numpy() if "collector" in acc else np.full(len(acc), "dialer", object)
    )
    calls: dict[str, list[Any]] = {}
    for r, s, o in zip(rows, seconds, outcomes, strict=True):
        calls.setdefault(str(collector[r]), []).append(
            ContactAttempt(
                str(debtor[r]),
                [str(account[r])],
                "call",
                "outbound",
                str(o),
                end - datetime.timedelta(seconds=int(s)),
            )
        )
    return calls


def plan_book(
    data: DemoData, seed: int = 11, promises: float = 0.03, installments: float = 0.015
) -> tuple[list[Any], pd.DataFrame]:
    """Promises to pay and installment plans for a share of the accounts that still owe, made in
    the weeks and months before the as-of date, and the payments made on them (promises kept
    about 55% of the time; plans paid on time, late, or stopped), as a collections floor has
    them: ``(plans, payments)`` for ``Store.save_plan`` and ``Store.import_payments``."""
    import pandas as pd

    from arrears import Money
    from arrears.plans import installment_plan, promise_to_pay

    rng = np.random.default_rng(seed)
    acc = data.accounts
    today = np.datetime64(data.as_of, "D")
    total = (acc["principal_cents"] + acc["interest_cents"] + acc["fees_cents"]).to_numpy()
    paid = (
        data.payments.groupby("account_id")["amount_cents"]
        .sum()
        .reindex(acc["account_id"])
        .fillna(0)
    ).to_numpy(dtype=np.int64)
    owed = total - paid
    placed = np.array(acc["placed_on"].to_numpy(), dtype="datetime64[D]")
    ids = acc["account_id"].to_numpy()
    debtors = acc["debtor_id"].to_numpy()
    # Plans are made at least 45 days after placement, on accounts that owe $100 or more,
    # one plan per debtor (a debtor's accounts could share one; kept simple here).
    eligible = np.flatnonzero((owed >= 10_000) & (placed <= today - 45))
    eligible = eligible[np.unique(debtors[eligible], return_index=True)[1]]
    draw = rng.random(len(eligible))
    promise_rows = eligible[draw < promises]
    plan_rows = eligible[(draw >= promises) & (draw < promises + installments)]
    plans: list[Any] = []
    pay: list[tuple[str, int, datetime.date, str]] = []

    def day(d: np.datetime64) -> datetime.date:
        return d.astype("datetime64[D]").astype(datetime.date)  # type: ignore[no-any-return]

    for k, i in enumerate(promise_rows):
        made = max(today - int(rng.integers(2, 40)), placed[i] + 30)
        due = made + int(rng.integers(3, 15))
        amount = int(min(owed[i], rng.integers(50, 500) * 100))
        plans.append(
            promise_to_pay(
                Money.from_minor(int(owed[i])),
                Money.from_minor(amount),
                due=day(due),
                plan_date=day(made),
                account_id=str(ids[i]),
                plan_id=f"PTP{k + 1:07d}",
                debtor_id=str(debtors[i]),
            )
        )
        if due < today and rng.random() < 0.55:  # kept, a day or two early
            on = min(due - int(rng.integers(0, 3)), today - 1)
            pay.append((str(ids[i]), amount, day(on), f"PTP{k + 1:07d}"))
    for k, i in enumerate(plan_rows):
        made = max(today - int(rng.integers(20, 240)), placed[i] + 30)
        count = int(rng.integers(6, 25))
        plan = installment_plan(
            Money.from_minor(int(owed[i])),
            plan_date=day(made),
            first_due=day(made + 14),
            count=count,
            account_id=str(ids[i]),
            plan_id=f"PLN{k + 1:07d}",
            debtor_id=str(debtors[i]),
        )
        plans.append(plan)
        # 60% pay every installment on time, 25% pay late by a few days, 15% stop after a few.
        kind = rng.random()
        stop = int(rng.integers(1, 4)) if kind >= 0.85 else count
        for n, inst in enumerate(list(plan.schedule)[:stop]):
            due = np.datetime64(inst.due, "D") + (int(rng.integers(2, 9)) if kind >= 0.6 else 0)
            if due >= today:
                break
            pay.append((str(ids[i]), inst.amount.minor, day(due), f"PLN{k + 1:07d}-{n + 1:03d}"))
    frame = pd.DataFrame(pay, columns=["account_id", "amount_cents", "effective_date", "reference"])
    return plans, frame


def life_events(
    store: Store, data: DemoData, seed: int = 13, progress: bool | None = False
) -> dict[str, int]:
    """What happens to a book of debtors: some die, file for bankruptcy, hire an attorney, ask
    the collector to stop (for one of their debts) or dispute a debt in writing. Saved to the
    store in one transaction; returns the counts."""
    from arrears._core import debtor as _debtor

    rng = np.random.default_rng(seed)
    today = np.datetime64(data.as_of, "D")
    acc = data.accounts
    first = acc.drop_duplicates("debtor_id").set_index("debtor_id")
    first_account = first["account_id"]
    # Everything happens after the debt was placed with us (and after the account opened).
    since_placed = (today - np.array(first["placed_on"].to_numpy(), dtype="datetime64[D]")).astype(
        np.int64
    )
    debtors = first_account.index.to_numpy()
    draw = rng.random(len(debtors))
    kinds = np.select(
        [draw < 0.004, draw < 0.010, draw < 0.015, draw < 0.020, draw < 0.030],
        ["deceased", "bankruptcy", "attorney", "cease", "dispute"],
        "",
    )
    counts: dict[str, int] = {}

    def day(back: int) -> datetime.date:
        return (today - back).astype(datetime.date)  # type: ignore[no-any-return]

    hit = np.flatnonzero(kinds != "")
    with progress_bar("life events", len(hit), progress, "debtors") as bar, store.transaction():
        for k, (debtor_id, kind, placed_days) in enumerate(
            zip(debtors[hit], kinds[hit], since_placed[hit], strict=True)
        ):
            if bar and k % 100 == 0:
                bar(k, len(hit))
            counts[kind] = counts.get(kind, 0) + 1
            back = int(rng.integers(0, max(1, min(300, int(placed_days)))))
            if kind == "dispute":
                store.record_dispute(str(first_account[debtor_id]), day(back), written=True)
                continue
            d = store.debtor(str(debtor_id))
            if kind == "deceased":
                d = d.replace(deceased=_debtor.Deceased(day(back), source="probate notice"))
            elif kind == "bankruptcy":
                d = d.replace(
                    bankruptcies=[_debtor.Bankruptcy(7, day(back), case_number="26-10001")]
                )
            elif kind == "attorney":
                d = d.replace(
                    attorneys=[_debtor.AttorneyRepresentation(day(back), firm="Legal Aid Clinic")]
                )
            else:
                cease = _debtor.CeaseCommunication(str(first_account[debtor_id]), day(back))
                d = d.replace(cease_communications=[cease])
            store.save(d)
    return counts


def onboarding_letters(
    store: Store, config: Any, on: datetime.date, progress: bool | None = False
) -> dict[str, int]:
    """The validation notices of every open account placed by ``on`` (as the collector would
    have mailed them when the accounts were placed), through the configured ``validation``
    campaign, written under ``out_dir/onboarding/`` and logged."""
    import pathlib

    from arrears.workflows import build_campaign, campaign_accounts

    spec = next(c for c in config.campaigns if c["select"] == "new")
    spec = {**spec, "placed_within_days": None, "name": "onboarding"}
    ids = campaign_accounts(store, on, spec)
    campaign = build_campaign(store, on, spec, config.collector, ids, progress)
    folder = pathlib.Path(config.out_dir) / "onboarding" / campaign.name
    with progress_bar("validation notices", len(ids), progress, "letters") as bar:
        campaign.run(folder, log=store.letter_sink(campaign), progress=bar or False)
    return dict(campaign.counts)


def dt_datetime(day: datetime.date) -> datetime.datetime:
    """Midnight UTC at the start of ``day``."""
    return datetime.datetime.combine(day, datetime.time(0, 0), datetime.timezone.utc)


def prepare(
    directory: os.PathLike[str] | str,
    n: int,
    seed: int,
    as_of: datetime.date,
    say: Any = None,
    progress: bool | None = False,
    config: Config | None = None,
) -> tuple[Store, DemoData, dict[str, Any]]:
    """Everything ``arrears demo`` does before the nightly batch: a fresh store at
    ``directory/arrears.db`` (outputs under ``directory/out/`` removed) with ``n`` generated
    accounts, their payments, call history, plans, life events and the validation notices mailed
    at placement (with ``config``'s validation campaign; default :func:`demo_config`). Returns
    the store, the generated data and what was done, with timings. ``progress``: a bar for
    every step that takes a while (None: on a terminal or in Jupyter only)."""
    import shutil
    import time

    say = say or (lambda _msg: None)
    base = os.fspath(directory)
    os.makedirs(base, exist_ok=True)
    # A new demo replaces the last one: its store and everything it wrote (letters are never
    # overwritten in place, so the old outputs go first).
    shutil.rmtree(os.path.join(base, "out"), ignore_errors=True)
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    say(f"generating {n:,} accounts ...")
    store, data = build_store(os.path.join(base, "arrears.db"), n, seed, as_of, progress=progress)
    timings["generate and import"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    calls = contact_history(data, seed)
    total = sum(len(c) for c in calls.values())
    with progress_bar("call history", total, progress, "calls") as bar:
        done = 0
        for collector, attempts in calls.items():
            store.record_contacts(attempts, collector=collector)
            done += len(attempts)
            if bar:
                bar(done, total)
    timings["contact history"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    plans, plan_payments = plan_book(data, seed)
    with progress_bar("plans", len(plans), progress, "plans") as bar, store.transaction():
        for k, plan in enumerate(plans):
            store.save_plan(plan)
            if bar and (k + 1) % 200 == 0:
                bar(k + 1, len(plans))
    rows = len(plan_payments)
    for start, stop in chunks(rows, "plan payments", progress, "payments", IMPORT_ROWS):
        store.import_payments(plan_payments.iloc[start:stop])
    timings["plans and their payments"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    events = life_events(store, data, seed, progress=progress)
    timings["deaths, bankruptcies, disputes"] = time.perf_counter() - t0
    cfg = config or demo_config(os.path.join(base, "out"), as_of)
    t0 = time.perf_counter()
    say("mailing the validation notices of the accounts placed 40 days ago or earlier ...")
    onboarding = onboarding_letters(store, cfg, as_of - datetime.timedelta(days=40), progress)
    timings["validation notices at placement"] = time.perf_counter() - t0
    history = {
        "life_events": events,
        "validation_notices_at_placement": onboarding,
        "seconds": timings,
    }
    return store, data, history


def demo_run(
    directory: os.PathLike[str] | str,
    n: int = 100_000,
    seed: int = 2026,
    as_of: datetime.date | None = None,
    progress: bool | None = None,
    echo: Any = None,
) -> dict[str, Any]:
    """What ``arrears demo`` does: a fresh store at ``directory/arrears.db`` with ``n`` generated
    accounts and their history, then the nightly batch for ``as_of`` with outputs in
    ``directory/out/``; returns (and with ``echo`` prints) the summary."""
    from arrears.config import load_config
    from arrears.workflows import nightly

    say = echo or (lambda _msg: None)
    base = os.fspath(directory)
    as_of = as_of or datetime.date.today()
    # The demo runs with the arrears.toml it leaves, so the folder works for the CLI after it.
    config_path = write_config(base, as_of)
    cfg = load_config(config_path)
    store, data, history = prepare(base, n, seed, as_of, say, progress, cfg)
    timings: dict[str, float] = dict(history["seconds"])
    events, onboarding = history["life_events"], history["validation_notices_at_placement"]
    say("running the nightly batch ...")
    summary = nightly(store, as_of, cfg, progress=progress)
    for s in summary.steps:
        timings[f"nightly: {s.name}"] = s.seconds
    aging = summary.step("aging").detail
    strategy = summary.step("strategy").detail
    result = {
        "as_of": as_of.isoformat(),
        "store": os.path.join(base, "arrears.db"),
        "config": str(config_path),
        "out_dir": summary.out_dir,
        **_demo_summary(data),
        "balance": _format_cents(aging["balance_cents"]),
        "buckets": {
            k: {"accounts": v["accounts"], "balance": _format_cents(v["balance_cents"])}
            for k, v in aging["buckets"].items()
        },
        "calls": strategy["calls"],
        "calls_allowed": strategy["calls_allowed"],
        "calls_blocked_by_rule": strategy["calls_blocked_by_rule"],
        "life_events": events,
        "validation_notices_at_placement": onboarding,
        "plans": summary.step("plans").detail,
        "paid_in_full": summary.step("close").detail["paid_in_full"],
        "letters": summary.step("letters").detail.get("campaigns", {}),
        "metro2": summary.step("metro2").detail,
        "seconds": {k: round(v, 2) for k, v in timings.items()},
    }
    store.close()
    if echo:
        _print_summary(result, say)
    return result


def _format_cents(cents: int) -> str:
    from arrears import Money

    return Money.from_minor(int(cents)).format()


def _print_summary(r: dict[str, Any], say: Any) -> None:
    say("")
    say(
        f"arrears demo, as of {r['as_of']}: {r['accounts']:,} accounts of {r['debtors']:,} "
        f"debtors, {r['payments']:,} payments, balance {r['balance']}"
    )
    say(
        "  events: "
        + ", ".join(f"{n:,} {k}" for k, n in sorted(r["life_events"].items()))
        + f"; {r['validation_notices_at_placement']['letters']:,} validation notices at placement"
    )
    say(f"  store:   {r['store']} (config {r['config']}: run arrears commands in that folder)")
    say(f"  outputs: {r['out_dir']}")
    say("  aging:")
    for bucket, v in r["buckets"].items():
        say(f"    {bucket:>8}  {v['accounts']:>9,} accounts  {v['balance']:>18}")
    say(
        f"  calls: {r['calls']:,} on the worklists, {r['calls_allowed']:,} allowed at the call time"
    )
    for rule, count in r["calls_blocked_by_rule"].items():
        say(f"    blocked by {rule}: {count:,}")
    plans = r["plans"]
    say(
        "  plans: "
        + ", ".join(f"{n:,} {status}" for status, n in sorted(plans["plans_by_status"].items()))
    )
    say(f"  closed:  {r['paid_in_full']:,} accounts paid in full")
    say("  letters:")
    for name, c in r["letters"].items():
        why = ", ".join(f"{k} {v:,}" for k, v in c.get("suppressed_by_reason", {}).items())
        say(
            f"    {name:32} {c.get('sent', 0):>7,} sent, {c.get('suppressed', 0):>5,} suppressed"
            + (f" ({why})" if why else "")
        )
    m2 = r["metro2"]
    if "file" in m2:
        why = ", ".join(f"{k} {v:,}" for k, v in m2["excluded_by_reason"].items())
        say(f"  metro2:  {m2['reported']:,} accounts reported, {m2['excluded']:,} left out ({why})")
        say(f"           {m2['file']}")
    say("  time:")
    for step, sec in r["seconds"].items():
        say(f"    {step:34} {sec:8.2f} s")
