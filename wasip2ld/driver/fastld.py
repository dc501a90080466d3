"""``wasip2ld-wasm-component-ld`` for the links clang itself starts (``clang --target=wasm32-wasip2
-fuse-ld=…``, the way clang runs wasm-component-ld) without importing the full linker: wasm-ld, then
``fastlink``'s component or module-target step, with the commands ``ld`` runs (same arguments, hence
byte-identical outputs; tests/driver/test_fastld.py compares both ways).

Only the options clang passes and the world flags ``fastlink`` handles are understood here: ``-o``,
``--final-output``, ``--wasm-ld-path``, ``--module``/``--component``, ``--wit``, ``--world``,
``--string-encoding``, ``--wasi-adapter``. Any other option of the linker's own, a response file, a library
output, a GNU-only option, ``-v``, ``[build]`` defaults or delegation leave the link to ``ld``, as does a
failing wasm-ld (whose diagnostics ``ld`` then shows). Fast-path module: imports only os and its siblings.
"""

from __future__ import annotations

import os

from ..besideoutput import plain_output
from . import fastlink, ldflags, rspfile, spawn
from .ccargs import STRING_ENCODINGS
from .fastcache import resolve

_HANDLED = frozenset({"output", "final-output", "wasm-ld-path", "module", "component", "wit", "world",
                      "string-encoding", "wasi-adapter"})  # fmt: skip


class _Parsed:
    __slots__ = ("lld", "own")

    def __init__(self) -> None:
        self.lld: list[str] = []
        self.own: dict[str, str | bool] = {}


def link(argv: list[str], overrides: dict[str, object] | None) -> int | None:
    """Link and return the exit code, or None when ``ld`` must do it."""
    if os.environ.get("WASIP2LD_VERBOSE") or os.environ.get("WASIP2LD_DELEGATE"):
        return None
    parsed = _parse(argv)
    if parsed is None:
        return None
    own = parsed.own
    output = own.get("final-output") or own.get("output")
    if not isinstance(output, str) or (own.get("world") and not own.get("wit")):
        return None
    if not plain_output(output) or not fastlink.plain_input(own.get("wit")):  # `-o -`: standard output
        return None
    if any(os.path.basename(a) in ldflags.COMPILER_RT_NAMES and not os.path.exists(a) for a in parsed.lld):
        return None  # ``ld`` substitutes the compiler-rt wasip2ld found
    tc = resolve(overrides)
    wasm_ld = own.get("wasm-ld-path") or tc.wasm_ld
    if not isinstance(wasm_ld, str) or not tc.wasm_tools or tc.build_defaults:
        return None
    lld = parsed.lld if ldflags.sets_stack_size(parsed.lld) else [
        *parsed.lld, "-z", f"stack-size={ldflags.DEFAULT_STACK_SIZE}"
    ]  # fmt: skip
    job = fastlink.LinkJob(
        output=output,
        mode="module" if own.get("module") else "component",
        wit=fastlink.text_or_none(own.get("wit")),
        world=fastlink.text_or_none(own.get("world")),
        encoding=fastlink.text_or_none(own.get("string-encoding")),
        adapter=fastlink.text_or_none(own.get("wasi-adapter")),
    )
    spawn.stop_on_termination()
    fastlink.sweep_leftovers(output)
    scratch = fastlink.scratch_dir()
    try:
        core = os.path.join(scratch, os.path.basename(output))
        command = [wasm_ld, *lld, "-o", core]
        if rspfile.command_line_length(command) > rspfile.LONG_COMMAND_LINE:
            return None  # ``ld`` passes it in a response file
        code, stderr = spawn.run(command, capture_stderr=True)
        if code != 0:
            return None  # ``ld`` links again and reports wasm-ld's failure its own way
        if stderr:
            os.write(2, stderr)
        return fastlink.complete(job, tc, core, scratch, overrides)
    finally:
        fastlink.remove_tree(scratch)


def _parse(argv: list[str]) -> _Parsed | None:
    """wasm-ld's arguments and the handled options of the linker's own; None for anything else of its own."""
    parsed = _Parsed()
    i = 0
    while i < len(argv):
        arg = argv[i]
        i += 1
        if arg == "-o":
            if i >= len(argv):
                return None
            parsed.own["output"] = argv[i]
            i += 1
            continue
        if arg == "--":
            return None
        if ldflags.is_linker_option(arg):
            name, eq, value = arg[2:].partition("=")
            if not arg.startswith("--") or name not in _HANDLED:
                return None  # -oX, -v, -V, -h, @file, -flavor, -shared, -r, GNU-only options, …
            if name in ldflags.VALUE_FLAGS:
                if not eq:
                    if i >= len(argv):
                        return None
                    value = argv[i]
                    i += 1
                parsed.own[name] = value
            elif eq:
                return None
            else:
                parsed.own[name] = True
            continue
        if arg.lstrip("-") in ldflags.LLD_JOINED_ONLY and arg.startswith("-"):
            return None  # ``ld`` joins `--flag value`
        parsed.lld.append(arg)
        if arg in ldflags.LLD_SEPARATE and i < len(argv):
            parsed.lld.append(argv[i])
            i += 1
    if parsed.own.get("module") and parsed.own.get("component"):
        return None
    if parsed.own.get("string-encoding") not in (None, *STRING_ENCODINGS):
        return None  # ``ld`` reports it
    return parsed
