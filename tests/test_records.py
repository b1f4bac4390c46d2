"""Records behave as the dataclasses they replace: construction, defaults, equality,
hashing, repr, read-only fields, replace(), pickling."""

from __future__ import annotations

import dataclasses
import pickle

import pytest

from playbook.errors import Problem
from playbook.profile import Company, Profile
from playbook.records import Record, field, fields, replace


class Point(Record):
    """A frozen record."""

    x: int
    y: int = 0
    tags: list = field(default_factory=list)


@dataclasses.dataclass(frozen=True)
class PointClass:
    """The same, as a dataclass."""

    x: int
    y: int = 0
    tags: list = dataclasses.field(default_factory=list)


class Box(Record, frozen=False):
    """A mutable record."""

    size: int = 1


def test_construction_defaults_and_repr_match_a_dataclass():
    for args, kwargs in (((1,), {}), ((1, 2), {}), ((), {"x": 3, "tags": ["a"]}), ((1,), {"y": 5})):
        ours, theirs = Point(*args, **kwargs), PointClass(*args, **kwargs)
        assert repr(ours) == repr(theirs).replace("PointClass", "Point")
    assert hash(Point(1, 2, ())) == hash(PointClass(1, 2, ()))
    assert Point(1).tags is not Point(1).tags  # a fresh default each time


def test_equality_is_field_by_field_within_one_class():
    assert Point(1, 2) == Point(1, 2) and Point(1, 2) != Point(2, 1)
    assert Point(1, 2) != PointClass(1, 2)
    assert len({Point(1, 2, ()), Point(1, 2, ())}) == 1


def test_wrong_arguments_are_type_errors():
    with pytest.raises(TypeError, match="missing required argument: 'x'"):
        Point()
    with pytest.raises(TypeError, match="unexpected keyword argument 'z'"):
        Point(1, z=2)
    with pytest.raises(TypeError, match="multiple values for argument 'x'"):
        Point(1, x=2)
    with pytest.raises(TypeError, match="takes 3 positional arguments but 4 were given"):
        Point(1, 2, [], 4)


def test_frozen_unless_said_otherwise():
    with pytest.raises(dataclasses.FrozenInstanceError):
        Point(1).x = 2
    with pytest.raises(dataclasses.FrozenInstanceError):
        del Point(1).x
    box = Box()
    box.size = 3
    assert box == Box(3)
    with pytest.raises(TypeError):
        hash(box)


def test_fields_replace_and_pickle():
    assert [f.name for f in fields(Point)] == ["x", "y", "tags"]
    assert Point.y == 0 and not hasattr(Point, "x") and not hasattr(Point, "tags")
    assert replace(Point(1, 2), y=7) == Point(1, 7)
    problem = Problem("a.yaml", "company.name", "is required", 3, 1)
    assert pickle.loads(pickle.dumps(problem)) == problem
    profile = Profile(company=Company(name="Acme", employees=3))
    assert pickle.loads(pickle.dumps(profile)) == profile
    assert repr(profile.company).startswith("Company(name='Acme', sector=None, ")
