"""The arrears exception tree.

Every error arrears raises, from C++ or from Python, is one of these classes; the compiled core
translates its C++ errors into them in one place (``bindings/bind_errors.cpp``)::

    Error                      root of everything arrears raises
    ├── ValidationError        bad input; the message names the field and the value (a ValueError)
    │   └── OverflowError      an amount or count does not fit (also a builtins.OverflowError)
    ├── NotFoundError          an id that does not exist (a LookupError)
    ├── ConflictError          contradicts stored state (reversing twice, a stale write)
    ├── ComplianceError        a rule forbids the action; ``.rule`` and ``.citation``
    └── StorageError           the store failed; ``.code`` (SQLite result code), ``.retryable``
"""

from __future__ import annotations

import builtins

__all__ = [
    "ComplianceError",
    "ConflictError",
    "Error",
    "NotFoundError",
    "OverflowError",
    "StorageError",
    "ValidationError",
]


class Error(Exception):
    """Root of every error arrears raises."""


class ValidationError(Error, ValueError):
    """Bad input: the message names the field and the offending value."""


class OverflowError(ValidationError, builtins.OverflowError):  # noqa: A001 - mirrors C++ name
    """An amount or count does not fit (arithmetic never wraps)."""


class NotFoundError(Error, LookupError):
    """An id that does not exist."""


class ConflictError(Error):
    """The request contradicts stored state (reversing a payment twice, a stale write)."""


class ComplianceError(Error):
    """A compliance rule forbids the action.

    ``rule`` is the stable rule id (``reg_f.call_frequency``) and ``citation`` the legal source
    (``12 CFR 1006.14(b)(2)(i)(A)``).
    """

    def __init__(self, message: str, rule: str | None = None, citation: str | None = None) -> None:
        super().__init__(message)
        self.rule = rule
        self.citation = citation

    def __reduce__(self) -> tuple[type, tuple[str, str | None, str | None]]:
        return (type(self), (str(self), self.rule, self.citation))


class StorageError(Error):
    """The store failed. ``code`` is the SQLite (extended) result code, 0 when not SQLite's;
    ``retryable`` is true when trying again later can succeed (the database was busy)."""

    def __init__(self, message: str, code: int = 0, retryable: bool = False) -> None:
        super().__init__(message)
        self.code = code
        self.retryable = retryable

    def __reduce__(self) -> tuple[type, tuple[str, int, bool]]:
        return (type(self), (str(self), self.code, self.retryable))
