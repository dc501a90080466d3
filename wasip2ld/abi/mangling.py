"""The two core-module name schemes for a WIT world.

``legacy``: what wit-bindgen and wasi-libc emit today (module ``$root`` or the full interface id,
``[export]`` modules for exported-resource intrinsics, ``cabi_post_``, ``#[dtor]``, ``memory``,
``cabi_realloc``, ``_initialize``, plus the ``[async-lower]``/``[async-lift]`` family).

``standard32``: the ``cm32p2`` names of component-model PR #378 "BuildTargets.md" (module ``cm32p2|<iface>``
with a *canonicalized* version, ``_ex_`` for exported-resource intrinsics, ``_post``, ``_dtor``,
``cm32p2_memory``, ``cm32p2_realloc``, ``cm32p2_initialize``). It has no async names.

Each scheme is a small object of pure functions; ``key`` is the world's name for an interface (``None``
for world-level items).
"""

from __future__ import annotations

import re
from typing import Protocol

from ..errors import UsageError
from ..frozen import frozen
from ..wit.model import Function, WorldKey

MANGLINGS = ("legacy", "standard32")

_SEMVER = (  # compiled by `re` when first used
    r"^(?P<major>0|[1-9]\d*)\.(?P<minor>0|[1-9]\d*)\.(?P<patch>0|[1-9]\d*)"
    r"(?:-(?P<pre>[0-9A-Za-z.-]+))?(?:\+(?P<build>[0-9A-Za-z.-]+))?$"
)


def canonical_version(version: str) -> str:
    """BuildTargets.md "Interface Name Canonicalization": ``1.2.3`` → ``1``, ``0.2.1`` → ``0.2``,
    ``0.0.1`` → ``0.0.1``; a prerelease keeps the full version; ``+build`` is always dropped."""
    m = re.match(_SEMVER, version)
    if m is None:
        raise ValueError(f"not a semver version: `{version}`")
    major, minor, patch, pre = m["major"], m["minor"], m["patch"], m["pre"]
    if pre:
        return f"{major}.{minor}.{patch}-{pre}"
    if major == "0" and minor == "0":
        return f"0.0.{patch}"
    if major == "0":
        return f"0.{minor}"
    return major


def canonical_interface_name(key: WorldKey) -> str:
    """``ns:pkg/i@0.2.1`` → ``ns:pkg/i@0.2``; plain world-level names are unchanged."""
    if not key.is_interface_id or "@" not in key.name:
        return key.name
    base, version = key.name.split("@", 1)
    return f"{base}@{canonical_version(version)}"


class Mangling(Protocol):
    name: str
    memory: str
    realloc: str
    initialize: str

    def import_module(self, key: WorldKey | None) -> str: ...
    def exported_intrinsic_module(self, key: WorldKey | None) -> str: ...
    def resource_intrinsic(self, resource: str, which: str) -> str: ...
    def export_name(self, key: WorldKey | None, func: Function) -> str: ...
    def post_return(self, export_name: str) -> str: ...
    def dtor(self, key: WorldKey, resource: str) -> str: ...


@frozen
class Legacy:
    name: str = "legacy"
    memory: str = "memory"
    realloc: str = "cabi_realloc"
    initialize: str = "_initialize"

    def import_module(self, key: WorldKey | None) -> str:
        return "$root" if key is None else key.name

    def exported_intrinsic_module(self, key: WorldKey | None) -> str:
        return "[export]" + self.import_module(key)

    def resource_intrinsic(self, resource: str, which: str) -> str:
        return f"[resource-{which}]{resource}"  # which: drop | new | rep

    def export_name(self, key: WorldKey | None, func: Function) -> str:
        return func.name if key is None else f"{key.name}#{func.name}"

    def post_return(self, export_name: str) -> str:
        return f"cabi_post_{export_name}"

    def dtor(self, key: WorldKey, resource: str) -> str:
        return f"{key.name}#[dtor]{resource}"


@frozen
class Standard32:
    name: str = "standard32"
    memory: str = "cm32p2_memory"
    realloc: str = "cm32p2_realloc"
    initialize: str = "cm32p2_initialize"

    def import_module(self, key: WorldKey | None) -> str:
        return "cm32p2" if key is None else f"cm32p2|{canonical_interface_name(key)}"

    def exported_intrinsic_module(self, key: WorldKey | None) -> str:
        return "cm32p2" if key is None else f"cm32p2|_ex_{canonical_interface_name(key)}"

    def resource_intrinsic(self, resource: str, which: str) -> str:
        return f"{resource}_{which}"

    def export_name(self, key: WorldKey | None, func: Function) -> str:
        if key is None:
            return f"cm32p2||{func.name}"
        return f"cm32p2|{canonical_interface_name(key)}|{func.name}"

    def post_return(self, export_name: str) -> str:
        return f"{export_name}_post"

    def dtor(self, key: WorldKey, resource: str) -> str:
        return f"cm32p2|{canonical_interface_name(key)}|{resource}_dtor"


def mangling_named(name: str) -> Mangling:
    if name == "legacy":
        return Legacy()
    if name == "standard32":
        return Standard32()
    raise UsageError(
        f"unknown name mangling `{name}`",
        hint="use --mangling legacy (what wit-bindgen and wasi-libc emit) "
        "or --mangling standard32 (cm32p2 names)",
    )


# --- legacy async names (wit-component's `[async-lower]`/`[async-lift]` family) --------------------------

ASYNC_LOWER = "[async-lower]"
ASYNC_LIFT = {"async-callback": "[async-lift]", "async-stackful": "[async-lift-stackful]"}
CALLBACK = "[callback]"


def task_return_name(func: Function) -> str:
    return f"[task-return]{func.name}"


def payload_intrinsic_name(prefix: str, index: int, func: Function) -> str:
    """``[future-new-0]f``, ``[async-lower][stream-read-1]g``: the ``index``-th future/stream of ``func``."""
    return f"{prefix}-{index}]{func.name}"
