"""arrears: a debt-collections engine with a C++20 core.

The public API lives here; the compiled module ``arrears._core`` is an implementation detail.
"""

from __future__ import annotations

from arrears.errors import (
    ComplianceError,
    ConflictError,
    Error,
    NotFoundError,
    StorageError,
    ValidationError,
)

try:
    from arrears import _core
except ImportError as exc:  # pragma: no cover - only when the extension was not built
    raise ImportError(
        "arrears' compiled core (arrears._core) could not be imported. Build and install the "
        "package first: `make test` sets up .venv, or `pip install .` in the source tree. "
        f"Original error: {exc}"
    ) from exc

from arrears import aging, calendar, compliance, debtor, errors, ledger, letters, metro2, plans
from arrears._core.debtor import Debtor
from arrears._core.ledger import Account
from arrears._core.money import Money, currency_exponent, known_currencies
from arrears.frames import Table
from arrears.ledger import post_payment_batch
from arrears.portfolio import Portfolio
from arrears.store import Store
from arrears.strategy import Strategy

__version__: str = _core.__version__

__all__ = [
    "Account",
    "ComplianceError",
    "ConflictError",
    "Debtor",
    "Error",
    "Money",
    "NotFoundError",
    "Portfolio",
    "StorageError",
    "Store",
    "Strategy",
    "Table",
    "ValidationError",
    "__version__",
    "aging",
    "calendar",
    "compliance",
    "currency_exponent",
    "debtor",
    "errors",
    "known_currencies",
    "ledger",
    "letters",
    "metro2",
    "plans",
    "post_payment_batch",
]
