"""Validate every described program against every built-in rule set, and classify each one.

Each program script's `build()` result (every variant) is judged by each rule set of
`carecontinuum.rulesets.ALL`. The table has one row per program variant and one column per rule
set: "ok", "ok*" (ok, with warnings), "ERR n" (n error findings) or "-" (no rule of the set
applied: NC_SACOT's rules are for day treatment, not IOP). The error findings follow, then the
levels each program is classified at under TYPICAL_IOP, ASAM3 and MEDICARE_2024.
"""

from __future__ import annotations

from _programs import programs

import carecontinuum as cc
from carecontinuum import rulesets

#: The rule sets `classify` is shown under.
CLASSIFIED_BY = (rulesets.TYPICAL_IOP, rulesets.ASAM3, rulesets.MEDICARE_2024)


def build_table() -> dict[str, dict[str, cc.ValidationReport]]:
    """The report of every rule set on every program variant: program -> rule set -> report."""
    return {
        label: {name: cc.validate(program, ruleset) for name, ruleset in rulesets.ALL.items()}
        for label, program in programs().items()
    }


def cell(report: cc.ValidationReport) -> str:
    """One cell of the table: "-" (no rule applied), "ERR n", "ok*" (warnings) or "ok"."""
    if not report.applied:
        return "-"
    if report.errors:
        return f"ERR {len(report.errors)}"
    return "ok*" if report.warnings else "ok"


def show_table(table: dict[str, dict[str, cc.ValidationReport]]) -> None:
    names = list(rulesets.ALL)
    first = max(len("program"), *(len(label) for label in table)) + 2
    widths = [max(len(name), len("ERR 99")) + 2 for name in names]
    print("Each program variant under each rule set:")
    header = "".join(f"{name:<{width}}" for name, width in zip(names, widths, strict=True))
    print(f"  {'program':<{first}}{header}".rstrip())
    for label, reports in table.items():
        cells = "".join(
            f"{cell(reports[name]):<{width}}" for name, width in zip(names, widths, strict=True)
        )
        print(f"  {label:<{first}}{cells}".rstrip())
    print("  ok: no error; ok*: no error, some warnings; ERR n: n errors; -: no rule applied.")


def show_errors(table: dict[str, dict[str, cc.ValidationReport]]) -> None:
    print("Error findings:")
    for label, reports in table.items():
        failed = {name: report for name, report in reports.items() if report.errors}
        if not failed:
            continue
        print(f"  {label}")
        for name, report in failed.items():
            print(f"    {name}:")
            for finding in report.errors:
                print(f"      {finding}")


def show_classification() -> None:
    names = [ruleset.name for ruleset in CLASSIFIED_BY]
    print("Levels each program is classified at (none: no level's intensity rules pass):")
    all_programs = programs()
    first = max(len("program"), *(len(label) for label in all_programs)) + 2
    print(f"  {'program':<{first}}{''.join(f'{name:<16}' for name in names)}".rstrip())
    for label, program in all_programs.items():
        cells = []
        for ruleset in CLASSIFIED_BY:
            codes = [c.level.code for c in cc.classify(program, ruleset)]
            cells.append(", ".join(codes) or "none")
        print(f"  {label:<{first}}{''.join(f'{text:<16}' for text in cells)}".rstrip())


def main() -> None:
    """Print the table, the error findings and the classifications."""
    table = build_table()
    show_table(table)
    print()
    show_errors(table)
    print()
    show_classification()


if __name__ == "__main__":
    main()
