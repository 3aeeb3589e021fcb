"""The published JSON Schema of the plain-data format (`carecontinuum.json_schema`): valid
draft 2020-12, true of every value `to_dict` writes, refusing what `from_dict` refuses, and
derived from the shapes `to_dict` and `from_dict` use."""

from __future__ import annotations

import copy
import json
import re
import subprocess
import sys
from collections.abc import Callable
from typing import Any, get_args

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator, FormatChecker

import carecontinuum as cc
from carecontinuum._dicts import _TIME, _Codec, _codec, _is_enum, _key, _read_time, _Shape
from carecontinuum._schema import _WALL_TIME, SCHEMA_ID, _build, _Builder
from carecontinuum.strategies import _type_strategies
from strategies import factory_rule_sets
from test_dicts_strategies import NOT_WRITTEN, STRATEGIES, written_or_rejected

SLOW = settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


@pytest.fixture(scope="module")
def validator() -> Draft202012Validator:
    return Draft202012Validator(cc.json_schema(), format_checker=FormatChecker())


def _all_shaped(codec: _Codec) -> dict[str, _Shape]:
    builder = _Builder(codec)
    builder.build()
    return builder.shaped


class TestTheSchema:
    def test_is_valid_draft_2020_12(self) -> None:
        """The schema is itself a valid draft 2020-12 schema, with the format's $id."""
        schema = cc.json_schema()
        Draft202012Validator.check_schema(schema)
        assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
        assert schema["$id"] == SCHEMA_ID
        assert SCHEMA_ID.endswith(cc.to_dict(cc.Span(1, 2))["schema"].rpartition("/")[2])

    def test_is_the_same_new_dict_at_every_call(self) -> None:
        """Every call returns an equal dict, through JSON text unchanged, and a new one: a
        caller changing theirs does not change the next."""
        first = cc.json_schema()
        assert json.loads(json.dumps(first, allow_nan=False)) == first
        first["$defs"].clear()
        assert cc.json_schema() == _build(_codec()) != first

    def test_lists_a_document_for_every_type_from_dict_reads(self) -> None:
        """Each type from_dict reads by name is one alternative of the top level, chosen by
        "type", with a $defs entry for its top-level form and one for its form inside other
        values."""
        schema = cc.json_schema()
        types = _codec().types
        assert schema["properties"]["type"]["enum"] == sorted(types)
        assert [(c["if"]["properties"]["type"]["const"], c["then"]) for c in schema["allOf"]] == [
            (name, {"$ref": f"#/$defs/{name}.document"}) for name in sorted(types)
        ]
        for name in types:
            assert name in schema["$defs"]
            assert f"{name}.document" in schema["$defs"]

    def test_each_shape_is_an_object_of_its_keys(self) -> None:
        """Every $defs entry that describes a shape has exactly the shape's keys as properties,
        requires those that may not be left out, and allows no other."""
        schema = cc.json_schema()
        shaped = _all_shaped(_codec())
        assert {"LevelOfCare.catalog", "LevelOfCare.full", "AttendanceEntry.extra"} <= set(shaped)
        for name, shape in shaped.items():
            entry = schema["$defs"][name]
            assert list(entry["properties"]) == [key.name for key in shape.keys], name
            assert entry["required"] == [k.name for k in shape.keys if not k.optional], name
            assert entry["additionalProperties"] is False

    def test_a_key_added_to_a_shape_is_in_the_schema(self) -> None:
        """The schema is derived from the shapes: a key added to one is a property of its
        $defs entry, of the right kind, without a change to the schema's code."""
        codec = _Codec()
        segment = codec._shapes[cc.Segment]
        extra = _key("room", cc.Service, optional=True)
        codec._shapes[cc.Segment] = attrs.evolve(segment, keys=(*segment.keys, extra))
        defs = _build(codec)["$defs"]
        assert defs["Segment"]["properties"]["room"] == {"$ref": "#/$defs/Service"}
        assert "room" in defs["Segment.document"]["properties"]
        assert "room" not in defs["Segment"]["required"]
        assert "room" not in cc.json_schema()["$defs"]["Segment"]["properties"]

    def test_without_cattrs_the_error_names_json_schema(self) -> None:
        """Without cattrs (the dicts extra, which the shapes run on), json_schema() raises
        MissingExtraError naming itself and the extra; the schema needs no jsonschema."""
        code = (
            "import sys; sys.modules['cattrs'] = None\n"
            "import carecontinuum as cc\n"
            "try:\n"
            "    cc.json_schema()\n"
            "except cc.MissingExtraError as error:\n"
            "    print(error.extra, error.needed_by, 'jsonschema' in sys.modules)\n"
        )
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, check=True)
        assert done.stdout.decode().split() == ["dicts", "json_schema()", "False"]

    @settings(max_examples=300)
    @given(st.from_regex(_TIME, fullmatch=True))
    def test_times_are_those_from_dict_reads(self, text: str) -> None:
        """A wall-clock time matches the schema's pattern exactly when from_dict reads it
        (the pattern bounds hours, minutes and seconds, as the reader does after matching)."""
        try:
            _read_time(text)
        except Exception:
            readable = False
        else:
            readable = True
        assert (re.search(_WALL_TIME, text) is not None) == readable


@pytest.mark.parametrize("name", sorted(STRATEGIES))
def test_every_strategy_output_validates(name: str, validator: Draft202012Validator) -> None:
    """to_dict(x) validates against the schema, formats checked, for values of every strategy."""

    @SLOW
    @given(STRATEGIES[name]())
    def check(value: object) -> None:
        validator.validate(written_or_rejected(value))

    check()


@pytest.mark.parametrize(
    "cls",
    sorted(set(_type_strategies()) - set(NOT_WRITTEN), key=lambda cls: cls.__name__),
    ids=lambda cls: cls.__name__,
)
def test_every_public_class_validates(cls: type, validator: Draft202012Validator) -> None:
    """to_dict(x) validates for values of every public class hypothesis draws (the parts of
    the strategies' values too: weeks, scheduled sessions, per-diem days, ...)."""

    @settings(
        max_examples=4,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    @given(_type_strategies()[cls](cls))
    def check(value: object) -> None:
        validator.validate(written_or_rejected(value))

    check()


class TestFactoryRuleSets:
    """A rule set of factory rules, written in full, is in the schema: one form per factory."""

    def test_each_factory_has_a_form_of_its_keys(self) -> None:
        """``$defs/Rule.<factory>`` for each factory, its keys those to_dict writes."""
        schema = cc.json_schema()
        codec = _codec()
        for name, shape in codec._factory_shapes.items():
            entry = schema["$defs"][f"Rule.{name}"]
            assert list(entry["properties"]) == [key.name for key in shape.keys]
        full = schema["$defs"]["Rule.factory"]
        assert full["then"]["properties"]["factory"]["enum"] == list(codec._factory_shapes)
        # Without "factory", a built-in rule named by reference (its check is code).
        assert full["if"] == {"required": ["factory"]} and full["else"] == {"$ref": "#/$defs/Rule"}

    def test_a_built_in_rule_by_reference_validates_and_an_unknown_one_does_not(
        self, validator: Draft202012Validator
    ) -> None:
        """A rule set in full holding a built-in rule whose check is code (by reference)
        validates; the same reference to an id its set does not have does not, as from_dict
        refuses it."""
        from carecontinuum import rulesets  # noqa: PLC0415

        data = cc.to_dict(rulesets.TEDS | rulesets.HCPCS_H0015)
        validator.validate(data)
        data["rules"][-1]["id"] = "H0015-TRACKS"
        assert not validator.is_valid(data)
        with pytest.raises(cc.DataError):
            cc.from_dict(data)

    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(ruleset=factory_rule_sets(), data=st.data())
    def test_validates_and_a_changed_factory_or_level_does_not(
        self, validator: Draft202012Validator, ruleset: cc.RuleSet, data: st.DataObject
    ) -> None:
        """to_dict of any such set validates, alone and in a report; an unknown factory, a
        required key left out or a key its factory does not take is refused by both."""
        payload = json.loads(json.dumps(cc.to_dict(ruleset)))
        assert _is_valid(validator, payload)
        if not payload["rules"]:
            return
        i = data.draw(st.integers(0, len(payload["rules"]) - 1))
        for change in (
            lambda rule: rule.update(factory="group_daily"),
            lambda rule: rule.pop("title"),
            lambda rule: rule.update(include_breaks=True, services=["group therapy"]),
        ):
            changed = copy.deepcopy(payload)
            change(changed["rules"][i])
            assert not _is_valid(validator, changed)
            assert _problems(changed) is not None


# ---- mutations -----------------------------------------------------------------------------

Path = tuple[str | int, ...]


def _nodes(data: Any, path: Path = ()) -> list[tuple[Path, Any]]:
    """Every value in `data`, with its path, the containers before what they hold."""
    found: list[tuple[Path, Any]] = [(path, data)]
    if isinstance(data, dict):
        for key, value in data.items():
            found += _nodes(value, (*path, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            found += _nodes(value, (*path, i))
    return found


def _path_text(path: Path) -> str:
    """A path as DataError writes it (the keys of shapes are names)."""
    text = ""
    for key in path:
        text += f"[{key}]" if isinstance(key, int) else (f".{key}" if text else key)
    return text


def _at(data: Any, path: Path) -> Any:
    for key in path:
        data = data[key]
    return data


def _problems(data: Any) -> tuple[str, ...] | None:
    """from_dict's problems with `data`, or None when it reads."""
    try:
        cc.from_dict(data)
    except cc.DataError as error:
        return error.problems
    return None


def _is_valid(validator: Draft202012Validator, data: Any) -> bool:
    return next(validator.iter_errors(data), None) is None


def _enum_values() -> set[object]:
    """The values of every enum a key of a shape holds (alone or in a list)."""
    values: set[object] = set()
    for shape in _all_shaped(_codec()).values():
        for key in shape.keys:
            for kind in (key.kind, *get_args(key.kind)):
                if _is_enum(kind):
                    values.update(member.value for member in kind)
    return values


ENUM_VALUES = _enum_values()
ANY_VALUE = st.one_of(*(strategy() for strategy in STRATEGIES.values()))
MUTATE = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


class TestMutations:
    """A payload changed in one place, as from_dict refuses it, is refused by the schema too;
    and what the schema refuses, from_dict refuses."""

    @MUTATE
    @given(ANY_VALUE, st.data())
    def test_an_unknown_key_is_refused(
        self, validator: Draft202012Validator, value: object, data: st.DataObject
    ) -> None:
        """A key no shape has (holding a list, which no mapping of the format holds either),
        added to any object of the data, is refused by both."""
        payload = written_or_rejected(value)
        objects = [path for path, node in _nodes(payload) if isinstance(node, dict)]
        path = data.draw(st.sampled_from(objects))
        _at(payload, path)["zz_unknown"] = []
        assert _problems(payload) is not None
        assert not _is_valid(validator, payload)

    @MUTATE
    @given(ANY_VALUE, st.data())
    def test_a_leaf_of_the_wrong_json_type_is_refused(
        self, validator: Draft202012Validator, value: object, data: st.DataObject
    ) -> None:
        """A string, number or null replaced by true, or a boolean by the string "true", is
        refused by both: no key of the format takes both."""
        payload = written_or_rejected(value)
        leaves = [p for p, node in _nodes(payload) if p and not isinstance(node, (dict, list))]
        path = data.draw(st.sampled_from(leaves))
        parent, last = _at(payload, path[:-1]), path[-1]
        parent[last] = "true" if isinstance(parent[last], bool) else True
        assert _problems(payload) is not None, _path_text(path)
        assert not _is_valid(validator, payload), _path_text(path)

    @MUTATE
    @given(ANY_VALUE, st.data())
    def test_a_dropped_key_is_refused_when_it_is_required(
        self, validator: Draft202012Validator, value: object, data: st.DataObject
    ) -> None:
        """A key left out is refused by the schema exactly when from_dict reports it missing
        (keys with a default may be left out of both)."""
        payload = written_or_rejected(value)
        keys = [p for p, _ in _nodes(payload) if p and isinstance(_at(payload, p[:-1]), dict)]
        path = data.draw(st.sampled_from(keys))
        del _at(payload, path[:-1])[path[-1]]
        problems = _problems(payload) or ()
        missing = any(p.startswith(f"{_path_text(path)}: missing") for p in problems)
        assert missing == (not _is_valid(validator, payload)), (_path_text(path), problems)

    @MUTATE
    @given(ANY_VALUE, st.data())
    def test_a_value_out_of_range_is_refused(
        self, validator: Draft202012Validator, value: object, data: st.DataObject
    ) -> None:
        """A string replaced by one no enum, weekday, date, time, duration or catalog holds:
        what the schema refuses, from_dict refuses; and where a value of an enum the shapes
        name is refused by from_dict as not one of the enum's values, the schema refuses it.
        (Constructors also refuse strings outside a list, such as an assessment's scheme; the
        schema does not hold those lists.)"""
        payload = written_or_rejected(value)
        strings = [p for p, node in _nodes(payload) if p and isinstance(node, str)]
        path = data.draw(st.sampled_from(strings))
        was = _at(payload, path)
        _at(payload, path[:-1])[path[-1]] = "zz-no-such-value"
        problems = _problems(payload)
        valid = _is_valid(validator, payload)
        if not valid:
            assert problems is not None
        enum = f"{_path_text(path)}: expected one of "
        if was in ENUM_VALUES and any(p.startswith(enum) for p in problems or ()):
            assert not valid

    def test_out_of_range_examples(self, validator: Draft202012Validator) -> None:
        """Examples of each: an enum value, a weekday, a time of day, a catalog code, a rule
        set's version, a format version the schema does not describe."""
        program = cc.ProgramStructure.weekly(
            cc.catalogs.ASAM3["2.1"], days=["mon"], hours_per_session=3, weeks=8
        )
        report = cc.validate(program, cc.rulesets.ALL[next(iter(cc.rulesets.ALL))])
        changes: list[Callable[[dict[str, Any]], object]] = [
            lambda d: d.update(track="gardening"),
            lambda d: d["sessions"][0].update(weekday="funday"),
            lambda d: d["sessions"][0].update(start="24:00"),
            lambda d: d["level"].update(code="9.9"),
            lambda d: d.update(schema="carecontinuum/1.2"),
        ]
        for change in changes:
            payload = copy.deepcopy(cc.to_dict(program))
            assert _is_valid(validator, payload)
            change(payload)
            assert not _is_valid(validator, payload)
            if payload["schema"] != "carecontinuum/1.2":  # read leniently, as documented
                assert _problems(payload) is not None
        payload = cc.to_dict(report)
        assert _is_valid(validator, payload)
        payload["ruleset"]["version"] = "0"
        assert not _is_valid(validator, payload)
        assert _problems(payload) is not None
