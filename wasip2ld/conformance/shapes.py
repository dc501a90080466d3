"""Module shapes beyond the per-function names: the built-ins wit-component parses (unit futures and
streams, context slots, waitable sets, cooperative threads), imported memory, the task hook and the
function table; each accepted form next to its near misses. Every shape is a base module (one a world
accepts, with legacy names for its async items) plus or minus a few imports and exports.

The families follow crates/wit-component/src/validation.rs (`Legacy` name mangling, `ImportMap::classify`)
and the encoder's rules on top of it; which spellings wasm-tools 1.262 takes is pinned by the differential
tests (tests/check/test_check_parity.py)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, replace

from ..abi.async_builtins import payload_signature
from ..abi.mangling import Legacy
from ..wasm import FuncType
from ..wasm.synth import Item, ModuleSpec
from ..wit.model import World, WorldInterface

I, L = "i32", "i64"
_OPS = ("new", "read", "write", "cancel-read", "cancel-write", "drop-readable", "drop-writable", "forward")
_LOWERABLE = ("read", "write", "cancel-read", "cancel-write")
TABLE = Item("__indirect_function_table", "table")
MEMORY_IMPORT = Item("memory", "memory", None, "env")

# (name, type) of world-level built-ins, and the near misses next to them.
_ROOT = (
    ("[thread-index]", FuncType((), (I,))),
    ("[thread-resume-later]", FuncType((I,), ())),
    ("[thread-suspend]", FuncType((), (I,))),
    ("[thread-yield]", FuncType((), (I,))),
    ("[thread-suspend-then-resume]", FuncType((I,), (I,))),
    ("[thread-yield-then-resume]", FuncType((I,), (I,))),
    ("[thread-suspend-then-promote]", FuncType((I,), (I,))),
    ("[thread-yield-then-promote]", FuncType((I,), (I,))),
    ("[waitable-set-new]", FuncType((), (I,))),
    ("[waitable-set-wait]", FuncType((I, I), (I,))),
    ("[waitable-set-wait-i32]", FuncType((I, I), (I,))),
    ("[waitable-set-poll]", FuncType((I, I), (I,))),
    ("[waitable-set-poll-i32]", FuncType((I, I), (I,))),
    ("[waitable-set-drop]", FuncType((I,), ())),
    ("[waitable-join]", FuncType((I, I), ())),
    ("[backpressure-inc]", FuncType()),
    ("[backpressure-dec]", FuncType()),
    ("[subtask-drop]", FuncType((I,), ())),
    ("[subtask-cancel]", FuncType((I,), (I,))),
    ("[async-lower][subtask-cancel]", FuncType((I,), (I,))),
    ("[error-context-new-utf8]", FuncType((I, I), (I,))),
    ("[error-context-new-latin1+utf16]", FuncType((I, I), (I,))),
    ("[error-context-debug-message-utf16]", FuncType((I, I), ())),
    ("[error-context-drop]", FuncType((I,), ())),
    ("[context-get-0]", FuncType((), (I,))),
    ("[context-set-1]", FuncType((I,), ())),
    ("[context-get-i32-1]", FuncType((), (I,))),
    ("[context-get-i64-0]", FuncType((), (L,))),
    ("[context-set-i64-1]", FuncType((L,), ())),
    ("[context-get-00]", FuncType((), (I,))),
    ("[context-set-+1]", FuncType((I,), ())),
)
_ROOT_MISSES = (
    ("[cancellable][thread-yield]", FuncType((), (I,))),
    ("[cancellable][waitable-set-wait]", FuncType((I, I), (I,))),
    ("[async-lower][thread-yield]", FuncType((), (I,))),
    ("[thread-new-indirect]", FuncType((I, I), (I,))),
    ("[thread-switch-to]", FuncType((I,), (I,))),
    ("[waitable-set-wait-i64]", FuncType((I, L), (I,))),
    ("[waitable-set-wait-i16]", FuncType((I, I), (I,))),
    ("[context-get-2]", FuncType((), (I,))),
    ("[context-get-i16-0]", FuncType((), (I,))),
    ("[context-get-i64]", FuncType((), (L,))),
    ("[context-get-0]x", FuncType((), (I,))),
    ("[error-context-new-utf32]", FuncType((I, I), (I,))),
)
# Users of the context value type, for the pairwise "one type" rule.
_CONTEXT_USERS = {
    "context-0 i32": Item("[context-get-0]", "func", FuncType((), (I,)), "$root"),
    "context-0 i64": Item("[context-get-i64-0]", "func", FuncType((), (L,)), "$root"),
    "context-1 i32": Item("[context-get-1]", "func", FuncType((), (I,)), "$root"),
    "context-1 i64": Item("[context-set-i64-1]", "func", FuncType((L,), ()), "$root"),
    "stack pointer i32": Item("__wasm_get_stack_pointer", "func", FuncType((), (I,)), "env"),
    "stack pointer i64": Item("__wasm_set_stack_pointer", "func", FuncType((L,), ()), "env"),
    "TLS base i32": Item("__wasm_get_tls_base", "func", FuncType((), (I,)), "env"),
    "TLS base i64": Item("__wasm_set_tls_base", "func", FuncType((L,), ()), "env"),
    "thread.new-indirect": Item("[thread-new-indirect-v0]", "func", FuncType((I, I), (I,)), "$root"),
}


@dataclass(frozen=True)
class Shape:
    category: str
    label: str
    spec: ModuleSpec


def shapes(base: ModuleSpec, world: World) -> list[Shape]:
    """Every shape of every family, in a fixed order."""
    return [
        *unit_payload_shapes(base, world),
        *root_builtin_shapes(base),
        *context_shapes(base),
        *thread_shapes(base),
        *memory_shapes(base),
    ]


def legacy_modules(world: World) -> list[tuple[str, str]]:
    """(kind, module) of the places built-ins are imported from: world level, exported world level, the
    first imported and the first exported interface."""
    names = Legacy()
    out = [("root", "$root"), ("export-root", "[export]$root")]
    imported = [i.key for i in world.imports if isinstance(i, WorldInterface)]
    exported = [i.key for i in world.exports if isinstance(i, WorldInterface)]
    if imported:
        out.append(("interface", names.import_module(imported[0])))
    if exported:
        out.append(("export-interface", names.exported_intrinsic_module(exported[0])))
    return out


def _plus(base: ModuleSpec, *items: Item) -> ModuleSpec:
    return base.with_imports([*base.imports, *items])


def unit_payload_shapes(base: ModuleSpec, world: World) -> list[Shape]:
    out = []
    for (kind, module), what in itertools.product(legacy_modules(world), ("future", "stream")):
        for op in _OPS:
            for lower in ("", "[async-lower]"):
                prefix = f"{lower}[{what}-{op}"
                sig = payload_signature(prefix) or payload_signature(f"[{what}-{op}")
                assert sig is not None
                name = f"{prefix}-unit]"
                if lower and op not in _LOWERABLE:
                    out.append(Shape("unit-payload", f"{module}::{name} (not async-lowerable)",
                                     _plus(base, Item(name, "func", sig, module))))  # fmt: skip
                    continue
                for suffix in ("", "anything"):
                    out.append(Shape("unit-payload", f"{module}::{name}{suffix}",
                                     _plus(base, Item(name + suffix, "func", sig, module))))  # fmt: skip
                if not lower:
                    wrong = FuncType(sig.params + (I,), sig.results)
                    out.append(Shape("unit-payload", f"{module}::{name} mistyped",
                                     _plus(base, Item(name, "func", wrong, module))))  # fmt: skip
        out.append(Shape("unit-payload", f"{module}::[{what}-new-Unit]",
                         _plus(base, Item(f"[{what}-new-Unit]", "func", FuncType((), (L,)), module))))  # fmt: skip
    out.append(Shape("unit-payload", "bogus::[future-new-unit]",
                     _plus(base, Item("[future-new-unit]", "func", FuncType((), (L,)), "bogus"))))  # fmt: skip
    return out


def root_builtin_shapes(base: ModuleSpec) -> list[Shape]:
    out = []
    for name, sig in _ROOT:
        out.append(Shape("root-builtin", f"$root::{name}", _plus(base, Item(name, "func", sig, "$root"))))
        wrong = FuncType(sig.params, () if sig.results else (I,))
        out.append(
            Shape("root-builtin", f"$root::{name} mistyped", _plus(base, Item(name, "func", wrong, "$root")))
        )
        out.append(Shape("root-builtin", f"[export]$root::{name}",
                         _plus(base, Item(name, "func", sig, "[export]$root"))))  # fmt: skip
    for name, sig in _ROOT_MISSES:
        out.append(Shape("root-builtin", f"$root::{name}", _plus(base, Item(name, "func", sig, "$root"))))
    out.append(Shape("root-builtin", "[export]$root::[task-cancel]",
                     _plus(base, Item("[task-cancel]", "func", FuncType(), "[export]$root"))))  # fmt: skip
    out.append(Shape("root-builtin", "$root::[task-cancel]",
                     _plus(base, Item("[task-cancel]", "func", FuncType(), "$root"))))  # fmt: skip
    return out


def _with_table(spec: ModuleSpec) -> ModuleSpec:
    return replace(spec.with_exports([*spec.exports, TABLE]), tables=1)


def context_shapes(base: ModuleSpec) -> list[Shape]:
    out = []
    for (a, x), (b, y) in itertools.combinations(_CONTEXT_USERS.items(), 2):
        spec = _plus(base, x, y)
        if "thread" in a + b:
            spec = _with_table(spec)
        out.append(Shape("context", f"{a} + {b}", spec))
    return out


def thread_shapes(base: ModuleSpec) -> list[Shape]:
    new = Item("[thread-new-indirect-v0]", "func", FuncType((I, I), (I,)), "$root")
    others = [Item(n, "func", t, "$root") for n, t in _ROOT[:8]]
    cooperative = [new, *others, _CONTEXT_USERS["context-1 i32"], _CONTEXT_USERS["stack pointer i32"],
                   Item("__wasm_set_stack_pointer", "func", FuncType((I,), ()), "env"),
                   _CONTEXT_USERS["TLS base i32"], Item("__wasm_set_tls_base", "func", FuncType((I,), ()), "env")]  # fmt: skip
    hook = Item("__wasm_task_hook", "func", FuncType((I,), ()))
    tables = replace(base, tables=1)
    return [
        Shape("thread", "thread.new-indirect + __indirect_function_table", _with_table(_plus(base, new))),
        Shape("thread", "thread.new-indirect without a table", _plus(base, new)),
        Shape(
            "thread",
            "thread.new-indirect, table exported as `table`",
            _plus(tables, new).with_exports([*base.exports, Item("table", "table")]),
        ),
        Shape(
            "thread",
            "thread.new-indirect mistyped",
            _with_table(_plus(base, replace(new, type=FuncType((I,), (I,))))),
        ),
        Shape("thread", "table exported, no threads", _with_table(base)),
        Shape(
            "thread",
            "what wasm-ld --cooperative-threading and wasi-libc emit",
            _with_table(_plus(base, *cooperative)).with_exports([*base.exports, TABLE, hook]),
        ),
        Shape("thread", "task hook", base.with_exports([*base.exports, hook])),
        Shape(
            "thread",
            "task hook mistyped",
            base.with_exports([*base.exports, replace(hook, type=FuncType((), ()))]),
        ),
        Shape(
            "thread",
            "task hook as cm32p2__wasm_task_hook, any type",
            base.with_exports([*base.exports, Item("cm32p2__wasm_task_hook", "func", FuncType())]),
        ),
    ]


def memory_shapes(base: ModuleSpec) -> list[Shape]:
    exported = [e for e in base.exports if e.kind == "memory"]
    no_memory = replace(base.with_exports([e for e in base.exports if e.kind != "memory"]), memories=0)
    imported = no_memory.with_imports([MEMORY_IMPORT, *base.imports])
    no_realloc = [e for e in imported.exports if not e.name.endswith("realloc")]
    hook = Item("__wasm_task_hook", "func", FuncType((I,), ()))
    out = [
        Shape("memory", "env::memory imported", imported),
        Shape("memory", "env::memory imported, no realloc", imported.with_exports(no_realloc)),
        Shape(
            "memory",
            "env::memory imported and re-exported",
            imported.with_exports([*imported.exports, *exported]),
        ),
        Shape(
            "memory",
            "env::memory imported, a defined memory exported",
            base.with_imports([MEMORY_IMPORT, *base.imports]),
        ),
        Shape("memory", "env::memory imported, a defined memory not exported", replace(imported, memories=1)),
        Shape(
            "memory", "env::memory imported twice", imported.with_imports([MEMORY_IMPORT, *imported.imports])
        ),
        Shape("memory", "env::memory imported, task hook", imported.with_exports([*imported.exports, hook])),
        Shape(
            "memory",
            "env::memory imported, task hook, no realloc",
            imported.with_exports([*no_realloc, hook]),
        ),
        Shape("memory", "env::memory imported, no other imports", imported.with_imports([MEMORY_IMPORT])),
    ]
    for module, name in (
        ("env", "mem"),
        ("env", "__linear_memory"),
        ("$root", "memory"),
        ("cm32p2", "memory"),
    ):
        other = Item(name, "memory", None, module)
        out.append(
            Shape(
                "memory",
                f"memory imported as {module}::{name}",
                no_memory.with_imports([other, *base.imports]),
            )
        )
    out.append(Shape("memory", "no memory at all", no_memory))
    return out
