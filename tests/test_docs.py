"""Every example the project shows runs: docstrings, code blocks in docs/ and README, examples/."""

from __future__ import annotations

import doctest
import importlib
import pkgutil
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

import carecontinuum

ROOT = Path(__file__).resolve().parent.parent
DOC_FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE


def _modules() -> list[ModuleType]:
    names = [carecontinuum.__name__]
    names += [
        m.name for m in pkgutil.walk_packages(carecontinuum.__path__, prefix="carecontinuum.")
    ]
    return [importlib.import_module(name) for name in sorted(names)]


@pytest.mark.parametrize("module", _modules(), ids=lambda m: m.__name__)
def test_docstring_examples(module: ModuleType) -> None:
    """Every `>>>` example in the package's docstrings produces the output it shows."""
    finder = doctest.DocTestFinder(exclude_empty=True)
    runner = doctest.DocTestRunner(optionflags=DOC_FLAGS)
    report: list[str] = []
    for test in finder.find(module, module.__name__):
        runner.run(test, out=report.append)
    result = runner.summarize(verbose=False)
    assert result.failed == 0, "".join(report)


def test_every_public_name_has_a_docstring_example() -> None:
    """Each public class and function documents itself with a runnable example."""
    missing = []
    for name in carecontinuum.__all__:
        obj = getattr(carecontinuum, name)
        doc = getattr(obj, "__doc__", None) or ""
        if isinstance(obj, ModuleType):
            doc = obj.__doc__ or ""
        if ">>>" not in doc:
            missing.append(name)
    assert missing == []


_FENCE = re.compile(r"^```(\w*)[^\n]*\n(.*?)^```", re.DOTALL | re.MULTILINE)


def _markdown_pages() -> list[Path]:
    return [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]


@pytest.mark.parametrize("page", _markdown_pages(), ids=lambda p: str(p.relative_to(ROOT)))
def test_markdown_code_blocks(page: Path) -> None:
    """Each page's ```python blocks run in order in one namespace, and its ```pycon blocks
    print exactly what they show."""
    namespace: dict[str, object] = {"__name__": f"docs_{page.stem}"}
    parser = doctest.DocTestParser()
    runner = doctest.DocTestRunner(optionflags=DOC_FLAGS)
    report: list[str] = []
    text = page.read_text(encoding="utf-8")
    for number, match in enumerate(_FENCE.finditer(text)):
        language, code = match.group(1), match.group(2)
        line = text.count("\n", 0, match.start()) + 1
        where = f"{page.name}:{line}"
        if language == "python":
            exec(compile(code, where, "exec"), namespace)
        elif language == "pycon":
            test = parser.get_doctest(code, namespace, f"{page.stem}[{number}]", where, line)
            test.globs = namespace  # get_doctest copies; later blocks must see these names
            runner.run(test, clear_globs=False, out=report.append)
    result = runner.summarize(verbose=False)
    assert result.failed == 0, "".join(report)


def test_docs_have_a_tutorial_that_builds_a_continuum_and_a_program() -> None:
    """The tutorial exists and exercises both halves of the foundation."""
    tutorial = (ROOT / "docs" / "tutorial.md").read_text(encoding="utf-8")
    assert "catalogs" in tutorial
    assert "ProgramStructure" in tutorial


def _example_scripts() -> list[Path]:
    return sorted(p for p in (ROOT / "examples").glob("*.py") if not p.name.startswith("_"))


def test_there_is_an_example_per_described_program() -> None:
    """The five programs of the domain notes each have a script, and the tour exists."""
    names = {p.name for p in _example_scripts()}
    assert "tour.py" in names
    assert len([n for n in names if n.startswith("program_")]) >= 5


@pytest.mark.parametrize("script", _example_scripts(), ids=lambda p: p.name)
def test_example_script_runs(script: Path) -> None:
    """Each example runs as a plain script, exits cleanly and prints its figures."""
    done = subprocess.run(
        [sys.executable, str(script)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip(), f"{script.name} printed nothing"
