"""``wasip2ld.frozen`` behaves as ``@dataclass(frozen=True)`` does for the WIT model's uses."""

from __future__ import annotations

import dataclasses

import pytest

from wasip2ld.frozen import FrozenInstanceError, field, frozen, replace


@frozen
class Point:
    x: int
    y: int = 0
    note: str | None = field(default=None, compare=False)


@dataclasses.dataclass(frozen=True)
class DataPoint:
    x: int
    y: int = 0
    note: str | None = dataclasses.field(default=None, compare=False)


@frozen(eq=False)
class Named:
    name: str

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Named) and self.name.lower() == other.name.lower()

    def __hash__(self) -> int:
        return hash(self.name.lower())


@pytest.mark.parametrize("args,kwargs", [((1,), {}), ((1, 2), {}), ((), {"x": 3, "note": "n"}), ((1,), {"y": 5})])
def test_construction_repr_and_equality_match_dataclasses(args, kwargs):
    ours, theirs = Point(*args, **kwargs), DataPoint(*args, **kwargs)
    assert (ours.x, ours.y, ours.note) == (theirs.x, theirs.y, theirs.note)
    assert repr(ours) == repr(theirs).replace("DataPoint", "Point")
    assert ours == Point(ours.x, ours.y, "other note") and hash(ours) == hash(Point(ours.x, ours.y))
    assert ours != Point(ours.x + 1, ours.y) and ours != theirs
    assert Point.__match_args__ == DataPoint.__match_args__


def test_bad_construction_fails_like_a_function_call():
    with pytest.raises(TypeError):
        Point()  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        Point(1, 2, None, 4)  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        Point(1, z=2)  # type: ignore[call-arg]


def test_instances_are_immutable():
    p = Point(1)
    with pytest.raises(FrozenInstanceError):
        p.x = 2  # type: ignore[misc]
    with pytest.raises(AttributeError):
        del p.y  # type: ignore[misc]


def test_eq_false_keeps_the_class_own_comparison():
    assert Named("A") == Named("a") and len({Named("A"), Named("a")}) == 1


def test_patterns_match_by_keyword_and_position():
    match Point(1, 2):
        case Point(1, y=2):
            matched = True
        case _:
            matched = False
    assert matched


def test_replace_copies_with_changes():
    p = Point(1, 2, "n")
    q = replace(p, y=5)
    assert (q.x, q.y, q.note) == (1, 5, "n") and p.y == 2
    with pytest.raises(TypeError):
        replace(p, z=1)
