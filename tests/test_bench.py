"""The benchmarks run: `bench/run.py --quick` prints the whole table. Timings are never asserted
here (performance is measured by the benchmarks, not by tests); the table's shape and the
agreement checks each benchmark makes before timing are."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).parent.parent / "bench"


def test_the_quick_run_prints_every_benchmark_row() -> None:
    done = subprocess.run(
        [sys.executable, str(BENCH / "run.py"), "--quick"],
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "QUICK" in out.splitlines()[0]
    header = out.splitlines()[1].split()
    assert header[:2] == ["operation", "library"]
    for operation in (
        "import carecontinuum",
        "build a ProgramStructure",
        "validate vs ASAM3, passing",
        "validate vs ASAM3, failing",
        "expand (50 clients",
        "build 500 episodes",
        "to_dict (300 episodes",
        "from_dict (300 episodes",
        "classify sweep (4,000 designs x 3 rule sets",
        "classify_many (20,000 designs x 3 rule sets",
        "against the hand-written loop, designs/s",
        "classify per object (the loop) against the hand-written loop",
        "import + load every public name",
        "of which attrs making the package's",
        "of which reading the bytecode of its",
        "the least the load can cost",
        "expand + read every start/end",
        "expand a year (100 clients x 52 weeks",
        "peak memory, all calendars held",
        "census of 361 days (300 episodes)",
        "simulate a flow model",
        "judge_client_weeks (60 clients x 52 weeks",
        "client-weeks judged per second",
    ):
        assert operation in out, f"no row for {operation!r}"
    table = out.splitlines()[2:-1]  # between the title and header, and the run times
    assert len(table) >= 15
    assert all(row.split()[-1] in {"yes", "NO", "-"} for row in table), table
    assert out.splitlines()[-1].startswith("run times: foundation")
