"""`FrozenMap`: a read-only, hashable mapping, for values that hold key-value data (rule params,
rating tables, placement floors); `value_eq` and `value_hash`, the equality and hash every value
of the library starts with; `unchecked_builder`, for values the library computed itself."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping
from types import MappingProxyType
from typing import Any, TypeVar, cast

import attrs

__all__ = ["FrozenMap"]

_K = TypeVar("_K", bound=Hashable)
_V = TypeVar("_V")


class FrozenMap(Mapping[_K, _V]):
    """An immutable mapping that hashes by its items, so frozen attrs classes can hold one.

    Its items are copied on construction and held behind a read-only view, so nothing that
    reaches the map (a rule's `params`, say) can change them.

    >>> params = FrozenMap({"at_least": 9})
    >>> params["at_least"], hash(params) == hash(FrozenMap({"at_least": 9}))
    (9, True)
    """

    __slots__ = ("_items",)
    # A read-only view of a private copy: `_items` gives no way to change the items.
    _items: MappingProxyType[_K, _V]

    def __init__(self, items: Mapping[_K, _V] | Iterable[tuple[_K, _V]] = ()) -> None:
        object.__setattr__(self, "_items", MappingProxyType(dict(items)))

    def __getitem__(self, key: _K) -> _V:
        return self._items[key]

    # Direct rather than Mapping's generic versions: rules read their params on every check.
    def get(self, key: _K, default: Any = None) -> Any:
        return self._items.get(key, default)

    def __contains__(self, key: object) -> bool:
        return key in self._items

    def __iter__(self) -> Iterator[_K]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __hash__(self) -> int:
        return hash(frozenset(self._items.items()))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Mapping):
            return self._items == dict(other.items())
        return NotImplemented

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable")

    def __repr__(self) -> str:
        return f"FrozenMap({dict(self._items)!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (FrozenMap, (dict(self._items),))


def value_eq(self: Any, other: object) -> bool:
    """The ``__eq__`` every value of this library starts with (``__eq__ = value_eq`` in its
    class body, so attrs generates none at import): its first call has attrs generate the
    class's equality, puts it on the class in place of this function, and answers with it. A
    class's equality is thus compiled only if a value of it is ever compared: loading every
    name of the package compiles none, and a compared value pays nothing after the first
    comparison."""
    equal: bool = _generated(type(self), "__eq__")(self, other)
    return equal


def value_hash(self: Any) -> int:
    """The ``__hash__`` every value of this library starts with (``__hash__ = value_hash``):
    as `value_eq`, attrs' generated hash, made on first use and kept on the class."""
    hashed: int = _generated(type(self), "__hash__")(self)
    return hashed


def _generated(kind: type, method: str) -> Callable[..., Any]:
    """Attrs' generated ``__eq__`` and ``__hash__`` for the class in `kind`'s MRO that starts
    with `value_eq` or `value_hash`, set on that class in their place (the one still waiting,
    or both); returns `method` as the class now has it.

    Attrs generates them, by its public `attrs.make_class`, for a throwaway twin with the
    same fields compared, keyed and hashed as the class's: the methods read the fields by
    name and check ``other.__class__ is self.__class__`` themselves, so they serve the class
    as they serve the twin. Two threads that both make them set equal methods."""
    shared = value_eq if method == "__eq__" else value_hash
    owner = next((c for c in kind.__mro__ if c.__dict__.get(method) is shared), None)
    if owner is None:  # set by another thread in between
        found: Callable[..., Any] = getattr(kind, method)
        return found
    fields = attrs.fields(owner)
    twin = attrs.make_class(
        owner.__name__,
        {f.name: attrs.field(eq=f.eq_key or f.eq, hash=f.hash) for f in fields},
        init=False, repr=False, slots=False, eq=True, hash=True,
    )  # fmt: skip
    for name, waiting in (("__eq__", value_eq), ("__hash__", value_hash)):
        if owner.__dict__.get(name) is waiting:
            setattr(owner, name, twin.__dict__[name])
    made: Callable[..., Any] = owner.__dict__[method]
    return made


class _Derived:
    """A slot for what a frozen value derives from its fields on first read and keeps (a
    session's clinical duration, a program's weeks as the rule engine reads them, a rule's
    bounds in the units its check compares, a level's hash). Not a field: neither compared,
    hashed, pickled nor written; a value unpickled or copied derives it again. Unset or None:
    nothing derived yet (`unchecked_builder` sets None, so a first read raises nothing)."""

    __slots__ = ("_derived",)
    _derived: Any


_T = TypeVar("_T")


def unchecked_builder(cls: type[_T]) -> Callable[..., _T]:
    """A function that builds a value of the frozen, slotted attrs class `cls` from its fields,
    in field order, without the constructor's checks: for values the library computed itself
    on a hot path (a report per validation, a finding per failed check).

    A frozen class forbids plain attribute stores, so setting a slot costs a call per field.
    The builder stores the fields on an instance of a private twin of `cls`, a class with the
    same base and the same slots but no ``__setattr__`` of its own (stores the interpreter
    specialises), then makes the instance a `cls` by ``__class__`` assignment, which Python
    allows between classes of the same layout. That needs `cls` to have no ``__weakref__``
    slot (CPython 3.11 does not see two such layouts as the same): the classes built this way
    say ``weakref_slot=False``. The builder is tried once here, so a layout Python refuses
    fails at import, not on a hot path.
    """
    names = [field.name for field in attrs.fields(cast("type[attrs.AttrsInstance]", cls))]
    own = cls.__dict__["__slots__"]
    if "__weakref__" in own:
        raise TypeError(f"{cls.__name__} has a __weakref__ slot: say weakref_slot=False")
    twin = type(f"_{cls.__name__}Twin", cls.__bases__, {"__slots__": own})
    # The generated code's own names start with "__", which no attrs field name does.
    stores = "".join(f"    __made.{name} = {name}\n" for name in names)
    if issubclass(cls, _Derived):  # nothing derived yet: read as None, without an exception
        stores += "    __made._derived = None\n"
    source = (
        f"def build({', '.join(names)}):\n    __made = __twin()\n{stores}"
        "    __made.__class__ = __cls\n    return __made\n"
    )
    scope: dict[str, Any] = {"__twin": twin, "__cls": cls}
    # Generated from the field names, as attrs generates its methods.
    exec(compile(source, f"<unchecked {cls.__name__}>", "exec"), scope)
    build: Callable[..., _T] = scope["build"]
    build(*[None] * len(names))  # a layout Python refuses fails here, at import
    return build
