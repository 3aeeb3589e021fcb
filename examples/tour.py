"""A one-screen tour of carecontinuum: the continua, stepping up and down, crosswalks between
schemes, and the weekly figures of the five programs the domain notes describe (built by the
`program_*.py` scripts beside this one).
"""

from __future__ import annotations

from _programs import programs

import carecontinuum as cc
from carecontinuum import rulesets
from carecontinuum.catalogs import ASAM3, ASAM4, GENERIC, LOCUS


def show_continua() -> None:
    print("GENERIC, least to most intensive:")
    for level in GENERIC:
        print(
            f"  {level.code:<12}{level.name:<40}{level.setting.value:<12}"
            f"is_outpatient={level.is_outpatient}"
        )
    print("ASAM3 pathways:")
    for pathway, levels in ASAM3.pathways.items():
        print(f"  {pathway:<22}{' < '.join(level.code for level in levels)}")


def show_steps() -> None:
    print("Stepping within a pathway (None past its end):")
    for continuum, code in ((GENERIC, "IOP"), (ASAM3, "2.1"), (ASAM3, "2-WM"), (ASAM3, "4")):
        up, down = continuum.step_up(code), continuum.step_down(code)
        where = f"{continuum.scheme} {code}"
        up_code = up.code if up else "None"
        down_code = down.code if down else "None"
        print(f"  {where:<14}up: {up_code:<8}down: {down_code}")


def show_crosswalks() -> None:
    iop = GENERIC["IOP"]
    print(f"Crosswalk of {iop}:")
    for target in (ASAM3, ASAM4, LOCUS):
        walk = cc.crosswalk(iop, to=target)
        codes = ", ".join(level.code for level in walk) or "-"
        flag = "approximate" if walk.approximate else "exact"
        note = f": {walk.note}" if walk.note else ""
        print(f"  -> {walk.scheme:<7}{codes:<10}{flag}{note}")


def starts(program: cc.ProgramStructure) -> str:
    """The program's session start times, earliest first ("09:00/10:00")."""
    return "/".join(f"{t:%H:%M}" for t in sorted({s.start for s in program.sessions}))


def show_programs() -> None:
    """The five programs' figures. "days/wk" counts program days (`days_per_week`, the days
    rules such as "3 days a week" count); "+appts" counts every day with a session, separate
    appointments included (`service_days_per_week`, the days a client comes in); "sess/wk"
    counts the sessions of a typical week, a session held every other week counting half.
    Each program is judged by ASAM's 3rd edition, and any that falls below a floor is flagged
    under the table."""
    print("The five programs (variants on their own rows), a week and in all:")
    print(
        f"  {'program':<30}{'level':<13}{'starts':<19}{'days/wk':>8}{'+appts':>7}{'sess/wk':>8}"
        f"{'h/wk':>7}{'weeks':>7}{'sessions':>10}{'hours':>10}"
    )
    flagged = []
    for label, program in programs().items():
        level = f"{program.level.scheme} {program.level.code}"
        total = program.total_hours
        if isinstance(total, cc.Span):
            hours = f"{total.minimum.total_hours():g}-{total.maximum.total_hours():g}"
        else:
            hours = f"{total.total_hours():g}"
        print(
            f"  {label:<30}{level:<13}{starts(program):<19}{program.days_per_week:>8g}"
            f"{program.service_days_per_week:>7g}{program.sessions_per_week:>8g}"
            f"{program.weekly_hours.total_hours():>7g}"
            f"{program.weeks!s:>7}{program.total_sessions!s:>10}{hours:>10}"
        )
        flagged += [(label, f) for f in cc.validate(program, rulesets.ASAM3).errors]
    print("  days/wk: program days; +appts: days with any session, appointments included.")
    print(
        "  sess/wk: sessions in a typical week; one held every other week counts half "
        "(4.5: four weekly sessions and one fortnightly)."
    )
    for label, finding in flagged:
        print(f"  ! {label} is below {finding.rule_id}: {finding.found};")
        print(f"    the rule asks {finding.expected}.")


def main() -> None:
    """Print the tour."""
    show_continua()
    show_steps()
    show_crosswalks()
    show_programs()


if __name__ == "__main__":
    main()
