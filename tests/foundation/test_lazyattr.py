"""``lazyattr.cached_property`` behaves as ``functools.cached_property`` where wasip2ld uses it: computed on
first access, then answered from the instance (also on ``@frozen`` classes, whose attributes cannot be set),
per instance, and the descriptor itself on the class."""

from __future__ import annotations

from wasip2ld.frozen import frozen
from wasip2ld.lazyattr import cached_property


@frozen
class Point:
    x: int

    @cached_property
    def doubled(self) -> list[int]:
        """The point, twice."""
        calls.append(self.x)
        return [self.x, self.x]


calls: list[int] = []


def test_computed_once_per_instance_and_stored_on_it():
    calls.clear()
    a, b = Point(1), Point(2)
    assert a.doubled is a.doubled and a.doubled == [1, 1]
    assert b.doubled == [2, 2]
    assert calls == [1, 2]
    assert vars(a)["doubled"] == [1, 1]


def test_the_class_attribute_is_the_descriptor():
    descriptor = Point.__dict__["doubled"]
    assert Point.doubled is descriptor and descriptor.__doc__ == "The point, twice."
    assert descriptor.name == "doubled"
