"""Delinquency aging: days past due and buckets.

``Buckets([1, 31, 61, 91, 121, 181])`` means current (0 days past due), 1-30, 31-60, 61-90,
91-120, 121-180 and 181+: edges must be positive and strictly increasing, so the ranges never
overlap, and the last one is open-ended. The due date itself is day 0, the next day 1.
"""

from __future__ import annotations

from arrears._core.aging import Buckets, days_past_due

__all__ = ["DEFAULT_BUCKETS", "Buckets", "days_past_due"]

DEFAULT_BUCKETS = Buckets()
