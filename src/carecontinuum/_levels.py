"""Levels of care and the continua that order them: `LevelOfCare`, `Continuum` and their enums."""

from __future__ import annotations

import enum
from collections.abc import Iterable, Iterator, Mapping
from types import MappingProxyType
from typing import Any, overload

import attrs

from ._errors import (
    CareContinuumError,
    InvalidTypeError,
    InvalidValueError,
    SchemeMismatchError,
    UnknownLevelError,
    _code_hint,
    _echo,
    _may_be_alike,
    _suggestion_text,
)
from ._frozen import FrozenMap, _Derived, value_eq, value_hash
from ._text import clip, line, listing, summary, value_repr
from ._validators import check_bool, check_enum, check_int, check_optional_str, check_str

__all__ = ["Continuum", "LevelOfCare", "Management", "Setting", "Supervision"]

MAIN_PATHWAY = "main"

# The schemes of `carecontinuum.catalogs`. A level that claims one of them together with one of
# that catalog's codes or aliases must be the catalog's level, field for field. Named here
# rather than read from the catalogs, so the check holds before they load: the first such level
# loads them.
_CATALOG_SCHEMES = frozenset({"GENERIC", "ASAM3", "ASAM4", "LOCUS", "TEDS"})
# Each catalog's levels by code and alias. The catalog builder fills it once, as the catalogs
# load (`_register_catalog`); nothing else writes it.
_CATALOG_INDEX: dict[str, Mapping[str, LevelOfCare]] = {}
# The fields compared with a catalog's level, in the order a difference is reported.
_LEVEL_FIELDS = (
    "name", "setting", "overnight", "supervision", "management", "rank", "pathway",
    "concurrent", "aliases", "adolescent_name",
)  # fmt: skip


class Setting(enum.Enum):
    """Where care at a level is delivered.

    >>> Setting.OUTPATIENT.value
    'outpatient'
    """

    __hash__ = object.__hash__  # members are singletons: hashed by identity, in C

    #: A hospital or other inpatient unit with 24-hour medical or nursing care.
    INPATIENT = "inpatient"
    #: The client lives at the facility, with 24-hour structure and supervision.
    RESIDENTIAL = "residential"
    #: The client lives at home (or in sober living) and attends scheduled treatment.
    OUTPATIENT = "outpatient"
    #: Support in the community, outside a treatment program (peer groups, alumni, coaching).
    COMMUNITY = "community"


# Read once: on Python 3.11 each read of a member from its class goes through the enum type's
# ``__getattr__`` hook (`LevelOfCare.is_outpatient` is read on every `classify`).
_OUTPATIENT = Setting.OUTPATIENT


class Supervision(enum.Enum):
    """How much of the day the client is under the program's supervision.

    >>> Supervision.TWENTY_FOUR_HOUR.value
    '24-hour'
    """

    __hash__ = object.__hash__  # members are singletons: hashed by identity, in C

    #: No clinical supervision (recovery support, remission monitoring in the community).
    NONE = "none"
    #: Supervised during scheduled program hours only.
    SCHEDULED = "scheduled"
    #: Supervised around the clock.
    TWENTY_FOUR_HOUR = "24-hour"


class Management(enum.Enum):
    """Who directs care at a level, in ASAM's terms.

    >>> Management.MEDICALLY_MONITORED.value
    'medically monitored'
    """

    __hash__ = object.__hash__  # members are singletons: hashed by identity, in C

    #: Directed by clinicians (counselors, therapists) rather than physicians.
    CLINICALLY_MANAGED = "clinically managed"
    #: Physician-approved protocols, with nursing monitoring.
    MEDICALLY_MONITORED = "medically monitored"
    #: Directed by physicians, with daily medical management.
    MEDICALLY_MANAGED = "medically managed"


def _check_aliases(value: object) -> tuple[str, ...]:
    if isinstance(value, str) or not isinstance(value, (tuple, list, frozenset, set)):
        raise InvalidTypeError("aliases", value, "a tuple of strings")
    items = tuple(value)
    for i, alias in enumerate(items):
        check_str(f"aliases[{i}]", alias)
    return items


# Levels key the rule engine's look-ups; hashing what identifies a level (equal levels agree
# on it), once per level, is several times cheaper than a hash over every field.
def _level_hash(level: LevelOfCare) -> int:
    try:
        derived: int | None = level._derived
    except AttributeError:  # first read (or a copy, which derives it again)
        derived = None
    if derived is None:  # (None is what a value built unchecked starts with)
        derived = hash((level.scheme, level.code, level.rank))
        object.__setattr__(level, "_derived", derived)
    return derived


@attrs.frozen(init=False, order=False)
class LevelOfCare(_Derived):
    """One level of care in one published scheme.

    Levels are values: two levels are equal when every field is. Levels of the same scheme are
    ordered by intensity (`rank`, 0 for the least intensive), so `<` and `max()` work; comparing
    levels of two schemes raises `SchemeMismatchError`.

    A scheme and a code identify a level, so one (scheme, code) never names two different
    levels where it matters. A level claiming a catalog scheme (``GENERIC``, ``ASAM3``,
    ``ASAM4``, ``LOCUS``) and one of that catalog's codes or aliases must be the catalog's level
    in every field: ``LevelOfCare("IOP", "Intensive outpatient ", "GENERIC", ...)``, a trailing
    space away from ``catalogs.GENERIC["IOP"]``, is refused rather than left to slip past every
    rule scoped to the real IOP. Use the catalog's level itself, or a scheme of your own for a
    level of your own. A catalog scheme with a code of your own is allowed. In a scheme of your
    own nothing is refused; instead a rule scoped to a level with the subject's scheme and code
    that differs from the subject's level reports an ERROR finding (``LEVEL-MISMATCH``) rather
    than skipping the subject. A pickled level is rebuilt through these checks, and a catalog's
    level comes back as the catalog's own object.

    Args:
        code: The scheme's own code, such as ``"2.1"`` or ``"IOP"``.
        name: The level's name in the scheme.
        scheme: The scheme's identifier (``"ASAM3"``, ``"LOCUS"``, ...).
        setting: Where care is delivered.
        overnight: Whether the client stays overnight.
        supervision: How much of the day the client is supervised.
        management: Who directs care, where the scheme says (None where it does not).
        rank: Position in the scheme's order of intensity, 0 being the least intensive.
        pathway: The chain of levels this one steps up and down within. Most schemes have one
            chain (``"main"``); ASAM's 3rd edition has a parallel withdrawal-management chain
            and opioid treatment alongside.
        concurrent: Whether the level can run alongside a placement at another level (opioid
            treatment does).
        aliases: Other codes the level is known by (older editions, state texts), accepted
            by `Continuum` look-ups but never shown as the primary code.
        adolescent_name: The level's name for adolescents, where the scheme names it apart.

    Raises:
        InvalidTypeError: a field of the wrong type.
        InvalidValueError: a field out of bounds (an empty code, a negative rank, an overnight
            outpatient level), or a level claiming a catalog's scheme and code (or alias) that
            differs from the catalog's level, naming the first field that differs.

    >>> from carecontinuum.catalogs import ASAM3
    >>> iop = ASAM3["2.1"]
    >>> iop.name, iop.is_outpatient, iop < ASAM3["2.5"]
    ('Intensive Outpatient Services', True, True)
    """

    __repr__ = value_repr
    __eq__ = value_eq
    __hash__ = _level_hash

    code: str
    name: str
    scheme: str
    # The repr shows what identifies a level; the rest is one look-up away.
    setting: Setting = attrs.field(repr=False)
    overnight: bool = attrs.field(repr=False)
    supervision: Supervision = attrs.field(repr=False)
    management: Management | None = attrs.field(repr=False)
    rank: int = attrs.field(repr=False)
    pathway: str = attrs.field(repr=False)
    concurrent: bool = attrs.field(repr=False)
    aliases: tuple[str, ...] = attrs.field(repr=False)
    adolescent_name: str | None = attrs.field(repr=False)

    def __init__(
        self,
        code: str,
        name: str,
        scheme: str,
        setting: Setting | str,
        *,
        overnight: bool,
        supervision: Supervision | str,
        management: Management | str | None = None,
        rank: int,
        pathway: str = MAIN_PATHWAY,
        concurrent: bool = False,
        aliases: tuple[str, ...] = (),
        adolescent_name: str | None = None,
    ) -> None:
        self.__attrs_init__(
            check_str("code", code),
            check_str("name", name),
            check_str("scheme", scheme),
            check_enum("setting", setting, Setting),
            check_bool("overnight", overnight),
            check_enum("supervision", supervision, Supervision),
            None if management is None else check_enum("management", management, Management),
            check_int("rank", rank, minimum=0),
            check_str("pathway", pathway),
            check_bool("concurrent", concurrent),
            _check_aliases(aliases),
            check_optional_str("adolescent_name", adolescent_name),
        )
        if overnight and self.setting in (Setting.OUTPATIENT, Setting.COMMUNITY):
            raise InvalidValueError(
                "overnight", overnight, f"False for a level in the {self.setting.value} setting"
            )
        if scheme in _CATALOG_SCHEMES:
            _check_catalog_claim(self)

    def __reduce__(self) -> tuple[Any, ...]:
        # Rebuilt through the constructor, so the checks above run on data from elsewhere.
        return (_unpickle_level, tuple(getattr(self, field) for field in _PICKLED))

    @property
    def is_outpatient(self) -> bool:
        """True for care without an overnight stay in an outpatient setting: standard
        outpatient, intensive outpatient and partial hospitalization alike.

        >>> from carecontinuum.catalogs import GENERIC
        >>> [lvl.code for lvl in GENERIC if lvl.is_outpatient]
        ['OP', 'IOP', 'PHP']
        """
        return self.setting is _OUTPATIENT and not self.overnight

    @property
    def is_24_hour(self) -> bool:
        """True when the client is supervised around the clock (residential and inpatient).

        >>> from carecontinuum.catalogs import GENERIC
        >>> GENERIC["RESIDENTIAL"].is_24_hour, GENERIC["IOP"].is_24_hour
        (True, False)
        """
        return self.supervision is Supervision.TWENTY_FOUR_HOUR

    def __str__(self) -> str:
        return summary(f"{self.scheme} {self.code} ({self.name})")

    def _rank_against(self, other: object) -> int | None:
        if not isinstance(other, LevelOfCare):
            return None
        if other.scheme != self.scheme:
            raise SchemeMismatchError(
                f"cannot compare levels of different schemes: {self.scheme!r} level "
                f"{self.code!r} and {other.scheme!r} level {other.code!r}; use crosswalk() "
                "to map between schemes"
            )
        return other.rank

    def __lt__(self, other: object) -> bool:
        rank = self._rank_against(other)
        return NotImplemented if rank is None else self.rank < rank

    def __le__(self, other: object) -> bool:
        rank = self._rank_against(other)
        return NotImplemented if rank is None else self.rank <= rank

    def __gt__(self, other: object) -> bool:
        rank = self._rank_against(other)
        return NotImplemented if rank is None else self.rank > rank

    def __ge__(self, other: object) -> bool:
        rank = self._rank_against(other)
        return NotImplemented if rank is None else self.rank >= rank


# What a pickled level holds: the constructor's positional arguments, then its keywords.
_PICKLED = ("code", "name", "scheme", *_LEVEL_FIELDS[1:])


def _unpickle_level(*fields: Any) -> LevelOfCare:
    """A pickled level, rebuilt through the constructor; a catalog's level comes back as the
    catalog's own object."""
    code, name, scheme, setting, *keywords = fields
    level = LevelOfCare(
        code, name, scheme, setting, **dict(zip(_PICKLED[4:], keywords, strict=True))
    )
    member = _CATALOG_INDEX.get(scheme, {}).get(code)
    return member if member is not None and member == level else level


def _register_catalog(continuum: Continuum) -> None:
    """Record a catalog continuum's levels, against which levels claiming its scheme are
    checked. Called once per catalog, by the catalog builder."""
    if continuum.scheme not in _CATALOG_SCHEMES:
        raise InvalidValueError(
            "continuum.scheme", continuum.scheme, f"one of {sorted(_CATALOG_SCHEMES)}"
        )
    _CATALOG_INDEX.setdefault(continuum.scheme, continuum._index)


def _check_catalog_claim(level: LevelOfCare) -> None:
    """Refuse a level that claims a catalog's scheme and one of its codes or aliases but is not
    that catalog's level, naming the first field that differs."""
    index = _CATALOG_INDEX.get(level.scheme)
    if index is None:
        from . import catalogs  # noqa: F401, PLC0415 (loads and registers the catalogs)

        index = _CATALOG_INDEX.get(level.scheme)
        if index is None:  # the catalog is being built: these are its own levels
            return
    where = f"catalogs.{level.scheme}"
    member = index.get(level.code)
    if member is None:
        for i, alias in enumerate(level.aliases):
            taken = index.get(alias)
            if taken is not None:
                raise InvalidValueError(
                    f"aliases[{i}]",
                    alias,
                    f"a code or alias no level of {where} uses ({taken} has it); a level of "
                    "your own in a catalog scheme takes codes and aliases of its own",
                )
        return
    if member == level:
        return
    use = f"{where}[{member.code!r}] itself, or a scheme of your own for a level that differs"
    if level.code != member.code:
        raise InvalidValueError(
            "code", level.code, f"{member.code!r}, the code of {member} ({level.code!r} is one "
            f"of its aliases): a level claiming {member.code!r} must be {use}",
        )  # fmt: skip
    for field in _LEVEL_FIELDS:
        value, expected = getattr(level, field), getattr(member, field)
        if value != expected:
            raise InvalidValueError(
                field,
                value,
                f"{_echo(expected, 60)}, as the level with code {level.code!r} of {where} has "
                f"it: use {use}",
            )


def _build_index(scheme: str, levels: tuple[LevelOfCare, ...]) -> dict[str, LevelOfCare]:
    index: dict[str, LevelOfCare] = {}
    ranks: set[int] = set()
    for i, level in enumerate(levels):
        if level.scheme != scheme:
            raise InvalidValueError(
                f"levels[{i}].scheme", level.scheme, f"the continuum's scheme {_echo(scheme, 40)}"
            )
        if level.rank in ranks:
            raise InvalidValueError(f"levels[{i}].rank", level.rank, "a rank no other level has")
        ranks.add(level.rank)
        for key in (level.code, *level.aliases):
            if key in index:
                raise InvalidValueError(
                    f"levels[{i}].code", key, "a code or alias no other level uses"
                )
            index[key] = level
    return index


@attrs.frozen(init=False)
class Continuum:
    """The levels of one scheme, ordered from least to most intensive.

    Look levels up by code (or alias) with ``continuum[code]``; move along a pathway with
    `step_up` and `step_down`. A scheme may have several pathways: ASAM's 3rd edition runs a
    withdrawal-management chain beside its main levels, and opioid treatment alongside both.
    `levels` lists every level of every pathway in one order of intensity (`LevelOfCare.rank`);
    stepping stays within the level's own pathway.

    A continuum of your own (a state's levels, a "3.7x") takes part in `crosswalk` by carrying
    `to_generic`, its levels' counterparts on the generic continuum (`catalogs.GENERIC`, the
    pivot every scheme maps to): nothing is registered anywhere, the continuum carries its
    mapping wherever it goes, through `to_dict` and `from_dict` too. A level mapped to one
    generic level corresponds to it exactly; one mapped to several, approximately; one mapped
    to none has no generic counterpart. Crosswalks between it and any other scheme go through
    the generic continuum and are always approximate.

    Args:
        scheme: The scheme's identifier; every level must carry it.
        name: A readable name of the scheme.
        levels: The levels, in any order; they are kept sorted by rank.
        source: The citation the levels come from.
        to_generic: For a continuum of your own, each level's code mapped to the codes of
            its generic counterparts (``{"3.7x": ("RESIDENTIAL",)}``), every level mapped;
            a generic alias is kept as the primary code it names. None (or empty) for no
            mapping; a catalog's scheme takes none (its tables are the library's).

    Raises:
        InvalidTypeError, InvalidValueError: a malformed argument; for `to_generic`, a key that
            is not a primary code of the levels, a level left out, or a value that names no
            generic level (named like ``to_generic['3.7x'][0]``).

    >>> from carecontinuum.catalogs import GENERIC
    >>> [lvl.code for lvl in GENERIC.levels]
    ['RECOVERY', 'OP', 'IOP', 'PHP', 'RESIDENTIAL', 'DETOX', 'INPATIENT']
    >>> GENERIC.step_down(GENERIC["PHP"]).code
    'IOP'
    """

    __eq__ = value_eq
    __hash__ = value_hash

    scheme: str
    name: str
    levels: tuple[LevelOfCare, ...]
    source: str
    to_generic: FrozenMap[str, tuple[str, ...]] = attrs.field(repr=False)
    _index: Mapping[str, LevelOfCare] = attrs.field(init=False, eq=False, repr=False, hash=False)
    _pathways: Mapping[str, tuple[LevelOfCare, ...]] = attrs.field(
        init=False, eq=False, repr=False, hash=False
    )

    def __init__(
        self,
        scheme: str,
        name: str,
        levels: object,
        source: str,
        *,
        to_generic: Mapping[str, Iterable[str] | str] | None = None,
    ) -> None:
        check_str("scheme", scheme)
        if isinstance(levels, (str, bytes)) or not isinstance(levels, Iterable):
            raise InvalidTypeError("levels", levels, "a sequence of LevelOfCare")
        items = tuple(levels)
        if not items:
            raise InvalidValueError("levels", items, "at least one level")
        for i, level in enumerate(items):
            if not isinstance(level, LevelOfCare):
                raise InvalidTypeError(f"levels[{i}]", level, "a LevelOfCare")
        ordered = tuple(sorted(items, key=lambda lvl: lvl.rank))
        index = _build_index(scheme, ordered)
        pathways: dict[str, list[LevelOfCare]] = {}
        for level in ordered:
            pathways.setdefault(level.pathway, []).append(level)
        self.__attrs_init__(
            scheme,
            check_str("name", name),
            ordered,
            check_str("source", source),
            _check_to_generic(scheme, ordered, to_generic),
        )
        object.__setattr__(self, "_index", MappingProxyType(index))
        object.__setattr__(
            self, "_pathways", MappingProxyType({k: tuple(v) for k, v in pathways.items()})
        )

    def __getitem__(self, code: str) -> LevelOfCare:
        try:
            return self._index[code]
        except (KeyError, TypeError):
            raise UnknownLevelError(code, self.scheme, self._suggest(code)) from None

    def _suggest(self, code: object) -> list[str]:
        """Up to three codes or aliases closest to `code`, the most alike first and, at equal
        likeness, the less intensive first."""
        import difflib  # noqa: PLC0415 (only on the error path: keeps the import cheap)

        text = _suggestion_text(code)
        if text is None:  # not text, or too long to be a typo of a code (no suggestion)
            return []
        lowered = text.lower()
        by_case = [k for k in self._index if k.lower() == lowered]
        if by_case:
            return by_case
        by_meaning = self._generic_hint(text)
        if by_meaning:
            return by_meaning
        scored = []
        for key, level in self._index.items():
            if not _may_be_alike(text, key):
                continue
            score = difflib.SequenceMatcher(None, text, key).ratio()
            if score >= 0.5:  # difflib's customary cutoff for "close"
                scored.append((-score, level.rank, key != level.code, key))
        return [key for *_, key in sorted(scored)[:3]]

    def _generic_hint(self, text: str) -> list[str]:
        """For a generic code looked up in another scheme ("IOP" in ASAM3), that scheme's
        corresponding codes: string likeness would point "IOP" at "OTP"."""
        # Imported here, on the error path only: the catalogs are built from this module.
        from ._crosswalk import crosswalk  # noqa: PLC0415
        from .catalogs import GENERIC  # noqa: PLC0415

        generic = GENERIC.get(text.upper())
        if generic is None or self.scheme == GENERIC.scheme:
            return []
        try:
            return [level.code for level in crosswalk(generic, to=self)]
        except CareContinuumError:  # a scheme with no crosswalk table
            return []

    def __contains__(self, item: object) -> bool:
        if isinstance(item, LevelOfCare):
            return self._index.get(item.code) == item
        return isinstance(item, str) and item in self._index

    def __iter__(self) -> Iterator[LevelOfCare]:
        return iter(self.levels)

    def __len__(self) -> int:
        return len(self.levels)

    @overload
    def get(self, code: str) -> LevelOfCare | None: ...
    @overload
    def get(self, code: str, default: LevelOfCare) -> LevelOfCare: ...
    def get(self, code: str, default: LevelOfCare | None = None) -> LevelOfCare | None:
        """Return the level with this code or alias, or `default` when there is none.

        >>> from carecontinuum.catalogs import ASAM3
        >>> ASAM3.get("III.7-D").code, ASAM3.get("9.9")
        ('3.7-WM', None)
        """
        return self._index.get(code, default) if isinstance(code, str) else default

    @property
    def codes(self) -> tuple[str, ...]:
        """The primary codes, least intensive first.

        >>> from carecontinuum.catalogs import LOCUS
        >>> LOCUS.codes
        ('0', '1', '2', '3', '4', '5', '6')
        """
        return tuple(level.code for level in self.levels)

    @property
    def pathways(self) -> Mapping[str, tuple[LevelOfCare, ...]]:
        """Each pathway's levels, least intensive first (a read-only mapping).

        >>> from carecontinuum.catalogs import ASAM3
        >>> [lvl.code for lvl in ASAM3.pathways["withdrawal management"]]
        ['1-WM', '2-WM', '3.2-WM', '3.7-WM', '4-WM']
        """
        return self._pathways

    def level(self, level: LevelOfCare | str) -> LevelOfCare:
        """Return the member level for a level or a code, checking that it belongs here.

        Raises:
            UnknownLevelError: a code, or a level of this scheme, that is not in the continuum.
            SchemeMismatchError: a level of another scheme.
            InvalidTypeError: anything else.

        >>> from carecontinuum.catalogs import ASAM4
        >>> ASAM4.level("2.5").name
        'High-Intensity Outpatient'
        """
        if isinstance(level, str):
            return self[level]
        if not isinstance(level, LevelOfCare):
            raise self._not_a_level(level)
        if self._index.get(level.code) is level:  # the member itself: the common case
            return level
        if level.scheme != self.scheme:
            raise SchemeMismatchError(
                f"level {level.code!r} belongs to scheme {level.scheme!r}, not to "
                f"{self.scheme!r}; use crosswalk() to map between schemes"
            )
        if self._index.get(level.code) != level:
            raise UnknownLevelError(level.code, self.scheme, self._suggest(level.code))
        return level

    def _not_a_level(self, level: object, field: str = "level") -> InvalidTypeError:
        """The error for `level`, neither a level nor a code: a number is told that codes are
        strings (``2.1`` is ``'2.1'``)."""
        hint = _code_hint(level, "level codes", tuple(self._index), self.scheme)
        return InvalidTypeError(field, level, f"a LevelOfCare or a level code ({hint})")

    def _neighbour(self, level: LevelOfCare | str, step: int) -> LevelOfCare | None:
        member = self.level(level)
        chain = self._pathways[member.pathway]
        position = chain.index(member) + step
        return chain[position] if 0 <= position < len(chain) else None

    def step_up(self, level: LevelOfCare | str) -> LevelOfCare | None:
        """The next more intensive level on the same pathway, or None at the top.

        >>> from carecontinuum.catalogs import ASAM3
        >>> ASAM3.step_up("2.1").code, ASAM3.step_up("2-WM").code, ASAM3.step_up("4")
        ('2.5', '3.2-WM', None)
        """
        return self._neighbour(level, +1)

    def step_down(self, level: LevelOfCare | str) -> LevelOfCare | None:
        """The next less intensive level on the same pathway, or None at the bottom.

        >>> from carecontinuum.catalogs import GENERIC
        >>> GENERIC.step_down("IOP").code, GENERIC.step_down("RECOVERY")
        ('OP', None)
        """
        return self._neighbour(level, -1)

    def __repr__(self) -> str:
        return f"Continuum({self.scheme!r}, levels=[{listing(self.codes, len(self.codes))}])"

    def __str__(self) -> str:
        """The scheme, its name, its levels from least to most intensive and its pathways.

        >>> from carecontinuum.catalogs import ASAM3
        >>> str(ASAM3)
        'ASAM3 continuum (ASAM Criteria, 3rd edition): 15 levels, 0.5 to 4-WM, 3 pathways'
        """
        first, last = self.levels[0].code, self.levels[-1].code
        span = (
            first if len(self.levels) == 1 else f"{clip(line(first), 12)} to {clip(line(last), 12)}"
        )
        count = len(self.levels)
        ways = len(self._pathways)
        return summary(
            f"{self.scheme} continuum ({clip(line(self.name), 50)}): "
            f"{count} level{'s' if count != 1 else ''}",
            span,
            f"{ways} pathways" if ways > 1 else "",
        )

    def _repr_svg_(self) -> str:
        """The continuum as an SVG ladder, for notebooks: levels from least intensive (bottom)
        to most (top), pathways side by side, concurrent levels dashed and labelled.

        >>> from carecontinuum.catalogs import GENERIC
        >>> svg = GENERIC._repr_svg_()
        >>> svg.startswith("<svg"), "RESIDENTIAL" in svg
        (True, True)
        """
        from ._display import continuum_svg  # noqa: PLC0415 (display code loads only when a notebook asks)

        return continuum_svg(self)

    def __reduce__(self) -> tuple[Any, ...]:
        if not self.to_generic:
            return (Continuum, (self.scheme, self.name, self.levels, self.source))
        return (_unpickle_continuum, (self.scheme, self.name, self.levels, self.source,
                                      dict(self.to_generic)))  # fmt: skip


def _unpickle_continuum(
    scheme: str,
    name: str,
    levels: tuple[LevelOfCare, ...],
    source: str,
    to_generic: Mapping[str, tuple[str, ...]],
) -> Continuum:
    return Continuum(scheme, name, levels, source, to_generic=to_generic)


def _check_to_generic(
    scheme: str, levels: tuple[LevelOfCare, ...], value: object
) -> FrozenMap[str, tuple[str, ...]]:
    """A continuum's mapping to the generic continuum: every level's primary code mapped to
    generic codes (an alias kept as its level's code), for a scheme that is not a catalog's."""
    if value is None:
        return _NO_MAPPING
    if not isinstance(value, Mapping):
        raise InvalidTypeError(
            "to_generic", value, "a mapping of level codes to generic codes, or None"
        )
    if not value:
        return _NO_MAPPING
    if scheme in _CATALOG_SCHEMES:
        raise InvalidValueError(
            "to_generic", dict(value), f"None for a catalog's scheme ({scheme!r} "
            "maps through the library's own tables); a continuum of your own takes a scheme "
            "of its own",
        )  # fmt: skip
    from .catalogs import GENERIC  # noqa: PLC0415 (the catalogs are built from this module)

    codes = [level.code for level in levels]
    mapping: dict[str, tuple[str, ...]] = {}
    for key, targets in value.items():
        if key not in codes:
            raise InvalidValueError(
                "to_generic",
                key,
                f"keyed by the levels' primary codes ({listing(map(repr, codes), len(codes))})",
            )
        field = f"to_generic[{key!r}]"
        items = (targets,) if isinstance(targets, str) else targets
        if not isinstance(items, Iterable):
            raise InvalidTypeError(field, targets, "a generic code or a tuple of generic codes")
        found: list[str] = []
        for i, code in enumerate(tuple(items)):
            check_str(f"{field}[{i}]", code)
            level = GENERIC.get(code)
            if level is None:
                raise InvalidValueError(
                    f"{field}[{i}]",
                    code,
                    f"a code of catalogs.GENERIC ({', '.join(GENERIC.codes)})",
                )
            if level.code not in found:
                found.append(level.code)
        mapping[key] = tuple(sorted(found, key=lambda c: GENERIC[c].rank))
    missing = [code for code in codes if code not in mapping]
    if missing:
        raise InvalidValueError(
            "to_generic", dict(value),
            f"a mapping for every level (missing {listing(map(repr, missing), len(missing))}; "
            "map a level with no generic counterpart to ())",
        )  # fmt: skip
    return FrozenMap({code: mapping[code] for code in codes})


_NO_MAPPING: FrozenMap[str, tuple[str, ...]] = FrozenMap()
