"""Hypothesis profiles: `ci` (default, quick and deterministic) and `fuzz` (long, opt-in with
HYPOTHESIS_PROFILE=fuzz)."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

# pytester runs the fixtures and assertion helper of carecontinuum's pytest plugin as a
# downstream test suite would (tests/test_pytest_plugin.py).
pytest_plugins = ["pytester"]

settings.register_profile("ci", max_examples=100, deadline=None, derandomize=True)
settings.register_profile(
    "fuzz",
    max_examples=100_000,
    deadline=None,
    database=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.filter_too_much,
        HealthCheck.large_base_example,
    ],
)
settings.register_profile("dev", max_examples=50, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
