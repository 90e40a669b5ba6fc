"""Shared pytest configuration for arrears."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

# "ci" keeps property tests thorough but bounded so `make test` stays well under its budget.
settings.register_profile(
    "ci", max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("dev", max_examples=50, deadline=None)
# `make fuzz`: tests/python/test_fuzz.py with thirty times its examples (it reads the profile
# name); other property tests get 2,000 examples.
settings.register_profile(
    "fuzz", max_examples=2000, deadline=None, suppress_health_check=list(HealthCheck)
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
