"""The docs site stays complete: every public name has its reference entry, every page its place.

The site is built by MkDocs from docs/ (see mkdocs.yml) and the API reference by mkdocstrings
from `::: carecontinuum.Name` directives in docs/reference/. These tests need neither: they read
the directives and the nav as text, so they run wherever the test suite does. mkdocs.yml is
parsed with PyYAML when it is installed (it comes with MkDocs), and otherwise with the small
line reader below, which understands the nav's own shape only.
"""

from __future__ import annotations

import pkgutil
import re
from collections import Counter
from pathlib import Path

import pytest

import carecontinuum

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
REFERENCE = DOCS / "reference"
CONFIG = ROOT / "mkdocs.yml"

# A mkdocstrings directive: `::: identifier` at the start of a line.
_DIRECTIVE = re.compile(r"^:::[ \t]+(\S+)", re.MULTILINE)
# A page path in the nav: the value of `- page.md` or `- Title: page.md`.
_NAV_PAGE = re.compile(r"^\s*-\s*(?:[^:\n]*:\s*)?(\S+\.md)\s*$")


def _directives() -> list[tuple[str, str]]:
    """(page, identifier) of every mkdocstrings directive under docs/reference/."""
    found = []
    for page in sorted(REFERENCE.rglob("*.md")):
        text = page.read_text(encoding="utf-8")
        found += [(page.relative_to(DOCS).as_posix(), ident) for ident in _DIRECTIVE.findall(text)]
    return found


def _nav_pages_from_lines(text: str) -> list[str]:
    """The pages of the top-level `nav:` key, read line by line (the fallback without PyYAML)."""
    pages: list[str] = []
    in_nav = False
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if not line[0].isspace():  # a top-level key starts or ends the nav
            in_nav = line.rstrip() == "nav:"
            continue
        match = _NAV_PAGE.match(line) if in_nav else None
        if match:
            pages.append(match.group(1).strip("'\""))
    return pages


def _nav_pages_from_yaml(nav: object) -> list[str]:
    """The pages of a parsed nav, in order: strings ending in .md at any depth."""
    if isinstance(nav, str):
        return [nav] if nav.endswith(".md") else []
    if isinstance(nav, dict):
        return [page for value in nav.values() for page in _nav_pages_from_yaml(value)]
    if isinstance(nav, list):
        return [page for item in nav for page in _nav_pages_from_yaml(item)]
    return []


def _nav_pages() -> list[str]:
    text = CONFIG.read_text(encoding="utf-8")
    try:
        import yaml  # noqa: PLC0415 (installed with MkDocs, not with the test extra)
    except ImportError:
        return _nav_pages_from_lines(text)
    return _nav_pages_from_yaml(yaml.safe_load(text)["nav"])


def test_every_public_name_is_in_the_reference_exactly_once() -> None:
    """Each name of `carecontinuum.__all__` has one `::: carecontinuum.Name` directive."""
    counts = Counter(ident for _, ident in _directives())
    wanted = {f"{carecontinuum.__name__}.{name}" for name in carecontinuum.__all__}
    missing = sorted(wanted - counts.keys())
    repeated = sorted(ident for ident in wanted if counts[ident] > 1)
    assert missing == [], f"public names with no reference entry under docs/reference/: {missing}"
    assert repeated == [], f"public names documented more than once: {repeated}"


def _public_submodules() -> set[str]:
    """The package's public submodules (`carecontinuum.fhir`...), found without importing them:
    some need an extra installed."""
    return {
        f"{carecontinuum.__name__}.{module.name}"
        for module in pkgutil.iter_modules(carecontinuum.__path__)
        if not module.name.startswith("_")
    }


def test_reference_directives_name_public_objects() -> None:
    """A directive documents a name of `__all__` or a public submodule, never a private
    module's path or a name the package does not export."""
    public = {f"{carecontinuum.__name__}.{name}" for name in carecontinuum.__all__}
    public |= _public_submodules()
    strays = [(page, ident) for page, ident in _directives() if ident not in public]
    assert strays == []
    counts = Counter(ident for _, ident in _directives())
    assert sorted(ident for ident, n in counts.items() if n > 1) == []


def test_every_page_is_in_the_nav() -> None:
    """Each Markdown page under docs/ is in the nav of mkdocs.yml, once; the nav names no
    page that does not exist."""
    nav = _nav_pages()
    pages = sorted(p.relative_to(DOCS).as_posix() for p in DOCS.rglob("*.md"))
    assert sorted(set(pages) - set(nav)) == [], "pages missing from the nav in mkdocs.yml"
    assert sorted(set(nav) - set(pages)) == [], "nav entries with no page under docs/"
    assert sorted(page for page, n in Counter(nav).items() if n > 1) == []


def test_the_nav_has_the_four_parts() -> None:
    """The nav is in four parts (tutorial, how-to guides, explanation, reference), and the
    reference includes the generated rules reference and every API page."""
    text = CONFIG.read_text(encoding="utf-8")
    for section in ("Tutorial", "How-to guides", "Explanation", "Reference"):
        assert re.search(rf"^\s*-\s*{re.escape(section)}:\s*$", text, re.MULTILINE), section
    nav = _nav_pages()
    assert "rules-reference.md" in nav
    for page in REFERENCE.rglob("*.md"):
        assert page.relative_to(DOCS).as_posix() in nav


def test_the_line_reader_agrees_with_yaml() -> None:
    """The fallback reader reads the nav as PyYAML does (checked where PyYAML is installed)."""
    yaml = pytest.importorskip("yaml")
    text = CONFIG.read_text(encoding="utf-8")
    assert _nav_pages_from_lines(text) == _nav_pages_from_yaml(yaml.safe_load(text)["nav"])
