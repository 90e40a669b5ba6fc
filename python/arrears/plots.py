"""Charts for the reports (matplotlib), drawn to go on a slide as they are: a title with the
report's dates, axes named in words, money as ``$1.2M`` (:func:`money_label`, the one money
formatter), and a legend that says what the bars, lines and numbers count.

``report.plot()`` draws one on an Axes; :func:`save_png` writes it (the CLI's ``report --png``
and the nightly batch's ``reports/*.png``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

    from arrears.reports import Report

__all__ = ["money_formatter", "money_label", "plot_report", "save_png"]

FIGSIZE = (8.0, 4.5)  # 16:9, a slide
MONEY_COLOR = "#2b5b84"
GOOD_COLOR = "#3a8d5c"
BAD_COLOR = "#c0504d"
OTHER_COLOR = "#9aa5b1"
MAX_GROUPS = 8  # groups in one chart before the smallest are shown together
# Colours for groups (clients, desks): distinct, readable on a projector.
PALETTE = ["#2b5b84", "#e08a2e", "#3a8d5c", "#c0504d", "#7b5ea7", "#8c6d46", "#d36fa5", "#5f6b77"]


def money_label(dollars: float) -> str:
    """``$1.2M``, ``$350K``, ``$12.5K``, ``$980``, ``-$2B``: an amount in whole dollars as it
    reads on a chart (one decimal at most, none when it is zero)."""
    sign = "-" if dollars < 0 else ""
    value = abs(float(dollars))
    if value < 999.5:
        return f"{sign}${value:,.0f}"
    for size, suffix in ((1e3, "K"), (1e6, "M"), (1e9, "B"), (1e12, "T")):
        shown = round(value / size, 1)
        if shown < 1000 or suffix == "T":  # 999,960 reads $1M, not $1000K
            return f"{sign}${shown:,.1f}".removesuffix(".0") + suffix
    raise AssertionError("unreachable")


def money_formatter() -> Any:
    """A matplotlib tick formatter for amounts in dollars: ``$1.2M``."""
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(lambda value, _pos: money_label(value))


def _percent_axis(axis: Any) -> None:
    """Shares as percentages at round steps (0%, 5%, 10% ...)."""
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    axis.set_major_locator(MaxNLocator(nbins=6, steps=[1, 2, 5, 10]))
    axis.set_major_formatter(FuncFormatter(lambda value, _pos: f"{round(value * 100, 2):g}%"))


def _count_formatter() -> Any:
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(lambda value, _pos: f"{value:,.0f}")


def _axes(ax: Any) -> Any:
    if ax is not None:
        return ax
    import matplotlib

    if matplotlib.get_backend().lower() not in ("agg",) and not _interactive():
        matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    _fig, new = plt.subplots(figsize=FIGSIZE)
    return new


def _interactive() -> bool:
    import sys

    return "ipykernel" in sys.modules


def plot_report(report: Report, ax: Any = None) -> Any:
    """Draws ``report`` on ``ax`` (a new figure when None) and returns the Axes."""
    ax = _axes(ax)
    draw = _DRAW.get(report.name) or _DRAW_BY_CHART.get(report.chart, _generic)
    draw(report, ax)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.figure.tight_layout()
    return ax


def save_png(report: Report, path: str, dpi: int = 110) -> str:
    """Draws the report and writes it as a PNG (8 x 4.5 inches at ``dpi``); returns the path."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=FIGSIZE)
    try:
        plot_report(report, ax=ax)
        fig.savefig(path, dpi=dpi)
    finally:
        plt.close(fig)
    return path


# -- one drawing per report ------------------------------------------------------------------


def _text(text: str) -> str:
    """Text for a label or legend: a dollar sign is a dollar sign, never the start of math."""
    return text.replace("$", r"\$")


def _title(ax: Any, headline: str, report: Report, legend: list[Any] | None = None) -> None:
    """The chart's title (the report's dates after the headline) and, with ``legend``, its
    legend in a row under the title, where it can cover no bar."""
    rows = 0
    if legend:
        columns, rows = _legend_grid([str(h.get_label()) for h in legend])
        ax.legend(
            handles=legend,
            loc="lower left",
            bbox_to_anchor=(0, 1.0),
            ncols=columns,
            fontsize=8,
            frameon=False,
            borderaxespad=0.2,
            handlelength=1.5,
        )
    text = f"{headline}, {report.period}" if report.period else headline
    ax.set_title(text, loc="left", fontsize=12, fontweight="bold", pad=6 + 15 * rows)


def _legend_grid(labels: list[str], width: int = 100) -> tuple[int, int]:
    """Columns and rows for a legend of ``labels`` in a row across the chart: as many columns
    (at most four) as fit in ``width`` characters. Matplotlib fills a legend column by column."""
    for columns in range(min(len(labels), 4), 0, -1):
        rows = -(-len(labels) // columns)
        chunks = [labels[k * rows : (k + 1) * rows] for k in range(columns)]
        if sum(max((len(t) for t in c), default=0) + 6 for c in chunks) <= width:
            break
    return columns, rows


def _label_bars(ax: Any, bars: Any, labels: list[str], horizontal: bool = False) -> None:
    ax.bar_label(bars, labels=[_text(t) for t in labels], padding=3, fontsize=8, color="#333333")
    if horizontal:
        ax.margins(x=0.18)
    else:
        ax.margins(y=0.12)


def _note(text: str) -> Any:
    """A legend entry that explains numbers printed on the chart (no marker)."""
    from matplotlib.lines import Line2D

    return Line2D([], [], linestyle="none", marker="none", label=_text(text))


def _aging(report: Report, ax: Any) -> None:
    f = report.frame
    groups = report.meta.get("by") or []
    buckets = [str(b) for b in f["bucket"].astype(str).drop_duplicates()]
    if groups:
        keys = f[groups].astype(str).agg(" / ".join, axis=1)
        pivot = (
            f.assign(_group=keys, bucket=f["bucket"].astype(str))
            .pivot_table(index="bucket", columns="_group", values="balance", aggfunc="sum")
            .reindex(buckets)
            .fillna(0.0)
        )
        if len(pivot.columns) > MAX_GROUPS:  # the largest, and the rest as one
            largest = pivot.sum().sort_values(ascending=False).index[: MAX_GROUPS - 1]
            rest = pivot.drop(columns=largest).sum(axis=1)
            pivot = pivot[sorted(largest)].assign(**{"all others": rest})
        accounts = (
            f.assign(bucket=f["bucket"].astype(str)).groupby("bucket")["accounts"].sum()
        ).reindex(buckets)
        bottom = None
        bars = None
        for k, group in enumerate(pivot.columns):
            bars = ax.bar(
                buckets,
                pivot[group],
                bottom=bottom,
                label=_text(str(group)),
                color=PALETTE[k % len(PALETTE)],
            )
            bottom = pivot[group] if bottom is None else bottom + pivot[group]
        if bars is not None:
            _label_bars(ax, bars, [f"{int(n):,}" for n in accounts.fillna(0)])
        names = [g.replace("_", " ") for g in groups]
        words = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
        handles, _labels = ax.get_legend_handles_labels()
        # A legend per group, in the empty top-left corner (the oldest bucket holds the most).
        ax.legend(
            handles=[*handles, _note("Number above bar: accounts")],
            title=words.capitalize(),
            loc="upper left",
            fontsize=8,
            title_fontsize=8,
            frameon=False,
        )
        joint = " and " if len(names) == 1 else ", "
        _title(ax, f"Balance owed by days past due{joint}{words}", report)
    else:
        bars = ax.bar(buckets, f["balance"], color=MONEY_COLOR, label="Balance owed")
        _label_bars(ax, bars, [f"{int(n):,}" for n in f["accounts"]])
        _title(
            ax,
            "Balance owed by days past due",
            report,
            legend=[bars, _note("Number above bar: accounts")],
        )
    ax.yaxis.set_major_formatter(money_formatter())
    ax.set_xlabel("Days past due")
    ax.set_ylabel("Balance owed")


def _roll_rates(report: Report, ax: Any) -> None:
    from arrears.reports import day_label

    matrix = report.frame.set_index("from")
    shares = bool(report.meta.get("normalized"))
    values = matrix.to_numpy(dtype=float)
    im = ax.imshow(values, cmap="Blues", vmin=0, vmax=1 if shares else None, aspect="auto")
    ax.set_xticks(range(len(matrix.columns)), [str(c) for c in matrix.columns])
    ax.set_yticks(range(len(matrix.index)), [str(i) for i in matrix.index])
    top = values.max() if values.size else 0
    for i in range(values.shape[0]):
        for j in range(values.shape[1]):
            v = values[i, j]
            if v:
                ax.text(
                    j,
                    i,
                    f"{v:.0%}" if shares else f"{v:,.0f}",
                    ha="center",
                    va="center",
                    fontsize=8,
                    color="white" if top and v > 0.6 * top else "#222222",
                )
    ax.set_xlabel(f"Days past due on {day_label(report.meta['end'])}")
    ax.set_ylabel(f"Days past due on {day_label(report.meta['start'])}")
    bar = ax.figure.colorbar(im, ax=ax, fraction=0.04)
    if shares:
        bar.set_label("Share of the row's accounts")
        _percent_axis(bar.ax.yaxis)
    else:
        bar.set_label("Accounts")
        bar.ax.yaxis.set_major_formatter(_count_formatter())
    for side in ("left", "bottom"):
        ax.spines[side].set_visible(False)
    _title(ax, "Roll rates: where each bucket's accounts moved", report)


def _liquidation(report: Report, ax: Any) -> None:
    curve = report.meta.get("curve")
    if curve is not None and len(curve):
        import matplotlib

        vintages = list(dict.fromkeys(curve["vintage"]))
        colors = matplotlib.colormaps["viridis"]
        for k, vintage in enumerate(vintages):
            g = curve[curve["vintage"] == vintage]
            share = k / max(1, len(vintages) - 1)
            placed = money_label(float(g["placed_cents"].iloc[0]) / 100)
            ax.plot(
                g["month"],
                g["cumulative_rate"],
                label=_text(f"{vintage} ({placed} placed)"),
                linewidth=2,
                color=colors(0.85 * share),
            )
        grain = report.meta.get("vintage", "month")
        # Lower right: the curves rise from the lower left, the youngest steepest.
        ax.legend(
            title=f"Placed in (by {grain})",
            loc="lower right",
            fontsize=8,
            title_fontsize=8,
            frameon=False,
        )
        ax.set_xlabel("Months since placement")
        ax.set_xlim(left=0)
        ax.set_ylim(bottom=0)
        ax.grid(axis="y", color="#e5e5e5")
        _title(ax, "Liquidation curves by placement vintage", report)
    else:
        f = report.frame
        key = str(report.meta.get("by") or f.columns[0])
        bars = ax.bar(
            f[key].astype(str), f["liquidation_rate"], color=MONEY_COLOR, label="Collected / placed"
        )
        labels = [
            f"{money_label(c / 100)} of {money_label(p / 100)}"
            for c, p in zip(f["collected_cents"], f["placed_cents"], strict=True)
        ]
        _label_bars(ax, bars, labels)
        ax.set_xlabel(key.replace("_", " ").capitalize())
        _title(
            ax,
            f"Liquidation by {key.replace('_', ' ')}",
            report,
            legend=[bars, _note("Label: collected of placed")],
        )
    ax.set_ylabel("Collected, share of placed balance")
    _percent_axis(ax.yaxis)


def _months(values: pd.Series) -> list[str]:
    import pandas as pd

    return [pd.Period(str(m), "M").strftime("%b %Y") for m in values]


def _promises(report: Report, ax: Any) -> None:
    f = report.frame
    months = _months(f["month"]) if len(f) else []
    kept = [int(v) for v in f["kept"]] if len(f) else []
    broken = [int(v) for v in f["broken"]] if len(f) else []
    undecided = [int(p) - k - b for p, k, b in zip(f["promises"], kept, broken, strict=True)]
    b1 = ax.bar(months, kept, color=GOOD_COLOR, label="Kept")
    b2 = ax.bar(months, broken, bottom=kept, color=BAD_COLOR, label="Broken")
    b3 = ax.bar(
        months,
        undecided,
        bottom=[k + b for k, b in zip(kept, broken, strict=True)],
        color=OTHER_COLOR,
        label="Not yet decided",
    )
    ax.set_xlabel("Month the promise was due")
    ax.set_ylabel("Promises to pay")
    ax.yaxis.set_major_formatter(_count_formatter())
    rate = ax.twinx()
    rates = [float(r) for r in f["kept_rate"]] if len(f) else []
    (line,) = rate.plot(months, rates, color="#222222", marker="o", label="Kept rate (right)")
    for x, r in zip(months, rates, strict=True):
        rate.annotate(
            f"{r:.0%}", (x, r), xytext=(0, 7), textcoords="offset points", ha="center", fontsize=8
        )
    rate.set_ylim(0, 1.1)
    _percent_axis(rate.yaxis)
    rate.set_ylabel("Kept, share of decided promises")
    rate.spines["top"].set_visible(False)
    _title(ax, "Promises to pay: kept and broken", report, legend=[b1, b2, b3, line])


def _collectors(report: Report, ax: Any) -> None:
    from matplotlib.patches import Patch

    f = report.frame.sort_values(["collected", "collector"], ascending=[True, False])
    desks = (
        [str(q) if isinstance(q, str) and q else "no desk" for q in f["queue"]]
        if "queue" in f.columns
        else ["all"] * len(f)
    )
    order = sorted(set(desks))
    colors = [PALETTE[order.index(d) % len(PALETTE)] for d in desks]
    bars = ax.barh(f["collector"].astype(str), f["collected"], color=colors)
    labels = [
        f"{int(p):,} payments, {int(c):,} calls"
        for p, c in zip(f["payments"], f["calls"], strict=True)
    ]
    _label_bars(ax, bars, labels, horizontal=True)
    handles: list[Any] = [
        Patch(color=PALETTE[k % len(PALETTE)], label=_text(d)) for k, d in enumerate(order)
    ]
    handles.append(_note("Label: payments and calls in the period"))
    # Lower right: the smallest amounts are at the bottom.
    ax.legend(
        handles=handles,
        title="Desk",
        fontsize=8,
        title_fontsize=8,
        frameon=False,
        loc="lower right",
    )
    ax.xaxis.set_major_formatter(money_formatter())
    ax.set_xlabel("Amount collected")
    ax.set_ylabel("Collector")
    ax.tick_params(axis="y", labelsize=8)
    _title(ax, "Collected by collector", report)


def _contacts(report: Report, ax: Any) -> None:
    import numpy as np

    f = report.frame.sort_values(["contact_rate", "collector"], ascending=[True, False])
    y = np.arange(len(f))
    h = 0.38
    reached = ax.barh(
        y + h / 2,
        f["contact_rate"],
        height=h,
        color=MONEY_COLOR,
        label="Connected or left a message (contact)",
    )
    spoke = ax.barh(
        y - h / 2,
        f["rpc_rate"],
        height=h,
        color=GOOD_COLOR,
        label="Spoke with the debtor (right-party contact)",
    )
    _label_bars(ax, reached, [f"{int(n):,} calls" for n in f["attempts"]], horizontal=True)
    ax.set_yticks(y, [_text(str(c)) for c in f["collector"]])
    ax.tick_params(axis="y", labelsize=8)
    _percent_axis(ax.xaxis)
    ax.set_xlim(0, 1)
    ax.set_xlabel("Share of outbound calls")
    ax.set_ylabel("Collector")
    legend = [reached, spoke, _note("Label: outbound calls made")]
    _title(ax, "Call outcomes by collector", report, legend=legend)


def _cure_rate(report: Report, ax: Any) -> None:
    from arrears.reports import day_label

    f = report.frame
    bars = ax.bar(
        f["bucket"].astype(str),
        f["cure_rate"],
        color=GOOD_COLOR,
        label=f"Current or paid off on {day_label(report.meta['end'])}",
    )
    _label_bars(
        ax,
        bars,
        [f"{int(c):,} of {int(d):,}" for c, d in zip(f["cured"], f["delinquent"], strict=True)],
    )
    _percent_axis(ax.yaxis)
    ax.set_xlabel(f"Days past due on {day_label(report.meta['start'])}")
    ax.set_ylabel("Share of the bucket's accounts")
    legend = [bars, _note("Label: accounts cured of those past due")]
    _title(ax, "Cure rate: past-due accounts brought current", report, legend=legend)


def _dso(report: Report, ax: Any) -> None:
    f = report.frame
    key = str(f.columns[0])
    days = report.meta.get("days", 90)
    bars = ax.bar(
        f[key].astype(str),
        f["dso_days"].fillna(0),
        color=MONEY_COLOR,
        label="Days sales outstanding",
    )
    _label_bars(ax, bars, [money_label(c / 100) for c in f["receivables_cents"]])
    ax.set_xlabel(key.replace("_", " ").capitalize())
    ax.set_ylabel("Days sales outstanding")
    ax.yaxis.set_major_formatter(_count_formatter())
    _title(
        ax,
        f"Days sales outstanding (on the last {days} days' placements)",
        report,
        legend=[bars, _note("Label: balance owed")],
    )


def _generic(report: Report, ax: Any) -> None:
    """A report this module has no drawing for: the last numeric column per row."""
    f = report.frame
    numeric = [c for c in f.columns[1:] if str(f[c].dtype).startswith(("int", "float"))]
    value = numeric[-1] if numeric else f.columns[-1]
    name = str(value).removesuffix("_cents").replace("_", " ")
    amounts = f[value] / 100 if str(value).endswith("_cents") else f[value]
    bars = ax.bar(f.iloc[:, 0].astype(str), amounts, color=MONEY_COLOR, label=name.capitalize())
    if str(value).endswith("_cents"):
        ax.yaxis.set_major_formatter(money_formatter())
    ax.legend(handles=[bars], fontsize=8, frameon=False)
    ax.set_xlabel(str(f.columns[0]).replace("_", " ").capitalize())
    ax.set_ylabel(name.capitalize())
    ax.tick_params(axis="x", rotation=30)
    ax.set_title(report.title, loc="left", fontsize=12, fontweight="bold")


_DRAW = {
    "aging": _aging,
    "roll_rates": _roll_rates,
    "liquidation": _liquidation,
    "promises": _promises,
    "collectors": _collectors,
    "contacts": _contacts,
    "cure_rate": _cure_rate,
    "dso": _dso,
}
_DRAW_BY_CHART = {
    "aging": _aging,
    "heatmap": _roll_rates,
    "liquidation": _liquidation,
    "trend": _promises,
}
