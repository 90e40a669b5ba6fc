"""The analyst views (docs/store.md, "Tables and views") give what the engine computes: each view
against its API twin on the demo's store, row by row and column by column (issue 15 item 7)."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import arrears
from arrears import demo

AS_OF = dt.date(2026, 11, 23)
DOCUMENTED_VIEWS = {"v_account_balance", "v_aging_input", "v_transactions", "v_contact_points"}


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[arrears.Store]:
    """The demo's store (2,000 accounts with payments, calls, plans, deaths, bankruptcies,
    attorneys, cease requests, disputes and the validation notices), plans evaluated so some
    promises are broken."""
    folder = tmp_path_factory.mktemp("views")
    s, _, _ = demo.prepare(folder, 2_000, 2026, AS_OF)
    s.evaluate_plans(AS_OF)
    yield s
    s.close()


def view(store: arrears.Store, name: str) -> pd.DataFrame:
    """The view as a plain SQLite client reads it (pandas over sqlite3), not through arrears."""
    with sqlite3.connect(f"file:{store.path}?mode=ro", uri=True) as db:
        return pd.read_sql(f"SELECT * FROM {name}", db)


def plain(value: Any) -> Any:
    """One comparable form for both sides: None for nulls, ISO text for dates, int for bools."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp | dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if hasattr(value, "item"):  # numpy scalars
        value = value.item()
    if isinstance(value, bool):
        return int(value)
    return value


def ids(store: arrears.Store, table: str) -> list[str]:
    return [r["id"] for r in store.query(f"SELECT id FROM {table} ORDER BY id").to_pylist()]


def rows(frame: pd.DataFrame, key: list[str]) -> list[tuple[Any, ...]]:
    """The frame's rows in comparable form, sorted by the key columns."""
    at = [list(frame.columns).index(k) for k in key]
    out = [tuple(plain(v) for v in r) for r in frame.itertuples(index=False)]
    return sorted(out, key=lambda r: tuple(str(r[i]) for i in at))


def test_the_documented_views_are_the_views_in_the_store(store: arrears.Store) -> None:
    found = store.query("SELECT name FROM sqlite_master WHERE type = 'view'").to_pylist()
    names = {r["name"] for r in found}
    assert names == DOCUMENTED_VIEWS
    documented = (Path(__file__).resolve().parents[2] / "docs" / "store.md").read_text()
    for name in DOCUMENTED_VIEWS:
        assert f"| `{name}` |" in documented


def test_the_demo_store_has_what_the_views_must_show(store: arrears.Store) -> None:
    # Otherwise the comparisons below would compare nulls with nulls.
    p = store.portfolio_table(AS_OF).to_pandas()  # what load_portfolio holds
    assert p.state.notna().mean() > 0.9
    for flag in ("disputed", "cease", "bankruptcy", "deceased", "attorney"):
        assert p[flag].any(), flag
    assert (p.broken_promises > 0).any()
    assert p.last_contact_date.notna().any() and p.last_payment_date.notna().any()
    assert (p.balance_cents <= 0).any() and p.oldest_unpaid_due.isna().any()


def test_v_aging_input_is_the_portfolio_as_of_the_latest_date(store: arrears.Store) -> None:
    """Every column load_portfolio gives, with the same values, for an as-of date on or after
    everything recorded (the view has no date: everything in the store counts)."""
    latest = store.query(
        "SELECT max(d) AS d FROM (SELECT max(effective_date) AS d FROM transactions "
        "UNION ALL SELECT max(substr(at, 1, 10)) FROM contact_events "
        "UNION ALL SELECT max(event_date) FROM plan_events)"
    ).to_pylist()[0]["d"]
    as_of = max(AS_OF, dt.date.fromisoformat(latest))
    engine = store.portfolio_table(as_of).to_pandas()  # what load_portfolio holds
    sql = view(store, "v_aging_input")
    assert list(sql.columns) == list(engine.columns)
    assert len(sql) == len(engine) == 2_000
    expected, got = rows(engine, ["account_id"]), rows(sql[engine.columns], ["account_id"])
    for column_index, name in enumerate(engine.columns):
        differ = [
            (e[0], e[column_index], g[column_index])
            for e, g in zip(expected, got, strict=True)
            if e[column_index] != g[column_index]
        ]
        assert not differ, f"{name}: {len(differ)} accounts differ, e.g. {differ[:3]}"


def test_v_account_balance_is_each_accounts_ledger_balance(store: arrears.Store) -> None:
    sql = view(store, "v_account_balance").set_index("account_id")
    assert len(sql) == 2_000
    for account_id, r in sql.iterrows():
        a = store.account(str(account_id))
        b = a.balance()
        got = {k: plain(v) for k, v in r.items()}
        assert got == {
            "currency": a.currency,
            "principal_cents": b.principal.minor,
            "interest_cents": b.interest.minor,
            "fees_cents": b.fees.minor,
            "costs_cents": b.costs.minor,
            "unapplied_cents": b.unapplied.minor,
            "balance_cents": b.total.minor,
            "entries": len(a.transaction_list()),
            "last_payment_on": plain(a.last_payment_date()),
        }, account_id


def test_v_transactions_is_each_accounts_journal(store: arrears.Store) -> None:
    sql = view(store, "v_transactions")
    columns = ["account_id", "seq", "type", "effective_date", "amount_cents", "reference"]
    journal = pd.concat(
        [store.account(str(a)).transactions.to_pandas() for a in ids(store, "accounts")]
    ).rename(columns={"id": "seq", "effective": "effective_date"})
    assert len(sql) == len(journal) > 2_000
    assert rows(sql[columns], ["account_id", "seq"]) == rows(
        journal[columns], ["account_id", "seq"]
    )


def test_v_contact_points_is_each_debtors_contact_points(store: arrears.Store) -> None:
    sql = view(store, "v_contact_points")
    expected = []
    for debtor_id in ids(store, "debtors"):
        d = store.debtor(str(debtor_id))
        points: list[tuple[str, Any, str, str | None, str | None]] = [
            (
                "address",
                a,
                ", ".join(x for x in (a.line1, a.line2, a.city) if x) + f", {a.state} {a.zip}",
                a.state,
                a.zip,
            )
            for a in d.addresses
        ]
        points += [("phone", p, p.number, None, None) for p in d.phones]
        points += [("email", e, e.address, None, None) for e in d.emails]
        for kind, p, value, state, zip_code in points:
            expected.append(
                {
                    "debtor_id": debtor_id,
                    "contact_point_id": p.id,
                    "kind": kind,
                    "type": p.type,
                    "value": value,
                    "state": state,
                    "zip": zip_code,
                    "source": p.source,
                    "confidence": p.confidence,
                    "status": p.status,
                    "first_seen_on": p.first_seen,
                    "last_seen_on": p.last_seen,
                    "verified_on": p.verified_on,
                }
            )
    engine = pd.DataFrame(expected)
    assert list(sql.columns) == list(engine.columns)
    assert len(sql) == len(engine) > 2_000
    key = ["debtor_id", "contact_point_id"]
    assert rows(sql, key) == rows(engine, key)


def test_a_version_2_file_gets_the_new_views_when_opened_writable(tmp_path: Path) -> None:
    path = tmp_path / "v2.db"
    with arrears.Store(path) as s:
        s.save(
            arrears.Debtor("D1", "Ana", "Lopez").replace(
                addresses=[arrears.debtor.Address("1 Main St", "Boston", "MA", "02110", id="a1")]
            )
        )
        a = arrears.Account("A1", dt.date(2024, 1, 15), debtors=["D1"])
        a.post_charge("100.00", dt.date(2024, 1, 15), "placement")
        s.save(a)
    with sqlite3.connect(path) as db:  # as a file written before version 3: the old view
        db.execute("DROP VIEW v_aging_input")
        db.execute(
            "CREATE VIEW v_aging_input AS SELECT a.id AS account_id, a.state FROM accounts a"
        )
        db.execute("PRAGMA user_version=2")
    latest = arrears._core.store.Store.latest_schema_version
    with pytest.raises(arrears.StorageError, match=f"version 2 and needs migrating to {latest}"):
        arrears.Store(path, read_only=True)
    with arrears.Store(path) as s:
        assert s.schema_version == latest
        row = s.query("SELECT account_id, state, balance_cents FROM v_aging_input").to_pylist()
        assert row == [{"account_id": "A1", "state": "MA", "balance_cents": 10000}]
        assert s.account("A1").balance().total.minor == 10000
