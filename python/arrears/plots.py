"""Charts for the reports (matplotlib): aging bars, a roll-rate heatmap, liquidation curves by
vintage, the promise-kept trend. ``report.plot()`` draws one; the CLI saves them as PNG."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from arrears.reports import Report

__all__ = ["plot_report", "save_png"]


def _axes(ax: Any) -> Any:
    if ax is not None:
        return ax
    import matplotlib

    if matplotlib.get_backend().lower() not in ("agg",) and not _interactive():
        matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    _fig, new = plt.subplots(figsize=(8, 4.5))
    return new


def _interactive() -> bool:
    import sys

    return "ipykernel" in sys.modules


def plot_report(report: Report, ax: Any = None) -> Any:
    """Draws ``report`` on ``ax`` (a new figure when None) and returns the Axes."""
    ax = _axes(ax)
    f = report.frame
    kind = report.chart
    if kind == "aging":
        if report.meta.get("by"):
            pivot = f.pivot_table(
                index="bucket",
                columns=report.meta["by"],
                values="balance",
                aggfunc="sum",
                observed=False,
            )
            pivot.plot(kind="bar", stacked=True, ax=ax)
        else:
            ax.bar(f["bucket"].astype(str), f["balance"], color="#4C72B0")
            for x, (n, b) in enumerate(zip(f["accounts"], f["balance"], strict=True)):
                ax.annotate(f"{n:,}", (x, b), ha="center", va="bottom", fontsize=8)
        ax.set_xlabel("days past due")
        ax.set_ylabel("balance ($)")
        ax.set_title(f"Aging as of {report.meta.get('as_of')}")
    elif kind == "heatmap":
        matrix = f.set_index("from")
        im = ax.imshow(
            matrix.to_numpy(dtype=float),
            cmap="Blues",
            vmin=0,
            vmax=1 if report.meta.get("normalized") else None,
        )
        ax.set_xticks(range(len(matrix.columns)), [str(c) for c in matrix.columns], rotation=45)
        ax.set_yticks(range(len(matrix.index)), list(matrix.index))
        for i in range(matrix.shape[0]):
            for j in range(matrix.shape[1]):
                v = float(matrix.iat[i, j])
                if v:
                    ax.text(
                        j,
                        i,
                        f"{v:.0%}" if report.meta.get("normalized") else f"{v:,.0f}",
                        ha="center",
                        va="center",
                        fontsize=7,
                    )
        ax.set_xlabel(f"bucket on {report.meta.get('end')}")
        ax.set_ylabel(f"bucket on {report.meta.get('start')}")
        ax.set_title("Roll rates")
        ax.figure.colorbar(im, ax=ax)
    elif kind == "liquidation":
        curve = report.meta.get("curve")
        if curve is not None and len(curve):
            for vintage, g in curve.groupby("vintage"):
                ax.plot(g["month"], g["cumulative_rate"], label=str(vintage), linewidth=1)
            ax.set_xlabel("months since placement")
            ax.set_ylabel("collected / placed")
            if curve["vintage"].nunique() <= 12:
                ax.legend(fontsize=7)
        else:
            ax.bar(f.iloc[:, 0].astype(str), f["liquidation_rate"])
            ax.set_ylabel("collected / placed")
        ax.set_title(f"Liquidation as of {report.meta.get('as_of')}")
    elif kind == "trend":
        ax.plot(f.iloc[:, 0].astype(str), f.get("kept_rate", f.iloc[:, -1]), marker="o")
        ax.set_ylim(0, 1)
        ax.set_ylabel("kept rate")
        ax.set_title("Promises kept")
    else:
        value = next(
            (
                c
                for c in ("collected", "cure_rate", "rpc_rate", "dso_days", "balance")
                if c in f.columns
            ),
            f.columns[-1],
        )
        ax.bar(f.iloc[:, 0].astype(str), f[value])
        ax.set_ylabel(value)
        ax.set_title(report.name)
        ax.tick_params(axis="x", rotation=45)
    ax.figure.tight_layout()
    return ax


def save_png(report: Report, path: str) -> str:
    """Draws the report and writes it as a PNG; returns the path."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(8, 4.5))
    plot_report(report, ax=ax)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path
