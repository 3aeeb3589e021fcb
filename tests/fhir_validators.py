"""Two independent FHIR R4 validators for the test suite, and the reference checks neither does.

- The official FHIR R4 JSON schema (``tests/data/fhir.schema.json.gz``, HL7's
  ``fhir.schema.json``; see ``tests/data/README.md``), checked with the ``jsonschema`` package.
- The pydantic models of ``fhir.resources`` (R4B, whose resources here are R4's).

Either refuses a wrong type, a missing required element or an element the resource does not
have; a resource this suite writes must pass both (`assert_valid`).
"""

from __future__ import annotations

import functools
import gzip
import json
import re
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import jsonschema
from fhir.resources.R4B import get_fhir_model_class
from jsonschema.exceptions import ValidationError
from pydantic import ValidationError as ModelError

SCHEMA_PATH = Path(__file__).parent / "data" / "fhir.schema.json.gz"
#: The schema's own id: HL7's JSON schema of FHIR R4 (4.0.x).
SCHEMA_ID = "http://hl7.org/fhir/json-schema/4.0"
_DEFINITIONS = "#/definitions/"


@functools.cache
def official_schema() -> dict[str, Any]:
    """HL7's FHIR R4 JSON schema, read once."""
    schema: dict[str, Any] = json.loads(gzip.decompress(SCHEMA_PATH.read_bytes()))
    return schema


def _one_of(
    validator: Any, one_of: list[dict[str, Any]], instance: object, schema: dict[str, Any]
) -> Iterator[ValidationError]:
    """``oneOf``, with the schema's ``discriminator`` (``resourceType``) applied to its lists of
    resources (the root and ``ResourceList``, which every ``contained`` and ``Bundle.entry``
    resource is checked against).

    Every resource definition requires ``resourceType`` and fixes it with ``const``, so at most
    one member of such a list can match: the one the discriminator names. Checking only that one
    gives the same verdict as plain ``oneOf``, which would check all 146 resource definitions
    (about 1.5 s for one care plan; `test_the_discriminator_keeps_the_verdict` compares the two).
    """
    refs = [s.get("$ref") for s in one_of]
    kind = instance.get("resourceType") if isinstance(instance, dict) else None
    if isinstance(kind, str) and all(
        isinstance(ref, str) and ref.startswith(_DEFINITIONS) for ref in refs
    ):
        target = _DEFINITIONS + kind
        if target not in refs:
            yield ValidationError(f"{kind!r} is not a resource type of the schema")
            return
        yield from validator.descend(instance, one_of[refs.index(target)], schema_path=target)
        return
    yield from jsonschema.Draft6Validator.VALIDATORS["oneOf"](validator, one_of, instance, schema)


@functools.cache
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.ASCII)


def _pattern(
    validator: Any, pattern: str, instance: object, schema: dict[str, Any]
) -> Iterator[ValidationError]:
    """``pattern``, with ``\\s`` and ``\\S`` read as Java's regular expressions read them by
    default (ASCII whitespace only), Java being the language of HL7's reference validator.

    Every FHIR ``string`` must match ``^[ \\r\\n\\t\\S]+$``. Read with Unicode classes (ECMA
    262, Python), ``\\S`` excludes the Unicode spaces, so a no-break space (U+00A0), U+2028 or an
    ideographic space fails it; read as Java reads it, they pass. The library keeps such text
    as given (only control characters are refused), so this suite reads the pattern as Java
    does, and `test_unicode_spaces_fail_only_the_ecma_reading` records the difference.
    """
    if validator.is_type(instance, "string") and not _compiled(pattern).search(instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


_FhirValidator = jsonschema.validators.extend(
    jsonschema.Draft6Validator, {"oneOf": _one_of, "pattern": _pattern}
)


@functools.cache
def schema_validator() -> jsonschema.protocols.Validator:
    """The official schema's draft-06 validator, built once a session (the schema is 3.4 MB;
    `$ref` resolutions are cached inside the validator, so later resources check faster)."""
    return _FhirValidator(official_schema())


def plain_schema_validator() -> jsonschema.protocols.Validator:
    """The official schema with the plain draft-06 ``oneOf`` (slow: for comparison only)."""
    return jsonschema.Draft6Validator(official_schema())


def schema_errors(resource: Mapping[str, Any]) -> list[str]:
    """What the official R4 JSON schema finds wrong with a resource (or Bundle): one line per
    error, with its path."""
    errors = sorted(schema_validator().iter_errors(resource), key=lambda e: list(e.path))
    return [f"{e.json_path}: {e.message[:300]}" for e in errors]


def model_errors(resource: Mapping[str, Any]) -> list[str]:
    """What the fhir.resources models find wrong with a resource: one line per error."""
    kind = resource.get("resourceType")
    try:
        model = get_fhir_model_class(str(kind))
    except KeyError:
        return [f"resourceType: {kind!r} is not a resource type of fhir.resources"]
    try:
        model.model_validate(resource)
    except ModelError as error:
        return [f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in error.errors()]
    return []


def assert_valid(resource: Mapping[str, Any]) -> None:
    """The resource is JSON-safe and both validators accept it."""
    assert json.loads(json.dumps(resource)) == resource  # JSON-safe, nothing lost
    assert schema_errors(resource) == []
    assert model_errors(resource) == []


def assert_refused(resource: Mapping[str, Any]) -> None:
    """Both validators refuse the resource: neither is vacuous."""
    assert schema_errors(resource), "the official schema accepted it"
    assert model_errors(resource), "fhir.resources accepted it"


# ---- references -------------------------------------------------------------------------------


def references(data: object) -> Iterator[str]:
    """Every ``reference`` value in a resource (contained resources included)."""
    if isinstance(data, dict):
        for key, value in data.items():
            if key == "reference" and isinstance(value, str):
                yield value
            else:
                yield from references(value)
    elif isinstance(data, list):
        for item in data:
            yield from references(item)


def assert_references_resolve(
    resources: Iterable[Mapping[str, Any]], *, external: Iterable[str] = ()
) -> None:
    """Every reference in the resources resolves: ``#id`` to a resource contained in the same
    resource, and ``Type/id`` to a resource of the output (``type`` and ``id``), unless it is one
    of the `external` references the caller gave; ids are unique in the output, and every
    contained resource is referenced from its container (FHIR dom-3)."""
    resources = list(resources)
    ids = [f"{r['resourceType']}/{r['id']}" for r in resources if "id" in r]
    assert len(set(ids)) == len(ids), "two resources share a type and id"
    outside = set(external)
    for resource in resources:
        contained = [c["id"] for c in resource.get("contained", [])]
        assert len(set(contained)) == len(contained), "two contained resources share an id"
        local = set()
        for ref in references(resource):
            if ref.startswith("#"):
                assert ref[1:] in contained, f"{ref} names no contained resource"
                local.add(ref[1:])
            else:
                assert ref in ids or ref in outside, f"{ref} names no resource of the output"
        assert set(contained) <= local, f"not referenced: {set(contained) - local}"
