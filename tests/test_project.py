"""The project's own files keep their promises to a newcomer: the `test` extra installs every
third-party module the test suite imports and the `docs` extra what the docs build asks for
(pyproject.toml); README.md maps the features and its links lead somewhere; the docs index
lists every how-to."""

from __future__ import annotations

import ast
import importlib.metadata
import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
PROJECT = PYPROJECT["project"]
EXTRAS = PROJECT["optional-dependencies"]

# What the test suite runs: the tests (conftest.py and helpers included), the examples they
# run, and the benchmarks test_bench.py runs.
TEST_TREES = ("tests", "examples", "bench")


def _name(requirement: str) -> str:
    """The normalized distribution name of a requirement ("mkdocstrings[python]>=1" ->
    "mkdocstrings")."""
    match = re.match(r"[A-Za-z0-9][A-Za-z0-9._-]*", requirement)
    assert match, requirement
    return re.sub(r"[-_.]+", "-", match.group()).lower()


def _listed(*extras: str) -> set[str]:
    names = {_name(r) for r in PROJECT["dependencies"]}
    return names | {_name(r) for extra in extras for r in EXTRAS[extra]}


def _imports(tree: Path) -> dict[str, list[str]]:
    """The top-level modules imported anywhere under `tree` (in functions and try blocks
    too), each with the files importing it; relative imports left out."""
    found: dict[str, list[str]] = {}
    for path in sorted(tree.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules = [node.module]
            else:
                continue
            for module in modules:
                top = module.partition(".")[0]
                found.setdefault(top, []).append(path.relative_to(ROOT).as_posix())
    return found


def _local(tree: Path) -> set[str]:
    """Modules and packages of the tree itself (tests' helpers, bench's benchmarks)."""
    return {p.stem for p in tree.rglob("*.py")} | {p.name for p in tree.iterdir() if p.is_dir()}


def _third_party(*trees: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    local = set().union(*(_local(ROOT / name) for name in trees))  # tests import examples'
    for name in trees:
        for module, files in _imports(ROOT / name).items():
            if module in sys.stdlib_module_names or module in local or module == "carecontinuum":
                continue
            found.setdefault(module, []).extend(files)
    return found


def _uncovered(modules: dict[str, list[str]], listed: set[str]) -> list[str]:
    """The modules no listed distribution provides, each with why and where."""
    providers = importlib.metadata.packages_distributions()
    missing = []
    for module, files in sorted(modules.items()):
        dists = {_name(d) for d in providers.get(module, [])}
        if not dists:
            missing.append(f"{module} (not installed, so no distribution is known), in {files[0]}")
        elif not dists & listed:
            missing.append(f"{module} (from {', '.join(sorted(dists))}), in {files[0]}")
    return missing


def test_the_test_extra_installs_every_module_the_tests_import() -> None:
    """Every third-party module that tests/, examples/ or bench/ imports (optional imports
    included: a fresh machine must not skip a test) comes from a distribution the project
    depends on or lists in its `test` extra."""
    modules = _third_party(*TEST_TREES)
    assert {"pytest", "hypothesis", "yaml"} <= modules.keys()  # the scan sees them
    assert _uncovered(modules, _listed("test")) == []


def test_the_check_catches_a_module_left_out() -> None:
    """Without PyYAML in the extra, the check names yaml and the file importing it."""
    modules = _third_party(*TEST_TREES)
    missing = _uncovered(modules, _listed("test") - {"pyyaml"})
    assert missing == ["yaml (from pyyaml), in tests/test_site.py"]


def test_the_docs_extra_installs_what_the_docs_build_asks_for() -> None:
    """mkdocs.yml's theme, plugins and Markdown extensions come from the `docs` extra; so does
    ruff, which mkdocstrings runs to format the signatures it shows apart
    (separate_signature); and docs/_ext's griffe comes with mkdocstrings' python handler."""
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    listed = _listed("docs")
    wanted = {"mkdocs"}
    if re.search(r"^theme:\s*\n\s+name:\s*material\s*$", config, re.MULTILINE):
        wanted.add("mkdocs-material")
    plugins = {"autorefs": "mkdocs-autorefs", "mkdocstrings": "mkdocstrings"}
    wanted |= {dist for plugin, dist in plugins.items() if f"  - {plugin}" in config}
    if "pymdownx." in config:
        wanted.add("pymdown-extensions")
    if re.search(r"separate_signature:\s*true", config):
        wanted.add("ruff")
    assert {"mkdocs-material", "mkdocstrings", "ruff"} <= wanted
    assert sorted(wanted - listed) == []
    assert any(r.startswith("mkdocstrings[python]") for r in EXTRAS["docs"])
    ext = _third_party("docs/_ext")
    assert sorted(ext) == ["griffe"]  # provided by mkdocstrings[python]'s handler


# ---- README and the docs index ------------------------------------------------------------

README = ROOT / "README.md"
_LINK = re.compile(r"\[([^\]]+)\]\(([^)\s]+)\)")
# The features a newcomer must reach from README in one link: the word naming each in the
# README's map, and what the page linked must show of it.
FEATURES = {
    "validate": "validate(",
    "expand": "expand(",
    "attendance": "Attendance(",
    "episode": "Episode.admit(",
    "FHIR": "carecontinuum.fhir",
    "iCalendar": "to_ics(",
    "fixtures": "iop_program",
    "notebook": "_repr_html_",
}


def _slug(heading: str) -> str:
    """The anchor MkDocs' toc extension gives a heading."""
    text = re.sub(r"[^\w\s-]", "", heading.strip().lower())
    return re.sub(r"[\s-]+", "-", text).strip("-")


def _anchors(page: Path) -> set[str]:
    text = page.read_text(encoding="utf-8")
    return {_slug(h) for h in re.findall(r"^#+\s+(.+)$", text, re.MULTILINE)}


def _links(page: Path) -> list[tuple[str, str]]:
    return _LINK.findall(page.read_text(encoding="utf-8"))


def _target(page: Path, href: str) -> tuple[Path, str]:
    path, _, anchor = href.partition("#")
    return (page.parent / path).resolve(), anchor


def test_every_relative_link_of_the_readme_leads_somewhere() -> None:
    """Each relative link of README.md names a file of the repository (and a heading of it,
    where it names one)."""
    broken = []
    for text, href in _links(README):
        if href.startswith(("http://", "https://", "mailto:")):
            continue
        path, anchor = _target(README, href)
        if not path.exists():
            broken.append(f"[{text}]({href}): no such file")
        elif anchor and anchor not in _anchors(path):
            broken.append(f"[{text}]({href}): no heading #{anchor}")
    assert broken == []
    assert len(_links(README)) >= len(FEATURES)


def test_the_readme_reaches_each_feature_in_one_link() -> None:
    """From README's map, each feature a newcomer looks for has a row linking a page of the
    repository that shows it: validate, expand, attendance, episodes, FHIR, fixtures and the
    notebook views."""
    rows = [
        line for line in README.read_text(encoding="utf-8").splitlines() if line.startswith("|")
    ]
    unreached = []
    for feature, shown in FEATURES.items():
        pages = [
            _target(README, href)[0]
            for row in rows
            if feature.lower() in row.split("|")[1].lower()
            for _, href in _LINK.findall(row)
        ]
        if not any(p.exists() and shown in p.read_text(encoding="utf-8") for p in pages):
            unreached.append(feature)
    assert unreached == []


def test_the_readme_quick_start_is_two_lines_and_says_how_long_tests_take() -> None:
    """Quick start is one fenced block of two lines (CI runs the second), and the README says
    how long that test line takes."""
    text = README.read_text(encoding="utf-8")
    section = text.split("## Quick start", 1)[1]
    block = re.search(r"```\w*\n(.*?)```", section, re.DOTALL)
    assert block and len(block.group(1).strip().splitlines()) == 2
    assert re.search(r"takes\s+about\s+\d+\s+minutes", section)


def test_the_docs_index_and_the_nav_list_every_how_to() -> None:
    """Every docs/howto-*.md is linked from docs/index.md and is in mkdocs.yml's nav."""
    index = ROOT / "docs" / "index.md"
    linked = {_target(index, href)[0] for _, href in _links(index)}
    nav = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    howtos = sorted((ROOT / "docs").glob("howto-*.md"))
    assert len(howtos) >= 4
    assert [p.name for p in howtos if p.resolve() not in linked] == []
    assert [p.name for p in howtos if not re.search(rf"^\s*- {p.name}$", nav, re.MULTILINE)] == []
