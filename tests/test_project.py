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
