"""Griffe extension for the docs site: show docstring examples as code blocks.

The package's docstrings carry their examples as bare doctest lines (``>>> ...`` followed by
the output), the way `doctest` and `help()` read them. Rendered as Markdown, such lines would
run together into one paragraph, and output such as ``['OP', 'IOP']`` would read as a link.
This extension wraps each run of doctest lines in a ``pycon`` fence before the docstring is
parsed, and drops ``# doctest:`` directives, which matter to the test runner only. The source
files are not touched: `mkdocs.yml` loads this file through the mkdocstrings ``extensions``
option.
"""

from __future__ import annotations

import re
from typing import Any

import griffe

_PROMPT = re.compile(r"^(\s*)>>>(\s|$)")
_DIRECTIVE = re.compile(r"\s*#\s*doctest:.*$")
_FENCE = re.compile(r"^\s*(```|~~~)")


def fence_doctests(text: str) -> str:
    """`text` with each run of doctest lines (a prompt up to the next blank line) fenced."""
    lines = text.splitlines()
    out: list[str] = []
    in_fence = False
    index = 0
    while index < len(lines):
        line = lines[index]
        if _FENCE.match(line):
            in_fence = not in_fence
        prompt = None if in_fence else _PROMPT.match(line)
        if prompt is None:
            out.append(line)
            index += 1
            continue
        indent = prompt.group(1)
        block: list[str] = []
        while index < len(lines) and lines[index].strip():
            current = lines[index]
            if current.lstrip().startswith((">>>", "...")):
                current = _DIRECTIVE.sub("", current)
            block.append(current)
            index += 1
        if out and out[-1].strip():
            out.append("")
        out += [f"{indent}```pycon", *block, f"{indent}```"]
        if index < len(lines):
            out.append("")
    return "\n".join(out)


class DoctestFences(griffe.Extension):
    """Fence the doctest examples of every docstring the handler loads."""

    def on_object(self, *, obj: griffe.Object, **kwargs: Any) -> None:
        if obj.docstring is not None and ">>>" in obj.docstring.value:
            obj.docstring.value = fence_doctests(obj.docstring.value)
