"""The example programs come out with the figures the domain notes give them."""

from __future__ import annotations

import importlib.util
import json
import math
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import nbformat
import pendulum
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

import carecontinuum as cc

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
H = pendulum.duration


def load(stem: str) -> ModuleType:
    """Import an example script by file name (examples/ is not a package)."""
    sys.path.insert(0, str(EXAMPLES))
    try:
        spec = importlib.util.spec_from_file_location(f"example_{stem}", EXAMPLES / f"{stem}.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module
    finally:
        sys.path.remove(str(EXAMPLES))


def programs(stem: str) -> dict[str, cc.ProgramStructure]:
    built = load(stem).build()
    return built if isinstance(built, dict) else {stem: built}


def in_range(duration: object, low: float, high: float) -> bool:
    assert isinstance(duration, pendulum.Duration)
    return H(hours=low) <= duration <= H(hours=high)


class TestWindmill:
    """Program 5: 24 sessions of 3 hours, 3 a week, 8 weeks."""

    def test_as_advertised_24_sessions_72_hours_9_a_week(self) -> None:
        """Counted as three full hours, the program is 24 sessions, 72 hours, 9 h a week."""
        p = programs("program_5_windmill_addiction_iop")["weekly"]
        assert (p.total_sessions, p.total_hours, p.weekly_hours) == (24, H(hours=72), H(hours=9))
        assert p.sessions_per_week == 3 and p.weeks == 8

    def test_built_from_segments_the_break_is_not_clinical(self) -> None:
        """With a 15-minute break each session holds 2.75 clinical hours: 8.25 a week."""
        p = programs("program_5_windmill_addiction_iop")["segments"]
        assert p.weekly_hours == H(hours=8.25)
        assert p.total_sessions == 24
        assert all(s.duration == H(hours=3) for s in p.sessions)
        assert cc.Service.BREAK in {seg.service for s in p.sessions for seg in s.segments}


@pytest.mark.parametrize("stem", ["program_1_trinity_iop", "program_2_invigorate_step_down_iop"])
def test_trinity_and_invigorate_hold_9_to_15_hours(stem: str) -> None:
    """Programs 1 and 2 are described as 9-15 hours a week of IOP."""
    for p in programs(stem).values():
        assert in_range(p.weekly_hours, 9, 15)
        assert p.level.code == "IOP" and p.level.is_outpatient


def test_aacs_runs_3_to_5_sessions_of_3_hours_for_8_to_12_weeks() -> None:
    """Program 3: 3-5 sessions a week of 3 hours, 8-12 weeks, with a telehealth option."""
    variants = programs("program_3_aacs_structured_iop")
    for p in variants.values():
        assert 3 <= p.sessions_per_week <= 5
        assert all(s.duration == H(hours=3) for s in p.sessions)
        assert p.weeks == cc.Span(8, 12)
        assert {cc.Modality.CBT, cc.Modality.DBT, cc.Modality.MI} <= set(p.modalities)
    modes = {p.delivery_mode for p in variants.values()} | {
        s.delivery_mode for p in variants.values() for s in p.sessions
    }
    assert modes & {cc.DeliveryMode.TELEHEALTH, cc.DeliveryMode.HYBRID}


def test_adult_mental_health_iop_3_to_5_days_6_to_12_weeks() -> None:
    """Program 4: adult mental-health IOP, 3-5 days a week, 6-12 weeks, with medication
    management."""
    (p,) = programs("program_4_adult_mental_health_iop").values()
    assert p.population is cc.Population.ADULT and p.track is cc.Track.MENTAL_HEALTH
    assert 3 <= p.days_per_week <= 5
    assert p.weeks == cc.Span(6, 12)
    assert cc.Service.MEDICATION_MANAGEMENT in p.services


def test_programs_of_9_to_15_hours_pass_typical_iop_and_asam3_as_adult_iop() -> None:
    """The validation example: programs 1-3 (9-15 h, substance use or co-occurring) pass both
    TYPICAL_IOP and ASAM3, judged at adult 2.1; program 4 (mental health) passes TYPICAL_IOP
    and is outside ASAM's scope; Windmill built from segments (8.25 h) fails both."""
    table = load("validate_programs").build_table()
    for name, reports in table.items():
        typical, asam3 = reports["TYPICAL_IOP"], reports["ASAM3"]
        hours = typical.subject.weekly_hours.total_hours()
        if name.startswith(("1 ", "2 ", "3 ")):
            assert 9 <= hours <= 15, name
            assert typical.ok and asam3.ok, name
            assert asam3.applied == ("ASAM3-2.1-ADULT-HOURS",), name
        elif name.startswith("4 "):
            assert typical.ok and asam3.applied == ()
        elif "segments" in name:
            assert not typical.ok and not asam3.ok


class TestTour:
    """The tour's program table shows start times, explains its columns and flags a program
    below a floor."""

    def run(self, capsys: pytest.CaptureFixture[str]) -> list[str]:
        load("tour").main()
        return capsys.readouterr().out.splitlines()

    def test_start_times_are_shown_where_they_differ(
        self, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """Each program's row lists its distinct start times: Trinity's day and evening
        variants show different ones."""
        lines = self.run(capsys)
        found = load("_programs").programs()
        for label, program in found.items():
            (row,) = [line for line in lines if line.startswith(f"  {label} ")]
            times = sorted({f"{s.start:%H:%M}" for s in program.sessions})
            assert "/".join(times) in row, label
        day, evening = found["1 Trinity (day)"], found["1 Trinity (evening)"]
        assert {s.start for s in day.sessions}.isdisjoint(s.start for s in evening.sessions)

    def test_says_what_a_half_session_a_week_means(
        self, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A program with a fortnightly session has a fractional sess/wk, and the tour explains
        that a session every other week counts half."""
        lines = self.run(capsys)
        fractional = [p for p in load("_programs").programs().values()
                      if p.sessions_per_week % 1]  # fmt: skip
        assert fractional and all(any(s.every_weeks == 2 for s in p.sessions) for p in fractional)
        assert any("sess/wk" in line and "every other week counts half" in line for line in lines)

    def test_flags_the_windmill_segment_view_below_the_floor(
        self, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """Exactly the programs with an ASAM3 error are flagged: the Windmill segment view
        (8.25 clinical hours, under level 2.1's 9)."""
        lines = self.run(capsys)
        flagged = {line.split(" is below ")[0].removeprefix("  ! ") for line in lines
                   if line.startswith("  ! ")}  # fmt: skip
        failing = {
            label
            for label, program in load("_programs").programs().items()
            if not cc.validate(program, cc.rulesets.ASAM3).ok
        }
        assert flagged == failing == {"5 Windmill (segments)"}
        (flag,) = [line for line in lines if line.startswith("  ! 5 Windmill (segments)")]
        assert "ASAM3-2.1-ADULT-HOURS" in flag and "8.25 clinical hours" in flag


# ---- notebooks -------------------------------------------------------------------------------

NOTEBOOKS = sorted(EXAMPLES.glob("*.ipynb"))


def execute(path: Path) -> nbformat.NotebookNode:
    """Run a notebook of examples/ top to bottom in a fresh "python3" kernel (the test's own
    interpreter), in examples/, importing the carecontinuum under test; a cell that raises
    fails the run (nbclient's CellExecutionError names the cell)."""
    notebook = nbformat.read(path, as_version=4)
    src = str(Path(cc.__file__).resolve().parents[1])
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [src, os.environ.get("PYTHONPATH")])),
    }
    client = NotebookClient(
        notebook,
        timeout=120,
        kernel_name="python3",
        resources={"metadata": {"path": str(EXAMPLES)}},
    )
    client.execute(env=env)
    return notebook


#: Where IPython and Jupyter keep their files, read from the environment by both the runner
#: and the kernel.
_JUPYTER_DIRS = ("IPYTHONDIR", "JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR")


@pytest.fixture(scope="module", autouse=True)
def jupyter_dirs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """IPython and Jupyter keep their files in a directory of the test run's own: a home
    directory that is missing or read-only (a CI machine's) must not change the run (IPython
    warns then, and the suite turns warnings into errors)."""
    root = tmp_path_factory.mktemp("jupyter")
    with pytest.MonkeyPatch.context() as patch:
        for name in _JUPYTER_DIRS:
            patch.setenv(name, str(root / name.lower()))
        yield


@pytest.fixture(scope="module")
def executed() -> dict[str, nbformat.NotebookNode]:
    return {path.stem: execute(path) for path in NOTEBOOKS}


def test_there_are_notebooks_to_run() -> None:
    """The design sweep and capacity notebooks are among the examples the tests run."""
    assert {"design_sweep", "capacity"} <= {path.stem for path in NOTEBOOKS}


def test_a_cell_that_raises_fails_the_run(tmp_path: Path) -> None:
    """The runner stops at a cell that raises and names its error: a broken notebook cannot
    pass."""
    broken = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell("x = 1"), nbformat.v4.new_code_cell("x / 0")],
        metadata={"kernelspec": {"name": "python3", "display_name": "Python 3"}},
    )
    path = tmp_path / "broken.ipynb"
    nbformat.write(broken, path)
    with pytest.raises(CellExecutionError, match="ZeroDivisionError"):
        execute(path)


@pytest.mark.parametrize("stem", [path.stem for path in NOTEBOOKS])
def test_each_notebook_runs_without_error(
    executed: dict[str, nbformat.NotebookNode], stem: str
) -> None:
    """Every code cell ran (an execution count each) and none shows an error output."""
    cells = [cell for cell in executed[stem].cells if cell.cell_type == "code"]
    assert cells and all(cell.execution_count for cell in cells)
    errors = [out for cell in cells for out in cell.outputs if out.output_type == "error"]
    assert errors == []


def outputs(notebook: nbformat.NotebookNode) -> list[dict[str, Any]]:
    """The rich outputs (mimetype -> content) of the notebook's cells, in order."""
    return [
        out["data"]
        for cell in notebook.cells
        if cell.cell_type == "code"
        for out in cell.outputs
        if out.output_type == "execute_result"
    ]


def chart_specs(shown: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The Vega-Lite specifications of the charts shown. A chart's own HTML passes the spec as
    the first argument of its embedding function, `(function(spec, embedOpt){...})({...},
    ...)`; a value's notebook view (`Census._repr_html_`, Altair's `to_html`) assigns it,
    `var spec = {...};`."""
    specs = []
    for data in shown:
        html = str(data.get("text/html", ""))
        if "vegaEmbed" in html:
            if "var spec = " in html:
                start = html.index("var spec = ") + len("var spec = ")
            else:
                start = html.rindex("})(") + len("})(")
            spec, _ = json.JSONDecoder().raw_decode(html, start)
            specs.append(spec)
    return specs


def test_the_design_sweep_shows_its_grid_and_a_dataframe(
    executed: dict[str, nbformat.NotebookNode],
) -> None:
    """The sweep notebook draws the grid (a Vega-Lite chart faceted by rule set, a cell per
    days x hours holding the 8- and 12-week designs) and shows the results as a DataFrame
    (pandas' HTML table)."""
    shown = outputs(executed["design_sweep"])
    (grid,) = [spec for spec in chart_specs(shown) if "facet" in spec]
    assert grid["facet"]["column"]["field"] == "ruleset"
    cells = grid["data"]["values"]
    assert {c["ruleset"] for c in cells} == {"TYPICAL_IOP", "ASAM3", "MEDICARE_2024"}
    assert len(cells) == 3 * 4 * 9 and all(c["designs"] == 2 for c in cells)
    assert any('class="dataframe"' in str(data.get("text/html", "")) for data in shown)


def test_the_capacity_notebook_shows_the_census_the_places_and_a_dataframe(
    executed: dict[str, nbformat.NotebookNode],
) -> None:
    """The capacity notebook shows the history as its census chart (the census's notebook
    view), the simulated run stacked by level (PHP, IOP and OP, a row per day and level over
    three years), the IOP census with the places planned drawn across, those places being the
    nearest-rank 95th percentile of the IOP counts drawn, and DataFrames (pandas' HTML
    tables)."""
    shown = outputs(executed["capacity"])
    specs = chart_specs(shown)
    (history,) = [s for s in specs if str(s.get("title", "")).startswith("Census of GENERIC")]
    assert {row["level"] for row in history["data"]["values"]} == {"PHP", "IOP", "OP"}
    (run,) = [s for s in specs if s.get("title") == "Simulated census of the fitted pathway"]
    rows = run["data"]["values"]
    assert [row["level"] for row in rows[:3]] == ["OP", "IOP", "PHP"]
    assert len(rows) == 3 * 3 * 365 and len({row["day"] for row in rows}) == 3 * 365
    (planned,) = [s for s in specs if "layer" in s]
    counts = sorted(row["clients"] for row in planned["layer"][0]["data"]["values"])
    assert counts == sorted(row["clients"] for row in rows if row["level"] == "IOP")
    (places,) = planned["layer"][1]["data"]["values"]
    assert places["clients"] == counts[math.ceil(0.95 * len(counts)) - 1]
    assert places["clients"] > sum(counts) / len(counts)
    frames = [data for data in shown if 'class="dataframe"' in str(data.get("text/html", ""))]
    assert len(frames) >= 3
