"""Every report on a small, hand-checked store."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import matplotlib
import pandas as pd
import pytest

import arrears
from arrears import Store, demo
from arrears import reports as R
from arrears.compliance import ContactAttempt
from arrears.plots import money_formatter, money_label
from arrears.reports import Report

matplotlib.use("Agg")
import matplotlib.pyplot as plt

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
    liq = R.liquidation(store, D(2026, 11, 1), vintage="month")
    f = liq.frame.set_index("placement_month")
    assert f.loc["2026-08", "placed_cents"] == 250_000
    assert f.loc["2026-08", "collected_cents"] == 60_000
    assert f.loc["2026-09", "liquidation_rate"] == 1.0
    curve = liq.meta["curve"].set_index(["vintage", "month"])
    assert curve.loc[("2026-08", 0), "cumulative_cents"] == 0
    assert curve.loc[("2026-08", 1), "cumulative_cents"] == 50_000
    assert curve.loc[("2026-08", 2), "cumulative_cents"] == 60_000
    assert curve.loc[("2026-08", 3), "cumulative_cents"] == 60_000  # to the as-of month
    assert curve.loc[("2026-09", 1), "cumulative_rate"] == 1.0  # A1 paid off in October


def test_liquidation_vintages_by_quarter_and_year(store: Store) -> None:
    # Both months are in 2026-Q3: one curve of both accounts' payments over both placements.
    auto = R.liquidation(store, D(2026, 11, 1))
    assert auto.meta["vintage"] == "quarter"
    curve = auto.meta["curve"].set_index(["vintage", "month"])
    assert set(auto.meta["curve"]["vintage"]) == {"2026-Q3"}
    assert curve.loc[("2026-Q3", 3), "placed_cents"] == 350_000
    assert curve.loc[("2026-Q3", 1), "cumulative_cents"] == 150_000  # A3's 500 + A1's 1000
    assert curve.loc[("2026-Q3", 3), "cumulative_cents"] == 160_000
    yearly = R.liquidation(store, D(2026, 11, 1), vintage="year").meta["curve"]
    assert set(yearly["vintage"]) == {"2026"}
    with pytest.raises(arrears.ValidationError, match="vintage: 'week'"):
        R.liquidation(store, D(2026, 11, 1), vintage="week")


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


# -- charts a manager puts in a deck -----------------------------------------------------------

AS_OF = D(2026, 11, 23)


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> Store:
    """A generated book (balances in the millions, three years of placements, desks and
    collectors, calls and promises)."""
    store, _data, _history = demo.prepare(tmp_path_factory.mktemp("book"), 3000, 2026, AS_OF)
    return store


def every_report(store: Store, as_of: dt.date) -> list[Report]:
    start = as_of - dt.timedelta(days=30)
    return [
        R.aging(store, as_of),
        R.aging(store, as_of, by="client"),
        R.roll_rates(store, start, as_of),
        R.roll_rates(store, start, as_of, normalize=False),
        R.liquidation(store, as_of),
        R.liquidation(store, as_of, by="client"),
        R.promises(store, as_of - dt.timedelta(days=180), as_of),
        R.collectors(store, start, as_of),
        R.contacts(store, start, as_of),
        R.cure_rate(store, start, as_of),
        R.dso(store, as_of),
    ]


@pytest.mark.parametrize(
    ("dollars", "label"),
    [
        (1_200_000, "$1.2M"),
        (1_000_000, "$1M"),
        (999_960, "$1M"),
        (17_500_000, "$17.5M"),
        (350_000, "$350K"),
        (12_500, "$12.5K"),
        (980, "$980"),
        (0, "$0"),
        (-2_000_000_000, "-$2B"),
    ],
)
def test_money_reads_as_on_a_slide(dollars: float, label: str) -> None:
    assert money_label(dollars) == label
    assert money_formatter()(dollars, 0) == label


def test_report_titles_are_words_with_their_dates(store: Store) -> None:
    for r in every_report(store, D(2026, 11, 1)):
        for text in (r.title, repr(r), r._repr_html_()):
            assert "{" not in text and "datetime" not in text and "_" not in r.title, text
        assert "Nov 1, 2026" in r.title, r.title
    assert R.aging(store, D(2026, 11, 1), by="client").title == "Aging by client as of Nov 1, 2026"
    assert R.contacts(store, D(2026, 10, 1), D(2026, 10, 31)).title == (
        "Contacts, Oct 1 to Oct 31, 2026"
    )
    assert R.roll_rates(store, D(2025, 12, 1), D(2026, 1, 1)).period == (
        "Dec 1, 2025 to Jan 1, 2026"
    )


WORDS = re.compile(r"[A-Z][A-Za-z0-9 ,.'()%/-]*")


def test_every_chart_is_ready_for_a_slide(book: Store) -> None:
    for r in every_report(book, AS_OF):
        ax = r.plot()
        fig = ax.figure
        fig.canvas.draw()
        where = r.title
        assert "Nov 23, 2026" in ax.get_title(loc="left"), where
        for label in (ax.get_xlabel(), ax.get_ylabel()):
            assert WORDS.fullmatch(label) and "_" not in label, (where, label)
        for a in fig.axes:  # the chart, a second scale, a colour bar
            for axis in (a.xaxis, a.yaxis):
                assert axis.get_offset_text().get_text() == "", (where, "offset")
        for text in fig.findobj(matplotlib.text.Text):  # "$1M of $2M" is not math
            assert len(re.findall(r"(?<!\\)\$", text.get_text())) < 2, (where, text.get_text())
        legend = ax.get_legend()
        if r.name == "roll_rates":  # a heatmap: its colour bar says what the colours count
            shares = r.meta["normalized"]
            assert fig.axes[-1].get_ylabel() == (
                "Share of the row's accounts" if shares else "Accounts"
            )
        else:
            assert legend is not None and legend.get_texts(), where
        plt.close(fig)


def test_many_groups_are_the_largest_and_all_others(book: Store) -> None:
    by_two = R.aging(book, AS_OF, by=["client", "queue"])
    assert by_two.frame[["client", "queue"]].drop_duplicates().shape[0] > 8
    ax = by_two.plot()
    groups = [t.get_text() for t in ax.get_legend().get_texts()][:-1]  # the last: the note
    assert len(groups) == 8 and groups[-1] == "all others"
    assert ax.get_title(loc="left").startswith("Balance owed by days past due, client and queue")
    plt.close(ax.figure)


def test_money_axes_read_in_dollars(book: Store) -> None:
    aging = R.aging(book, AS_OF)
    assert aging.frame["balance"].max() > 1_000_000  # where matplotlib would print 1e6
    ax = aging.plot()
    assert ax.yaxis.get_major_formatter()(1_200_000, 0) == "$1.2M"
    ax.figure.canvas.draw()
    ticks = [t.get_text() for t in ax.get_yticklabels() if t.get_text()]
    assert ticks and all(t.startswith("$") for t in ticks)
    plt.close(ax.figure)
    ax = R.collectors(book, AS_OF - dt.timedelta(days=30), AS_OF).plot()
    assert ax.xaxis.get_major_formatter()(1_200_000, 0) == "$1.2M"
    plt.close(ax.figure)


def test_liquidation_draws_a_labelled_curve_per_vintage(book: Store) -> None:
    liq = R.liquidation(book, AS_OF)
    months = liq.frame["placement_month"].nunique()
    assert months > 24  # ~37 months of placements: drawn as a few vintages, not 37 lines
    ax = liq.plot()
    lines = ax.get_lines()
    assert 2 <= len(lines) <= 8
    labels = [line.get_label() for line in lines]
    assert all(not label.startswith("_") for label in labels)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == labels
    assert labels[0].startswith(liq.meta["curve"]["vintage"].iloc[0])
    plt.close(ax.figure)


def test_the_gallery_shows_a_chart_of_every_report() -> None:
    from arrears.plots import _DRAW

    root = Path(__file__).resolve().parents[2]
    page = (root / "docs" / "reports.md").read_text()
    shown = re.findall(r"!\[[^\]]+\]\(images/([\w-]+)\.png\)", page)
    assert sorted(shown) == sorted(p.stem for p in (root / "docs" / "images").glob("*.png"))
    assert set(_DRAW) <= set(shown)  # a drawing per report, each in the gallery
