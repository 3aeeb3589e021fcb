"""Plain-data round trips over every strategy the library ships (eating our own cooking)."""

from __future__ import annotations

import enum
import json
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, given, reject, settings
from hypothesis import strategies as st

import carecontinuum as cc
from carecontinuum import strategies as ccst
from carecontinuum._dicts import _codec
from carecontinuum.strategies import _type_strategies

STRATEGIES: dict[str, Callable[[], st.SearchStrategy[Any]]] = {
    "levels": ccst.levels,
    "continua": ccst.continua,
    "crosswalks": ccst.crosswalks,
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
    "rules": ccst.rules,
    "rule_sets": ccst.rule_sets,
    "validation_reports": ccst.validation_reports,
}

#: The public classes `to_dict` does not write, and why.
NOT_WRITTEN = {
    cc.ClientWeeks: "many clients' weeks judged in bulk; its tables (tables.to_frame) are its data",
    cc.Findings: "a tuple of findings, written as the list it is inside a report",
    cc.PlacementPolicy: "the base of NeedsPolicy and LocusPolicy, which are written",
    cc.RuleContext: "what a rule's check is given while a rule set runs",
    cc.ClassifiedDesigns: "a batch's results, read as the classifications they hold (written)",
    cc.DesignTable: "designs read for judging in bulk, read as the programs they hold (written)",
    cc.ValidatedDesigns: "a batch's results, read as the reports they hold (written)",
    cc.Census: "a result computed from episodes: its tables, or the episodes, are the data",
    cc.DayCensus: "a day of a Census",
    cc.StayLengths: "an estimate computed from a Census (not yet written as data)",
    cc.FlowModel: "a model (not yet written as data: its parts are plain mappings)",
}

#: The refusals of a value holding a clinic's own rules, which hold Python functions: a rule
#: of no built-in set standing alone, a rule with a check written in Python in a set.
OWN_RULES = (
    "(carecontinuum.rulesets.ALL) can be written as data",
    "has a check written in Python: only factory rules are data",
)


def written_or_rejected(value: object) -> dict[str, Any]:
    """to_dict(value), through JSON text; a value holding rules of one's own, which plain
    data cannot hold, is rejected (and only such a value)."""
    try:
        data = cc.to_dict(value)
    except cc.DataError as error:
        if error.problems and all(
            any(own in problem for own in OWN_RULES) for problem in error.problems
        ):
            reject()
        raise
    loaded: dict[str, Any] = json.loads(json.dumps(data, allow_nan=False))
    return loaded


def assert_round_trips(value: object) -> None:
    """from_dict(to_dict(x)) == x with the class and without it."""
    data = written_or_rejected(value)
    assert data["type"] == type(value).__name__
    assert cc.from_dict(type(value), data) == value
    back = cc.from_dict(data)
    assert back == value
    assert type(back) is type(value)


@pytest.mark.parametrize("name", sorted(STRATEGIES))
def test_every_strategy_round_trips_through_plain_data(name: str) -> None:
    """from_dict(to_dict(x)) == x and from_dict(type(x), to_dict(x)) == x, through JSON, for
    values of every strategy."""

    @settings(
        max_examples=25,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    @given(STRATEGIES[name]())
    def round_trip(value: object) -> None:
        assert_round_trips(value)

    round_trip()


def test_every_public_value_class_is_written() -> None:
    """Every public class of the library but the few named here is a type to_dict writes
    and from_dict reads by name."""
    public = {
        value
        for name in cc.__all__
        if isinstance(value := getattr(cc, name), type)
        and not issubclass(value, (BaseException, enum.Enum))
    }
    written = set(_codec().types.values())
    assert public - written == set(NOT_WRITTEN)
    assert set(_type_strategies()) - written == set(NOT_WRITTEN)


@pytest.mark.parametrize(
    "cls",
    sorted(set(_type_strategies()) - set(NOT_WRITTEN), key=lambda cls: cls.__name__),
    ids=lambda cls: cls.__name__,
)
def test_every_public_class_round_trips_through_plain_data(cls: type) -> None:
    """from_dict(to_dict(x)) == x, with the class and without it, for values of every public
    class hypothesis draws (st.from_type: the strategies of carecontinuum.strategies and the
    parts of their values)."""

    @settings(
        max_examples=10,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    @given(_type_strategies()[cls](cls))
    def round_trip(value: object) -> None:
        assert type(value) is cls
        assert_round_trips(value)

    round_trip()
