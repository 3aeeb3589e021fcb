"""`unchecked_builder`: the engine's way to build frozen values it computed itself. A value it
builds must be indistinguishable from one the constructor builds."""

from __future__ import annotations

import copy
import pickle

import attrs
import pytest

import carecontinuum as cc
from carecontinuum._frozen import _Derived, unchecked_builder


@attrs.frozen(weakref_slot=False)
class _Clash:
    # Field names a generated function could confuse with its own.
    value: int
    cls: str
    twin: float
    build: tuple[int, ...]


@attrs.frozen(weakref_slot=False)
class _Cached(_Derived):
    a: int
    b: int


def test_a_built_value_is_the_constructors_value() -> None:
    source = cc.Source("Clinic policy")
    args = ("X-1", cc.Severity.WARNING, "Short.", "3 hours", "2 hours", "sessions[0]", source, None)
    built = unchecked_builder(cc.Finding)(*args)
    made = cc.Finding("X-1", cc.Severity.WARNING, "Short.", expected="3 hours", found="2 hours",
                      path="sessions[0]", source=source)  # fmt: skip
    assert type(built) is cc.Finding
    assert built == made
    assert hash(built) == hash(made)
    assert repr(built) == repr(made)
    assert pickle.loads(pickle.dumps(built)) == made
    assert copy.copy(built) == made
    assert attrs.evolve(built, message="Long.").message == "Long."


def test_a_built_value_stays_frozen() -> None:
    built = unchecked_builder(_Clash)(1, "c", 2.0, (3,))
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        built.value = 2  # type: ignore[misc]


def test_fields_named_like_the_builders_own_names_are_kept() -> None:
    built = unchecked_builder(_Clash)(1, "c", 2.0, (3,))
    assert built == _Clash(1, "c", 2.0, (3,))
    assert (built.value, built.cls, built.twin, built.build) == (1, "c", 2.0, (3,))


def test_a_class_with_a_base_of_slots_keeps_them() -> None:
    built = unchecked_builder(_Cached)(1, 2)
    assert built == _Cached(1, 2)
    assert getattr(built, "_derived", None) is None
    object.__setattr__(built, "_derived", "kept")
    assert built._derived == "kept"


def test_a_built_value_starts_with_nothing_derived_readable_without_an_exception() -> None:
    """The builder sets the derived slot to None (a first read of an unset slot raises and
    catches an AttributeError, several times a plain read); a level whose slot is None still
    hashes by its scheme, code and rank, as one whose slot was never set."""
    built = unchecked_builder(_Cached)(1, 2)
    assert built._derived is None
    level = cc.catalogs.GENERIC["IOP"]
    copied = copy.copy(level)
    object.__setattr__(copied, "_derived", None)
    assert hash(copied) == hash(level) == hash((level.scheme, level.code, level.rank))
    assert copied._derived == hash(level)


def test_a_class_with_a_weakref_slot_is_refused_when_the_builder_is_made() -> None:
    @attrs.frozen
    class Weak:
        a: int

    with pytest.raises(TypeError, match="weakref_slot=False"):
        unchecked_builder(Weak)
