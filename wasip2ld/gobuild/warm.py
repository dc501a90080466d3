"""`wasip2ld go build` run again: `go build` and `wasm-tools component new`, from the ``buildrecord`` the
previous identical build left, without importing the CLI, discovery, the WIT model or the validator.

`go build` always runs (Go decides what is up to date). When it links the same module as the recorded
build, every step after it would give what it gave then, so the recorded input of `component new` is
used; `component new` itself (wit-component's encoding and validation of the component) runs every time,
into a temporary file beside the output that is renamed over it when it succeeds, as ``atomic_output``
does. Anything else (no record, a changed stamp, a different module, a failing `component new`, an output
that is not a regular file) returns None and the full build runs, which reports problems its own way and
writes the record again; a module linked here is handed to it (``linked_here``), Go does not run twice.
A failing `go build` fails here as it fails there.

Errors are raised as ``Wasip2ldError``s for the caller to render. Fast-path module: imports only os, sys,
fcntl and the other fast-path modules.
"""

from __future__ import annotations

import os

from ..besideoutput import into_output, plain_output, sweep_beside
from ..driver import spawn
from ..subtools import memory_limit, time_limit
from . import WASM_ENV, buildrecord

# What `go build` linked here when it was not the recorded module, by command line: the full build that
# follows in this process takes it instead of running `go build` again.
_linked: dict[tuple[str, ...], bytes] = {}


def build(build_args: list[str]) -> int | None:
    """Run `wasip2ld go build BUILD_ARGS` from its record; None when the full build must run."""
    key = buildrecord.key(build_args)
    record = buildrecord.lookup(key) if key is not None else None
    if record is None or not plain_output(record.output):
        return None
    spawn.stop_on_termination()
    sweep_beside(record.output)
    core = _go_build(record)
    if core is None:
        return None
    if core != record.core:
        _linked[tuple(record.go_argv)] = core
        return None
    return 0 if _component_new(record) else None


def linked_here(go_argv: list[str]) -> bytes | None:
    """The module this process's warm path linked with exactly ``go_argv``, if it did."""
    return _linked.get(tuple(go_argv))


def _go_build(record: buildrecord.Record) -> bytes | None:
    """The module `go build` links, read while holding the link directory's lock; None when the link
    directory is gone (a cleaned cache). A failing `go build` raises the full build's error."""
    import fcntl

    env = dict(os.environ)
    env.update(WASM_ENV)
    try:
        lock = open(os.path.join(record.link_dir, "lock"), "w")
    except OSError:
        return None
    with lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        code, _ = spawn.run(record.go_argv, env=env)
        if code != 0:
            from ..proc import tool_failure

            raise tool_failure("go", code, None)
        try:
            with open(os.path.join(record.link_dir, "go-core.wasm"), "rb") as f:
                return f.read()
        except OSError:
            return None


def _component_new(record: buildrecord.Record) -> bool:
    """`component new` of the recorded module into the output; its warnings are shown on success."""

    def build(tmp: str) -> bool:
        argv, limit = record.new_argv(tmp), time_limit("wasm-tools")
        try:
            code, stderr = spawn.run(argv, capture_stderr=True, timeout=limit, memory=memory_limit("wasm-tools"))
        except spawn.TimedOut:
            from ..subtools import timed_out

            assert limit is not None
            raise timed_out("wasm-tools", limit, argv) from None
        if code == 0 and stderr:
            os.write(2, stderr)  # as the full build shows them
        return code == 0

    return into_output(record.output, build)
