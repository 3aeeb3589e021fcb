"""Rule sets as data: factory rules written in full by `to_dict` and as TOML by
`rulesets.dumps`, read back by `from_dict` and `rulesets.loads`; the shipped TOML files."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from importlib import resources
from typing import Any

import attrs
import pytest
from hypothesis import given

import carecontinuum as cc
from carecontinuum import rulesets
from carecontinuum.catalogs import ASAM3, GENERIC
from strategies import factory_rule_sets

MINE = """
[ruleset]
name = "MY_STATE_IOP"
version = "2026"
effective_from = 2026-01-01

[[rules]]
factory = "weekly_hours"
id = "MY-IOP-HOURS"
title = "IOP: 9-19 hours a week"
levels = ["GENERIC IOP"]
at_least = 9
at_most = 19
source = { title = "My State IOP policy", year = 2026 }

[[rules]]
factory = "service_every_day"
id = "MY-GROUP-DAILY"
title = "Group counseling every program day"
levels = [{ scheme = "GENERIC", code = "IOP" }]
services = ["group therapy", "process group"]
severity = "warning"
source = { title = "My State IOP policy" }
"""


def problems_of(text: str) -> tuple[str, ...]:
    with pytest.raises(cc.DataError) as info:
        rulesets.loads(text)
    return info.value.problems


def with_rule(**changes: object) -> str:
    """MINE with its first rule's keys changed (None drops a key)."""
    lines = MINE.split("\n")
    start = lines.index("[[rules]]")
    end = lines.index("[[rules]]", start + 1)
    first = [line for line in lines[start + 1 : end] if line.split(" = ")[0] not in changes]
    first += [f"{key} = {value}" for key, value in changes.items() if value is not None]
    return "\n".join([*lines[: start + 1], *first, "", *lines[end:]])


class TestLoads:
    def test_reads_a_hand_written_rule_set(self) -> None:
        """Each [[rules]] table is its factory called with its keys; dates are TOML dates;
        levels are 'SCHEME CODE' strings or tables; keys with defaults may be left out."""
        mine = rulesets.loads(MINE)
        source = cc.Source("My State IOP policy", year=2026)
        expected = cc.RuleSet(
            "MY_STATE_IOP",
            "2026",
            [
                rulesets.weekly_hours("MY-IOP-HOURS", "IOP: 9-19 hours a week", source=source,
                                      levels=GENERIC["IOP"], at_least=9, at_most=19),
                rulesets.service_every_day(
                    "MY-GROUP-DAILY", "Group counseling every program day",
                    source=cc.Source("My State IOP policy"), levels=GENERIC["IOP"],
                    services=[cc.Service.GROUP_THERAPY, cc.Service.PROCESS_GROUP],
                    severity="warning",
                ),
            ],
            effective_from=date(2026, 1, 1),
        )  # fmt: skip
        assert mine == expected

    def test_a_date_may_be_a_string(self) -> None:
        """effective_from as 'YYYY-MM-DD' text reads as the TOML date does."""
        text = MINE.replace("effective_from = 2026-01-01", 'effective_from = "2026-01-01"')
        assert rulesets.loads(text) == rulesets.loads(MINE)

    def test_the_rule_set_judges(self) -> None:
        """A loaded set judges as the Python one: an 8-hour IOP week is an error."""
        program = cc.ProgramStructure.weekly(
            GENERIC["IOP"], days=["mon", "wed"], hours_per_session=4, weeks=8
        )
        report = cc.validate(program, rulesets.loads(MINE), on=date(2026, 3, 2))
        assert [f.rule_id for f in report.errors] == ["MY-IOP-HOURS"]

    def test_text_that_is_not_toml_gives_the_line(self) -> None:
        """tomllib's own message, with its line and column."""
        (problem,) = problems_of(MINE.replace("at_most = 19", "at_most = = 19"))
        line = MINE.split("\n").index("at_most = 19") + 1
        assert problem.startswith("not TOML:") and f"line {line}," in problem

    def test_every_problem_at_its_toml_path(self) -> None:
        """Wrong types, unknown keys and factories, bad levels and refusals by the factory are
        listed together, each at its path, rules with the line of their table."""
        text = with_rule(at_least='"nine"', levels='["IOP"]', colour='"blue"')
        text = text.replace('version = "2026"', "version = 2026")
        text = text.replace('factory = "service_every_day"', 'factory = "group_daily"')
        text = text.replace("[ruleset]", "[ruleset]\nowner = 1")
        problems = problems_of(text)
        line = text.split("\n").index("[[rules]]") + 1
        assert problems == (
            "ruleset.version: expected a string, got 2026",
            "rules[0].levels[0]: expected a level as 'SCHEME CODE' (such as 'ASAM3 2.1') or a "
            f"table {{scheme, code}}, got 'IOP' (the [[rules]] table at line {line})",
            "rules[0].at_least: expected a number, got 'nine' (the [[rules]] table at line "
            f"{line})",
            f"rules[0].colour: unexpected key (a Rule has factory, id, title, source, levels, "
            f"populations, tracks, at_least, at_most, less_than, severity) (the [[rules]] table "
            f"at line {line})",
            "rules[1].factory: expected the name of a rule factory ('weekly_hours', "
            "'typical_weekly_hours', 'daily_hours', 'days_per_week', 'sessions_per_week', "
            "'days_without_service', 'service_every_day', 'session_hours', 'program_weeks', "
            "'attendance_rate'), got 'group_daily' (the [[rules]] table at line "
            f"{text.split(chr(10)).index('[[rules]]', line) + 1})",
            "ruleset.owner: unexpected key (a RuleSet has name, version, rules, description, "
            "effective_from, effective_until)",
        )

    @pytest.mark.parametrize(
        ("changes", "expected"),
        [
            ({"at_least": None, "at_most": None}, "rules[0].at_least: expected at least one bound"),
            ({"at_least": "20"}, "rules[0].at_least: expected at most at_most (19)"),
            ({"at_least": "-1"}, "rules[0].at_least: expected a finite number >= 0, got -1"),
            ({"levels": '["ASAM3 9.9"]'}, "rules[0].levels[0].code: "),
            ({"title": None}, "rules[0].title: missing; expected a string"),
            ({"factory": None}, "rules[0].factory: missing; expected the name of a rule factory"),
            ({"severity": '"fatal"'}, "rules[0].severity: expected one of 'error', 'warning'"),
        ],
        ids=["no bound", "floor over ceiling", "negative", "no such level", "no title",
             "no factory", "no such severity"],
    )  # fmt: skip
    def test_a_rule_its_factory_refuses(self, changes: dict[str, object], expected: str) -> None:
        """What the factory (or the catalog) refuses is said at the rule's key."""
        (problem,) = problems_of(with_rule(**changes))
        assert problem.startswith(expected), problem

    def test_the_document_shape(self) -> None:
        """A text without a [ruleset] table, with a key besides ruleset and rules, or with the
        rules inside [ruleset], is refused, naming each."""
        assert problems_of('[[rules]]\nfactory = "x"')[0] == (
            "ruleset: missing; expected a [ruleset] table (name, version, ...)"
        )
        problems = problems_of(MINE + "\n[extras]\na = 1\n")
        assert problems == ("extras: unexpected key (the text has a [ruleset] table and "
                            "[[rules]] tables)",)  # fmt: skip
        problems = problems_of('[ruleset]\nname = "A"\nversion = "1"\nrules = []\n')
        assert problems == ("ruleset.rules: unexpected key (the rules are [[rules]] tables, "
                            "after [ruleset])",)  # fmt: skip

    def test_refuses_what_is_not_text(self) -> None:
        """loads takes the text, not bytes or a file."""
        with pytest.raises(cc.InvalidTypeError, match="'text'"):
            rulesets.loads(MINE.encode())  # type: ignore[arg-type]


class TestDumps:
    def test_writes_what_loads_reads(self) -> None:
        """The [ruleset] table, one [[rules]] table per rule with its factory, catalog levels as
        'SCHEME CODE', no key for what is left at nothing."""
        text = rulesets.dumps(rulesets.loads(MINE))
        assert 'factory = "weekly_hours"' in text and '"GENERIC IOP",' in text
        assert "effective_from = 2026-01-01" in text and "less_than" not in text
        assert rulesets.loads(text) == rulesets.loads(MINE)

    def test_amended_sets_are_written_with_their_changes(self) -> None:
        """Overridden, re-graded and reduced sets stay factory rules, written as changed."""
        amended = (
            rulesets.NC_SAIOP_2026.override("NC-SAIOP-ADULT-HOURS", at_least=10)
            .with_severity("NC-SAIOP-GAP", "error")
            .without("NC-SAIOP-GROUP-DAILY")
        )
        assert rulesets.loads(rulesets.dumps(amended)) == amended
        assert cc.from_dict(cc.to_dict(amended)) == amended
        assert "at_least = 10" in rulesets.dumps(amended)

    def test_a_rule_written_in_python_is_refused_by_both_writers(self) -> None:
        """A rule of one's own with a custom check is named, at its path, by dumps and by
        to_dict."""

        def own_check(context: cc.RuleContext) -> Any:
            return iter(())

        own = cc.Rule("OWN-1", "A clinic's own rule", source=cc.Source("Clinic"), check=own_check)
        mixed = cc.RuleSet("Mixed", "1", [*rulesets.TEDS.rules, own])
        expected = (
            f"rules[{len(rulesets.TEDS.rules)}]: rule 'OWN-1' has a check written in Python: "
            "only factory rules are data"
        )
        for write in (rulesets.dumps, cc.to_dict):
            with pytest.raises(cc.DataError) as info:
                write(mixed)
            (problem,) = info.value.problems
            assert problem.startswith(expected), problem

    def test_a_built_in_rule_written_in_python_is_named_by_reference(self) -> None:
        """A built-in rule whose check is code (HCPCS H0015's track rule) is written as the
        set, version and id it is found by, in TOML and in plain data, and read back."""
        mixed = rulesets.TEDS | rulesets.HCPCS_H0015
        text = rulesets.dumps(mixed)
        assert '[[rules]]\nruleset = "HCPCS_H0015"\nversion = "H0015"\nid = "H0015-TRACK"' in text
        assert rulesets.loads(text) == mixed
        assert cc.from_dict(cc.to_dict(mixed)) == mixed
        broken = text.replace('id = "H0015-TRACK"', 'id = "H0015-TRACKS"')
        with pytest.raises(cc.DataError) as info:
            rulesets.loads(broken)
        assert any(p.startswith(f"rules[{len(mixed.rules) - 1}].id") for p in info.value.problems)

    def test_a_level_of_ones_own_is_written_in_full(self) -> None:
        """A level of a continuum of one's own is a table of its fields, read back equal."""
        level = attrs.evolve(ASAM3["2.1"], scheme="MYSTATE", code="IOP-A", aliases=())
        rule = rulesets.weekly_hours("R", "t", source=cc.Source("S"), levels=level, at_least=9)
        mine = cc.RuleSet("MINE", "1", [rule])
        text = rulesets.dumps(mine)
        assert 'scheme = "MYSTATE"' in text
        assert rulesets.loads(text) == mine

    def test_refuses_what_is_not_a_rule_set(self) -> None:
        with pytest.raises(cc.InvalidTypeError, match="'ruleset'"):
            rulesets.dumps(rulesets.TEDS.rules[0])  # type: ignore[arg-type]

    def test_without_tomli_w_the_error_names_the_extra(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """dumps imports tomli_w when called; without it, MissingExtraError names the toml
        extra."""
        monkeypatch.setitem(sys.modules, "tomli_w", None)
        with pytest.raises(cc.MissingExtraError, match=r"carecontinuum\[toml\]") as info:
            rulesets.dumps(rulesets.TEDS)
        assert info.value.package == "tomli-w" and "rulesets.dumps()" in str(info.value)


@given(factory_rule_sets())
def test_factory_rule_sets_round_trip(ruleset: cc.RuleSet) -> None:
    """Any rule set of factory rules, amended or not: loads(dumps(rs)) == rs and
    from_dict(to_dict(rs)) == rs."""
    assert rulesets.loads(rulesets.dumps(ruleset)) == ruleset
    assert cc.from_dict(cc.RuleSet, cc.to_dict(ruleset)) == ruleset


SHIPPED = resources.files("carecontinuum.rulesets") / "toml"


def _of_factory_rules(ruleset: cc.RuleSet) -> bool:
    """Whether every rule of the set is a factory's (a set that holds a rule whose check is
    code would name itself by reference: not shipped)."""
    text = rulesets.dumps(ruleset)
    return "factory" in text and all("factory" in table for table in text.split("[[rules]]")[1:])


class TestShippedFiles:
    def test_every_built_in_set_of_factory_rules_is_shipped(self) -> None:
        """One file per built-in set made only of factory rules, and no other."""
        names = sorted(f.name for f in SHIPPED.iterdir() if f.name.endswith(".toml"))
        expected = sorted(f"{n}.toml" for n, rs in rulesets.ALL.items() if _of_factory_rules(rs))
        assert names == expected
        assert "ASAM3.toml" in names and "MEDICARE_2024.toml" not in names

    @pytest.mark.parametrize("name", [n for n, rs in rulesets.ALL.items() if _of_factory_rules(rs)])
    def test_each_file_equals_its_python_definition(self, name: str) -> None:
        """The file, read, is the built-in set: every rule, figure, source and date."""
        text = (SHIPPED / f"{name}.toml").read_text(encoding="utf-8")
        assert rulesets.loads(text) == rulesets.ALL[name]


def test_toml_modules_load_only_when_used() -> None:
    """Neither `import carecontinuum` nor `import carecontinuum.rulesets` imports tomllib or
    tomli_w; loads imports tomllib only."""
    code = (
        "import sys, carecontinuum, carecontinuum.rulesets as r;"
        "print(sorted(m for m in ('tomllib', 'tomli_w') if m in sys.modules));"
        'r.loads(\'[ruleset]\\nname = "A"\\nversion = "1"\');'
        "print(sorted(m for m in ('tomllib', 'tomli_w') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split("\n")[:2] == ["[]", "['tomllib']"]
