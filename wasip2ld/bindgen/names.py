"""The C identifiers wit-bindgen's C generator uses, so code written against its output compiles unchanged:
snake/SHOUTY case of WIT names, escaped keywords, interface namespaces (``exports_`` for exports, package
version only when several versions of a package are present, ``--rename``), and function names."""

from __future__ import annotations

import re
from collections.abc import Mapping

from ..wit.model import Function, Interface, Packages, WorldKey

_WORD = re.compile(r"[A-Za-z0-9]+")

# C and C++ keywords, plus the names the generated code itself uses for out-parameters (`ret`, `err`) and
# the C library macros that would clash with parameter names.
_RESERVED = frozenset((
    "alignas", "alignof", "and", "and_eq", "asm", "atomic_cancel", "atomic_commit", "atomic_noexcept",
    "auto", "bitand", "bitor", "bool", "break", "case", "catch", "char", "char8_t", "char16_t", "char32_t",
    "class", "compl", "concept", "const", "consteval", "constexpr", "constinit", "const_cast", "continue",
    "co_await", "co_return", "co_yield", "decltype", "default", "delete", "do", "double", "dynamic_cast",
    "else", "enum", "explicit", "export", "extern", "false", "float", "for", "friend", "goto", "if",
    "inline", "int", "long", "mutable", "namespace", "new", "noexcept", "not", "not_eq", "nullptr",
    "operator", "or", "or_eq", "private", "protected", "public", "reflexpr", "register",
    "reinterpret_cast", "requires", "return", "short", "signed", "sizeof", "static", "static_assert",
    "static_cast", "struct", "switch", "synchronized", "template", "this", "thread_local", "throw", "true",
    "try", "typedef", "typeid", "typename", "union", "unsigned", "using", "virtual", "void", "volatile",
    "wchar_t", "while", "xor", "xor_eq", "_Packed", "ret", "err", "stdin", "stdout", "stderr",
))  # fmt: skip


def snake(name: str) -> str:
    """``get-HTTP-thing`` → ``get_http_thing``; ``[method]r.m`` → ``method_r_m``."""
    return "_".join(w.lower() for w in _WORD.findall(name))


def shouty(name: str) -> str:
    return snake(name).upper()


def c_ident(name: str) -> str:
    """A WIT field, case or parameter name as a C identifier (keywords get a trailing ``_``)."""
    return f"{name}_" if name in _RESERVED else snake(name)


class Namespaces:
    """Namespaces of interfaces and functions for one world (``--rename`` applied)."""

    def __init__(self, world_name: str, packages: Packages | None, renames: Mapping[str, str]) -> None:
        self.world = snake(world_name)
        self.renames = dict(renames)
        self.multi_version = _packages_with_several_versions(packages)

    def interface(self, key: WorldKey, iface: Interface, exported: bool) -> str:
        prefix = "exports_" if exported and key.is_interface_id else ""
        if key.name in self.renames:
            return prefix + self.renames[key.name]
        if not key.is_interface_id or iface.package is None or iface.name is None:
            return snake(key.name)
        pkg = iface.package
        version = ""
        if pkg.version and (pkg.namespace, pkg.name) in self.multi_version:
            version = re.sub(r"[.+-]", "_", pkg.version) + "_"
        return f"{prefix}{snake(pkg.namespace)}_{snake(pkg.name)}_{version}{snake(iface.name)}"

    def function(self, namespace: str | None, func: Function, exported: bool) -> str:
        """``<iface>_<func>`` / ``exports_<iface>_<func>``; world-level: ``[exports_]<world>_<func>``."""
        if namespace is None:
            namespace = ("exports_" if exported else "") + self.world
        return f"{namespace}_{snake(func.name)}"


def _packages_with_several_versions(packages: Packages | None) -> frozenset[tuple[str, str]]:
    if packages is None:
        return frozenset()
    seen: dict[tuple[str, str], set[str | None]] = {}
    for p in packages.packages:
        seen.setdefault((p.name.namespace, p.name.name), set()).add(p.name.version)
    return frozenset(k for k, versions in seen.items() if len(versions) > 1)
