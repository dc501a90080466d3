"""The legacy-mangled async and threading built-ins a module may import (wit-component's
`[waitable-set-new]`, `[task-return]f`, `[future-read-0]f`, `[thread-new-indirect-v0]`, …). Only the legacy
scheme has names for them; each signature is the one wit-component checks (`validate_func_sig`). All are
optional: a module imports what it uses.

Besides the canonical names listed by ``root_async_builtins``/``payload_intrinsics`` (what `sig` prints),
wit-component parses some names rather than looking them up (`validation.rs`, `Legacy`); ``match_builtin``
accepts those spellings too: the unit payload forms (`[future-new-unit]<anything>`), context slots with a
width (`[context-get-i64-1]`) or a leading zero/plus in the number, `[waitable-set-wait-i32]`, and the
cooperative-threading family.
"""

from __future__ import annotations

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

TYPE_CHECKING = False  # not `typing`: `wasip2ld check` starts without importing it
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
    ("$root", "[thread-index]", (), (_I,)),
    ("$root", "[thread-resume-later]", (_I,), ()),
    ("$root", "[thread-suspend]", (), (_I,)),
    ("$root", "[thread-suspend-then-resume]", (_I,), (_I,)),
    ("$root", "[thread-yield-then-resume]", (_I,), (_I,)),
    ("$root", "[thread-suspend-then-promote]", (_I,), (_I,)),
    ("$root", "[thread-yield-then-promote]", (_I,), (_I,)),
    ("$root", "[subtask-drop]", (_I,), ()),
    ("$root", "[subtask-cancel]", (_I,), (_I,)),
    ("$root", "[context-get-0]", (), (_I,)),
    ("$root", "[context-set-0]", (_I,), ()),
    # Accepted by wit-component (each checked with `component new` in tests/abi/test_sig_wasi.py), though
    # the dummy generator does not use them. (`[cancellable]…` names are not accepted by wasm-tools 1.262.)
    ("$root", "[async-lower][subtask-cancel]", (_I,), (_I,)),
    ("$root", "[context-get-1]", (), (_I,)),
    ("$root", "[context-set-1]", (_I,), ()),
    ("$root", "[error-context-new-utf8]", (_I, _I), (_I,)),
    ("$root", "[error-context-new-utf16]", (_I, _I), (_I,)),
    ("$root", "[error-context-new-latin1+utf16]", (_I, _I), (_I,)),
    ("$root", "[error-context-debug-message-utf8]", (_I, _I), ()),
    ("$root", "[error-context-debug-message-utf16]", (_I, _I), ()),
    ("$root", "[error-context-debug-message-latin1+utf16]", (_I, _I), ()),
    ("$root", "[error-context-drop]", (_I,), ()),
)

ROOT_BUILTIN_NAMES = frozenset(name for module, name, _, _ in _ROOT_BUILTINS if module == "$root")


def root_async_builtins(names: Mangling) -> list[ExpectedImport]:
    return [root_builtin(module, name, FuncType(params, results)) for module, name, params, results in _ROOT_BUILTINS]


def root_builtin(module: str, name: str, sig: FuncType) -> ExpectedImport:
    """A world-level built-in (``$root``/``[export]$root``), with what it needs of the module."""
    from .expected import ExpectedImport

    role = name.rsplit("[", 1)[-1].rstrip("]")
    waits = name.startswith(("[waitable-set-wait", "[waitable-set-poll"))
    needs_memory = (waits or name.startswith("[error-context-")) and "drop" not in name
    return ExpectedImport(module, name, sig, f"{module} {name}", role, needs_memory=needs_memory,
                          needs_realloc=name.startswith("[error-context-debug-message"))  # fmt: skip


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


def payload_signature(prefix: str) -> FuncType | None:
    """The core type of the built-in named by ``prefix`` (``[future-read``, ``[async-lower][stream-new``…)."""
    is_stream = "[stream-" in prefix
    for known, params, results in _FUTURE_INTRINSICS:
        if prefix == (known.replace("future", "stream") if is_stream else known):
            if is_stream and prefix.endswith(("-read", "-write")) and "cancel" not in prefix:
                params = params + (_I,)
            return FuncType(params, results)
    return None


def payload_builtin(module: str, owner: str, name: str, prefix: str, sig: FuncType, *,
                    function: Function | None = None, lists: bool = False) -> ExpectedImport:
    """A future/stream built-in; reads and writes need the memory, reads of payloads with lists a realloc."""
    from .expected import ExpectedImport

    reads_or_writes = prefix.endswith(("-read", "-write")) and "cancel" not in prefix
    return ExpectedImport(module, name, sig, f"{owner} {name}", prefix.rsplit("[", 1)[-1], function=function,
                          needs_memory=reads_or_writes,
                          needs_realloc=reads_or_writes and prefix.endswith("-read") and lists)  # fmt: skip


def payload_intrinsics(module: str, owner: str, func: Function) -> list[ExpectedImport]:
    """Every future/stream intrinsic for the futures and streams in ``func``'s signature, numbered by
    wit-parser's depth-first walk (``find_futures_and_streams``)."""
    out = []
    for index, typedef in enumerate(find_futures_and_streams(func)):
        is_stream = isinstance(typedef.kind, StreamType)
        payload = typedef.kind.type  # type: ignore[union-attr]
        for prefix, _, _ in _FUTURE_INTRINSICS:
            if is_stream:
                prefix = prefix.replace("future", "stream")
            sig = payload_signature(prefix)
            assert sig is not None
            name = payload_intrinsic_name(prefix, index, func)
            out.append(payload_builtin(module, owner, name, prefix, sig, function=func, lists=contains_list(payload)))
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
