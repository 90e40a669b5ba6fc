# Stubs of the compiled module arrears._core: one submodule per area of the core, each with its own
# stub here, checked against the built module by mypy.stubtest in `make test`. The Metro 2 segment
# classes in metro2.pyi are generated from the C++ layout tables by tools/gen_stubs.py.
from typing import Any, ClassVar, Self, type_check_only

from arrears._core import aging as aging
from arrears._core import calendar as calendar
from arrears._core import compliance as compliance
from arrears._core import debtor as debtor
from arrears._core import ledger as ledger
from arrears._core import letters as letters
from arrears._core import metro2 as metro2
from arrears._core import money as money
from arrears._core import plans as plans
from arrears._core import portfolio as portfolio
from arrears._core import store as store
from arrears._core import strategy as strategy
from arrears._core import table as table

@type_check_only
class _pybind11_type(type):
    """pybind11's metaclass (pybind11_builtins.pybind11_type) of every bound class."""

__version__: str

# The value protocol of bindings/glue/value.hpp, written once: every bound value type is
# (_Value, metaclass=_pybind11_type), or _JsonValue when its storage form is JSON. A class lists
# a member itself only where it differs (a precise pickle state, a typed to_dict).
@type_check_only
class _Value:
    def __eq__(self, other: object) -> bool: ...
    def __ne__(self, other: object) -> bool: ...
    def __hash__(self) -> int: ...
    def __copy__(self) -> Self: ...
    def __deepcopy__(self, memo: object) -> Self: ...
    def __getstate__(self) -> tuple[Any, ...]: ...
    def __setstate__(self, state: tuple[Any, ...]) -> None: ...

@type_check_only
class _JsonValue(_Value):
    def to_dict(self) -> dict[str, Any]: ...
    def to_json(self) -> str: ...
    @classmethod
    def from_dict(cls, data: dict[str, Any] | str) -> Self: ...
    @classmethod
    def from_json(cls, data: dict[str, Any] | str) -> Self: ...
    def __getstate__(self) -> tuple[int, str]: ...
    def __setstate__(self, state: tuple[int, str]) -> None: ...

@type_check_only
class _Replace:
    """glue::def_replace: a copy with some constructor arguments changed."""
    def replace(self, **changes: Any) -> Self: ...

@type_check_only
class _MutableJsonValue(_JsonValue):
    __hash__: ClassVar[None]  # type: ignore[assignment]
