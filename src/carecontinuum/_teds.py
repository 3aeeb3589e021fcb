"""TEDS reporting: the TEDS service setting of a stay (`teds_setting`), where the crosswalk
leaves short- against long-term residential care to the stay's length."""

from __future__ import annotations

from ._crosswalk import crosswalk
from ._episode import Stay
from ._errors import InvalidTypeError, InvalidValueError
from ._levels import Continuum, LevelOfCare
from ._text import clip, line

__all__ = ["teds_setting"]

#: TEDS's line between short-term (4) and long-term (5) rehabilitation/residential care.
SHORT_TERM_DAYS = 30
_RESIDENTIAL = frozenset({"4", "5"})


def teds_setting(stay: Stay, *, within: Continuum | None = None) -> LevelOfCare:
    """The TEDS service setting (a level of `catalogs.TEDS`) to report for a stay.

    The stay's level is crosswalked to TEDS. Where that gives one setting, it is the answer.
    Where it gives both residential settings, short term (``"4"``, 30 days or fewer) and long
    term (``"5"``, more than 30), the stay's length decides: its days from `Stay.start` to
    `Stay.end` (the end day not counted, so a stay from 1 to 31 January lasted 30 days and is
    short term). A stay that goes on is judged by its planned length, which the library knows
    only from the stay's program: ``ProgramStructure.weeks`` of 4 or fewer (28 days) is short
    term, of 5 or more (35 days) long term, and a range of weeks must lie wholly on one side.
    Anything else that leaves several settings (ASAM3 3.7-WM, detoxification in a hospital or
    a free-standing facility; ASAM4 3.7, where withdrawal management is integrated) is refused
    rather than guessed: record the stay at a level that decides it, or choose from
    `crosswalk` yourself.

    Args:
        stay: The stay, of a catalog scheme or of `within`.
        within: The continuum the stay's level belongs to, for a continuum of your own that
            carries `Continuum.to_generic` (an episode's `Episode.continuum` always does).

    Returns:
        The TEDS level; its `LevelOfCare.code` is the value of SERVICES / SERVICES_D.

    Raises:
        InvalidTypeError: `stay` is not a Stay.
        InvalidValueError: the stay's level has no TEDS setting (opioid treatment, recovery
            support), or several that nothing recorded decides between; the message names
            the stay and the settings.

    >>> import pendulum
    >>> from carecontinuum import Stay
    >>> from carecontinuum.catalogs import ASAM3
    >>> day = pendulum.date(2026, 1, 1)
    >>> teds_setting(Stay(ASAM3["2.1"], day)).name
    'Ambulatory, intensive outpatient'
    >>> [teds_setting(Stay(ASAM3["3.5"], day, day.add(days=n))).code for n in (30, 31)]
    ['4', '5']
    """
    if not isinstance(stay, Stay):
        raise InvalidTypeError("stay", stay, "a Stay")
    walk = crosswalk(stay.level, to="TEDS", within=within)
    if len(walk) == 1:
        return walk.levels[0]
    from .catalogs import TEDS  # noqa: PLC0415 (the catalogs are built from this module's kin)

    if {level.code for level in walk} == _RESIDENTIAL:
        code = _by_length(stay)
        if code is not None:
            return TEDS[code]
        why = (
            f"a stay that has ended, or whose program gives its planned length: {_name(stay)} "
            "goes on and "
            + ("records no program" if stay.program is None else "its program's weeks span 30 days")
        )
    elif not walk:
        why = f"a stay at a level with a TEDS setting: {_name(stay)} has none"
        if walk.note:
            why += f" ({clip(line(walk.note), 90)})"
    else:
        settings = ", ".join(level.code for level in walk)
        why = f"a stay at a level of one TEDS setting: {_name(stay)} has {settings}"
    raise InvalidValueError("stay", stay, why)


def _by_length(stay: Stay) -> str | None:
    """``"4"`` or ``"5"`` by the stay's length, or while it goes on by its program's weeks;
    None when neither decides."""
    if stay.length is not None:
        return "4" if stay.length <= SHORT_TERM_DAYS else "5"
    program = stay.program
    if program is None:
        return None
    if program.max_weeks * 7 <= SHORT_TERM_DAYS:
        return "4"
    if program.min_weeks * 7 > SHORT_TERM_DAYS:
        return "5"
    return None


def _name(stay: Stay) -> str:
    return f"{stay.level.scheme} {stay.level.code} from {stay.start}"
