"""Episodes of care: one client's course through one continuum, appended to and never edited.

An episode is a history: the client is admitted at a level, steps up or down (each step a
`Transition` whose `Direction` comes from the continuum's order; a move to another pathway, such
as out of ASAM's withdrawal-management chain, is a transfer), may receive services that run
alongside the main stay (opioid treatment, withdrawal management), may hold payer
authorizations, and is discharged. Every operation returns a new `Episode`; the old one is
untouched. Dates are days (a transition on day D ends the old stay and starts the new one on
D), so stays tile the episode: each ends the day the next begins.
"""

from __future__ import annotations

import enum
import functools
import itertools
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from datetime import date
from operator import attrgetter
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import attrs
import pendulum

from ._columns import Columns, register_table
from ._crosswalk import catalog_named
from ._errors import (
    CareContinuumError,
    InvalidTypeError,
    InvalidValueError,
    TransitionError,
    _echo,
)
from ._frozen import unchecked_builder, value_eq, value_hash
from ._levels import Continuum, LevelOfCare
from ._program import ProgramStructure
from ._span import Span
from ._text import clip, line, summary, value_repr
from ._validators import check_day, check_enum, check_int, check_optional_str, check_str

if TYPE_CHECKING:
    from ._assessment import Assessment

__all__ = [
    "Authorization",
    "Direction",
    "Discharge",
    "DischargeReason",
    "Episode",
    "Stay",
    "Transition",
    "TransitionError",
]


class Direction(enum.Enum):
    """Which way a transition moves on the continuum's order of intensity.

    Steps up and down compare two levels of one pathway. A move between pathways is a
    `TRANSFER`: ASAM's 3rd edition runs withdrawal management as a chain of its own beside the
    main levels, and opioid treatment beside both, so leaving 3.7-WM for 3.5 residential care
    or for 2.1 is not a step down from "3.7" nor the move from 3.2-WM to 3.5 a step up: the
    decimals number different kinds of care, and the transfer is judged by rules of its own.

    >>> Direction.STEP_DOWN.value
    'step down'
    >>> from carecontinuum.catalogs import ASAM3
    >>> e = Episode.admit("c-1", "3.2-WM", pendulum.date(2026, 1, 5), continuum=ASAM3)
    >>> e.step_to("3.5", pendulum.date(2026, 1, 9), "withdrawal complete").transitions[0].direction
    <Direction.TRANSFER: 'transfer'>
    """

    __hash__ = object.__hash__  # members are singletons: hashed by identity, in C

    STEP_UP = "step up"
    STEP_DOWN = "step down"
    #: Same level, another program (a move from a day IOP to an evening IOP).
    LATERAL = "lateral"
    #: To a level on another pathway (withdrawal management to treatment, into or out of
    #: opioid treatment): neither up nor down, as the two chains are not one order.
    TRANSFER = "transfer"


class DischargeReason(enum.Enum):
    """Why an episode ended.

    >>> DischargeReason.AGAINST_MEDICAL_ADVICE.value
    'against medical advice'
    """

    __hash__ = object.__hash__  # members are singletons: hashed by identity, in C

    COMPLETED = "completed"
    AGAINST_MEDICAL_ADVICE = "against medical advice"
    TRANSFERRED = "transferred"
    ADMINISTRATIVE = "administrative"
    LOST_TO_CONTACT = "lost to contact"
    OTHER = "other"


_start = attrgetter("start")


def _day(field: str, value: object) -> pendulum.Date:
    if type(value) is pendulum.Date:
        return value
    day = check_day(field, value)
    if type(day) is pendulum.Date:
        return day
    return pendulum.Date(day.year, day.month, day.day)


# Converters of the frozen value types' fields (attrs runs them in the generated __init__ and
# in `attrs.evolve`): a day is stored as a pendulum Date, an enum as its member; anything else
# is refused, naming the field.


def _on(value: date | str) -> pendulum.Date:
    return _day("on", value)


def _start_day(value: date | str) -> pendulum.Date:
    return _day("start", value)


def _end_day(value: date | str) -> pendulum.Date:
    return _day("end", value)


def _optional_end(value: date | str | None) -> pendulum.Date | None:
    return None if value is None else _day("end", value)


def _optional_review(value: date | str | None) -> pendulum.Date | None:
    return None if value is None else _day("next_review", value)


def _direction_of(value: Direction | str) -> Direction:
    return check_enum("direction", value, Direction)


def _discharge_reason(value: DischargeReason | str) -> DischargeReason:
    return check_enum("reason", value, DischargeReason)


def _check_level(field: str, value: object) -> None:
    if not isinstance(value, LevelOfCare):
        raise InvalidTypeError(field, value, "a LevelOfCare")


def _check_assessment(value: object) -> Assessment | None:
    # The library's own Assessment only: a frozen value, so the stay hashes and writes as data.
    if value is None:
        return None
    if not isinstance(value, _assessment_class()):
        raise InvalidTypeError("assessment", value, "an Assessment or None")
    return value


@functools.cache
def _assessment_class() -> type[Assessment]:
    """`Assessment`, imported on first use (its module loads the rule engine) and kept: an
    import statement in a function costs about a microsecond each time it runs."""
    from ._assessment import Assessment  # noqa: PLC0415

    return Assessment


@attrs.frozen(weakref_slot=False)
class Stay:
    """A stretch of the episode at one level: from `start` to `end` (the day the next stay
    begins, or the discharge day), `end` None while it goes on.

    The program, when recorded, is a program at the stay's level: at that very level, or at a
    level of another catalog scheme that corresponds to it exactly, one way or the other (a
    GENERIC IOP program for an ASAM3 2.1 stay, which crosswalks exactly to GENERIC IOP; an ASAM3
    3.5 program for a GENERIC RESIDENTIAL stay, as ASAM3 3.5 crosswalks exactly to GENERIC
    RESIDENTIAL alone). A
    program of another level (a one-hour GENERIC OP program on an ASAM3 2.1 stay) is refused:
    the record would say the client received care the stay says they did not. Where the
    crosswalk is approximate (ASAM3 3.7 to GENERIC RESIDENTIAL), build the program at the
    stay's own level instead.

    Attributes:
        level: The level of care.
        start: The first day.
        end: The day it ended (exclusive: the next stay starts that day), or None.
        reason: Why the client came to this level (None at admission, if none was given).
        assessment: The assessment the move rests on, if recorded.
        program: The program the client was enrolled in at this level, if recorded.

    Raises:
        InvalidValueError: `end` before `start`, or a `program` at a level that is neither the
            stay's level nor one that corresponds to it exactly (the error's value is the program's
            level).

    >>> import carecontinuum as cc
    >>> from carecontinuum.catalogs import ASAM3, GENERIC
    >>> Stay(GENERIC["IOP"], pendulum.date(2026, 3, 2), pendulum.date(2026, 4, 27)).length
    56
    >>> iop = cc.ProgramStructure.weekly(GENERIC["IOP"], days=["mon", "wed", "fri"],
    ...                                  hours_per_session=3, weeks=8)
    >>> Stay(ASAM3["2.1"], pendulum.date(2026, 3, 2), program=iop).program.level.code
    'IOP'
    >>> Stay(ASAM3["2.5"], pendulum.date(2026, 3, 2), program=iop)
    Traceback (most recent call last):
    ...
    carecontinuum.InvalidValueError: 'program' must be at the stay's level, ASAM3 2.5, or at a
    level that corresponds to it exactly (GENERIC PHP, ...) (got LevelOfCare(GENERIC IOP))
    """

    __repr__ = value_repr
    __eq__ = value_eq
    __hash__ = value_hash

    level: LevelOfCare
    start: pendulum.Date = attrs.field(converter=_start_day)
    end: pendulum.Date | None = attrs.field(default=None, converter=_optional_end)
    reason: str | None = attrs.field(default=None, repr=False)
    assessment: Assessment | None = attrs.field(default=None, repr=False)
    program: ProgramStructure | None = attrs.field(default=None, repr=False)

    def __attrs_post_init__(self) -> None:
        _check_level("level", self.level)
        if self.end is not None and self.end < self.start:
            raise InvalidValueError("end", self.end, f"on or after start ({self.start})")
        check_optional_str("reason", self.reason)
        _check_assessment(self.assessment)
        program = _check_program(self.program)
        if program is not None:
            _check_program_level(self.level, program)

    @property
    def length(self) -> int | None:
        """Days from start to end; None while the stay goes on."""
        return None if self.end is None else (self.end - self.start).days

    def days_through(self, day: date | str) -> int:
        """Days of this stay up to and including `day` (all of them once it has ended): a stay
        that began on `day` has had 1 day through `day`, one not yet begun none."""
        stop = _day("day", day).toordinal() + 1  # ordinals: the day after date.max exists
        if self.end is not None:
            stop = min(stop, self.end.toordinal())
        return max(stop - self.start.toordinal(), 0)

    def __str__(self) -> str:
        """The level and the days, with the length once ended.

        >>> from carecontinuum.catalogs import GENERIC
        >>> print(Stay(GENERIC["IOP"], pendulum.date(2026, 3, 2), pendulum.date(2026, 4, 27)))
        GENERIC IOP 2026-03-02 to 2026-04-27 (56 days)
        """
        level = f"{self.level.scheme} {self.level.code}"
        if self.end is None:
            return summary(f"{level} from {self.start}, ongoing")
        days = self.length
        return summary(f"{level} {self.start} to {self.end} ({days} day{'' if days == 1 else 's'})")


#: Stays the library computes from stays it holds (`_ended`).
_BUILD_STAY = unchecked_builder(Stay)


def _ended(stay: Stay, day: pendulum.Date) -> Stay:
    """`stay` ended on `day`, as ``attrs.evolve(stay, end=day)`` makes it, without checking
    again what was checked when `stay` was made: an episode's operations pass a day on or
    after the episode's last event, so on or after the start of every stay it holds."""
    if type(stay) is not Stay:  # a subclass's layout may differ: its own constructor
        return attrs.evolve(stay, end=day)
    return _BUILD_STAY(stay.level, stay.start, day, stay.reason, stay.assessment, stay.program)


@attrs.frozen(weakref_slot=False)
class Transition:
    """A move between two levels on a day. Its `direction` is the one the two levels give: a
    step up or down along one pathway, lateral at the same level, a transfer between pathways.

    >>> import carecontinuum as cc
    >>> from carecontinuum.catalogs import GENERIC
    >>> e = Episode.admit("c-1", "PHP", pendulum.date(2026, 3, 2), continuum=GENERIC)
    >>> e.step_to("IOP", pendulum.date(2026, 3, 23), "stable").transitions[0].direction
    <Direction.STEP_DOWN: 'step down'>
    """

    __repr__ = value_repr
    __eq__ = value_eq
    __hash__ = value_hash

    from_level: LevelOfCare
    to_level: LevelOfCare
    on: pendulum.Date = attrs.field(converter=_on)
    reason: str | None
    direction: Direction = attrs.field(converter=_direction_of)
    assessment: Assessment | None = attrs.field(default=None, repr=False)

    def __attrs_post_init__(self) -> None:
        _check_level("from_level", self.from_level)
        _check_level("to_level", self.to_level)
        check_optional_str("reason", self.reason)
        order = _direction(self.from_level, self.to_level)
        if self.direction is not order:
            raise InvalidValueError("direction", self.direction, f"{order}, as the two levels give")
        _check_assessment(self.assessment)

    def __str__(self) -> str:
        """The day, the direction, the two levels and the reason.

        >>> from carecontinuum.catalogs import GENERIC
        >>> e = Episode.admit("c-1", "PHP", pendulum.date(2026, 3, 2), continuum=GENERIC)
        >>> print(e.step_to("IOP", pendulum.date(2026, 3, 23), "stable").transitions[0])
        2026-03-23: step down GENERIC PHP -> IOP (stable)
        """
        why = f" ({clip(line(self.reason), 60)})" if self.reason else ""
        return summary(
            f"{self.on}: {self.direction.value} {self.from_level.scheme} {self.from_level.code} "
            f"-> {self.to_level.code}{why}"
        )


#: Transitions an episode derives from its stays, each checked when it was added.
_BUILD_TRANSITION = unchecked_builder(Transition)


@attrs.frozen
class Discharge:
    """The end of an episode: the day, the reason, and where the client was referred.

    >>> d = Discharge(pendulum.date(2026, 5, 1), DischargeReason.COMPLETED)
    >>> d.reason.value
    'completed'
    """

    __repr__ = value_repr
    __eq__ = value_eq
    __hash__ = value_hash

    on: pendulum.Date = attrs.field(converter=_on)
    reason: DischargeReason = attrs.field(converter=_discharge_reason)
    note: str | None = None
    referred_to: LevelOfCare | None = None

    def __attrs_post_init__(self) -> None:
        check_optional_str("note", self.note)
        if self.referred_to is not None:
            _check_level("referred_to", self.referred_to)

    def __str__(self) -> str:
        """The day, the reason, the referral and the note.

        >>> print(Discharge(pendulum.date(2026, 5, 1), DischargeReason.COMPLETED))
        discharged 2026-05-01: completed
        """
        to = self.referred_to
        return summary(
            f"discharged {self.on}: {self.reason.value}",
            f"referred to {to.scheme} {to.code}" if to is not None else "",
            clip(line(self.note), 60) if self.note else "",
        )


@attrs.frozen
class Authorization:
    """A payer's authorization of a level, from `start` to `end` (inclusive).

    >>> from carecontinuum.catalogs import GENERIC
    >>> a = Authorization(GENERIC["PHP"], pendulum.date(2026, 3, 2), pendulum.date(2026, 3, 15))
    >>> a.covers(pendulum.date(2026, 3, 15)), a.days
    (True, 14)
    """

    __repr__ = value_repr
    __eq__ = value_eq
    __hash__ = value_hash

    level: LevelOfCare
    start: pendulum.Date = attrs.field(converter=_start_day)
    end: pendulum.Date = attrs.field(converter=_end_day)
    payer: str | None = None
    next_review: pendulum.Date | None = attrs.field(default=None, converter=_optional_review)
    units: int | None = None

    def __attrs_post_init__(self) -> None:
        _check_level("level", self.level)
        if self.end < self.start:
            raise InvalidValueError("end", self.end, f"on or after start ({self.start})")
        check_optional_str("payer", self.payer)
        if self.units is not None:  # kept as a plain int (an IntEnum is read as one)
            object.__setattr__(self, "units", check_int("units", self.units, minimum=1))

    def covers(self, day: date | str) -> bool:
        """True when `day` lies within the authorization."""
        if type(day) is not pendulum.Date:
            day = _day("day", day)
        return self.start <= day <= self.end

    @property
    def days(self) -> int:
        """Days authorized."""
        return (self.end - self.start).days + 1

    def __str__(self) -> str:
        """The level, the days, the payer, the units and the next review.

        >>> from carecontinuum.catalogs import GENERIC
        >>> print(Authorization(GENERIC["PHP"], pendulum.date(2026, 3, 2),
        ...                     pendulum.date(2026, 3, 15), payer="Acme Health", units=10))
        GENERIC PHP authorized 2026-03-02 to 2026-03-15 (14 days), by Acme Health, 10 units
        """
        days = self.days
        return summary(
            f"{self.level.scheme} {self.level.code} authorized {self.start} to {self.end} "
            f"({days} day{'' if days == 1 else 's'})",
            f"by {clip(line(self.payer), 40)}" if self.payer else "",
            f"{self.units} unit{'' if self.units == 1 else 's'}" if self.units is not None else "",
            f"review {self.next_review}" if self.next_review is not None else "",
        )


_T = TypeVar("_T")


class _Seq(Generic[_T]):
    """A tuple built by appending and replacing items, each in constant time, made into a tuple
    (once) when read: how an episode's operations cost what they add, not what it holds.

    A node is a tuple (``_flat``) or one change to its parent: ``_item`` at ``_index``, an
    append when the index is the parent's size. Reading walks up to the nearest tuple and
    replays the changes; the result replaces the node's change, which lets the chain go.
    """

    __slots__ = ("_flat", "_index", "_item", "_parent", "size")

    def __init__(
        self, parent: _Seq[_T] | None, index: int, item: _T | None, flat: tuple[_T, ...] | None
    ) -> None:
        self._parent = parent
        self._index = index
        self._item = item
        self._flat = flat
        self.size: int = len(flat) if flat is not None else max(parent.size, index + 1)  # type: ignore[union-attr]

    @classmethod
    def of(cls, items: tuple[_T, ...]) -> _Seq[_T]:
        return cls(None, -1, None, items)

    def append(self, item: _T) -> _Seq[_T]:
        return _Seq(self, self.size, item, None)

    def replace(self, index: int, item: _T) -> _Seq[_T]:
        return _Seq(self, index, item, None)

    def flat(self) -> tuple[_T, ...]:
        if self._flat is None:
            changes: list[_Seq[_T]] = []
            node: _Seq[_T] = self
            while node._flat is None:
                changes.append(node)
                node = node._parent  # type: ignore[assignment]
            items: list[Any] = list(node._flat)
            for change in reversed(changes):
                if change._index == len(items):
                    items.append(change._item)
                else:
                    items[change._index] = change._item
            self._flat, self._parent, self._item = tuple(items), None, None
        return self._flat


#: The episode's sequences an operation may leave to be made when first read.
_LAZY = ("stays", "concurrent", "authorizations", "_by_start")


#: Below this many items a sequence is copied as a tuple (as cheap as a `_Seq` node, and
#: lighter to hold); from it on, extended as a `_Seq`, so that a long history costs no more.
_SHORT = 32

_Items = tuple[_T, ...] | _Seq[_T]


def _replaced(items: _Items[_T], index: int, item: _T) -> _Items[_T]:
    """`items` with `item` at `index` (which exists)."""
    if isinstance(items, tuple):
        if len(items) < _SHORT:
            return (*items[:index], item, *items[index + 1 :])
        items = _Seq.of(items)
    return items.replace(index, item)


def _appended(items: _Items[_T], item: _T) -> _Items[_T]:
    """`items` with `item` added at the end."""
    if isinstance(items, tuple):
        if len(items) < _SHORT:
            return (*items, item)
        items = _Seq.of(items)
    return items.append(item)


def _size(items: _Items[Any]) -> int:
    return len(items) if isinstance(items, tuple) else items.size


def _direction(current: LevelOfCare, target: LevelOfCare) -> Direction:
    # Ranks order one scheme's levels, but only within a pathway is the order a ladder.
    if current.pathway != target.pathway:
        return Direction.TRANSFER
    if target < current:
        return Direction.STEP_DOWN
    if current < target:
        return Direction.STEP_UP
    return Direction.LATERAL


@attrs.frozen(init=False)
class Episode:
    """One client's course through one continuum of care.

    Build it with `Episode.admit` and the operations that follow (`step_to`, `add_concurrent`,
    `end_concurrent`, `authorize`, `discharge`); each returns a new episode. The constructor
    takes a whole history, so a history stored elsewhere can be rebuilt, and accepts exactly
    the histories the operations can make: the operations and the constructor run one set of
    checks (the operations only on what they add).

    Those checks: every level belongs to the continuum; the main stays tile the episode
    without gap or overlap, each move changing the level (or, at the same level, to another
    program: a lateral move); the last stay ends on the discharge day, or goes on while the
    episode is open. Services alongside (`concurrent`) are listed in the order they began,
    start on or after the admission and end by the discharge, record no assessment or program
    (`add_concurrent` takes neither), never run twice at once at one level, and a level that is
    not `LevelOfCare.concurrent` began beside a main stay on another pathway (a main stay in
    force that day: one that began that day or before, and ended that day or later).
    Authorizations end on or after the admission and, once discharged, begin on or before the
    discharge day; two of one pathway, or of one concurrent level, do not overlap (a
    concurrent service's authorization may overlap the main level's).

    Args:
        client_id: An opaque client id.
        continuum: The continuum the episode runs on.
        stays: The main stays, in order; each but the last ends the day the next starts.
        concurrent: Stays at levels running alongside the main one (opioid treatment...), in
            the order they began.
        authorizations: Payer authorizations, in any order; those of one pathway (or of one
            concurrent level) not overlapping.
        discharge: The discharge, or None while the episode is open.

    Raises:
        TransitionError: a history the operations could not have made (the message names
            the stay by its path, such as ``stays[2]`` or ``concurrent[0]``).
        InvalidTypeError, InvalidValueError: a malformed argument, or an authorization outside
            the episode or overlapping another of its pathway or concurrent level (named like
            ``authorizations[1].start``).

    >>> import carecontinuum as cc
    >>> from carecontinuum.catalogs import GENERIC
    >>> e = (Episode.admit("c-1", "DETOX", pendulum.date(2026, 1, 5), continuum=GENERIC)
    ...      .step_to("RESIDENTIAL", pendulum.date(2026, 1, 10), "withdrawal complete")
    ...      .step_to("PHP", pendulum.date(2026, 2, 9), "stable")
    ...      .step_to("IOP", pendulum.date(2026, 3, 2), "stable")
    ...      .step_to("OP", pendulum.date(2026, 4, 27), "goals met")
    ...      .step_to("RECOVERY", pendulum.date(2026, 6, 22), "goals met"))
    >>> [t.direction.name for t in e.transitions]
    ['STEP_DOWN', 'STEP_DOWN', 'STEP_DOWN', 'STEP_DOWN', 'STEP_DOWN']
    >>> e.current_level.code
    'RECOVERY'
    >>> Episode("c-1", GENERIC, [Stay(GENERIC["IOP"], pendulum.date(2026, 3, 2),
    ...                               pendulum.date(2026, 3, 9)),
    ...                          Stay(GENERIC["IOP"], pendulum.date(2026, 3, 9))])
    Traceback (most recent call last):
    ...
    carecontinuum.TransitionError: stays[1]: GENERIC IOP (Intensive outpatient) is already the
    level of stays[0]; a transition needs another level (or, for a lateral move, another program)
    """

    __repr__ = value_repr
    __eq__ = value_eq
    __hash__ = value_hash

    client_id: str
    continuum: Continuum
    stays: tuple[Stay, ...]
    concurrent: tuple[Stay, ...]
    authorizations: tuple[Authorization, ...]
    discharge_record: Discharge | None = attrs.field(alias="discharge")
    # Derived from the history when it is built and carried from one episode to the next, so
    # that each operation costs what it adds: the day of the last event (no operation may come
    # before it), the admission day, the last main stay, the services still running (with their
    # positions in `concurrent`), the authorizations ordered by start and, of each lane (see
    # `_lane`), the one that starts last. Not part of the value (equality, hash, repr).
    _last_event: pendulum.Date = attrs.field(init=False, eq=False, repr=False)
    _admitted: pendulum.Date = attrs.field(init=False, eq=False, repr=False)
    _last_stay: Stay = attrs.field(init=False, eq=False, repr=False)
    _running: tuple[tuple[int, Stay], ...] = attrs.field(init=False, eq=False, repr=False)
    _by_start: tuple[Authorization, ...] = attrs.field(init=False, eq=False, repr=False)
    _latest_grants: tuple[Authorization, ...] = attrs.field(init=False, eq=False, repr=False)
    # An operation extends a long sequence (of `_LAZY`) as a `_Seq`, in constant time, and
    # leaves its attribute unset: `__getattr__` makes the tuple when it is first read, and
    # drops the `_Seq`. None when every sequence is a tuple (short histories, and any read).
    _lazy: dict[str, _Seq[Any]] | None = attrs.field(init=False, eq=False, repr=False)

    def __init__(
        self,
        client_id: str,
        continuum: Continuum,
        stays: Iterable[Stay],
        *,
        concurrent: Iterable[Stay] = (),
        authorizations: Iterable[Authorization] = (),
        discharge: Discharge | None = None,
    ) -> None:
        check_str("client_id", client_id)
        if not isinstance(continuum, Continuum):
            raise InvalidTypeError("continuum", continuum, "a Continuum")
        main = _stays("stays", stays)
        if not main:
            raise InvalidValueError("stays", main, "at least one stay (the admission)")
        alongside = _stays("concurrent", concurrent)
        if isinstance(authorizations, (str, bytes)) or not isinstance(authorizations, Iterable):
            raise InvalidTypeError("authorizations", authorizations, "a sequence of Authorization")
        grants = tuple(authorizations)
        for i, grant in enumerate(grants):
            if not isinstance(grant, Authorization):
                raise InvalidTypeError(f"authorizations[{i}]", grant, "an Authorization")
        if discharge is not None and not isinstance(discharge, Discharge):
            raise InvalidTypeError("discharge", discharge, "a Discharge or None")
        last, running = _check_history(continuum, main, alongside, discharge)
        by_start = _check_grants(continuum, grants, main[0].start, discharge)
        self.__attrs_init__(client_id, continuum, main, alongside, grants, discharge)
        _set = object.__setattr__
        _set(self, "_last_event", last)
        _set(self, "_admitted", main[0].start)
        _set(self, "_last_stay", main[-1])
        _set(self, "_running", tuple((i, alongside[i]) for i in running))
        _set(self, "_by_start", by_start)
        _set(self, "_latest_grants", functools.reduce(_latest_by_lane, by_start, _NO_GRANTS))
        _set(self, "_lazy", None)

    if not TYPE_CHECKING:  # mypy keeps checking attribute names

        def __getattr__(self, name: str) -> Any:
            # Called only for an attribute not set: a sequence an operation left as a `_Seq`.
            lazy = object.__getattribute__(self, "_lazy") if name in _LAZY else None
            if not lazy or name not in lazy:
                raise AttributeError(f"'Episode' object has no attribute {name!r}")
            value = lazy[name].flat()
            object.__setattr__(self, name, value)
            rest = {key: seq for key, seq in lazy.items() if key != name}
            object.__setattr__(self, "_lazy", rest or None)
            return value

    def __getstate__(self) -> dict[str, object]:
        # Every sequence as a tuple: a pickle holds the history, not the chain of operations.
        state = {field.name: getattr(self, field.name) for field in attrs.fields(Episode)}
        state["_lazy"] = None
        return state

    def __setstate__(self, state: dict[str, object]) -> None:
        for name, value in state.items():
            object.__setattr__(self, name, value)

    # ---- building ---------------------------------------------------------------------------

    @classmethod
    def admit(
        cls,
        client_id: str,
        level: LevelOfCare | str,
        on: date | str,
        *,
        continuum: Continuum | str | None = None,
        reason: str | None = None,
        assessment: Assessment | None = None,
        program: ProgramStructure | None = None,
    ) -> Episode:
        """Open an episode: the client is admitted at `level` on `on`.

        The episode's continuum is `continuum` (a `Continuum`, or a catalog's scheme name such
        as ``"ASAM3"``), or when it is omitted the catalog `level` belongs to
        (``catalogs.ASAM3["2.1"]`` gives ``catalogs.ASAM3``). It must be given for a level
        given by its code (``"2.1"`` is a level of ASAM3 and of ASAM4) and for a level of a
        continuum of your own.

        >>> from carecontinuum.catalogs import ASAM3
        >>> episode = Episode.admit("c-1", "2.1", pendulum.date(2026, 3, 2), continuum=ASAM3)
        >>> episode.current_level.code, episode.is_open
        ('2.1', True)
        >>> Episode.admit("c-2", ASAM3["3.5"], "2026-03-02").continuum is ASAM3
        True
        """
        if continuum is None:
            continuum = _catalog_of(level)
        elif isinstance(continuum, str):
            continuum = catalog_named("continuum", continuum)
        elif not isinstance(continuum, Continuum):
            raise InvalidTypeError(
                "continuum", continuum, "a Continuum or a catalog's scheme name ('ASAM3')"
            )
        first = Stay(
            _member(continuum, level),
            _day("on", on),
            None,
            check_optional_str("reason", reason),
            _check_assessment(assessment),
            _check_program(program),
        )
        return cls(client_id, continuum, (first,))

    def step_to(
        self,
        level: LevelOfCare | str,
        on: date | str,
        reason: str | None = None,
        *,
        assessment: Assessment | None = None,
        program: ProgramStructure | None = None,
    ) -> Episode:
        """Move the client to another level (or, at the same level, to another program: a
        lateral move) on `on`, ending the current stay that day.

        Raises:
            TransitionError: the episode is discharged, `on` is before the last event, the
                level is of another continuum, or it is the current level and program (a
                `program` of None keeps the current one).
            InvalidTypeError: `assessment` is not an `Assessment`, or another argument is
                malformed.
        """
        day = self._after_last("on", on)
        target = self._level(level)
        ended = _ended(self._last_stay, day)
        added = Stay(
            target,
            day,
            None,
            check_optional_str("reason", reason),
            _check_assessment(assessment),
            _check_program(program),
        )
        _check_move(ended, added)
        stays = self._items("stays")
        stays = _appended(_replaced(stays, _size(stays) - 1, ended), added)
        return self._with(stays=stays, last_stay=added, last_event=day)

    def discharge(
        self,
        on: date | str,
        reason: DischargeReason | str,
        *,
        note: str | None = None,
        referred_to: LevelOfCare | None = None,
    ) -> Episode:
        """End the episode on `on`: the current stay and any concurrent service end that day.

        Args:
            on: The discharge day.
            reason: Why the episode ended.
            note: Free text.
            referred_to: Where the client was referred for aftercare (any scheme's level).

        Raises:
            TransitionError: the episode is already discharged, or `on` is before the last
                event.
            InvalidValueError: an authorization begins after `on` (an episode holds no
                authorization wholly after its discharge).
        """
        day = self._after_last("on", on)
        reason = check_enum("reason", reason, DischargeReason)
        if referred_to is not None and not isinstance(referred_to, LevelOfCare):
            raise InvalidTypeError("referred_to", referred_to, "a LevelOfCare or None")
        late = max(self._latest_grants, key=_start, default=None)
        if late is not None and late.start > day:
            raise InvalidValueError(
                "on",
                day,
                f"on or after {late.start}, when the authorization of {late.level.code} from "
                f"{late.start} to {late.end} begins (an episode holds no authorization wholly "
                "after its discharge)",
            )
        record = Discharge(day, reason, check_optional_str("note", note), referred_to)
        ended = _ended(self._last_stay, day)
        stays = self._items("stays")
        stays = _replaced(stays, _size(stays) - 1, ended)
        concurrent = None
        if self._running:
            concurrent = self._items("concurrent")
            for i, service in self._running:
                concurrent = _replaced(concurrent, i, _ended(service, day))
        return self._with(
            stays=stays,
            concurrent=concurrent,
            discharge=record,
            last_stay=ended,
            last_event=day,
            running=(),
        )

    def add_concurrent(
        self, level: LevelOfCare | str, on: date | str, reason: str | None = None
    ) -> Episode:
        """Start a service that runs alongside the main stay (a level marked `concurrent`,
        such as opioid treatment, or a level on another pathway, such as ASAM 3rd edition's
        withdrawal management). It is recorded beside the stay, not as a transition.

        Raises:
            TransitionError: the level is the main stay's pathway (that is a transition), is
                already running, or the episode is discharged or the day is before the last
                event.
        """
        day = self._after_last("on", on)
        target = self._level(level)
        added = Stay(target, day, None, check_optional_str("reason", reason))
        _check_alongside(added, self._last_stay.level, "'level': ")
        same = next((s for _, s in self._running if s.level == target), None)
        _check_free(added, same, "'level': ")
        concurrent = self._items("concurrent")
        return self._with(
            concurrent=_appended(concurrent, added),
            last_event=day,
            running=(*self._running, (_size(concurrent), added)),
        )

    def end_concurrent(self, level: LevelOfCare | str, on: date | str) -> Episode:
        """End a service running alongside the main stay.

        Raises:
            TransitionError: no such service is running, or the day is before the last event.
        """
        day = self._after_last("on", on)
        target = self._level(level)
        running = next((r for r in self._running if r[1].level == target), None)
        if running is None:
            raise TransitionError(f"'level': {target} is not running alongside the main stay")
        at, service = running
        return self._with(
            concurrent=_replaced(self._items("concurrent"), at, _ended(service, day)),
            last_event=day,
            running=tuple(r for r in self._running if r[0] != at),
        )

    def authorize(
        self,
        level: LevelOfCare | str,
        start: date | str,
        end: date | str,
        *,
        payer: str | None = None,
        next_review: date | str | None = None,
        units: int | None = None,
    ) -> Episode:
        """Record a payer's authorization of a level for a period (inclusive), beside the
        level delivered. Authorizations may be recorded in any order, ahead of the period
        too (`discharge` then refuses a day before one begins), and after the discharge for
        the days of the episode: paperwork often arrives late.

        A concurrent service holds its own authorizations beside the main level's: an
        authorization of opioid treatment (a level marked `LevelOfCare.concurrent`) may
        overlap one of 2.1, and one of a level on another pathway (ASAM 3rd edition's
        withdrawal management) one of the main pathway. Two authorizations of one pathway, or
        of one concurrent level, may not overlap: the client is at one level of a pathway at a
        time. A payer's amendment (more units, a later end, a new review day after a concurrent
        review) is recorded by authorizing the same level again from the same first day: it
        replaces its pathway's latest authorization when that one starts that day at that
        level.

        Args:
            level: The level authorized.
            start: The first day authorized.
            end: The last day authorized (inclusive).
            payer: Who authorized it.
            next_review: The day the payer reviews the authorization (see
                ``EPISODE-AUTHORIZATION-REVIEWED`` in `rulesets.EPISODE_RULES`).
            units: The units authorized (sessions, hours or days: the payer says which;
                `rulesets.authorized_units` compares them with the care delivered).

        Raises:
            TransitionError: the level is of another continuum.
            InvalidValueError: `end` before `start` or before the admission, `start` after the
                discharge, or a period overlapping another authorization of the same pathway or
                concurrent level (other than the amendment above).

        >>> from carecontinuum.catalogs import ASAM3
        >>> e = (Episode.admit("c-1", "2.1", pendulum.date(2026, 3, 2), continuum=ASAM3)
        ...      .add_concurrent("OTP", pendulum.date(2026, 3, 2))
        ...      .authorize("2.1", pendulum.date(2026, 3, 2), pendulum.date(2026, 3, 15))
        ...      .authorize("OTP", pendulum.date(2026, 3, 2), pendulum.date(2026, 5, 31))
        ...      .discharge(pendulum.date(2026, 3, 30), "completed")
        ...      .authorize("2.1", pendulum.date(2026, 3, 16), pendulum.date(2026, 3, 30)))
        >>> [a.level.code for a in e.authorizations]
        ['2.1', 'OTP', '2.1']
        >>> amended = e.authorize("2.1", pendulum.date(2026, 3, 16), pendulum.date(2026, 3, 30),
        ...                       units=20)
        >>> [(a.level.code, a.units) for a in amended.authorizations]
        [('2.1', None), ('OTP', None), ('2.1', 20)]
        """
        grant = Authorization(
            self._level(level),
            _day("start", start),
            _day("end", end),
            check_optional_str("payer", payer),
            None if next_review is None else _day("next_review", next_review),
            None if units is None else check_int("units", units, minimum=1),
        )
        _check_grant(grant, "", self._admitted, self.discharged_on)
        lane = _lane(grant.level)
        mine = next((g for g in self._latest_grants if _lane(g.level) == lane), None)
        if mine is not None and (mine.level, mine.start) == (grant.level, grant.start):
            return self._amended(mine, grant)
        last = max(self._latest_grants, key=_start, default=None)
        by_start: _Items[Authorization]
        if mine is None or grant.start > mine.start:  # the usual order: after its lane's last
            _check_apart(grant, "", mine)
            if last is None or grant.start >= last.start:  # in constant time
                by_start = _appended(self._items("_by_start"), grant)
            else:
                order = self._by_start
                at = bisect_right(order, grant.start, key=_start)
                by_start = (*order[:at], grant, *order[at:])
        else:  # one that starts before another of its lane: placed in order, a copy
            order = self._by_start
            same = [g for g in order if _lane(g.level) == lane]
            at = bisect_left(same, grant.start, key=_start)
            _check_apart(grant, "", same[at - 1] if at else None)
            _check_apart(grant, "", same[at])
            at = bisect_right(order, grant.start, key=_start)
            by_start = (*order[:at], grant, *order[at:])
        return self._with(
            authorizations=_appended(self._items("authorizations"), grant),
            by_start=by_start,
            latest_grants=_latest_by_lane(self._latest_grants, grant),
        )

    def _amended(self, old: Authorization, new: Authorization) -> Episode:
        """The episode with `old` replaced by `new` (a payer's amendment), rebuilt through the
        constructor, which checks the history whole (rare: an amendment, not each step)."""
        grants = [new if grant is old else grant for grant in self.authorizations]
        return Episode(
            self.client_id,
            self.continuum,
            self.stays,
            concurrent=self.concurrent,
            authorizations=grants,
            discharge=self.discharge_record,
        )

    # ---- reading ----------------------------------------------------------------------------

    @property
    def transitions(self) -> tuple[Transition, ...]:
        """The moves between levels, in order, each with its direction."""
        # Made from stays checked when they were added, without the constructor's checks; made
        # on each read rather than kept, so that an episode held after being judged costs no
        # more memory (kept, they would add about a quarter to a seven-stay episode's).
        return tuple(
            _BUILD_TRANSITION(a.level, b.level, b.start, b.reason, _direction(a.level, b.level),
                              b.assessment)
            for a, b in itertools.pairwise(self.stays)
        )  # fmt: skip

    @property
    def current_level(self) -> LevelOfCare | None:
        """The level of the current stay; None once discharged."""
        return None if self.discharge_record is not None else self._last_stay.level

    @property
    def admitted_on(self) -> pendulum.Date:
        """The admission day."""
        return self._admitted

    @property
    def discharged_on(self) -> pendulum.Date | None:
        """The discharge day, or None while the episode is open."""
        return None if self.discharge_record is None else self.discharge_record.on

    @property
    def is_open(self) -> bool:
        """True until discharge."""
        return self.discharge_record is None

    def __str__(self) -> str:
        """The client, the current level (or the discharge), the days in care and the stays.

        An open episode's days in care run to its last recorded event: the library reads no
        clock.

        >>> from carecontinuum.catalogs import GENERIC
        >>> e = (Episode.admit("c-1", "PHP", pendulum.date(2026, 3, 2), continuum=GENERIC)
        ...      .step_to("IOP", pendulum.date(2026, 3, 23), "stable"))
        >>> print(e)
        client c-1: at GENERIC IOP since 2026-03-23, open; 21 days in care to 2026-03-23; 2 stays
        >>> print(e.discharge(pendulum.date(2026, 5, 1), DischargeReason.COMPLETED))
        client c-1: discharged 2026-05-01 (completed) from GENERIC IOP; 60 days in care; 2 stays
        """
        client = f"client {clip(line(self.client_id), 24)}"
        stays = len(self.stays)
        count = f"{stays} stay{'' if stays == 1 else 's'}"
        last = self._last_stay
        level = f"{last.level.scheme} {last.level.code}"
        admitted = self._admitted
        out = self.discharge_record
        if out is None:
            days = (self._last_event - admitted).days
            plural = "" if days == 1 else "s"
            return summary(
                f"{client}: at {level} since {last.start}, open; {days} day{plural} in care to "
                f"{self._last_event}; {count}"
            )
        days = (out.on - admitted).days
        return summary(
            f"{client}: discharged {out.on} ({out.reason.value}) from {level}; "
            f"{days} day{'' if days == 1 else 's'} in care; {count}"
        )

    def level_on(self, day: date | str) -> LevelOfCare | None:
        """The main level delivered on `day` (None outside the episode)."""
        if type(day) is not pendulum.Date:
            day = _day("day", day)
        # The last stay begun by `day` is the one in force, unless it has ended (a stay that
        # began and ended on one day delivered no day of care).
        at = bisect_right(self.stays, day, key=_start) - 1
        if at < 0:
            return None
        stay = self.stays[at]
        return stay.level if stay.end is None or day < stay.end else None

    def days_by_level(self, through: date | str | None = None) -> dict[LevelOfCare, int]:
        """Days spent at each level (main stays). With `through`, days up to and including
        that day (levels not yet reached are left out); without it, ended stays only."""
        last = None if through is None else _day("through", through)
        totals: dict[LevelOfCare, int] = {}
        for stay in self.stays:
            if last is None:
                if stay.end is None:
                    continue
                days = (stay.end - stay.start).days
            elif stay.start > last:
                continue
            else:
                days = stay.days_through(last)
            totals[stay.level] = totals.get(stay.level, 0) + days
        return totals

    def authorized_on(
        self, day: date | str, level: LevelOfCare | str | None = None
    ) -> Authorization | None:
        """The authorization covering `day`, if any: of `level` when it is given, else the
        main stay's. Without `level`, when a concurrent service's authorization covers the day
        too, the one of the main level's pathway is given (of the pathway of the level
        delivered that day; outside the stays, the one that starts first).

        Raises:
            TransitionError: `level` is not a level of the episode's continuum.

        >>> from carecontinuum.catalogs import ASAM3
        >>> e = (Episode.admit("c-1", "2.1", pendulum.date(2026, 3, 2), continuum=ASAM3)
        ...      .authorize("OTP", pendulum.date(2026, 3, 2), pendulum.date(2026, 5, 31))
        ...      .authorize("2.1", pendulum.date(2026, 3, 2), pendulum.date(2026, 3, 31)))
        >>> e.authorized_on(pendulum.date(2026, 3, 9)).level.code
        '2.1'
        >>> e.authorized_on(pendulum.date(2026, 3, 9), "OTP").end
        Date(2026, 5, 31)
        """
        if type(day) is not pendulum.Date:
            day = _day("day", day)
        target = None if level is None else self._level(level)
        at = bisect_right(self._by_start, day, key=_start)
        if len(self._latest_grants) <= 1:  # one lane: they do not overlap
            if at < 1 or self._by_start[at - 1].end < day:
                return None
            grant = self._by_start[at - 1]
            return grant if target is None or grant.level == target else None
        covering = [
            g for g in self._by_start[:at] if g.end >= day and (target is None or g.level == target)
        ]
        if len(covering) <= 1:
            return covering[0] if covering else None
        delivered = self.level_on(day)
        if delivered is not None:
            lane = _lane(delivered)
            return next((g for g in covering if _lane(g.level) == lane), covering[0])
        return covering[0]

    def days_authorization_differs(
        self, through: date | str | None = None
    ) -> tuple[Span[pendulum.Date], ...]:
        """The days of the episode on which the authorized level is not the level delivered,
        counting days delivered without any authorization, as runs of consecutive days: each
        a `Span` from its first day to its last (inclusive), in order, runs that touch joined.
        A stay is authorized by an authorization of its pathway: a concurrent service's own
        authorization (opioid treatment's) does not authorize the main stay.

        The days counted run from the admission through `through` (any day; none before the
        admission), or without it to the discharge (the discharge day itself is not a day of
        care), or on an open episode through the last day authorized (the admission day when
        nothing is). The work and the answer grow with the stays and authorizations, not
        with the days they span: an authorization to 9999-12-31 is one run.

        Raises:
            InvalidTypeError: `through` is not a date.

        >>> from carecontinuum.catalogs import GENERIC
        >>> e = (Episode.admit("c-1", "PHP", pendulum.date(2026, 3, 2), continuum=GENERIC)
        ...      .authorize("PHP", pendulum.date(2026, 3, 2), pendulum.date(2026, 3, 15))
        ...      .step_to("IOP", pendulum.date(2026, 3, 9), "stable"))
        >>> [str(run) for run in e.days_authorization_differs(through=pendulum.date(2026, 3, 20))]
        ['2026-03-09 to 2026-03-20']
        """
        admitted = self.admitted_on.toordinal()
        # Ordinals, ends exclusive: the day after 9999-12-31 is a number, not an overflow.
        if through is not None:
            stop = _day("through", through).toordinal() + 1
        elif self.discharge_record is not None:
            stop = self.discharge_record.on.toordinal()
        elif self._latest_grants:  # in a lane they do not overlap: the last begun ends last
            last_day = max(grant.end for grant in self._latest_grants)
            stop = max(last_day.toordinal(), admitted) + 1
        else:
            stop = admitted + 1
        runs: list[list[int]] = []

        def differs(first: int, stop: int) -> None:
            if first >= stop:
                return
            if runs and runs[-1][1] == first:
                runs[-1][1] = stop
            else:
                runs.append([first, stop])

        # A stay is authorized by its lane's authorizations (a concurrent service's own do
        # not authorize the main stay); a lane's do not overlap.
        lanes: dict[tuple[str, object], tuple[list[Authorization], list[int]]] = {}
        for grant in self._by_start:
            lanes.setdefault(_lane(grant.level), ([], [0]))[0].append(grant)
        no_grants: tuple[list[Authorization], list[int]] = ([], [0])
        for stay in self.stays:
            first = stay.start.toordinal()
            if first >= stop:
                break
            end = stop if stay.end is None else min(stay.end.toordinal(), stop)
            if first >= end:
                continue  # a stay of no day
            grants, cursor = lanes.get(_lane(stay.level), no_grants)
            g = cursor[0]
            while g < len(grants) and grants[g].end.toordinal() < first:
                g += 1
            covered = first  # the days before it are judged
            while g < len(grants) and (begins := grants[g].start.toordinal()) < end:
                ends = grants[g].end.toordinal() + 1
                differs(covered, begins)  # delivered without an authorization
                if grants[g].level != stay.level:
                    differs(max(begins, covered), min(ends, end))
                covered = max(covered, min(ends, end))
                if ends > end:
                    break  # it runs on into the next stay
                g += 1
            cursor[0] = g
            differs(covered, end)
        return tuple(
            Span(pendulum.Date.fromordinal(first), pendulum.Date.fromordinal(stop - 1))
            for first, stop in runs
        )

    def _repr_svg_(self) -> str:
        """The episode as an SVG timeline, for notebooks: a step chart of its levels over time
        (more intensive higher, steps up and down labelled), concurrent services and
        authorizations as lanes beneath, the discharge marked (an open stay is marked ongoing).

        >>> from carecontinuum.catalogs import GENERIC
        >>> e = (Episode.admit("c-1", "PHP", pendulum.date(2026, 3, 2), continuum=GENERIC)
        ...      .step_to("IOP", pendulum.date(2026, 3, 23), "stable"))
        >>> svg = e._repr_svg_()
        >>> svg.startswith("<svg"), "step down" in svg, "ongoing" in svg
        (True, True, True)
        """
        from ._display import episode_svg  # noqa: PLC0415 (display code loads only when a notebook asks)

        return episode_svg(self)

    # ---- internals --------------------------------------------------------------------------

    def _level(self, level: LevelOfCare | str) -> LevelOfCare:
        try:
            return _member(self.continuum, level)
        except CareContinuumError as error:
            raise TransitionError(str(error)) from error

    def _after_last(self, field: str, on: object) -> pendulum.Date:
        if self.discharge_record is not None:
            raise TransitionError(
                f"the episode was discharged on {self.discharge_record.on}: nothing can happen "
                "after discharge"
            )
        day = _day(field, on)
        if day < self._last_event:
            raise TransitionError(
                f"{field!r} ({day}) is before the episode's last event ({self._last_event})"
            )
        return day

    def _items(self, name: str) -> _Items[Any]:
        """The sequence `name` (of `_LAZY`) to extend: the `_Seq` an operation left, or the
        tuple."""
        lazy = self._lazy
        return lazy[name] if lazy and name in lazy else getattr(self, name)

    def _with(
        self,
        *,
        stays: _Items[Stay] | None = None,
        concurrent: _Items[Stay] | None = None,
        authorizations: _Items[Authorization] | None = None,
        by_start: _Items[Authorization] | None = None,
        discharge: Discharge | None = None,
        last_stay: Stay | None = None,
        last_event: pendulum.Date | None = None,
        running: tuple[tuple[int, Stay], ...] | None = None,
        latest_grants: tuple[Authorization, ...] | None = None,
    ) -> Episode:
        # The history so far was checked when this episode was built, and each operation has
        # checked what it adds (with the functions the constructor runs over a whole history):
        # the new episode is assembled without checking it all again, its sequences extended
        # as `_Seq`s (made into tuples when read) or shared with this one.
        new = object.__new__(Episode)
        _set = object.__setattr__
        _set(new, "client_id", self.client_id)
        _set(new, "continuum", self.continuum)
        _set(new, "discharge_record", self.discharge_record if discharge is None else discharge)
        changed = (stays, concurrent, authorizations, by_start)
        if self._lazy is None and not any(type(items) is _Seq for items in changed):
            # Every sequence a tuple (the usual case): set as they are.
            _set(new, "stays", self.stays if stays is None else stays)
            _set(new, "concurrent", self.concurrent if concurrent is None else concurrent)
            _set(new, "authorizations", self.authorizations if authorizations is None
                 else authorizations)  # fmt: skip
            _set(new, "_by_start", self._by_start if by_start is None else by_start)
            _set(new, "_lazy", None)
        else:
            lazy = dict(self._lazy or {})
            for name, items in zip(_LAZY, changed, strict=True):
                if items is None:  # unchanged: shared, as a tuple or as the same `_Seq`
                    if name not in lazy:
                        _set(new, name, getattr(self, name))
                elif isinstance(items, tuple):
                    _set(new, name, items)
                    lazy.pop(name, None)
                else:
                    lazy[name] = items
            _set(new, "_lazy", lazy or None)
        _set(new, "_last_event", self._last_event if last_event is None else last_event)
        _set(new, "_admitted", self._admitted)
        _set(new, "_last_stay", self._last_stay if last_stay is None else last_stay)
        _set(new, "_running", self._running if running is None else running)
        _set(new, "_latest_grants", self._latest_grants if latest_grants is None else latest_grants)
        return new


def _catalog_of(level: object) -> Continuum:
    """The catalog continuum `level` belongs to, for an admission that names none."""
    from .catalogs import ALL  # noqa: PLC0415 (the catalogs import the episode's modules)

    if isinstance(level, LevelOfCare):
        catalog = ALL.get(level.scheme)
        if catalog is not None and catalog.get(level.code) == level:
            return catalog
        raise InvalidValueError(
            "continuum", None, f"the Continuum {level} belongs to: it is no catalog's level, "
            "so the continuum you built must be given",
        )  # fmt: skip
    if not isinstance(level, str):
        hint = ""
        if type(level) in (int, float):
            hint = f" (level codes are strings: {_echo(str(level))})"
        raise InvalidTypeError("level", level, f"a LevelOfCare or a level code{hint}")
    holders = [f"catalogs.{scheme}" for scheme, c in ALL.items() if level in c]
    if holders:
        found = f"{_echo(level)} is a level of {' and '.join(holders)}; or pass the level "
        found += f"itself, such as {holders[0]}[{level!r}]"
    else:
        found = f"{_echo(level)} is a level of no catalog"
    raise InvalidValueError("continuum", None, f"given for a level given by its code ({found})")


def _member(continuum: Continuum, level: object) -> LevelOfCare:
    if not isinstance(level, (LevelOfCare, str)):
        raise continuum._not_a_level(level)
    try:
        return continuum.level(level)
    except CareContinuumError as error:
        raise TransitionError(
            f"'level' must be a level of the episode's continuum: {error}"
        ) from error


def _check_program(value: object) -> ProgramStructure | None:
    if value is not None and not isinstance(value, ProgramStructure):
        raise InvalidTypeError("program", value, "a ProgramStructure or None")
    return value


@functools.lru_cache(maxsize=256)
def _program_levels(level: LevelOfCare) -> tuple[LevelOfCare, ...]:
    """The levels a program may be at for a stay at `level`: the level itself, each level of
    another catalog scheme that `level` crosswalks to exactly (not approximately), and each
    level of another catalog scheme that crosswalks exactly to `level` alone (an ASAM3 3.5
    program for a GENERIC RESIDENTIAL stay: GENERIC RESIDENTIAL is 3.1, 3.3 or 3.5, and 3.5 is
    exactly GENERIC RESIDENTIAL)."""
    # Imported here: the catalogs are built from the modules this one imports.
    from ._crosswalk import crosswalk  # noqa: PLC0415
    from .catalogs import ALL  # noqa: PLC0415

    home = ALL.get(level.scheme)
    if home is None or level not in home:  # a scheme (or a level) without crosswalk tables
        return (level,)
    found = [level]
    for scheme, continuum in ALL.items():
        if scheme == level.scheme:
            continue
        try:
            walk = crosswalk(level, to=continuum)
        except CareContinuumError:  # no table between the two schemes
            continue
        if not walk.approximate:
            found.extend(lvl for lvl in walk.levels if lvl not in found)
        for other in continuum:
            back = crosswalk(other, to=home)
            if not back.approximate and back.levels == (level,) and other not in found:
                found.append(other)
    return tuple(found)


def _check_program_level(level: LevelOfCare, program: ProgramStructure) -> None:
    if program.level == level:
        return
    fits = _program_levels(level)
    if program.level not in fits:
        others = ", ".join(f"{lvl.scheme} {lvl.code}" for lvl in fits[1:]) or "none"
        raise InvalidValueError(
            "program",
            program.level,
            f"at the stay's level, {level.scheme} {level.code}, or at a level that corresponds to "
            f"it exactly ({others})",
        )


def _stays(field: str, value: object) -> tuple[Stay, ...]:
    if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
        raise InvalidTypeError(field, value, "a sequence of Stay")
    items = tuple(value)
    for i, stay in enumerate(items):
        if not isinstance(stay, Stay):
            raise InvalidTypeError(f"{field}[{i}]", stay, "a Stay")
        _day(f"{field}[{i}].start", stay.start)
        if stay.end is not None:
            _day(f"{field}[{i}].end", stay.end)
            if stay.end < stay.start:
                raise InvalidValueError(f"{field}[{i}].end", stay.end, f"on or after {stay.start}")
    return items


# ---- the checks of a history --------------------------------------------------------------
#
# One set of checks, run by the constructor over a whole history and by each operation on what
# it adds, so that the two accept the same histories. `at` prefixes a message or a field with
# the path of the part judged ("stays[2]: ", "authorizations[1]."), empty for an operation's
# own arguments.


def _check_move(previous: Stay, stay: Stay, index: int | None = None) -> None:
    """The main stay `stay` follows `previous`: it begins the day `previous` ends, at another
    level or, at the same level, in another program (a lateral move). `index` is the position
    of `stay` in a history (None for the stay `step_to` adds)."""
    if previous.end != stay.start:
        before, this = _move_names(index)
        raise TransitionError(
            f"{before} ends {previous.end} but {this} starts {stay.start}: stays must tile the "
            "episode"
        )
    if stay.level == previous.level and (stay.program is None or stay.program == previous.program):
        before, this = _move_names(index)
        where, level = ("'level': ", "the current level") if index is None else (
            f"{this}: ", f"the level of {before}")  # fmt: skip
        raise TransitionError(
            f"{where}{stay.level} is already {level}; a transition needs another level (or, for "
            "a lateral move, another program)"
        )


def _move_names(index: int | None) -> tuple[str, str]:
    if index is None:
        return "the current stay", "the new one"
    return f"stays[{index - 1}]", f"stays[{index}]"


def _may_run_beside(level: LevelOfCare, main: LevelOfCare) -> bool:
    # A level on the main stay's pathway is a move along it, not a service beside it.
    return level.concurrent or level.pathway != main.pathway


def _check_alongside(service: Stay, main: LevelOfCare, at: str = "") -> None:
    """The service `service` may begin beside a main stay at `main`."""
    if not _may_run_beside(service.level, main):
        raise TransitionError(
            f"{at}{service.level} is on the main stay's pathway ({main.pathway}): move there "
            "with step_to(), not alongside"
        )


def _check_free(service: Stay, previous: Stay | None, at: str = "") -> None:
    """The service `service` begins after `previous`, the one before it at its level, ended."""
    if previous is not None and (previous.end is None or previous.end > service.start):
        raise TransitionError(
            f"{at}{service.level} is already running alongside (since {previous.start})"
        )


def _check_grant(
    grant: Authorization, at: str, admitted: pendulum.Date, discharged: pendulum.Date | None
) -> None:
    """The authorization `grant` covers a day of the episode's span: it ends on or after the
    admission and, once discharged, begins on or before the discharge day."""
    if grant.end < admitted:
        raise InvalidValueError(f"{at}end", grant.end, f"on or after the admission ({admitted})")
    if discharged is not None and grant.start > discharged:
        raise InvalidValueError(
            f"{at}start", grant.start, f"on or before the discharge ({discharged})"
        )


def _lane(level: LevelOfCare) -> tuple[str, object]:
    """What an authorization of `level` may not overlap another of: its pathway (the main stay
    is one level at a time on a pathway), or for a level that runs alongside another
    (`LevelOfCare.concurrent`, such as opioid treatment) the level itself."""
    return ("level", level) if level.concurrent else ("pathway", level.pathway)


def _check_apart(grant: Authorization, at: str, other: Authorization | None) -> None:
    """The authorization `grant` does not overlap `other` (of its lane)."""
    if other is not None and grant.start <= other.end and other.start <= grant.end:
        raise InvalidValueError(
            f"{at}start",
            grant.start,
            f"a period not overlapping the authorization of {other.level.code} from "
            f"{other.start} to {other.end}",
        )


def _check_history(
    continuum: Continuum,
    main: tuple[Stay, ...],
    alongside: tuple[Stay, ...],
    discharge: Discharge | None,
) -> tuple[pendulum.Date, tuple[int, ...]]:
    """Check the stays of a history; return the day of its last event and the positions of
    the services still running."""
    for i, stay in enumerate(main):
        _check_member(continuum, f"stays[{i}]", stay.level)
    for i, (previous, stay) in enumerate(itertools.pairwise(main), start=1):
        _check_move(previous, stay, i)
    last = main[-1]
    if discharge is None and last.end is not None:
        raise TransitionError("the last stay has ended but the episode has no discharge")
    if discharge is not None and last.end != discharge.on:
        raise TransitionError(f"the last stay ends {last.end}, the discharge is on {discharge.on}")
    latest = last.start if discharge is None else discharge.on
    running: list[int] = []
    if alongside:
        latest = max(latest, _check_services(continuum, main, alongside, discharge, running))
    return latest, tuple(running)


def _check_services(
    continuum: Continuum,
    main: tuple[Stay, ...],
    alongside: tuple[Stay, ...],
    discharge: Discharge | None,
    running: list[int],
) -> pendulum.Date:
    """Check the services alongside (appending the positions of those running to `running`);
    return the day of their last event.

    `add_concurrent` judges a service against the main stay of the moment it is added. A
    history does not say in what order the events of one day came, so a service that began on
    a day the main stay changed may have begun beside any main stay in force that day; and
    services were added in the order listed, so the main stays they began beside come in order
    too. The check walks the services in order, taking for each the first main stay it may
    have begun beside, no earlier than the one before it took: the history passes exactly when
    the operations could have made it.
    """
    starts = [stay.start for stay in main]
    # run_end[j]: the last of the consecutive main stays on the pathway of main[j].
    run_end = list(range(len(main)))
    for j in range(len(main) - 2, -1, -1):
        if main[j].level.pathway == main[j + 1].level.pathway:
            run_end[j] = run_end[j + 1]
    admitted = main[0].start
    beside = 0  # the earliest main stay the next service may have begun beside
    latest = admitted
    previous: dict[LevelOfCare, Stay] = {}
    for i, service in enumerate(alongside):
        at = f"concurrent[{i}]: "
        _check_member(continuum, f"concurrent[{i}]", service.level)
        if service.assessment is not None or service.program is not None:
            raise TransitionError(
                f"{at}a service alongside records no assessment or program (add_concurrent() "
                "takes neither)"
            )
        if service.start < latest:
            raise TransitionError(
                f"{at}starts {service.start}, before concurrent[{i - 1}] ({latest}): services "
                "are listed in the order they began"
                if i
                else f"{at}starts {service.start}, before the admission ({admitted})"
            )
        if discharge is not None and (service.end is None or service.end > discharge.on):
            raise TransitionError(f"{at}runs past the discharge ({discharge.on})")
        _check_free(service, previous.get(service.level), at)
        previous[service.level] = service
        # The main stays in force on its first day: from the one ending that day (or later)
        # to the last one begun by then.
        first = max(beside, bisect_left(starts, service.start, 1) - 1)
        last = bisect_right(starts, service.start) - 1
        if not _may_run_beside(service.level, main[first].level):
            if run_end[first] < last:
                first = run_end[first] + 1  # the next main stay, on another pathway
            else:
                _check_alongside(service, main[last].level, at)
        beside = first
        latest = service.start
    ends = [s.end for s in alongside if s.end is not None]
    running.extend(i for i, s in enumerate(alongside) if s.end is None)
    return max([latest, *ends])


def _check_grants(
    continuum: Continuum,
    grants: tuple[Authorization, ...],
    admitted: pendulum.Date,
    discharge: Discharge | None,
) -> tuple[Authorization, ...]:
    """Check the authorizations of a history; return them ordered by start."""
    discharged = None if discharge is None else discharge.on
    for i, grant in enumerate(grants):
        _check_member(continuum, f"authorizations[{i}]", grant.level)
        _check_grant(grant, f"authorizations[{i}].", admitted, discharged)
    order = sorted(range(len(grants)), key=lambda i: grants[i].start)
    lanes: dict[tuple[str, object], list[int]] = {}
    for i in order:
        lanes.setdefault(_lane(grants[i].level), []).append(i)
    for lane in lanes.values():
        for before, i in itertools.pairwise(lane):
            _check_apart(grants[i], f"authorizations[{i}].", grants[before])
    return tuple(grants[i] for i in order)


_NO_GRANTS: tuple[Authorization, ...] = ()


def _latest_by_lane(
    latest: tuple[Authorization, ...], grant: Authorization
) -> tuple[Authorization, ...]:
    """`latest` (the authorization of each lane that starts last) with `grant` counted."""
    lane = _lane(grant.level)
    kept = tuple(g for g in latest if _lane(g.level) != lane)
    mine = next((g for g in latest if _lane(g.level) == lane), None)
    return (*kept, grant if mine is None or grant.start > mine.start else mine)


def _check_member(continuum: Continuum, at: str, level: LevelOfCare) -> None:
    try:
        continuum.level(level)
    except CareContinuumError as error:
        raise TransitionError(f"{at}: {error}") from error


def _stays_columns(episode: Episode) -> Columns:
    """An episode's stays as a table (`carecontinuum.tables`): one row per stay, the main
    stays in order, then the services alongside (``concurrent``)."""
    rows = [(s, False) for s in episode.stays] + [(s, True) for s in episode.concurrent]
    count = len(rows)
    return {
        "client": ("str", [episode.client_id] * count),
        "scheme": ("str", [s.level.scheme for s, _ in rows]),
        "level": ("str", [s.level.code for s, _ in rows]),
        "pathway": ("str", [s.level.pathway for s, _ in rows]),
        "concurrent": ("bool", [alongside for _, alongside in rows]),
        "start": ("date", [s.start for s, _ in rows]),
        "end": ("date", [s.end for s, _ in rows]),
        "length_days": ("int", [s.length for s, _ in rows]),
        "reason": ("str", [s.reason for s, _ in rows]),
    }


def _transitions_columns(episode: Episode) -> Columns:
    """An episode's transitions as a table: one row per move between main stays, in order."""
    moves = episode.transitions
    count = len(moves)
    return {
        "client": ("str", [episode.client_id] * count),
        "day": ("date", [t.on for t in moves]),
        "scheme": ("str", [t.from_level.scheme for t in moves]),
        "from_level": ("str", [t.from_level.code for t in moves]),
        "to_level": ("str", [t.to_level.code for t in moves]),
        "direction": ("str", [t.direction.value for t in moves]),
        "reason": ("str", [t.reason for t in moves]),
    }


register_table(Episode, _stays_columns)
register_table(Episode, _stays_columns, name="stays")
register_table(Episode, _transitions_columns, name="transitions")
