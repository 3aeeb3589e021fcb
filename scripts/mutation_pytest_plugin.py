"""A pytest plugin for mutation runs only (`scripts/mutation`; loaded by [tool.mutmut] in
pyproject.toml as ``-p scripts.mutation_pytest_plugin``).

mutmut runs pytest many times in one process (and in processes forked from it), so a
hypothesis test method meets a new instance of its test class on every run after the first.
Hypothesis takes that for a test "called from multiple different executors" and fails it; for
mutmut's repeated in-process runs the warning does not apply. This plugin loads the suite's
`ci` profile (tests/conftest.py) with that one health check suppressed, after the conftest has
loaded its profile, and with 10 examples a property instead of 100: a surviving mutant runs
every test that reaches its function, and the property tests are most of that time. The
thresholds are stated by example-based tests, which run in full.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, settings


def pytest_configure(config: pytest.Config) -> None:
    settings.register_profile(
        "mutation",
        parent=settings.get_profile("ci"),
        max_examples=10,
        suppress_health_check=[HealthCheck.differing_executors],
    )
    settings.load_profile("mutation")
