"""Draws the report gallery of docs/reports.md into docs/images/ (`make docs-images`).

A demo (fixed seed and date, so the pictures change only when the code does) runs in a
temporary folder; each report is drawn from its store as `arrears report <name> --png` draws
it, at a resolution that keeps the files small."""

from __future__ import annotations

import argparse
import datetime as dt
import pathlib
import tempfile

from arrears import demo, reports
from arrears.plots import save_png
from arrears.store import Store

AS_OF = dt.date(2026, 11, 23)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="docs/images", help="folder for the PNGs")
    parser.add_argument("--accounts", type=int, default=20_000)
    parser.add_argument("--dpi", type=int, default=90)
    args = parser.parse_args()
    out = pathlib.Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    start = AS_OF - dt.timedelta(days=30)
    with tempfile.TemporaryDirectory() as tmp:
        demo.demo_run(tmp, args.accounts, 2026, AS_OF, progress=False)
        with Store(pathlib.Path(tmp) / "arrears.db") as store:
            gallery = {
                "aging": reports.aging(store, AS_OF),
                "aging_by_client": reports.aging(store, AS_OF, by="client"),
                "roll_rates": reports.roll_rates(store, start, AS_OF),
                "liquidation": reports.liquidation(store, AS_OF),
                "promises": reports.promises(store, AS_OF - dt.timedelta(days=60), AS_OF),
                "collectors": reports.collectors(store, start, AS_OF),
                "contacts": reports.contacts(store, start, AS_OF),
                "cure_rate": reports.cure_rate(store, start, AS_OF),
                "dso": reports.dso(store, AS_OF),
            }
            for name, report in gallery.items():
                path = save_png(report, str(out / f"{name}.png"), dpi=args.dpi)
                print(f"{path}  {report.title}")


if __name__ == "__main__":
    main()
