"""`unchecked_builder`: the engine's way to build frozen values it computed itself. A value it
builds must be indistinguishable from one the constructor builds. `value_eq` and `value_hash`:
the equality and hash every value shares, as attrs would generate them."""

from __future__ import annotations

import copy
import pickle
import subprocess
import sys
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import carecontinuum as cc
from carecontinuum._frozen import _Derived, unchecked_builder, value_eq, value_hash


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


def _by_parity(value: object) -> object:
    return value % 2 if isinstance(value, int) else value


@attrs.frozen
class _Ours:
    __eq__ = value_eq
    __hash__ = value_hash

    first: object
    _ignored: object = attrs.field(eq=False)
    keyed: object = attrs.field(eq=_by_parity)  # compared (and hashed) by its key
    unhashed: object = attrs.field(hash=False)  # compared, not hashed
    last: object = None


@attrs.frozen
class _Twin:  # the same fields, with the methods attrs generates (and another class)
    first: object
    _ignored: object = attrs.field(eq=False)
    keyed: object = attrs.field(eq=_by_parity)
    unhashed: object = attrs.field(hash=False)
    last: object = None


# Few distinct items, so that drawn values are often equal in some fields and not in others.
_ITEMS = st.one_of(st.integers(0, 3), st.none(), st.sampled_from(["a", (1, "a")]))


class TestValueEqAndHash:
    @given(st.tuples(*[_ITEMS] * 5), st.tuples(*[_ITEMS] * 5))
    def test_they_judge_as_the_methods_attrs_generates(
        self, left: tuple[object, ...], right: tuple[object, ...]
    ) -> None:
        """Equal exactly when attrs' generated ``__eq__`` says so for a twin class: fields
        compared in order, one left out (``eq=False``), one by its key; equal values hash
        alike, and a field left out of the hash (``hash=False``) changes no hash."""
        ours = _Ours(*left) == _Ours(*right)
        assert ours == (_Twin(*left) == _Twin(*right))
        assert (_Ours(*left) != _Ours(*right)) == (not ours)
        if ours:
            assert hash(_Ours(*left)) == hash(_Ours(*right))
        hashed = [0, 2, 4]  # first, keyed (by its key) and last
        if all(_by_parity(left[i]) == _by_parity(right[i]) for i in hashed):
            assert hash(_Ours(*left)) == hash(_Ours(*right))

    def test_a_value_of_another_class_is_not_equal(self) -> None:
        """Same fields, another class: not equal (NotImplemented both ways), as attrs has it."""
        assert _Ours(1, 2, 3, 4) != _Twin(1, 2, 3, 4)
        assert _Ours(1, 2, 3, 4) != (1, 3, 4)
        assert value_eq(_Ours(1, 2, 3, 4), _Twin(1, 2, 3, 4)) is NotImplemented
        assert _Ours(1, 2, 3, 4) == _Ours(1, 9, 5, 4)  # ignored, and 3 and 5 alike by parity
        assert len({_Ours(1, 2, 3, 4), _Ours(1, 9, 5, 4), _Ours(1, 2, 3, 5)}) == 2

    def test_a_subclass_compares_its_own_fields(self) -> None:
        """The key is made for each class: a subclass's added field is compared too, and a
        value of a subclass is not equal to one of its base."""

        @attrs.frozen
        class Sub(_Ours):
            __eq__ = value_eq
            __hash__ = value_hash

            extra: object = 0

        assert Sub(1, 2, 3, 4, 5, extra=1) != Sub(1, 2, 3, 4, 5, extra=2)
        assert Sub(1, 2, 3, 4, 5) == Sub(1, 2, 3, 4, 5)
        assert Sub(1, 2, 3, 4, 5) != _Ours(1, 2, 3, 4, 5)

    def test_a_class_without_compared_fields_has_equal_values(self) -> None:
        @attrs.frozen
        class Empty:
            __eq__ = value_eq
            __hash__ = value_hash

            note: object = attrs.field(default=None, eq=False)

        assert Empty("a") == Empty("b")
        assert hash(Empty("a")) == hash(Empty("b"))


# Run in a fresh interpreter: loads every name, then lists each attrs class of the core
# modules (private ones too) with the source file of its own __eq__ and __hash__.
_LOADED = """
import inspect, sys, attrs
import carecontinuum as cc
for name in cc.__all__:
    getattr(cc, name)
for module_name, module in sorted(sys.modules.items()):
    if not module_name.startswith("carecontinuum."):
        continue
    for value in vars(module).values():
        if inspect.isclass(value) and attrs.has(value) and value.__module__ == module_name:
            for method in ("__eq__", "__hash__"):
                code = getattr(value.__dict__.get(method), "__code__", None)
                print(value.__qualname__, method, code and code.co_filename)
"""


def test_loading_every_name_compiles_no_equality_or_hash() -> None:
    """After loading every name, no class has an ``__eq__`` or ``__hash__`` attrs generated
    and compiled at import: each starts with `value_eq` and `value_hash` (or compares by
    identity, or hashes in a way of its own)."""
    found = subprocess.run(
        [sys.executable, "-c", _LOADED], capture_output=True, text=True, check=True
    ).stdout.splitlines()
    assert len(found) >= 2 * 45, found  # the core's classes, each with both methods listed
    compiled = [line for line in found if line.split(" ", 2)[2].startswith("<")]
    assert compiled == []


class TestFirstUse:
    def test_the_first_comparison_puts_attrs_methods_on_the_class(self) -> None:
        @attrs.frozen
        class Fresh:
            __eq__ = value_eq
            __hash__ = value_hash

            a: int
            b: object = attrs.field(eq=False)

        assert Fresh.__dict__["__eq__"] is value_eq
        assert Fresh(1, "x") == Fresh(1, "y")
        for method in ("__eq__", "__hash__"):  # both set, by attrs
            made = Fresh.__dict__[method]
            assert made not in (value_eq, value_hash)
            assert made.__code__.co_filename.startswith("<attrs generated")
        assert Fresh(1, "x") != Fresh(2, "x")
        assert hash(Fresh(1, "x")) == hash(Fresh(1, "y"))

    def test_a_hash_first_sets_both_and_a_class_keeps_its_own_hash(self) -> None:
        def by_a(value: Any) -> int:
            return hash(value.a)

        @attrs.frozen
        class First:
            __eq__ = value_eq
            __hash__ = value_hash

            a: int

        @attrs.frozen
        class Own:
            __eq__ = value_eq
            __hash__ = by_a

            a: int

        assert hash(First(1)) == hash(First(1))
        assert First.__dict__["__eq__"] is not value_eq
        assert Own(1) == Own(1) and Own(1) != Own(2)
        assert Own.__dict__["__hash__"] is by_a

    def test_a_plain_subclass_has_its_base_given_the_methods(self) -> None:
        @attrs.frozen
        class Base:
            __eq__ = value_eq
            __hash__ = value_hash

            a: int

        class Plain(Base):  # not an attrs class: it inherits them
            pass

        assert Plain(1) == Plain(1) and Plain(1) != Base(1)
        assert Base.__dict__["__eq__"] is not value_eq
        assert "__eq__" not in Plain.__dict__
        assert hash(Plain(1)) == hash(Plain(1))

    def test_a_level_compares_as_before_and_hashes_by_what_identifies_it(self) -> None:
        level = cc.catalogs.GENERIC["IOP"]
        assert level == copy.copy(level)
        assert level != cc.catalogs.GENERIC["PHP"]
        assert type(level).__dict__["__hash__"].__name__ == "_level_hash"
