"""Hypothesis strategies that write random but valid WIT packages: named records, variants, enums, flags,
aliases and resources (constructors, methods, statics) in a shared `types` interface, interfaces that
`use` them, imported and exported interfaces (sometimes both at once) with their own resources, inline interfaces, world-level
functions and resources, and function signatures over every type constructor (lists, fixed-length lists,
maps, options, results, tuples, own/borrow handles, futures, streams), long enough to spill.

Names are a two-letter prefix and a counter (``ty3``, ``fn12``), so they never collide with WIT keywords
(``f64``, ``u8``, …).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

from hypothesis import strategies as st

PRIMITIVES = ["bool", "u8", "u16", "u32", "u64", "s8", "s16", "s32", "s64", "f32", "f64", "char", "string"]
MAP_KEYS = ["string", "u8", "u32", "s64", "char", "bool"]
VERSIONS = [None, "1.2.3", "0.2.1", "0.0.4", "2.0.0-rc.1", "0.1.0+build.7", "0.3.0-draft"]


@dataclass
class Scope:
    """What a type expression may refer to: value types by name, and resources (for own/borrow)."""

    named: list[str] = field(default_factory=list)
    resources: list[str] = field(default_factory=list)


def type_expr(scope: Scope, depth: int = 2) -> st.SearchStrategy[str]:
    return _type_expr(tuple(scope.named), tuple(scope.resources), depth)


@cache  # building strategies is costly; the same scopes recur all the time
def _type_expr(named: tuple[str, ...], resources: tuple[str, ...], depth: int) -> st.SearchStrategy[str]:
    leaves = [st.sampled_from(PRIMITIVES)]
    if named:
        leaves.append(st.sampled_from(named))
    if resources:
        leaves.append(st.sampled_from(resources))
    leaf = st.one_of(*leaves)
    if depth == 0:
        return leaf
    inner = _type_expr(named, resources, depth - 1)
    optional_inner = st.one_of(st.just("_"), inner)
    return st.one_of(
        leaf,
        leaf,
        inner.map(lambda t: f"list<{t}>"),
        st.tuples(inner, st.one_of(st.integers(1, 4), st.integers(5, 40))).map(
            lambda p: f"list<{p[0]}, {p[1]}>"
        ),
        inner.map(lambda t: f"option<{t}>"),
        st.tuples(optional_inner, optional_inner).map(_result),
        st.lists(inner, min_size=1, max_size=4).map(lambda ts: f"tuple<{', '.join(ts)}>"),
        st.tuples(st.sampled_from(MAP_KEYS), inner).map(lambda p: f"map<{p[0]}, {p[1]}>"),
        st.one_of(st.just(None), inner).map(lambda t: "future" if t is None else f"future<{t}>"),
        st.one_of(st.just(None), inner).map(lambda t: "stream" if t is None else f"stream<{t}>"),
    )


def _result(pair: tuple[str, str]) -> str:
    ok, err = pair
    if ok == "_" and err == "_":
        return "result"
    if err == "_":
        return f"result<{ok}>"
    return f"result<{ok}, {err}>"


class Namer:
    def __init__(self) -> None:
        self.count = 0

    def __call__(self, prefix: str) -> str:
        self.count += 1
        return f"{prefix}{self.count}"


@st.composite
def params(draw, scope: Scope, namer: Namer, *, borrow_ok: bool = True) -> str:
    count = draw(st.one_of(st.integers(0, 4), st.integers(5, 20)))
    out = []
    for _ in range(count):
        if borrow_ok and scope.resources and draw(st.integers(0, 9)) == 0:
            ty = f"borrow<{draw(st.sampled_from(scope.resources))}>"
        else:
            ty = draw(type_expr(scope))
        out.append(f"{namer('pa')}: {ty}")
    return ", ".join(out)


@st.composite
def func_sig(draw, scope: Scope, namer: Namer, *, asyncs: bool) -> str:
    result = draw(st.one_of(st.none(), type_expr(scope)))
    keyword = "async func" if asyncs and draw(st.integers(0, 4)) == 0 else "func"
    return f"{keyword}({draw(params(scope, namer))})" + (f" -> {result}" if result else "")


@st.composite
def resource_decl(draw, name: str, scope: Scope, namer: Namer, *, asyncs: bool) -> str:
    members = []
    inner = Scope(scope.named, [*scope.resources, name])
    if draw(st.booleans()):
        members.append(f"constructor({draw(params(inner, namer))});")
    for _ in range(draw(st.integers(0, 3))):
        members.append(f"{namer('me')}: {draw(func_sig(inner, namer, asyncs=asyncs))};")
    for _ in range(draw(st.integers(0, 2))):
        members.append(f"{namer('sm')}: static {draw(func_sig(inner, namer, asyncs=asyncs))};")
    if not members:
        return f"resource {name};"
    return f"resource {name} {{ " + " ".join(members) + " }"


@st.composite
def type_decls(draw, namer: Namer, *, asyncs: bool) -> tuple[list[str], Scope]:
    """Named types for the shared ``types`` interface; each may use the ones before it."""
    scope = Scope()
    decls = []
    for _ in range(draw(st.integers(1, 8))):
        kind = draw(st.sampled_from(["record", "variant", "enum", "flags", "alias", "resource"]))
        name = namer("ty")
        if kind == "record":
            fields = [f"{namer('fd')}: {draw(type_expr(scope, 1))}" for _ in range(draw(st.integers(1, 5)))]
            decls.append(f"record {name} {{ {', '.join(fields)} }}")
        elif kind == "variant":
            cases = []
            for _ in range(draw(st.integers(1, 5))):
                payload = draw(st.one_of(st.none(), type_expr(scope, 1)))
                cases.append(namer("ca") + (f"({payload})" if payload else ""))
            decls.append(f"variant {name} {{ {', '.join(cases)} }}")
        elif kind == "enum":
            decls.append(
                f"enum {name} {{ {', '.join(namer('ca') for _ in range(draw(st.integers(1, 6))))} }}"
            )
        elif kind == "flags":
            decls.append(
                f"flags {name} {{ {', '.join(namer('ca') for _ in range(draw(st.integers(1, 32))))} }}"
            )
        elif kind == "alias":
            decls.append(f"type {name} = {draw(type_expr(scope, 1))};")
        else:
            decls.append(draw(resource_decl(name, scope, namer, asyncs=asyncs)))
            scope.resources.append(name)
            continue
        scope.named.append(name)
    return decls, scope


@st.composite
def interface_body(draw, namer: Namer, shared: Scope, *, uses_types: bool, asyncs: bool) -> str:
    """Functions (and sometimes a resource of its own) over the shared types, imported with `use`."""
    lines = []
    scope = Scope()
    if uses_types and (shared.named or shared.resources):
        used = draw(
            st.lists(st.sampled_from(shared.named + shared.resources), min_size=1, max_size=4, unique=True)
        )
        lines.append(f"use types.{{{', '.join(used)}}};")
        scope.named = [n for n in used if n in shared.named]
        scope.resources = [n for n in used if n in shared.resources]
    if draw(st.integers(0, 2)) == 0:
        name = namer("rs")
        lines.append(draw(resource_decl(name, scope, namer, asyncs=asyncs)))
        scope = Scope(scope.named, [*scope.resources, name])
    for _ in range(draw(st.integers(1, 12))):
        lines.append(f"{namer('fn')}: {draw(func_sig(scope, namer, asyncs=asyncs))};")
    return " ".join(lines)


@st.composite
def wit_package(draw, *, asyncs: bool = False) -> str:
    """One package with a shared ``types`` interface, some interfaces and one world ``w``."""
    namer = Namer()
    version = draw(st.sampled_from(VERSIONS))
    decls, shared = draw(type_decls(namer, asyncs=asyncs))
    out = [
        f"package gen:pkg{'@' + version if version else ''};",
        "",
        f"interface types {{ {' '.join(decls)} }}",
    ]
    world = []
    if draw(st.booleans()):
        world.append("import types;")  # otherwise only implicitly, through `use`
    for _ in range(draw(st.integers(1, 8))):
        name = namer("if")
        out.append(
            f"interface {name} {{ "
            f"{draw(interface_body(namer, shared, uses_types=draw(st.booleans()), asyncs=asyncs))} }}"
        )
        direction = draw(st.sampled_from(["import", "export", "import", "export", "both"]))
        world += [f"import {name};", f"export {name};"] if direction == "both" else [f"{direction} {name};"]
    for _ in range(draw(st.integers(0, 2))):
        body = draw(interface_body(namer, shared, uses_types=False, asyncs=asyncs))
        world.append(f"{draw(st.sampled_from(['import', 'export']))} {namer('in')}: interface {{ {body} }}")
    world_scope = Scope()
    for _ in range(draw(st.integers(0, 2))):
        name = namer("wr")
        world.append(draw(resource_decl(name, Scope(), namer, asyncs=asyncs)))
        world_scope.resources.append(name)
    for _ in range(draw(st.integers(0, 6))):
        direction = draw(st.sampled_from(["import", "export"]))
        scope = world_scope if direction == "import" else Scope()
        world.append(f"{direction} {namer('top')}: {draw(func_sig(scope, namer, asyncs=asyncs))};")
    out.append("world w {\n  " + "\n  ".join(world) + "\n}")
    return "\n".join(out) + "\n"
