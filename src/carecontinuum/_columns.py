"""Columns: the neutral table form of the library's collections, shared by every edge that makes
tables (`carecontinuum.tables`, charts) and by the values that offer one.

A value that reads as a table registers a builder here (`register_table`); the builder returns
`Columns`: an ordered mapping from column name to its kind and its values, one per row, None
where a row has no value. The kinds are few and plain so that any DataFrame library types them
alike: "date" (`datetime.date`), "datetime" (timezone-aware `datetime.datetime`), "str",
"int", "float" and "bool". This module imports nothing beyond the standard library: the core
registers its tables without loading a DataFrame library.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Literal

__all__ = ["ColumnKind", "Columns", "register_table", "table_builder"]

#: The kind of a column's values (None is allowed in any kind: a missing value).
ColumnKind = Literal["date", "datetime", "str", "int", "float", "bool"]
#: A table: column name -> (kind, values), every column of one length; insertion order is the
#: order of the columns.
Columns = dict[str, tuple[ColumnKind, Sequence[Any]]]

_TABLES: dict[tuple[type, str], Callable[[Any], Columns]] = {}


def register_table(kind: type, build: Callable[[Any], Columns], *, name: str = "") -> None:
    """Teach the table edge how a kind of value reads as a table (`name` tells apart several
    tables of one kind, such as an episode's stays and its transitions; "" is its default)."""
    _TABLES[kind, name] = build


def table_builder(kind: type, name: str = "") -> Callable[[Any], Columns] | None:
    """The builder registered for a kind of value (or one of its bases), or None."""
    for base in kind.__mro__:
        build = _TABLES.get((base, name))
        if build is not None:
            return build
    return None
