"""The shared checks every value follows: the text policy (no control characters but tab and
line breaks, kept as given, a length cap) and the number check (finite, compared exactly,
capped), with the limits they hold."""

from __future__ import annotations

import math
from datetime import timedelta

import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

import carecontinuum as cc
from carecontinuum._validators import (
    _MAX_NUMBER,
    _MAX_STRING_LENGTH,
    _MAX_TEXT_LENGTH,
    check_int,
    check_number,
    check_str,
    hours_to_duration,
    is_text,
    positive_duration,
    printable,
)
from fuzzing import cpu_time

#: Control characters the policy refuses: C0 but tab, line feed and carriage return; DEL; C1.
CONTROLS = [chr(c) for c in (*range(0x20), *range(0x7F, 0xA0)) if chr(c) not in "\t\n\r"]


class TestText:
    @pytest.mark.parametrize("control", CONTROLS, ids=lambda c: f"U+{ord(c):04X}")
    def test_control_characters_are_refused_naming_the_field(self, control: str) -> None:
        """A control character anywhere in text is refused, saying which and where."""
        with pytest.raises(cc.InvalidValueError) as caught:
            check_str("note", f"ab{control}c")
        assert caught.value.field == "note"
        assert f"found {control!r} at position 2" in caught.value.expected

    @pytest.mark.parametrize("surrogate", ["\ud800", "a\udfffb"])
    def test_an_unpaired_surrogate_is_refused(self, surrogate: str) -> None:
        """A str may hold one; no UTF-8 file, JSON document or FHIR server can."""
        with pytest.raises(cc.InvalidValueError):
            check_str("note", surrogate)

    @pytest.mark.parametrize(
        "text",
        ["a\tb", "one\ntwo", "one\r\ntwo", "  padded  ", "\tindented", "é\u00a0ü", "\u3000中"],
    )
    def test_tabs_line_breaks_and_surrounding_spaces_are_kept_as_given(self, text: str) -> None:
        """Text is kept exactly as given: nothing trimmed, line breaks from forms pass."""
        assert check_str("note", text) is text

    def test_text_at_the_length_cap_is_taken_and_one_longer_refused_fast(self) -> None:
        """_MAX_TEXT_LENGTH (10,000 characters) for text a caller writes."""
        assert _MAX_TEXT_LENGTH == 10_000
        assert check_str("name", "x" * _MAX_TEXT_LENGTH)
        with cpu_time() as spent, pytest.raises(cc.InvalidValueError) as caught:
            check_str("name", "x" * (_MAX_TEXT_LENGTH + 1))
        assert spent.seconds < 1.0
        assert caught.value.expected == "a string of at most 10,000 characters (got 10,001)"

    def test_text_the_library_composes_may_be_as_long_as_any_string(self) -> None:
        """_MAX_STRING_LENGTH (1,048,576) for a finding's text, which quotes names and titles."""
        source = cc.Source("s")
        long = "x" * _MAX_STRING_LENGTH
        finding = cc.Finding("X", cc.Severity.INFO, long, expected="e", found="f", source=source)
        assert finding.message is long
        with pytest.raises(cc.InvalidValueError) as caught:
            cc.Finding("X", cc.Severity.INFO, long + "x", expected="e", found="f", source=source)
        assert caught.value.field == "message"

    @given(
        st.text(max_size=20)
        | st.text(st.characters(exclude_categories=()), max_size=6)  # lone surrogates too
        | st.text(st.sampled_from(" \t\n\u3000\x85\x7f\u2028a"), max_size=6)
    )
    def test_the_fast_path_agrees_with_the_check(self, text: str) -> None:
        """Property: `is_text`, which fast paths use, takes exactly what `check_str` takes."""
        try:
            check_str("x", text)
        except cc.InvalidValueError:
            assert not is_text(text)
        else:
            assert is_text(text)

    @given(st.text(max_size=600))
    def test_printable_makes_any_text_fit_for_a_field(self, text: str) -> None:
        """Property: text the library quotes from elsewhere (a crash's message) always passes."""
        assert check_str("message", printable(text))
        assert len(printable(text)) <= 500

    def test_a_program_name_goes_through_the_policy(self) -> None:
        """The program's fast path for its name keeps the policy (it used to skip it)."""
        with pytest.raises(cc.InvalidValueError) as caught:
            cc.ProgramStructure.weekly(
                cc.catalogs.GENERIC["IOP"], days="mon", hours_per_session=3, weeks=8,
                name="IOP\x1b[31m",
            )  # fmt: skip
        assert caught.value.field == "name"


class TestNumbers:
    @pytest.mark.parametrize(
        "number",
        [10**400, -(10**400), 10**5000, math.nan, math.inf, -math.inf, 2**53, -(2**53), 1e300],
        ids=["10**400", "-10**400", "10**5000", "nan", "inf", "-inf", "cap+1", "-cap-1", "1e300"],
    )
    def test_numbers_past_the_cap_are_refused_without_overflow(self, number: float) -> None:
        """_MAX_NUMBER (2**53 - 1): compared as given, never converted (10**400 used to raise
        OverflowError in math.isfinite), and the message names the field."""
        with pytest.raises(cc.InvalidValueError) as caught:
            check_number("at_least", number, "a finite number >= 0", minimum=0)
        assert caught.value.field == "at_least"
        assert "at_least" in str(caught.value)

    def test_the_cap_itself_is_taken(self) -> None:
        assert _MAX_NUMBER == 2**53 - 1 == 9_007_199_254_740_991
        assert check_number("x", _MAX_NUMBER, "a number") == _MAX_NUMBER
        assert check_number("x", -_MAX_NUMBER, "a number") == -_MAX_NUMBER
        assert check_int("x", _MAX_NUMBER) == _MAX_NUMBER
        with pytest.raises(cc.InvalidValueError):
            check_int("x", _MAX_NUMBER + 1)

    def test_a_refusal_past_the_cap_says_the_cap(self) -> None:
        """When only the cap refuses a number, the message says so."""
        with pytest.raises(cc.InvalidValueError) as caught:
            check_number("at_least", 10**400, "a finite number >= 0", minimum=0)
        assert (
            caught.value.expected == "a finite number >= 0, at most 9,007,199,254,740,991 in size"
        )

    def test_an_int_past_the_digit_limit_is_named_in_the_message(self) -> None:
        """An int with no text (10**5000) is described in the message, which never raises."""
        with pytest.raises(cc.InvalidValueError) as caught:
            check_int("units", 10**5000, minimum=1)
        assert "an int of about 5,001 digits" in str(caught.value)

    @pytest.mark.parametrize("value", [True, "3", None, [3], 3j])
    def test_a_number_is_a_real_number(self, value: object) -> None:
        with pytest.raises(cc.InvalidTypeError):
            check_number("x", value, "a number", kind="a number")

    @given(st.integers() | st.floats())
    def test_any_number_is_taken_or_refused_by_the_library(self, number: float) -> None:
        """Property: any int or float gives the number back or the library's error."""
        try:
            assert check_number("x", number, "a number") == number
        except cc.InvalidValueError:
            assert not (-_MAX_NUMBER <= number <= _MAX_NUMBER)


class TestDurations:
    @pytest.mark.parametrize("duration", [timedelta.max, timedelta(days=10**6, microseconds=1)])
    def test_the_longest_timedelta_converts_exactly(self, duration: timedelta) -> None:
        """Converted by days, seconds and microseconds (total_seconds() overflowed pendulum)."""
        assert positive_duration("d", duration) == duration

    def test_a_number_of_hours_too_small_for_a_microsecond_is_refused(self) -> None:
        """5e-324 hours is positive but no duration: refused naming the field."""
        with pytest.raises(cc.InvalidValueError) as caught:
            hours_to_duration("hours_per_session", 5e-324)
        assert caught.value.field == "hours_per_session"
        one_microsecond = 1 / 3_600_000_000
        assert hours_to_duration("hours_per_session", one_microsecond) == pendulum.duration(
            microseconds=1
        )
