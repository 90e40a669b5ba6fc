"""Reports a collections team reads every morning, as DataFrames (``.frame``), Arrow tables
(``.table``), charts (``.plot()``) and HTML in Jupyter.

Every report is computed from the store (or a portfolio) as of dates you give; nothing reads the
clock. The heavy lifting is SQL inside SQLite and the C++ portfolio engine; pandas only shapes
the result.

- :func:`aging` — accounts and balance per delinquency bucket, optionally by client/portfolio.
- :func:`roll_rates` — bucket-to-bucket transition matrix between two dates.
- :func:`liquidation` — collected / placed by placement month (vintage), and its curve.
- :func:`promises` — promise-to-pay kept rate by month.
- :func:`contacts` — contact rate and right-party-contact rate by collector.
- :func:`collectors` — collector/queue performance.
- :func:`cure_rate` — share of delinquent accounts that became current.
- :func:`dso` — days sales outstanding for a creditor portfolio.
"""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from arrears.aging import DEFAULT_BUCKETS, Buckets
from arrears.errors import ValidationError

if TYPE_CHECKING:
    import pandas as pd

    from arrears.portfolio import Portfolio
    from arrears.store import Store

__all__ = [
    "Report",
    "aging",
    "collectors",
    "contacts",
    "cure_rate",
    "dso",
    "liquidation",
    "promises",
    "roll_rates",
]


@dataclass
class Report:
    """A named result: ``frame`` (pandas), ``meta`` (the parameters), ``chart`` (the kind of
    plot ``plot()`` draws)."""

    name: str
    frame: pd.DataFrame
    meta: dict[str, Any] = field(default_factory=dict)
    chart: str = "bar"

    @property
    def table(self) -> Any:
        """The report as a pyarrow Table."""
        import pyarrow as pa

        return pa.Table.from_pandas(self.frame, preserve_index=False)

    def plot(self, ax: Any = None) -> Any:
        """Draws the report's chart (matplotlib); returns the Axes."""
        from arrears import plots

        return plots.plot_report(self, ax=ax)

    def to_csv(self, path: str) -> None:
        """Writes the report's table as CSV (arrears.outputs: the one CSV writer, privately,
        renamed over ``path`` when complete)."""
        from arrears.outputs import write_csv_file

        write_csv_file(path, self.frame)

    @property
    def period(self) -> str:
        """The report's dates in words: ``as of Nov 23, 2026`` or ``Oct 24 to Nov 23, 2026``."""
        if "as_of" in self.meta:
            return f"as of {day_label(self.meta['as_of'])}"
        start, end = self.meta.get("start"), self.meta.get("end")
        if start is not None and end is not None:
            return f"{day_label(start, year=start.year != end.year)} to {day_label(end)}"
        return ""

    @property
    def title(self) -> str:
        """What the report is, for people: ``Aging by client as of Nov 23, 2026``."""
        head = _TITLES.get(self.name, self.name.replace("_", " ").capitalize())
        by = self.meta.get("by")
        groups = [by] if isinstance(by, str) else list(by or [])
        if groups:
            head += " by " + " and ".join(g.replace("_", " ") for g in groups)
        period = self.period
        if not period:
            return head
        return f"{head} {period}" if period.startswith("as of") else f"{head}, {period}"

    def __repr__(self) -> str:
        return f"<Report {self.title}: {len(self.frame):,} rows>"

    def _repr_html_(self) -> str:
        body: str = self.frame.to_html(index=False, max_rows=40)
        return f"<p><b>{html.escape(self.title)}</b></p>" + body


_TITLES = {
    "aging": "Aging",
    "roll_rates": "Roll rates",
    "liquidation": "Liquidation",
    "promises": "Promises to pay",
    "contacts": "Contacts",
    "collectors": "Collectors",
    "cure_rate": "Cure rate",
    "dso": "Days sales outstanding",
}


def day_label(day: dt.date, year: bool = True) -> str:
    """``Nov 23, 2026`` (``Nov 23`` without the year): the dates in report titles."""
    return f"{day:%b} {day.day}, {day.year}" if year else f"{day:%b} {day.day}"


def _portfolio(source: Store | Portfolio, as_of: dt.date) -> Portfolio:
    from arrears.portfolio import Portfolio

    if isinstance(source, Portfolio):
        return source
    return source.load_portfolio(as_of)


def _dollars(cents: Any) -> Any:
    return cents / 100


def aging(
    source: Store | Portfolio,
    as_of: dt.date,
    by: list[str] | str | None = None,
    buckets: Buckets | None = None,
) -> Report:
    """Accounts and balance per bucket as of a date (any date: past ones are replayed), by the
    portfolio columns in ``by`` (e.g. ``["client", "portfolio"]``)."""
    import pandas as pd

    buckets = buckets or DEFAULT_BUCKETS
    p = _portfolio(source, as_of)
    groups = [by] if isinstance(by, str) else list(by or [])
    if not groups:
        frame = p.bucket_summary(as_of, buckets).to_pandas()
        frame["balance"] = _dollars(frame["balance_cents"])
        return Report("aging", frame, {"as_of": as_of}, chart="aging")
    for g in groups:
        if g not in p.column_names:
            raise ValidationError(
                f"by: {g!r} is not a portfolio column ({', '.join(p.column_names)})"
            )
    aged = p.age(as_of, buckets).to_pandas()
    cols = pd.DataFrame({g: _column_values(p, source, as_of, g) for g in groups})
    df = pd.concat([aged, cols], axis=1)
    df["balance_cents"] = _column_values(p, source, as_of, "balance_cents")
    frame = (
        df.groupby([*groups, "bucket"], observed=False)
        .agg(accounts=("account_id", "count"), balance_cents=("balance_cents", "sum"))
        .reset_index()
    )
    frame["balance"] = _dollars(frame["balance_cents"])
    return Report("aging", frame, {"as_of": as_of, "by": groups}, chart="aging")


def _column_values(p: Portfolio, source: Any, as_of: dt.date, name: str) -> Any:
    from arrears.store import Store

    if isinstance(source, Store):
        return source.portfolio_table(as_of).column(name)
    raise ValidationError("aging by columns needs a store (or pass by=None)")


def roll_rates(
    source: Store,
    start: dt.date,
    end: dt.date,
    buckets: Buckets | None = None,
    normalize: bool = True,
) -> Report:
    """Bucket-to-bucket transition matrix: rows are the buckets on ``start``, columns on ``end``;
    with ``normalize`` each row is shares of its accounts (a roll-rate table)."""

    if end <= start:
        raise ValidationError(f"end: {end} must be after start {start}")
    buckets = buckets or DEFAULT_BUCKETS
    long = _transitions(source, start, end, buckets)
    labels = list(buckets.labels)
    matrix = long.pivot(index="from_bucket", columns="to_bucket", values="accounts")
    matrix = matrix.reindex(index=labels, columns=labels).fillna(0).astype("int64")
    if normalize:
        totals = matrix.sum(axis=1)
        matrix = matrix.div(totals.where(totals > 0), axis=0).fillna(0.0)
    matrix.index.name = "from"
    matrix.columns.name = "to"
    frame = matrix.reset_index()
    frame["from"] = frame["from"].astype(str)
    frame.columns = [str(c) for c in frame.columns]
    return Report(
        "roll_rates", frame, {"start": start, "end": end, "normalized": normalize}, chart="heatmap"
    )


def _transitions(source: Store, start: dt.date, end: dt.date, buckets: Buckets) -> pd.DataFrame:
    from arrears.portfolio import bucket_transitions

    before = source.load_portfolio(start)
    after = source.load_portfolio(end)
    long = bucket_transitions(before, start, after, end, buckets).to_pandas()
    long["from_bucket"] = long["from_bucket"].astype(str)
    long["to_bucket"] = long["to_bucket"].astype(str)
    return long


def liquidation(
    source: Store, as_of: dt.date, by: str = "placement_month", vintage: str = "auto"
) -> Report:
    """Collected / placed per placement month (or client, portfolio), and with
    ``by="placement_month"`` the liquidation curves in ``meta["curve"]``: collected / placed by
    months since placement, per vintage (``vintage``: month, quarter or year of placement;
    ``auto`` takes quarters when there are at most eight, else years)."""
    if by not in ("placement_month", "client", "portfolio"):
        raise ValidationError(f"by: {by!r} is not placement_month, client or portfolio")
    if vintage not in VINTAGES:
        raise ValidationError(f"vintage: {vintage!r} is not {', '.join(VINTAGES)}")
    sql = """
        WITH placed AS (
            SELECT t.account_id, min(t.effective_date) AS placed_on,
                   sum(t.amount_cents) AS placed_cents
            FROM transactions t
            WHERE t.reference = 'placement' AND t.type IN ('charge', 'fee')
            GROUP BY t.account_id
        ), paid AS (
            SELECT t.account_id, t.effective_date,
                   CASE WHEN t.type = 'payment' THEN t.amount_cents
                        ELSE -t.amount_cents END AS cents
            FROM transactions t
            WHERE t.type IN ('payment', 'payment_reversal') AND t.effective_date <= ?
        )
        SELECT substr(p.placed_on, 1, 7) AS placement_month, a.client, a.portfolio,
               p.account_id, p.placed_cents,
               coalesce(sum(q.cents), 0) AS collected_cents
        FROM placed p JOIN accounts a ON a.id = p.account_id
        LEFT JOIN paid q ON q.account_id = p.account_id
        WHERE p.placed_on <= ?
        GROUP BY p.account_id
    """
    df = source.query(sql, [as_of, as_of]).to_pandas()
    frame = (
        df.groupby(by)
        .agg(
            accounts=("account_id", "count"),
            placed_cents=("placed_cents", "sum"),
            collected_cents=("collected_cents", "sum"),
        )
        .reset_index()
    )
    frame["liquidation_rate"] = (frame["collected_cents"] / frame["placed_cents"]).fillna(0.0)
    meta: dict[str, Any] = {"as_of": as_of, "by": by}
    if by == "placement_month":
        if vintage == "auto":
            quarters = {_vintage(m, "quarter") for m in frame["placement_month"]}
            vintage = "quarter" if len(quarters) <= 8 else "year"
        meta["vintage"] = vintage
        meta["curve"] = _liquidation_curve(source, as_of, vintage)
    return Report("liquidation", frame, meta, chart="liquidation")


VINTAGES = ("auto", "month", "quarter", "year")


def _vintage(month: str, grain: str) -> str:
    """The vintage of a placement month ``YYYY-MM``: itself, ``YYYY-Qn`` or ``YYYY``."""
    if grain == "month":
        return month
    if grain == "quarter":
        return f"{month[:4]}-Q{(int(month[5:7]) - 1) // 3 + 1}"
    return month[:4]


def _liquidation_curve(source: Store, as_of: dt.date, vintage: str) -> pd.DataFrame:
    """Cumulative collected / placed by months since placement, per vintage: one row per
    vintage and month from 0 to the months its first placements have had (columns vintage,
    month, cents, cumulative_cents, placed_cents, cumulative_rate)."""
    import pandas as pd

    sql = """
        WITH placed AS (
            SELECT account_id, min(effective_date) AS placed_on
            FROM transactions WHERE reference = 'placement' AND type IN ('charge', 'fee')
            GROUP BY account_id
        )
        SELECT substr(p.placed_on, 1, 7) AS placement_month,
               (CAST(substr(t.effective_date, 1, 4) AS INTEGER) * 12
                + CAST(substr(t.effective_date, 6, 2) AS INTEGER))
             - (CAST(substr(p.placed_on, 1, 4) AS INTEGER) * 12
                + CAST(substr(p.placed_on, 6, 2) AS INTEGER)) AS month,
               sum(CASE WHEN t.type = 'payment' THEN t.amount_cents
                        ELSE -t.amount_cents END) AS cents
        FROM placed p JOIN transactions t ON t.account_id = p.account_id
        WHERE t.type IN ('payment', 'payment_reversal') AND t.effective_date <= ?
          AND p.placed_on <= ?
        GROUP BY placement_month, month
    """
    pay = source.query(sql, [as_of, as_of]).to_pandas()
    placed = source.query(
        "SELECT substr(placed_on, 1, 7) AS placement_month, sum(placed_cents) AS placed_cents "
        "FROM (SELECT min(effective_date) AS placed_on, sum(amount_cents) AS placed_cents "
        "FROM transactions WHERE reference = 'placement' AND type IN ('charge', 'fee') "
        "GROUP BY account_id) WHERE placed_on <= ? GROUP BY 1",
        [as_of],
    ).to_pandas()
    placed["vintage"] = [_vintage(m, vintage) for m in placed["placement_month"]]
    pay["vintage"] = [_vintage(m, vintage) for m in pay["placement_month"]]
    pay["month"] = pay["month"].clip(lower=0)  # a payment before placement counts at month 0
    totals = placed.groupby("vintage")["placed_cents"].sum()
    first = placed.groupby("vintage")["placement_month"].min()
    cents = pay.groupby(["vintage", "month"])["cents"].sum()
    now = as_of.year * 12 + as_of.month
    parts = []
    for v, total in totals.items():
        start = first[v]
        months = now - (int(start[:4]) * 12 + int(start[5:7]))
        got = cents[v] if v in cents.index.get_level_values(0) else pd.Series(dtype="int64")
        part = pd.DataFrame({"month": range(months + 1)})
        part["cents"] = part["month"].map(got).fillna(0).astype("int64")
        part.insert(0, "vintage", v)
        part["cumulative_cents"] = part["cents"].cumsum()
        part["placed_cents"] = int(total)
        part["cumulative_rate"] = part["cumulative_cents"] / total if total else 0.0
        parts.append(part)
    columns = ["vintage", "month", "cents", "cumulative_cents", "placed_cents", "cumulative_rate"]
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=columns)


def promises(source: Store, start: dt.date, end: dt.date) -> Report:
    """Promises to pay due in [start, end] by month: made, kept, broken and the kept rate."""
    sql = """
        SELECT substr(coalesce(i.due_on, p.plan_date), 1, 7) AS month, p.status
        FROM plans p LEFT JOIN installments i ON i.plan_id = p.id AND i.number = 1
        WHERE p.kind = 'promise' AND coalesce(i.due_on, p.plan_date) BETWEEN ? AND ?
    """
    df = source.query(sql, [start, end]).to_pandas()
    if df.empty:
        import pandas as pd

        frame = pd.DataFrame(
            {"month": [], "promises": [], "kept": [], "broken": [], "kept_rate": []}
        )
    else:
        kept = df["status"].isin(["completed", "kept"])
        broken = df["status"] == "broken"
        frame = (
            df.assign(kept=kept, broken=broken)
            .groupby("month")
            .agg(promises=("status", "count"), kept=("kept", "sum"), broken=("broken", "sum"))
            .reset_index()
        )
        decided = frame["kept"] + frame["broken"]
        frame["kept_rate"] = (frame["kept"] / decided.where(decided > 0)).fillna(0.0)
    return Report("promises", frame, {"start": start, "end": end}, chart="trend")


def contacts(source: Store, start: dt.date, end: dt.date) -> Report:
    """Per collector: outbound attempts, contacts (connected or better), right-party contacts
    (a conversation), the contact rate and the right-party-contact rate."""
    sql = """
        SELECT coalesce(collector, '(none)') AS collector,
               count(*) AS attempts,
               sum(outcome IN ('connected', 'conversation', 'left_message')) AS contacts,
               sum(outcome = 'conversation') AS right_party_contacts
        FROM contact_events
        WHERE direction = 'outbound' AND channel IN ('call', 'voicemail')
          AND substr(at, 1, 10) BETWEEN ? AND ?
        GROUP BY 1 ORDER BY 1
    """
    frame = source.query(sql, [start, end]).to_pandas()
    frame["contact_rate"] = (frame["contacts"] / frame["attempts"]).fillna(0.0)
    frame["rpc_rate"] = (frame["right_party_contacts"] / frame["attempts"]).fillna(0.0)
    return Report("contacts", frame, {"start": start, "end": end}, chart="bar")


def collectors(source: Store, start: dt.date, end: dt.date) -> Report:
    """Per assigned collector (or queue when none) and their queue (the desk): accounts,
    balance, payments and amount collected in [start, end], and calls made."""
    sql = """
        WITH pay AS (
            SELECT account_id, count(*) AS payments, sum(amount_cents) AS collected_cents
            FROM transactions WHERE type = 'payment' AND effective_date BETWEEN ? AND ?
            GROUP BY account_id
        ), calls AS (
            SELECT d.account_id, count(*) AS calls
            FROM contact_events e JOIN contact_event_debts d ON d.event_id = e.id
            WHERE e.channel = 'call' AND substr(e.at, 1, 10) BETWEEN ? AND ?
            GROUP BY d.account_id
        )
        SELECT coalesce(a.collector, a.queue, '(unassigned)') AS collector, a.queue AS queue,
               count(*) AS accounts, sum(s.balance_cents) AS balance_cents,
               coalesce(sum(p.payments), 0) AS payments,
               coalesce(sum(p.collected_cents), 0) AS collected_cents,
               coalesce(sum(c.calls), 0) AS calls
        FROM accounts a JOIN account_state s ON s.account_id = a.id
        LEFT JOIN pay p ON p.account_id = a.id
        LEFT JOIN calls c ON c.account_id = a.id
        GROUP BY 1, 2 ORDER BY collected_cents DESC, 1
    """
    frame = source.query(sql, [start, end, start, end]).to_pandas()
    frame["collected"] = _dollars(frame["collected_cents"])
    return Report("collectors", frame, {"start": start, "end": end}, chart="bar")


def cure_rate(
    source: Store, start: dt.date, end: dt.date, buckets: Buckets | None = None
) -> Report:
    """Of the accounts past due on ``start`` (by bucket), the share that is current (0 dpd) or
    paid off on ``end``."""
    buckets = buckets or DEFAULT_BUCKETS
    long = _transitions(source, start, end, buckets)
    current = buckets.labels[0]
    delinquent = long[long["from_bucket"] != current]
    frame = (
        delinquent.assign(cured=delinquent["accounts"].where(delinquent["to_bucket"] == current, 0))
        .groupby("from_bucket", sort=False)
        .agg(delinquent=("accounts", "sum"), cured=("cured", "sum"))
        .reset_index()
        .rename(columns={"from_bucket": "bucket"})
    )
    frame = frame[frame["delinquent"] > 0].reset_index(drop=True)
    frame["cure_rate"] = (frame["cured"] / frame["delinquent"]).fillna(0.0)
    return Report("cure_rate", frame, {"start": start, "end": end}, chart="bar")


def dso(source: Store, as_of: dt.date, days: int = 90, by: str | None = "client") -> Report:
    """Days sales outstanding: receivables on ``as_of`` / (amounts placed in the last ``days``
    days / ``days``). For a creditor's own book, "sales" are the charges posted."""
    if days < 1:
        raise ValidationError(f"days: {days} must be at least 1")
    start = as_of - dt.timedelta(days=days)
    if by not in (None, "client", "portfolio"):
        raise ValidationError(f"by: {by!r} is not client, portfolio or None")
    grp = f"a.{by}" if by else "'all'"
    recv = source.query(
        f"SELECT {grp} AS grp, sum(s.balance_cents) AS receivables_cents "
        "FROM accounts a JOIN account_state s ON s.account_id = a.id GROUP BY 1"
    ).to_pandas()
    sales = source.query(
        f"SELECT {grp} AS grp, sum(t.amount_cents) AS sales_cents "
        "FROM transactions t JOIN accounts a ON a.id = t.account_id "
        "WHERE t.type IN ('charge', 'fee', 'interest') "
        "AND t.effective_date > ? AND t.effective_date <= ? GROUP BY 1",
        [start, as_of],
    ).to_pandas()
    frame = recv.merge(sales, on="grp", how="left").fillna({"sales_cents": 0})
    daily = frame["sales_cents"] / days
    frame["dso_days"] = (frame["receivables_cents"] / daily.where(daily > 0)).round(1)
    frame = frame.rename(columns={"grp": by or "portfolio"})
    return Report("dso", frame, {"as_of": as_of, "days": days}, chart="bar")
