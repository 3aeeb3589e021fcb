"""Shared machinery of the fuzz and immutability suites: pools of valid values drawn once from
the shipped strategies, garbage to mix in, a CPU-time guard and meter, and the contract every public
call must keep (a fully valid value or a `CareContinuumError`, never anything else)."""

from __future__ import annotations

import contextlib
import enum
import functools
import gc
import inspect
import math
import signal
import sys
import types
import typing
from collections import abc
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from fractions import Fraction
from time import process_time
from typing import Any

import attrs
import pendulum
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from pendulum import WeekDay

import carecontinuum as cc
import carecontinuum.strategies as ccst
from carecontinuum import catalogs, rulesets
from carecontinuum._episode import _program_levels
from carecontinuum._errors import _echo
from carecontinuum._frozen import FrozenMap

#: Seconds of CPU time one call may take before it counts as a hang. CPU time, not wall-clock
#: time: a long fuzz run shares the machine, and a call slowed by other work has not hung.
TIME_LIMIT = 5.0

#: Health checks that long runs of composite, mostly-garbage inputs trip without a bug.
SLOW_OK = [
    HealthCheck.too_slow,
    HealthCheck.data_too_large,
    HealthCheck.filter_too_much,
    HealthCheck.large_base_example,
]

#: The public attrs classes, found from `__all__` so new classes are covered automatically.
PUBLIC_CLASSES: tuple[type, ...] = tuple(
    obj
    for obj in (getattr(cc, name) for name in cc.__all__)
    if inspect.isclass(obj) and attrs.has(obj)
)

_PROFILE_EXAMPLES = settings().max_examples
POOL_SIZE = 8 if _PROFILE_EXAMPLES <= 1_000 else 48


def _collect(strategy: st.SearchStrategy[Any], count: int) -> tuple[Any, ...]:
    """`count` values of `strategy`, the same ones every run (hypothesis, derandomized)."""
    found: list[Any] = []

    @settings(
        max_examples=count,
        database=None,
        derandomize=True,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy)
    def collect(value: Any) -> None:
        found.append(value)

    collect()
    return tuple(found)


#: Valid values of every public class, drawn once per session from the shipped strategies.
POOLS: dict[type, tuple[Any, ...]] = {
    cls: _collect(st.from_type(cls), POOL_SIZE) for cls in PUBLIC_CLASSES
}
EPISODES_WITH_CONCURRENT = _collect(ccst.episodes(catalogs.ASAM3).filter(lambda e: e.concurrent), 4)
POOLS[cc.Episode] += EPISODES_WITH_CONCURRENT


def never_finds(context: object) -> tuple[()]:
    """A custom rule's check (module level, so rule sets holding it pickle)."""
    return ()


CUSTOM_RULESET = cc.RuleSet(
    "clinic", "1", [cc.Rule("NOOP", "never finds", source=cc.Source("clinic"), check=never_finds)]
)
POOLS[cc.RuleSet] += (*rulesets.ALL.values(), CUSTOM_RULESET)
POOLS[cc.Continuum] += tuple(catalogs.ALL.values()) if isinstance(catalogs.ALL, dict) else ()

#: Classes whose values draw fast enough to be drawn fresh on every example, not only pooled.
_CHEAP = frozenset(
    {
        cc.Segment,
        cc.Session,
        cc.LevelOfCare,
        cc.Continuum,
        cc.Span,
        cc.Crosswalk,
        cc.Dimension,
        cc.Discharge,
        cc.Intervention,
        cc.Source,
        cc.Authorization,
        cc.Assessment,
        cc.Episode,
    }
)


@functools.cache
def valid(cls: type) -> st.SearchStrategy[Any]:
    """Valid values of a public class: pooled, and for cheap classes also freshly drawn."""
    pooled = st.sampled_from(POOLS[cls])
    return pooled | st.from_type(cls) if cls in _CHEAP else pooled


ANY_VALID = st.sampled_from(PUBLIC_CLASSES).flatmap(lambda cls: st.sampled_from(POOLS[cls]))


@functools.cache
def programs_for(level: cc.LevelOfCare) -> st.SearchStrategy[cc.ProgramStructure]:
    """Programs a stay at `level` may carry (at the level, or at one it crosswalks to exactly):
    the pooled programs moved to those levels. A stay refuses a program of any other level, so
    calls that should get past the refusal draw these."""
    return st.tuples(
        st.sampled_from(POOLS[cc.ProgramStructure]), st.sampled_from(_program_levels(level))
    ).map(lambda pair: attrs.evolve(pair[0], level=pair[1]))


def stay_programs(continuum: cc.Continuum, level: object) -> st.SearchStrategy[Any]:
    """Programs for a stay at `level` (a level or a code of `continuum`, or garbage): mostly
    ones it may carry, sometimes any valid program (which it refuses unless the levels fit)."""
    member = continuum.get(level) if isinstance(level, str) else level
    if not isinstance(member, cc.LevelOfCare):
        return valid(cc.ProgramStructure)
    return programs_for(member) | programs_for(member) | valid(cc.ProgramStructure)


NAIVE = datetime(2026, 3, 2, 18, 0)
AWARE = datetime(2026, 3, 2, 18, 0, tzinfo=UTC)

#: Hand-picked values that have broken parsers and constructors elsewhere.
NASTY: tuple[Any, ...] = (
    None,
    True,
    False,
    0,
    1,
    -1,
    7,
    10**30,
    -(10**30),
    2**63,
    -(2**63) - 1,
    math.nan,
    math.inf,
    -math.inf,
    -0.0,
    0.5,
    1e308,
    5e-324,
    Decimal("NaN"),
    Decimal("1e999"),
    Fraction(1, 3),
    complex(1, 1),
    "",
    " ",
    "\x00",
    "x" * 10_000,
    "é\u200b",
    "mon",
    "monday",
    "Mon",
    "2.1",
    "IOP",
    "OP",
    "18:00",
    "25:00",
    "PT3H",
    "P-1D",
    "2026-03-02",
    "2026-02-30",
    "UTC",
    "Mars/Olympus_Mons",
    "America/New_York",
    "../../etc/passwd",
    "carecontinuum/1",
    "ASAM3",
    "LOCUS",
    b"",
    b"IOP",
    frozenset(),
    (),
    (1, 2),
    object(),
    int,
    str,
    cc.LevelOfCare,
    print,
    lambda: None,
    NAIVE,
    AWARE,
    pendulum.datetime(2026, 3, 2, 18, tz="America/New_York"),
    date(1, 1, 1),
    date(9999, 12, 31),
    date(2026, 3, 2),
    pendulum.date(2026, 3, 8),
    time(3, 0),
    time(23, 59, 59, 999999),
    time(18, 0, tzinfo=UTC),
    pendulum.time(18),
    timedelta(0),
    timedelta(-1),
    timedelta(microseconds=1),
    timedelta.max,
    timedelta.min,
    pendulum.duration(hours=-3),
    pendulum.duration(hours=3),
    pendulum.duration(years=1),
    WeekDay.MONDAY,
    WeekDay.SUNDAY,
    cc.Service.BREAK,
    cc.Population.ADULT,
    cc.Track.MENTAL_HEALTH,
    cc.Severity.ERROR,
    cc.DischargeReason.COMPLETED,
    cc.Setting.OUTPATIENT,
    pendulum.timezone("UTC"),
    FrozenMap({"x": 1}),
    range(3),
)

#: Mutable and stateful garbage, made afresh for each draw: a shared list a call appended to,
#: or an iterator a call consumed, would make the next example differ (hypothesis: flaky).
FRESH = st.sampled_from([
    lambda: bytearray(b"x"), list, lambda: [None], dict, lambda: {"a": 1}, set,
    lambda: iter([1, 2]), lambda: (x for x in (1, 2)),
]).map(lambda make: make())  # fmt: skip


def _hashable(value: object) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True


_HASHABLE = [v for v in NASTY if _hashable(v)]
_scalars = st.one_of(
    st.sampled_from(NASTY),
    FRESH,
    st.integers(),
    st.floats(),
    st.text(max_size=12),
    st.datetimes(),
    st.dates(),
    st.times(),
    st.timedeltas(),
)

#: Garbage: nasty scalars, valid values of other types, and collections mixing them.
GARBAGE: st.SearchStrategy[Any] = st.one_of(
    _scalars,
    ANY_VALID,
    st.lists(_scalars | ANY_VALID, max_size=3),
    st.lists(_scalars | ANY_VALID, max_size=3).map(tuple),
    st.dictionaries(
        st.text(max_size=4) | st.integers() | st.sampled_from(_HASHABLE), _scalars, max_size=3
    ),
    st.frozensets(st.integers() | st.text(max_size=3), max_size=3),
)


# ---- drawing arguments ----------------------------------------------------------------------


_RATES = st.sampled_from([0, 1, 3, 10])  # tenths of the arguments that are garbage
_TENTHS = st.integers(0, 9)
_OFFSETS = st.integers(-3, 60)
_BOOLS = st.booleans()


@functools.cache
def _index(size: int) -> st.SearchStrategy[int]:
    return st.integers(0, size - 1)


class Mixer:
    """Draws the arguments of one call: each a valid value or, at a rate drawn per call (often
    none, sometimes all), garbage; optional keyword arguments present or left out.

    Strategies are built once (module constants, cached): building one per example costs more
    than drawing from it."""

    def __init__(self, draw: st.DrawFn) -> None:
        self.draw = draw
        self.rate = draw(_RATES)

    def _garbage(self) -> bool:
        return bool(self.rate) and self.draw(_TENTHS) < self.rate

    def __call__(self, strategy: st.SearchStrategy[Any]) -> Any:
        """A value of `strategy`, or garbage."""
        return self.draw(GARBAGE) if self._garbage() else self.draw(strategy)

    def keep(self, value: Any) -> Any:
        """`value`, or garbage."""
        return self.draw(GARBAGE) if self._garbage() else value

    def valid(self, strategy: st.SearchStrategy[Any]) -> Any:
        return self.draw(strategy)

    def pick(self, options: typing.Sequence[Any]) -> Any:
        """One of `options` (never garbage)."""
        return options[self.draw(_index(len(options)))]

    def near(self, day: date) -> date:
        """A day around `day`, mostly on or after it (never garbage)."""
        return day + timedelta(days=self.draw(_OFFSETS))

    def coin(self) -> bool:
        return self.draw(_BOOLS)

    def of(self, cls: type) -> Any:
        return self(valid(cls))

    def optional(self, kwargs: dict[str, Any], name: str, strategy: st.SearchStrategy[Any]) -> None:
        if self.draw(_BOOLS):
            kwargs[name] = self(strategy)

    def optional_value(self, kwargs: dict[str, Any], name: str, value: Any) -> None:
        if self.draw(_BOOLS):
            kwargs[name] = self.keep(value)


# ---- CPU time: the guard and the meter -------------------------------------------------------


class Hang(BaseException):
    """A call ran past TIME_LIMIT."""


def _alarm(signum: int, frame: types.FrameType | None) -> None:
    raise Hang


class CpuTime:
    """The CPU time this process spent in a `cpu_time()` block, garbage collection left out.

    `seconds` reads the time so far inside the block and the block's whole time after it."""

    __slots__ = ("began", "collecting", "ended")

    def __init__(self) -> None:
        self.began = process_time()
        self.collecting = 0.0  # seconds of garbage collection within the block
        self.ended: float | None = None

    @property
    def seconds(self) -> float:
        now = process_time() if self.ended is None else self.ended
        return now - self.began - self.collecting

    def __repr__(self) -> str:
        return f"CpuTime({self.seconds:.3f} s)"


#: For each garbage collection under way: the guard's time left and the CPU time it began at.
_PAUSED: list[tuple[float, float]] = []
#: The meters of the `cpu_time()` blocks under way, innermost last.
_METERS: list[CpuTime] = []
#: How many guards and meters are under way (while any is, `_gc_pause` is a gc callback).
_WATCHING = [0]


def _gc_pause(phase: str, info: dict[str, int]) -> None:
    """Stop the guard's clock while Python collects garbage, and leave the collection out of
    every meter under way. A full collection walks every object of the process (in a long fuzz
    run, hypothesis's records of every example so far among them), which is not the guarded
    or measured call's work; hypothesis leaves collection time out of its deadlines for the
    same reason. Without the pause, the signal fell due during a long collection and was
    raised in hypothesis's own gc callback, where Python ignores it. (The guard's timer is
    stopped before anything else here and restarted last, so that it cannot fire in this
    callback either.)"""
    if phase == "start":
        left, _ = signal.setitimer(signal.ITIMER_PROF, 0)
        _PAUSED.append((left, process_time()))
    elif _PAUSED:
        left, began = _PAUSED.pop()
        now = process_time()
        for meter in _METERS:
            meter.collecting += now - max(began, meter.began)
        if left > 0:
            signal.setitimer(signal.ITIMER_PROF, left)


@contextlib.contextmanager
def _watching_collections() -> Iterator[None]:
    """`_gc_pause` among the gc callbacks for the block (once however deeply nested)."""
    if not _WATCHING[0]:
        gc.callbacks.append(_gc_pause)
    _WATCHING[0] += 1
    try:
        yield
    finally:
        _WATCHING[0] -= 1
        if not _WATCHING[0]:
            gc.callbacks.remove(_gc_pause)
            _PAUSED.clear()


@contextlib.contextmanager
def cpu_time() -> Iterator[CpuTime]:
    """Measure the block's CPU time (user and system time of this process), garbage
    collection left out: what a test means by "at once" or "bounded work". Wall-clock time
    is not that: on a machine shared with a long fuzz run, a call waiting for a core has not
    worked longer. `with cpu_time() as spent, pytest.raises(...):` then
    `assert spent.seconds < FAST` states that a refusal came at once.

    Meters nest, and nest with `time_limit` guards either way round."""
    with _watching_collections():
        meter = CpuTime()
        _METERS.append(meter)
        try:
            yield meter
        finally:
            meter.ended = process_time()
            _METERS.remove(meter)


@contextlib.contextmanager
def time_limit(seconds: float | None = None) -> Iterator[None]:
    """Raise `Hang` in the block after `seconds` (TIME_LIMIT) of this process's CPU time
    (ITIMER_PROF counts user and system time; SIGPROF), garbage collection left out.

    Guards nest: inside another guard, the outer one's clock goes on after the inner block
    (less the CPU time the inner block took, its collections left out)."""
    limit = TIME_LIMIT if seconds is None else seconds
    outer_left = 0.0
    try:
        # The meter closes while no timer runs: this guard's is stopped first, an outer
        # guard's is restarted last.
        with cpu_time() as inner:
            previous = signal.signal(signal.SIGPROF, _alarm)
            outer_left, _ = signal.setitimer(signal.ITIMER_PROF, limit)
            try:
                yield
            finally:
                signal.setitimer(signal.ITIMER_PROF, 0)
                signal.signal(signal.SIGPROF, previous)
    finally:
        if outer_left > 0:
            signal.setitimer(signal.ITIMER_PROF, max(outer_left - inner.seconds, 1e-6))


# ---- the contract ---------------------------------------------------------------------------


def describe(fn: object, args: tuple[Any, ...], kwargs: dict[str, Any]) -> str:
    def short(value: object) -> str:
        text = repr(value)
        return text if len(text) <= 300 else f"{text[:297]}..."

    parts = [short(a) for a in args] + [f"{k}={short(v)}" for k, v in kwargs.items()]
    return f"{getattr(fn, '__qualname__', fn)}({', '.join(parts)})"


#: Every error message fits in a few lines: at most this many lines and characters, whatever
#: the input (a 10 MB string, a program of a thousand sessions, data with a thousand
#: problems). A message says what was wrong with what and what was expected; the error's
#: attributes (`value`, `problems`, ...) keep everything whole.
MAX_MESSAGE_LINES = 4
MAX_MESSAGE_CHARS = 400


def check_error(error: cc.CareContinuumError, call: str) -> None:
    """A library error names what was wrong, in a few lines."""
    message = str(error)
    if isinstance(error, (cc.InvalidValueError, cc.InvalidTypeError)):
        assert isinstance(error.field, str) and error.field, f"{call}: no field in {error!r}"
        # The library quotes the field with repr() (a key with a control character in it,
        # floors['\x1f'], is named escaped), cut as it cuts any value it echoes.
        named = error.field in message or _echo(error.field) in message
        assert named, f"{call}: message {message!r} does not name {error.field}"
    else:
        assert message.strip(), f"{call}: {type(error).__name__} with an empty message"
    if not isinstance(error, BaseExceptionGroup):  # a group's members are checked one by one
        lines = message.count("\n") + 1
        assert lines <= MAX_MESSAGE_LINES and len(message) <= MAX_MESSAGE_CHARS, (
            f"{call}: a message of {lines} lines and {len(message)} characters: {message[:600]!r}"
        )
    else:
        for member in error.exceptions:
            if isinstance(member, cc.CareContinuumError):
                check_error(member, call)


def call(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Call `fn` under the contract: return its value (checked) or None when it raised a
    well-formed library error; fail on any other exception or a hang."""
    where = describe(fn, args, kwargs)
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
        pytest.fail(f"{where} raised {type(error).__name__}: {error}")
    check_result(result, where)
    return result


def check_result(result: object, where: str) -> None:
    if attrs.has(type(result)):
        check_value(result, where)
    elif isinstance(result, tuple):
        for item in result[:3]:
            check_result(item, where)


# The annotations of the public classes, resolved once (some name types imported only for
# type checkers).
_NAMESPACE = {name: getattr(cc, name) for name in cc.__all__}


def _hints(cls: type) -> dict[str, Any]:
    namespace = {**vars(sys.modules[cls.__module__]), **_NAMESPACE}
    hints = {}
    for field in attrs.fields(cls):
        try:
            hints[field.name] = (
                eval(field.type, namespace) if isinstance(field.type, str) else field.type
            )
        except Exception:
            continue
    return hints


_HINTS: dict[type, dict[str, Any]] = {cls: _hints(cls) for cls in PUBLIC_CLASSES}


def conforms(value: object, hint: Any) -> bool:  # noqa: PLR0911 (one case per kind of hint)
    """Whether `value` is of the annotated type, immutably: a tuple for a tuple, a frozenset
    for a set, a read-only mapping for a mapping, a real number (no bool, no NaN) for a
    number."""
    if hint is Any or hint is object or isinstance(hint, (typing.TypeVar, str)):
        return True
    if hint is None or hint is type(None):
        return value is None
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        return any(conforms(value, a) for a in args)
    if origin is typing.Literal:
        return value in args
    if origin is tuple:
        # A tuple, or the library's own tuple of findings (`Findings`), which equals one.
        if type(value) is not tuple and type(value) is not cc.Findings:
            return False
        if len(args) == 2 and args[1] is Ellipsis:
            return all(conforms(v, args[0]) for v in value[:8])
        return not args or (len(args) == len(value) and all(map(conforms, value, args)))
    if origin in (frozenset, abc.Set):
        return isinstance(value, frozenset) and all(conforms(v, args[0]) for v in value)
    if origin in (abc.Mapping, FrozenMap):
        return isinstance(value, abc.Mapping) and not isinstance(value, abc.MutableMapping)
    if origin is type:
        return isinstance(value, type)
    if origin is abc.Callable or hint is abc.Callable:
        return callable(value)
    if origin is not None:
        return isinstance(origin, type) and isinstance(value, origin)
    if not isinstance(hint, type):
        return True
    if hint in (int, float):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return False
        return hint is float or type(value) is int
    return isinstance(value, hint)


def _writable(cls: type) -> bool:
    """Whether to_dict writes values of `cls` (it refuses a type it has no shape for)."""
    try:
        for value in POOLS[cls]:
            cc.to_dict(value)
    except cc.InvalidTypeError:
        return False
    except cc.DataError:
        pass
    return True


#: Public classes to_dict can write; values that hold what plain data cannot (custom rules,
#: a narrowed calendar) are refused with a DataError, which is a documented outcome.
WRITABLE = frozenset(cls for cls in PUBLIC_CLASSES if _writable(cls))


def check_value(value: object, where: str = "") -> None:
    """A returned value is whole: each field of its declared type, `attrs.validate` passes, it
    equals itself and a copy of itself, hashes, and round-trips through plain data."""
    cls = type(value)
    for name, hint in _HINTS.get(cls, {}).items():
        field_value = getattr(value, name)
        if name.startswith("_") and isinstance(field_value, dict):
            continue  # a private index (RuleSet._index) is built by the class itself
        assert conforms(field_value, hint), (
            f"{where}: half-built {cls.__name__}: {name}={field_value!r} is not {hint}"
        )
    attrs.validate(value)  # type: ignore[arg-type]
    assert value == value, f"{where}: {cls.__name__} does not equal itself"  # noqa: PLR0124
    if cls.__hash__ is not None:
        hash(value)
    if cls in WRITABLE:
        try:
            data = cc.to_dict(value)
        except cc.DataError as error:
            # A value holding a custom rule set or stand-in cannot be written: said so.
            check_error(error, where)
            return
        except Exception as error:
            pytest.fail(f"{where}: to_dict raised {type(error).__name__}: {error}")
        try:
            back = cc.from_dict(cls, data)
        except Exception as error:
            pytest.fail(
                f"{where}: accepted a {cls.__name__} its plain data cannot rebuild: "
                f"{type(error).__name__}: {error}"
            )
        assert back == value, f"{where}: {cls.__name__} does not round-trip through to_dict"


def enum_members(kind: type[enum.Enum]) -> st.SearchStrategy[Any]:
    return st.sampled_from(list(kind))
