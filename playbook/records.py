"""Records: classes declared like dataclasses, made without generating code.

`dataclasses` writes and compiles Python source for every method of every class, about
4 million instructions (1.5 ms) a class: with thirty of them on the way to a render,
a fifth of a one-shot command's start-up. A `Record` subclass is declared the same way
(annotated fields, plain defaults, `dataclasses.field(default_factory=..., metadata=...)`
as `schema.spec()` makes) and behaves as a dataclass does: positional or keyword
construction, `==` field by field within one class, `repr` and, when frozen (the
default; `class X(Record, frozen=False)` otherwise), read-only fields and a hash. Its
methods are shared by every record and read the fields the class lists, once, when it
is made. `fields()` and `replace()` stand for `dataclasses.fields()` and
`dataclasses.replace()`.
"""

from __future__ import annotations

from dataclasses import MISSING, Field, FrozenInstanceError, field
from typing import Any, dataclass_transform

__all__ = ["Record", "fields", "replace", "field"]


# type checkers (PEP 681) read a Record subclass's fields and constructor as a dataclass's
@dataclass_transform(frozen_default=True, field_specifiers=(field,))
class Record:
    """Base of the records: see the module's documentation."""

    # (Field, ...) in declaration order, base classes' first; set on each subclass
    __record_fields__ = ()
    _names = ()
    _name_set = frozenset()

    def __init_subclass__(cls, frozen: bool = True, **kwargs: Any):
        super().__init_subclass__(**kwargs)
        found = {f.name: f for f in cls.__record_fields__}
        for name, annotation in cls.__dict__.get("__annotations__", {}).items():
            if str(annotation).startswith(("ClassVar", "typing.ClassVar")):
                continue
            value = cls.__dict__.get(name, MISSING)
            declared = value if isinstance(value, Field) else field(default=value)
            declared.name, declared.type = name, annotation
            if declared.default is MISSING:
                if value is not MISSING:
                    delattr(cls, name)  # as a dataclass: no class attribute without a default
            else:
                setattr(cls, name, declared.default)
            found[name] = declared
        cls.__record_fields__ = tuple(found.values())
        cls._names = tuple(found)
        cls._name_set = frozenset(found)
        if not frozen:  # a mutable dataclass with eq: assignable, not hashable
            cls.__setattr__ = object.__setattr__
            cls.__delattr__ = object.__delattr__
            cls.__hash__ = None

    def __init__(self, *args: Any, **kwargs: Any):
        cls = type(self)
        names = cls._names
        if len(args) > len(names):
            raise TypeError(f"{cls.__qualname__}() takes {len(names)} positional arguments "
                            f"but {len(args)} were given")
        values = dict(zip(names, args, strict=False))  # fewer arguments than fields
        for name, value in kwargs.items():
            if name in values:
                raise TypeError(f"{cls.__qualname__}() got multiple values for argument "
                                f"'{name}'")
            if name not in cls._name_set:
                raise TypeError(f"{cls.__qualname__}() got an unexpected keyword argument "
                                f"'{name}'")
            values[name] = value
        state = self.__dict__
        if len(values) == len(names):
            for name in names:
                state[name] = values[name]
            return
        for declared in cls.__record_fields__:
            name = declared.name
            if name in values:
                state[name] = values[name]
            elif declared.default is not MISSING:
                state[name] = declared.default
            elif declared.default_factory is not MISSING:
                state[name] = declared.default_factory()
            else:
                raise TypeError(f"{cls.__qualname__}() missing required argument: '{name}'")

    def _values(self) -> tuple:
        state = self.__dict__
        return tuple(state[name] for name in self._names)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is self.__class__:
            return self._values() == other._values()
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._values())

    def __repr__(self) -> str:
        state = self.__dict__
        shown = ", ".join(f"{name}={state[name]!r}" for name in self._names)
        return f"{self.__class__.__qualname__}({shown})"

    def __setattr__(self, name: str, value: Any) -> None:
        raise FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise FrozenInstanceError(f"cannot delete field {name!r}")


def fields(record: Record | type[Record]) -> tuple[Field, ...]:
    """The record's fields (name, type, default, default_factory, metadata), in order."""
    return record.__record_fields__


def replace(record: Record, **changes: Any) -> Any:
    """A copy of `record` with some fields changed, as `dataclasses.replace`."""
    state = record.__dict__
    return record.__class__(**{**{name: state[name] for name in record._names}, **changes})
