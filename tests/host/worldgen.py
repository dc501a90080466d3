"""Random WIT worlds for the round-trip tests, and the C that implements them.

A world imports `host` and exports `api`; both interfaces declare the same functions over the same named
types (from `types`). Every function returns what it was given (a tuple of its parameters, or the one
parameter), and the C forwarder implements each `api` export by calling the `host` import of the same
name with the same core arguments: the export's lifted parameters are the import's lowered ones, and the
import's return area is the export's. A value therefore crosses the boundary four times (host → module
export, module → host import, back, and out) in both name schemes.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from wasip2ld.abi.flatten import flatten_functype
from wasip2ld.abi.mangling import Legacy, Mangling, Standard32
from wasip2ld.wit.model import Function, Handle, TypeDef, World, WorldInterface, WorldKey, resolve_alias

PRIMITIVES = ["bool", "u8", "u16", "u32", "u64", "s8", "s16", "s32", "s64", "f32", "f64", "char", "string"]
VERSIONS = ["1.2.3", "0.2.1", "0.0.4", "2.0.0-rc.1"]
C_TYPES = {"i32": "int32_t", "i64": "int64_t", "f32": "float", "f64": "double"}


@dataclass
class WitGen:
    """``extended`` adds what wasmtime's component API cannot call (fixed-length lists, maps) and
    resources (own and borrow handles of a host resource)."""

    rng: random.Random
    extended: bool
    named: list[str] = field(default_factory=list)
    decls: list[str] = field(default_factory=list)
    count: int = 0

    def name(self, prefix: str) -> str:
        self.count += 1
        return f"{prefix}{self.count}"

    def type_expr(self, depth: int) -> str:
        r = self.rng
        leaves = PRIMITIVES + self.named + (["res"] if self.extended else [])
        if depth == 0 or r.random() < 0.35:
            return r.choice(leaves)
        kinds = ["list", "option", "result", "tuple"] + (["fixed", "map"] if self.extended else [])
        kind = r.choice(kinds)
        inner = self.type_expr(depth - 1)
        if kind == "list":
            return f"list<{inner}>"
        if kind == "option":
            return f"option<{inner}>"
        if kind == "fixed":
            return f"list<{inner}, {r.choice([1, 2, 3, 5])}>"
        if kind == "map":
            return f"map<{r.choice(['string', 'u32', 's64', 'char'])}, {inner}>"
        if kind == "tuple":
            return f"tuple<{', '.join(self.type_expr(depth - 1) for _ in range(r.randint(1, 3)))}>"
        ok, err = r.choice([(inner, self.type_expr(depth - 1)), (inner, None), (None, inner), (None, None)])
        if ok is None and err is None:
            return "result"
        return f"result<{ok or '_'}{', ' + err if err else ''}>"

    def declare(self) -> None:
        r = self.rng
        for _ in range(r.randint(2, 5)):
            kind = r.choice(["record", "variant", "enum", "flags"])
            name = self.name({"record": "rec", "variant": "var", "enum": "en", "flags": "fl"}[kind])
            if kind == "record":
                fields = ", ".join(f"f{i}: {self.type_expr(1)}" for i in range(r.randint(1, 4)))
                self.decls.append(f"record {name} {{ {fields} }}")
            elif kind == "variant":
                cases = ", ".join(f"c{i}" + (f"({self.type_expr(1)})" if r.random() < 0.7 else "")
                                  for i in range(r.randint(1, 4)))
                self.decls.append(f"variant {name} {{ {cases} }}")
            elif kind == "enum":
                self.decls.append(f"enum {name} {{ {', '.join(f'e{i}' for i in range(r.randint(1, 5)))} }}")
            else:
                count = r.choice([1, 3, 8, 9, 16, 17, 32])
                self.decls.append(f"flags {name} {{ {', '.join(f'b{i}' for i in range(count))} }}")
            self.named.append(name)

    def function(self, index: int) -> str:
        r = self.rng
        many = r.random() < 0.15  # enough values to spill the parameters to memory
        params = [self.type_expr(2) for _ in range(r.randint(17, 20) if many else r.randint(1, 4))]
        if self.extended and not many and r.random() < 0.3:
            params.append("borrow<res>")
        kept = [p for p in params if not p.startswith("borrow<")]
        result = kept[0] if len(kept) == 1 and r.random() < 0.5 else f"tuple<{', '.join(kept)}>"
        args = ", ".join(f"p{i}: {t}" for i, t in enumerate(params))
        return f"fn{index}: func({args}) -> {result};"

    def wit(self, version: str) -> str:
        self.declare()
        functions = "\n  ".join(self.function(i) for i in range(self.rng.randint(2, 5)))
        resource = "\n  resource res;" if self.extended else ""
        uses = ", ".join(self.named + (["res"] if self.extended else []))
        return (f"package rt:gen@{version};\n\ninterface types {{{resource}\n  "
                + "\n  ".join(self.decls) + "\n}\n\n"
                + "".join(f"interface {i} {{\n  use types.{{{uses}}};\n  {functions}\n}}\n\n" for i in ("host", "api"))
                + "world w {\n  import host;\n  export api;\n}\n")


def random_wit(seed: int, extended: bool) -> str:
    rng = random.Random(seed)
    return WitGen(rng, extended).wit(rng.choice(VERSIONS))


def interface(world: World, name: str) -> tuple[WorldKey, list[Function]]:
    for item in (*world.imports, *world.exports):
        if isinstance(item, WorldInterface) and item.interface.name == name:
            return item.key, list(item.interface.functions)
    raise AssertionError(f"no interface {name} in {world.id}")


def forwarder_c(world: World, scheme: str) -> str:
    """C implementing every `api` export by calling the `host` import with the same core values."""
    names: Mangling = Legacy() if scheme == "legacy" else Standard32()
    host_key, host_funcs = interface(world, "host")
    api_key, api_funcs = interface(world, "api")
    types_key, _ = interface(world, "types")
    out = ["#include <stdint.h>", "#include <stdlib.h>", "",
           "static _Alignas(16) unsigned char ret_area[1 << 16];", "",
           f'__attribute__((export_name("{names.realloc}")))',
           "int32_t cabi_realloc_impl(int32_t old, int32_t old_size, int32_t align, int32_t size) {",
           "    (void)old_size;", "    if (size == 0) return align;",
           "    void *p = realloc((void *)(uintptr_t)old, (size_t)size);",
           "    if (p == NULL) __builtin_trap();", "    return (int32_t)(uintptr_t)p;", "}", "",
           f'__attribute__((import_module("{names.import_module(types_key)}"), '
           f'import_name("{names.resource_intrinsic("res", "drop")}")))',
           "void res_drop(int32_t handle);", ""]
    for i, (imp, exp) in enumerate(zip(host_funcs, api_funcs)):
        lower, lift = flatten_functype(imp, "lower"), flatten_functype(exp, "lift")
        params = ", ".join(f"{C_TYPES[t]} p{j}" for j, t in enumerate(lift.params)) or "void"
        out.append(f'__attribute__((import_module("{names.import_module(host_key)}"), '
                   f'import_name("{imp.name}")))')
        out.append(f"{_ret(lower.results)} import_fn{i}({', '.join(C_TYPES[t] for t in lower.params) or 'void'});")
        out.append(f'__attribute__((export_name("{names.export_name(api_key, exp)}")))')
        out.append(f"{_ret(lift.results)} export_fn{i}({params}) {{")
        args = [f"p{j}" for j in range(len(lift.params))] + (["(int32_t)(uintptr_t)ret_area"] if lower.retptr else [])
        call = f"import_fn{i}({', '.join(args)})"
        out.append(f"    {_ret(lower.results)} r = {call};" if lower.results else f"    {call};")
        for where in _borrows(exp, lift.indirect_params):
            out.append(f"    res_drop({where});")
        out.append("    return (int32_t)(uintptr_t)ret_area;" if lift.retptr else
                   "    return r;" if lift.results else "    return;")
        out.append("}")
        out.append("")
    return "\n".join(out)


def _ret(results: tuple[str, ...]) -> str:
    return C_TYPES[results[0]] if results else "void"


def _borrows(func: Function, spilled: bool) -> list[str]:
    """C expressions for the top-level `borrow` parameters: a flat parameter, or a load from the spilled
    parameter tuple (its layout from wasip2ld.host's codecs)."""
    from wasip2ld.abi.flatten import flatten_type
    from wasip2ld.abi.layout import field_offsets

    out, pos = [], 0
    for p, offset in zip(func.params, field_offsets([p.type for p in func.params])):
        t = resolve_alias(p.type)
        if isinstance(t, TypeDef) and isinstance(t.kind, Handle) and t.kind.kind == "borrow":
            out.append(f"*(int32_t *)(uintptr_t)(p0 + {offset})" if spilled else f"p{pos}")
        pos += len(flatten_type(p.type))
    return out
