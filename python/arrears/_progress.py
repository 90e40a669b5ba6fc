"""Progress bars for long core calls (tqdm.auto: a widget in Jupyter, text on a terminal)."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterator

ProgressCallback = Callable[[int, int], None]


@contextlib.contextmanager
def progress_bar(
    desc: str, total: int, enabled: bool | None = None, unit: str = "rows"
) -> Iterator[ProgressCallback | None]:
    """Yields a callback ``fn(done, total)`` that drives a tqdm bar, or None when disabled.

    ``enabled=None`` shows a bar only on an interactive terminal or in Jupyter, so scripts and
    logs stay clean."""
    if enabled is None:
        enabled = _interactive()
    if not enabled or total <= 0:
        yield None
        return
    from tqdm.auto import tqdm

    bar = tqdm(total=total, desc=desc, unit=unit, unit_scale=True, leave=False)
    shown = 0

    def update(done: int, _total: int) -> None:
        nonlocal shown
        if done > shown:
            bar.update(done - shown)
            shown = done

    try:
        yield update
    finally:
        bar.close()


def _interactive() -> bool:
    if "ipykernel" in sys.modules:
        return True
    return bool(getattr(sys.stderr, "isatty", lambda: False)())
