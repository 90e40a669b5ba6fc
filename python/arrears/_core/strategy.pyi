# Stubs of arrears._core.strategy: collection strategies.
# Bound in bindings/bind_strategy.cpp; checked against the built module by mypy.stubtest in `make
# test`.
import datetime
from collections.abc import Callable, Sequence

from arrears._core import _pybind11_type, _Value
from arrears._core.aging import Buckets
from arrears._core.portfolio import Portfolio
from arrears._core.table import Table

class Strategy(_Value, metaclass=_pybind11_type):
    def __init__(self, *args: object, **kwargs: object) -> None: ...
    @staticmethod
    def from_json(text: str) -> Strategy: ...
    def to_json(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def seed(self) -> str: ...
    @property
    def buckets(self) -> Buckets: ...
    @property
    def arm_names(self) -> list[str]: ...
    @property
    def segment_names(self) -> list[str]: ...
    def arm_of(self, account_id: str) -> str: ...
    def apply(
        self,
        portfolio: Portfolio,
        as_of: datetime.date,
        threads: int = 0,
        progress: Callable[[int, int], None] | None = None,
    ) -> Table: ...
    def worklist(
        self,
        portfolio: Portfolio,
        as_of: datetime.date,
        queues: Sequence[str] = ...,
        top_n: int | None = None,
        top_percent: float | None = None,
        threads: int = 0,
        progress: Callable[[int, int], None] | None = None,
    ) -> Table: ...
    def backtest(
        self,
        snapshots: Sequence[tuple[datetime.date, Portfolio]],
        payments: object,
        horizon_days: int = 30,
        threads: int = 0,
    ) -> Table: ...
