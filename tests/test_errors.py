"""The library's errors: what their messages echo of the values the caller gave."""

from __future__ import annotations

import pickle
from collections.abc import Callable
from datetime import date, timedelta

import attrs
import pytest

import carecontinuum as cc
from carecontinuum import catalogs, rulesets
from carecontinuum._errors import _MAX_ECHO, _echo
from fuzzing import MAX_MESSAGE_CHARS, MAX_MESSAGE_LINES, check_error, cpu_time

ASAM3, GENERIC = catalogs.ASAM3, catalogs.GENERIC


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
        """A repr of at most 80 characters is echoed as it is."""
        at = "x" * (_MAX_ECHO - 2)  # its repr, quotes included, is 80 characters
        assert _echo(at) == repr(at)
        assert str(cc.InvalidValueError("name", at, "short")).endswith(f"(got {at!r})")

    def test_a_longer_value_is_cut_saying_how_long_it_was(self) -> None:
        """A 10 MB string is shown by its first characters and its length, at once; the echo
        is never longer than 80 characters."""
        huge = "x" * 10**7
        with cpu_time() as spent:
            for error in _errors(huge):
                message = str(error)
                assert len(message) < 400 and "a string of 10,000,000 characters" in message
        assert spent.seconds < 1.0
        over = list(range(30))  # a repr of 110 characters
        assert _echo(over).endswith(f"... ({len(repr(over))} characters in all)")
        assert _echo(list(range(10**5))).startswith("[0, 1, 2")
        for value in (over, list(range(10**5)), huge, "x" * (_MAX_ECHO - 1)):
            assert len(_echo(value)) <= _MAX_ECHO

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

    def test_an_echo_is_one_line(self) -> None:
        """Line breaks in a value (a string, an object whose repr spans lines) are escaped."""

        class _Lines:
            def __repr__(self) -> str:
                return "first\nsecond\rthird"

        for value in ("a\nb", _Lines(), ["a\nb"] * 40, "x\n" * 10_000):
            shown = _echo(value)
            assert "\n" not in shown and "\r" not in shown and len(shown) <= _MAX_ECHO

    def test_a_value_of_the_library_is_echoed_by_a_short_form(self) -> None:
        """A program, calendar, episode or rule set in a message is named by a short form that
        says what it is (class, level, population, how many sessions), never by its repr."""
        program = cc.ProgramStructure.weekly(
            ASAM3["2.1"], days=["mon", "wed", "fri"], hours_per_session=3, weeks=8
        )
        calendar = cc.expand(program, date(2026, 3, 2), "America/New_York")
        episode = cc.Episode.admit("c-1", "2.1", date(2026, 3, 2), continuum=ASAM3)
        shown = {
            _echo(program): ("ProgramStructure(ASAM3 2.1, adult", "3 sessions"),
            _echo(calendar): ("Calendar(", "America/New_York", "2026-03-02"),
            _echo(episode): ("Episode('c-1', ASAM3, 1 stay",),
            _echo(rulesets.ASAM3): ("RuleSet('ASAM3'",),
            _echo(ASAM3["2.1"]): ("LevelOfCare(ASAM3 2.1)",),
            _echo([program] * 3): ("[ProgramStructure(ASAM3 2.1", "(a list of 3)"),
        }
        assert len(repr(program)) > 300  # what a message used to quote
        for text, parts in shown.items():
            assert len(text) <= _MAX_ECHO and "\n" not in text, text
            for part in parts:
                assert part in text, (part, text)
        error = cc.InvalidTypeError("program", calendar, "a ProgramStructure")
        assert len(str(error)) <= MAX_MESSAGE_CHARS and error.value is calendar


class TestAttribution:
    """The issue's examples: errors name the argument the caller wrote, in its terms."""

    @pytest.mark.parametrize("hours", [25, 24.5, timedelta(hours=25)])
    def test_a_session_longer_than_a_day_names_hours_per_session(self, hours: object) -> None:
        with pytest.raises(cc.InvalidValueError) as caught:
            cc.ProgramStructure.weekly(ASAM3["2.1"], days=["mon"], hours_per_session=hours, weeks=8)
        assert caught.value.field == "hours_per_session"
        assert "a session of at most 24 hours" in str(caught.value)
        assert "segments" not in str(caught.value) and "duration'" not in str(caught.value)

    @pytest.mark.parametrize(
        ("lookup", "hint"),
        [
            (lambda: ASAM3[2.1], "level codes are strings: use ASAM3['2.1']"),
            (lambda: catalogs.LOCUS[3], "level codes are strings: use LOCUS['3']"),
            (lambda: ASAM3[9.9], "level codes are strings"),
            (lambda: ASAM3[None], "level codes are strings"),
            (lambda: rulesets.ASAM3[5], "rule ids are strings"),
            (lambda: rulesets.ASAM3.with_severity(5, cc.Severity.INFO), "rule ids are strings"),
        ],
    )
    def test_a_look_up_by_a_number_says_codes_are_strings(
        self, lookup: Callable[[], object], hint: str
    ) -> None:
        """``ASAM3[2.1]`` says codes are strings rather than "did you mean '2.1'"; the error is
        still an UnknownLevelError (a KeyError), as before."""
        with pytest.raises((cc.UnknownLevelError, cc.UnknownRuleError)) as caught:
            lookup()
        assert isinstance(caught.value, KeyError)
        assert str(caught.value).endswith(hint) and "did you mean" not in str(caught.value)

    @pytest.mark.parametrize(
        "call",
        [
            lambda: ASAM3.level(2.1),
            lambda: ASAM3.step_up(2.1),
            lambda: cc.Episode.admit("c-1", 2.1, date(2026, 3, 2), continuum=ASAM3),
        ],
    )
    def test_a_level_argument_given_a_number_says_codes_are_strings(
        self, call: Callable[[], object]
    ) -> None:
        with pytest.raises(cc.InvalidTypeError) as caught:
            call()
        assert caught.value.field == "level"
        assert "level codes are strings: use ASAM3['2.1']" in str(caught.value)

    def test_an_episode_operation_names_its_argument(self) -> None:
        """A day before the episode's last event, or a level it cannot take, is named."""
        episode = cc.Episode.admit("c-1", "2.1", date(2026, 3, 9), continuum=ASAM3)
        with pytest.raises(cc.TransitionError, match=r"^'on' \(2026-03-02\) is before"):
            episode.step_to("2.5", date(2026, 3, 2))
        with pytest.raises(cc.TransitionError, match=r"^'level' must be a level of"):
            episode.step_to("9.9", date(2026, 3, 16))
        with pytest.raises(cc.TransitionError, match=r"^'level': ASAM3 2.1 .* is already"):
            episode.step_to("2.1", date(2026, 3, 16))


def _corpus() -> list[cc.CareContinuumError]:
    """Refusals built to be long: huge values, long lists of choices, long names and paths,
    data with a thousand problems."""
    huge = "x\n" * 10**6
    program = cc.ProgramStructure.weekly(
        ASAM3["2.1"], days=["mon", "wed", "fri"], hours_per_session=3, weeks=8
    )
    calls: list[Callable[[], object]] = [
        lambda: cc.Segment(huge, timedelta(hours=1)),  # type: ignore[arg-type]
        lambda: cc.Segment(cc.Service.GROUP_THERAPY, huge),  # type: ignore[arg-type]
        lambda: ASAM3[huge],
        lambda: ASAM3["2.2" + " " * 90],
        lambda: rulesets.ASAM3[huge],
        lambda: cc.expand(cc.expand(program, date(2026, 3, 2), "UTC"), date(2026, 3, 2), "UTC"),  # type: ignore[arg-type]
        lambda: cc.from_dict(cc.ProgramStructure, {"schema": "carecontinuum/1"}),
        lambda: cc.from_dict(
            cc.ProgramStructure,
            {**cc.to_dict(program), "sessions": [{"weekday": "someday"}] * 1_000},
        ),
        lambda: cc.from_dict(cc.ProgramStructure, {f"k{i}\n": huge for i in range(500)}),
        lambda: cc.Rule("R", "t", source=cc.Source("s"), check=print, params={huge: []}),
        lambda: attrs.evolve(GENERIC["IOP"], name="y" * 9_000),
        lambda: cc.Continuum("X" * 9_000, "x", [GENERIC["IOP"]], "s"),
        lambda: cc.Episode.admit("c-1", "2.1", date(2026, 3, 9), continuum=ASAM3).step_to(
            "2.1", date(2026, 3, 16)
        ),
        lambda: cc.validate(
            cc.ProgramStructure.weekly(ASAM3["2.1"], days=["mon"], hours_per_session=1, weeks=8),
            rulesets.ASAM3,
        ).raise_for_errors(),
    ]
    errors = []
    for make in calls:
        try:
            make()
        except cc.CareContinuumError as error:
            errors.append(error)
    return errors


def test_every_refusal_fits_in_a_few_lines() -> None:
    """Refusals built to be long still fit in MAX_MESSAGE_LINES lines and MAX_MESSAGE_CHARS
    characters, naming what was wrong (the fuzz suites assert the same of every refusal they
    see, through `check_error`)."""
    errors = _corpus()
    assert len(errors) == 14
    for error in errors:
        check_error(error, repr(error)[:80])


def test_a_data_error_shows_its_first_problems_and_how_many_more() -> None:
    program = cc.ProgramStructure.weekly(ASAM3["2.1"], days=["mon"], hours_per_session=3, weeks=8)
    data = {**cc.to_dict(program), **{f"extra{i}": i for i in range(50)}}
    with pytest.raises(cc.DataError) as caught:
        cc.from_dict(cc.ProgramStructure, data)
    message = str(caught.value)
    assert len(caught.value.problems) == 50
    assert message.count("\n") + 1 <= MAX_MESSAGE_LINES
    assert message.splitlines()[-1].strip() == "... and 48 more in .problems"
