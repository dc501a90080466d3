"""``generate_c``: ``<world>.h`` and ``<world>.c`` for a WIT world, in wit-bindgen's C conventions.

The walk follows wit-bindgen: imported interfaces, world-level imported types and functions, world-level
exported functions, then exported interfaces (which get their own ``exports_`` copies of types, except those
of imported interfaces they use). No component-type object is produced: wasip2ld's linker embeds the
world, so the same two files serve component and ``--module`` builds.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..abi.mangling import mangling_named
from ..errors import UsageError
from ..wit.model import (
    Function,
    Interface,
    Packages,
    Type,
    TypeDef,
    World,
    WorldFunction,
    WorldInterface,
    WorldKey,
    WorldType,
)
from .ctypes import CTypes, live_types
from .flat import UNIONS
from .functions import FunctionWriter, check_supported
from .names import Namespaces, shouty
from .scope import Scope
from .source import Sources

STRING_ENCODINGS = ("utf8", "utf16", "compact-utf16")


@dataclass(frozen=True)
class Options:
    mangling: str = "legacy"
    string_encoding: str = "utf8"
    renames: tuple[tuple[str, str], ...] = ()  # (world key, C name), like `--rename`


@dataclass(frozen=True)
class Bindings:
    header_name: str
    header: str
    source_name: str
    source: str


def generate_c(world: World, packages: Packages | None = None, options: Options = Options()) -> Bindings:
    if options.string_encoding not in STRING_ENCODINGS:
        raise UsageError(
            f"--string-encoding: unknown encoding `{options.string_encoding}`",
            hint="use utf8, utf16 or compact-utf16",
        )
    if options.string_encoding == "compact-utf16":
        raise UsageError(
            "--string-encoding compact-utf16 has no C string type (wit-bindgen's C generator rejects it too)",
            hint="use --string-encoding utf8 (the default) or utf16",
        )
    _check_renames(world, options.renames)
    gen = _Generator(world, packages, options)
    gen.run()
    return gen.bindings()


def _check_renames(world: World, renames: Sequence[tuple[str, str]]) -> None:
    keys = {item.key.name for item in (*world.imports, *world.exports) if isinstance(item, WorldInterface)}
    for name, to in renames:
        if name not in keys:
            raise UsageError(
                f"--rename {name}={to}: the world has no interface `{name}`",
                hint="available: " + (", ".join(sorted(keys)) or "none (the world has no interfaces)"),
            )


class _Generator:
    def __init__(self, world: World, packages: Packages | None, options: Options) -> None:
        self.world, self.options = world, options
        self.ns = Namespaces(world.name, packages, dict(options.renames))
        self.names = mangling_named(options.mangling)
        self.src = Sources()
        char = "uint16_t" if options.string_encoding == "utf16" else "uint8_t"
        self.types = CTypes(self.ns.world, char, self.src)
        self.funcs = FunctionWriter(self.types, self.src)

    def run(self) -> None:
        funcs: list[Function] = []
        types: list[Type] = []
        for item in self.world.imports:
            match item:
                case WorldInterface(key=key, interface=iface):
                    self.interface(key, iface, imported=True)
                case WorldFunction(function=f):
                    funcs.append(f)
                case WorldType(type=t):
                    types.append(t)
        world_scope = Scope(True, None, self.ns.world, self.names)
        if types:
            self.types.define_all(_live(types), world_scope)
        if funcs:
            self.world_functions(funcs, world_scope)
        funcs = [item.function for item in self.world.exports if isinstance(item, WorldFunction)]
        if funcs:
            self.world_functions(funcs, Scope(False, None, self.ns.world, self.names))
        self.types.keep_only(self._imported_types_used_by_exports())
        for item in self.world.exports:
            if isinstance(item, WorldInterface):
                self.interface(item.key, item.interface, imported=False)

    def interface(self, key: WorldKey, iface: Interface, imported: bool) -> None:
        namespace = self.ns.interface(key, iface, exported=not imported)
        scope = Scope(imported, key, namespace, self.names)
        for func in iface.functions:
            check_supported(func, f"{key.name}#{func.name}")
        self.types.define_all(_live(_interface_types(iface)), scope)
        self._functions(scope, namespace, iface.functions, key.name)

    def world_functions(self, funcs: list[Function], scope: Scope) -> None:
        for func in funcs:
            check_supported(func, func.name)
        self.types.define_all(_live(_function_types(funcs)), scope)
        self._functions(scope, None, funcs, self.world.name)

    def _functions(self, scope: Scope, namespace: str | None, funcs: Sequence[Function], title: str) -> None:
        if not funcs:
            return
        what = "Imported" if scope.in_import else "Exported"
        self.src.h_fns.append(f"\n// {what} Functions from `{title}`\n")
        for func in funcs:
            cname = self.ns.function(namespace, func, exported=not scope.in_import)
            if scope.in_import:
                self.funcs.import_function(scope, cname, func)
            else:
                self.funcs.export_function(scope, cname, func)

    def _imported_types_used_by_exports(self) -> set[TypeDef]:
        exported = [i for i in self.world.exports if isinstance(i, WorldInterface)]
        exported_owners = {_owner(i) for i in exported}
        live: dict[TypeDef, None] = {}
        for item in exported:
            live_types(_interface_types(item.interface), live)
        imported = {_owner(i): i.interface for i in self.world.imports if isinstance(i, WorldInterface)}
        used = {t.owner for t in live if t.owner in imported and t.owner not in exported_owners}
        keep: dict[TypeDef, None] = {}
        for owner in sorted(used, key=str):
            live_types(_interface_types(imported[owner]), keep)
        return set(keep)

    # --- assembly ------------------------------------------------------------------------------------

    def bindings(self) -> Bindings:
        base = self.ns.world
        return Bindings(f"{base}.h", self._header(), f"{base}.c", self._source())

    def _header(self) -> str:
        guard = f"__BINDINGS_{shouty(self.world.name)}_H"
        out = [
            _PREAMBLE,
            f'#ifndef {guard}\n#define {guard}\n#ifdef __cplusplus\nextern "C" {{\n#endif\n\n',
            "#include <stdint.h>\n#include <stdbool.h>\n#include <stddef.h>\n",
        ]
        utf16 = self.options.string_encoding == "utf16"
        if utf16 and self.types.needs_string:
            out.append("#include <uchar.h>\n")
        if self.types.needs_string:
            w = self.ns.world
            out.append(
                f"\ntypedef struct {w}_string_t {{\n  {self.types.char_type} *ptr;\n  size_t len;\n}} {w}_string_t;\n"
            )
        out += self.src.h_defs
        out += self.src.h_fns
        helpers = self.src.h_helpers + (self._string_helpers_h() if self.types.needs_string else [])
        if helpers:
            out.append("\n// Helper Functions\n")
            out += helpers
        out.append("\n#ifdef __cplusplus\n}\n#endif\n#endif\n")
        return "".join(out)

    def _source(self) -> str:
        out = [_PREAMBLE, f'#include "{self.ns.world}.h"\n#include <stdlib.h>\n#include <string.h>\n']
        out += [f"\n{UNIONS[name]}\n" for name in sorted(self.funcs.unions)]
        out += self.src.c_defs
        out.append(
            "\n// Canonical ABI intrinsics\n\n"
            f'__attribute__((__weak__, __export_name__("{self.names.realloc}")))\n'
            "void *cabi_realloc(void *ptr, size_t old_size, size_t align, size_t new_size) {\n"
            "  (void) old_size;\n  if (new_size == 0) return (void*) align;\n"
            "  void *ret = realloc(ptr, new_size);\n  if (!ret) abort();\n  return ret;\n}\n"
        )
        out += self.src.c_fns
        size, align = self.funcs.ret_area
        if size:
            out.append(f"\n__attribute__((__aligned__({align})))\nstatic uint8_t RET_AREA[{size}];\n")
        helpers = self.src.c_helpers + (self._string_helpers_c() if self.types.needs_string else [])
        if helpers:
            out.append("\n// Helper Functions\n")
            out += helpers
        out.append("\n// Component Adapters\n")
        out += self.src.c_adapters
        return "".join(out)

    def _string_helpers_h(self) -> list[str]:
        w, ch = self.ns.world, self._c_char()
        lines = [
            "\n// Sets the string `ret` to reference the input string `s` without copying it\n",
            f"void {w}_string_set({w}_string_t *ret, const {ch} *s);\n",
            (
                "\n// Creates a copy of the input nul-terminated string `s` and\n"
                "// stores it into the component model string `ret`.\n"
            ),
            f"void {w}_string_dup({w}_string_t *ret, const {ch} *s);\n",
            (
                "\n// Creates a copy of the input string `s` with length `len` (in code units) and\n"
                "// stores it into the component model string `ret`.\n"
            ),
            f"void {w}_string_dup_n({w}_string_t *ret, const {ch} *s, size_t len);\n",
            "\n// Deallocates the string pointed to by `ret`, deallocating\n// the memory behind the string.\n",
            f"void {w}_string_free({w}_string_t *ret);\n",
        ]
        if self.options.string_encoding == "utf16":
            lines.insert(
                0,
                f"\n// Returns the length of the UTF-16 string `s` in code units\nsize_t {w}_string_len(const char16_t* s);\n",
            )
        return lines

    def _string_helpers_c(self) -> list[str]:
        w, ch, ty = self.ns.world, self._c_char(), self.types.char_type
        utf16 = self.options.string_encoding == "utf16"
        unit = 2 if utf16 else 1
        strlen = f"{w}_string_len(s)" if utf16 else "strlen(s)"
        out = []
        if utf16:
            out.append(
                f"\nsize_t {w}_string_len(const char16_t* s) {{\n  const char16_t* c = s;\n"
                "  for (; *c; ++c);\n  return c - s;\n}\n"
            )
        out.append(
            f"\nvoid {w}_string_set({w}_string_t *ret, const {ch} *s) {{\n"
            f"  ret->ptr = ({ty}*) s;\n  ret->len = {strlen};\n}}\n"
            f"\nvoid {w}_string_dup({w}_string_t *ret, const {ch} *s) {{\n"
            f"  ret->len = {strlen};\n  ret->ptr = ({ty}*) cabi_realloc(NULL, 0, {unit}, ret->len * {unit});\n"
            f"  memcpy(ret->ptr, s, ret->len * {unit});\n}}\n"
            f"\nvoid {w}_string_dup_n({w}_string_t *ret, const {ch} *s, size_t len) {{\n"
            f"  ret->len = len;\n  ret->ptr = ({ty}*) cabi_realloc(NULL, 0, {unit}, ret->len * {unit});\n"
            f"  memcpy(ret->ptr, s, ret->len * {unit});\n}}\n"
            f"\nvoid {w}_string_free({w}_string_t *ret) {{\n"
            "  if (ret->len > 0) {\n    free(ret->ptr);\n  }\n  ret->ptr = NULL;\n  ret->len = 0;\n}\n"
        )
        return out

    def _c_char(self) -> str:
        return "char16_t" if self.options.string_encoding == "utf16" else "char"


_PREAMBLE = "// Generated by `wasip2ld bindgen c`. DO NOT EDIT!\n"


def _live(roots: list[Type]) -> dict[TypeDef, None]:
    out: dict[TypeDef, None] = {}
    live_types(roots, out)
    return out


def _function_types(funcs: Sequence[Function]) -> list[Type]:
    return [
        t for f in funcs for t in [*(p.type for p in f.params), *([f.result] if f.result is not None else [])]
    ]


def _interface_types(iface: Interface) -> list[Type]:
    return [*iface.types, *_function_types(iface.functions)]


def _owner(item: WorldInterface) -> str:
    return item.interface.id or item.key.name
