"""``wasip2ld-exec``: the interpreter binfmt_misc starts for a wasm file run as ``./prog ARGS``.

The kernel calls it as ``wasip2ld-exec PATH ARGV0 ARGS…`` (flag ``P``). The program runs like a native one:
the whole environment, the working directory for relative paths and absolute paths as they are
(``host_view``), its own argv[0], and its exit code (a trap exits 134, like an abort).
"""
from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    from ..driver.entry import guarded

    args = sys.argv[1:] if argv is None else argv
    return guarded(lambda: _run(args), "wasip2ld-exec")


def _run(args: list[str]) -> int:
    import os
    from pathlib import Path

    from ..errors import UsageError
    from .execute import run_wasm
    from .spec import RunSpec, host_args, host_view

    if len(args) < 2:
        raise UsageError("wasip2ld-exec PATH ARGV0 [ARGS…] is started by the kernel (binfmt_misc) for wasm files",
                         hint="run a program with `wasip2ld run FILE`, or register this with `wasip2ld binfmt install`")
    path, argv0, rest = args[0], args[1], args[2:]
    spec = RunSpec(Path(path), host_args(tuple(rest)), argv0, host_view(), tuple(os.environ.items()))
    return run_wasm(spec)
