"""docs/rules-reference.md lists every built-in rule set and rule, and is generated from them.

The page is data, not prose: `render_rules_reference()` writes it from `carecontinuum.rulesets`,
and the test below fails whenever a rule set changes without the page being regenerated.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from datetime import date
from pathlib import Path

import carecontinuum as cc
from carecontinuum import rulesets

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "docs" / "rules-reference.md"
REGENERATE = (
    "python -c \"import sys; sys.path.insert(0, 'tests'); "
    "from test_rules_reference import render_rules_reference as r; "
    "open('docs/rules-reference.md','w').write(r())\""
)

_INTRO = """\
# Rules reference

Every built-in rule set of `carecontinuum.rulesets` and every rule in it: what the rule checks,
how severe its findings are, which programs it judges, its thresholds and its source. The
[how-to on state rule sets](howto-state-ruleset.md) shows how to compose, amend and extend
them.

How to read an entry:

- **Levels**: the levels of care the rule judges, as "SCHEME CODE". A program at a level of
  another scheme is judged at the corresponding level through the crosswalk (a GENERIC IOP
  program is judged by the rules for ASAM3 2.1). "any" means the rule is not scoped to levels.
- **Populations** and **tracks**: the programs the rule judges; "all" means every one.
- **Thresholds**: the rule's parameters, by the names `RuleSet.override` takes. `at_least` and
  `at_most` are inclusive, `less_than` is exclusive; a bound that is not set is not listed.
- **Tags**: "intensity" marks the rules `classify` decides levels by.
- **Source**: the citation every finding of the rule carries, then its note: where sources
  disagree and which one the rule follows, or figures carried over from another edition.

Sources are referenced by codes, names and numbers only; the ASAM criteria text is ASAM's.

This page is generated from the rule sets by `tests/test_rules_reference.py`, and a test fails
when it is out of date. Do not edit it by hand; from the repository root, regenerate it with:

```sh
{regenerate}
```
"""


def _cell(text: str) -> str:
    """Text safe inside a Markdown table cell."""
    return text.replace("|", "\\|").replace("\n", " ")


def _day(day: date | None) -> str:
    return day.isoformat() if day is not None else "-"


def _effective(ruleset: cc.RuleSet) -> str:
    start, end = ruleset.effective_from, ruleset.effective_until
    if start is None and end is None:
        return "not dated"
    if end is None:
        return f"from {_day(start)}"
    if start is None:
        return f"until {_day(end)}"
    return f"from {_day(start)} until {_day(end)}"


def _levels(rule: cc.Rule) -> str:
    return ", ".join(f"{level.scheme} {level.code}" for level in rule.levels) or "any"


def _values(items: Iterable[enum.Enum]) -> str:
    return ", ".join(sorted(item.value for item in items)) or "all"


def _value(value: object) -> str:
    if isinstance(value, enum.Enum):
        return str(value.value)
    if isinstance(value, tuple):
        return "(" + ", ".join(_value(item) for item in value) + ")"
    return repr(value)


def _thresholds(rule: cc.Rule) -> str:
    shown = [
        f"`{name}={_value(value)}`" for name, value in rule.params.items() if value is not None
    ]
    return ", ".join(shown) or "none"


def _rule_section(rule: cc.Rule) -> list[str]:
    lines = [
        f"### {rule.id}",
        "",
        f"- **Title:** {rule.title}",
        f"- **Severity:** {rule.severity.value}",
        f"- **Levels:** {_levels(rule)}",
        f"- **Populations:** {_values(rule.populations)}",
        f"- **Tracks:** {_values(rule.tracks)}",
        f"- **Judges:** {', '.join(kind.__name__ for kind in rule.judges)}",
        f"- **Thresholds:** {_thresholds(rule)}",
        f"- **Tags:** {', '.join(sorted(rule.tags)) or 'none'}",
        f"- **Source:** {rule.source.citation}",
    ]
    if rule.source.url:
        lines.append(f"- **Source address:** <{rule.source.url}>")
    lines.append(f"- **Source note:** {rule.source.note or '(none)'}")
    return [*lines, ""]


def _ruleset_section(ruleset: cc.RuleSet) -> list[str]:
    lines = [
        f"## {ruleset.name}",
        "",
        f"- **Version:** {ruleset.version}",
        f"- **Effective:** {_effective(ruleset)}",
        f"- **Rules:** {len(ruleset)}",
        "",
        ruleset.description,
        "",
        "| rule | title | severity | levels | populations | thresholds |",
        "|---|---|---|---|---|---|",
    ]
    lines += [
        f"| {rule.id} | {_cell(rule.title)} | {rule.severity.value} | {_cell(_levels(rule))} "
        f"| {_values(rule.populations)} | {_cell(_thresholds(rule))} |"
        for rule in ruleset
    ]
    lines.append("")
    for rule in ruleset:
        lines += _rule_section(rule)
    return lines


def render_rules_reference() -> str:
    """The Markdown of docs/rules-reference.md, from the rule sets in `rulesets.ALL`."""
    lines = [_INTRO.format(regenerate=REGENERATE)]
    lines += [
        "## The rule sets",
        "",
        "| rule set | version | effective | rules | description |",
        "|---|---|---|---|---|",
    ]
    lines += [
        f"| {name} | {_cell(rs.version)} | {_effective(rs)} | {len(rs)} | {_cell(rs.description)} |"
        for name, rs in rulesets.ALL.items()
    ]
    lines.append("")
    for ruleset in rulesets.ALL.values():
        lines += _ruleset_section(ruleset)
    return "\n".join(lines).rstrip("\n") + "\n"


def test_rules_reference_page_is_up_to_date() -> None:
    """docs/rules-reference.md is exactly what the rule sets generate."""
    page = PAGE.read_text(encoding="utf-8") if PAGE.exists() else ""
    assert page == render_rules_reference(), (
        "docs/rules-reference.md is out of date with carecontinuum.rulesets; regenerate it "
        f"from the repository root with:\n    {REGENERATE}"
    )


def test_rules_reference_names_every_rule_set_and_rule() -> None:
    """Each built-in rule set and each of its rules has a heading of its own."""
    text = render_rules_reference()
    headings = {line for line in text.splitlines() if line.startswith("#")}
    for name, ruleset in rulesets.ALL.items():
        assert f"## {name}" in headings
        for rule in ruleset:
            assert f"### {rule.id}" in headings


def test_rules_reference_holds_no_code_to_run() -> None:
    """The page is data: no block for the docs test to run."""
    text = render_rules_reference()
    assert "```python" not in text
    assert "```pycon" not in text
