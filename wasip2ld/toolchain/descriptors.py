"""Toolchain descriptors: the TOML files in ``toolchains/`` that say how to find each family's parts.

A descriptor is data. Keys (see docs/toolchains.md):

    name, summary, kind ("c" | "sysroot" | "component" | "go" | "runtime"), priority (lower wins),
    roots = [...]          candidate root directories; ``{N}`` in a root is a version globbed newest first
    root_env, root_flag    an environment variable / ``--<flag>`` naming the root explicitly
    required = [...]       parts that must all be found for the family to count as present
    install, packages      how to install it (shown by ``doctor``; used by ``toolchain install``)
    targets = [...]        triples a C family can build (empty: all); ``triple=spelling`` when its compiler
                           names the triple differently (zig: ``wasm32-wasip1=wasm32-wasi``)
    [parts.<part>]         files = [...], commands = [...], dirs = [...] + marker, python = "module",
                           args = [...], version = [...], version_pattern, optional

Templates in paths: {root} {N} {data} {scripts} {purelib} {cwd} {home}; ``*`` globs (newest first).
"""
from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ..errors import ConfigError
from . import tomlfile

KINDS = ("c", "sysroot", "component", "go", "runtime")

PARTS = (
    "clang",
    "clang++",
    "libc++",
    "wasm-ld",
    "llvm-ar",
    "llvm-ranlib",
    "llvm-nm",
    "compiler-rt",
    "sysroot-wasip1",
    "sysroot-wasip2",
    "wasm-tools",
    "wasm-component-ld",
    "adapter-command",
    "adapter-reactor",
    "adapter-proxy",
    "wasi-wit",
    "go",
    "wasmtime",
)

_TOP_KEYS = {
    "name", "summary", "kind", "priority", "roots", "root_env", "root_flag", "required", "install",
    "packages", "preferred_version", "targets", "optional", "parts",
}
_PART_KEYS = {"files", "commands", "dirs", "marker", "python", "args", "version", "version_pattern", "optional"}


@dataclass(frozen=True)
class PartSpec:
    name: str
    files: tuple[str, ...] = ()
    commands: tuple[str, ...] = ()
    dirs: tuple[str, ...] = ()
    marker: str | None = None
    python: str | None = None
    args: tuple[str, ...] = ()
    version: tuple[str, ...] = ()
    version_pattern: str | None = None
    optional: bool = False


@dataclass(frozen=True)
class Descriptor:
    name: str
    summary: str
    kind: str
    priority: int
    path: Path
    roots: tuple[str, ...] = ()
    root_env: str | None = None
    root_flag: str | None = None
    required: tuple[str, ...] = ()
    install: str | None = None
    packages: tuple[str, ...] = ()
    preferred_version: int | None = None
    targets: tuple[str, ...] = ()
    optional: bool = False
    parts: dict[str, PartSpec] = field(default_factory=dict)


def descriptor_dirs() -> list[Path]:
    """Where descriptors live: ``WASIP2LD_TOOLCHAINS_DIR``, then the installed package, then the checkout."""
    here = Path(__file__).resolve().parent.parent
    dirs = []
    extra = os.environ.get("WASIP2LD_TOOLCHAINS_DIR")
    if extra:
        dirs.extend(Path(p) for p in extra.split(os.pathsep) if p)
    dirs += [here / "toolchains", here.parent / "toolchains"]
    return [d for d in dirs if d.is_dir()]


def load_all() -> list[Descriptor]:
    """Every descriptor, the first directory winning on a name clash, sorted by (priority, name)."""
    return list(_load_all(tuple(descriptor_dirs())))


@lru_cache(maxsize=4)
def _load_all(dirs: tuple[Path, ...]) -> tuple[Descriptor, ...]:
    seen: dict[str, Descriptor] = {}
    for d in dirs:
        for path in sorted(d.glob("*.toml")):
            desc = load(path)
            seen.setdefault(desc.name, desc)
    return tuple(sorted(seen.values(), key=lambda x: (x.priority, x.name)))


def load(path: Path) -> Descriptor:
    data, text = tomlfile.read(path)
    where = str(path)

    def fail(message: str, key: str | None = None) -> ConfigError:
        return ConfigError(where, message, line=tomlfile.line_of(text, key) if key else None)

    unknown = set(data) - _TOP_KEYS
    if unknown:
        key = sorted(unknown)[0]
        raise fail(f"unknown key `{key}` (known: {', '.join(sorted(_TOP_KEYS))})", key)
    for key in ("name", "kind"):
        if not isinstance(data.get(key), str):
            raise fail(f"`{key}` must be a string", key if key in data else None)
    if data["kind"] not in KINDS:
        raise fail(f"`kind` must be one of {', '.join(KINDS)}, not `{data['kind']}`", "kind")
    parts: dict[str, PartSpec] = {}
    raw_parts = data.get("parts", {})
    if not isinstance(raw_parts, dict):
        raise fail("`parts` must be a table", "parts")
    for pname, spec in raw_parts.items():
        if pname not in PARTS:
            raise fail(f"unknown part `{pname}` (known: {', '.join(PARTS)})", pname)
        if not isinstance(spec, dict):
            raise fail(f"part `{pname}` must be a table", pname)
        bad = set(spec) - _PART_KEYS
        if bad:
            key = sorted(bad)[0]
            raise fail(f"part `{pname}`: unknown key `{key}`", key)
        parts[pname] = PartSpec(
            name=pname,
            files=_strings(spec, "files", fail),
            commands=_strings(spec, "commands", fail),
            dirs=_strings(spec, "dirs", fail),
            marker=spec.get("marker"),
            python=spec.get("python"),
            args=_strings(spec, "args", fail),
            version=_strings(spec, "version", fail),
            version_pattern=spec.get("version_pattern"),
            optional=bool(spec.get("optional", False)),
        )
    for req in _strings(data, "required", fail):
        if req not in parts:
            raise fail(f"required part `{req}` has no [parts.{req}] table", "required")
    return Descriptor(
        name=data["name"],
        summary=str(data.get("summary", "")),
        kind=data["kind"],
        priority=int(data.get("priority", 100)),
        path=path,
        roots=_strings(data, "roots", fail),
        root_env=data.get("root_env"),
        root_flag=data.get("root_flag"),
        required=_strings(data, "required", fail),
        install=data.get("install"),
        packages=_strings(data, "packages", fail),
        preferred_version=data.get("preferred_version"),
        targets=_strings(data, "targets", fail),
        optional=bool(data.get("optional", False)),
        parts=parts,
    )


def _strings(table: dict, key: str, fail) -> tuple[str, ...]:
    value = table.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise fail(f"`{key}` must be a list of strings", key)
    return tuple(value)


def by_name(name: str) -> Descriptor:
    from ..errors import UsageError

    for desc in load_all():
        if desc.name == name:
            return desc
    known = ", ".join(d.name for d in load_all())
    raise UsageError(f"unknown toolchain `{name}` (known toolchains: {known})")


def python_paths() -> dict[str, str]:
    import sysconfig

    return {
        "scripts": sysconfig.get_path("scripts") or str(Path(sys.executable).parent),
        "purelib": sysconfig.get_path("purelib") or "",
    }

