"""The rule engine: `Rule`, `RuleSet`, `Finding`, `validate()` and `classify()`.

Rules are data: an id, a title, a cited `Source`, a default severity, a scope (levels,
populations, tracks, the kind of subject) and a pure check. A check never raises on a rule
violation; it returns `Finding`s, and `validate` collects all of them, from every rule.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from datetime import date
from typing import Any, TypeAlias, TypeVar, cast

import attrs

from ._columns import Columns, register_table
from ._errors import (
    CareContinuumError,
    InvalidTypeError,
    InvalidValueError,
    UnknownRuleError,
    _may_be_alike,
    _suggestion_text,
)
from ._frozen import FrozenMap, _Derived, unchecked_builder, value_eq, value_hash
from ._levels import _LEVEL_FIELDS, Continuum, LevelOfCare
from ._measures import WeekFigures, _cyclic, profile_of, weeks_of
from ._program import Population, ProgramStructure, Track
from ._text import clip, line, summary, value_repr
from ._validators import (
    _FORBIDDEN,
    _MAX_STRING_LENGTH,
    check_day,
    check_enum,
    check_number,
    check_optional_day,
    check_optional_str,
    check_str,
    enum_tuple,
    is_text,
    printable,
    tuple_of,
)

__all__ = [
    "Classification",
    "Finding",
    "Findings",
    "Rule",
    "RuleContext",
    "RuleSeries",
    "RuleSet",
    "RuleViolation",
    "RuleViolationError",
    "Severity",
    "Source",
    "ValidationReport",
    "classify",
    "validate",
]


_M = TypeVar("_M")


class Severity(enum.Enum):
    """How much a finding matters. Only ERROR makes a report not ok.

    >>> Severity.ERROR.value
    'error'
    """

    __hash__ = object.__hash__  # members are singletons: hashed by identity, in C

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


# The members by name, for the engine's hot paths: on Python 3.11 each read of a member from
# its class goes through the enum type's ``__getattr__`` hook, a cost per read.
_ERROR, _WARNING = Severity.ERROR, Severity.WARNING


def _check_optional_year(value: object) -> int | None:
    if value is None:
        return None
    if type(value) is not int:
        raise InvalidTypeError("year", value, "an int year or None")
    if not 1 <= value <= 9999:
        raise InvalidValueError("year", value, "a year from 1 to 9999")
    return value


@attrs.frozen
class Source:
    """Where a rule comes from: a citation clinic software can show and store.

    Args:
        title: The document's title.
        publisher: Who issued it.
        year: Year of publication or effect (1 to 9999, as a date's years).
        locator: Where in the document (a section, a level, a page).
        url: Where to read it, if public.
        note: Caveats: where sources disagree and which this follows, figures carried over
            from another edition, local overrides.

    >>> s = Source("The ASAM Criteria, 3rd ed.", publisher="ASAM", year=2013, locator="Level 2.1")
    >>> str(s)
    'The ASAM Criteria, 3rd ed. (ASAM, 2013), Level 2.1'
    """

    __repr__ = value_repr
    __eq__ = value_eq
    __hash__ = value_hash

    title: str = attrs.field()
    publisher: str | None = attrs.field(default=None, kw_only=True)
    year: int | None = attrs.field(default=None, kw_only=True)
    locator: str | None = attrs.field(default=None, kw_only=True)
    url: str | None = attrs.field(default=None, kw_only=True)
    note: str | None = attrs.field(default=None, kw_only=True)

    def __attrs_post_init__(self) -> None:
        check_str("title", self.title)
        for field in ("publisher", "locator", "url", "note"):
            check_optional_str(field, getattr(self, field))
        _check_optional_year(self.year)

    def __str__(self) -> str:
        return summary(self.citation)

    @property
    def citation(self) -> str:
        """The whole citation, however long: title (publisher, year), locator. ``str`` gives
        it on one line of at most 120 characters.

        >>> Source("Clinic policy", publisher="Westland Clinic", year=2026, locator="s. 4").citation
        'Clinic policy (Westland Clinic, 2026), s. 4'
        """
        who = ", ".join(str(p) for p in (self.publisher, self.year) if p is not None)
        text = f"{self.title} ({who})" if who else self.title
        return f"{text}, {self.locator}" if self.locator else text


def _severity(value: Severity | str) -> Severity:
    return value if type(value) is Severity else check_enum("severity", value, Severity)


@attrs.frozen(weakref_slot=False)
class Finding:
    """One thing a rule found, with everything needed to show, store and act on it.

    Attributes:
        rule_id: The rule that found it.
        severity: ERROR, WARNING or INFO.
        message: A sentence a clinician can read.
        expected: What the rule asks for ("at least 9 clinical hours a week").
        found: What the subject has ("8.25 hours in the typical week").
        path: Where in the subject (``sessions[2]``, ``sessions_in_week(1)``); "" for the
            subject as a whole.
        source: The citation of the rule.
        looks_like: For intensity findings, the level the subject looks like instead, where
            the rule set has one (an 8-hour "IOP" week looks like outpatient care).

    >>> f = Finding("X-1", Severity.WARNING, "Short session.", expected="3 hours",
    ...             found="2 hours", path="sessions[0]", source=Source("Clinic policy"))
    >>> str(f)
    'warning X-1 @ sessions[0]: Short session. (expected 3 hours; found 2 hours)'

    ``str`` is one line of at most 120 characters, clipped with an ellipsis; the exception a
    finding raises as (`RuleViolation`) and the report's table keep every word.
    """

    __repr__ = value_repr
    __eq__ = value_eq
    __hash__ = value_hash

    rule_id: str
    severity: Severity = attrs.field(converter=_severity)
    message: str
    expected: str = attrs.field(kw_only=True)
    found: str = attrs.field(kw_only=True)
    path: str = attrs.field(kw_only=True, default="")
    source: Source = attrs.field(kw_only=True)
    looks_like: LevelOfCare | None = attrs.field(kw_only=True, default=None)

    def __attrs_post_init__(self) -> None:
        check_str("rule_id", self.rule_id)
        # The library composes these, quoting names and titles: the longest a string may be.
        check_str("message", self.message, limit=_MAX_STRING_LENGTH)
        check_str("expected", self.expected, limit=_MAX_STRING_LENGTH)
        check_str("found", self.found, limit=_MAX_STRING_LENGTH)
        check_str("path", self.path, allow_empty=True)
        if not isinstance(self.source, Source):
            raise InvalidTypeError("source", self.source, "a Source")
        if self.looks_like is not None and not isinstance(self.looks_like, LevelOfCare):
            raise InvalidTypeError("looks_like", self.looks_like, "a LevelOfCare or None")

    def __str__(self) -> str:
        return summary(self._full())

    def _full(self) -> str:
        """Every word: severity, rule, path, message, expected and found."""
        where = f" @ {self.path}" if self.path else ""
        return (
            f"{self.severity.value} {self.rule_id}{where}: {self.message} "
            f"(expected {self.expected}; found {self.found})"
        )


class Findings(tuple[Finding, ...]):
    """A tuple of findings that a notebook shows as a table: what `ValidationReport.findings`,
    `errors`, `warnings` and `infos` return.

    It is a tuple in every other way: equal to (and hashed as) the plain tuple of the same
    findings, indexed, sliced (a slice is a plain tuple) and printed by ``repr`` as a tuple.
    ``str`` is a one-line count. Wrap a selection of your own to see it as a table:
    ``Findings(f for f in report.findings if f.path)``.

    Raises:
        InvalidTypeError: an item that is not a `Finding`.

    >>> f = Finding("X-1", Severity.WARNING, "Short session.", expected="3 hours",
    ...             found="2 hours", source=Source("Clinic policy"))
    >>> found = Findings([f])
    >>> found == (f,), str(found)
    (True, '1 finding: 1 warning (X-1)')
    >>> "<table" in found._repr_html_()
    True
    """

    __slots__ = ()

    def __new__(cls, findings: Iterable[Finding] = ()) -> Findings:
        return tuple.__new__(cls, tuple_of("findings", findings, Finding, "a Finding"))

    def __str__(self) -> str:
        count = len(self)
        if not count:
            return "no findings"
        by = dict.fromkeys(Severity, 0)
        for finding in self:
            by[finding.severity] += 1
        words = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
        counts = ", ".join(
            f"{n} {words[severity]}{'' if n == 1 else 's'}" for severity, n in by.items() if n
        )
        ids = ", ".join(dict.fromkeys(f.rule_id for f in self))
        return summary(f"{count} finding{'' if count == 1 else 's'}: {counts} ({clip(ids, 60)})")

    def __reduce__(self) -> tuple[Any, ...]:
        return (Findings, (tuple(self),))

    def _repr_html_(self) -> str:
        """The findings as an HTML table, for notebooks: severity, rule, path, message,
        expected, found and source of each."""
        from ._display import findings_html  # noqa: PLC0415 (display code loads only when a notebook asks)

        return findings_html(self)


def _findings(items: tuple[Finding, ...]) -> Findings:
    """Findings the engine made (already checked), without checking them again."""
    return tuple.__new__(Findings, items)


Check: TypeAlias = Callable[["RuleContext"], Iterable[Finding]]

# Finding's slot descriptors, in field order (a deferred finding's rule id is read through the
# first), and its builder: `RuleContext.finding` and `_defer` make findings unchecked.
_FINDING_SLOTS = tuple(vars(Finding)[a.name] for a in attrs.fields(Finding))
_BUILD_FINDING = unchecked_builder(Finding)

#: What a deferred finding's explanation returns: message, expected, found, looks_like.
Explanation: TypeAlias = tuple[str, str, str, "LevelOfCare | None"]

# The four fields a deferred finding fills on first read, and their slots.
_EXPLAINED = ("message", "expected", "found", "looks_like")
_EXPLAINED_SLOTS = tuple(vars(Finding)[name] for name in _EXPLAINED)
# Their stores, for `_explain` (four calls cost less than a loop over a zip on 3.11).
_SET_MESSAGE, _SET_EXPECTED, _SET_FOUND, _SET_LOOKS_LIKE = (
    slot.__set__ for slot in _EXPLAINED_SLOTS
)


#: What stands in a deferred finding's explained fields until one of them is first read: the
#: function that writes them and its arguments. A plain tuple (built in C on the hot path): no
#: field of a finding is ever a tuple otherwise (they are strings, a level or None).
_Deferred: TypeAlias = tuple[Callable[..., Explanation], tuple[Any, ...]]


def _explain(finding: Finding, deferred: _Deferred) -> None:
    """Render a deferred finding's text once, into its slots. An explanation that fails or
    returns something other than three non-empty strings and a level (or None) is reported in
    the finding's own text: reading a finding never raises."""
    try:
        explain, args = deferred
        message, expected, found, looks_like = explain(*args)
        if not _plain_texts(message, expected, found):  # say which text is wrong, and how
            for name, text in (("message", message), ("expected", expected), ("found", found)):
                check_str(name, text, limit=_MAX_STRING_LENGTH)
        if looks_like is not None and not isinstance(looks_like, LevelOfCare):
            raise InvalidTypeError("looks_like", looks_like, "a LevelOfCare or None")
    except Exception as crash:  # the crash becomes the finding's text
        rule_id = _FINDING_SLOTS[0].__get__(finding, Finding)
        what = _crash_text(crash)
        message = f"Rule {rule_id} could not explain its finding: {what}"
        expected, found, looks_like = "an explanation", what, None
    _SET_MESSAGE(finding, message)
    _SET_EXPECTED(finding, expected)
    _SET_FOUND(finding, found)
    _SET_LOOKS_LIKE(finding, looks_like)


def _plain_texts(message: str, expected: str, found: str) -> bool:
    """Whether the three texts of an explanation are each one `check_str` takes at the
    finding's limit, decided in one pass over them (the common case)."""
    if type(message) is not str or type(expected) is not str or type(found) is not str:
        return False
    joined = message + expected + found
    return (
        len(joined) <= _MAX_STRING_LENGTH
        and message != "" and not message.isspace()
        and expected != "" and not expected.isspace()
        and found != "" and not found.isspace()
        # A printable text (checked in C) holds no control character and no lone surrogate.
        and (joined.isprintable() or _FORBIDDEN.search(joined) is None)
    )  # fmt: skip


class _ExplainedField:
    """Finding's descriptor for `message`, `expected`, `found` and `looks_like`: a plain slot,
    except that a finding made by `RuleContext.deferred_finding` renders its text on the first
    read of any of them (equality, hashing, repr, pickling and copying read them too, so a
    deferred finding behaves exactly like one built with its text)."""

    __slots__ = ("_slot",)

    def __init__(self, slot: Any) -> None:
        self._slot = slot

    def __get__(self, finding: Finding | None, owner: type | None = None) -> Any:
        if finding is None:
            return self
        value = self._slot.__get__(finding, owner)
        if type(value) is tuple:  # a `_Deferred`
            _explain(finding, value)
            value = self._slot.__get__(finding, owner)
        return value

    def __set__(self, finding: Finding, value: object) -> None:
        self._slot.__set__(finding, value)

    def __delete__(self, finding: Finding) -> None:
        self._slot.__delete__(finding)


for _name, _slot in zip(_EXPLAINED, _EXPLAINED_SLOTS, strict=True):
    setattr(Finding, _name, _ExplainedField(_slot))
del _name, _slot


def _freeze_scope(field: str, value: object, cls: type[Any]) -> frozenset[Any]:
    if isinstance(value, (cls, str)):
        return frozenset((check_enum(field, value, cls),))
    if isinstance(value, bytes) or not isinstance(value, Iterable):
        raise InvalidTypeError(field, value, f"a {cls.__name__} or a collection of them")
    return frozenset(enum_tuple(field, value, cls))


def _check_params(value: object) -> FrozenMap[str, object]:
    if value is None:
        return FrozenMap()
    if not isinstance(value, Mapping):
        raise InvalidTypeError("params", value, "a mapping of parameter names to values")
    for key in value:
        check_str("params", key)
        try:
            hash(value[key])  # a frozen rule hashes its params
        except TypeError:
            raise InvalidTypeError(
                f"params[{key!r}]", value[key], "an immutable value (a tuple, not a list)"
            ) from None
    return value if isinstance(value, FrozenMap) else FrozenMap(value)


@attrs.frozen(init=False)
class Rule(_Derived):
    """One named, cited rule: its scope and a pure check that returns findings.

    A custom rule is a small function plus one constructor call. The check receives a
    `RuleContext` (the subject, the rule, the level judged at, cached week figures) and yields
    findings, usually through ``context.finding(...)``, which fills in the rule's id, severity and
    source.

    Args:
        id: A unique id within a rule set ("ASAM3-2.1-ADULT-HOURS").
        title: What the rule checks, in a few words.
        source: The citation.
        check: The pure function judging a subject.
        severity: The severity of its findings unless the check says otherwise.
        judges: The kind(s) of subject the rule judges; others are skipped.
        levels: The levels it applies to (empty: any level). A subject at a level of another
            scheme is judged at the corresponding level through `crosswalk`. A subject at a
            level with the scheme and code of one of these that is not equal to it gets an
            ERROR finding (``LEVEL-MISMATCH``) instead of being skipped.
        populations: The populations it applies to (empty: all).
        tracks: The tracks it applies to (empty: all).
        params: Its thresholds, by name, which rule sets may override.
        tags: Labels grouping rules ("intensity" marks those `classify` decides by).

    >>> import carecontinuum as cc
    >>> def weekday_sessions_only(context):
    ...     for i, session in enumerate(context.subject.sessions):
    ...         if session.weekday >= 5:
    ...             yield context.finding(
    ...                 "The clinic is closed at weekends.", expected="Monday to Friday",
    ...                 found=session.weekday.name.title(), path=f"sessions[{i}]")
    >>> rule = Rule("CLINIC-WEEKDAYS", "Weekday sessions only", source=Source("Clinic policy"),
    ...             check=weekday_sessions_only)
    >>> program = cc.ProgramStructure.weekly(cc.catalogs.GENERIC["IOP"], days=["mon", "sat"],
    ...                                      hours_per_session=3, weeks=8)
    >>> [f.path for f in validate(program, RuleSet("clinic", "1", [rule])).errors]
    ['sessions[1]']
    """

    __repr__ = value_repr
    __eq__ = value_eq
    __hash__ = value_hash

    id: str
    title: str
    source: Source
    check: Check = attrs.field(repr=False)
    severity: Severity
    judges: tuple[type, ...] = attrs.field(repr=False)
    levels: tuple[LevelOfCare, ...]
    populations: frozenset[Population]
    tracks: frozenset[Track] = attrs.field(repr=False)
    params: FrozenMap[str, object]
    tags: frozenset[str] = attrs.field(repr=False)

    def __init__(
        self,
        id: str,
        title: str,
        *,
        source: Source,
        check: Check,
        severity: Severity | str = Severity.ERROR,
        judges: type | tuple[type, ...] = ProgramStructure,
        levels: Iterable[LevelOfCare] | LevelOfCare = (),
        populations: Iterable[Population | str] | Population | str = (),
        tracks: Iterable[Track | str] | Track | str = (),
        params: Mapping[str, object] | None = None,
        tags: Iterable[str] = (),
    ) -> None:
        if not isinstance(source, Source):
            raise InvalidTypeError("source", source, "a Source")
        if not callable(check):
            raise InvalidTypeError("check", check, "a function taking a RuleContext")
        kinds = judges if isinstance(judges, tuple) else (judges,)
        if not kinds or not all(isinstance(k, type) for k in kinds):
            raise InvalidTypeError("judges", judges, "a class or a tuple of classes")
        if isinstance(levels, LevelOfCare):
            levels = (levels,)
        if isinstance(levels, (str, bytes)) or not isinstance(levels, Iterable):
            raise InvalidTypeError("levels", levels, "LevelOfCare values")
        scope = tuple(levels)
        for i, level in enumerate(scope):
            if not isinstance(level, LevelOfCare):
                raise InvalidTypeError(f"levels[{i}]", level, "a LevelOfCare")
        if isinstance(tags, (str, bytes)) or not isinstance(tags, Iterable):
            raise InvalidTypeError("tags", tags, "a collection of strings")
        self.__attrs_init__(
            check_str("id", id),
            check_str("title", title),
            source,
            check,
            check_enum("severity", severity, Severity),
            kinds,
            scope,
            _freeze_scope("populations", populations, Population),
            _freeze_scope("tracks", tracks, Track),
            _check_params(params),
            frozenset(check_str("tags", t) for t in tags),
        )
        object.__setattr__(self, "_derived", None)  # its bounds, by unit, once read

    def param(self, name: str) -> object:
        """A threshold by name.

        Raises:
            InvalidValueError: the rule has no such parameter.
        """
        try:
            return self.params[name]
        except (KeyError, TypeError):  # TypeError: an unhashable name
            raise InvalidValueError(
                "name",
                name,
                f"one of the parameters of rule {self.id!r} ({', '.join(self.params)})",
            ) from None

    def __str__(self) -> str:
        """The id, severity, scope and title.

        >>> from carecontinuum import rulesets
        >>> print(rulesets.ASAM3["ASAM3-2.1-ADULT-HOURS"])  # doctest: +ELLIPSIS
        ASAM3-2.1-ADULT-HOURS (error; ASAM3 2.1; adult; co-occurring, substance use): Level 2.1...
        """
        return summary(f"{self.id} ({self.severity.value}; {self.scope}): {self.title}")

    @property
    def scope(self) -> str:
        """The levels, populations and tracks the rule applies to, in words ("any level" when
        unscoped).

        >>> from carecontinuum import rulesets
        >>> rulesets.ASAM3["ASAM3-2.1-ADULT-HOURS"].scope
        'ASAM3 2.1; adult; co-occurring, substance use'
        """
        by_scheme: dict[str, list[str]] = {}
        for level in self.levels:
            by_scheme.setdefault(level.scheme, []).append(level.code)
        parts = [f"{scheme} {', '.join(codes)}" for scheme, codes in by_scheme.items()]
        parts = [clip(line("; ".join(parts)), 60)] if parts else ["any level"]
        if self.populations:
            parts.append(", ".join(sorted(p.value for p in self.populations)))
        if self.tracks:
            parts.append(", ".join(sorted(t.value for t in self.tracks)))
        return "; ".join(parts)

    @property
    def schemes(self) -> frozenset[str]:
        """The schemes of the levels the rule is scoped to (empty when it applies to any)."""
        return frozenset(level.scheme for level in self.levels)


class RuleContext:
    """What a rule's check works with: the subject, the rule, the level it is judged at and the
    subject's figures, computed once per validation and shared by every rule.

    Attributes:
        subject: What is judged (a ProgramStructure, ...).
        rule: The rule being applied.
        ruleset: The rule set it belongs to (to look up other rules' bands).
        level: The level the subject is judged at, in the rule's scheme (None for unscoped
            rules of subjects without a level).
        population: The subject's population, if it has one.
        track: The subject's track, if it has one.
        on: The day the subject is judged on, when the caller gave one (rules about what is
            due or overdue need it; the library never reads the clock).

    >>> import carecontinuum as cc
    >>> from carecontinuum import rulesets
    >>> p = cc.ProgramStructure.weekly(cc.catalogs.ASAM3["2.1"], days=["mon", "wed", "fri"],
    ...                                hours_per_session=2, weeks=8)
    >>> [f.looks_like.code for f in validate(p, rulesets.ASAM3).errors]
    ['1']
    """

    __slots__ = ("_shared", "level", "on", "population", "rule", "ruleset", "subject", "track")

    def __init__(  # noqa: PLR0917 (built by the engine on the hot path)
        self,
        subject: object,
        rule: Rule,
        ruleset: RuleSet,
        level: LevelOfCare | None,
        population: Population | None,
        track: Track | None,
        shared: dict[str, Any],
        on: date | None = None,
    ) -> None:
        self.subject = subject
        self.on = on
        self.rule = rule
        self.ruleset = ruleset
        self.level = level
        self.population = population
        self.track = track
        self._shared = shared

    @property
    def weeks(self) -> tuple[WeekFigures, ...]:
        """The subject's weeks (computed once per validation)."""
        weeks = self._shared.get("weeks")
        if weeks is None:
            weeks = self._shared["weeks"] = weeks_of(self.subject)
        return weeks

    @property
    def cyclic(self) -> bool:
        """True when the weeks repeat (a program template), False for dated weeks."""
        return _cyclic(self.subject)

    def param(self, name: str) -> Any:
        """The rule's threshold `name` (as overridden in this rule set)."""
        try:
            return self.rule.params[name]
        except KeyError:
            return self.rule.param(name)

    def finding(
        self,
        message: str,
        *,
        expected: str,
        found: str,
        path: str = "",
        severity: Severity | str | None = None,
        looks_like: LevelOfCare | None = None,
    ) -> Finding:
        """A finding of this rule: its id, its severity (unless given) and its source."""
        rule = self.rule
        if (
            severity is None
            and (looks_like is None or type(looks_like) is LevelOfCare)
            and type(message) is str
            and type(expected) is str
            and type(found) is str
            and type(path) is str
            and is_text(message, _MAX_STRING_LENGTH)
            and is_text(expected, _MAX_STRING_LENGTH)
            and is_text(found, _MAX_STRING_LENGTH)
            and (not path or is_text(path))
        ):
            # The rule's own fields were checked when it was built; the strings just were.
            return _BUILD_FINDING(
                rule.id, rule.severity, message, expected, found, path, rule.source, looks_like
            )
        return Finding(
            rule.id,
            rule.severity if severity is None else check_enum("severity", severity, Severity),
            message,
            expected=expected,
            found=found,
            path=path,
            source=rule.source,
            looks_like=looks_like,
        )

    def deferred_finding(
        self,
        explain: Callable[[], Explanation],
        *,
        path: str = "",
        severity: Severity | str | None = None,
    ) -> Finding:
        """A finding of this rule whose text is written only when it is first read.

        `explain` returns ``(message, expected, found, looks_like)``; it runs at most once, on
        the first read of any of those four fields (or on equality, hashing, repr, pickling).
        Rules on a hot path use this: `classify` and sweeps over many designs reject most
        levels on findings nobody reads. `explain` must be pure; if it raises, the finding's
        message says so instead of the read raising.

        >>> import carecontinuum as cc
        >>> from carecontinuum import rulesets
        >>> rule = rulesets.TYPICAL_IOP.rules[0]
        >>> context = RuleContext(None, rule, rulesets.TYPICAL_IOP, None, None, None, {})
        >>> f = context.deferred_finding(lambda: ("Too short.", "3 hours", "2 hours", None))
        >>> f.message, f.rule_id == rule.id
        ('Too short.', True)
        """
        rule = self.rule
        if type(path) is not str:
            raise InvalidTypeError("path", path, "a string")
        if severity is not None:
            severity = check_enum("severity", severity, Severity)
        if not callable(explain):
            raise InvalidTypeError("explain", explain, "a function returning the finding's text")
        return self._defer(explain, (), path, rule.severity if severity is None else severity)

    def _scope(self) -> _Scope:
        """What an emitter (see `_EMITTERS`) is given in place of this context."""
        return (self.subject, self.rule, self.ruleset, self.level, self.population,
                self.track, self._shared, self.on)  # fmt: skip

    def _defer(
        self,
        explain: Callable[..., Explanation],
        args: tuple[Any, ...],
        path: str,
        severity: Severity | None = None,
    ) -> Finding:
        """`deferred_finding` for the library's own rules, whose `explain(*args)` and `path`
        need no checks: the hot path of sweeps and bulk judgement (no partial object)."""
        rule = self.rule
        deferred = (explain, args)
        return _BUILD_FINDING(
            rule.id,
            rule.severity if severity is None else severity,
            deferred,
            deferred,
            deferred,
            path,
            rule.source,
            deferred,
        )


#: A rule's context as a plain tuple, in `RuleContext`'s argument order: what the engine gives
#: an emitter (a screened rule's check, in a form that needs no context object).
_Scope: TypeAlias = tuple[
    object, Rule, "RuleSet", "LevelOfCare | None", "Population | None", "Track | None",
    dict[str, Any], "date | None",
]  # fmt: skip


#: A screened check without its context: the findings of the scope's rule in a subject's weeks.
Emitter: TypeAlias = Callable[[_Scope, tuple[WeekFigures, ...]], list[Finding]]


def _in_context(explain: Callable[..., Explanation], scope: _Scope, *args: Any) -> Explanation:
    """`explain(context, *args)` with the context of `scope`, made when the text is first read."""
    return explain(RuleContext(*scope), *args)


def _defer_in(
    scope: _Scope, explain: Callable[..., Explanation], args: tuple[Any, ...], path: str
) -> Finding:
    """`RuleContext._defer` for an emitter: a finding of the scope's rule whose text
    `explain(context, *args)` writes on first read, with the context made then."""
    rule = scope[1]
    deferred = (_in_context, (explain, scope, *args))
    return _BUILD_FINDING(
        rule.id, rule.severity, deferred, deferred, deferred, path, rule.source, deferred
    )


#: The most characters of a `RuleViolation`'s message, as of every error the library raises;
#: the finding it holds keeps every word.
_VIOLATION_LIMIT = 400


def _violation_text(finding: Finding) -> str:
    """A finding as one raised error's message: every word when that fits `_VIOLATION_LIMIT`;
    else the message clipped to leave room for what was expected and found (themselves
    clipped when long)."""
    full = finding._full()
    if len(full) <= _VIOLATION_LIMIT:
        return full
    where = f" @ {finding.path}" if finding.path else ""
    head = f"{finding.severity.value} {finding.rule_id}{where}: {finding.message}"
    tail = f" (expected {clip(finding.expected, 80)}; found {clip(finding.found, 80)})"
    return clip(head, _VIOLATION_LIMIT - len(tail)) + tail


class RuleViolation(CareContinuumError, ValueError):  # noqa: N818 (one finding; the group is the Error)
    """One ERROR finding, raised inside a `RuleViolationError`; `finding` holds it.

    >>> f = Finding("X", Severity.ERROR, "Too few hours.", expected="9", found="8",
    ...             source=Source("S"))
    >>> RuleViolation(f).finding.rule_id
    'X'
    """

    finding: Finding

    def __init__(self, finding: Finding) -> None:
        self.finding = finding
        super().__init__(_violation_text(finding))
        if finding.path:
            self.add_note(f"@ {finding.path}")

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.finding,))


class RuleViolationError(ExceptionGroup[RuleViolation], CareContinuumError):
    """Raised by `ValidationReport.raise_for_errors`: an ExceptionGroup with one
    `RuleViolation` per ERROR finding, so ``except*`` can pick them apart.

    >>> import carecontinuum as cc
    >>> from carecontinuum import rulesets
    >>> p = cc.ProgramStructure.weekly(cc.catalogs.ASAM3["2.1"], days=["mon"],
    ...                                hours_per_session=3, weeks=8)
    >>> try:
    ...     validate(p, rulesets.ASAM3).raise_for_errors()
    ... except RuleViolationError as group:
    ...     print(len(group.exceptions), group.exceptions[0].finding.rule_id)
    1 ASAM3-2.1-ADULT-HOURS
    """

    def __new__(cls, message: str, exceptions: Iterable[RuleViolation]) -> RuleViolationError:
        return super().__new__(cls, message, list(exceptions))

    def derive(self, excs: Iterable[RuleViolation]) -> RuleViolationError:  # type: ignore[override]
        return RuleViolationError(self.message, excs)


def _check_number(field: str, value: object) -> float | None:
    if value is None:
        return None
    return check_number(field, value, "a finite number >= 0", kind="a number or None", minimum=0)


#: What a built-in rule's check asks of its params beyond the usual bounds, by check: `override`
#: runs it, so an overridden rule holds params its factory would take (never ones that make it
#: fail to run).
_PARAM_CHECKS: dict[Callable[..., Any], Callable[[Mapping[str, object]], object]] = {}


def check_bounds(params: Mapping[str, object]) -> None:
    """Check the usual bound parameters (at_least, at_most, less_than) are consistent."""
    low = _check_number("at_least", params.get("at_least"))
    high = _check_number("at_most", params.get("at_most"))
    below = _check_number("less_than", params.get("less_than"))
    if high is not None and below is not None:
        raise InvalidValueError("at_most", high, "not set together with less_than")
    if low is not None and high is not None and low > high:
        raise InvalidValueError("at_least", low, f"at most at_most ({high:g})")
    if low is not None and below is not None and low >= below:
        raise InvalidValueError("at_least", low, f"less than less_than ({below:g})")


def _noted(source: Source, note: str) -> Source:
    """The source with `note` appended to its note."""
    if not source.note:
        return attrs.evolve(source, note=note)
    joiner = " " if source.note.rstrip().endswith((".", ";")) else "; "
    return attrs.evolve(source, note=f"{source.note.rstrip()}{joiner}{note[:1].upper()}{note[1:]}")


def _check_rules(value: object) -> tuple[Rule, ...]:
    if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
        raise InvalidTypeError("rules", value, "a collection of Rule")
    rules = tuple(value)
    seen: set[str] = set()
    for i, rule in enumerate(rules):
        if not isinstance(rule, Rule):
            raise InvalidTypeError(f"rules[{i}]", rule, "a Rule")
        if rule.id in seen:
            raise DuplicateRuleError(f"rules[{i}].id", rule.id, "a rule id used once in a set")
        seen.add(rule.id)
    return rules


class DuplicateRuleError(InvalidValueError):
    """Two rules of one rule set share an id (composing sets that both hold a rule, say).

    >>> from carecontinuum import rulesets
    >>> try:
    ...     rulesets.ASAM3 | rulesets.ASAM3
    ... except DuplicateRuleError as e:
    ...     print(e.value)
    ASAM3-1-ADULT-HOURS
    """


# A level's plan: (rule, the level it is judged at, None) for every rule whose level scope
# admits the level, and (rule, None, an ERROR finding) for every rule scoped to a level with the
# subject's scheme and code that is not the subject's level, in rule order; and per scheme
# reached through an approximate crosswalk, a note.
_Entry = tuple["Rule", "LevelOfCare | None", "Finding | None"]
_Plan = tuple[tuple[_Entry, ...], dict[str, "Finding"]]
# The rules in scope, each with its judged-at level, an optional crosswalk note and, for a
# rule that cannot judge the subject's look-alike level, the ERROR finding saying so; the ids
# of the rules that judge.
# Third, for each rule with a screen, the screen (what its check will find in a subject's weeks,
# decided from the weeks' figures without running it, see `_SCREENS`) and its emitter when it
# has one (see `_EMITTERS`), made once per rule; None for a rule without a screen. Fourth, when
# every rule has a screen and there is no note and no mismatch, each screen with whether its
# rule is an ERROR: `classify` decides such a level from the screens alone unless one says
# "maybe".
_Scoped = tuple[
    tuple[tuple["Rule", "LevelOfCare | None", "Finding | None", "Finding | None"], ...],
    tuple[str, ...],
    "tuple[tuple[Screen, Emitter | None] | None, ...]",
    "tuple[tuple[Screen, bool], ...] | None",
]

#: A rule's screen: from the weeks of a subject, 0 when its check finds nothing in them, 2 when
#: it certainly finds something (of the rule's severity), 1 when only running it can tell.
Screen: TypeAlias = Callable[[object, tuple[WeekFigures, ...]], int]
_NOTHING, _MAYBE, _CERTAIN = 0, 1, 2

#: For checks of the library's own rule factories, how to make a rule's screen (None when its
#: params are not plain numbers): registered by `carecontinuum.rulesets`. A screen spares a
#: rule's check, context and findings where the weeks' figures already tell what it finds;
#: the check still writes every finding that exists. Only checks that yield `Finding`s and
#: nothing else register (`_judge` does not check the items of a screened rule's findings).
_SCREENS: dict[Callable[..., object], Callable[[Rule], Screen | None]] = {}

#: For screened checks, how to make a rule's emitter: the same check in a form the engine calls
#: without making a `RuleContext`, with what it reads of the rule (its bounds) read once, when
#: the rule set plans a scope. ``emit(scope, weeks)`` gives the findings
#: ``check(RuleContext(*scope))`` gives (the check is written as a call of its rule's emitter,
#: so the two cannot differ).
_EMITTERS: dict[Callable[..., object], Callable[[Rule], Emitter]] = {}


@attrs.frozen(init=False)
class RuleSet:
    """A named, versioned, immutable collection of rules.

    Compose sets with ``|``; derive a state's or a payer's set with `without`,
    `with_severity` and `override` (each returns a new set); nothing needs subclassing.

    Args:
        name: The set's name ("ASAM3").
        version: Its version ("2013", "CY2024").
        rules: Its rules; ids must be unique.
        description: What it encodes and, where sources disagree, which it follows.
        effective_from: The first day it applies, if dated.
        effective_until: The last day it applies, if dated.

    >>> from carecontinuum import rulesets
    >>> mine = rulesets.ASAM3.override("ASAM3-2.1-ADULT-HOURS", at_least=8,
    ...                                source=Source("State IOP rule", year=2026))
    >>> mine["ASAM3-2.1-ADULT-HOURS"].params["at_least"], mine.name
    (8, 'ASAM3 (amended)')
    """

    __repr__ = value_repr
    __eq__ = value_eq
    __hash__ = value_hash

    name: str
    version: str
    rules: tuple[Rule, ...]
    description: str = attrs.field(repr=False)
    effective_from: date | None = attrs.field(repr=False)
    effective_until: date | None = attrs.field(repr=False)
    _index: Mapping[str, Rule] = attrs.field(init=False, eq=False, repr=False, hash=False)
    # Per level judged: which rules apply there, at which level of their scheme, and the notes
    # on approximate crosswalks. Filled on first use: the set is immutable, so it never goes
    # stale, and a sweep validating a million programs plans each level once.
    _plans: dict[Hashable, Any] = attrs.field(init=False, eq=False, repr=False, hash=False)

    def __init__(
        self,
        name: str,
        version: str,
        rules: Iterable[Rule],
        *,
        description: str = "",
        effective_from: date | str | None = None,
        effective_until: date | str | None = None,
    ) -> None:
        effective_from = check_optional_day("effective_from", effective_from)
        effective_until = check_optional_day("effective_until", effective_until)
        if effective_from and effective_until and effective_until < effective_from:
            raise InvalidValueError(
                "effective_until", effective_until, "on or after effective_from"
            )
        checked = _check_rules(rules)
        self.__attrs_init__(
            check_str("name", name),
            check_str("version", version),
            checked,
            check_str("description", description, allow_empty=True),
            effective_from,
            effective_until,
        )
        object.__setattr__(self, "_index", {rule.id: rule for rule in checked})
        object.__setattr__(self, "_plans", {})

    def __getstate__(self) -> dict[str, object]:
        return {"name": self.name, "version": self.version, "rules": self.rules,
                "description": self.description, "effective_from": self.effective_from,
                "effective_until": self.effective_until}  # fmt: skip

    def __setstate__(self, state: dict[str, object]) -> None:
        rules = state.pop("rules")
        RuleSet.__init__(self, state.pop("name"), state.pop("version"), rules, **state)  # type: ignore[arg-type]

    def _memo(self, key: Hashable, compute: Callable[[], _M]) -> _M:
        """A value derived from the (immutable) rules alone, computed once per set."""
        memo: _M | None = self._plans.get(key)
        if memo is None:
            memo = self._plans[key] = compute()
        return memo

    def _plan(self, level: LevelOfCare | None) -> _Plan:
        plan: _Plan | None = self._plans.get(level)
        if plan is None:
            plan = self._plans[level] = _make_plan(self.rules, level)
        return plan

    def _scoped(
        self,
        level: LevelOfCare | None,
        kind: type,
        population: Population | None,
        track: Track | None,
    ) -> _Scoped:
        """The rules that judge a subject of type `kind` with this level, population and track,
        each with the level it is judged at and the crosswalk note to add before it (the first
        rule of each scheme reached approximately): everything `validate` decides without
        running a check, decided once per scope."""
        key = ("scoped", level, kind, population, track)
        scoped: _Scoped | None = self._plans.get(key)
        if scoped is None:
            entries, notes = self._plan(level)
            chosen = []
            noted: set[str] = set()
            for rule, judged_at, mismatch in entries:
                if (
                    not issubclass(kind, rule.judges)
                    or (rule.populations and population not in rule.populations)
                    or (rule.tracks and track not in rule.tracks)
                ):
                    continue
                note = None
                if rule.levels and mismatch is None:
                    scheme = rule.levels[0].scheme
                    if scheme in notes and scheme not in noted:
                        noted.add(scheme)
                        note = notes[scheme]
                chosen.append((rule, judged_at, note, mismatch))
            applied = tuple(rule.id for rule, _, _, mismatch in chosen if mismatch is None)
            screens = tuple(_screen(rule) for rule, *_ in chosen)
            steps = tuple(
                None if screen is None else (screen, _emitter(rule))
                for (rule, *_), screen in zip(chosen, screens, strict=True)
            )
            screened = None
            if (
                chosen
                and all(screen is not None for screen in screens)
                and all(note is None and mismatch is None for _, _, note, mismatch in chosen)
            ):
                screened = tuple(
                    (screen, rule.severity is Severity.ERROR)
                    for (rule, *_), screen in zip(chosen, screens, strict=True)
                    if screen is not None
                )
            scoped = self._plans[key] = (tuple(chosen), applied, steps, screened)
        return scoped

    def __getitem__(self, rule_id: str) -> Rule:
        try:
            return self._index[rule_id]
        except (KeyError, TypeError):
            raise UnknownRuleError(rule_id, self.name, self._suggest(rule_id)) from None

    def _suggest(self, rule_id: object) -> list[str]:
        import difflib  # noqa: PLC0415 (only on the error path)

        text = _suggestion_text(rule_id)
        if text is None:  # not text, or too long to be a typo of a rule id (no suggestion)
            return []
        keys = [key for key in self._index if _may_be_alike(text, key)]
        return difflib.get_close_matches(text, keys, n=3, cutoff=0.6)

    def __contains__(self, rule_id: object) -> bool:
        return isinstance(rule_id, str) and rule_id in self._index

    def __iter__(self) -> Iterator[Rule]:
        return iter(self.rules)

    def __len__(self) -> int:
        return len(self.rules)

    def __str__(self) -> str:
        """The name, the version and the rules counted by severity.

        >>> from carecontinuum import rulesets
        >>> print(rulesets.TYPICAL_IOP)
        TYPICAL_IOP 2026.2: 7 rules (3 errors, 3 warnings, 1 note)
        """
        by = dict.fromkeys(Severity, 0)
        for rule in self.rules:
            by[rule.severity] += 1
        words = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
        counts = ", ".join(
            f"{n} {words[severity]}{'' if n == 1 else 's'}" for severity, n in by.items() if n
        )
        total = len(self.rules)
        return summary(
            f"{clip(line(self.name), 48)} {clip(line(self.version), 24)}: "
            f"{total} rule{'' if total == 1 else 's'}" + (f" ({counts})" if counts else "")
        )

    def _repr_html_(self) -> str:
        """The rule set as HTML, for notebooks: one row per rule with its id, severity, scope,
        what it checks and its source.

        >>> from carecontinuum import rulesets
        >>> html = rulesets.ASAM3._repr_html_()
        >>> "<table" in html, "ASAM3-2.1-ADULT-HOURS" in html
        (True, True)
        """
        from ._display import ruleset_html  # noqa: PLC0415 (display code loads only when a notebook asks)

        return ruleset_html(self)

    @property
    def ids(self) -> tuple[str, ...]:
        """The rule ids, in order."""
        return tuple(self._index)

    def __or__(self, other: RuleSet) -> RuleSet:
        """The union of two sets; a rule id in both is an error (`DuplicateRuleError`).

        The union is in force where both are: its period is the intersection of theirs (an
        undated set is in force on every day, so an undated set composed with a dated one
        keeps the dated one's period).

        Raises:
            DuplicateRuleError: a rule id in both sets.
            InvalidValueError: (naming ``other``) the two periods do not overlap, so the
                union would be in force on no day.

        >>> import datetime as dt
        >>> from carecontinuum import rulesets
        >>> both = rulesets.ASAM3 | rulesets.NC_SAIOP_2025
        >>> both.effective_from, both.effective_until
        (datetime.date(2025, 1, 1), datetime.date(2025, 12, 31))
        """
        if not isinstance(other, RuleSet):
            return NotImplemented
        starts = [d for d in (self.effective_from, other.effective_from) if d is not None]
        ends = [d for d in (self.effective_until, other.effective_until) if d is not None]
        start = max(starts) if starts else None
        end = min(ends) if ends else None
        if start is not None and end is not None and end < start:
            raise InvalidValueError(
                "other",
                other,
                f"a rule set in force on some day of {self.name} {self.version}'s period "
                f"({_period(self)}); {other.name} {other.version} is in force {_period(other)}",
            )
        return RuleSet(
            f"{self.name} | {other.name}",
            f"{self.version} | {other.version}",
            (*self.rules, *other.rules),
            description=f"{self.name} {self.version} composed with {other.name} {other.version}",
            effective_from=start,
            effective_until=end,
        )

    @property
    def dated(self) -> bool:
        """True when the set has an effective period (a first or a last day)."""
        return self.effective_from is not None or self.effective_until is not None

    def in_force(self, day: date | str) -> bool:
        """Whether the set is in force on `day`: from `effective_from` to `effective_until`,
        both inclusive. An undated set is in force on every day.

        Raises:
            InvalidTypeError, InvalidValueError: `day` is not a date or 'YYYY-MM-DD'.

        >>> from carecontinuum import rulesets
        >>> rulesets.NC_SAIOP.in_force("2024-12-31"), rulesets.NC_SAIOP.in_force("2025-01-01")
        (True, False)
        """
        return _covers(self, check_day("day", day))

    def _amended(self, rules: Iterable[Rule]) -> RuleSet:
        name = self.name if self.name.endswith("(amended)") else f"{self.name} (amended)"
        return RuleSet(
            name,
            self.version,
            rules,
            description=self.description,
            effective_from=self.effective_from,
            effective_until=self.effective_until,
        )

    def without(self, *rule_ids: str) -> RuleSet:
        """The set less the named rules.

        Raises:
            UnknownRuleError: an id not in the set.
        """
        for rule_id in rule_ids:
            self[rule_id]
        dropped = set(rule_ids)
        return self._amended(r for r in self.rules if r.id not in dropped)

    def with_severity(self, rule_id: str, severity: Severity | str) -> RuleSet:
        """The set with one rule's findings at another severity (a payer's ERROR as a WARNING).
        The rule's source gains a note recording the change, so findings stay traceable.
        """
        rule = self[rule_id]
        severity = check_enum("severity", severity, Severity)
        source = _noted(rule.source, f"severity changed locally from {rule.severity.value} to "
                        f"{severity.value}")  # fmt: skip
        changed = attrs.evolve(rule, severity=severity, source=source)
        return self._amended(changed if r.id == rule_id else r for r in self.rules)

    def override(self, rule_id: str, *, source: Source | None = None, **params: object) -> RuleSet:
        """The set with one rule's thresholds changed, for a state or a payer.

        Args:
            rule_id: The rule to change.
            source: The citation of the new thresholds. When omitted, the rule keeps its
                source with a note recording the local change, so findings stay traceable.
            **params: New values for parameters the rule already has (``at_least=6``).

        Returns:
            A new set in which the rule's params are changed and its title says so
            ("IOP: 9-15 clinical hours a week [amended: at_least 10]").

        Raises:
            UnknownRuleError: no such rule.
            InvalidValueError, InvalidTypeError: an unknown parameter or a bad value.
        """
        rule = self[rule_id]
        if not params:
            raise InvalidValueError("params", params, "at least one parameter to override")
        for name, value in params.items():
            if name not in rule.params:
                raise InvalidValueError(
                    name, value, f"a parameter of rule {rule.id!r} ({', '.join(rule.params)})"
                )
            old = rule.params[name]
            if (isinstance(old, (int, float)) and not isinstance(old, bool)) or old is None:
                _check_number(name, value)
            elif not isinstance(value, type(old)):
                raise InvalidTypeError(name, value, f"a {type(old).__name__}, as before")
        merged = {**rule.params, **params}
        check_bounds(merged)
        vet = _PARAM_CHECKS.get(rule.check)
        if vet is not None:
            vet(merged)
        change = ", ".join(f"{k} {rule.params[k]!r} -> {v!r}" for k, v in params.items())
        if source is None:
            source = _noted(rule.source, f"locally overridden: {change}")
        elif not isinstance(source, Source):
            raise InvalidTypeError("source", source, "a Source or None")
        amended = ", ".join(f"{k} {v!r}" for k, v in params.items())
        title = f"{rule.title.split(' [amended: ')[0]} [amended: {amended}]"
        new = attrs.evolve(rule, params=FrozenMap(merged), source=source, title=title)
        return self._amended(new if r.id == rule_id else r for r in self.rules)

    def levels(self, *, tag: str | None = None) -> tuple[LevelOfCare, ...]:
        """The levels the set's rules are scoped to (those of rules with `tag`, if given), each
        once, by scheme and intensity."""
        if tag is not None and type(tag) is not str:
            raise InvalidTypeError("tag", tag, "a string or None")

        def compute() -> tuple[LevelOfCare, ...]:
            found = {
                level
                for rule in self.rules
                if tag is None or tag in rule.tags
                for level in rule.levels
            }
            return tuple(sorted(found, key=lambda lvl: (lvl.scheme, lvl.rank)))

        return self._memo(("levels", tag), compute)


def _covers(ruleset: RuleSet, day: date) -> bool:
    """Whether `ruleset` is in force on `day` (both ends of its period inclusive)."""
    start, end = ruleset.effective_from, ruleset.effective_until
    return (start is None or start <= day) and (end is None or day <= end)


def _period(ruleset: RuleSet) -> str:
    """A set's effective period in words: "from 2026-01-01", "2025-01-01 to 2025-12-31"."""
    start, end = ruleset.effective_from, ruleset.effective_until
    if start is not None and end is not None:
        return f"{start} to {end}"
    if start is not None:
        return f"from {start}"
    if end is not None:
        return f"until {end}"
    return "on every day (undated)"


def _check_versions(field: str, value: object) -> tuple[RuleSet, ...]:
    """The versions of a series: dated rule sets, in order, their periods not overlapping."""
    if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
        raise InvalidTypeError(field, value, "dated RuleSet versions, oldest first")
    versions = tuple(value)
    if not versions:
        raise InvalidValueError(field, value, "at least one dated RuleSet version")
    for i, version in enumerate(versions):
        if not isinstance(version, RuleSet):
            raise InvalidTypeError(f"{field}[{i}]", version, "a RuleSet")
        if not version.dated:
            raise InvalidValueError(
                f"{field}[{i}]",
                version,
                "a dated rule set (with effective_from or effective_until): a series picks the "
                f"version in force on a day, and {version.name} {version.version} has no period",
            )
    for i in range(1, len(versions)):
        before, version = versions[i - 1], versions[i]
        end, start = before.effective_until, version.effective_from
        if end is None or start is None or start <= end:
            raise InvalidValueError(
                f"{field}[{i}]",
                version,
                f"a version that takes effect after {field}[{i - 1}] "
                f"({before.name} {before.version}, in force {_period(before)}) ends: versions "
                f"come oldest first and their periods do not overlap; it is in force "
                f"{_period(version)}",
            )
    return versions


def _merged(name: str, versions: tuple[RuleSet, ...], description: str) -> RuleSet:
    """The series as one rule set: each rule id once, as the latest version holding it states
    it, in force over the series' whole span."""
    rules: dict[str, Rule] = {}
    for version in versions:
        for rule in version.rules:
            rules.pop(rule.id, None)
            rules[rule.id] = rule
    return RuleSet(
        name,
        "; ".join(v.version for v in versions),
        rules.values(),
        description=description
        or f"The versions {', '.join(f'{v.name} {v.version}' for v in versions)}, in force "
        "one after another.",
        effective_from=versions[0].effective_from,
        effective_until=versions[-1].effective_until,
    )


@attrs.frozen(init=False)
class RuleSeries:
    """A dated series of versions of one body's rules: a state's policy as revised on given
    days. Build one with `carecontinuum.rulesets.series`.

    `validate` judges each week of a dated subject (a `Calendar`, an `Attendance`) by the
    version in force that week, and the report's `ValidationReport.judged_by` says which
    version judged which week. A week is judged by the version in force on its first day (its
    Monday, or the day the subject starts when it starts mid-week): a revision is not applied
    to a week that began before it took effect, as a state applies the policy in force on the
    date of service and a weekly requirement is planned, and met, from the week's start. So a
    week straddling a revision is judged whole by the version it began under. A week that falls
    in a gap between versions (or outside the series) is not judged, and one INFO finding,
    ``NOT-IN-FORCE``, names those weeks. A program template has no dates: `validate` and
    `classify` need ``on=`` to pick the version.

    Attributes:
        name: The series' name ("NC_SAIOP_SERIES").
        versions: The versions, oldest first; each dated, their periods not overlapping (gaps
            allowed).
        ruleset: The series as one `RuleSet`, the ``ruleset`` of a report on a dated subject:
            each rule id once, as the latest version holding it states it, in force over the
            series' span. The rule that judged a finding is ``report.judged_by[week][id]``.

    >>> from carecontinuum import rulesets
    >>> nc = rulesets.NC_SAIOP_SERIES
    >>> [v.name for v in nc], nc.version_on("2025-06-30").name
    (['NC_SAIOP', 'NC_SAIOP_2025', 'NC_SAIOP_2026'], 'NC_SAIOP_2025')
    """

    __repr__ = value_repr
    __eq__ = value_eq
    __hash__ = value_hash

    name: str
    versions: tuple[RuleSet, ...]
    description: str = attrs.field(repr=False)
    ruleset: RuleSet = attrs.field(init=False, eq=False, repr=False, hash=False)

    def __init__(self, name: str, versions: Iterable[RuleSet], *, description: str = "") -> None:
        name = check_str("name", name)
        checked = _check_versions("versions", versions)
        description = check_str("description", description, allow_empty=True)
        self.__attrs_init__(name, checked, description)
        object.__setattr__(self, "ruleset", _merged(name, checked, description))

    def version_on(self, day: date | str) -> RuleSet | None:
        """The version in force on `day`, or None when the day falls in a gap, before the first
        version or after the last.

        Raises:
            InvalidTypeError, InvalidValueError: `day` is not a date or 'YYYY-MM-DD'.
        """
        return self._version_on(check_day("day", day))

    def _version_on(self, day: date) -> RuleSet | None:
        for version in self.versions:
            if _covers(version, day):
                return version
        return None

    @property
    def effective_from(self) -> date | None:
        """The first day of the first version (None: in force since before records)."""
        return self.versions[0].effective_from

    @property
    def effective_until(self) -> date | None:
        """The last day of the last version (None: in force until revised)."""
        return self.versions[-1].effective_until

    def __iter__(self) -> Iterator[RuleSet]:
        return iter(self.versions)

    def __len__(self) -> int:
        return len(self.versions)

    def __str__(self) -> str:
        """The name and each version with its period.

        >>> from carecontinuum import rulesets
        >>> print(rulesets.NC_SAIOP_SERIES)  # doctest: +NORMALIZE_WHITESPACE
        NC_SAIOP_SERIES: 8A until 2024-12-31; 8A (2025-01-01) 2025-01-01 to 2025-12-31;
        8A-12 from 2026-01-01
        """
        parts = "; ".join(f"{clip(line(v.version), 24)} {_period(v)}" for v in self.versions)
        return summary(f"{clip(line(self.name), 48)}: {parts}")


def series(*rulesets: RuleSet, name: str | None = None, description: str = "") -> RuleSeries:
    """A `RuleSeries` of dated versions of one body's rules, oldest first.

    Args:
        *rulesets: The versions: dated rule sets (`RuleSet.effective_from`,
            `RuleSet.effective_until`), oldest first, their periods not overlapping. Gaps are
            allowed: a week in one is not judged, and the report says so. The first version
            may be open at its start and the last at its end.
        name: The series' name; by default the versions' name when they share one, else
            "FIRST to LAST".
        description: What the series holds.

    Raises:
        InvalidTypeError: a version that is not a RuleSet.
        InvalidValueError: no version, an undated version, or versions out of order or
            overlapping (naming ``rulesets[i]``, the first that does not follow its
            predecessor).

    >>> import carecontinuum as cc
    >>> from carecontinuum import rulesets
    >>> old = cc.RuleSet("CLINIC", "1", [], effective_until="2025-12-31")
    >>> new = cc.RuleSet("CLINIC", "2", [], effective_from="2026-01-01")
    >>> print(rulesets.series(old, new))
    CLINIC: 1 until 2025-12-31; 2 from 2026-01-01
    """
    versions = _check_versions("rulesets", rulesets)
    if name is None:
        names = list(dict.fromkeys(v.name for v in versions))
        name = names[0] if len(names) == 1 else f"{names[0]} to {names[-1]}"
    return RuleSeries(name, versions, description=description)


@attrs.frozen(init=False, weakref_slot=False)
class ValidationReport:
    """All the findings of one rule set on one subject.

    Attributes:
        subject: What was judged.
        ruleset: The rule set applied.
        level: The level the subject was judged at (its own, or the `as_level` asked for).
        findings: Every finding of every rule, in rule order, as `Findings` (a tuple that a
            notebook shows as a table).
        applied: The ids of the rules that judged the subject.
        judged_by: For a dated subject (a calendar, an attendance) judged by a dated rule set
            or a `RuleSeries`: the path of each week judged (``weeks[2026-01-05]``, as
            findings name weeks) and the rule set (the version) that judged it. Weeks the set
            (or every version) was not in force for are not in it, and a ``NOT-IN-FORCE`` note
            names them. Empty when the whole subject was judged by `ruleset` (an undated set,
            a program template).

    >>> import carecontinuum as cc
    >>> from carecontinuum import rulesets
    >>> p = cc.ProgramStructure.weekly(cc.catalogs.ASAM3["2.1"], days=["mon", "wed", "fri"],
    ...                                hours_per_session=3, weeks=8)
    >>> report = validate(p, rulesets.ASAM3)
    >>> report.ok, report.applied
    (True, ('ASAM3-2.1-ADULT-HOURS',))
    """

    __eq__ = value_eq
    __hash__ = value_hash

    subject: object = attrs.field(eq=False)
    ruleset: RuleSet = attrs.field(repr=False)
    level: LevelOfCare | None
    findings: tuple[Finding, ...]
    applied: tuple[str, ...]
    judged_by: FrozenMap[str, RuleSet] = attrs.field(default=FrozenMap(), repr=False)

    def __init__(  # noqa: PLR0917 (the fields)
        self,
        subject: object,
        ruleset: RuleSet,
        level: LevelOfCare | None,
        findings: tuple[Finding, ...],
        applied: tuple[str, ...],
        judged_by: Mapping[str, RuleSet] | None = None,
    ) -> None:
        # `validate` builds reports without this (validators.trusted); these are the checks
        # for a report built by hand or read from plain data.
        try:
            hash(subject)
        except TypeError:
            raise InvalidTypeError("subject", subject, "an immutable value") from None
        if not isinstance(ruleset, RuleSet):
            raise InvalidTypeError("ruleset", ruleset, "a RuleSet")
        if level is not None and not isinstance(level, LevelOfCare):
            raise InvalidTypeError("level", level, "a LevelOfCare or None")
        found = Findings(findings)
        ids = tuple_of("applied", applied, str, "a rule id")
        for i, rule_id in enumerate(ids):
            if rule_id not in ruleset:
                raise InvalidValueError(
                    f"applied[{i}]",
                    rule_id,
                    f"the id of a rule of {ruleset.name} {ruleset.version}",
                )
        self.__attrs_init__(subject, ruleset, level, found, ids, _check_judged_by(judged_by))

    @property
    def skipped(self) -> tuple[str, ...]:
        """The ids of the rules that did not judge the subject, out of scope (another level,
        population, track or kind of subject)."""
        applied = set(self.applied)
        return tuple(rule_id for rule_id in self.ruleset.ids if rule_id not in applied)

    @property
    def ok(self) -> bool:
        """True when no finding is an ERROR."""
        return all(f.severity is not Severity.ERROR for f in self.findings)

    @property
    def errors(self) -> Findings:
        """The ERROR findings."""
        return _findings(tuple(f for f in self.findings if f.severity is Severity.ERROR))

    @property
    def warnings(self) -> Findings:
        """The WARNING findings."""
        return _findings(tuple(f for f in self.findings if f.severity is Severity.WARNING))

    @property
    def infos(self) -> Findings:
        """The INFO findings."""
        return _findings(tuple(f for f in self.findings if f.severity is Severity.INFO))

    def raise_for_errors(self) -> None:
        """Raise `RuleViolationError` (one `RuleViolation` per ERROR finding) if not ok."""
        errors = self.errors
        if errors:
            raise RuleViolationError(
                f"{len(errors)} error(s) under {self.ruleset.name} {self.ruleset.version}",
                [RuleViolation(f) for f in errors],
            )

    def __repr__(self) -> str:
        """One bounded line: the verdict, the rule set, the counts, the first findings (most
        severe first, each as severity, rule, path, what was found and what was expected; "and
        3 more" past the first five), then the subject. pytest shows it in a failed ``assert
        report.ok``, cut to 240 characters unless run with ``-v``; ``str(report)`` and
        `carecontinuum.pytest_plugin.assert_valid` give every finding in full.

        >>> import carecontinuum as cc
        >>> from carecontinuum import rulesets
        >>> p = cc.ProgramStructure.weekly(cc.catalogs.ASAM3["2.1"], days=["mon", "wed"],
        ...                                hours_per_session=3, weeks=8, name="Evening IOP")
        >>> validate(p, rulesets.ASAM3)  # doctest: +NORMALIZE_WHITESPACE
        <ValidationReport not ok under ASAM3 2013: 1 error; error ASAM3-2.1-ADULT-HOURS @
         sessions: found 6 clinical hours in the typical week (expected at least 9 and less than
         20 clinical hours a week); subject: ProgramStructure 'Evening IOP' at ASAM3 2.1>
        """
        order = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}
        ranked = sorted(self.findings, key=lambda f: order[f.severity])
        shown = [_one_line(f) for f in ranked[:_REPR_FINDINGS]]
        if len(ranked) > _REPR_FINDINGS:
            shown.append(f"and {len(ranked) - _REPR_FINDINGS} more")
        head = (
            f"<ValidationReport {'ok' if self.ok else 'not ok'} under "
            f"{_cut(f'{self.ruleset.name} {self.ruleset.version}', 80)}: {_counts(self)}"
        )
        subject = f"subject: {_subject_summary(self.subject, self.level)}>"
        return "; ".join([head, *shown, subject])

    def __str__(self) -> str:
        head = (
            f"{self.ruleset.name} {self.ruleset.version}: "
            f"{'ok' if self.ok else 'not ok'} ({len(self.errors)} error(s), "
            f"{len(self.warnings)} warning(s), {len(self.applied)} rule(s) applied)"
        )
        return "\n".join([head, *(f"  {f._full()}" for f in self.findings)])

    def _repr_html_(self) -> str:
        """The report as HTML, for notebooks: the rule set, the verdict and the counts, over a
        table of every finding (severity, rule id, path, message, expected, found, source).

        >>> import carecontinuum as cc
        >>> from carecontinuum import rulesets
        >>> p = cc.ProgramStructure.weekly(cc.catalogs.ASAM3["2.1"], days=["mon"],
        ...                                hours_per_session=3, weeks=8)
        >>> html = validate(p, rulesets.ASAM3)._repr_html_()
        >>> "<table" in html, "ASAM3-2.1-ADULT-HOURS" in html, "not ok" in html
        (True, True, True)
        """
        from ._display import report_html  # noqa: PLC0415 (display code loads only when a notebook asks)

        return report_html(self)


# ValidationReport's builder and its default `judged_by`: `_report` makes reports unchecked
# (validate's hot path builds a report per subject).
_BUILD_REPORT = unchecked_builder(ValidationReport)
_NO_JUDGED_BY = cast("FrozenMap[str, RuleSet]", attrs.fields(ValidationReport).judged_by.default)
_NO_FINDINGS = tuple.__new__(Findings, ())


def _report(  # noqa: PLR0917 (the fields)
    subject: object,
    ruleset: RuleSet,
    level: LevelOfCare | None,
    findings: list[Finding],
    applied: tuple[str, ...],
    judged_by: FrozenMap[str, RuleSet] = _NO_JUDGED_BY,
) -> ValidationReport:
    """The report of findings the engine made (already checked), built without checking them
    again: what `trusted` does, through `unchecked_builder`."""
    return _BUILD_REPORT(
        subject,
        ruleset,
        level,
        tuple.__new__(Findings, findings) if findings else _NO_FINDINGS,
        applied,
        judged_by,
    )


def _check_judged_by(value: object) -> FrozenMap[str, RuleSet]:
    if value is None:
        return FrozenMap()
    if not isinstance(value, Mapping):
        raise InvalidTypeError("judged_by", value, "a mapping of week paths to rule sets")
    for key, ruleset in value.items():
        check_str("judged_by", key)
        if not isinstance(ruleset, RuleSet):
            raise InvalidTypeError(f"judged_by[{key!r}]", ruleset, "a RuleSet")
    return value if isinstance(value, FrozenMap) else FrozenMap(value)


# A report's repr shows this many findings, each cut to this many characters.
_REPR_FINDINGS = 5
_REPR_TEXT = 200


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _counts(report: ValidationReport) -> str:
    """The counts of findings by severity, leaving out the zeros: "2 errors, 1 info"."""
    counts = [
        _count(len(found), noun)
        for found, noun in ((report.errors, "error"), (report.warnings, "warning"),
                            (report.infos, "info"))
        if found
    ]  # fmt: skip
    return ", ".join(counts) or "no findings"


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _one_line(finding: Finding) -> str:
    """A finding in one line: severity, rule, path, what was found and what was expected."""
    where = f" @ {finding.path}" if finding.path else ""
    return _cut(
        f"{finding.severity.value} {finding.rule_id}{where}: found {finding.found} "
        f"(expected {finding.expected})",
        _REPR_TEXT,
    )


def _subject_summary(subject: object, level: LevelOfCare | None) -> str:
    """What was judged, in a few words: its type, its name or client, and its level."""
    parts = [type(subject).__name__]
    name = getattr(subject, "name", None)
    client = getattr(subject, "client_id", None)
    if isinstance(name, str) and name:
        parts.append(repr(_cut(name, 40)))
    elif isinstance(client, str) and client:
        parts.append(f"of client {_cut(client, 40)!r}")
    if level is not None:
        parts.append(f"at {level.scheme} {level.code}")
    return " ".join(parts)


def _make_plan(rules: tuple[Rule, ...], level: LevelOfCare | None) -> _Plan:
    entries: list[_Entry] = []
    notes: dict[str, Finding] = {}
    reached: dict[str, tuple[LevelOfCare, ...]] = {}
    for rule in rules:
        if not rule.levels:
            entries.append((rule, level, None))
            continue
        scheme = rule.levels[0].scheme
        if scheme not in reached:
            note, reached[scheme] = _judged_levels(level, scheme)
            if note is not None:
                notes[scheme] = note
        judged_at = next((c for c in reached[scheme] if c in rule.levels), None)
        if judged_at is not None:
            entries.append((rule, judged_at, None))
            continue
        mismatch = _level_mismatch(rule, reached[scheme])
        if mismatch is not None:
            entries.append((rule, None, mismatch))
    return tuple(entries), notes


def _level_mismatch(rule: Rule, reached: tuple[LevelOfCare, ...]) -> Finding | None:
    """An ERROR finding when the subject's level (or one it crosswalks to) has the scheme and
    code of a level the rule is scoped to but is not that level: two definitions of one level,
    which the rule must not skip in silence (a 0.5-hour "IOP" would pass every IOP rule)."""
    for ours in reached:
        for theirs in rule.levels:
            if theirs.code != ours.code or theirs.scheme != ours.scheme:
                continue
            field = next(f for f in _LEVEL_FIELDS if getattr(ours, f) != getattr(theirs, f))
            return Finding(
                "LEVEL-MISMATCH",
                Severity.ERROR,
                f"Rule {rule.id} ({rule.title}) is scoped to {theirs}, but the subject's level "
                f"{ours.scheme} {ours.code} differs from it in {field!r} "
                f"({getattr(ours, field)!r}, not {getattr(theirs, field)!r}), so the rule did "
                "not judge it. Give the subject and the rule one definition of the level.",
                expected=f"the level rule {rule.id} is scoped to ({theirs})",
                found=f"a level {ours.scheme} {ours.code} whose {field} is "
                f"{getattr(ours, field)!r}",
                source=rule.source,
            )
    return None


def _judged_levels(
    level: LevelOfCare | None, scheme: str
) -> tuple[Finding | None, tuple[LevelOfCare, ...]]:
    """The levels of `scheme` a subject at `level` is judged at (through the crosswalk), and an
    INFO finding when that crosswalk is approximate."""
    if level is None:
        return None, ()
    if level.scheme == scheme:
        return None, (level,)
    from ._crosswalk import crosswalk  # noqa: PLC0415 (the catalogs load on first need)
    from .catalogs import ALL  # noqa: PLC0415

    target: Continuum | None = ALL.get(scheme)
    if target is None or level.scheme not in ALL:
        return None, ()
    walk = crosswalk(level, to=target)
    if not walk.levels:
        return None, ()
    note = None
    if walk.approximate:
        codes = ", ".join(lvl.code for lvl in walk.levels)
        note = Finding(
            "CROSSWALK",
            Severity.INFO,
            f"Judged as {scheme} {codes} through an approximate crosswalk from "
            f"{level.scheme} {level.code}: {walk.note}.",
            expected=f"a level of {scheme}",
            found=f"{level.scheme} {level.code}",
            source=Source("carecontinuum crosswalk tables", note=walk.note or None),
        )
    return note, walk.levels


def validate(
    subject: object,
    ruleset: RuleSet | RuleSeries | Sequence[RuleSet],
    *,
    as_level: LevelOfCare | None = None,
    on: date | str | None = None,
) -> ValidationReport:
    """Judge a subject by every rule of a rule set and return all the findings.

    Rules scoped to levels apply when the subject's level (or `as_level`) is one of theirs,
    directly or through the crosswalk (a GENERIC IOP program is judged by ASAM3's 2.1 rules;
    an approximate crosswalk adds an INFO finding saying so). A rule scoped to a level with the
    subject's scheme and code that is not the subject's level (the two differ in a name, a rank,
    ...) does not skip the subject in silence: it reports an ERROR finding, ``LEVEL-MISMATCH``,
    naming the field that differs. A rule that crashes, or whose check gives anything but
    findings (None, a string, numbers), is reported as an ERROR finding naming it; the other
    rules still run.

    Rules are in force by date. A dated rule set (`RuleSet.effective_from`,
    `RuleSet.effective_until`) judges the weeks of a dated subject (a `Calendar`, an
    `Attendance`: a subject whose weeks have days) that begin in its period: a week is in
    force when its first day (its Monday, or the subject's first day when it starts mid-week)
    is, since a state applies the policy in force on the date of service and a revision is not
    applied to a week that began before it took effect. The weeks outside are not judged by
    it, and one INFO finding, ``NOT-IN-FORCE``, names the first and last of them and the set's
    period; `ValidationReport.judged_by` maps each week judged to the set. A `RuleSeries`
    judges each week by the version in force that week. A program template has no dates: a
    dated set judges it as an undated one unless `on` is given, when the set must be in force
    on `on` (else the same note, and nothing judged); a series needs `on` to pick the
    version. Rules that judge a dated subject as a whole rather than week by week (an
    attendance goal) judge it whole when any of its weeks is in force.

    Args:
        subject: What to judge (a ProgramStructure, ...).
        ruleset: The rules: a `RuleSet`, or a list or tuple of them, judged as their union
            (``[ASAM3, MEDICARE_2024]`` is ``ASAM3 | MEDICARE_2024``), or a `RuleSeries`.
        as_level: Judge the subject as if it were at this level ("would it pass as PHP?").
        on: The day to judge on (a date or 'YYYY-MM-DD'), for rules about what is due by a
            date (a review, a length of stay), and the day a dated set or a series must be in
            force on to judge an undated subject (a program template); rules that need it and
            do not get it say so in a finding.

    Raises:
        InvalidTypeError: `ruleset` is not a RuleSet or a RuleSeries, `as_level` not a
            LevelOfCare, or `on` not a date.
        InvalidValueError: a `RuleSeries` judging an undated subject without `on`, or a list
            of rule sets whose periods do not overlap.

    >>> import carecontinuum as cc
    >>> from carecontinuum import rulesets
    >>> p = cc.ProgramStructure.weekly(cc.catalogs.GENERIC["IOP"], days=["mon", "wed", "fri"],
    ...                                hours_per_session=7, weeks=8)
    >>> report = validate(p, rulesets.MEDICARE_2024)
    >>> report.ok, [(f.found, f.looks_like.code) for f in report.errors]
    (False, [('21 clinical hours in the typical week', 'PHP')])
    """
    chosen: RuleSet | RuleSeries
    if type(ruleset) is RuleSet or isinstance(ruleset, RuleSeries):
        chosen = ruleset
    else:
        chosen = _check_ruleset(ruleset)
    own_level, population, track = profile_of(subject)
    if as_level is None:
        level = own_level
    elif isinstance(as_level, LevelOfCare):
        level = as_level
    else:
        raise InvalidTypeError("as_level", as_level, "a LevelOfCare or None")
    if on is not None:
        on = check_day("on", on)
    if type(chosen) is RuleSet and chosen.effective_from is None and chosen.effective_until is None:
        # An undated set (the common case), inline: what `_judged` does.
        scoped = chosen._scoped(level, type(subject), population, track)
        judged = _judge(subject, chosen, level, population, track, on, {}, scoped,
                        stop_at_error=False)  # fmt: skip
        assert judged is not None  # only stop_at_error gives up
        return judged
    return _by_date(subject, chosen, level, population, track, on)


def _judged(  # noqa: PLR0917 (the engine's arguments)
    subject: object,
    ruleset: RuleSet,
    level: LevelOfCare | None,
    population: Population | None,
    track: Track | None,
    on: date | None,
    shared: dict[str, Any],
) -> ValidationReport:
    """`ruleset` applied to `subject` (to the weeks in `shared`, when it holds them)."""
    scoped = ruleset._scoped(level, type(subject), population, track)
    judged = _judge(subject, ruleset, level, population, track, on, shared, scoped,
                    stop_at_error=False)  # fmt: skip
    assert judged is not None  # only stop_at_error gives up
    return judged


def _by_date(  # noqa: PLR0917 (the engine's arguments)
    subject: object,
    rules: RuleSet | RuleSeries,
    level: LevelOfCare | None,
    population: Population | None,
    track: Track | None,
    on: date | None,
) -> ValidationReport:
    """A dated rule set or a series applied by date: each dated week by what is in force on its
    first day; an undated subject by what is in force on `on` (when given)."""
    series = rules if isinstance(rules, RuleSeries) else None
    whole = rules.ruleset if isinstance(rules, RuleSeries) else rules
    weeks = weeks_of(subject)
    if not weeks or any(week.first_day is None for week in weeks):
        # An undated subject (a template): judged by what is in force on `on`.
        if on is None:
            if series is not None:
                raise InvalidValueError(
                    "on",
                    on,
                    f"the day to judge on, to pick the version of {series.name} in force (a "
                    f"{type(subject).__name__} has no dates)",
                )
            return _judged(subject, whole, level, population, track, on, {})
        version = series._version_on(on) if series is not None else whole
        if version is None or not _covers(version, on):
            note = _not_in_force(rules, f"on {on}", f"{type(subject).__name__} judged on {on}")
            return _report(subject, whole, level, [note], ())
        return _judged(subject, version, level, population, track, on, {})
    by_version: dict[int, list[WeekFigures]] = {}
    versions = series.versions if series is not None else (whole,)
    outside: list[WeekFigures] = []
    for week in weeks:
        assert week.first_day is not None  # checked above
        for i, version in enumerate(versions):
            if _covers(version, week.first_day):
                by_version.setdefault(i, []).append(week)
                break
        else:
            outside.append(week)
    findings: list[Finding] = []
    if outside:
        first, last = outside[0], outside[-1]
        which = first.label if first is last else f"{first.label} to {last.label}"
        count = len(outside)
        findings.append(
            _not_in_force(
                rules,
                f"for {count} week{'' if count == 1 else 's'} of this subject ({which})",
                f"{count} week{'' if count == 1 else 's'} outside it, {which}",
            )
        )
    applied: dict[str, None] = {}
    judged_by: dict[str, RuleSet] = {}
    for i, in_force in by_version.items():
        version = versions[i]
        report = _judged(subject, version, level, population, track, on, {"weeks": tuple(in_force)})
        findings.extend(report.findings)
        applied.update(dict.fromkeys(report.applied))
        judged_by.update((week.path, version) for week in in_force)
    return _report(subject, whole, level, findings, tuple(applied), FrozenMap(judged_by))


def _not_in_force(rules: RuleSet | RuleSeries, when: str, found: str) -> Finding:
    # `when` is "for N weeks of this subject (...)" for a dated subject, "on DAY" otherwise.
    weekly = when.startswith("for")
    unit = "week" if weekly else "day"
    """The INFO finding that a dated set (or every version of a series) was not in force for
    part of the subject, which it therefore did not judge."""
    version = rules.ruleset.version if isinstance(rules, RuleSeries) else rules.version
    if isinstance(rules, RuleSeries):
        what = f"No version of {rules.name} was in force"
        period = "; ".join(f"{v.name} {v.version} {_period(v)}" for v in rules.versions)
        expected = f"a {unit} in the period of a version ({period})"
    else:
        what = f"{rules.name} {rules.version} was not in force"
        period = _period(rules)
        expected = f"a {unit} in its period ({period})"
    return Finding(
        "NOT-IN-FORCE",
        Severity.INFO,
        f"{what} {when}, so it did not judge {'them' if weekly else 'it'} (in force: "
        f"{period})."
        + (" A week is judged by the rules in force on its first day." if weekly else ""),
        expected=expected,
        found=found,
        source=Source(f"{rules.name} {version}", note=f"In force {period}."),
    )


#: Unions of the rule sets `validate` and `classify` were given as a list, by the identities of
#: the sets (kept, so the identities stay theirs): each union plans its levels once, as a named
#: set does. Bounded: cleared when full.
_UNIONS: dict[tuple[int, ...], tuple[tuple[RuleSet, ...], RuleSet]] = {}
_UNIONS_MAX = 64


def _check_ruleset(value: object) -> RuleSet:
    """`value` as one rule set: a `RuleSet` itself, or the union of a list or tuple of them."""
    if isinstance(value, RuleSet):
        return value
    if not isinstance(value, (list, tuple)):
        raise InvalidTypeError(
            "ruleset", value, "a RuleSet, or a list or tuple of them (their union, as with |)"
        )
    sets = tuple(value)
    key = tuple(map(id, sets))
    cached = _UNIONS.get(key)
    if cached is not None and all(a is b for a, b in zip(cached[0], sets, strict=True)):
        return cached[1]
    for i, item in enumerate(sets):
        if not isinstance(item, RuleSet):
            raise InvalidTypeError(f"ruleset[{i}]", item, "a RuleSet")
    if not sets:
        raise InvalidValueError("ruleset", value, "a RuleSet, or a non-empty list of them")
    union: RuleSet = sets[0]
    for i, item in enumerate(sets[1:], start=1):
        try:
            union = union | item
        except InvalidValueError as error:
            if error.field != "other":
                raise
            raise InvalidValueError(f"ruleset[{i}]", item, error.expected) from None
    if len(_UNIONS) >= _UNIONS_MAX:
        _UNIONS.clear()
    _UNIONS[key] = (sets, union)
    return union


def _judge(  # noqa: PLR0917 (the engine's inner loop, shared by validate and classify)
    subject: object,
    ruleset: RuleSet,
    level: LevelOfCare | None,
    population: Population | None,
    track: Track | None,
    on: date | None,
    shared: dict[str, Any],
    scoped: _Scoped,
    *,
    stop_at_error: bool,
) -> ValidationReport | None:
    """Apply every rule of `ruleset` in scope at `level`; with `stop_at_error`, give up (None)
    at the first ERROR finding, for callers that only keep reports without errors."""
    entries, _, steps, _ = scoped
    findings: list[Finding] = []
    weeks: tuple[WeekFigures, ...] | None = None
    # `_scoped` makes a step for each entry. (Indexing, not zip: on Python 3.11 a zip with
    # `strict` costs more than the loop over a level's few rules.)
    for i, (rule, judged_at, note, mismatch) in enumerate(entries):
        step = steps[i]
        if note is not None:
            findings.append(note)
        if mismatch is not None:
            if stop_at_error:
                return None
            findings.append(mismatch)
            continue
        if step is None:
            found = _apply(
                RuleContext(subject, rule, ruleset, judged_at, population, track, shared, on)
            )
        else:  # a screened rule's check is the library's own: only a crash needs catching
            if weeks is None:
                weeks = shared.get("weeks")
                if weeks is None:
                    weeks = shared["weeks"] = weeks_of(subject)
            screen, emit = step
            seen = screen(subject, weeks)
            if seen == _NOTHING:
                continue
            if seen == _CERTAIN and stop_at_error and rule.severity is _ERROR:
                return None
            try:
                if emit is not None:
                    found = emit(
                        (subject, rule, ruleset, judged_at, population, track, shared, on),
                        weeks,
                    )
                else:
                    made = rule.check(RuleContext(
                        subject, rule, ruleset, judged_at, population, track, shared, on
                    ))  # fmt: skip
                    found = made if type(made) is list else list(made)
            except Exception as crash:  # a crashing rule becomes a finding
                found = [_crash(rule, crash)]
        if found:
            if stop_at_error:
                for finding in found:
                    if finding.severity is _ERROR:
                        return None
            findings.extend(found)
    applied = scoped[1]
    if applied:  # some rule applied (the common case): the report `_closed` would make
        return _BUILD_REPORT(subject, ruleset, level,
                             tuple.__new__(Findings, findings) if findings else _NO_FINDINGS,
                             applied, _NO_JUDGED_BY)  # fmt: skip
    return _closed(subject, ruleset, level, findings, scoped)


def _closed(
    subject: object,
    ruleset: RuleSet,
    level: LevelOfCare | None,
    findings: list[Finding],
    scoped: _Scoped,
) -> ValidationReport:
    """The report of the findings of the rules in `scoped`, with the note that no rule applies
    when none did (and no level mismatch explains why)."""
    entries, applied, _, _ = scoped
    if not applied and all(mismatch is None for *_, mismatch in entries):
        findings.append(
            ruleset._memo(
                ("nothing applies", level, type(subject)),
                lambda: _nothing_applies(subject, ruleset, level),
            )
        )
    return _report(subject, ruleset, level, findings, applied)


def _screen(rule: Rule) -> Screen | None:
    """The rule's screen, when its check has one (a factory rule with plain numbers)."""
    make = _SCREENS.get(rule.check)
    return None if make is None else make(rule)


def _emitter(rule: Rule) -> Emitter | None:
    """The rule's emitter, when its check has one."""
    make = _EMITTERS.get(rule.check)
    return None if make is None else make(rule)


def _apply(context: RuleContext) -> list[Finding]:
    """The findings of one rule in its context: a check that crashes, or gives anything but
    findings, becomes one ERROR finding naming it."""
    rule = context.rule
    try:
        result = rule.check(context)
        if type(result) is list:  # the common case, spared the abstract-class checks
            found = result
        elif isinstance(result, (str, bytes, Mapping)) or result is None:
            return [_broken(rule, f"returned {_quote(result)}")]
        else:
            found = list(result)
        for i, item in enumerate(found):
            if type(item) is not Finding and not isinstance(item, Finding):
                return [_broken(rule, f"yielded {_quote(item)} as item {i}")]
    except Exception as crash:  # a crashing rule becomes a finding
        return [_crash(rule, crash)]
    return found


def _crash_text(crash: BaseException) -> str:
    """'KeyError: 'x'', fit for a finding: clipped, control characters escaped; an exception
    that cannot say what it is is named by its type."""
    try:
        text = f"{type(crash).__name__}: {crash}"
    except Exception:  # an exception whose __str__ fails
        text = f"{type(crash).__name__} (which could not be shown)"
    return printable(text)


def _crash(rule: Rule, crash: Exception) -> Finding:
    what = _crash_text(crash)
    return Finding(
        rule.id,
        Severity.ERROR,
        f"Rule {rule.id} ({rule.title}) failed to run: {what}",
        expected="the rule to run",
        found=what,
        source=rule.source,
    )


def _quote(value: object) -> str:
    """A value a broken check returned, shown briefly with its type."""
    try:
        shown = repr(value)
    except Exception:  # a value whose __repr__ fails, or an int past the digit limit
        shown = f"a {type(value).__name__}"
    else:
        kind = type(value).__name__
        shown = f"{printable(shown, 80)} ({'an' if kind[:1] in 'aeiouAEIOU' else 'a'} {kind})"
    return shown


def _broken(rule: Rule, what: str) -> Finding:
    """The ERROR finding of a rule whose check gives something other than findings: a broken
    rule, reported like a crash (its other output is dropped)."""
    return Finding(
        rule.id,
        Severity.ERROR,
        f"Rule {rule.id} ({rule.title}) is broken: its check {what}, where it must yield findings.",
        expected="a check that yields Finding values (such as context.finding(...))",
        found=f"a check that {what}",
        source=rule.source,
    )


def _nothing_applies(subject: object, ruleset: RuleSet, level: LevelOfCare | None) -> Finding:
    at = f" at {level.scheme} {level.code}" if level is not None else ""
    return Finding(
        "NO-RULE-APPLIES",
        Severity.INFO,
        f"No rule of {ruleset.name} applies to this subject{at}.",
        expected="a subject in the scope of at least one rule",
        found=type(subject).__name__ + at,
        source=Source(f"{ruleset.name} {ruleset.version}"),
    )


@attrs.frozen(init=False, weakref_slot=False)
class Classification:
    """A level whose rules a program satisfies, with the report that decided it.

    >>> import carecontinuum as cc
    >>> from carecontinuum import rulesets
    >>> p = cc.ProgramStructure.weekly(cc.catalogs.GENERIC["IOP"], days=["mon", "wed", "fri"],
    ...                                hours_per_session=4, weeks=8)
    >>> [c.level.code for c in classify(p, rulesets.TYPICAL_IOP)]
    ['IOP']
    """

    __repr__ = value_repr
    __eq__ = value_eq
    __hash__ = value_hash

    level: LevelOfCare
    report: ValidationReport = attrs.field(repr=False)

    def __init__(self, level: LevelOfCare, report: ValidationReport) -> None:
        if not isinstance(level, LevelOfCare):
            raise InvalidTypeError("level", level, "a LevelOfCare")
        if not isinstance(report, ValidationReport):
            raise InvalidTypeError("report", report, "a ValidationReport")
        if report.level != level:
            raise InvalidValueError(
                "level", level, f"the level its report judged at ({report.level})"
            )
        self.__attrs_init__(level, report)

    @property
    def findings(self) -> tuple[Finding, ...]:
        """The findings of the program judged at this level (warnings and notes; no errors)."""
        return self.report.findings

    def __str__(self) -> str:
        """The level, the rule set that decided it and its findings, counted.

        >>> import carecontinuum as cc
        >>> from carecontinuum import rulesets
        >>> p = cc.ProgramStructure.weekly(cc.catalogs.GENERIC["IOP"], days=["mon", "wed", "fri"],
        ...                                hours_per_session=4, weeks=8)
        >>> print(classify(p, rulesets.ASAM3)[0])
        ASAM3 2.1 under ASAM3 2013: 1 rule applied, no findings
        """
        report = self.report
        ruleset = report.ruleset
        found = len(report.findings)
        applied = len(report.applied)
        counts = f"{found} finding{'' if found == 1 else 's'}" if found else "no findings"
        return summary(
            f"{self.level.scheme} {self.level.code} under "
            f"{clip(line(f'{ruleset.name} {ruleset.version}'), 48)}: "
            f"{applied} rule{'' if applied == 1 else 's'} applied",
            counts,
        )

    def _repr_html_(self) -> str:
        """The classification as HTML, for notebooks: the level, the rule set, the rules that
        judged the program there and each finding with its reason.

        >>> import carecontinuum as cc
        >>> from carecontinuum import rulesets
        >>> p = cc.ProgramStructure.weekly(cc.catalogs.GENERIC["IOP"], days=["mon", "wed", "fri"],
        ...                                hours_per_session=4, weeks=8)
        >>> "ASAM3-2.1-ADULT-HOURS" in classify(p, rulesets.ASAM3)[0]._repr_html_()
        True
        """
        from ._display import classification_html  # noqa: PLC0415 (display code loads only when a notebook asks)

        return classification_html(self)


# Classification's builder: `classify` makes one per level kept (what `trusted` does).
_BUILD_CLASSIFICATION = unchecked_builder(Classification)


def classify(
    program: object,
    ruleset: RuleSet | RuleSeries | Sequence[RuleSet],
    *,
    on: date | str | None = None,
) -> tuple[Classification, ...]:
    """The levels whose intensity rules a program satisfies under a rule set.

    Each level that some rule tagged "intensity" is scoped to is tried with
    ``validate(program, ruleset, as_level=level)``; it is kept when at least one intensity rule
    judged the program there and no finding is an ERROR. So a program classified at level L has
    no ERROR under L's rules. Hours do not change a setting: a program at an outpatient level is
    classified among outpatient levels only (ASAM 3.1's 5-hour floor does not make a 12-hour
    IOP residential), and a program at a 24-hour level among 24-hour levels. A list or tuple
    of rule sets is their union, as in `validate`.

    Classifying judges a program by one set of rules: a dated rule set with `on` given
    classifies only if it is in force on `on` (else nothing: no level's rules are in force),
    and a `RuleSeries` needs `on`, the day whose version classifies (nothing in a gap).

    Raises:
        InvalidValueError: a `RuleSeries` without `on`.

    >>> import carecontinuum as cc
    >>> from carecontinuum import rulesets
    >>> p = cc.ProgramStructure.weekly(cc.catalogs.GENERIC["IOP"], days=["mon", "wed", "fri"],
    ...                                hours_per_session=4, weeks=8)
    >>> [c.level.code for c in classify(p, rulesets.ASAM3)]
    ['2.1']
    """
    if on is not None:
        on = check_day("on", on)
    if type(ruleset) is RuleSet:  # the common case, first
        pass
    elif isinstance(ruleset, RuleSeries):
        if on is None:
            raise InvalidValueError(
                "on", on, f"the day whose version of {ruleset.name} classifies the program"
            )
        version = ruleset._version_on(on)
        if version is None:
            return ()
        ruleset = version
    else:
        ruleset = _check_ruleset(ruleset)
    if on is not None and not _covers(ruleset, on):
        return ()
    kind = type(program)
    own_level, population, track = profile_of(program)
    setting = None if own_level is None else own_level.is_outpatient
    key = ("classify", setting, kind, population, track)
    candidates = ruleset._plans.get(key)  # what `_memo` does, without a closure per call
    if candidates is None:
        candidates = ruleset._plans[key] = _candidates(ruleset, setting, kind, population, track)
    # One set of figures for every level tried; a level is rejected at its first ERROR, so
    # the findings (and their text) of rejected levels are never made.
    shared: dict[str, Any] = {}
    weeks: tuple[WeekFigures, ...] | None = None
    result = []
    for level, scoped in candidates:
        screened = scoped[3]
        if screened is None:
            seen = _MAYBE
        else:
            if weeks is None:
                weeks = shared.get("weeks")
                if weeks is None:
                    weeks = shared["weeks"] = weeks_of(program)
            seen = _screened(program, screened, weeks)
        if seen == _CERTAIN:
            continue  # a screen is certain of an ERROR: the level is rejected
        if seen == _NOTHING:  # no rule finds anything: the report `_judge` would make
            report: ValidationReport | None = _report(program, ruleset, level, [], scoped[1])
        else:
            report = _judge(program, ruleset, level, population, track, on, shared, scoped,
                            stop_at_error=True)  # fmt: skip
        if report is not None:
            result.append(_BUILD_CLASSIFICATION(level, report))
    return tuple(result)


def _screened(
    subject: object, screened: tuple[tuple[Screen, bool], ...], weeks: tuple[WeekFigures, ...]
) -> int:
    """What the screens of a level's rules (each with whether its rule is an ERROR) decide
    from the subject's weeks: `_CERTAIN` when one is certain of an ERROR, `_NOTHING` when none
    finds anything, else `_MAYBE` (the checks must run)."""
    seen = _NOTHING
    for screen, stops in screened:
        found = screen(subject, weeks)
        if found:
            if found == _CERTAIN and stops:
                return _CERTAIN
            seen = _MAYBE
    return seen


def _candidates(
    ruleset: RuleSet,
    outpatient: bool | None,
    kind: type,
    population: Population | None,
    track: Track | None,
) -> tuple[tuple[LevelOfCare, _Scoped], ...]:
    """The levels `classify` tries for a subject: those of the subject's setting (any, for a
    subject without a level) where some intensity rule would judge it, with their scope."""
    intensity = {rule.id for rule in ruleset.rules if "intensity" in rule.tags}
    found = []
    for level in ruleset.levels(tag="intensity"):
        if outpatient is not None and level.is_outpatient != outpatient:
            continue
        scoped = ruleset._scoped(level, kind, population, track)
        if not intensity.isdisjoint(scoped[1]):
            found.append((level, scoped))
    return tuple(found)


# ---- tables (carecontinuum.tables) ---------------------------------------------------------

# The numbers a finding's text states, in the words the rule factories write them: bounds in
# `expected` ("at least 9 and less than 20 clinical hours a week", "3 or more service units")
# and the figure `found` starts with ("8.25 clinical hours in the week of 2026-03-02").
_NUMBER = r"(-?\d+(?:\.\d+)?(?:e[+-]?\d+)?)"
_AT_LEAST = re.compile(rf"\bat least {_NUMBER}|^{_NUMBER} or more\b")
_AT_MOST = re.compile(rf"\bat most {_NUMBER}")
_LESS_THAN = re.compile(rf"\b(?:less|fewer) than {_NUMBER}")
_LEADING = re.compile(rf"{_NUMBER}(?![\w.-])")
#: A dated week's path, as calendars and attendance name their weeks (``weeks[2026-03-02]``).
_WEEK_PATH = re.compile(r"weeks\[(\d{4}-\d{2}-\d{2})\]")


def _stated(pattern: re.Pattern[str], text: str, *, leading: bool = False) -> float | None:
    """The number `text` states where `pattern` finds it (at its start, with `leading`)."""
    match = pattern.match(text) if leading else pattern.search(text)
    if match is None:
        return None
    return float(next(group for group in match.groups() if group is not None))


def _week_of_path(path: str) -> date | None:
    """The Monday of the dated week a path names (``weeks[2026-03-02]``), else None."""
    match = _WEEK_PATH.match(path)
    if match is None:
        return None
    try:
        return date.fromisoformat(match.group(1))
    except ValueError:  # a path written by hand may hold any digits
        return None


def _dated_paths(subject: object) -> dict[str, date]:
    """Each path of a dated subject's weeks (the week's own, and each of its sessions' or
    records') and the Monday of its week; empty for a template, whose weeks repeat."""
    paths: dict[str, date] = {}
    for week in weeks_of(subject):
        if week.first_day is None:
            continue
        monday = date.fromordinal(week.first_day.toordinal() - week.first_day.weekday())
        paths[week.path] = monday
        for entry in week._entries:
            paths[f"{week.items}[{entry[2]}]"] = monday
    return paths


def _finding_columns(findings: Sequence[Finding], weeks: Mapping[str, date]) -> Columns:
    """Findings as a table: one row per finding; the week, where a finding is about a dated
    week, from `weeks` (paths of the subject) or else from its path."""
    week = [weeks.get(f.path.partition(".")[0]) or _week_of_path(f.path) for f in findings]
    expected = [f.expected for f in findings]
    found = [f.found for f in findings]
    return {
        "rule": ("str", [f.rule_id for f in findings]),
        "severity": ("str", [f.severity.value for f in findings]),
        "week": ("date", week),
        "path": ("str", [f.path for f in findings]),
        "message": ("str", [f.message for f in findings]),
        "expected": ("str", expected),
        "found": ("str", found),
        "expected_at_least": ("float", [_stated(_AT_LEAST, text) for text in expected]),
        "expected_at_most": ("float", [_stated(_AT_MOST, text) for text in expected]),
        "expected_less_than": ("float", [_stated(_LESS_THAN, text) for text in expected]),
        "found_value": ("float", [_stated(_LEADING, text, leading=True) for text in found]),
        "looks_like": ("str", [None if f.looks_like is None else f.looks_like.code
                               for f in findings]),
    }  # fmt: skip


def _findings_columns(findings: Findings) -> Columns:
    return _finding_columns(findings, {})


def _report_columns(report: ValidationReport) -> Columns:
    """A report as a table: its findings, each with the rule set (the version, for a dated
    subject judged by a dated set or a series) and level that judged it."""
    weeks = _dated_paths(report.subject)
    columns = _finding_columns(report.findings, weeks)
    judged_by, ruleset = report.judged_by, report.ruleset
    versions = [
        judged_by.get(f"weeks[{day}]", ruleset) if day is not None else ruleset
        for day in columns["week"][1]
    ]
    count = len(report.findings)
    level = report.level
    return {
        "ruleset": ("str", [version.name for version in versions]),
        "version": ("str", [version.version for version in versions]),
        "scheme": ("str", [None if level is None else level.scheme] * count),
        "level": ("str", [None if level is None else level.code] * count),
        **columns,
    }


def _classification_columns(classification: Classification) -> Columns:
    """A classification as a table row: the level, the rule set and what it found there."""
    level, report = classification.level, classification.report
    severities = [f.severity for f in report.findings]
    return {
        "scheme": ("str", [level.scheme]),
        "level": ("str", [level.code]),
        "name": ("str", [level.name]),
        "ruleset": ("str", [report.ruleset.name]),
        "version": ("str", [report.ruleset.version]),
        "rules_applied": ("int", [len(report.applied)]),
        "warnings": ("int", [severities.count(Severity.WARNING)]),
        "infos": ("int", [severities.count(Severity.INFO)]),
    }


register_table(Findings, _findings_columns)
register_table(Finding, lambda finding: _finding_columns((finding,), {}))
register_table(ValidationReport, _report_columns)
register_table(Classification, _classification_columns)
