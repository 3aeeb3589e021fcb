"""Griffe extension for the docs site: the `__init__` that attrs generates, as a signature.

Many of the package's value classes are ``@attrs.frozen`` classes without an ``__init__`` of
their own: attrs writes one at import time from the annotated fields. The API reference reads
the source without importing it, so it would show those classes as taking no arguments and
warn that their ``Args:`` sections name parameters the signature lacks. This extension writes
the signature attrs would: one parameter per field, in field order, with ``init=False``
fields left out, a private field named without its underscore (or by its ``alias``), the
field's default, and ``kw_only`` fields after the positional ones. The source files are not
touched: `mkdocs.yml` loads this file through the mkdocstrings ``extensions`` option.
"""

from __future__ import annotations

from typing import Any

import griffe

_DECORATORS = {
    "attrs.frozen",
    "attrs.define",
    "attrs.mutable",
    "attr.s",
    "attr.attrs",
    "attr.frozen",
    "attr.define",
    "attr.mutable",
}
_FIELDS = {"attrs.field", "attr.ib", "attr.attrib", "attr.field"}


def _call_kwargs(expr: object) -> dict[str, Any]:
    """The keyword arguments of a call expression, by name (values as griffe keeps them)."""
    if not isinstance(expr, griffe.ExprCall):
        return {}
    return {
        argument.name: argument.value
        for argument in expr.arguments
        if isinstance(argument, griffe.ExprKeyword)
    }


def _attrs_decorator(cls: griffe.Class) -> griffe.Decorator | None:
    for decorator in cls.decorators:
        value = decorator.value
        if isinstance(value, griffe.Expr) and value.canonical_path in _DECORATORS:
            return decorator
    return None


def _fields(cls: griffe.Class, kw_only_class: bool) -> list[griffe.Parameter]:
    parameters = []
    for member in cls.members.values():
        if member.is_alias or not isinstance(member, griffe.Attribute):
            continue
        if member.annotation is None or "property" in member.labels:
            continue
        if "class-attribute" in member.labels and "instance-attribute" not in member.labels:
            continue  # a ClassVar: not a field
        value = member.value
        field = (
            _call_kwargs(value)
            if isinstance(value, griffe.ExprCall) and value.canonical_path in _FIELDS
            else None
        )
        if field is not None and str(field.get("init")) == "False":
            continue
        default: str | griffe.Expr | None
        if field is None:
            default = value
        elif "factory" in field:
            default = griffe.ExprCall(function=field["factory"], arguments=[])
        else:
            default = field.get("default")
        name = member.name.lstrip("_")
        if field is not None and "alias" in field:
            name = str(field["alias"]).strip("'\"")
        keyword = kw_only_class or (field is not None and str(field.get("kw_only")) == "True")
        parameters.append(
            griffe.Parameter(
                name,
                annotation=member.annotation,
                kind=(
                    griffe.ParameterKind.keyword_only
                    if keyword
                    else griffe.ParameterKind.positional_or_keyword
                ),
                default=default,
                docstring=member.docstring,
            )
        )
    return parameters


def _set_init(cls: griffe.Class) -> None:
    decorator = _attrs_decorator(cls)
    if decorator is None or "__init__" in cls.members:
        return
    options = _call_kwargs(decorator.value)
    if str(options.get("init")) == "False":
        return
    parameters: list[griffe.Parameter] = []
    try:
        parents = [parent for parent in reversed(cls.mro()) if _attrs_decorator(parent)]
    except ValueError:
        parents = []
    for parent in [*parents, cls]:
        parent_decorator = _attrs_decorator(parent)
        parent_options = _call_kwargs(parent_decorator.value) if parent_decorator else {}
        parameters += _fields(parent, str(parent_options.get("kw_only")) == "True")
    by_name = {parameter.name: parameter for parameter in parameters}
    ordered = sorted(by_name.values(), key=lambda p: p.kind is griffe.ParameterKind.keyword_only)
    init = griffe.Function(
        "__init__",
        lineno=0,
        endlineno=0,
        parent=cls,
        parameters=griffe.Parameters(
            griffe.Parameter("self", kind=griffe.ParameterKind.positional_or_keyword),
            *ordered,
        ),
        returns="None",
    )
    cls.set_member("__init__", init)


def _walk(obj: griffe.Module | griffe.Class, seen: set[str]) -> None:
    if obj.canonical_path in seen:
        return
    seen.add(obj.canonical_path)
    if isinstance(obj, griffe.Class):
        _set_init(obj)
    for member in obj.members.values():
        if not member.is_alias and isinstance(member, griffe.Module | griffe.Class):
            _walk(member, seen)


class AttrsInit(griffe.Extension):
    """Give every attrs class without an ``__init__`` of its own the one attrs generates."""

    def on_package(self, *, pkg: griffe.Module, **kwargs: Any) -> None:
        _walk(pkg, set())
