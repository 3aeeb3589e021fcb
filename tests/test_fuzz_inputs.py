"""Hostile inputs, fuzzed: huge and non-finite numbers in every numeric field of every public
constructor and factory, control characters in every text field, custom rules whose checks
give junk, and deep, self-containing, amplifying or oversized payloads for `from_dict`.

Each call returns a whole value (checked as the fuzz suite checks one: every field of its type,
equal to itself, round-tripping through plain data) or raises a `CareContinuumError` naming
what was wrong; data over a limit is refused before it is read, in well under a second.
"""

from __future__ import annotations

import inspect
import math
import reprlib
from collections.abc import Callable, Iterator, Mapping
from datetime import date, timedelta
from typing import Any

import attrs
import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import carecontinuum as cc
from carecontinuum import catalogs, rulesets
from carecontinuum._frozen import FrozenMap
from fuzzing import (
    POOLS,
    PUBLIC_CLASSES,
    SLOW_OK,
    TIME_LIMIT,
    Hang,
    check_error,
    check_result,
    check_value,
    cpu_time,
    time_limit,
)

fuzz_settings = settings(suppress_health_check=SLOW_OK, deadline=None)
_SHOW = reprlib.Repr()
_SHOW.maxlevel, _SHOW.maxstring, _SHOW.maxother, _SHOW.maxlong = 3, 60, 60, 60


def _show(value: object) -> str:
    try:
        return _SHOW.repr(value)
    except ValueError:  # an int past Python's digit limit, inside a structure
        return f"<{type(value).__name__}>"


def call(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """`fuzzing.call`, describing the call briefly (its arguments may be ints with no text)."""
    where = f"{getattr(fn, '__qualname__', fn)}({', '.join(map(_show, args))}, " + ", ".join(
        f"{k}={_show(v)}" for k, v in kwargs.items()
    )
    try:
        with time_limit():
            result = fn(*args, **kwargs)
    except cc.CareContinuumError as error:
        check_error(error, where)
        return None
    except Hang:
        pytest.fail(f"hang: {where} ran past {TIME_LIMIT} s")
    except KeyboardInterrupt:
        raise
    except BaseException as error:
        pytest.fail(f"{where} raised {type(error).__name__}: {_show(str(error))}")
    check_result(result, where)
    return result


#: Numbers that have overflowed, crashed or slipped through constructors elsewhere.
HUGE_NUMBERS: tuple[Any, ...] = (
    10**400,
    -(10**400),
    10**5000,  # past Python's digit limit: it has no text at all
    2**53,
    -(2**53),
    2**53 - 1,  # the cap itself: taken wherever the field's own range allows it
    2**63,
    1e308,
    -1e308,
    5e-324,
    -5e-324,
    math.nan,
    math.inf,
    -math.inf,
)
HUGE_DURATIONS: tuple[Any, ...] = (
    timedelta.max,
    timedelta.min,
    timedelta(days=10**6),
    timedelta(microseconds=1),
    -timedelta(microseconds=1),
    pendulum.duration(years=9999),
)
#: Strings read as numbers somewhere (times of day, durations).
NUMBER_TEXTS: tuple[str, ...] = (
    "9" * 5000,
    "1e400",
    "1²:00",
    "\u0661\u0662:\u0660\u0660",  # Arabic-Indic digits, which str.isdigit() takes and int() reads
    "99999999999999999999:00",
    "09:00:00:00",
    "nan",
    "inf",
)
#: Text the policy refuses: control characters (but tab and line breaks), unpaired
#: surrogates, more than _MAX_TEXT_LENGTH characters.
BAD_TEXTS: tuple[str, ...] = (
    "\x00",
    "a\x00b",
    "group\x1b[31m",
    "\x7f",
    "note\x85",
    "a\x0bb",
    "\ud800",
    "x" * 10_001,
)
#: Text the policy keeps as given.
GOOD_TEXTS: tuple[str, ...] = ("a\tb", "line one\nline two", "windows\r\nline", "  padded  ", "é")


# ---- where the numbers and texts of a value are -----------------------------------------------


def _params(cls: type) -> dict[str, str]:
    """The constructor's parameters of `cls`, each with the field it fills."""
    aliases = {field.alias: field.name for field in attrs.fields(cls)}
    return {name: aliases[name] for name in inspect.signature(cls).parameters if name in aliases}


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _replacing(value: object, test: Callable[[object], bool]) -> Callable[[Any], Any] | None:
    """A function putting something in place of one leaf of `value` that passes `test` (the
    value itself, an item of a tuple or a value of a mapping, one level down), or None."""
    if test(value):
        return lambda new: new
    if isinstance(value, tuple) and value:
        for i, item in enumerate(value):
            inner = _replacing(item, test) if not attrs.has(type(item)) else None
            if inner is not None:
                return lambda new, i=i, inner=inner: (*value[:i], inner(new), *value[i + 1 :])
    if isinstance(value, Mapping) and value:
        for key, item in value.items():
            inner = _replacing(item, test)
            if inner is not None:
                return lambda new, key=key, inner=inner: {**value, key: inner(new)}
        for key, item in value.items():
            if test(key):
                return lambda new, key=key, item=item: {
                    **{k: v for k, v in value.items() if k != key},
                    new: item,
                }
    if isinstance(value, cc.Span) and test(value.maximum):
        return lambda new: (value.minimum, new)
    return None


def _slots(test: Callable[[object], bool]) -> list[tuple[type, str, int]]:
    """(class, parameter, pooled value index) for every constructor parameter whose pooled
    value holds a leaf passing `test`."""
    found = []
    for cls in PUBLIC_CLASSES:
        params = _params(cls)
        for name, field in params.items():
            for i, value in enumerate(POOLS[cls]):
                if _replacing(getattr(value, field), test) is not None:
                    found.append((cls, name, i))
                    break
    return found


def _is_text(value: object) -> bool:
    return type(value) is str


NUMBER_SLOTS = _slots(_is_number)
DURATION_SLOTS = _slots(lambda v: isinstance(v, timedelta))
TEXT_SLOTS = _slots(_is_text)


def _rebuild(cls: type, index: int, param: str, new: object) -> tuple[type, dict[str, Any]]:
    """The keyword arguments rebuilding pooled value `index` of `cls`, with `new` in place of
    one leaf of `param`."""
    value = POOLS[cls][index]
    params = _params(cls)
    kwargs = {name: getattr(value, field) for name, field in params.items()}
    replace = _replacing(kwargs[param], _is_text if isinstance(new, str) else _leaf_test(new))
    assert replace is not None
    kwargs[param] = replace(new)
    return cls, kwargs


def _leaf_test(new: object) -> Callable[[object], bool]:
    return (lambda v: isinstance(v, timedelta)) if isinstance(new, timedelta) else _is_number


def _name(slot: tuple[type, str, int]) -> str:
    return f"{slot[0].__name__}.{slot[1]}"


def test_the_sweeps_reach_the_fields_they_are_about() -> None:
    """The numeric, duration and text fields found include the ones issue 13 names."""
    numbers = {_name(s) for s in NUMBER_SLOTS}
    assert {"Intervention.per_week", "Session.every_weeks", "ProgramStructure.weeks",
            "LevelOfCare.rank", "Source.year", "Span.maximum", "Assessment.ratings",
            "TreatmentPlan.review_every_days", "Authorization.units"} <= numbers  # fmt: skip
    assert "Segment.duration" in {_name(s) for s in DURATION_SLOTS}
    texts = {_name(s) for s in TEXT_SLOTS}
    assert {"Problem.description", "Goal.description", "Source.note", "Stay.reason",
            "ProgramStructure.name", "Rule.title", "Finding.message"} <= texts  # fmt: skip


# ---- huge numbers in every numeric field -----------------------------------------------------


@pytest.mark.parametrize("slot", NUMBER_SLOTS, ids=_name)
def test_huge_numbers_in_every_numeric_field(slot: tuple[type, str, int]) -> None:
    """Each number that overflowed or slipped through elsewhere gives a whole value or the
    library's error naming the field, never OverflowError or a bare ValueError."""
    cls, param, index = slot
    for number in HUGE_NUMBERS:
        built_cls, kwargs = _rebuild(cls, index, param, number)
        result = call(built_cls, **kwargs)
        if result is not None:
            check_value(result, f"{cls.__name__}({param}={_show(number)})")


@pytest.mark.parametrize("slot", DURATION_SLOTS, ids=_name)
def test_huge_durations_in_every_duration_field(slot: tuple[type, str, int]) -> None:
    """timedelta.max and friends: a whole value or the library's error."""
    cls, param, index = slot
    for duration in HUGE_DURATIONS:
        built_cls, kwargs = _rebuild(cls, index, param, duration)
        result = call(built_cls, **kwargs)
        if result is not None:
            check_value(result, f"{cls.__name__}({param}={duration!r})")


NUMBERS = st.one_of(
    st.sampled_from(HUGE_NUMBERS),
    st.integers(2**53 - 3, 2**53 + 3),
    st.integers(),
    st.floats(),
    st.integers(10, 5000).map(lambda digits: 10**digits),
)


@fuzz_settings
@given(
    slot=st.sampled_from(NUMBER_SLOTS + DURATION_SLOTS),
    index=st.integers(0, 7),
    number=NUMBERS,
    duration=st.timedeltas() | st.sampled_from(HUGE_DURATIONS),
)
def test_any_number_in_any_numeric_field(
    slot: tuple[type, str, int], index: int, number: object, duration: timedelta
) -> None:
    """Property: any number (or duration) in any numeric field of any pooled value gives a whole
    value or the library's error."""
    cls, param, _ = slot
    pool = POOLS[cls]
    value = pool[index % len(pool)]
    field = _params(cls)[param]
    new: object = duration if (cls, param, slot[2]) in DURATION_SLOTS else number
    if _replacing(getattr(value, field), _leaf_test(new)) is None:
        return  # this pooled value holds no such number here (an empty mapping, say)
    built_cls, kwargs = _rebuild(cls, pool.index(value), param, new)
    result = call(built_cls, **kwargs)
    if result is not None:
        check_value(result, f"{cls.__name__}({param}=...)")


# ---- the factories, operations and readers that take numbers ----------------------------------

IOP = catalogs.GENERIC["IOP"]
SOURCE = cc.Source("Clinic policy")
PROGRAM = cc.ProgramStructure.weekly(IOP, days=["mon", "wed", "fri"], hours_per_session=3, weeks=8)
BANDS = (
    rulesets.weekly_hours,
    rulesets.daily_hours,
    rulesets.days_per_week,
    rulesets.sessions_per_week,
    rulesets.session_hours,
    rulesets.program_weeks,
)


def _band(factory: Callable[..., cc.Rule], bound: str) -> Callable[[object], object]:
    return lambda x: factory("X", "x", source=SOURCE, levels=IOP, **{bound: x})


def _override(ruleset: cc.RuleSet, rule: cc.Rule, name: str) -> Callable[[object], object]:
    return lambda x: ruleset.override(rule.id, **{name: x})


def _overrides() -> Iterator[tuple[str, Callable[[object], object]]]:
    """Every numeric parameter of every built-in rule, once per rule set."""
    for ruleset in rulesets.ALL.values():
        seen = set()
        for rule in ruleset:
            for name, value in rule.params.items():
                if (_is_number(value) or value is None) and name not in seen:
                    seen.add(name)
                    yield f"{ruleset.name}.override({name})", _override(ruleset, rule, name)


def _weekly(**kwargs: object) -> object:
    arguments: dict[str, Any] = {"days": ["mon"], "hours_per_session": 3, "weeks": 8, **kwargs}
    return cc.ProgramStructure.weekly(IOP, **arguments)


SESSION = PROGRAM.sessions[0]
_THERAPIST = cc.CareRole.THERAPIST
NUMBER_CALLS: dict[str, Callable[[object], object]] = {
    **{
        f"{f.__name__}({b})": _band(f, b)
        for f in BANDS
        for b in ("at_least", "at_most", "less_than")
    },
    "days_without_service(at_most)": lambda x: rulesets.days_without_service(
        "X", "x", source=SOURCE, levels=IOP, at_most=x
    ),
    "attendance_rate(at_least)": lambda x: rulesets.attendance_rate(
        "X", "x", source=SOURCE, at_least=x
    ),
    "per_diem_days(unit_minutes)": lambda x: rulesets.per_diem_days(PROGRAM, unit_minutes=x),
    **dict(_overrides()),
    "weekly(hours_per_session)": lambda x: _weekly(hours_per_session=x),
    "weekly(weeks)": lambda x: _weekly(weeks=x),
    "weekly(weeks=(1, x))": lambda x: _weekly(weeks=(1, x)),
    "expand(until)": lambda x: cc.expand(PROGRAM, date(2026, 3, 2), "UTC", until=x),
    "sessions_in_week": PROGRAM.sessions_in_week,
    "sessions_over": PROGRAM.sessions_over,
    "hours_over": PROGRAM.hours_over,
    "Session.occurs_in_week": SESSION.occurs_in_week,
    "Session.occurrences": SESSION.occurrences,
    "Intervention(per_week)": lambda x: cc.Intervention(cc.Service.GROUP_THERAPY, x, _THERAPIST),
    "Episode.authorize(units)": lambda x: cc.Episode.admit(
        "c-1", "IOP", date(2026, 3, 2), continuum=catalogs.GENERIC
    ).authorize("IOP", date(2026, 3, 2), date(2026, 4, 2), units=x),  # type: ignore[arg-type]
}


def _judged(result: object) -> None:
    """A rule or rule set made with a number runs without crashing on a pooled program."""
    if isinstance(result, cc.Rule):
        result = cc.RuleSet("local", "1", [result])
    if isinstance(result, cc.RuleSet):
        for program in POOLS[cc.ProgramStructure][:2]:
            report = call(cc.validate, program, result)
            crashed = [f for f in report.findings if "failed to run" in f.message]
            assert not crashed, crashed
            call(cc.classify, program, result)


@pytest.mark.parametrize("name", sorted(NUMBER_CALLS))
def test_huge_numbers_in_every_factory_and_operation(name: str) -> None:
    """Factories, overrides and operations that take a number: a whole value (a rule that then
    runs) or the library's error naming the argument."""
    for number in HUGE_NUMBERS:
        result = call(NUMBER_CALLS[name], number)
        if result is not None:
            _judged(result)


@pytest.mark.parametrize("text", NUMBER_TEXTS)
def test_number_texts_where_times_are_read(text: str) -> None:
    """A start time of huge, non-ASCII or malformed digits is refused as a start time."""
    with pytest.raises(cc.InvalidValueError) as caught:
        _weekly(start=text)
    assert caught.value.field == "start"


@fuzz_settings
@given(name=st.sampled_from(sorted(NUMBER_CALLS)), number=NUMBERS)
def test_any_number_in_any_factory_or_operation(name: str, number: object) -> None:
    """Property: any number in any factory or operation taking one: a whole value or the
    library's error."""
    result = call(NUMBER_CALLS[name], number)
    if result is not None:
        _judged(result)


# ---- control characters in every text field ---------------------------------------------------


@pytest.mark.parametrize("slot", TEXT_SLOTS, ids=_name)
def test_control_characters_in_every_text_field(slot: tuple[type, str, int]) -> None:
    """Text with a control character, an unpaired surrogate or past the length cap is refused
    wherever it goes; tabs, line breaks and surrounding spaces are no reason to refuse."""
    cls, param, index = slot
    # A finding's text is composed by the library (quoting names and titles): its cap is the
    # longest string any field holds, not the cap on text a caller writes.
    longest = 1_048_576 if cls is cc.Finding and param != "rule_id" else 10_000
    for text in (*BAD_TEXTS[:-1], "x" * (longest + 1)):
        built_cls, kwargs = _rebuild(cls, index, param, text)
        with pytest.raises(cc.CareContinuumError), time_limit():
            built_cls(**kwargs)
    for text in GOOD_TEXTS:
        built_cls, kwargs = _rebuild(cls, index, param, text)
        result = call(built_cls, **kwargs)
        if result is not None:
            check_value(result, f"{cls.__name__}({param}={text!r})")


def _episode() -> cc.Episode:
    return cc.Episode.admit("c-1", "IOP", date(2026, 3, 2), continuum=catalogs.GENERIC)


TEXT_CALLS: dict[str, Callable[[str], object]] = {
    "Episode.admit(client_id)": lambda t: cc.Episode.admit(
        t, "IOP", date(2026, 3, 2), continuum=catalogs.GENERIC
    ),
    "Episode.admit(reason)": lambda t: cc.Episode.admit(
        "c-1", "IOP", date(2026, 3, 2), continuum=catalogs.GENERIC, reason=t
    ),
    "Episode.step_to(reason)": lambda t: _episode().step_to("OP", date(2026, 4, 1), reason=t),
    "Episode.discharge(note)": lambda t: _episode().discharge(
        date(2026, 4, 1), cc.DischargeReason.COMPLETED, note=t
    ),
    "Episode.authorize(payer)": lambda t: _episode().authorize(
        "IOP", date(2026, 3, 2), date(2026, 4, 2), payer=t
    ),
    "weekly(name)": lambda t: _weekly(name=t),
    "Rule(id)": lambda t: cc.Rule(t, "x", source=SOURCE, check=lambda c: ()),
    "Rule(tags)": lambda t: cc.Rule("X", "x", source=SOURCE, check=lambda c: (), tags=[t]),
    "Rule(params key)": lambda t: cc.Rule(
        "X", "x", source=SOURCE, check=lambda c: (), params={t: 1}
    ),
    "RuleSet(description)": lambda t: cc.RuleSet("n", "1", [], description=t),
    "band(title)": lambda t: rulesets.weekly_hours("X", t, source=SOURCE, levels=IOP, at_least=9),
    "with_severity": lambda t: rulesets.ASAM3.with_severity(t, cc.Severity.INFO),
}


@pytest.mark.parametrize("name", sorted(TEXT_CALLS))
def test_control_characters_in_operations(name: str) -> None:
    """Operations and factories taking text follow the same policy."""
    for text in BAD_TEXTS:
        with pytest.raises(cc.CareContinuumError), time_limit():
            TEXT_CALLS[name](text)
    for text in GOOD_TEXTS:
        call(TEXT_CALLS[name], text)


TEXTS = st.text(max_size=12) | st.sampled_from(BAD_TEXTS + GOOD_TEXTS)


@fuzz_settings
@given(slot=st.sampled_from(TEXT_SLOTS), index=st.integers(0, 7), text=TEXTS)
def test_any_text_in_any_text_field(slot: tuple[type, str, int], index: int, text: str) -> None:
    """Property: any text in any text field gives a whole value, or the library's error; a
    value never holds a control character other than tab and line breaks."""
    cls, param, _ = slot
    pool = POOLS[cls]
    value = pool[index % len(pool)]
    if _replacing(getattr(value, _params(cls)[param]), _is_text) is None:
        return
    built_cls, kwargs = _rebuild(cls, pool.index(value), param, text)
    result = call(built_cls, **kwargs)
    if result is not None:
        check_value(result, f"{cls.__name__}({param}={text!r})")
        assert not any(ord(c) < 32 and c not in "\t\n\r" for c in text), text


# ---- custom rules whose checks give junk ------------------------------------------------------


def _finding(context: cc.RuleContext) -> cc.Finding:
    return context.finding("Found.", expected="x", found="y")


def _raises_midway(context: cc.RuleContext) -> Iterator[cc.Finding]:
    yield _finding(context)
    raise RuntimeError("broke midway")


JUNK = st.recursive(
    st.one_of(
        st.integers(),
        st.text(max_size=5),
        st.none(),
        st.binary(max_size=3),
        st.floats(),
        st.sampled_from([object(), 10**400, math.nan, "\x00", cc.Severity.ERROR]),
    ),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=2), inner),
    max_leaves=6,
)


def _check_giving(junk: object, with_finding: bool, as_generator: bool) -> Callable[..., Any]:
    def check(context: cc.RuleContext) -> Any:
        if as_generator:
            return iter([_finding(context), junk] if with_finding else [junk])
        if with_finding and isinstance(junk, list):
            return [_finding(context), *junk]
        return junk

    return check


def _judge_junk(check: Callable[..., Any]) -> None:
    rule = cc.Rule("JUNK", "Gives junk", source=SOURCE, check=check)
    clean = cc.Rule("CLEAN", "Finds something", source=SOURCE, check=lambda c: [_finding(c)])
    ruleset = cc.RuleSet("clinic", "1", [rule, clean])
    report = call(cc.validate, PROGRAM, ruleset)
    assert report is not None
    assert all(isinstance(f, cc.Finding) for f in report.findings)
    str(report)
    assert report.ok is False
    assert [f.rule_id for f in report.errors].count("JUNK") == 1
    assert "CLEAN" in [f.rule_id for f in report.findings]  # the other rules still run
    call(cc.classify, PROGRAM, ruleset)


@fuzz_settings
@given(junk=JUNK, with_finding=st.booleans(), as_generator=st.booleans())
def test_a_check_giving_junk_is_a_broken_rule(
    junk: object, with_finding: bool, as_generator: bool
) -> None:
    """Property: a check that returns or yields anything but findings (numbers, strings, None,
    nested lists) gives a report that works, with one ERROR naming the rule."""
    if isinstance(junk, list) and not junk and not as_generator:
        junk = [None]  # an empty list is no findings, not junk
    _judge_junk(_check_giving(junk, with_finding, as_generator))


@pytest.mark.parametrize(
    "check",
    [
        lambda c: [1, 2],
        lambda c: "oops",
        lambda c: None,
        lambda c: 7,
        lambda c: [[_finding(c)]],
        lambda c: {"finding": _finding(c)},
        _raises_midway,
        lambda c: (x for x in [_finding(c), 1 / 0]),
        lambda c: [10**5000],
        lambda c: b"oops",
        lambda c: [_finding(c), RuntimeError("\x00" * 10**6)],
    ],
    ids=[
        "ints",
        "string",
        "None",
        "int",
        "nested",
        "dict",
        "raises midway",
        "generator raises",
        "int with no text",
        "bytes",
        "exception object",
    ],
)
def test_each_kind_of_junk_is_a_broken_rule(check: Callable[..., Any]) -> None:
    """Each kind of junk a check can give: the report works and names the rule."""
    _judge_junk(check)


# ---- deep, self-containing, amplifying and oversized payloads ---------------------------------

#: Seconds a refusal of data over a limit may take: it comes before any reading.
FAST = 1.0


def _plain(cls: type) -> dict[str, Any]:
    return cc.to_dict(POOLS[cls][0])


def _nest(depth: int, leaf: object, *, as_dict: bool) -> object:
    data = leaf
    for _ in range(depth):
        data = {"x": data} if as_dict else [data]
    return data


def _amplified(doublings: int) -> list[Any]:
    data: list[Any] = ["leaf"]
    for _ in range(doublings):
        data = [data, data]
    return data


def _containing_itself() -> list[Any]:
    loop: list[Any] = []
    loop.append(loop)
    return loop


PLAIN_CLASSES = (cc.ProgramStructure, cc.TreatmentPlan, cc.Episode, cc.ValidationReport)
HOSTILE = st.one_of(
    st.integers(33, 3000).map(lambda d: _nest(d, 1, as_dict=False)),
    st.integers(33, 3000).map(lambda d: _nest(d, "x", as_dict=True)),
    st.integers(20, 200).map(_amplified),
    st.builds(_containing_itself),
    st.sampled_from(
        [
            "x" * 1_048_577,
            10**5000,
            -(10**400),
            2**53,
            math.nan,
            math.inf,
            -1e308,
            "PT" + "9" * 5000 + "H",
            "P" + "9" * 30 + "D",
            {"x" * 1_048_577: 1},
        ]
    ),
)


def _put(data: dict[str, Any], where: int, hostile: object) -> None:
    """Put `hostile` at one of the places of `data` (a key's value, an item of a list)."""
    places: list[tuple[Any, Any]] = []
    queue: list[Any] = [data]
    while queue:
        node = queue.pop()
        keys = list(node) if isinstance(node, dict) else range(len(node))
        for key in keys:
            places.append((node, key))
            if isinstance(node[key], (dict, list)):
                queue.append(node[key])
    node, key = places[where % len(places)]
    node[key] = hostile


@fuzz_settings
@given(
    cls=st.sampled_from(PLAIN_CLASSES),
    where=st.integers(0, 10_000),
    hostile=HOSTILE,
    around=st.integers(0, 3),
)
def test_hostile_payloads_are_refused_before_the_work(
    cls: type, where: int, hostile: object, around: int
) -> None:
    """Property: data nested past the limit, containing itself, expanding past the limit, or
    holding a string or number past the limits, anywhere in otherwise valid data (or wrapped
    around it), is refused with a DataError naming where, in well under a second. (A
    duration's 5,000 digits are no limit's business where any text goes, as a name: there it
    is read, or refused, as any text is.)"""
    data = _plain(cls)
    _put(data, where, hostile)
    payload: object = _nest(around, data, as_dict=False) if around else data
    if isinstance(hostile, str) and len(hostile) <= 10_000 and not around:
        call(cc.from_dict, cls, payload)
        return
    with cpu_time() as spent, pytest.raises(cc.DataError) as caught, time_limit():
        cc.from_dict(cls, payload)
    assert spent.seconds < FAST
    assert caught.value.problems


@fuzz_settings
@given(cls=st.sampled_from(PLAIN_CLASSES), where=st.integers(0, 10_000), depth=st.integers(1, 20))
def test_data_within_the_limits_is_read_as_before(cls: type, where: int, depth: int) -> None:
    """Property: nesting within the limit in a wrong place is reported as the wrong value it
    is (a DataError for that key), never as a crash."""
    data = _plain(cls)
    _put(data, where, _nest(depth, 1, as_dict=bool(where % 2)))
    call(cc.from_dict, cls, data)


def test_a_shared_part_within_the_limit_is_read() -> None:
    """Data that reuses one dict in many places (as Python code may) reads as JSON would."""
    level = {"scheme": "GENERIC", "code": "IOP"}
    stays = [{"level": level, "start": f"2026-03-{day:02d}", "end": f"2026-03-{day:02d}"}
             for day in range(2, 6)]  # fmt: skip
    stays[-1]["end"] = None
    moves = [{"from_level": level, "to_level": level}] * 0
    data = {"schema": "carecontinuum/1", "type": "Episode", "client_id": "c-1",
            "continuum": {"scheme": "GENERIC"}, "stays": stays, "concurrent": moves}  # fmt: skip
    try:
        episode = cc.from_dict(cc.Episode, data)
    except cc.DataError as error:  # IOP to IOP is no move: what matters is why it is refused
        assert not any("shared" in p or "nested" in p for p in error.problems), error.problems
    else:
        assert {stay.level for stay in episode.stays} == {IOP}


def test_frozen_map_params_cannot_be_changed() -> None:
    """A built-in rule's params cannot be changed through the map's items."""
    rule = rulesets.ASAM3.rules[0]
    params = rule.params
    assert isinstance(params, FrozenMap)
    before = dict(params)
    with pytest.raises(TypeError):
        params._items["at_least"] = 0  # type: ignore[index]
    with pytest.raises(AttributeError):
        params._items = {}  # type: ignore[misc]
    assert dict(rulesets.ASAM3.rules[0].params) == before
