"""Assessments rated on a scheme's dimensions (ASAM 3rd and 4th editions, LOCUS), and placement:
the level of care a policy recommends from them, why, and the level actually chosen."""

from __future__ import annotations

import enum
import itertools
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Protocol, runtime_checkable

import attrs

from ._errors import InvalidTypeError, InvalidValueError, SchemeMismatchError
from ._frozen import FrozenMap, value_eq, value_hash
from ._levels import Continuum, LevelOfCare
from ._rules import Finding, Severity, Source
from ._text import clip, line, summary, value_repr
from ._validators import (
    _MAX_NUMBER,
    check_day,
    check_enum,
    check_instance,
    check_int,
    check_optional_str,
    check_str,
    tuple_of,
)

__all__ = [
    "Assessment",
    "DeviationReason",
    "Dimension",
    "LocusPolicy",
    "NeedsPolicy",
    "Placement",
    "PlacementPolicy",
    "PlacementReason",
    "dimensions",
    "place",
]


# Dimension names only (never criteria text): scheme -> code -> name, in the scheme's order.
_NAMES: dict[str, dict[str, str]] = {
    "ASAM3": {
        "1": "Acute Intoxication and/or Withdrawal Potential",
        "2": "Biomedical Conditions and Complications",
        "3": "Emotional, Behavioral, or Cognitive Conditions and Complications",
        "4": "Readiness to Change",
        "5": "Relapse, Continued Use, or Continued Problem Potential",
        "6": "Recovery/Living Environment",
    },
    "ASAM4": {
        "1": "Intoxication, Withdrawal, and Addiction Medications",
        "2": "Biomedical Conditions",
        "3": "Psychiatric and Cognitive Conditions",
        "4": "Substance Use-Related Risks",
        "5": "Recovery Environment Interactions",
        "6": "Person-Centered Considerations",
    },
    "LOCUS": {
        "I": "Risk of Harm",
        "II": "Functional Status",
        "III": "Medical, Addictive and Psychiatric Co-Morbidity",
        "IV-A": "Recovery Environment: Level of Stress",
        "IV-B": "Recovery Environment: Level of Support",
        "V": "Treatment and Recovery History",
        "VI": "Engagement and Recovery Status",
    },
}

# Rating scale per scheme: (lowest, highest); None: no published ceiling found (ASAM 4th
# edition), so the placement policy owns the scale.
_SCALES: dict[str, tuple[int, int | None]] = {
    "ASAM3": (0, 4),
    "ASAM4": (0, None),
    "LOCUS": (1, 5),
}

# Each scheme's scale as inclusive bounds (a scale open above ends where every number does).
_BOUNDS = {
    scheme: (low, _MAX_NUMBER if high is None else high) for scheme, (low, high) in _SCALES.items()
}

_SCHEMES = ", ".join(repr(s) for s in _NAMES)


def _scheme_names(field: str, scheme: object) -> dict[str, str]:
    names = _NAMES.get(check_str(field, scheme))
    if names is None:
        raise InvalidValueError(field, scheme, f"one of {_SCHEMES}")
    return names


def _codes_text(scheme: str) -> str:
    return ", ".join(repr(code) for code in _NAMES[scheme])


def _check_rating(field: str, scheme: str, value: object) -> int:
    low, high = _SCALES[scheme]
    rating = check_int(field, value)
    if rating < low or (high is not None and rating > high):
        scale = f"from {low} to {high}" if high is not None else f"of {low} or more"
        raise InvalidValueError(field, value, f"an {scheme} rating {scale}")
    return rating


# ---- dimensions -----------------------------------------------------------------------------


@attrs.frozen(init=False)
class Dimension:
    """One assessment dimension of a scheme, by code and name (names only: the criteria text
    behind them is licensed and not reproduced).

    ASAM's 3rd and 4th editions both number six dimensions ``"1"`` to ``"6"`` but name them
    differently; LOCUS numbers six in roman numerals and rates its fourth twice, so it has
    seven codes: ``"I"``, ``"II"``, ``"III"``, ``"IV-A"`` (level of stress), ``"IV-B"``
    (level of support), ``"V"``, ``"VI"``. The name is looked up from the scheme and code.

    Args:
        scheme: ``"ASAM3"``, ``"ASAM4"`` or ``"LOCUS"``.
        code: The dimension's code in that scheme.

    Raises:
        InvalidTypeError, InvalidValueError: an unknown scheme or code.

    >>> Dimension("ASAM3", "4").name
    'Readiness to Change'
    >>> Dimension("ASAM4", "6").name
    'Person-Centered Considerations'
    >>> str(Dimension("LOCUS", "IV-B"))
    'LOCUS dimension IV-B (Recovery Environment: Level of Support)'
    """

    __repr__ = value_repr
    __eq__ = value_eq
    __hash__ = value_hash

    scheme: str
    code: str
    name: str = attrs.field(init=False)

    def __init__(self, scheme: str, code: str) -> None:
        names = _scheme_names("scheme", scheme)
        check_str("code", code)
        if code not in names:
            raise InvalidValueError("code", code, f"one of the dimension codes of scheme {scheme}")
        self.__attrs_init__(scheme, code)
        object.__setattr__(self, "name", names[code])

    def __str__(self) -> str:
        return summary(f"{self.scheme} dimension {self.code} ({self.name})")


_DIMENSIONS: dict[str, tuple[Dimension, ...]] = {
    scheme: tuple(Dimension(scheme, code) for code in names) for scheme, names in _NAMES.items()
}


def dimensions(scheme: str) -> tuple[Dimension, ...]:
    """The dimensions a scheme rates, in the scheme's order.

    Args:
        scheme: ``"ASAM3"``, ``"ASAM4"`` or ``"LOCUS"``.

    Raises:
        InvalidTypeError, InvalidValueError: an unknown scheme, naming ``scheme``.

    >>> [d.code for d in dimensions("LOCUS")]
    ['I', 'II', 'III', 'IV-A', 'IV-B', 'V', 'VI']
    >>> dimensions("ASAM3")[2].name
    'Emotional, Behavioral, or Cognitive Conditions and Complications'
    """
    _scheme_names("scheme", scheme)
    return _DIMENSIONS[scheme]


# ---- assessments ----------------------------------------------------------------------------


def _check_ratings(scheme: str, ratings: object) -> FrozenMap[str, int]:
    if type(ratings) is not dict and not isinstance(ratings, Mapping):
        raise InvalidTypeError("ratings", ratings, "a mapping of dimension code to rating")
    names = _NAMES[scheme]
    if ratings.keys() != names.keys():  # else each of the scheme's codes, and nothing else
        _check_codes(scheme, ratings)
    # Kept in the scheme's order whatever order they came in, so reprs read alike. A plain int
    # on the scale is taken as it is; anything else is checked, and named, by _check_rating.
    low, high = _BOUNDS[scheme]
    checked: list[tuple[str, int]] = []
    for code in names:
        rating = ratings[code]
        if type(rating) is not int or not low <= rating <= high:
            rating = _check_rating(f"ratings[{code!r}]", scheme, rating)
        checked.append((code, rating))
    return FrozenMap(checked)


def _check_codes(scheme: str, ratings: Mapping[object, object]) -> None:
    """Raise for the first key of `ratings` that is not a code of the scheme, or else for the
    codes it misses."""
    names = _NAMES[scheme]
    for key in ratings:
        if not isinstance(key, str):
            raise InvalidTypeError(
                f"ratings[{key!r}]", key, f"a dimension code (one of {_codes_text(scheme)})"
            )
        if key not in names:
            raise InvalidValueError(
                f"ratings[{key!r}]",
                key,
                f"one of the dimension codes of scheme {scheme} ({_codes_text(scheme)})",
            )
    missing = [code for code in names if code not in ratings]
    if missing:
        raise InvalidValueError(
            "ratings",
            dict(ratings),
            f"a rating for every {scheme} dimension; missing {', '.join(map(repr, missing))}",
        )


_check_day = check_day


@attrs.frozen(init=False)
class Assessment:
    """A client's ratings on every dimension of one scheme, on one day.

    Rating scales: ASAM's 3rd edition rates risk from 0 (none) to 4 (severe); LOCUS rates each
    dimension from 1 to 5. The 4th edition's rating scale was not found in any source the
    library could check, so 4th-edition assessments accept any non-negative integer and leave
    the scale to the placement policy (the default `NeedsPolicy` table serves ratings 0 to 4 and
    refuses higher ones, naming the dimension).

    Args:
        scheme: ``"ASAM3"``, ``"ASAM4"`` or ``"LOCUS"``.
        ratings: Dimension code -> rating, for every dimension of the scheme (see `dimensions`):
            ``"1"``-``"6"`` for ASAM, ``"I"``, ``"II"``, ``"III"``, ``"IV-A"``, ``"IV-B"``,
            ``"V"``, ``"VI"`` for LOCUS. Ratings are ints; bools and floats are refused. They
            are kept as a read-only mapping in the scheme's order.
        on: The day of the assessment: a date or an ISO 8601 date 'YYYY-MM-DD' (a datetime
            is refused: assessments are dated by day).
        client_id: An optional identifier of the client.

    Raises:
        InvalidTypeError, InvalidValueError: an unknown scheme; a ratings entry that is not an
            int, out of the scheme's range or for an unknown dimension, named like
            ``ratings['3']``; missing dimensions (all of them listed); ``on`` not a date.

    >>> from datetime import date
    >>> a = Assessment("LOCUS", {"I": 2, "II": 3, "III": 1, "IV-A": 3, "IV-B": 2, "V": 2,
    ...                          "VI": 3}, date(2024, 5, 1), client_id="c-17")
    >>> a.rating("IV-A"), a.composite
    (3, 16)
    >>> Assessment("ASAM3", {"1": 0, "2": 0, "3": 2, "4": 1, "5": 2, "6": 1},
    ...            date(2024, 5, 1)).composite is None
    True
    """

    __repr__ = value_repr
    __eq__ = value_eq
    __hash__ = value_hash

    scheme: str
    ratings: FrozenMap[str, int]
    on: date
    client_id: str | None

    def __init__(
        self,
        scheme: str,
        ratings: Mapping[str, int],
        on: date | str,
        *,
        client_id: str | None = None,
    ) -> None:
        _scheme_names("scheme", scheme)
        self.__attrs_init__(
            scheme,
            _check_ratings(scheme, ratings),
            _check_day("on", on),
            check_optional_str("client_id", client_id),
        )

    @property
    def dimensions(self) -> tuple[Dimension, ...]:
        """The scheme's dimensions, in order.

        >>> from datetime import date
        >>> a = Assessment("ASAM4", dict.fromkeys("123456", 1), date(2024, 5, 1))
        >>> a.dimensions[3].name
        'Substance Use-Related Risks'
        """
        return _DIMENSIONS[self.scheme]

    def rating(self, code: str | Dimension) -> int:
        """The rating of one dimension, by code or `Dimension`.

        Raises:
            InvalidTypeError, InvalidValueError: not a dimension code of the scheme, naming
                ``code``.
            SchemeMismatchError: a `Dimension` of another scheme.

        >>> from datetime import date
        >>> a = Assessment("ASAM3", {"1": 0, "2": 0, "3": 3, "4": 1, "5": 2, "6": 1},
        ...                date(2024, 5, 1))
        >>> a.rating("3"), a.rating(Dimension("ASAM3", "5"))
        (3, 2)
        """
        if isinstance(code, Dimension):
            if code.scheme != self.scheme:
                raise SchemeMismatchError(
                    f"{code} is not a dimension of this {self.scheme} assessment"
                )
            code = code.code
        if not isinstance(code, str):
            raise InvalidTypeError("code", code, "a dimension code or a Dimension")
        if code not in self.ratings:
            raise InvalidValueError(
                "code",
                code,
                f"one of the dimension codes of scheme {self.scheme} ({_codes_text(self.scheme)})",
            )
        return self.ratings[code]

    def __str__(self) -> str:
        """The scheme, the client, the day and every rating, in the scheme's order.

        >>> from datetime import date
        >>> print(Assessment("ASAM3", {"1": 0, "2": 0, "3": 2, "4": 1, "5": 2, "6": 1},
        ...                  date(2024, 5, 1), client_id="c-17"))
        ASAM3 assessment of client c-17 on 2024-05-01: 1:0 2:0 3:2 4:1 5:2 6:1
        """
        who = f" of client {clip(line(self.client_id), 24)}" if self.client_id else ""
        ratings = " ".join(f"{code}:{rating}" for code, rating in self.ratings.items())
        composite = self.composite
        return summary(
            f"{self.scheme} assessment{who} on {self.on}: {ratings}",
            f"composite {composite}" if composite is not None else "",
        )

    @property
    def composite(self) -> int | None:
        """LOCUS: the composite score, the sum of the seven ratings (7 to 35). None for the
        other schemes, which have no composite.

        >>> from datetime import date
        >>> Assessment("LOCUS", dict.fromkeys(["I", "II", "III", "IV-A", "IV-B", "V", "VI"], 5),
        ...            date(2024, 5, 1)).composite
        35
        """
        return sum(self.ratings.values()) if self.scheme == "LOCUS" else None


# ---- placements -----------------------------------------------------------------------------


class DeviationReason(enum.Enum):
    """Why the level chosen differs from the level recommended, as clinic software records it.

    >>> DeviationReason.SERVICE_UNAVAILABLE.value
    'service unavailable'
    """

    __hash__ = object.__hash__  # members are singletons: hashed by identity, in C

    #: The recommended level is not available (no bed, no program nearby, a waiting list).
    SERVICE_UNAVAILABLE = "service unavailable"
    #: The client chose another level.
    CLIENT_PREFERENCE = "client preference"
    #: The payer authorised another level.
    PAYER_DECISION = "payer decision"
    #: A court ordered the level.
    COURT_ORDER = "court order"
    #: The clinician judged another level more appropriate.
    CLINICAL_JUDGEMENT = "clinical judgement"
    #: Any other reason; a note saying which is required.
    OTHER = "other"


def _check_level(field: str, value: object, scheme: str) -> LevelOfCare:
    level = check_instance(field, value, LevelOfCare, "a LevelOfCare")
    if level.scheme != scheme:
        raise SchemeMismatchError(
            f"{field!r} is {level} but the assessment is rated on {scheme}; a placement's "
            "levels must be of the assessment's scheme (use crosswalk() to map between schemes)"
        )
    return level


@attrs.frozen(init=False)
class PlacementReason:
    """One line of a placement's rationale: the level one dimension's rating needs by itself.

    Args:
        dimension: The dimension.
        rating: Its rating in the assessment.
        needs: The least intensive level that this rating alone requires, under the policy.
        note: A sentence saying why.
        warning: A caution about this line that a clinician should act on, or None: the
            policy's doubt that the recommendation serves this rating (`LocusPolicy` without
            floors warns on a LOCUS rating of 5, and of 4 on Risk of Harm). `Placement.warnings`
            gathers them as WARNING findings.

    Raises:
        InvalidTypeError, InvalidValueError: a malformed field, named in the message.
        SchemeMismatchError: ``needs`` is a level of another scheme than the dimension.

    >>> from carecontinuum.catalogs import ASAM3
    >>> reason = PlacementReason(Dimension("ASAM3", "3"), 3, ASAM3["3.3"], "the least serving 3")
    >>> str(reason)
    'ASAM3 dimension 3: rating 3 needs 3.3: the least serving 3'
    """

    __repr__ = value_repr
    __eq__ = value_eq
    __hash__ = value_hash

    dimension: Dimension
    rating: int
    needs: LevelOfCare
    note: str
    warning: str | None

    def __init__(
        self,
        dimension: Dimension,
        rating: int,
        needs: LevelOfCare,
        note: str,
        *,
        warning: str | None = None,
    ) -> None:
        check_instance("dimension", dimension, Dimension, "a Dimension")
        self.__attrs_init__(
            dimension,
            _check_rating("rating", dimension.scheme, rating),
            _check_level("needs", needs, dimension.scheme),
            check_str("note", note),
            check_optional_str("warning", warning),
        )

    def __str__(self) -> str:
        text = (
            f"{self.dimension.scheme} dimension {self.dimension.code}: rating {self.rating} "
            f"needs {self.needs.code}"
        )
        warning = f" (warning: {self.warning})" if self.warning is not None else ""
        return summary(f"{text}{warning}: {self.note}")


def _check_choice(
    recommended: LevelOfCare,
    chosen: object,
    reason: object,
    note: object,
    fields: tuple[str, str, str],
) -> tuple[LevelOfCare, DeviationReason | None, str | None]:
    """Check a chosen level against the recommended one: a different level needs a reason,
    OTHER needs a note, and no reason or note is recorded when nothing deviates."""
    level_field, reason_field, note_field = fields
    level = _check_level(level_field, chosen, recommended.scheme)
    why = None if reason is None else check_enum(reason_field, reason, DeviationReason)
    text = check_optional_str(note_field, note)
    if level == recommended:
        if why is not None:
            raise InvalidValueError(
                reason_field, why, "None when the chosen level is the recommended one"
            )
        if text is not None:
            raise InvalidValueError(note_field, text, "None when nothing deviates")
    elif why is None:
        raise InvalidValueError(
            reason_field,
            None,
            f"a DeviationReason, as the chosen level {level.code} differs from the "
            f"recommended {recommended.code}",
        )
    elif why is DeviationReason.OTHER and text is None:
        raise InvalidValueError(note_field, None, "a note saying why, for DeviationReason.OTHER")
    return level, why, text


@attrs.frozen(init=False)
class Placement:
    """A policy's recommendation for one assessment, with its rationale, and the level chosen.

    The rules the clinic records keep: the recommended level is never less intensive than the
    level any dimension's rating needs by itself; the chosen level starts as the recommended
    one, and a chosen level that differs carries a `DeviationReason` (and a note when the
    reason is `DeviationReason.OTHER`). Use `choose` to record the level actually chosen; it
    returns a new placement.

    Args:
        assessment: The assessment placed.
        recommended: The level the policy recommends.
        rationale: One `PlacementReason` per dimension of the assessment, in the scheme's order.
        drivers: The dimensions whose need alone requires the recommended level (each one's
            rationale needs exactly `recommended`). Empty when no single dimension requires it,
            as when a LOCUS composite decides. Kept in the scheme's order.
        policy: The name of the policy that recommended it.
        chosen: The level chosen; the recommended one when omitted.
        deviation: Why the chosen level differs; required when it does, refused when not.
        deviation_note: Free text about the deviation; required for `DeviationReason.OTHER`.

    Raises:
        InvalidTypeError, InvalidValueError: a malformed field, named in the message.
        SchemeMismatchError: a level of another scheme than the assessment.

    >>> from datetime import date
    >>> from carecontinuum.catalogs import ASAM3
    >>> a = Assessment("ASAM3", {"1": 0, "2": 0, "3": 2, "4": 1, "5": 1, "6": 1}, date(2024, 5, 1))
    >>> p = place(a, ASAM3)
    >>> p.recommended.code, [d.code for d in p.drivers], p.deviates
    ('2.1', ['3'], False)
    >>> later = p.choose(ASAM3["1"], DeviationReason.SERVICE_UNAVAILABLE, "IOP waiting list")
    >>> later.chosen.code, later.deviates, later.deviation.value
    ('1', True, 'service unavailable')
    """

    __repr__ = value_repr
    __eq__ = value_eq
    __hash__ = value_hash

    assessment: Assessment = attrs.field(repr=False)
    recommended: LevelOfCare
    rationale: tuple[PlacementReason, ...] = attrs.field(repr=False)
    drivers: tuple[Dimension, ...] = attrs.field(repr=False)
    policy: str
    chosen: LevelOfCare
    deviation: DeviationReason | None
    deviation_note: str | None

    def __init__(
        self,
        assessment: Assessment,
        recommended: LevelOfCare,
        rationale: Sequence[PlacementReason],
        drivers: Sequence[Dimension],
        policy: str,
        *,
        chosen: LevelOfCare | None = None,
        deviation: DeviationReason | str | None = None,
        deviation_note: str | None = None,
    ) -> None:
        check_instance("assessment", assessment, Assessment, "an Assessment")
        scheme = assessment.scheme
        top = _check_level("recommended", recommended, scheme)
        reasons = tuple_of("rationale", rationale, PlacementReason, "a PlacementReason")
        dims = assessment.dimensions
        if tuple(r.dimension for r in reasons) != dims:
            raise InvalidValueError(
                "rationale",
                reasons,
                f"one PlacementReason per {scheme} dimension, in order ({_codes_text(scheme)})",
            )
        for i, reason in enumerate(reasons):
            if reason.rating != assessment.ratings[reason.dimension.code]:
                raise InvalidValueError(
                    f"rationale[{i}].rating",
                    reason.rating,
                    f"the assessment's rating of dimension {reason.dimension.code} "
                    f"({assessment.ratings[reason.dimension.code]})",
                )
            if reason.needs > top:
                raise InvalidValueError(
                    "recommended",
                    top,
                    f"a level at least as intensive as {reason.needs.code}, which dimension "
                    f"{reason.dimension.code} needs by itself",
                )
        given = tuple_of("drivers", drivers, Dimension, "a Dimension")
        for i, dim in enumerate(given):
            if dim not in dims:
                raise InvalidValueError(f"drivers[{i}]", dim, f"a dimension of the {scheme} scheme")
            if reasons[dims.index(dim)].needs != top:
                raise InvalidValueError(
                    f"drivers[{i}]",
                    dim,
                    f"a dimension whose need alone requires the recommended level {top.code}",
                )
        if len(set(given)) != len(given):
            raise InvalidValueError("drivers", given, "each dimension at most once")
        level, why, text = _check_choice(
            top,
            top if chosen is None else chosen,
            deviation,
            deviation_note,
            ("chosen", "deviation", "deviation_note"),
        )
        self.__attrs_init__(
            assessment,
            top,
            reasons,
            tuple(d for d in dims if d in given),
            check_str("policy", policy),
            level,
            why,
            text,
        )

    @property
    def warnings(self) -> tuple[Finding, ...]:
        """The rationale's warnings, one WARNING `Finding` per line that carries one (path
        ``rationale[i]``), in the scheme's order of dimensions; empty when none does.

        `LocusPolicy` without floors warns wherever the composite alone may under-place a
        client: a rating of 5 on any dimension, or of 4 on Risk of Harm, that no floor covers.

        >>> from datetime import date
        >>> from carecontinuum.catalogs import LOCUS
        >>> a = Assessment("LOCUS", {"I": 5, "II": 2, "III": 1, "IV-A": 2, "IV-B": 2, "V": 1,
        ...                          "VI": 2}, date(2024, 5, 1))
        >>> [(f.severity.name, f.path) for f in place(a, LOCUS).warnings]
        [('WARNING', 'rationale[0]')]
        """
        return tuple(
            Finding(
                _UNDER_PLACE_ID if reason.dimension.scheme == "LOCUS" else "PLACEMENT-WARNING",
                Severity.WARNING,
                f"{reason.dimension}, rating {reason.rating}: {reason.warning}",
                expected="a placement that serves every rating",
                found=f"{self.recommended} recommended by {self.policy}",
                path=f"rationale[{i}]",
                source=_LOCUS_FLOORS_SOURCE
                if reason.dimension.scheme == "LOCUS"
                else Source(self.policy),
            )
            for i, reason in enumerate(self.rationale)
            if reason.warning is not None
        )

    def __str__(self) -> str:
        """The level recommended, the policy, the dimensions that drove it and the level
        chosen with the reason when it differs.

        >>> from datetime import date
        >>> from carecontinuum.catalogs import ASAM3
        >>> a = Assessment("ASAM3", {"1": 0, "2": 0, "3": 2, "4": 1, "5": 1, "6": 1},
        ...                date(2024, 5, 1))
        >>> print(place(a, ASAM3).choose(ASAM3["1"], DeviationReason.SERVICE_UNAVAILABLE))
        ASAM3 2.1 recommended (driven by dimension 3), chosen 1 (service unavailable)
        """
        level = self.recommended
        drivers = ", ".join(d.code for d in self.drivers)
        driven = f" (driven by dimension{'s' if len(self.drivers) > 1 else ''} {drivers})"
        chosen = ""
        if self.deviates:
            why = f" ({self.deviation.value})" if self.deviation is not None else ""
            chosen = f"chosen {self.chosen.code}{why}"
        return summary(
            f"{level.scheme} {level.code} recommended" + (driven if self.drivers else ""), chosen
        )

    @property
    def deviates(self) -> bool:
        """True when the chosen level differs from the recommended one.

        >>> from datetime import date
        >>> from carecontinuum.catalogs import ASAM3
        >>> a = Assessment("ASAM3", dict.fromkeys("123456", 0), date(2024, 5, 1))
        >>> place(a, ASAM3).deviates
        False
        """
        return self.chosen != self.recommended

    def choose(
        self,
        level: LevelOfCare,
        reason: DeviationReason | str | None = None,
        note: str | None = None,
    ) -> Placement:
        """A new placement recording the level actually chosen.

        Choosing the recommended level takes no reason (and none is accepted); any other level
        of the scheme needs a `DeviationReason`, and `DeviationReason.OTHER` needs a note.
        Choosing again replaces the earlier choice.

        Args:
            level: The level chosen, of the assessment's scheme.
            reason: Why it differs from the recommended level.
            note: Free text about the deviation.

        Raises:
            InvalidTypeError, InvalidValueError: naming ``level``, ``reason`` or ``note``.
            SchemeMismatchError: a level of another scheme.

        >>> from datetime import date
        >>> from carecontinuum.catalogs import ASAM3
        >>> a = Assessment("ASAM3", {"1": 0, "2": 0, "3": 3, "4": 2, "5": 2, "6": 2},
        ...                date(2024, 5, 1))
        >>> p = place(a, ASAM3)
        >>> p.recommended.code
        '3.3'
        >>> q = p.choose(ASAM3["3.5"], DeviationReason.OTHER, "only bed in the county")
        >>> q.chosen.code, q.deviation_note, p.chosen.code
        ('3.5', 'only bed in the county', '3.3')
        """
        _check_choice(self.recommended, level, reason, note, ("level", "reason", "note"))
        return attrs.evolve(self, chosen=level, deviation=reason, deviation_note=note)


# ---- policies -------------------------------------------------------------------------------


@runtime_checkable
class PlacementPolicy(Protocol):
    """What `place` asks of a placement policy: a name, and a recommendation for an assessment
    on a continuum of the same scheme.

    The built-in policies are `NeedsPolicy` (the default for ASAM's 3rd and 4th editions) and
    `LocusPolicy` (the default for LOCUS). Any object with a ``name`` and a ``recommend``
    method is a policy; `Placement` itself checks that the recommendation is never less
    intensive than a level its rationale says a dimension needs.

    >>> from datetime import date
    >>> from carecontinuum.catalogs import ASAM3
    >>> class OneStepUp:
    ...     '''The needs model's level, one step more intensive: a cautious clinic's policy.'''
    ...     name = "one step above the needs model"
    ...     def recommend(self, assessment, continuum):
    ...         base = NeedsPolicy.default(assessment.scheme).recommend(assessment, continuum)
    ...         higher = continuum.step_up(base.recommended) or base.recommended
    ...         return Placement(assessment, higher, base.rationale, (), self.name)
    >>> a = Assessment("ASAM3", {"1": 0, "2": 0, "3": 2, "4": 1, "5": 1, "6": 1}, date(2024, 5, 1))
    >>> isinstance(OneStepUp(), PlacementPolicy), place(a, ASAM3, OneStepUp()).recommended.code
    (True, '2.5')
    """

    @property
    def name(self) -> str:
        """The policy's name, recorded on each placement it makes."""
        ...

    def recommend(self, assessment: Assessment, continuum: Continuum) -> Placement:
        """Recommend a level of `continuum` for `assessment` (of the same scheme)."""
        ...


def _check_inputs(assessment: object, continuum: object) -> None:
    if not isinstance(assessment, Assessment):
        raise InvalidTypeError("assessment", assessment, "an Assessment")
    if not isinstance(continuum, Continuum):
        raise InvalidTypeError("continuum", continuum, "a Continuum")
    if assessment.scheme != continuum.scheme:
        raise SchemeMismatchError(
            f"an {assessment.scheme} assessment cannot be placed on the {continuum.scheme} "
            f"continuum; place it on an {assessment.scheme} continuum (and use crosswalk() to "
            "map the level to another scheme)"
        )


def _check_capabilities(value: object) -> FrozenMap[str, FrozenMap[str, int]]:
    if not isinstance(value, Mapping):
        raise InvalidTypeError(
            "capabilities", value, "a mapping of level code to {dimension code: highest rating}"
        )
    if not value:
        raise InvalidValueError("capabilities", value, "at least one level")
    table: dict[str, FrozenMap[str, int]] = {}
    first: tuple[str, ...] | None = None
    for level_code, limits in value.items():
        field = f"capabilities[{level_code!r}]"
        check_str(field, level_code)
        if not isinstance(limits, Mapping):
            raise InvalidTypeError(field, limits, "a mapping of dimension code to highest rating")
        if not limits:
            raise InvalidValueError(field, limits, "a highest rating for each dimension")
        for dim_code, highest in limits.items():
            check_str(f"{field}[{dim_code!r}]", dim_code)
            check_int(f"{field}[{dim_code!r}]", highest, minimum=0)
        codes = tuple(sorted(limits))
        if first is None:
            first = codes
        elif codes != first:
            raise InvalidValueError(
                field,
                dict(limits),
                f"limits for the same dimensions as every other level ({', '.join(first)})",
            )
        table[level_code] = FrozenMap(limits)
    return FrozenMap(table)


def _table(
    codes: tuple[str, ...], rows: dict[str, tuple[int, ...]]
) -> FrozenMap[str, FrozenMap[str, int]]:
    return _check_capabilities(
        {level: dict(zip(codes, row, strict=True)) for level, row in rows.items()}
    )


# Ratings are ASAM's 0-4 risk ratings. Columns: dimensions 1 to 6; rows: main-pathway levels,
# least intensive first; each cell is the highest rating the level serves in that dimension.
#: carecontinuum's illustrative capability table for ASAM's 3rd edition (main pathway): for
#: each level, the highest risk rating (0-4) it serves in each dimension. A transparent model
#: with figures chosen by carecontinuum, NOT ASAM's licensed placement algorithm; supply your
#: own table to `NeedsPolicy` to replace it. Monotone: a more intensive level serves at least
#: what a less intensive one does.
ASAM3_CAPABILITIES: FrozenMap[str, FrozenMap[str, int]] = _table(
    ("1", "2", "3", "4", "5", "6"),
    {
        # level: D1 D2 D3 D4 D5 D6
        "0.5": (0, 1, 0, 1, 1, 1),
        "1":   (1, 1, 1, 2, 2, 1),
        "2.1": (1, 1, 2, 2, 2, 2),
        "2.5": (2, 2, 2, 3, 3, 2),
        "3.1": (2, 2, 2, 3, 3, 3),
        "3.3": (2, 2, 3, 3, 3, 3),
        "3.5": (2, 2, 3, 4, 4, 4),
        "3.7": (3, 3, 3, 4, 4, 4),
        "4":   (4, 4, 4, 4, 4, 4),
    },
)  # fmt: skip

#: carecontinuum's illustrative capability table for ASAM's 4th edition (its ten levels). The
#: 4th edition's rating scale was not found in any source checked, so this table assumes
#: ratings of 0 (none) to 4 (severe), like the 3rd edition, and refuses higher ratings. A
#: transparent model with figures chosen by carecontinuum, NOT ASAM's licensed placement
#: algorithm; supply your own table to `NeedsPolicy` to replace it. Monotone, as
#: `ASAM3_CAPABILITIES`; the medically managed outpatient levels (1.7, 2.7) are where ambulatory
#: withdrawal and biomedical needs first find a level.
ASAM4_CAPABILITIES: FrozenMap[str, FrozenMap[str, int]] = _table(
    ("1", "2", "3", "4", "5", "6"),
    {
        # level: D1 D2 D3 D4 D5 D6
        "1.0": (0, 1, 0, 1, 1, 1),
        "1.5": (1, 1, 1, 2, 1, 2),
        "1.7": (2, 2, 1, 2, 1, 2),
        "2.1": (2, 2, 2, 2, 2, 3),
        "2.5": (2, 2, 3, 3, 2, 3),
        "2.7": (3, 2, 3, 3, 2, 3),
        "3.1": (3, 2, 3, 3, 3, 4),
        "3.5": (3, 2, 3, 4, 4, 4),
        "3.7": (3, 3, 3, 4, 4, 4),
        "4":   (4, 4, 4, 4, 4, 4),
    },
)  # fmt: skip


@attrs.frozen(init=False)
class NeedsPolicy:
    """Placement by capabilities: the least restrictive level whose capabilities meet every
    dimension's need; each level declares what it can serve.

    ``capabilities`` is data: for each level code, the highest rating the level serves in each
    dimension. A dimension's rating *needs* the least intensive level that serves it; the
    recommendation is the least intensive level at least as intensive as every dimension's
    need, so no dimension is ever placed below its own need, and the dimensions whose need is
    the recommended level are its drivers. The table must be monotone (a more intensive level
    serves at least what a less intensive one does), must name levels of the continuum it is
    used with and must cover exactly the assessment's dimensions; these are checked when it
    recommends, against that continuum.

    The default tables, `ASAM3_CAPABILITIES` (main pathway: 0.5, 1, 2.1, 2.5, 3.1, 3.3, 3.5,
    3.7, 4) and `ASAM4_CAPABILITIES` (its ten levels), are a **transparent model with
    illustrative figures chosen by carecontinuum. They are NOT ASAM's placement algorithm**,
    whose decision rules are licensed and not reproduced here. Supply your own table (your
    service's licensed or local criteria) to place by it instead.

    Args:
        name: The policy's name, recorded on each placement.
        capabilities: Level code -> {dimension code: highest rating served}.

    Raises:
        InvalidTypeError, InvalidValueError: a malformed table, naming the cell
            (``capabilities['2.1']['3']``).

    >>> from datetime import date
    >>> from carecontinuum.catalogs import ASAM3
    >>> a = Assessment("ASAM3", {"1": 1, "2": 0, "3": 1, "4": 3, "5": 2, "6": 1}, date(2024, 5, 1))
    >>> p = NeedsPolicy.default("ASAM3").recommend(a, ASAM3)
    >>> p.recommended.code, [d.name for d in p.drivers]
    ('2.5', ['Readiness to Change'])
    >>> clinic = NeedsPolicy("clinic table", {
    ...     "1": dict.fromkeys("123456", 1),
    ...     "2.1": dict.fromkeys("123456", 2),
    ...     "3.5": dict.fromkeys("123456", 4)})
    >>> clinic.recommend(a, ASAM3).recommended.code
    '3.5'
    """

    __repr__ = value_repr
    __eq__ = value_eq
    __hash__ = value_hash

    name: str
    capabilities: FrozenMap[str, FrozenMap[str, int]]

    def __init__(self, name: str, capabilities: Mapping[str, Mapping[str, int]]) -> None:
        self.__attrs_init__(check_str("name", name), _check_capabilities(capabilities))

    def __str__(self) -> str:
        """The policy's name and the levels its table serves.

        >>> print(NeedsPolicy.default("ASAM4"))  # doctest: +ELLIPSIS
        carecontinuum illustrative ASAM4 needs table (not ASAM's algorithm): 10 levels, 1.0 to 4
        """
        codes = list(self.capabilities)
        count = len(codes)
        span = f"{clip(line(codes[0]), 12)} to {clip(line(codes[-1]), 12)}" if count > 1 else ""
        return summary(
            f"{clip(line(self.name), 72)}: {count} level{'' if count == 1 else 's'}", span
        )

    @classmethod
    def default(cls, scheme: str) -> NeedsPolicy:
        """The built-in policy for ASAM's 3rd or 4th edition, with carecontinuum's illustrative
        table (see the class docstring: not ASAM's algorithm).

        Raises:
            InvalidValueError: a scheme without a default table, naming ``scheme``.

        >>> NeedsPolicy.default("ASAM4").capabilities["2.7"]["1"]
        3
        """
        policy = _NEEDS_DEFAULTS.get(scheme) if isinstance(scheme, str) else None
        if policy is None:
            raise InvalidValueError("scheme", scheme, "'ASAM3' or 'ASAM4'")
        return policy

    def _levels(
        self, assessment: Assessment, continuum: Continuum
    ) -> list[tuple[LevelOfCare, FrozenMap[str, int]]]:
        """The table's levels resolved in `continuum`, least intensive first, checked."""
        rows: list[tuple[LevelOfCare, FrozenMap[str, int]]] = []
        for code, limits in self.capabilities.items():
            level = continuum.get(code)
            if level is None:
                raise InvalidValueError(
                    f"capabilities[{code!r}]", code, f"a level of the {continuum.scheme} continuum"
                )
            rows.append((level, limits))
        rows.sort(key=lambda row: row[0].rank)
        for (lower, _), (level, _) in itertools.pairwise(rows):
            if level == lower:
                raise InvalidValueError(
                    "capabilities", level.code, "each level once (a code and its alias clash)"
                )
        wanted = tuple(d.code for d in assessment.dimensions)
        if sorted(rows[0][1]) != sorted(wanted):
            raise InvalidValueError(
                "capabilities",
                tuple(rows[0][1]),
                f"limits for exactly the {assessment.scheme} dimensions ({', '.join(wanted)})",
            )
        for (lower, below), (level, limits) in itertools.pairwise(rows):
            for code in wanted:
                if limits[code] < below[code]:
                    raise InvalidValueError(
                        f"capabilities[{level.code!r}][{code!r}]",
                        limits[code],
                        f"at least {below[code]}, what the less intensive level {lower.code} "
                        "serves (a table must be monotone)",
                    )
        return rows

    def recommend(self, assessment: Assessment, continuum: Continuum) -> Placement:
        """The least intensive of the table's levels that meets every dimension's need.

        Raises:
            SchemeMismatchError: the assessment and continuum are of different schemes.
            InvalidValueError: the table does not fit the continuum or assessment; or a rating
                no level of the table serves (named like ``ratings['1']``).

        >>> from datetime import date
        >>> from carecontinuum.catalogs import ASAM4
        >>> a = Assessment("ASAM4", {"1": 3, "2": 1, "3": 1, "4": 2, "5": 1, "6": 1},
        ...                date(2024, 5, 1))
        >>> p = NeedsPolicy.default("ASAM4").recommend(a, ASAM4)
        >>> p.recommended.code, p.rationale[0].note
        ('2.7', '2.7 is the least intensive level serving 3 here; 2.5 serves up to 2')
        """
        _check_inputs(assessment, continuum)
        rows = self._levels(assessment, continuum)
        reasons: list[PlacementReason] = []
        for dim in assessment.dimensions:
            rating = assessment.ratings[dim.code]
            at = next((i for i, (_, limits) in enumerate(rows) if limits[dim.code] >= rating), None)
            if at is None:
                raise InvalidValueError(
                    f"ratings[{dim.code!r}]",
                    rating,
                    f"a rating some level of policy {self.name!r} serves "
                    f"(at most {rows[-1][1][dim.code]})",
                )
            need, limits = rows[at]
            if at == 0:
                note = (
                    f"{need.code}, the policy's least intensive level, serves up to "
                    f"{limits[dim.code]} here"
                )
            else:
                below, below_limits = rows[at - 1]
                note = (
                    f"{need.code} is the least intensive level serving {rating} here; "
                    f"{below.code} serves up to {below_limits[dim.code]}"
                )
            reasons.append(PlacementReason(dim, rating, need, note))
        top = max(r.needs for r in reasons)
        drivers = tuple(r.dimension for r in reasons if r.needs == top)
        return Placement(assessment, top, tuple(reasons), drivers, self.name)


_NEEDS_DEFAULTS: dict[str, NeedsPolicy] = {
    "ASAM3": NeedsPolicy(
        "carecontinuum illustrative ASAM3 needs table (not ASAM's algorithm)", ASAM3_CAPABILITIES
    ),
    "ASAM4": NeedsPolicy(
        "carecontinuum illustrative ASAM4 needs table (not ASAM's algorithm)", ASAM4_CAPABILITIES
    ),
}

# LOCUS composite bands: (lowest, highest, level code, label). 10-13 ... 28+ are from an
# implementer's published form; no source gives a band below 10, so 7-9 -> 0 is assumed.
_LOCUS_BANDS = (
    (7, 9, "0", "7-9"),
    (10, 13, "1", "10-13"),
    (14, 16, "2", "14-16"),
    (17, 19, "3", "17-19"),
    (20, 22, "4", "20-22"),
    (23, 27, "5", "23-27"),
    (28, 35, "6", "28+"),
)
_ASSUMED_BAND = "; a band below 10 is carecontinuum's assumption: no published source gives one"

# Ratings at which the composite alone may under-place: 5 on any dimension (the scale's top,
# "extreme"), and 4 on Risk of Harm (I). LOCUS's independent criteria let one such rating set
# a minimum level by itself; those criteria are part of the licensed instrument and are not
# reproduced here, so the policy warns instead of placing.
_UNDER_PLACE_ID = "LOCUS-COMPOSITE-MAY-UNDER-PLACE"
_LOCUS_FLOORS_SOURCE = Source(
    "LOCUS: Level of Care Utilization System for Psychiatric and Addiction Services, Adult "
    "Version 20",
    publisher="American Association for Community Psychiatry",
    year=2016,
    locator="placement grid: independent criteria",
    note="LOCUS places by the composite score and, independently of it, by single ratings "
    "that set a minimum level (its independent criteria). The grid is part of the copyrighted "
    "instrument (electronic rights owned by Deerfield Behavioral Health) and was not found in "
    "any public source; which ratings it names is not confirmed here. carecontinuum warns on "
    "the ratings most likely to trigger it (any 5, the scale's top, and 4 on Risk of Harm) "
    "whenever no floor covers them: a transparent caution, not the grid.",
)


def _under_place_warning(code: str, rating: int) -> str | None:
    if rating == 5 or (code == "I" and rating >= 4):  # see _UNDER_PLACE_ID
        return (
            "the composite alone may under-place this client: LOCUS's independent criteria "
            "can set a minimum level from this one rating, and no floor covers it; supply the "
            "licensed floors (LocusPolicy(floors=...)) or confirm the level clinically"
        )
    return None


def _check_floors(value: object) -> FrozenMap[tuple[str, int], str]:
    if value is None:
        return FrozenMap({})
    if not isinstance(value, Mapping):
        raise InvalidTypeError(
            "floors", value, "a mapping of (dimension code, rating) to level code"
        )
    floors: dict[tuple[str, int], str] = {}
    for key, level_code in value.items():
        field = f"floors[{key!r}]"
        if not isinstance(key, tuple) or len(key) != 2:
            raise InvalidTypeError(field, key, "a (dimension code, rating) pair")
        code, rating = key
        if not isinstance(code, str) or code not in _NAMES["LOCUS"]:
            raise InvalidValueError(field, code, f"a LOCUS dimension code ({_codes_text('LOCUS')})")
        _check_rating(field, "LOCUS", rating)
        floors[(code, rating)] = check_str(field, level_code)
    return FrozenMap(floors)


@attrs.frozen(init=False)
class LocusPolicy:
    """LOCUS placement by composite score, raised by any single-dimension floors supplied.

    The composite (the sum of the seven ratings, 7-35) maps to a level by bands published on an
    implementer's form: 10-13 -> 1, 14-16 -> 2, 17-19 -> 3, 20-22 -> 4, 23-27 -> 5, 28 and
    above -> 6. No source gives a band below 10: composites of 7-9 are placed at level 0, and
    the rationale says that band is carecontinuum's assumption.

    LOCUS also has *independent criteria*, where one rating alone forces a minimum level, and
    special cases; they are part of the copyrighted LOCUS instrument (electronic rights owned
    by Deerfield Behavioral Health) and are not reproduced here. They are **data a licensed
    user supplies** as ``floors``, empty by default: (dimension code, rating) -> level code.
    Each rating is listed on its own (a floor for rating 4 says nothing about rating 5). The
    recommendation is the more intensive of the band's level and every floor that applies; the
    dimensions whose floor is the recommended level are its drivers (none when the composite
    decides). This is a transparent approximation, NOT the LOCUS placement grid.

    Args:
        floors: (dimension code, rating) -> level code; None or empty for none.
        name: The policy's name, recorded on each placement.

    Raises:
        InvalidTypeError, InvalidValueError: a malformed floor, naming it (``floors[('I', 5)]``).

    >>> from datetime import date
    >>> from carecontinuum.catalogs import LOCUS
    >>> a = Assessment("LOCUS", {"I": 5, "II": 2, "III": 1, "IV-A": 2, "IV-B": 2, "V": 1,
    ...                          "VI": 2}, date(2024, 5, 1))
    >>> LocusPolicy().recommend(a, LOCUS).recommended.code  # composite 15: band 14-16
    '2'
    >>> # Illustrative floors only: NOT the LOCUS grid, which licensed users supply themselves.
    >>> p = LocusPolicy({("I", 5): "6", ("I", 4): "5"}).recommend(a, LOCUS)
    >>> p.recommended.code, [d.code for d in p.drivers]
    ('6', ['I'])
    """

    __repr__ = value_repr
    __eq__ = value_eq
    __hash__ = value_hash

    floors: Mapping[tuple[str, int], str]
    name: str

    def __init__(
        self,
        floors: Mapping[tuple[str, int], str] | None = None,
        *,
        name: str = "LOCUS composite bands (carecontinuum approximation)",
    ) -> None:
        self.__attrs_init__(_check_floors(floors), check_str("name", name))

    def __str__(self) -> str:
        """The policy's name and how many floors it adds to the composite bands.

        >>> print(LocusPolicy())
        LOCUS composite bands (carecontinuum approximation): composite bands, no floors
        """
        count = len(self.floors)
        floors = f"{count} floor{'' if count == 1 else 's'}" if count else "no floors"
        return summary(f"{clip(line(self.name), 72)}: composite bands", floors)

    def recommend(self, assessment: Assessment, continuum: Continuum) -> Placement:
        """The band's level for the composite, raised to any floor a rating sets.

        Raises:
            SchemeMismatchError: not a LOCUS assessment, or a continuum of another scheme.
            InvalidValueError: a band's or floor's level code is not in the continuum.

        >>> from datetime import date
        >>> from carecontinuum.catalogs import LOCUS
        >>> a = Assessment("LOCUS", dict.fromkeys(["I", "II", "III", "IV-A", "IV-B", "V", "VI"],
        ...                                       1), date(2024, 5, 1))
        >>> p = LocusPolicy().recommend(a, LOCUS)
        >>> p.recommended.code, "assumption" in p.rationale[0].note
        ('0', True)
        """
        _check_inputs(assessment, continuum)
        if assessment.scheme != "LOCUS":
            raise SchemeMismatchError(
                f"LocusPolicy places LOCUS assessments, not {assessment.scheme} ones"
            )
        composite = sum(assessment.ratings.values())
        low, _, band_code, label = next(b for b in _LOCUS_BANDS if b[0] <= composite <= b[1])
        band = _locus_level(continuum, band_code, "band")
        bottom = _locus_level(continuum, _LOCUS_BANDS[0][2], "band")
        band_text = f"composite {composite}, band {label} -> level {band.code}" + (
            _ASSUMED_BAND if low < _LOCUS_BANDS[1][0] else ""
        )
        lines = []
        for dim in assessment.dimensions:
            rating = assessment.ratings[dim.code]
            floor_code = self.floors.get((dim.code, rating))
            if floor_code is None:
                need = bottom
                note = f"no floor for rating {rating}; counts toward {band_text}"
            else:
                need = _locus_level(continuum, floor_code, f"floors[{(dim.code, rating)!r}]")
                note = f"the policy's floor for rating {rating} is level {need.code}; {band_text}"
            lines.append((dim, rating, need, note, floor_code is None))
        top = max(band, *(need for _, _, need, _, _ in lines))
        # A rating no floor covers may need more than the composite gives; at the continuum's
        # most intensive level nothing is under-placed.
        most = max(continuum.levels)
        reasons = tuple(
            PlacementReason(
                dim,
                rating,
                need,
                note,
                warning=(
                    _under_place_warning(dim.code, rating) if unfloored and top != most else None
                ),
            )
            for dim, rating, need, note, unfloored in lines
        )
        drivers = tuple(
            r.dimension
            for r in reasons
            if r.needs == top and (r.dimension.code, r.rating) in self.floors
        )
        return Placement(assessment, top, tuple(reasons), drivers, self.name)


def _locus_level(continuum: Continuum, code: str, field: str) -> LevelOfCare:
    level = continuum.get(code)
    if level is None:
        raise InvalidValueError(field, code, f"a level of the {continuum.scheme} continuum")
    return level


_DEFAULT_POLICIES: dict[str, PlacementPolicy] = {**_NEEDS_DEFAULTS, "LOCUS": LocusPolicy()}


def place(
    assessment: Assessment, continuum: Continuum, policy: PlacementPolicy | None = None
) -> Placement:
    """Recommend a level of care for an assessment, on a continuum of the same scheme.

    Without a policy, the scheme's default is used: `NeedsPolicy` with carecontinuum's
    illustrative table for ASAM's 3rd and 4th editions (``ASAM3_CAPABILITIES``,
    ``ASAM4_CAPABILITIES``; not ASAM's licensed algorithm), and `LocusPolicy` without floors
    (composite bands only) for LOCUS. The placement's `Placement.chosen` level starts as the
    recommended one; record another with `Placement.choose`.

    Args:
        assessment: The assessment.
        continuum: The continuum to place on, of the assessment's scheme.
        policy: The placement policy; the scheme's default when omitted.

    Raises:
        SchemeMismatchError: the assessment is of another scheme than the continuum.
        InvalidValueError: no policy given and the continuum's scheme has none by default
            (naming ``policy``).
        InvalidTypeError: an argument of the wrong type, named.

    >>> from datetime import date
    >>> from carecontinuum.catalogs import ASAM3, LOCUS
    >>> a = Assessment("ASAM3", {"1": 3, "2": 1, "3": 1, "4": 2, "5": 2, "6": 2}, date(2024, 5, 1))
    >>> p = place(a, ASAM3)
    >>> p.recommended.code, [str(d) for d in p.drivers]
    ('3.7', ['ASAM3 dimension 1 (Acute Intoxication and/or Withdrawal Potential)'])
    >>> place(a, LOCUS)
    Traceback (most recent call last):
    ...
    carecontinuum.SchemeMismatchError: an ASAM3 assessment cannot be placed on the LOCUS ...
    """
    if policy is None:
        check_instance("continuum", continuum, Continuum, "a Continuum")
        default = _DEFAULT_POLICIES.get(continuum.scheme)
        if default is None:
            raise InvalidValueError(
                "policy",
                policy,
                f"a PlacementPolicy: the {continuum.scheme} continuum has no default policy",
            )
        policy = default
    elif not isinstance(policy, PlacementPolicy):
        raise InvalidTypeError(
            "policy", policy, "a PlacementPolicy (a name and a recommend() method)"
        )
    _check_inputs(assessment, continuum)
    placement = policy.recommend(assessment, continuum)
    if not isinstance(placement, Placement) or placement.assessment != assessment:
        raise InvalidTypeError(
            "policy", policy, "a policy whose recommend() returns a Placement of the assessment"
        )
    if placement.recommended not in continuum:
        raise InvalidValueError(
            "policy", policy, "a policy recommending a level of the given continuum"
        )
    return placement
