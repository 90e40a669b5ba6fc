"""Every report on a small, hand-checked store."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

import arrears
from arrears import Store
from arrears import reports as R
from arrears.compliance import ContactAttempt

D = dt.date
UTC = dt.timezone.utc


@pytest.fixture(scope="module")
def store() -> Store:
    s = Store(":memory:")
    s.import_debtors(pd.DataFrame({"debtor_id": ["D1", "D2", "D3"], "last_name": ["A", "B", "C"]}))
    # Three accounts placed in two months; A1 10 dpd on Oct 1, A2 40 dpd, A3 charged off.
    s.import_accounts(
        pd.DataFrame(
            {
                "account_id": ["A1", "A2", "A3"],
                "debtor_id": ["D1", "D2", "D3"],
                "opened_on": ["2024-01-01"] * 3,
                "first_delinquency_on": ["2026-09-21", "2026-08-22", "2025-01-01"],
                "placed_on": ["2026-09-22", "2026-08-23", "2026-08-23"],
                "principal": ["1000.00", "500.00", "2000.00"],
                "client": ["acme", "acme", "blue"],
                "collector": ["ann", "bob", "bob"],
            }
        )
    )
    # A1 pays off on Oct 15 (cured); A2 pays 100 in Oct; A3 pays 500 in Sep.
    s.import_payments(
        pd.DataFrame(
            {
                "account_id": ["A1", "A2", "A3"],
                "amount": ["1000.00", "100.00", "500.00"],
                "effective_date": [D(2026, 10, 15), D(2026, 10, 20), D(2026, 9, 5)],
                "reference": ["p1", "p2", "p3"],
            }
        )
    )
    at = dt.datetime(2026, 10, 2, 15, 0, tzinfo=UTC)
    s.record_contacts(
        [
            ContactAttempt("D1", ["A1"], "call", "outbound", "conversation", at),
            ContactAttempt(
                "D1", ["A1"], "call", "outbound", "not_connected", at + dt.timedelta(hours=1)
            ),
            ContactAttempt("D2", ["A2"], "call", "outbound", "connected", at),
            ContactAttempt(
                "D2", ["A2"], "call", "outbound", "not_connected", at + dt.timedelta(days=1)
            ),
        ],
        collector="ann",
    )
    return s


def test_aging_totals_and_groups(store: Store) -> None:
    r = R.aging(store, D(2026, 10, 1)).frame.set_index("bucket")
    assert r.loc["1-30", "accounts"] == 1 and r.loc["1-30", "balance_cents"] == 100_000
    assert r.loc["31-60", "balance_cents"] == 50_000
    assert r.loc["181+", "balance_cents"] == 150_000  # 2000 less the September payment
    by = R.aging(store, D(2026, 10, 1), by="client").frame
    assert by[(by.client == "blue") & (by.bucket == "181+")].balance_cents.item() == 150_000
    with pytest.raises(arrears.ValidationError, match="'region'"):
        R.aging(store, D(2026, 10, 1), by="region")


def test_roll_rates_and_cure(store: Store) -> None:
    rr = R.roll_rates(store, D(2026, 10, 1), D(2026, 11, 1)).frame.set_index("from")
    assert rr.loc["1-30", "current"] == 1.0  # A1 paid off
    assert rr.loc["31-60", "61-90"] == 1.0  # A2 rolled
    counts = R.roll_rates(store, D(2026, 10, 1), D(2026, 11, 1), normalize=False).frame
    assert counts.drop(columns="from").to_numpy().sum() == 3
    cure = R.cure_rate(store, D(2026, 10, 1), D(2026, 11, 1)).frame.set_index("bucket")
    assert cure.loc["1-30", "cure_rate"] == 1.0 and cure.loc["31-60", "cure_rate"] == 0.0
    with pytest.raises(arrears.ValidationError, match="after"):
        R.roll_rates(store, D(2026, 11, 1), D(2026, 10, 1))


def test_liquidation_by_vintage(store: Store) -> None:
    liq = R.liquidation(store, D(2026, 11, 1))
    f = liq.frame.set_index("placement_month")
    assert f.loc["2026-08", "placed_cents"] == 250_000
    assert f.loc["2026-08", "collected_cents"] == 60_000
    assert f.loc["2026-09", "liquidation_rate"] == 1.0
    curve = liq.meta["curve"].set_index(["vintage", "month"])
    assert curve.loc[("2026-08", 1), "cumulative_cents"] == 50_000
    assert curve.loc[("2026-08", 2), "cumulative_cents"] == 60_000


def test_contacts_collectors_and_dso(store: Store) -> None:
    c = R.contacts(store, D(2026, 10, 1), D(2026, 10, 31)).frame.set_index("collector")
    assert c.loc["ann", "attempts"] == 4
    assert c.loc["ann", "contacts"] == 2 and c.loc["ann", "right_party_contacts"] == 1
    assert c.loc["ann", "rpc_rate"] == 0.25
    col = R.collectors(store, D(2026, 10, 1), D(2026, 10, 31)).frame.set_index("collector")
    assert col.loc["ann", "collected_cents"] == 100_000
    assert col.loc["bob", "collected_cents"] == 10_000 and col.loc["bob", "calls"] == 2
    dso = R.dso(store, D(2026, 10, 31), days=90).frame.set_index("client")
    # acme: receivables 400 (A2), placed 1500 in 90 days -> 400 / (150000/90) = 24 days
    assert dso.loc["acme", "dso_days"] == 24.0


def test_promises_without_plans_is_empty_not_an_error(store: Store) -> None:
    assert R.promises(store, D(2026, 1, 1), D(2026, 12, 31)).frame.empty


def test_plots_write_pngs(store: Store, tmp_path: Path) -> None:
    from arrears.plots import save_png

    for report in (
        R.aging(store, D(2026, 10, 1)),
        R.roll_rates(store, D(2026, 10, 1), D(2026, 11, 1)),
        R.liquidation(store, D(2026, 11, 1)),
        R.collectors(store, D(2026, 10, 1), D(2026, 10, 31)),
    ):
        path = save_png(report, str(tmp_path / f"{report.name}.png"))
        assert Path(path).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert "<table" in report._repr_html_()
