"""The published JSON Schema (draft 2020-12) of the plain-data format: built from the shapes
`to_dict` and `from_dict` write and read with (`_dicts`), so a key added to a shape is in the
schema too, and nothing here lists a class's fields again.
"""

from __future__ import annotations

import functools
import re
from datetime import date, datetime
from typing import Any, get_args, get_origin

import pendulum
from pendulum import WeekDay
from pendulum.tz.timezone import Timezone

from ._attendance import AttendanceRecord
from ._dicts import (
    _DATE,
    _DATETIME,
    _DURATION,
    _VERSION,
    _WEEKDAYS,
    SCHEMA,
    MissingExtraError,
    _Codec,
    _codec,
    _describe,
    _Entries,
    _FactoryRule,
    _is_enum,
    _is_span,
    _item,
    _Null,
    _Shape,
    _SpanValue,
    _Subject,
    _Weeks,
)
from ._levels import Continuum, LevelOfCare
from ._rules import Rule, RuleSet
from ._span import Span
from ._validators import _MAX_NUMBER, _MAX_STRING_LENGTH

__all__ = ["SCHEMA_ID", "json_schema"]

#: The schema's ``$id``: one per version of the format, the version `to_dict` writes.
SCHEMA_ID = f"https://carecontinuum.dev/schema/{_VERSION[0]}.{_VERSION[1]}"

_DIALECT = "https://json-schema.org/draft/2020-12/schema"

#: A wall-clock time as `_dicts._TIME` reads it, with the hours, minutes and seconds in range
#: (which `_read_time` checks after the match): tests hold the two to agree.
_WALL_TIME = r"^(?:[01][0-9]|2[0-3]):[0-5][0-9](?::[0-5][0-9](?:\.[0-9]{1,6})?)?$"


def _anchored(pattern: re.Pattern[str]) -> str:
    """A regex `_dicts` reads with by ``fullmatch``, as a JSON Schema ``pattern`` (which
    matches anywhere unless anchored)."""
    return f"^(?:{pattern.pattern})$"


def _ref(name: str) -> dict[str, Any]:
    return {"$ref": f"#/$defs/{name}"}


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))


class _Builder:
    """Walks the codec's shapes from the top-level types down, defining in ``defs`` one entry
    per value kind met (each shape by its name; leaves and enums too)."""

    def __init__(self, codec: _Codec) -> None:
        self.codec = codec
        self.defs: dict[str, Any] = {}
        #: Every ``$defs`` entry that describes one shape: the entry's name and the shape.
        self.shaped: dict[str, _Shape] = {}
        self.forms = self._forms()

    def _forms(self) -> dict[Any, tuple[tuple[str, _Shape], ...]]:
        """Each kind written as an object: its named shapes (two or more where the data takes
        more than one form, told apart by their keys)."""
        codec = self.codec
        forms: dict[Any, tuple[tuple[str, _Shape], ...]] = {
            cls: ((shape.name.lstrip("_"), shape),) for cls, shape in codec._shapes.items()
        }
        forms[LevelOfCare] = (
            ("LevelOfCare.catalog", codec._level_ref),
            ("LevelOfCare.full", codec._shapes[LevelOfCare]),
        )
        forms[Continuum] = (
            ("Continuum.catalog", codec._continuum_ref),
            ("Continuum.full", codec._shapes[Continuum]),
        )
        forms[RuleSet] = (
            ("RuleSet.builtin", codec._ruleset_ref),
            ("RuleSet.full", codec._ruleset_full),
        )
        forms[_FactoryRule] = tuple(
            (f"Rule.{name}", shape) for name, shape in codec._factory_shapes.items()
        )
        forms[Rule] = (("Rule", codec._rule_ref),)
        forms[AttendanceRecord] = (
            ("AttendanceRecord.extra", codec._extra_record),
            ("AttendanceRecord.scheduled", codec._scheduled_record),
        )
        forms[_Entries] = (
            ("AttendanceEntry.extra", codec._extra_entry),
            ("AttendanceEntry.scheduled", codec._scheduled_entry),
        )
        return forms

    def _choice(self, kind: Any, first: Any, second: Any, *, envelope: bool) -> dict[str, Any]:
        """The data of a kind with two forms is the first form when it looks as the reader
        tells that one (`_Codec._read_level`, `_read_continuum`, `_is_extra`), else the
        second: as ``if``/``then``/``else``, so a validator's errors are those of the form the
        reader would read, as from_dict's are."""
        condition: dict[str, Any]
        if kind in (LevelOfCare, Continuum, RuleSet):
            names = list(self.forms[kind][0][1].names)
            condition = {
                "propertyNames": {"enum": ["schema", "type", *names] if envelope else names}
            }
        else:  # an attendance record: of an extra session when its session is null
            condition = {"properties": {"session": {"type": "null"}}, "required": ["session"]}
        return {"if": condition, "then": first, "else": second}

    def _narrowed(self, name: str) -> list[dict[str, Any]]:
        """The references' values the reader resolves (the catalogs' schemes and codes, the
        built-in rule sets), as alternatives over the shape's properties; [] for others."""
        codec = self.codec
        if name == "LevelOfCare.catalog":
            return [
                {
                    "properties": {
                        "scheme": {"const": scheme},
                        "code": {
                            "enum": _unique(
                                [c for level in catalog for c in (level.code, *level.aliases)]
                            )
                        },
                    }
                }
                for scheme, catalog in codec._catalogs.items()
            ]
        if name == "Continuum.catalog":
            return [{"properties": {"scheme": {"enum": list(codec._catalogs)}}}]
        if name == "RuleSet.builtin":
            return [
                {"properties": {"name": {"const": key}, "version": {"const": ruleset.version}}}
                for key, ruleset in codec._rulesets.items()
            ]
        if name == "Rule":
            return [
                {
                    "properties": {
                        "ruleset": {"const": key},
                        "version": {"const": ruleset.version},
                        "id": {"enum": [rule.id for rule in ruleset]},
                    }
                }
                for key, ruleset in codec._rulesets.items()
            ]
        return []

    # ---- objects -----------------------------------------------------------------------------

    def object(self, name: str, shape: _Shape, *, envelope: str | None = None) -> dict[str, Any]:
        """A shape as a JSON object: its keys and nothing else; with `envelope` (the type's
        name), as a top-level value, led by ``"schema"`` and ``"type"``."""
        properties: dict[str, Any] = {}
        required: list[str] = []
        if envelope is not None:
            properties = {"schema": _ref("schema"), "type": {"const": envelope}}
            required = ["schema", "type"]
        for key in shape.keys:
            value = self.kind(key.kind)
            if key.nullable and key.kind is not _Null:
                value = {"anyOf": [value, {"type": "null"}]}
            properties[key.name] = value
            if not key.optional:
                required.append(key.name)
        schema: dict[str, Any] = {
            "type": "object",
            "properties": properties,
            "required": required,
            "additionalProperties": False,
        }
        narrowed = self._narrowed(name)
        if narrowed:
            schema["anyOf"] = narrowed
        return schema

    def define(self, name: str, make: Any) -> dict[str, Any]:
        """A reference to ``$defs/name``, defined by ``make()`` on first use (the name is taken
        first, so a kind that holds itself refers to itself)."""
        if name not in self.defs:
            self.defs[name] = {}
            self.defs[name] = make()
        return _ref(name)

    def shaped_kind(self, kind: Any) -> dict[str, Any]:
        forms = self.forms[kind]
        for name, shape in forms:
            self.shaped[name] = shape
            self.define(name, functools.partial(self.object, name, shape))
        if len(forms) == 1:
            return _ref(forms[0][0])
        (first, _), (second, _) = forms
        return self.define(
            first.partition(".")[0],
            lambda: self._choice(kind, _ref(first), _ref(second), envelope=False),
        )

    def _factory_rule(self) -> dict[str, Any]:
        """A rule in full: the form of the factory its ``"factory"`` names, as the reader
        chooses it (`_Codec._read_factory_rule`)."""
        forms = self.forms[_FactoryRule]
        for name, shape in forms:
            self.shaped[name] = shape
        by_factory = {
            "type": "object",
            "required": ["factory"],
            "properties": {"factory": {"enum": [name.partition(".")[2] for name, _ in forms]}},
            "allOf": [
                {
                    "if": {
                        "properties": {"factory": {"const": name.partition(".")[2]}},
                        "required": ["factory"],
                    },
                    "then": self.define(name, functools.partial(self.object, name, shape)),
                }
                for name, shape in forms
            ],
        }
        # A built-in rule whose check is written in Python is named by reference instead.
        return {
            "description": _describe(_FactoryRule),
            "if": {"required": ["factory"]},
            "then": by_factory,
            "else": self.kind(Rule),
        }

    def span(self, item: Any) -> dict[str, Any]:
        shape = self.codec._span_shape(item)
        name = "Span" if item is _SpanValue else f"Span.{item.__name__}"
        self.shaped[name] = shape
        return self.define(name, functools.partial(self.object, name, shape))

    # ---- kinds -------------------------------------------------------------------------------

    def kind(self, kind: Any) -> dict[str, Any]:  # noqa: PLR0911 (one return per kind of kind)
        """The schema of a value of `kind`, as a key of a shape holds it."""
        leaf = _LEAVES.get(kind)
        if leaf is not None:
            name, schema = leaf
            return self.define(name, lambda: {"description": _describe(kind), **schema})
        if kind is _Weeks:
            return self.define(
                "weeks",
                lambda: {
                    "description": _describe(_Weeks),
                    "oneOf": [self.kind(int), self.span(int)],
                },
            )
        if kind is _SpanValue:
            return self.define(
                "span_end",
                lambda: {
                    "description": _describe(_SpanValue),
                    "anyOf": [
                        self.kind(float),
                        self.kind(pendulum.Date),
                        self.kind(pendulum.Duration),
                    ],
                },
            )
        if kind is _Subject:
            return {"$ref": "#"}
        if kind is _Entries:
            return {"type": "array", "items": self.shaped_kind(_Entries)}
        if kind is _FactoryRule:
            return self.define("Rule.factory", self._factory_rule)
        if kind in self.forms:
            return self.shaped_kind(kind)
        if _is_span(kind):
            return self.span(_item(kind))
        if _is_enum(kind):
            return self.define(kind.__name__, lambda: {"enum": [member.value for member in kind]})
        origin, args = get_origin(kind), get_args(kind)
        if origin is tuple:
            return {"type": "array", "items": self.kind(args[0])}
        if origin is dict:
            return {
                "type": "object",
                "propertyNames": {"maxLength": _MAX_STRING_LENGTH},
                "additionalProperties": self.kind(args[1]),
            }
        raise NotImplementedError(f"no JSON Schema for the kind {kind!r}: add it to _schema")

    # ---- the whole -----------------------------------------------------------------------

    def envelope(self, name: str, cls: type) -> dict[str, Any]:
        """A top-level value of `cls`: each of its forms, led by ``"schema"`` and ``"type"``."""
        if cls is Span:
            forms: tuple[tuple[str, _Shape], ...] = (("Span", self.codec._span_shape(_SpanValue)),)
            self.span(_SpanValue)
        else:
            self.kind(cls)
            forms = self.forms[cls]
        objects = [self.object(form, shape, envelope=name) for form, shape in forms]
        if len(objects) == 1:
            return objects[0]
        return self._choice(cls, *objects, envelope=True)

    def build(self) -> dict[str, Any]:
        minor = range(_VERSION[1] + 1)
        versions = [f"carecontinuum/{_VERSION[0]}"] + [
            f"carecontinuum/{_VERSION[0]}.{m}" for m in minor
        ]
        self.defs["schema"] = {
            "description": f"the version of the format the data is in: {SCHEMA} or earlier",
            "enum": versions,
        }
        types = sorted(self.codec.types.items())
        for name, cls in types:
            self.defs[f"{name}.document"] = self.envelope(name, cls)
        return {
            "$schema": _DIALECT,
            "$id": SCHEMA_ID,
            "title": f"carecontinuum plain data, format {SCHEMA}",
            "description": (
                "A value of the carecontinuum library as to_dict() writes it and from_dict() "
                "reads it: an object whose 'schema' is the format's version and whose 'type' "
                "names the value's class."
            ),
            # A value of the type its "type" names, as from_dict reads it: one alternative per
            # type (as a oneOf would be), chosen by "type", so errors are that type's only.
            "type": "object",
            "required": ["schema", "type"],
            "properties": {"schema": _ref("schema"), "type": {"enum": [n for n, _ in types]}},
            "allOf": [
                {
                    "if": {"properties": {"type": {"const": name}}, "required": ["type"]},
                    "then": _ref(f"{name}.document"),
                }
                for name, _ in types
            ],
            "$defs": dict(sorted(self.defs.items())),
        }


_STRING = {"type": "string", "maxLength": _MAX_STRING_LENGTH}
_NUMBER_RANGE = {"minimum": -_MAX_NUMBER, "maximum": _MAX_NUMBER}

#: The leaves: a kind's ``$defs`` name and its schema (``description`` added from `_describe`).
_LEAVES: dict[Any, tuple[str, dict[str, Any]]] = {
    str: ("string", _STRING),
    int: ("int", {"type": "integer", **_NUMBER_RANGE}),
    float: ("number", {"type": "number", **_NUMBER_RANGE}),
    bool: ("boolean", {"type": "boolean"}),
    date: ("date", {"type": "string", "pattern": _anchored(_DATE), "format": "date"}),
    pendulum.Date: ("date", {"type": "string", "pattern": _anchored(_DATE), "format": "date"}),
    pendulum.Time: ("time", {"type": "string", "pattern": _WALL_TIME}),
    pendulum.Duration: ("duration", {"type": "string", "pattern": _anchored(_DURATION)}),
    datetime: ("instant", {"type": "string", "pattern": _anchored(_DATETIME)}),
    Timezone: ("zone", {**_STRING, "minLength": 1}),
    WeekDay: ("weekday", {"enum": list(_WEEKDAYS)}),
    _Null: ("null", {"type": "null"}),
}


def _build(codec: _Codec) -> dict[str, Any]:
    return _Builder(codec).build()


@functools.cache
def _schema_text() -> str:
    try:
        codec = _codec()
    except MissingExtraError as error:
        raise MissingExtraError(needed_by="json_schema()") from error.__cause__
    import json  # noqa: PLC0415 (on first use: not a cost of importing the package)

    return json.dumps(_build(codec), ensure_ascii=False, allow_nan=False)


def json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of the plain data `to_dict` writes and `from_dict`
    reads, for checking data in any language without the library.

    The schema describes the format this version writes, ``carecontinuum/1.1`` (its ``$id``
    is ``https://carecontinuum.dev/schema/1.1``), and the earlier 1.x that are part of it
    (``carecontinuum/1``, ``1.0``): a top-level value is ``$defs/<Type>.document`` for the
    type its ``"type"`` names (``"schema"``, ``"type"`` and the value's keys); a value inside
    another is ``$defs/<Type>``, without the two. A value with two forms (a level of a catalog
    or one in full, say) is the one `from_dict` would read, by its keys, so a validator's
    errors are about the form `from_dict` reads. Every object allows its keys and no other
    (``additionalProperties: false``), so data of a later 1.x, which `from_dict` reads
    leniently, is not valid against it.

    It is built from the same description of each value's keys that `to_dict` and
    `from_dict` use. Data the schema refuses, `from_dict` refuses; the converse does not hold:
    what the constructors check across keys (an end on or after its start, a calendar's
    sessions as `expand` makes them), the limits on nesting and on durations, and which time
    zone names exist are not in the schema.

    Returns:
        A new dict, equal at every call, which ``json.dumps`` takes as it is.

    Raises:
        MissingExtraError: cattrs is not installed (``pip install carecontinuum[dicts]``).

    >>> from carecontinuum import json_schema
    >>> schema = json_schema()
    >>> schema["$schema"], schema["$id"]
    ('https://json-schema.org/draft/2020-12/schema', 'https://carecontinuum.dev/schema/1.1')
    >>> schema["$defs"]["Segment"]["required"]
    ['service', 'duration']
    """
    import json  # noqa: PLC0415 (on first use: not a cost of importing the package)

    loaded: dict[str, Any] = json.loads(_schema_text())
    return loaded
