"""The legacy built-in names wit-component *parses* rather than looks up (crates/wit-component's
`validation.rs`, the `Legacy` name mangling), so that a checker accepts every spelling it accepts:

* unit payloads: ``[future-<op>-unit]<anything>`` and ``[stream-<op>-unit]<anything>`` (a `future`/`stream`
  with no payload needs no WIT function to name it), with ``[async-lower]`` on read, write and the cancels;
  from any world-level or interface module, imported or exported;
* numbered payloads spelled with a leading zero or plus (``[future-new-00]f`` is ``[future-new-0]f``:
  the number is parsed as an unsigned 32-bit integer);
* context slots with a width and any slot spelling: ``[context-get-i64-1]``, ``[context-set-i32-0]``,
  ``[context-get-+0]``; only slots 0 and 1 exist;
* ``[waitable-set-wait-i32]``/``[waitable-set-poll-i32]`` (the ``-i64`` forms are for a 64-bit memory);
* ``[thread-new-indirect-v0]`` (needs the exported ``__indirect_function_table``) and ``[task-cancel]`` in
  the intrinsics module of any exported item.

``match_builtin`` answers an ``ExpectedImport``, a ``BuiltinProblem`` (a name wit-component parses but the
component model then rejects), or None (not a built-in spelling).
"""

from __future__ import annotations

from ..frozen import frozen
from .functype import FuncType

TYPE_CHECKING = False  # not `typing`: `wasip2ld check` starts without importing it
if TYPE_CHECKING:
    from typing import Literal

    from .expected import ExpectedImport

    ModuleKind = Literal["root", "export-root", "interface", "export-interface"]

# Patterns as text: `re` compiles one when first used (most checks use none) and caches it.
_U32 = r"\+?[0-9]+"
_UNIT = (
    r"(?s)(?P<lower>\[async-lower\])?(?P<prefix>\[(?:future|stream)-(?P<op>new|read|write|cancel-read|"
    r"cancel-write|drop-readable|drop-writable|forward))-unit\](?P<rest>.*)"
)
_NUMBERED = r"(?s)(?P<prefix>(?:\[async-lower\])?\[(?:future|stream)-[a-z-]+?)-(?P<index>[+0-9]+)\](?P<rest>.*)"
_CONTEXT = r"\[context-(?P<op>get|set)-(?P<suffix>[^\]]*)\]"
_WAIT = r"\[waitable-set-(?P<op>wait|poll)(?:-(?P<width>i32|i64))?\]"
_ASYNC_LOWERABLE = ("read", "write", "cancel-read", "cancel-write")
THREAD_NEW_INDIRECT = "[thread-new-indirect-v0]"


@frozen
class BuiltinProblem:
    """A built-in spelling wit-component recognizes but cannot satisfy for this module."""

    code: str
    reason: str
    hint: str


def _async():  # type: ignore[no-untyped-def]
    """``async_builtins`` (its tables take half a millisecond to build), imported when a name is looked up
    here, which a check does only for a name the world's tables lack."""
    from . import async_builtins

    return async_builtins


def _fullmatch(pattern: str, text: str):  # type: ignore[no-untyped-def]
    import re  # on first use: most modules use no built-in name

    return re.fullmatch(pattern, text)


def parse_u32(text: str) -> int | None:
    """Rust's ``u32::from_str``: digits with an optional leading ``+``."""
    if not _fullmatch(_U32, text):
        return None
    value = int(text)
    return value if value < 2**32 else None


def context_slot(name: str) -> tuple[str, str, int] | None:
    """``("get"|"set", "i32"|"i64", slot)`` for a ``[context-get-…]``/``[context-set-…]`` name."""
    if not name.startswith("[context-"):  # every other name, without importing `re`
        return None
    m = _fullmatch(_CONTEXT, name)
    if m is None:
        return None
    width, sep, slot_text = m["suffix"].partition("-")
    if not sep or width not in ("i32", "i64"):
        width, slot_text = "i32", m["suffix"]
    slot = parse_u32(slot_text)
    return None if slot is None else (m["op"], width, slot)


def canonical_payload_name(name: str) -> str | None:
    """``[future-new-00]f`` -> ``[future-new-0]f``: the canonical spelling of a numbered payload built-in
    whose number is spelled otherwise (None if ``name`` is not one, or is already canonical)."""
    m = _fullmatch(_NUMBERED, name)
    if m is None or _async().payload_signature(m["prefix"]) is None:
        return None
    index = parse_u32(m["index"])
    if index is None or str(index) == m["index"]:
        return None
    return f"{m['prefix']}-{index}]{m['rest']}"


def match_builtin(
    kind: ModuleKind, module: str, owner: str, name: str
) -> ExpectedImport | BuiltinProblem | None:
    """The built-in ``module::name`` is, for a module of ``kind`` (``owner`` names its WIT item)."""
    unit = _fullmatch(_UNIT, name)
    if unit is not None:
        if unit["lower"] and unit["op"] not in _ASYNC_LOWERABLE:
            return None
        prefix = (unit["lower"] or "") + unit["prefix"]
        sig = _async().payload_signature(prefix)
        return None if sig is None else _async().payload_builtin(module, owner, name, prefix, sig)
    if kind in ("export-root", "export-interface") and name == "[task-cancel]":
        return _async().root_builtin(module, name, FuncType())
    if kind == "root":
        return _root_builtin(module, name)
    return None


def builtin_hint(kind: ModuleKind, name: str) -> str | None:
    """What to do about a name that looks like a built-in but is not one where it is imported."""
    if name.startswith("[cancellable]"):
        return f"wasm-tools 1.262 accepts no `[cancellable]` names: import `{name.removeprefix('[cancellable]')}`"
    unit = _fullmatch(_UNIT, name)
    if unit is not None and unit["lower"] and unit["op"] not in _ASYNC_LOWERABLE:
        return "`[async-lower]` applies only to read, write, cancel-read and cancel-write"
    if name == "[task-cancel]" and kind in ("root", "interface"):
        return (
            "`[task-cancel]` is imported from the intrinsics module of an export: `[export]$root` or "
            "`[export]<interface>`"
        )
    if kind != "root" and (name in _async().ROOT_BUILTIN_NAMES or _root_builtin("$root", name) is not None):
        return f"`{name}` is a world-level built-in: import it from `$root`"
    return None


def _root_builtin(module: str, name: str) -> ExpectedImport | BuiltinProblem | None:
    if name == THREAD_NEW_INDIRECT:
        return _async().root_builtin(module, name, FuncType(("i32", "i32"), ("i32",)))
    context = context_slot(name)
    if context is not None:
        op, width, slot = context
        if slot > 1:
            return BuiltinProblem("invalid-builtin", f"context slot {slot} does not exist",
                                  "the component model has two context slots, 0 and 1")  # fmt: skip
        sig = FuncType((), (width,)) if op == "get" else FuncType((width,), ())
        return _async().root_builtin(module, name, sig)
    wait = _fullmatch(_WAIT, name)
    if wait is not None and wait["width"] is not None:
        if wait["width"] == "i64":
            return BuiltinProblem("invalid-builtin", f"`{name}` is the form for a 64-bit memory",
                                  f"a module with a 32-bit memory imports `[waitable-set-{wait['op']}]`")  # fmt: skip
        return _async().root_builtin(module, name, FuncType(("i32", "i32"), ("i32",)))
    return None
