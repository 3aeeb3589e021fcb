"""Every public value is immutable all the way down and survives copying, pickling and a trip
to another process unchanged. The classes are found from `carecontinuum.__all__`, so a new
public class is covered without touching this file."""

from __future__ import annotations

import copy
import pickle
from collections import abc
from concurrent.futures import ProcessPoolExecutor
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import carecontinuum as cc
from carecontinuum import rulesets
from fuzzing import POOLS, PUBLIC_CLASSES, SLOW_OK, valid

MUTABLE = (list, dict, set, bytearray, abc.MutableSequence, abc.MutableMapping, abc.MutableSet)


def test_the_enumeration_is_not_trivial() -> None:
    names = {cls.__name__ for cls in PUBLIC_CLASSES}
    assert len(PUBLIC_CLASSES) >= 30
    assert {"ProgramStructure", "RuleSet", "ValidationReport", "Finding", "Calendar",
            "Episode", "TreatmentPlan"} <= names  # fmt: skip
    assert all(POOLS[cls] for cls in PUBLIC_CLASSES)


def _public_values(value: object) -> list[tuple[str, object]]:
    """(name, value) of each public attribute and property of an attrs instance."""
    found = []
    for field in attrs.fields(type(value)):
        if not field.name.startswith("_"):
            found.append((field.name, getattr(value, field.name)))
    for name in dir(type(value)):
        if not name.startswith("_") and isinstance(getattr(type(value), name), property):
            try:
                found.append((name, getattr(value, name)))
            except cc.CareContinuumError:
                continue  # a property that refuses, said so (to_dict of a custom rule set)
    return found


def assert_deeply_immutable(value: object, path: str, seen: set[int], depth: int = 0) -> None:
    assert not isinstance(value, MUTABLE), f"{path} is a mutable {type(value).__name__}"
    if id(value) in seen or depth > 6:
        return
    seen.add(id(value))
    if attrs.has(type(value)):
        for name, item in _public_values(value):
            assert_deeply_immutable(item, f"{path}.{name}", seen, depth + 1)
    elif isinstance(value, (tuple, frozenset)):
        for i, item in enumerate(list(value)[:6]):
            assert_deeply_immutable(item, f"{path}[{i}]", seen, depth + 1)
    elif isinstance(value, abc.Mapping):
        for key, item in list(value.items())[:6]:
            assert_deeply_immutable(item, f"{path}[{key!r}]", seen, depth + 1)


def assert_frozen(value: object) -> None:
    for field in attrs.fields(type(value)):
        if field.name.startswith("_"):
            continue
        with pytest.raises((attrs.exceptions.FrozenInstanceError, AttributeError)):
            setattr(value, field.name, None)
        with pytest.raises((attrs.exceptions.FrozenInstanceError, AttributeError)):
            delattr(value, field.name)
    with pytest.raises((attrs.exceptions.FrozenInstanceError, AttributeError)):
        value.brand_new_attribute = 1  # type: ignore[attr-defined]


def assert_copies_equal(value: object) -> None:
    assert copy.copy(value) == value
    assert copy.deepcopy(value) == value
    hashable = type(value).__hash__ is not None
    for protocol in range(pickle.HIGHEST_PROTOCOL + 1):
        back = pickle.loads(pickle.dumps(value, protocol=protocol))
        assert back == value, f"pickle protocol {protocol}"
        if hashable:
            assert hash(back) == hash(value), f"pickle protocol {protocol}"


ANY_PUBLIC = st.sampled_from(PUBLIC_CLASSES).flatmap(valid)


@settings(suppress_health_check=SLOW_OK, deadline=None)
@given(ANY_PUBLIC)
def test_values_are_frozen_and_deeply_immutable(value: object) -> None:
    assert_frozen(value)
    assert_deeply_immutable(value, type(value).__name__, set())


@settings(suppress_health_check=SLOW_OK, deadline=None)
@given(ANY_PUBLIC)
def test_values_survive_copy_and_pickle(value: object) -> None:
    assert_copies_equal(value)


@pytest.mark.parametrize("cls", PUBLIC_CLASSES, ids=lambda cls: cls.__name__)
def test_every_class_pooled_value(cls: type) -> None:
    """Each class at least once, whatever the sampling above drew."""
    value = POOLS[cls][0]
    assert_frozen(value)
    assert_deeply_immutable(value, cls.__name__, set())
    assert_copies_equal(value)


@pytest.mark.parametrize("ruleset", list(rulesets.ALL.values()), ids=lambda rs: rs.name)
def test_builtin_rule_sets_and_their_reports(ruleset: cc.RuleSet) -> None:
    assert_deeply_immutable(ruleset, ruleset.name, set())
    assert_copies_equal(ruleset)
    report = cc.validate(POOLS[cc.ProgramStructure][0], ruleset)
    assert_frozen(report)
    assert_deeply_immutable(report, "report", set())
    assert_copies_equal(report)
    for finding in report.findings:
        assert_copies_equal(finding)


def _echo(values: list[Any]) -> list[Any]:
    return values


def test_values_cross_a_process_boundary() -> None:
    values = [POOLS[cls][0] for cls in (cc.ProgramStructure, cc.Calendar, cc.Episode,
                                         cc.TreatmentPlan, cc.LevelOfCare, cc.Span)]  # fmt: skip
    values.append(cc.validate(POOLS[cc.ProgramStructure][0], rulesets.ASAM3))
    with ProcessPoolExecutor(max_workers=1) as pool:
        assert pool.submit(_echo, values).result(timeout=120) == values
