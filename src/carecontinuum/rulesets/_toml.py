"""Rule sets as TOML text: `loads` reads a rule set of factory rules, `dumps` writes one.

The TOML holds what the plain data (`to_dict`) holds of a rule set in full, in TOML's terms: a
``[ruleset]`` table (name, version, description, effective dates as TOML dates) and one
``[[rules]]`` table per rule (the factory's name, then its arguments), a catalog level as one
string ``"SCHEME CODE"``. The text is read into that plain data and read from there by the same
code as `from_dict`, so both formats say the same and check the same.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from .._dicts import SCHEMA, DataError, MissingExtraError, _codec, _short
from .._errors import InvalidTypeError
from .._rules import RuleSet

__all__ = ["dumps", "loads"]

#: The keys of the document: the rule set's own table and its rules.
_TOP = ("ruleset", "rules")
#: Keys of the plain data that the ``[ruleset]`` table cannot hold (the envelope and the rules).
_NOT_IN_TABLE = ("schema", "type", "rules")
_HEAD = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)(?=[.\[:])")
_RULES_TABLE = re.compile(r"^[ \t]*\[\[[ \t]*rules[ \t]*\]\]", re.MULTILINE)
_RULE_PATH = re.compile(r"rules\[([0-9]+)\]")
_LEVEL_TEXT = "a level as 'SCHEME CODE' (such as 'ASAM3 2.1') or a table {scheme, code}"
_SUMMARY = "cannot read a rule set from the TOML text"
#: The rule set's keys written as TOML dates.
_DATES = ("effective_from", "effective_until")


def _plain(value: object) -> object:
    """A TOML value as plain data: a TOML date as 'YYYY-MM-DD', tables and arrays item by
    item (times and date-times are left as they are, for the reader to refuse)."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


def _plain_levels(levels: object, where: str, problems: dict[str, str]) -> object:
    """A rule's levels as plain data: each ``"SCHEME CODE"`` string as ``{scheme, code}``; other
    text is left for the reader to refuse, and what is wrong with it put in `problems`, by
    its path."""
    if not isinstance(levels, list):
        return levels  # refused by the reader, which says what a list of levels is
    plain: list[object] = []
    for j, level in enumerate(levels):
        if not isinstance(level, str):
            plain.append(level)
            continue
        scheme, _, code = level.strip().partition(" ")
        if not (scheme and code.strip()):
            problems[f"{where}.levels[{j}]"] = f"expected {_LEVEL_TEXT}, got {_short(level)}"
        plain.append({"scheme": scheme, "code": code.strip()} if code.strip() else level)
    return plain


def _located(problem: str, text: str, table: dict[str, Any]) -> str:
    """A problem of the plain data at its place in the TOML: a key of the rule set under
    ``ruleset.``; a rule's problem with the line of its ``[[rules]]`` table."""
    head = _HEAD.match(problem)
    if head is not None and head[1] != "rules" and head[1] in (*table, "name", "version"):
        return f"ruleset.{problem}"
    rule = _RULE_PATH.match(problem)
    if rule is not None:
        lines = [text.count("\n", 0, m.start()) + 1 for m in _RULES_TABLE.finditer(text)]
        i = int(rule[1])
        if i < len(lines):
            return f"{problem} (the [[rules]] table at line {lines[i]})"
    return problem


def loads(text: str) -> RuleSet:
    """Read a rule set from TOML text, such as a state's rules written by a compliance analyst.

    The text has a ``[ruleset]`` table and one ``[[rules]]`` table per rule::

        [ruleset]
        name = "MY_STATE_IOP"            # required
        version = "2026"                 # required
        description = "..."              # optional
        effective_from = 2026-01-01      # optional TOML dates (or 'YYYY-MM-DD' strings)
        effective_until = 2026-12-31

        [[rules]]
        factory = "weekly_hours"         # which factory of carecontinuum.rulesets makes it
        id = "MY-IOP-ADULT-HOURS"
        title = "IOP, adults: 9-19 hours a week"
        levels = ["GENERIC IOP"]         # "SCHEME CODE", or {scheme = "...", code = "..."}
        populations = ["adult"]          # optional, as the factory's arguments
        tracks = ["substance use", "co-occurring"]
        at_least = 9
        at_most = 19
        severity = "error"               # optional: "error", "warning" or "info"

        [rules.source]                   # the citation: title, and publisher, year, ...
        title = "My State Medicaid IOP policy"
        year = 2026

    A rule's keys are its factory's arguments, named as the factory names them (``rule_id``
    is ``id``); those with a default may be left out. Enums are written by value
    (``"substance use"``, ``"group therapy"``).

    Args:
        text: The TOML text.

    Returns:
        The rule set, built by the factories, so every check they make runs: equal to the one
        `dumps` wrote (``loads(dumps(rs)) == rs``).

    Raises:
        DataError: the text is not TOML (the problem gives the line), or does not describe a
            rule set: every problem listed, each at its path in the TOML (``ruleset.name``,
            ``rules[2].at_least``), a rule's with the line of its ``[[rules]]`` table.
        InvalidTypeError: `text` is not a string.
        MissingExtraError: cattrs is not installed (``pip install carecontinuum[toml]``).

    >>> from carecontinuum import rulesets
    >>> mine = rulesets.loads('''
    ... [ruleset]
    ... name = "MY_STATE_IOP"
    ... version = "2026"
    ...
    ... [[rules]]
    ... factory = "weekly_hours"
    ... id = "MY-IOP-HOURS"
    ... title = "IOP: 9-19 hours a week"
    ... levels = ["GENERIC IOP"]
    ... at_least = 9
    ... at_most = 19
    ... source = { title = "My State Medicaid IOP policy", year = 2026 }
    ... ''')
    >>> mine["MY-IOP-HOURS"].params["at_least"], str(mine)
    (9, 'MY_STATE_IOP 2026: 1 rule (1 error)')
    """
    if not isinstance(text, str):
        raise InvalidTypeError("text", text, "the TOML text of a rule set (a str)")
    import tomllib  # noqa: PLC0415 (TOML is read only when asked for)

    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise DataError(_SUMMARY, [f"not TOML: {error}"]) from None
    problems: list[str] = []
    table = document.get("ruleset")
    if table is None:
        problems.append("ruleset: missing; expected a [ruleset] table (name, version, ...)")
    elif not isinstance(table, dict):
        problems.append(f"ruleset: expected a [ruleset] table, got {_short(table)}")
    has_table = isinstance(table, dict)
    table = table if isinstance(table, dict) else {}
    problems.extend(
        f"{key}: unexpected key (the text has a [ruleset] table and [[rules]] tables)"
        for key in document
        if key not in _TOP
    )
    problems.extend(
        f"ruleset.{key}: unexpected key (the rules are [[rules]] tables, after [ruleset])"
        for key in table
        if key in _NOT_IN_TABLE
    )
    # A level the TOML writes as text that is not "SCHEME CODE": said in the TOML's terms, in
    # place of what the reader would say of it.
    levels: dict[str, str] = {}
    rules = _plain(document.get("rules", []))
    if isinstance(rules, list):
        for i, rule in enumerate(rules):
            if isinstance(rule, dict) and "levels" in rule:
                rule["levels"] = _plain_levels(rule["levels"], f"rules[{i}]", levels)
    fields = {key: value for key, value in table.items() if key not in _NOT_IN_TABLE}
    data = {"schema": SCHEMA, "type": "RuleSet", **_plain(fields), "rules": rules}  # type: ignore[dict-item]
    try:
        codec = _codec()
    except MissingExtraError as error:
        raise MissingExtraError("cattrs", "toml", "rulesets.loads()") from error.__cause__
    try:
        ruleset: RuleSet = codec.read(RuleSet, data)
    except DataError as error:
        for problem in error.problems:
            path = problem.partition(": ")[0]
            if path in levels:
                problems.append(_located(f"{path}: {levels.pop(path)}", text, table))
            elif has_table or not path.startswith(("name", "version")):
                problems.append(_located(problem, text, table))
        cause = error.__cause__
    else:
        if not problems and not levels:
            return ruleset
        cause = None
    problems.extend(_located(f"{path}: {text_}", text, table) for path, text_ in levels.items())
    raise DataError(_SUMMARY, problems) from cause


def _toml_value(value: object) -> object:
    """Plain data as TOML holds it: no nulls (a key left out reads as its default)."""
    if isinstance(value, dict):
        return {key: _toml_value(item) for key, item in value.items() if item is not None}
    if isinstance(value, list):
        return [_toml_value(item) for item in value]
    return value


def _toml_level(level: dict[str, Any]) -> object:
    """A catalog level (written by reference) as ``"SCHEME CODE"``, another in full."""
    if level.keys() == {"scheme", "code"}:
        return f"{level['scheme']} {level['code']}"
    return _toml_value(level)


def _toml_rule(rule: dict[str, Any]) -> dict[str, Any]:
    """A rule's plain data as a ``[[rules]]`` table: catalog levels as ``"SCHEME CODE"``, no
    nulls, no empty lists of populations or tracks (the factories' default)."""
    written: dict[str, Any] = {}
    for key, value in rule.items():
        if value is None or (key in ("populations", "tracks") and value == []):
            continue
        if key == "levels":
            written[key] = [_toml_level(level) for level in value]
            continue
        written[key] = _toml_value(value)
    return written


def dumps(ruleset: RuleSet) -> str:
    """Write a rule set made of factory rules as TOML text, which `loads` reads back equal.

    Built-in rule sets are written in full too (the package ships those of factory rules as
    TOML files: see the how-to "Write your state's rules in TOML"). Values left at nothing
    (a bound not set, a source without a year) are left out; catalog levels are written as
    ``"SCHEME CODE"``, other levels as tables of their fields.

    Args:
        ruleset: The rule set.

    Returns:
        The TOML text: a ``[ruleset]`` table and one ``[[rules]]`` table per rule.

    A built-in set's rule whose check is written in Python is named as code, by reference: a
    ``[[rules]]`` table of its ``ruleset``, ``version`` and ``id``.

    Raises:
        DataError: a rule that is not data, each named at its path: one of your own with a
            check written in Python (``rules[2]: rule 'X' has a check written in Python: only
            factory rules are data``), or one changed past what its factory takes.
        InvalidTypeError: `ruleset` is not a `RuleSet`.
        MissingExtraError: tomli-w or cattrs is not installed (``pip install
            carecontinuum[toml]``).

    >>> from carecontinuum import rulesets
    >>> text = rulesets.dumps(rulesets.TEDS)
    >>> print(text.splitlines()[0:3])
    ['[ruleset]', 'name = "TEDS"', 'version = "TEDS-A"']
    >>> rulesets.loads(text) == rulesets.TEDS
    True
    """
    if not isinstance(ruleset, RuleSet):
        raise InvalidTypeError("ruleset", ruleset, "a RuleSet")
    try:
        import tomli_w  # noqa: PLC0415 (the `toml` extra loads on first use)
    except ImportError as error:
        raise MissingExtraError("tomli-w", "toml", "rulesets.dumps()") from error
    try:
        codec = _codec()
    except MissingExtraError as error:
        raise MissingExtraError("cattrs", "toml", "rulesets.dumps()") from error.__cause__
    data = codec.write_in_full(ruleset)
    table: dict[str, Any] = {}
    for key, value in data.items():
        if key in _NOT_IN_TABLE or value is None:
            continue
        table[key] = date.fromisoformat(value) if key in _DATES else value
    text: str = tomli_w.dumps({"ruleset": table, "rules": [_toml_rule(r) for r in data["rules"]]})
    return text
