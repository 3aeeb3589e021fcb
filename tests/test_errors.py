"""The library's errors: what their messages echo of the values the caller gave."""

from __future__ import annotations

import pickle
from time import perf_counter

import pytest

import carecontinuum as cc
from carecontinuum._errors import _MAX_ECHO, _echo


class _Broken:
    def __repr__(self) -> str:
        raise RuntimeError("no repr")


def _nested(depth: int) -> list[object]:
    value: list[object] = []
    for _ in range(depth):
        value = [value]
    return value


def _errors(value: object) -> list[cc.CareContinuumError]:
    return [
        cc.InvalidValueError("name", value, "a short name"),
        cc.InvalidTypeError("name", value, "a string"),
        cc.UnknownLevelError(value, "GENERIC"),
        cc.UnknownRuleError(value, "ASAM3"),
    ]


class TestEcho:
    def test_a_value_up_to_the_limit_is_shown_whole(self) -> None:
        """A repr of at most 200 characters is echoed as it is."""
        at = "x" * (_MAX_ECHO - 2)  # its repr, quotes included, is 200 characters
        assert _echo(at) == repr(at)
        assert str(cc.InvalidValueError("name", at, "short")).endswith(f"(got {at!r})")

    def test_a_longer_value_is_cut_saying_how_long_it_was(self) -> None:
        """A 10 MB string is shown by its first 200 characters and its length, at once."""
        huge = "x" * 10**7
        start = perf_counter()
        for error in _errors(huge):
            message = str(error)
            assert len(message) < 400 and "a string of 10,000,000 characters" in message
        assert perf_counter() - start < 1.0
        over = "x" * (_MAX_ECHO - 1)  # a repr of 201 characters
        assert _echo(over).endswith("... (201 characters in all)")
        assert _echo(list(range(10**5))).startswith("[0, 1, 2")
        assert len(_echo(list(range(10**5)))) < 250

    @pytest.mark.parametrize(
        ("value", "shown"),
        [
            (10**5000, "<an int of about 5,001 digits>"),
            (-(10**5000), "<an int of about 5,001 digits>"),
            (_Broken(), "<_Broken that cannot be shown>"),
            (_nested(100_000), "<list that cannot be shown>"),
        ],
        ids=["huge int", "huge negative int", "broken repr", "deep list"],
    )
    def test_a_value_without_a_repr_is_named_by_its_type(self, value: object, shown: str) -> None:
        """An int past Python's digit limit, a broken __repr__ or a structure too deep to show
        still makes an error, never a second exception."""
        assert _echo(value) == shown
        for error in _errors(value):
            assert shown in str(error)

    def test_errors_keep_the_whole_value_and_pickle(self) -> None:
        """Only the message is cut: the attributes hold what was given, and the error still
        crosses process boundaries."""
        huge = "x" * 10**6
        error = cc.InvalidValueError("name", huge, "a short name")
        assert error.value == huge
        clone = pickle.loads(pickle.dumps(error))
        assert clone.value == huge and str(clone) == str(error)
