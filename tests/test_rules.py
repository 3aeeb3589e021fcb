"""The rule engine: rules, rule sets, composition and overrides, reports, crashes, scoping."""

from __future__ import annotations

import copy
import datetime as dt
import math
import pickle
from collections.abc import Iterator
from typing import Any

import attrs
import pendulum
import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

import carecontinuum as cc
from carecontinuum import rulesets, strategies
from carecontinuum._errors import _MAX_SUGGESTED_LENGTH
from carecontinuum._measures import profile_of, weeks_of
from carecontinuum.catalogs import ASAM3, GENERIC, LOCUS
from fuzzing import cpu_time

SOURCE = cc.Source("Test policy", publisher="Test", year=2026)


def iop(hours_per_session: float = 3, days: tuple[str, ...] = ("mon", "wed", "fri"),
        **kw: object) -> cc.ProgramStructure:  # fmt: skip
    return cc.ProgramStructure.weekly(
        kw.pop("level", GENERIC["IOP"]),  # type: ignore[arg-type]
        days=list(days),
        hours_per_session=hours_per_session,
        weeks=8,
        **kw,  # type: ignore[arg-type]
    )


def no_saturday(context: cc.RuleContext) -> Iterator[cc.Finding]:
    program = context.subject
    assert isinstance(program, cc.ProgramStructure)
    for i, session in enumerate(program.sessions):
        if session.weekday.name == "SATURDAY":
            yield context.finding(
                "No Saturday sessions.",
                expected="weekdays",
                found="Saturday",
                path=f"sessions[{i}]",
            )


def crashing(context: cc.RuleContext) -> Iterator[cc.Finding]:
    raise ZeroDivisionError("boom")


NO_SATURDAY = cc.Rule("T-NO-SAT", "No Saturday sessions", source=SOURCE, check=no_saturday)


def _in_full(finding: cc.Finding) -> str:
    """A finding as a line that gives every word of it."""
    where = f" @ {finding.path}" if finding.path else ""
    return (
        f"  {finding.severity.value} {finding.rule_id}{where}: {finding.message} "
        f"(expected {finding.expected}; found {finding.found})"
    )


class TestSourceAndFinding:
    def test_source_renders_as_a_citation(self) -> None:
        """Title, publisher, year and locator read as a citation."""
        assert str(SOURCE) == "Test policy (Test, 2026)"
        assert str(cc.Source("Only a title")) == "Only a title"

    @pytest.mark.parametrize(
        ("kwargs", "field"),
        [
            ({"title": ""}, "title"),
            ({"title": "x", "year": "2026"}, "year"),
            ({"title": "x", "note": 3}, "note"),
        ],
    )
    def test_malformed_sources_are_refused(self, kwargs: dict[str, object], field: str) -> None:
        """A citation's fields are checked and named."""
        with pytest.raises(cc.CareContinuumError) as info:
            cc.Source(**kwargs)  # type: ignore[arg-type]
        assert info.value.field == field  # type: ignore[attr-defined]

    def test_findings_check_their_fields(self) -> None:
        """A finding with a bad severity or source is refused."""
        with pytest.raises(cc.InvalidTypeError):
            cc.Finding("X", 3, "m", expected="e", found="f", source=SOURCE)  # type: ignore[arg-type]
        with pytest.raises(cc.InvalidTypeError):
            cc.Finding("X", cc.Severity.ERROR, "m", expected="e", found="f", source="S")  # type: ignore[arg-type]


def _context(rule: cc.Rule = NO_SATURDAY) -> cc.RuleContext:
    ruleset = cc.RuleSet("T", "1", [rule])
    return cc.RuleContext(iop(), rule, ruleset, None, None, None, {})


class TestDeferredFindings:
    """`RuleContext.deferred_finding`: the text is written on first read, and the finding is
    otherwise indistinguishable from one built with its text."""

    TEXT = ("No Saturday sessions.", "weekdays", "Saturday", GENERIC["OP"])

    def test_a_deferred_finding_equals_the_eager_one(self) -> None:
        """Same fields, same equality, hash, repr and str as `finding` with the same text."""
        context = _context()
        eager = context.finding(
            "No Saturday sessions.", expected="weekdays", found="Saturday", path="sessions[5]",
            looks_like=GENERIC["OP"],
        )  # fmt: skip
        deferred = context.deferred_finding(lambda: self.TEXT, path="sessions[5]")
        assert deferred == eager
        assert hash(context.deferred_finding(lambda: self.TEXT, path="sessions[5]")) == hash(eager)
        assert repr(context.deferred_finding(lambda: self.TEXT, path="sessions[5]")) == repr(eager)
        assert str(context.deferred_finding(lambda: self.TEXT, path="sessions[5]")) == str(eager)
        assert deferred.looks_like == GENERIC["OP"]
        assert (deferred.rule_id, deferred.severity, deferred.source) == (
            "T-NO-SAT", cc.Severity.ERROR, SOURCE,
        )  # fmt: skip

    def test_the_explanation_runs_once_and_only_when_read(self) -> None:
        calls: list[int] = []

        def explain() -> tuple[str, str, str, None]:
            calls.append(1)
            return ("m", "e", "f", None)

        finding = _context().deferred_finding(explain)
        assert calls == []
        assert finding.found == "f"
        assert (finding.message, finding.expected, finding.looks_like) == ("m", "e", None)
        assert calls == [1]

    @pytest.mark.parametrize("copier", [
        lambda f: pickle.loads(pickle.dumps(f)),
        copy.deepcopy,
        attrs.evolve,
    ])  # fmt: skip
    def test_copies_and_pickles_carry_the_text(self, copier: object) -> None:
        """Pickling (for process pools) and copying render the text first."""
        finding = _context().deferred_finding(lambda: self.TEXT, path="p")
        clone = copier(finding)  # type: ignore[operator]
        assert (clone.message, clone.expected, clone.found, clone.looks_like) == self.TEXT
        assert clone == finding

    @pytest.mark.parametrize(
        ("explain", "says"),
        [
            (lambda: 1 / 0, "ZeroDivisionError"),
            (lambda: ("", "e", "f", None), "'message' must be a non-empty string"),
            (lambda: ("m", "e", 3, None), "'found'"),
            (lambda: ("m", "e", "f", "OP"), "'looks_like'"),
            (lambda: ("m", "e"), "ValueError"),
        ],
    )
    def test_a_failing_explanation_is_reported_in_the_text(
        self, explain: object, says: str
    ) -> None:
        """Reading a finding never raises: a broken explanation becomes the message."""
        finding = _context().deferred_finding(explain)  # type: ignore[arg-type]
        assert finding.message.startswith("Rule T-NO-SAT could not explain its finding: ")
        assert says in finding.message
        assert (finding.expected, finding.looks_like) == ("an explanation", None)

    @pytest.mark.parametrize(
        ("kwargs", "field"),
        [
            ({"explain": "text"}, "explain"),
            ({"explain": lambda: TestDeferredFindings.TEXT, "path": 3}, "path"),
            ({"explain": lambda: TestDeferredFindings.TEXT, "severity": 2}, "severity"),
        ],
    )
    def test_bad_arguments_are_refused(self, kwargs: dict[str, object], field: str) -> None:
        with pytest.raises(cc.InvalidTypeError) as info:
            _context().deferred_finding(**kwargs)  # type: ignore[arg-type]
        assert info.value.field == field

    def test_severity_can_be_lowered(self) -> None:
        finding = _context().deferred_finding(lambda: self.TEXT, severity=cc.Severity.INFO)
        assert finding.severity is cc.Severity.INFO

    def test_builtin_intensity_findings_read_the_same_as_before(self) -> None:
        """The weekly-hours rule defers its text: the text is the domain sentence."""
        report = cc.validate(iop(2.75, level=cc.catalogs.ASAM3["2.1"]), rulesets.ASAM3)
        (error,) = report.errors
        assert error.found == "8.25 clinical hours in the typical week"
        assert error.expected == "at least 9 and less than 20 clinical hours a week"
        assert error.looks_like == cc.catalogs.ASAM3["1"]
        assert error.message.endswith("It looks like ASAM3 1 (Outpatient Services) instead.")


class TestRule:
    def test_a_custom_rule_is_a_function_and_one_call(self) -> None:
        """The custom rule judges the program and its finding carries id, severity, source."""
        program = iop(days=("mon", "wed", "sat"))
        report = cc.validate(program, cc.RuleSet("test", "1", [NO_SATURDAY]))
        (finding,) = report.findings
        assert (finding.rule_id, finding.severity, finding.source) == (
            "T-NO-SAT", cc.Severity.ERROR, SOURCE)  # fmt: skip
        assert finding.path == "sessions[2]"

    @pytest.mark.parametrize(
        ("kwargs", "field"),
        [
            ({"source": "policy"}, "source"),
            ({"check": 3}, "check"),
            ({"judges": "ProgramStructure"}, "judges"),
            ({"levels": ["IOP"]}, "levels[0]"),
            ({"populations": ["adults"]}, "populations[0]"),
            ({"severity": "fatal"}, "severity"),
            ({"tags": "intensity"}, "tags"),
            ({"params": [("a", 1)]}, "params"),
        ],
    )
    def test_malformed_rules_are_refused(self, kwargs: dict[str, object], field: str) -> None:
        """Each field of a rule is checked and named."""
        fields: dict[str, object] = {"source": SOURCE, "check": no_saturday}
        fields.update(kwargs)
        with pytest.raises(cc.CareContinuumError) as info:
            cc.Rule("X", "x", **fields)  # type: ignore[arg-type]
        assert info.value.field == field  # type: ignore[attr-defined]

    def test_unknown_parameter_names_are_refused(self) -> None:
        """param() names what exists."""
        rule = rulesets.ASAM3["ASAM3-2.1-ADULT-HOURS"]
        assert rule.param("at_least") == 9
        with pytest.raises(cc.InvalidValueError) as info:
            rule.param("minimum")
        assert "at_least" in str(info.value)

    def test_factories_refuse_inconsistent_bounds(self) -> None:
        """A band whose floor is above its ceiling, or with no bound at all, is refused."""
        with pytest.raises(cc.InvalidValueError):
            rulesets.weekly_hours("X", "x", source=SOURCE, levels=GENERIC["IOP"], at_least=10,
                                  at_most=9)  # fmt: skip
        with pytest.raises(cc.InvalidValueError):
            rulesets.weekly_hours("X", "x", source=SOURCE, levels=GENERIC["IOP"])
        with pytest.raises(cc.InvalidValueError):
            rulesets.weekly_hours("X", "x", source=SOURCE, levels=GENERIC["IOP"], at_most=19,
                                  less_than=20)  # fmt: skip
        with pytest.raises(cc.InvalidTypeError):
            rulesets.weekly_hours("X", "x", source=SOURCE, levels=GENERIC["IOP"], at_least=True)


class TestRuleSet:
    def test_a_million_character_rule_id_is_refused_at_once(self) -> None:
        """An absurd rule id is refused without fuzzy matching, in a short message."""
        for ruleset in rulesets.ALL.values():
            with cpu_time() as spent, pytest.raises(cc.UnknownRuleError) as info:
                ruleset["Q" * 10**6]
            assert spent.seconds < 1.0
            assert info.value.suggestions == () and len(str(info.value)) < 400

    def test_suggestions_reach_the_longest_lookup_and_stop_past_it(self) -> None:
        """A typo of a rule id as long as the limit (100 characters) is still suggested; one
        a character longer is not compared."""
        at = "R" * (_MAX_SUGGESTED_LENGTH - 1)
        over = "S" * _MAX_SUGGESTED_LENGTH
        ruleset = cc.RuleSet("x", "1", [attrs.evolve(NO_SATURDAY, id=at + "A"),
                                        attrs.evolve(NO_SATURDAY, id=over + "A")])  # fmt: skip
        with pytest.raises(cc.UnknownRuleError) as info:
            ruleset[at + "B"]
        assert info.value.suggestions == (at + "A",)
        with pytest.raises(cc.UnknownRuleError) as info:
            ruleset[over + "B"]
        assert info.value.suggestions == ()

    def test_composition_unites_rules_in_order(self) -> None:
        """A | B holds A's rules then B's, and judges by both."""
        both = rulesets.TYPICAL_IOP | rulesets.HCPCS_H0015
        assert both.ids == rulesets.TYPICAL_IOP.ids + rulesets.HCPCS_H0015.ids
        assert both.name == "TYPICAL_IOP | HCPCS_H0015"
        report = cc.validate(iop(hours_per_session=2.5, days=("mon", "tue", "wed", "thu")), both)
        assert [f.rule_id for f in report.errors] == ["H0015-HOURS-PER-DAY"] * 4

    def test_duplicate_ids_are_an_error(self) -> None:
        """Composing a set with itself, or listing a rule twice, is refused."""
        with pytest.raises(cc.DuplicateRuleError):
            rulesets.ASAM3 | rulesets.ASAM3
        with pytest.raises(cc.DuplicateRuleError) as info:
            cc.RuleSet("x", "1", [NO_SATURDAY, NO_SATURDAY])
        assert info.value.field == "rules[1].id"

    def test_without_drops_rules_by_id(self) -> None:
        """Dropping the gap rule lets Monday-Wednesday pass NC's set."""
        program = iop(days=("mon", "tue", "wed"))
        assert not cc.validate(program, rulesets.NC_SAIOP).ok
        relaxed = rulesets.NC_SAIOP.without("NC-SAIOP-GAP")
        assert cc.validate(program, relaxed).ok
        assert "NC-SAIOP-GAP" not in relaxed and relaxed.name == "NC_SAIOP (amended)"
        with pytest.raises(cc.UnknownRuleError):
            rulesets.NC_SAIOP.without("NC-SAIOP-GAPS")

    def test_with_severity_turns_an_error_into_a_warning(self) -> None:
        """A payer's hard rule can be softened without subclassing."""
        softer = rulesets.NC_SAIOP.with_severity("NC-SAIOP-GAP", cc.Severity.WARNING)
        report = cc.validate(iop(days=("mon", "tue", "wed")), softer)
        assert report.ok and [f.rule_id for f in report.warnings] == ["NC-SAIOP-GAP"]

    def test_override_changes_a_threshold_and_cites_the_new_source(self) -> None:
        """A state lowering IOP's floor to 8 hours: 8.25 passes, citing the state."""
        windmill = iop(hours_per_session=2.75)
        assert not cc.validate(windmill, rulesets.ASAM3).ok
        state = cc.Source("State IOP rule", year=2026)
        mine = rulesets.ASAM3.override("ASAM3-2.1-ADULT-HOURS", at_least=8, source=state)
        assert cc.validate(windmill, mine).ok
        low = cc.validate(iop(hours_per_session=2.5), mine)
        assert [f.source for f in low.errors] == [state]
        assert rulesets.ASAM3["ASAM3-2.1-ADULT-HOURS"].params["at_least"] == 9  # untouched

    def test_override_without_a_source_records_the_change(self) -> None:
        """The original citation stays, with a note of what was changed locally."""
        mine = rulesets.ASAM3.override("ASAM3-2.1-ADULT-HOURS", at_least=8)
        note = mine["ASAM3-2.1-ADULT-HOURS"].source.note or ""
        assert note.endswith("Locally overridden: at_least 9 -> 8")
        assert mine["ASAM3-2.1-ADULT-HOURS"].title.endswith("[amended: at_least 8]")

    def test_with_severity_records_the_change_in_the_source(self) -> None:
        """A softened rule's findings say it was softened locally."""
        softer = rulesets.NC_SAIOP.with_severity("NC-SAIOP-GAP", cc.Severity.WARNING)
        assert (
            "severity changed locally from error to warning"
            in (softer["NC-SAIOP-GAP"].source.note or "").lower()
        )

    @pytest.mark.parametrize(
        ("params", "error"),
        [
            ({"minimum": 8}, cc.InvalidValueError),
            ({"at_least": "8"}, cc.InvalidTypeError),
            ({"at_least": float("nan")}, cc.InvalidValueError),
            ({"at_least": -1}, cc.InvalidValueError),
            ({"at_least": 25}, cc.InvalidValueError),
            ({}, cc.InvalidValueError),
        ],
    )
    def test_bad_overrides_are_refused(
        self, params: dict[str, object], error: type[Exception]
    ) -> None:
        """Unknown names, bad values and a floor above the ceiling are refused."""
        with pytest.raises(error):
            rulesets.ASAM3.override("ASAM3-2.1-ADULT-HOURS", **params)

    def test_override_of_a_non_numeric_parameter_keeps_its_type(self) -> None:
        """SACOT's services list takes another tuple of services, not a string."""
        widened = rulesets.NC_SACOT.override(
            "NC-SACOT-GROUP-DAILY", services=(cc.Service.GROUP_THERAPY, cc.Service.PEER_SUPPORT)
        )
        assert cc.Service.PEER_SUPPORT in widened["NC-SACOT-GROUP-DAILY"].params["services"]  # type: ignore[operator]
        with pytest.raises(cc.InvalidTypeError):
            rulesets.NC_SACOT.override("NC-SACOT-GROUP-DAILY", services="group")

    def test_unknown_rule_ids_suggest_close_ones(self) -> None:
        """A KeyError that helps."""
        with pytest.raises(cc.UnknownRuleError) as info:
            rulesets.TEDS["TEDS-IOP-HOURS-PER-DAYS"]
        assert isinstance(info.value, KeyError)
        assert info.value.suggestions[0] == "TEDS-IOP-HOURS-PER-DAY"

    def test_rule_sets_are_immutable_hashable_and_picklable(self) -> None:
        """Values that cross process boundaries."""
        for ruleset in rulesets.ALL.values():
            assert pickle.loads(pickle.dumps(ruleset)) == ruleset
            assert hash(ruleset) == hash(pickle.loads(pickle.dumps(ruleset)))
            with pytest.raises(attrs.exceptions.FrozenInstanceError):
                ruleset.name = "x"  # type: ignore[misc]

    def test_effective_dates_are_checked(self) -> None:
        """A set cannot end before it starts, and dates must be dates."""
        with pytest.raises(cc.InvalidValueError):
            cc.RuleSet("x", "1", [], effective_from=dt.date(2026, 1, 1),
                       effective_until=dt.date(2025, 1, 1))  # fmt: skip
        with pytest.raises(cc.InvalidTypeError):
            cc.RuleSet("x", "1", [], effective_from=dt.datetime(2026, 1, 1))  # type: ignore[arg-type]

    def test_levels_lists_the_scoped_levels(self) -> None:
        """The levels a set's intensity rules speak of, by intensity."""
        assert [lvl.code for lvl in rulesets.ASAM3.levels(tag="intensity")] == [
            "1", "2.1", "2.5", "3.1"]  # fmt: skip


class TestValidate:
    def test_a_crashing_rule_is_a_finding_and_hides_nothing(self) -> None:
        """The crash names the rule; the other rules' findings are all still there."""
        broken = cc.Rule("T-CRASH", "Crashes", source=SOURCE, check=crashing)
        ruleset = cc.RuleSet("t", "1", [broken, NO_SATURDAY])
        report = cc.validate(iop(days=("mon", "sat")), ruleset)
        assert [f.rule_id for f in report.errors] == ["T-CRASH", "T-NO-SAT"]
        crash = report.errors[0]
        assert "T-CRASH" in crash.message and "ZeroDivisionError: boom" in crash.found
        assert report.applied == ("T-CRASH", "T-NO-SAT")

    def test_raise_for_errors_raises_an_exception_group(self) -> None:
        """One RuleViolation per ERROR finding, each holding it; except* picks them out."""
        report = cc.validate(iop(days=("mon", "sat")), cc.RuleSet("t", "1", [NO_SATURDAY]))
        with pytest.raises(cc.RuleViolationError) as info:
            report.raise_for_errors()
        group = info.value
        assert isinstance(group, ExceptionGroup) and isinstance(group, cc.CareContinuumError)
        assert [e.finding for e in group.exceptions] == list(report.errors)
        assert group.exceptions[0].__notes__ == ["@ sessions[1]"]
        caught = []
        try:
            report.raise_for_errors()
        except* cc.RuleViolation as matched:
            caught.extend(matched.exceptions)
        assert len(caught) == 1

    def test_a_violation_s_message_is_bounded_and_its_finding_whole(self) -> None:
        """A raised RuleViolation says every word of its finding when that fits 400
        characters, as every error does; past that, the message is clipped to leave room for
        what was expected and found (each clipped at 80). The finding keeps every word."""
        short = cc.Finding("T-X", cc.Severity.ERROR, "Too few hours.", expected="9 hours",
                           found="8 hours", path="sessions", source=SOURCE)  # fmt: skip
        assert str(cc.RuleViolation(short)) == short._full()
        long = attrs.evolve(short, message="Week 1 has too few hours; " * 20)
        assert len(long._full()) > 400
        text = str(cc.RuleViolation(long))
        assert 390 <= len(text) <= 400 and text.startswith("error T-X @ sessions: Week 1 has")
        assert text.endswith("\u2026 (expected 9 hours; found 8 hours)")
        assert cc.RuleViolation(long).finding == long
        wordy = attrs.evolve(long, found="8 hours " * 100)
        text = str(cc.RuleViolation(wordy))
        assert len(text) <= 400 and "; found 8 hours 8 hours" in text

    def test_an_ok_report_does_not_raise(self) -> None:
        """Warnings are not errors."""
        cc.validate(iop(), rulesets.TYPICAL_IOP).raise_for_errors()

    def test_rules_judge_only_their_kind_of_subject(self) -> None:
        """A rule for another kind of subject is skipped, and the report says so."""
        about_strings = cc.Rule("T-STR", "Strings", source=SOURCE, check=crashing, judges=str)
        report = cc.validate(iop(), cc.RuleSet("t", "1", [about_strings, NO_SATURDAY]))
        assert report.skipped == ("T-STR",) and report.applied == ("T-NO-SAT",)

    def test_generic_programs_are_judged_by_asam_rules_through_the_crosswalk(self) -> None:
        """A GENERIC IOP program meets ASAM3's 2.1 rule; no note, as the mapping is exact."""
        report = cc.validate(iop(hours_per_session=2), rulesets.ASAM3)
        assert report.applied == ("ASAM3-2.1-ADULT-HOURS",)
        assert [f.rule_id for f in report.findings] == ["ASAM3-2.1-ADULT-HOURS"]

    def test_an_approximate_crosswalk_is_noted(self) -> None:
        """A LOCUS 3 program is judged as generic IOP, with an INFO finding saying how."""
        report = cc.validate(iop(level=LOCUS["3"]), rulesets.TYPICAL_IOP)
        assert "TYPICAL-IOP-HOURS" in report.applied
        (note,) = [f for f in report.infos if f.rule_id == "CROSSWALK"]
        assert "approximate" in note.message and note.found == "LOCUS 3"

    def test_a_look_alike_level_of_ones_own_is_reported_not_skipped(self) -> None:
        """In a scheme of one's own, a program whose level has the rule's scheme and code but
        differs from the rule's level (a trailing space) gets an ERROR naming the field, not a
        silent skip; the rule's own level is judged, and another code is out of scope."""

        def day(name: str, code: str = "DAY") -> cc.LevelOfCare:
            return cc.LevelOfCare(code, name, "CLINIC", cc.Setting.OUTPATIENT, overnight=False,
                                  supervision=cc.Supervision.SCHEDULED, rank=1)  # fmt: skip

        rule = rulesets.weekly_hours("CLINIC-DAY", "Day program: 9+ hours", source=SOURCE,
                                     levels=day("Day program"), at_least=9)  # fmt: skip
        clinic = cc.RuleSet("clinic", "1", [rule])
        look_alike = iop(hours_per_session=0.5, level=day("Day program "))
        report = cc.validate(look_alike, clinic)
        (error,) = report.findings
        assert error.rule_id == "LEVEL-MISMATCH" and not report.ok and report.applied == ()
        assert "CLINIC-DAY" in error.message and "'name'" in error.message
        real = cc.validate(iop(hours_per_session=0.5, level=day("Day program")), clinic)
        assert real.applied == ("CLINIC-DAY",)
        assert [f.rule_id for f in real.errors] == ["CLINIC-DAY"]
        other = cc.validate(iop(level=day("Night program", code="NIGHT")), clinic)
        assert other.ok and other.applied == ()
        assert [f.rule_id for f in other.findings] == ["NO-RULE-APPLIES"]

    @pytest.mark.parametrize("level", [LOCUS["6"], GENERIC["INPATIENT"]])
    def test_hospital_care_is_not_judged_as_low_intensity_residential(
        self, level: cc.LevelOfCare
    ) -> None:
        """Hospital care (LOCUS 6, generic INPATIENT) crosswalks to ASAM 4, so ASAM 3.1's
        residential floor does not judge it, while a generic residential program still meets
        that rule."""
        report = cc.validate(iop(hours_per_session=1, level=level), rulesets.ASAM3)
        assert report.applied == () and report.ok
        residential = cc.validate(iop(hours_per_session=1, level=GENERIC["RESIDENTIAL"]),
                                  rulesets.ASAM3)  # fmt: skip
        assert residential.applied == ("ASAM3-3.1-HOURS",) and not residential.ok

    def test_as_level_judges_at_another_level(self) -> None:
        """'Would this pass as PHP?'"""
        program = iop(hours_per_session=5, days=("mon", "tue", "wed", "thu"))
        assert cc.validate(program, rulesets.MEDICARE_2024, as_level=GENERIC["PHP"]).ok
        report = cc.validate(program, rulesets.MEDICARE_2024)
        assert report.level == GENERIC["IOP"] and not report.ok

    def test_bad_arguments_are_library_errors(self) -> None:
        """Not a rule set (nor a list of them), not a level."""
        with pytest.raises(cc.InvalidTypeError):
            cc.validate(iop(), "ASAM3")  # type: ignore[arg-type]
        with pytest.raises(cc.InvalidTypeError):
            cc.validate(iop(), rulesets.ASAM3, as_level="2.1")  # type: ignore[arg-type]
        with pytest.raises(cc.InvalidTypeError):
            cc.classify(iop(), [rulesets.ASAM3, "MEDICARE_2024"])  # type: ignore[list-item]

    def test_reports_print_one_line_per_finding(self) -> None:
        """str(report) is a summary a person can read."""
        text = str(cc.validate(iop(hours_per_session=2), rulesets.ASAM3))
        lines = text.splitlines()
        assert lines[0] == "ASAM3 2013: not ok (1 error(s), 0 warning(s), 1 rule(s) applied)"
        assert lines[1].startswith("  error ASAM3-2.1-ADULT-HOURS @ sessions: ")

    def test_fortnightly_sessions_are_judged_week_by_week(self) -> None:
        """A week of the cycle that falls short is named, even if the average is enough."""
        family = cc.Session(pendulum.WeekDay.SATURDAY, pendulum.time(10),
                            [cc.Segment(cc.Service.FAMILY_THERAPY, pendulum.duration(hours=2))],
                            every_weeks=2)  # fmt: skip
        base = iop(hours_per_session=2.5)
        program = attrs.evolve(base, sessions=(*base.sessions, family))
        assert program.weekly_hours == pendulum.duration(hours=8.5)
        report = cc.validate(program, rulesets.ASAM3)
        assert [f.path for f in report.errors] == ["sessions_in_week(1)"]
        assert report.errors[0].message == (
            "Week 2 of the 2-week cycle has 7.5 clinical hours; under ASAM3, ASAM3 2.1 (Intensive "
            "Outpatient Services) needs at least 9 and less than 20 clinical hours a week. It "
            "looks like ASAM3 1 (Outpatient Services) instead."
        )


# ---- issue 13: broken checks, huge thresholds, read-only params --------------------------------


def _ruleset_with(check: object) -> cc.RuleSet:
    rule = cc.Rule("CLINIC-JUNK", "Gives junk", source=SOURCE, check=check)  # type: ignore[arg-type]
    return cc.RuleSet("clinic", "1", [rule, NO_SATURDAY])


class TestBrokenChecks:
    @pytest.mark.parametrize(
        ("junk", "said"),
        [([1, 2], "yielded 1 (an int) as item 0"), ("oops", "returned 'oops' (a str)"),
         (None, "returned None (a NoneType)")],
    )  # fmt: skip
    def test_a_check_giving_non_findings_is_an_error_naming_the_rule(
        self, junk: object, said: str
    ) -> None:
        """Issue 13: [1, 2] became the findings, "oops" became ('o','o','p','s'), and .ok,
        .errors and str() raised AttributeError. Such a check is a broken rule: one ERROR."""
        report = cc.validate(iop(days=("mon", "sat")), _ruleset_with(lambda c: junk))
        assert report.ok is False
        (broken,) = [f for f in report.errors if f.rule_id == "CLINIC-JUNK"]
        assert said in broken.message and "is broken" in broken.message
        assert [f.rule_id for f in report.findings] == ["CLINIC-JUNK", "T-NO-SAT"]
        assert "CLINIC-JUNK" in str(report)

    def test_classify_rejects_a_level_whose_rule_is_broken(self) -> None:
        """classify used to read .severity of the junk and raise; the broken rule is an ERROR,
        so its level is not one the program satisfies."""
        rule = cc.Rule("CLINIC-JUNK", "Gives junk", source=SOURCE, check=lambda c: [1],
                       levels=GENERIC["IOP"], tags=["intensity"])  # fmt: skip
        assert cc.classify(iop(), cc.RuleSet("clinic", "1", [rule])) == ()

    def test_a_crash_message_with_control_characters_is_escaped_and_clipped(self) -> None:
        """A crashing check's exception may say anything; its finding holds text the policy
        takes (escaped, at most 500 characters), and validate still returns."""

        def crash(context: cc.RuleContext) -> Iterator[cc.Finding]:
            raise KeyError("\x00" * 100_000)

        report = cc.validate(iop(), _ruleset_with(crash))
        (finding,) = report.errors
        assert "\\x00" in finding.found and len(finding.found) <= 500

    def test_a_finding_with_control_characters_is_a_crash_not_a_finding(self) -> None:
        """context.finding's fast path keeps the text policy."""

        def shout(context: cc.RuleContext) -> Iterator[cc.Finding]:
            yield context.finding("Bell\x07", expected="e", found="f")

        (finding,) = cc.validate(iop(), _ruleset_with(shout)).errors
        assert "failed to run" in finding.message and "\x07" not in finding.message


class TestHugeThresholds:
    @pytest.mark.parametrize("number", [10**400, 2**53, math.inf, math.nan, 1e308])
    def test_override_refuses_a_number_past_the_cap_naming_it(self, number: float) -> None:
        """Issue 13: override(..., at_least=10**400) raised OverflowError."""
        with pytest.raises(cc.InvalidValueError) as caught:
            rulesets.ASAM3.override("ASAM3-2.1-ADULT-HOURS", at_least=number)
        assert caught.value.field == "at_least"

    def test_override_at_the_cap_gives_a_rule_that_runs(self) -> None:
        """The cap itself is a threshold a rule judges by."""
        amended = rulesets.ASAM3.override("ASAM3-2.1-ADULT-HOURS", less_than=2**53 - 1)
        assert cc.validate(iop(level=cc.catalogs.ASAM3["2.1"]), amended).ok
        amended = amended.override("ASAM3-2.1-ADULT-HOURS", at_least=2**53 - 2)
        report = cc.validate(iop(level=cc.catalogs.ASAM3["2.1"]), amended)
        assert [f.rule_id for f in report.errors] == ["ASAM3-2.1-ADULT-HOURS"]
        assert "failed to run" not in report.errors[0].message

    @pytest.mark.parametrize(
        "factory",
        [rulesets.weekly_hours, rulesets.daily_hours, rulesets.days_per_week,
         rulesets.sessions_per_week, rulesets.session_hours, rulesets.program_weeks],
    )  # fmt: skip
    def test_the_factories_refuse_a_number_past_the_cap(self, factory: Any) -> None:
        for bound in ("at_least", "at_most", "less_than"):
            with pytest.raises(cc.InvalidValueError) as caught:
                factory("X", "x", source=SOURCE, levels=GENERIC["IOP"], **{bound: 10**400})
            assert caught.value.field == bound

    def test_an_overridden_unit_length_is_one_the_rule_takes(self) -> None:
        """override checks a built-in rule's own params as its factory does: a per-diem unit
        past a day would make the rule fail to run."""
        with pytest.raises(cc.InvalidValueError) as caught:
            rulesets.MEDICARE_2024.override("MEDICARE-PER-DIEM-TIERS", unit_minutes=2**53 - 1)
        assert caught.value.field == "unit_minutes"

    def test_an_overridden_attendance_goal_is_a_share(self) -> None:
        rule = rulesets.attendance_rate("GOAL", "goal", source=SOURCE, at_least=0.9)
        with pytest.raises(cc.InvalidValueError) as caught:
            cc.RuleSet("clinic", "1", [rule]).override("GOAL", at_least=5)
        assert caught.value.field == "at_least"

    @pytest.mark.parametrize("year", [0, 10_000, 10**400])
    def test_a_source_year_is_a_year_of_the_calendar(self, year: int) -> None:
        with pytest.raises(cc.InvalidValueError) as caught:
            cc.Source("Policy", year=year)
        assert caught.value.field == "year"


class TestReadOnlyParams:
    def test_a_built_in_rules_params_cannot_be_changed_through_its_items(self) -> None:
        """Issue 13: FrozenMap._items was a dict through which a built-in rule's params could
        be changed."""
        rule = rulesets.ASAM3["ASAM3-2.1-ADULT-HOURS"]
        with pytest.raises(TypeError):
            rule.params._items["at_least"] = 0  # type: ignore[attr-defined]
        assert rule.params["at_least"] == 9

    def test_params_still_pickle_hash_and_compare(self) -> None:
        params = rulesets.ASAM3["ASAM3-2.1-ADULT-HOURS"].params
        copied = pickle.loads(pickle.dumps(params))
        assert copied == params and hash(copied) == hash(params)
        assert copied == dict(params) and repr(copied).startswith("FrozenMap({")


# ---- issue 17: a report's repr shows its findings -------------------------------------------


def _per_session(severity: cc.Severity, found: str = "a session") -> cc.Rule:
    """A rule finding something in every session of a program, at `severity`."""

    def check(context: cc.RuleContext) -> Iterator[cc.Finding]:
        program = context.subject
        assert isinstance(program, cc.ProgramStructure)
        for i, _ in enumerate(program.sessions):
            yield context.finding("Noted.", expected="nothing", found=found, path=f"sessions[{i}]")

    return cc.Rule(f"T-{severity.name}", "Per session", source=SOURCE, check=check,
                   severity=severity)  # fmt: skip


class TestReportRepr:
    def test_the_repr_shows_the_verdict_the_findings_and_the_subject(self) -> None:
        """repr(report): verdict, rule set, counts, each finding's severity, rule, path, found
        and expected, and the subject's type, name and level."""
        program = iop(2, name="Evening IOP")
        report = cc.validate(program, rulesets.TYPICAL_IOP)
        text = repr(report)
        assert text.startswith(
            f"<ValidationReport not ok under TYPICAL_IOP {report.ruleset.version}"
        )
        assert text.endswith("subject: ProgramStructure 'Evening IOP' at GENERIC IOP>")
        assert "\n" not in text
        for finding in report.findings:
            assert f"{finding.severity.value} {finding.rule_id} @ {finding.path}" in text
            assert f"found {finding.found} (expected {finding.expected})" in text

    def test_counts_leave_out_the_zeros(self) -> None:
        """The counts name each severity found, one or many; an ok report with none says so."""
        ok = cc.validate(iop(name="Day IOP"), rulesets.ASAM3)
        assert repr(ok) == (
            "<ValidationReport ok under ASAM3 2013: no findings; "
            "subject: ProgramStructure 'Day IOP' at GENERIC IOP>"
        )
        rules = cc.RuleSet("R", "1", [_per_session(cc.Severity.WARNING),
                                      _per_session(cc.Severity.ERROR)])  # fmt: skip
        assert ": 3 errors, 3 warnings; " in repr(cc.validate(iop(), rules))
        one = cc.RuleSet("R", "1", [_per_session(cc.Severity.INFO)])
        assert ": 1 info; " in repr(cc.validate(iop(days=("mon",)), one))

    def test_the_repr_is_bounded_and_most_severe_first(self) -> None:
        """Past five findings the repr says how many more; errors come before warnings and
        notes whatever the rule order; a long text is cut, so the repr stays short."""
        rules = cc.RuleSet(
            "R", "1",
            [_per_session(cc.Severity.INFO), _per_session(cc.Severity.WARNING, "x" * 5000),
             _per_session(cc.Severity.ERROR)],
        )  # fmt: skip
        program = iop(days=("mon", "tue", "wed", "thu", "fri"))
        report = cc.validate(program, rules)
        assert len(report.findings) == 15
        text = repr(report)
        parts = text.split("; ")
        assert [p.split(" ")[0] for p in parts[1:6]] == ["error"] * 5
        assert parts[6] == "and 10 more"
        assert len(text) < 1500
        warned = cc.validate(program, rules.without("T-ERROR"))
        assert "x" * 300 not in repr(warned) and "..." in repr(warned)

    def test_the_subject_is_named_by_its_client_when_it_has_no_name(self) -> None:
        """An episode is summarized by its client."""
        episode = cc.Episode.admit("c-7", "IOP", dt.date(2026, 1, 5), continuum=GENERIC)
        text = repr(cc.validate(episode, rulesets.EPISODE_RULES))
        assert text.endswith("subject: Episode of client 'c-7'>")

    def test_str_still_lists_every_finding_in_full(self) -> None:
        """str(report) keeps its head line and one full line per finding, in rule order."""
        report = cc.validate(iop(2), rulesets.TYPICAL_IOP)
        lines = str(report).splitlines()
        assert lines[1:] == [_in_full(finding) for finding in report.findings]


# ---- rules in force by date (issue 15) ---------------------------------------------------------


def _hours_rule(rule_id: str = "HOURS", at_least: float = 9) -> cc.Rule:
    return rulesets.weekly_hours(
        rule_id, f"At least {at_least:g} hours", source=SOURCE, levels=GENERIC["IOP"],
        at_least=at_least,
    )  # fmt: skip


def _dated(version: str, start: str | None, end: str | None, at_least: float = 9) -> cc.RuleSet:
    return cc.RuleSet("STATE", version, [_hours_rule(at_least=at_least)], effective_from=start,
                      effective_until=end)  # fmt: skip


def _cal(first: dt.date, weeks: int = 4, hours: float = 2) -> cc.Calendar:
    program = cc.ProgramStructure.weekly(
        GENERIC["IOP"], days=["mon", "wed", "fri"], hours_per_session=hours, weeks=weeks
    )
    return cc.expand(program, first, "UTC")


class TestRuleSetDates:
    def test_union_keeps_the_intersection_of_the_periods(self) -> None:
        """| on two dated sets is in force where both are; an undated side keeps the other's."""
        a = cc.RuleSet("A", "1", [], effective_from="2025-01-01", effective_until="2025-12-31")
        b = cc.RuleSet("B", "1", [], effective_from="2025-06-01")
        both = a | b
        assert (both.effective_from, both.effective_until) == (
            dt.date(2025, 6, 1), dt.date(2025, 12, 31)
        )  # fmt: skip
        undated = cc.RuleSet("C", "1", [])
        assert ((undated | a).effective_from, (undated | a).effective_until) == (
            a.effective_from, a.effective_until
        )  # fmt: skip
        assert not (undated | cc.RuleSet("D", "1", [])).dated

    def test_union_of_periods_that_touch_on_one_day(self) -> None:
        """Periods sharing one day overlap: the union is in force on that day alone."""
        a = cc.RuleSet("A", "1", [], effective_until="2025-12-31")
        b = cc.RuleSet("B", "1", [], effective_from="2025-12-31")
        both = a | b
        assert both.in_force("2025-12-31")
        assert not both.in_force("2025-12-30") and not both.in_force("2026-01-01")

    def test_union_of_periods_that_do_not_overlap_is_refused(self) -> None:
        """No day in both periods: refused, naming `other` (or the list item written)."""
        with pytest.raises(cc.InvalidValueError) as caught:
            rulesets.NC_SAIOP | rulesets.NC_SAIOP_2026
        assert caught.value.field == "other"
        assert "until 2024-12-31" in str(caught.value) and "from 2026-01-01" in str(caught.value)
        with pytest.raises(cc.InvalidValueError) as listed:
            cc.validate(iop(), [rulesets.ASAM3, rulesets.NC_SAIOP, rulesets.NC_SAIOP_2026])
        assert listed.value.field == "ruleset[2]"

    def test_in_force_includes_both_ends(self) -> None:
        """effective_from and effective_until are both days the set is in force."""
        rs = rulesets.NC_SAIOP_2025
        days = ("2024-12-31", "2025-01-01", "2025-12-31", "2026-01-01")
        assert [rs.in_force(d) for d in days] == [False, True, True, False]
        assert cc.RuleSet("U", "1", []).in_force("1900-01-01")
        with pytest.raises(cc.InvalidValueError):
            rs.in_force("1 January 2025")


class TestValidateByDate:
    def test_an_expired_set_judges_no_week_of_a_later_calendar_and_says_so(self) -> None:
        """NC_SAIOP (8A, until 2024-12-31) on a 2026 calendar: no rule runs, one INFO note
        naming the first and last week and the set's period."""
        program = iop(2, track="substance use")
        cal = cc.expand(program, dt.date(2026, 3, 2), "UTC")
        report = cc.validate(cal, rulesets.NC_SAIOP)
        assert report.applied == () and report.judged_by == {}
        (note,) = report.findings
        assert (note.rule_id, note.severity) == ("NOT-IN-FORCE", cc.Severity.INFO)
        assert "the week of 2026-03-02 to the week of 2026-04-20" in note.message
        assert "until 2024-12-31" in note.message
        # The same calendar in 2024, when 8A was in force, is judged (2-hour days fail).
        old = cc.validate(cc.expand(program, dt.date(2024, 3, 4), "UTC"), rulesets.NC_SAIOP)
        assert not old.ok and "NOT-IN-FORCE" not in {f.rule_id for f in old.findings}
        assert set(old.judged_by.values()) == {rulesets.NC_SAIOP}

    def test_only_the_weeks_in_force_are_judged(self) -> None:
        """A set from 2026-01-19 judges the weeks from then on; the two earlier weeks are
        named in one note and have no finding of the set's rules."""
        rs = _dated("2", "2026-01-19", None)
        report = cc.validate(_cal(dt.date(2026, 1, 5)), rs)
        assert [f.path for f in report.errors] == ["weeks[2026-01-19]", "weeks[2026-01-26]"]
        notes = [f for f in report.findings if f.rule_id == "NOT-IN-FORCE"]
        assert len(notes) == 1
        assert "2 weeks" in notes[0].message
        assert "the week of 2026-01-05 to the week of 2026-01-12" in notes[0].message
        assert sorted(report.judged_by) == ["weeks[2026-01-19]", "weeks[2026-01-26]"]

    def test_a_set_in_force_throughout_judges_as_before(self) -> None:
        """Every week in force: the findings of the undated set, and no note."""
        cal = _cal(dt.date(2026, 1, 5))
        dated = cc.validate(cal, _dated("2", "2026-01-01", None))
        undated = cc.validate(cal, cc.RuleSet("STATE", "2", [_hours_rule()]))
        assert dated.findings == undated.findings and dated.applied == undated.applied
        assert len(dated.judged_by) == 4 and undated.judged_by == {}

    def test_a_week_straddling_the_start_is_judged_by_its_first_day(self) -> None:
        """The week of Monday 2025-12-29 began before a set from Thursday 2026-01-01: not
        judged by it. A calendar that starts on 2026-01-01 has that week begin in force."""
        rs = _dated("2026", "2026-01-01", None)
        from_monday = cc.validate(_cal(dt.date(2025, 12, 29)), rs)
        assert "weeks[2025-12-29]" not in from_monday.judged_by
        assert "weeks[2026-01-05]" in from_monday.judged_by
        assert "weeks[2025-12-29]" not in {f.path for f in from_monday.errors}
        from_thursday = cc.validate(_cal(dt.date(2026, 1, 1)), rs)
        assert "weeks[2025-12-29]" in from_thursday.judged_by  # a partial week, begun in force
        assert "NOT-IN-FORCE" not in {f.rule_id for f in from_thursday.findings}

    def test_a_week_straddling_the_end_is_judged_whole_by_the_set_it_began_under(self) -> None:
        """A set until Wednesday 2025-12-31 judges the week of Monday 2025-12-29 whole, and
        not the next."""
        rs = _dated("2025", None, "2025-12-31")
        report = cc.validate(_cal(dt.date(2025, 12, 29)), rs)
        assert sorted(report.judged_by) == ["weeks[2025-12-29]"]
        assert [f.path for f in report.errors] == ["weeks[2025-12-29]"]

    def test_attendance_is_judged_by_date_too(self) -> None:
        """An attendance's weeks are dated: only those in force are judged."""
        cal = _cal(dt.date(2026, 1, 5), weeks=2)
        records = [cc.AttendanceRecord(s, cc.AttendanceStatus.PRESENT) for s in cal.sessions]
        report = cc.validate(cc.Attendance(cal, records), _dated("2", "2026-01-12", None))
        assert list(report.judged_by) == ["weeks[2026-01-12]"]
        assert [f.path for f in report.errors] == ["weeks[2026-01-12]"]

    def test_a_template_is_judged_as_now_unless_on_is_given(self) -> None:
        """A template has no dates: a dated set judges it; with on= outside the period, it
        does not, and says so; with on= inside, it does."""
        program = iop(2)
        rs = _dated("2025", "2025-01-01", "2025-12-31")
        assert [f.rule_id for f in cc.validate(program, rs).errors] == ["HOURS"]
        outside = cc.validate(program, rs, on="2026-02-02")
        assert [(f.rule_id, f.severity) for f in outside.findings] == [
            ("NOT-IN-FORCE", cc.Severity.INFO)
        ]
        assert "on 2026-02-02" in outside.findings[0].message and outside.applied == ()
        inside = cc.validate(program, rs, on="2025-12-31")
        assert [f.rule_id for f in inside.errors] == ["HOURS"]


class TestRuleSeries:
    def test_each_week_is_judged_by_the_version_in_force_on_its_first_day(self) -> None:
        """Two versions with different floors: each week's findings are its version's."""
        old = _dated("1", None, "2026-01-18", at_least=5)  # 6 hours pass
        new = _dated("2", "2026-01-19", None, at_least=9)  # 6 hours fail
        series = rulesets.series(old, new)
        report = cc.validate(_cal(dt.date(2026, 1, 5)), series)
        assert {p: rs.version for p, rs in report.judged_by.items()} == {
            "weeks[2026-01-05]": "1", "weeks[2026-01-12]": "1",
            "weeks[2026-01-19]": "2", "weeks[2026-01-26]": "2",
        }  # fmt: skip
        assert [f.path for f in report.errors] == ["weeks[2026-01-19]", "weeks[2026-01-26]"]
        assert report.ruleset is series.ruleset and report.applied == ("HOURS",)
        assert series.name == "STATE" and "NOT-IN-FORCE" not in {f.rule_id for f in report.findings}

    def test_a_week_in_a_gap_is_not_judged_and_is_reported(self) -> None:
        """Versions with a gap between them: the weeks beginning in it are named in one note."""
        series = rulesets.series(_dated("1", None, "2026-01-11"), _dated("2", "2026-01-26", None))
        report = cc.validate(_cal(dt.date(2026, 1, 5)), series)
        assert sorted(report.judged_by) == ["weeks[2026-01-05]", "weeks[2026-01-26]"]
        (note,) = [f for f in report.findings if f.rule_id == "NOT-IN-FORCE"]
        assert "No version of STATE" in note.message
        assert "the week of 2026-01-12 to the week of 2026-01-19" in note.message

    @pytest.mark.parametrize(
        ("versions", "field", "words"),
        [
            ((), "rulesets", "at least one"),
            (("x",), "rulesets[0]", "a RuleSet"),
            ((cc.RuleSet("U", "1", []),), "rulesets[0]", "a dated rule set"),
            # overlapping: 2025-06-01 to 2025-12-31 and from 2025-12-31
            ((_dated("1", "2025-06-01", "2025-12-31"), _dated("2", "2025-12-31", None)),
             "rulesets[1]", "do not overlap"),
            # out of order
            ((_dated("2", "2026-01-01", None), _dated("1", None, "2025-12-31")),
             "rulesets[1]", "oldest first"),
            # an open end before another version
            ((_dated("1", "2025-01-01", None), _dated("2", "2026-01-01", None)),
             "rulesets[1]", "do not overlap"),
        ],
    )  # fmt: skip
    def test_versions_must_be_dated_in_order_and_not_overlap(
        self, versions: tuple[Any, ...], field: str, words: str
    ) -> None:
        """Refused with a library error naming the version that does not follow."""
        with pytest.raises(cc.CareContinuumError) as caught:
            rulesets.series(*versions)
        assert getattr(caught.value, "field", None) == field
        assert words in str(caught.value)

    def test_a_template_needs_on_to_pick_the_version(self) -> None:
        """Without on= a series refuses a template, naming `on`; with it, the version in force
        on that day judges, and a day in a gap is noted, not judged."""
        series = rulesets.series(
            _dated("1", None, "2025-12-31", at_least=5), _dated("2", "2026-02-01", None)
        )
        program = iop(2)
        with pytest.raises(cc.InvalidValueError) as caught:
            cc.validate(program, series)
        assert caught.value.field == "on"
        assert cc.validate(program, series, on="2025-12-31").ok
        later = cc.validate(program, series, on="2026-02-01")
        assert later.ruleset is series.versions[1] and not later.ok
        gap = cc.validate(program, series, on="2026-01-15")
        assert [f.rule_id for f in gap.findings] == ["NOT-IN-FORCE"] and gap.applied == ()

    def test_classify_with_a_series_needs_on(self) -> None:
        """classify judges a program by the version in force on `on`; none in a gap."""
        program = cc.ProgramStructure.weekly(cc.catalogs.ASAM3["2.1"], days=["mon", "wed", "fri"],
                                             hours_per_session=3, weeks=8)  # fmt: skip
        old = cc.RuleSet("A", "1", rulesets.ASAM3.rules, effective_until="2025-12-31")
        new = cc.RuleSet("A", "2", rulesets.ASAM3.rules, effective_from="2026-02-01")
        series = rulesets.series(old, new)
        with pytest.raises(cc.InvalidValueError) as caught:
            cc.classify(program, series)
        assert caught.value.field == "on"
        found = cc.classify(program, series, on="2026-03-02")
        assert [c.level.code for c in found] == ["2.1"] and found[0].report.ruleset is new
        assert cc.classify(program, series, on="2026-01-15") == ()
        assert cc.classify(program, old, on="2026-03-02") == ()
        assert cc.classify(program, old, on="2025-03-03")[0].report.ruleset is old


class TestScreens:
    """A factory rule's screen says, from a subject's weeks, what its check will find; the
    engine skips the check (and, for `classify`, stops at a certain error) on its word."""

    @settings(max_examples=100, deadline=None)
    @given(
        st.one_of(strategies.programs(), strategies.calendars(), strategies.attendances()),
        st.sampled_from(sorted(rulesets.ALL)),
        st.data(),
    )
    def test_a_screen_says_what_its_check_finds(
        self, subject: object, name: str, data: st.DataObject
    ) -> None:
        """Property: for every rule with a screen in the scope of a built-in set (at the
        subject's level or one of the set's), nothing means the check finds nothing, and
        certain means it finds something of the rule's severity; the rule's emitter, when it
        has one, finds what its check finds."""
        ruleset = rulesets.ALL[name]
        own, population, track = profile_of(subject)
        level = data.draw(st.sampled_from([own, *ruleset.levels()]), label="level")
        entries, _, steps, _ = ruleset._scoped(level, type(subject), population, track)
        weeks = weeks_of(subject)
        for (rule, judged_at, _, mismatch), step in zip(entries, steps, strict=True):
            if step is None or mismatch is not None:
                continue
            screen, emit = step
            context = cc.RuleContext(
                subject, rule, ruleset, judged_at, population, track, {"weeks": weeks}
            )
            found = list(rule.check(context))
            seen = screen(subject, weeks)
            event(f"screen said {seen}")
            if seen == 0:
                assert found == [], rule.id
            elif seen == 2:
                assert any(f.severity is rule.severity for f in found), rule.id
            if emit is not None:
                event("an emitter")
                assert emit(context._scope(), weeks) == found, rule.id

    @settings(max_examples=100, deadline=None)
    @given(
        st.one_of(
            strategies.programs(),
            # The scopes whose screened rules include a non-ERROR one (a "maybe" is reachable):
            # outpatient programs, adult under TYPICAL_IOP and adolescent under LA_SUD.
            strategies.programs(level=GENERIC["OP"]),
            strategies.programs(level=GENERIC["IOP"], population=cc.Population.ADOLESCENT),
        ),
        st.sampled_from(sorted(rulesets.ALL)),
    )
    def test_a_level_decided_by_its_screens_is_the_level_the_engine_judges(
        self, program: cc.ProgramStructure, name: str
    ) -> None:
        """Property: where every rule of a level `classify` tries has a screen, the screens'
        verdict is the engine's: certain of an ERROR where judging it gives up, nothing where
        it makes a report without findings (that report, field for field), maybe otherwise."""
        from carecontinuum._rules import _candidates, _judge, _screened  # noqa: PLC0415

        ruleset = rulesets.ALL[name]
        own, population, track = profile_of(program)
        for level, scoped in _candidates(
            ruleset, own.is_outpatient, cc.ProgramStructure, population, track
        ):
            judged = _judge(program, ruleset, level, population, track, None, {}, scoped,
                            stop_at_error=True)  # fmt: skip
            if scoped[3] is None:
                continue
            seen = _screened(program, scoped[3], weeks_of(program))
            event(f"level decided: {seen}")
            if seen == 2:
                assert judged is None, (level.code, scoped[1])
            elif seen == 0:
                assert judged is not None and judged.findings == ()
                kept = {c.level: c.report for c in cc.classify(program, ruleset)}
                assert kept[level] == judged and kept[level].applied == judged.applied

    @pytest.mark.parametrize(
        ("hours", "codes", "severities"),
        [(2, ["OP"], []), (5, ["OP"], ["warning"]), (10, ["IOP"], None)],
    )
    def test_a_level_whose_screens_say_maybe_is_judged_by_its_checks(
        self, hours: float, codes: list[str], severities: list[str] | None
    ) -> None:
        """TYPICAL_IOP's adult OP: 2 hours a week pass both screens (a report without
        findings), 5 are usual for no band of OP but within its ceiling (a warning, found by
        running the check), 10 exceed the ceiling (OP rejected by its screen alone)."""
        from carecontinuum._rules import _screened  # noqa: PLC0415

        program = cc.ProgramStructure.weekly(
            GENERIC["OP"], days=["mon"], hours_per_session=hours, weeks=8
        )
        scoped = rulesets.TYPICAL_IOP._scoped(
            GENERIC["OP"], cc.ProgramStructure, cc.Population.ADULT, cc.Track.SUBSTANCE_USE
        )
        assert scoped[3] is not None
        expected = {2: 0, 5: 1, 10: 2}[hours]
        assert _screened(program, scoped[3], weeks_of(program)) == expected
        found = cc.classify(program, rulesets.TYPICAL_IOP)
        assert [c.level.code for c in found] == codes
        if severities is not None:  # OP's own findings
            assert [f.severity.value for f in found[0].findings] == severities

    def test_each_verdict_on_an_adult_iop(self) -> None:
        """ASAM3's 2.1 adult hours: 9 hours a week pass (nothing), 6 fail (certain), and a
        calendar's partial first week is noted (maybe)."""
        rule = rulesets.ASAM3["ASAM3-2.1-ADULT-HOURS"]
        scoped = rulesets.ASAM3._scoped(
            ASAM3_21, cc.ProgramStructure, cc.Population.ADULT, cc.Track.SUBSTANCE_USE
        )
        step = scoped[2][[entry[0] for entry in scoped[0]].index(rule)]
        assert step is not None
        screen = step[0]
        for hours, verdict in ((3, 0), (2, 2)):
            program = cc.ProgramStructure.weekly(
                ASAM3_21, days=["mon", "wed", "fri"], hours_per_session=hours, weeks=8
            )
            assert screen(program, weeks_of(program)) == verdict
        program = cc.ProgramStructure.weekly(
            ASAM3_21, days=["mon", "wed", "fri"], hours_per_session=3, weeks=2
        )
        calendar = cc.expand(program, pendulum.date(2026, 3, 4), "UTC")  # a Wednesday
        assert screen(calendar, weeks_of(calendar)) == 1
        notes = cc.validate(calendar, rulesets.ASAM3).infos
        assert any("partial week" in f.message for f in notes)

    def test_a_rule_whose_bounds_are_not_numbers_has_no_screen(self) -> None:
        """A factory check given other params (a rule built by hand) runs unscreened: its
        crash is reported as a finding, as before."""
        made = rulesets.weekly_hours(
            "X-HOURS", "Hours", source=cc.Source("Test"), levels=ASAM3_21, at_least=9
        )
        odd = cc.Rule("X-HOURS", "Hours", source=made.source, check=made.check,
                      levels=ASAM3_21, params={"at_least": "nine"})  # fmt: skip
        screens = cc.RuleSet("X", "1", [odd])._scoped(
            ASAM3_21, cc.ProgramStructure, cc.Population.ADULT, cc.Track.SUBSTANCE_USE
        )[2]
        assert screens == (None,)
        program = cc.ProgramStructure.weekly(ASAM3_21, days=["mon"], hours_per_session=3, weeks=8)
        report = cc.validate(program, cc.RuleSet("X", "1", [odd]))
        assert [f.rule_id for f in report.errors] == ["X-HOURS"]
        assert "failed to run" in report.errors[0].message


ASAM3_21 = ASAM3["2.1"]


def test_a_rule_keeps_its_bounds_outside_its_fields() -> None:
    """A factory rule reads its bounds once and keeps them outside its fields: not shown by
    attrs, not pickled; a copy or an unpickled rule judges the same."""
    program = cc.ProgramStructure.weekly(
        ASAM3_21, days=["mon", "wed", "fri"], hours_per_session=2, weeks=8
    )
    rule = rulesets.ASAM3["ASAM3-2.1-ADULT-HOURS"]
    before = cc.validate(program, rulesets.ASAM3)
    assert "_derived" not in attrs.asdict(rule, recurse=False)
    for other in (pickle.loads(pickle.dumps(rulesets.ASAM3)), copy.deepcopy(rulesets.ASAM3)):
        assert other[rule.id] == rule
        assert cc.validate(program, other).findings == before.findings
