"""Design sweep: which level does each adult IOP design land at, under each rule set?

A program designer's question before anything is built: with so many days a week, sessions of so
many hours and a program of so many weeks, is this an intensive outpatient program, and to whom?
This sweeps days per week (2-6) x hours per session (1-5, in half hours) x weeks (6, 8, 12) for
an adult substance-use IOP and classifies each design with `carecontinuum.classify` under
TYPICAL_IOP, ASAM3, MEDICARE_2024 and HCPCS_H0015: the level each rule set places it at, or "-"
when none of its levels' intensity rules pass.

A percent-cell script: open it as a notebook (Jupyter, VS Code) or run it as a plain script.
"""

# %%
from __future__ import annotations

import carecontinuum as cc
from carecontinuum import rulesets
from carecontinuum.catalogs import GENERIC

#: Which weekdays a design with N days a week runs on (spread through the week, as clinics do).
DAYS: dict[int, tuple[str, ...]] = {
    2: ("mon", "thu"),
    3: ("mon", "wed", "fri"),
    4: ("mon", "tue", "thu", "fri"),
    5: ("mon", "tue", "wed", "thu", "fri"),
    6: ("mon", "tue", "wed", "thu", "fri", "sat"),
}
HOURS_PER_SESSION = tuple(1 + 0.5 * step for step in range(9))  # 1, 1.5, ..., 5
WEEKS = (6, 8, 12)
RULESETS: dict[str, cc.RuleSet] = {
    "TYPICAL_IOP": rulesets.TYPICAL_IOP,
    "ASAM3": rulesets.ASAM3,
    "MEDICARE_2024": rulesets.MEDICARE_2024,
    "HCPCS_H0015": rulesets.HCPCS_H0015,
}


def design(days: int, hours: float, weeks: int) -> cc.ProgramStructure:
    """An adult substance-use IOP of `days` sessions a week of `hours` each, for `weeks` weeks."""
    return cc.ProgramStructure.weekly(
        GENERIC["IOP"],
        days=DAYS[days],
        hours_per_session=hours,
        weeks=weeks,
        population=cc.Population.ADULT,
        track=cc.Track.SUBSTANCE_USE,
        name=f"{days} d x {hours:g} h x {weeks} wk",
    )


def placement(program: cc.ProgramStructure, ruleset: cc.RuleSet) -> str:
    """The codes of the levels the rule set classifies the program at, or "-" for none."""
    return ", ".join(c.level.code for c in cc.classify(program, ruleset)) or "-"


# %% [markdown]
# ## The sweep
# One row per design: its weekly and total clinical hours, and where each rule set places it.

# %%
designs = [
    design(days, hours, weeks) for days in DAYS for hours in HOURS_PER_SESSION for weeks in WEEKS
]
table: list[tuple[cc.ProgramStructure, dict[str, str]]] = [
    (program, {name: placement(program, ruleset) for name, ruleset in RULESETS.items()})
    for program in designs
]

# %%
WIDTH = max(len(name) for name in RULESETS) + 2


def show(rows: list[tuple[cc.ProgramStructure, dict[str, str]]]) -> None:
    """Print the designs with their hours and each rule set's placement."""
    header = f"{'design':<20}{'h/week':>7}{'h total':>9}  " + "".join(
        f"{name:<{WIDTH}}" for name in RULESETS
    )
    print(header.rstrip())
    print("-" * len(header.rstrip()))
    for program, placed in rows:
        weekly = program.weekly_hours.total_hours()
        total = program.hours_over(program.max_weeks).total_hours()
        cells = "".join(f"{placed[name]:<{WIDTH}}" for name in RULESETS)
        print(f"{program.name or '':<20}{weekly:>7g}{total:>9g}  {cells}".rstrip())


print(f"{len(designs)} adult IOP designs under {len(RULESETS)} rule sets")
print('("-": no level of the rule set takes the design)')
print()
show(table)

# %% [markdown]
# ## By weekly hours
# Does the length of a program move any placement? Then, for each rule set, the weekly hours at
# which the sweep's designs land at each level (a band seen in the sweep, not the rule itself:
# HCPCS H0015 also asks for 3 hours on each program day, so some 9-hour weeks miss it).

# %%
by_week: dict[tuple[int, float], set[tuple[str, ...]]] = {}
for program, placed in table:
    key = (round(program.days_per_week), program.sessions[0].duration.total_hours())
    by_week.setdefault(key, set()).add(tuple(placed.values()))
moved = sorted(key for key, outcomes in by_week.items() if len(outcomes) > 1)
print()
if moved:
    print("Designs whose placement changes with the number of weeks (days, hours per session):")
    print("  " + "; ".join(f"{days} d x {hours:g} h" for days, hours in moved))
else:
    print(f"The length ({', '.join(map(str, WEEKS))} weeks) moves no placement in this sweep.")

bands: dict[str, dict[str, list[float]]] = {name: {} for name in RULESETS}
for program, placed in table:
    hours = program.weekly_hours.total_hours()
    for name, codes in placed.items():
        bands[name].setdefault(codes, []).append(hours)

print("Weekly clinical hours placed at each level (lowest-highest seen in the sweep):")
for name, levels in bands.items():
    spans = ", ".join(
        f"{codes} {min(hours):g}-{max(hours):g} h"
        for codes, hours in levels.items()
        if codes != "-"
    )
    print(f"  {name:<{WIDTH}}{spans or 'none'}")

# %% [markdown]
# ## Where the rule sets disagree
# A design every rule set calls IOP (or its ASAM 2.1 counterpart) is the safe middle; the rest
# need a choice of payer or standard.

# %%
everywhere = [
    program
    for program, placed in table
    if placed["TYPICAL_IOP"] == "IOP"
    and placed["ASAM3"] == "2.1"
    and placed["MEDICARE_2024"] == "IOP"
    and placed["HCPCS_H0015"] == "IOP"
]
weekly_designs = sorted({(p.name or "").rsplit(" x ", 1)[0] for p in everywhere})
print()
print(f"{len(everywhere)} of {len(designs)} designs are IOP under all four rule sets:")
print("  " + "; ".join(weekly_designs))
