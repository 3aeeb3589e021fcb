"""The public API is a promise: its names, its exports and the cost of importing it."""

from __future__ import annotations

import pickle
import subprocess
import sys
from pathlib import Path

import pytest

import carecontinuum as cc
from carecontinuum import catalogs

ROOT = Path(__file__).resolve().parent.parent

PUBLIC = {
    "CareContinuumError", "Continuum", "Crosswalk", "DeliveryMode", "InvalidTypeError",
    "InvalidValueError", "LevelOfCare", "Management", "Modality", "Population",
    "ProgramStructure", "ScheduleConflictError", "SchemeMismatchError", "Segment", "Service",
    "Session", "Setting", "Span", "Supervision", "Track", "UnknownLevelError", "catalogs",
    "crosswalk",
    # the rule engine
    "Classification", "DuplicateRuleError", "Finding", "Findings", "Rule", "RuleContext", "RuleSet",
    "RuleSeries", "RuleViolation", "RuleViolationError", "Severity", "Source", "UnknownRuleError",
    "ValidationReport", "WeekFigures", "classify", "validate", "rulesets",
    # calendars
    "Calendar", "CalendarWeek", "ScheduledSession", "expand",
    "Attendance", "AttendanceRecord", "AttendanceStatus", "WeekDelivery",
    # client-weeks in bulk
    "ClientWeeks", "judge_client_weeks",
    # assessment, placement and treatment plans
    "Assessment", "DeviationReason", "Dimension", "NeedsPolicy", "LocusPolicy", "Placement",
    "PlacementPolicy", "PlacementReason", "dimensions", "place",
    "Aftercare", "AftercareService", "CareRole", "Goal", "Intervention", "Objective", "Problem",
    "TreatmentPlan",
    # plain data
    "to_dict", "from_dict", "DataError", "MissingExtraError", "json_schema",
    # episodes
    "Authorization", "Direction", "Discharge", "DischargeReason", "Episode", "Stay",
    "Transition", "TransitionError",
    # state reporting
    "teds_setting",
    # many designs judged at once
    "ClassifiedDesigns", "DesignTable", "ValidatedDesigns", "classify_many", "validate_many",
    # census and flow
    "Census", "DayCensus", "FlowModel", "StayLengths", "census",
}  # fmt: skip


def test_every_lazy_name_is_public_and_resolves() -> None:
    """The facade's lazy table and __all__ agree; each name loads to a real object."""
    lazy = set(cc._LAZY)
    eager = {n for n in cc.__all__ if n not in lazy}
    assert lazy <= PUBLIC
    assert eager == {n for n in PUBLIC if n.endswith("Error")} - {
        n for n in lazy if n.endswith("Error")
    }
    for name in sorted(lazy):
        assert getattr(cc, name) is getattr(cc, name)


def test_unknown_attributes_raise_attribute_error() -> None:
    """A misspelt name is an AttributeError, as for any module."""
    with pytest.raises(AttributeError):
        cc.ProgramStructur  # type: ignore[attr-defined]  # noqa: B018


def test_all_is_exactly_the_public_names() -> None:
    """__all__ lists every public name once, sorted, and each is importable."""
    assert set(cc.__all__) == PUBLIC
    assert len(cc.__all__) == len(PUBLIC)
    assert list(cc.__all__) == sorted(cc.__all__, key=str)
    for name in cc.__all__:
        assert getattr(cc, name) is not None


def test_no_private_name_leaks_into_the_facade() -> None:
    """The package namespace holds the public names, the private modules and dunders only."""
    # Public submodules kept out of __all__ (they import optional extras) appear once imported.
    optional = {"charts", "dask", "fhir", "ics", "strategies", "pytest_plugin", "tables"}
    # pytest rewrites the asserts of every module of a package that ships a pytest11 plugin
    # (carecontinuum.pytest_plugin), and the rewriter adds these two names to each module.
    rewriter = {"@py_builtins", "@pytest_ar"}
    leaked = {
        n for n in vars(cc) if not n.startswith("_") and n not in PUBLIC | optional | rewriter
    }
    assert leaked == set()


def test_rulesets_load_on_first_use() -> None:
    """carecontinuum.rulesets is reachable as an attribute but not loaded by the import."""
    code = (
        "import sys, carecontinuum as cc; before = 'carecontinuum.rulesets' in sys.modules;"
        "print(before, cc.rulesets.ASAM3.name)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["False", "ASAM3"]


def test_catalogs_are_public() -> None:
    """The catalog continua are importable from carecontinuum.catalogs."""
    assert set(catalogs.__all__) >= {"GENERIC", "ASAM3", "ASAM4", "LOCUS"}


def test_errors_inherit_the_builtin_they_resemble() -> None:
    """Each leaf error is a CareContinuumError and a ValueError, TypeError or KeyError."""
    assert issubclass(cc.InvalidValueError, ValueError)
    assert issubclass(cc.InvalidTypeError, TypeError)
    assert issubclass(cc.UnknownLevelError, KeyError)
    assert issubclass(cc.SchemeMismatchError, TypeError)
    assert issubclass(cc.ScheduleConflictError, cc.InvalidValueError)
    for error in (cc.InvalidValueError, cc.InvalidTypeError, cc.UnknownLevelError,
                  cc.SchemeMismatchError):  # fmt: skip
        assert issubclass(error, cc.CareContinuumError)


def test_import_loads_no_optional_extra() -> None:
    """`import carecontinuum` never imports hypothesis, cattrs, pytest, numpy, icalendar,
    narwhals, a DataFrame library (the `carecontinuum.tables` edge), altair or the charts edge,
    not even once an Attendance (whose notebook view draws a chart) is loaded."""
    code = (
        "import sys, carecontinuum, carecontinuum.catalogs; carecontinuum.Attendance;"
        "print(sorted(m for m in ('hypothesis', 'cattrs', 'pytest', 'numpy', 'difflib',"
        " 'icalendar', 'narwhals', 'pandas', 'polars', 'pyarrow', 'carecontinuum.tables',"
        " 'altair', 'carecontinuum.charts') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_loading_every_name_leaves_json_and_html_for_first_use() -> None:
    """Loading every public name imports neither json nor html (neither is a dependency's
    import): `json_schema` loads json when first called, a census's HTML view html."""
    code = (
        "import sys, carecontinuum as cc; [getattr(cc, n) for n in cc.__all__];"
        "print(sorted(m for m in ('json', 'html') if m in sys.modules));"
        "cc.json_schema(); print('json' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split("\n")[:2] == ["[]", "True"]


def test_package_is_typed() -> None:
    """py.typed ships with the package so type checkers use its annotations."""
    assert (Path(cc.__file__).parent / "py.typed").exists()


def test_errors_are_named_by_their_public_path() -> None:
    """Tracebacks say carecontinuum.UnknownLevelError, not the private module."""
    for name in ("CareContinuumError", "InvalidValueError", "UnknownLevelError"):
        assert getattr(cc, name).__module__ == "carecontinuum"


def test_dir_lists_every_public_name() -> None:
    """dir(carecontinuum) shows the lazy names before they are loaded (for completion)."""
    listed = dir(cc)
    assert set(cc.__all__) <= set(listed)
    assert listed == sorted(listed)


def _one_of_each_error() -> list[cc.CareContinuumError]:
    from carecontinuum import rulesets  # noqa: PLC0415

    finding = cc.validate(
        cc.ProgramStructure.weekly(cc.catalogs.GENERIC["IOP"], days="mon", hours_per_session=1,
                                   weeks=8),
        rulesets.TYPICAL_IOP,
    ).errors[0]  # fmt: skip
    return [
        cc.InvalidValueError("weeks", 0, "at least 1 week"),
        cc.InvalidTypeError("hours_per_session", True, "a number of hours"),
        cc.ScheduleConflictError(
            "sessions[1]", "Mon 10:00", "sessions[0]", "Mon 09:00", "overlaps"
        ),
        cc.UnknownLevelError("2.2", "ASAM3", ["2.1", "2.5"]),
        cc.UnknownRuleError("X-1", "ASAM3", ["X-2"]),
        cc.TransitionError("cannot step from a discharged episode"),
        cc.SchemeMismatchError("ASAM3 level in a LOCUS continuum"),
        cc.DataError("not a Span", ["minimum: expected a number, got 'six'"]),
        cc.MissingExtraError("cattrs", "dicts"),
        cc.RuleViolation(finding),
    ]


@pytest.mark.parametrize("error", _one_of_each_error(), ids=lambda e: type(e).__name__)
def test_errors_pickle_with_their_fields(error: cc.CareContinuumError) -> None:
    """Errors cross process boundaries (a worker's error reaches the parent) whole: same type,
    same message, same fields."""
    clone = pickle.loads(pickle.dumps(error))
    assert type(clone) is type(error)
    assert str(clone) == str(error)
    for name in ("field", "value", "expected", "other_field", "other", "clash", "code",
                 "scheme", "suggestions", "rule_id", "ruleset", "summary", "problems",
                 "finding", "package", "extra"):  # fmt: skip
        if hasattr(error, name):
            assert getattr(clone, name) == getattr(error, name), name
