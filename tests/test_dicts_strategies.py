"""Plain-data round trips over every strategy the library ships (eating our own cooking)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import carecontinuum as cc
from carecontinuum import strategies as ccst

STRATEGIES: dict[str, Callable[[], st.SearchStrategy[Any]]] = {
    "levels": ccst.levels,
    "continua": ccst.continua,
    "segments": ccst.segments,
    "sessions": ccst.sessions,
    "programs": ccst.programs,
    "spans": ccst.spans,
    "calendars": ccst.calendars,
    "attendances": ccst.attendances,
    "assessments": ccst.assessments,
    "placements": ccst.placements,
    "treatment_plans": ccst.treatment_plans,
    "episodes": ccst.episodes,
    "findings": ccst.findings,
    "sources": ccst.sources,
}


@pytest.mark.parametrize("name", sorted(STRATEGIES))
def test_every_strategy_round_trips_through_plain_data(name: str) -> None:
    """from_dict(type(x), to_dict(x)) == x, through JSON, for values of every strategy."""

    @settings(max_examples=25, suppress_health_check=[HealthCheck.too_slow])
    @given(STRATEGIES[name]())
    def round_trip(value: object) -> None:
        data = json.loads(json.dumps(cc.to_dict(value)))
        assert cc.from_dict(type(value), data) == value

    round_trip()
