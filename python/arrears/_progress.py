"""Progress bars for long calls: text (tqdm) on a terminal, the tqdm widget in Jupyter.

``enabled=None`` shows a bar only on an interactive terminal or in a Jupyter kernel, so scripts,
cron jobs and logs stay clean; ``True`` and ``False`` force it. In Jupyter the widget needs
``ipywidgets`` (the ``[notebook]`` extra); without it the bar is text, with a one-line hint in
the log instead of tqdm's warning."""

from __future__ import annotations

import contextlib
import importlib.util
import logging
import sys
from collections.abc import Iterator
from typing import Any

_log = logging.getLogger("arrears")
_hinted = False


class Bar:
    """The callback ``bar(done, total)`` that drives a tqdm bar. It takes the total it is given
    when that differs (a campaign learns how many letters it sends once it has selected them);
    ``bar.describe(text)`` says what is running now (the nightly's step)."""

    def __init__(self, bar: Any) -> None:
        self._bar = bar
        self._shown = 0

    def __call__(self, done: int, total: int) -> None:
        if total > 0 and total != self._bar.total:
            self._bar.total = total
            self._bar.refresh()
        if done > self._shown:
            self._bar.update(done - self._shown)
            self._shown = done

    def describe(self, text: str) -> None:
        self._bar.set_description(text, refresh=True)


@contextlib.contextmanager
def progress_bar(
    desc: str, total: int, enabled: bool | None = None, unit: str = "rows"
) -> Iterator[Bar | None]:
    """Yields a :class:`Bar` (a callback ``fn(done, total)``), or None when disabled."""
    if enabled is None:
        enabled = _interactive()
    if not enabled or total <= 0:
        yield None
        return
    bar = _tqdm()(total=total, desc=desc, unit=unit, unit_scale=True, leave=False)
    try:
        yield Bar(bar)
    finally:
        bar.close()


def chunks(
    total: int, desc: str, enabled: bool | None, unit: str, size: int
) -> Iterator[tuple[int, int]]:
    """``(start, stop)`` ranges over ``total`` rows, ``size`` at a time, with a bar; one range
    over everything when no bar is shown (so the work stays one call)."""
    if total <= 0:
        return
    with progress_bar(desc, total, enabled, unit) as bar:
        if bar is None:
            yield 0, total
            return
        for start in range(0, total, size):
            stop = min(total, start + size)
            yield start, stop
            bar(stop, total)


def _interactive() -> bool:
    if _in_kernel():
        return True
    return bool(getattr(sys.stderr, "isatty", lambda: False)())


def _in_kernel() -> bool:
    """A Jupyter kernel (not a terminal IPython): where tqdm draws a widget."""
    return "ipykernel" in sys.modules


def _tqdm() -> Any:
    """The bar class: tqdm's notebook widget in a kernel with ipywidgets, text otherwise."""
    global _hinted
    if _in_kernel():
        if importlib.util.find_spec("ipywidgets") is not None:
            from tqdm.auto import tqdm as auto

            return auto
        if not _hinted:
            _hinted = True
            _log.info("progress bars as text: pip install 'arrears[notebook]' for widgets")
    from tqdm.std import tqdm

    return tqdm
