"""The legacy-mangled async built-ins a module may import (wit-component's `[waitable-set-new]`,
`[task-return]f`, `[future-read-0]f`, …). Only the legacy scheme has names for them; each signature is the
one wit-component checks (`validate_func_sig`). All are optional: a module imports what it uses.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..wit.model import (
    FixedListType,
    Function,
    FutureType,
    ListType,
    MapType,
    OptionType,
    Record,
    ResultType,
    StreamType,
    Tuple,
    Type,
    TypeDef,
    Variant,
    resolve_alias,
)
from .flatten import contains_list
from .functype import FuncType
from .mangling import Mangling, payload_intrinsic_name

if TYPE_CHECKING:
    from .expected import ExpectedImport

_I = "i32"

# (module, name, params, results). `[export]$root` holds the intrinsics of exported tasks.
_ROOT_BUILTINS: tuple[tuple[str, str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("[export]$root", "[task-cancel]", (), ()),
    ("$root", "[backpressure-inc]", (), ()),
    ("$root", "[backpressure-dec]", (), ()),
    ("$root", "[waitable-set-new]", (), (_I,)),
    ("$root", "[waitable-set-wait]", (_I, _I), (_I,)),
    ("$root", "[waitable-set-poll]", (_I, _I), (_I,)),
    ("$root", "[waitable-set-drop]", (_I,), ()),
    ("$root", "[waitable-join]", (_I, _I), ()),
    ("$root", "[thread-yield]", (), (_I,)),
    ("$root", "[subtask-drop]", (_I,), ()),
    ("$root", "[subtask-cancel]", (_I,), (_I,)),
    ("$root", "[context-get-0]", (), (_I,)),
    ("$root", "[context-set-0]", (_I,), ()),
    # Accepted by wit-component (each checked with `component new` in tests/abi/test_sig_wasi.py), though
    # the dummy generator does not use them. (`[cancellable]…` names are not accepted by wasm-tools 1.262.)
    ("$root", "[async-lower][subtask-cancel]", (_I,), (_I,)),
    ("$root", "[context-get-1]", (), (_I,)),
    ("$root", "[context-set-1]", (_I,), ()),
    ("$root", "[thread-index]", (), (_I,)),
    ("$root", "[error-context-new-utf8]", (_I, _I), (_I,)),
    ("$root", "[error-context-new-utf16]", (_I, _I), (_I,)),
    ("$root", "[error-context-new-latin1+utf16]", (_I, _I), (_I,)),
    ("$root", "[error-context-debug-message-utf8]", (_I, _I), ()),
    ("$root", "[error-context-debug-message-utf16]", (_I, _I), ()),
    ("$root", "[error-context-debug-message-latin1+utf16]", (_I, _I), ()),
    ("$root", "[error-context-drop]", (_I,), ()),
)

_MEMORY_BUILTINS = {"[waitable-set-wait]", "[waitable-set-poll]"}


def root_async_builtins(names: Mangling) -> list[ExpectedImport]:
    from .expected import ExpectedImport

    out = []
    for module, name, params, results in _ROOT_BUILTINS:
        role = name.rsplit("[", 1)[-1].rstrip("]")
        needs_memory = name in _MEMORY_BUILTINS or name.startswith("[error-context-")
        out.append(
            ExpectedImport(
                module,
                name,
                FuncType(params, results),
                f"{module} {name}",
                role,
                needs_memory=needs_memory and "drop" not in name,
                needs_realloc=name.startswith("[error-context-debug-message"),
            )
        )
    return out


# (name prefix, params, results) for the N-th future of a function; streams add a length parameter to
# read and write.
_FUTURE_INTRINSICS = (
    ("[future-new", (), ("i64",)),
    ("[future-read", (_I, _I), (_I,)),
    ("[future-write", (_I, _I), (_I,)),
    ("[future-cancel-read", (_I,), (_I,)),
    ("[future-cancel-write", (_I,), (_I,)),
    ("[future-drop-readable", (_I,), ()),
    ("[future-drop-writable", (_I,), ()),
    ("[future-forward", (_I, _I), ()),
    ("[async-lower][future-read", (_I, _I), (_I,)),
    ("[async-lower][future-write", (_I, _I), (_I,)),
    ("[async-lower][future-cancel-read", (_I,), (_I,)),
    ("[async-lower][future-cancel-write", (_I,), (_I,)),
)


def payload_intrinsics(module: str, owner: str, func: Function) -> list[ExpectedImport]:
    """Every future/stream intrinsic for the futures and streams in ``func``'s signature, numbered by
    wit-parser's depth-first walk (``find_futures_and_streams``)."""
    from .expected import ExpectedImport

    out = []
    for index, typedef in enumerate(find_futures_and_streams(func)):
        is_stream = isinstance(typedef.kind, StreamType)
        payload = typedef.kind.type  # type: ignore[union-attr]
        for prefix, params, results in _FUTURE_INTRINSICS:
            if is_stream:
                prefix = prefix.replace("future", "stream")
                if prefix.endswith(("-read", "-write")) and "cancel" not in prefix:
                    params = params + (_I,)
            name = payload_intrinsic_name(prefix, index, func)
            reads_or_writes = prefix.endswith(("-read", "-write")) and "cancel" not in prefix
            out.append(
                ExpectedImport(
                    module,
                    name,
                    FuncType(params, results),
                    f"{owner} {name}",
                    prefix.rsplit("[", 1)[-1],
                    function=func,
                    needs_memory=reads_or_writes,
                    needs_realloc=reads_or_writes and prefix.endswith("-read") and contains_list(payload),
                )
            )
    return out


def find_futures_and_streams(func: Function) -> list[TypeDef]:
    found: list[TypeDef] = []
    for p in func.params:
        _walk(p.type, found)
    if func.result is not None:
        _walk(func.result, found)
    return found


def _walk(t: Type | None, found: list[TypeDef]) -> None:
    if t is None:
        return
    t = resolve_alias(t)
    if not isinstance(t, TypeDef):
        return
    match t.kind:
        case Record(fields=fields):
            for f in fields:
                _walk(f.type, found)
        case Variant(cases=cases):
            for c in cases:
                _walk(c.type, found)
        case Tuple(types=types):
            for x in types:
                _walk(x, found)
        case OptionType(type=x) | ListType(element=x) | FixedListType(element=x):
            _walk(x, found)
        case MapType(key=k, value=v):
            _walk(k, found)
            _walk(v, found)
        case ResultType(ok=ok, err=err):
            _walk(ok, found)
            _walk(err, found)
        case FutureType(type=x) | StreamType(type=x):
            _walk(x, found)
            found.append(t)
