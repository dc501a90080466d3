"""Console entry points: ``wasip2-clang``, ``wasip2-clang++``, the bare ``wasip2ld foo.c`` form, and
``wasip2ld-wasm-component-ld`` (the linker clang runs through ``-fuse-ld=``).

This is the top of the compile fast path: it imports only ``os`` and ``sys``; everything else (even
``wasip2ld.errors``) is imported by the code that needs it, when it needs it.
"""

from __future__ import annotations

import os
import sys


def clang_main() -> int:
    """``wasip2-clang`` (and any name it is linked as: ``clang``, ``wasm32-wasip1-clang``, ``cc``, …)."""
    return cc_main(sys.argv[0], sys.argv[1:])


def clangxx_main() -> int:
    return cc_main(sys.argv[0], sys.argv[1:], cxx=True)


def bare_main(argv: list[str]) -> int:
    """``wasip2ld [--wasip2] [--module] foo.c -o foo.wasm``: the compiler driver without a subcommand."""
    return cc_main("wasip2ld", argv)


def cc_main(
    prog: str, args: list[str], *, cxx: bool | None = None, overrides: dict[str, object] | None = None
) -> int:
    def run() -> int:
        from .cc import run as run_cc

        return run_cc(prog, args, cxx=cxx, overrides=overrides)

    return guarded(run, os.path.basename(prog) or "wasip2-clang")


def ld_main(argv: list[str] | None = None, *, overrides: dict[str, object] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv

    def run() -> int:
        from .spawn import stop_on_termination

        stop_on_termination()
        if os.environ.get("WASIP2LD_CC_ACTIVE"):
            _die_with_clang()
        from .fastld import link

        code = link(args, overrides)
        if code is not None:
            return code
        from .ld import main

        _exit_cleanly_on_termination()
        return main(args, overrides=overrides)

    return guarded(run, "wasip2ld ld")


def _exit_cleanly_on_termination() -> None:
    """SIGTERM/SIGHUP become SystemExit(128 + signal), so scratch files and unfinished outputs are removed
    even between sub-commands (while one runs, wasip2ld.proc stops it first)."""
    import signal

    def stop(signum: int, frame: object) -> None:
        for sig in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT):  # a second signal must not cut cleanup short
            signal.signal(sig, signal.SIG_IGN)
        raise SystemExit(128 + signum)

    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, stop)


def _die_with_clang() -> None:
    """Run by wasip2-clang's clang: when that clang is killed (SIGTERM, SIGKILL), this linker gets SIGTERM,
    stops its own children and removes its scratch files, instead of finishing a link nobody waits for."""
    import ctypes
    import signal

    parent = os.getppid()
    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # clang died before the request took effect
        os.kill(os.getpid(), signal.SIGTERM)


def guarded(run, prog: str) -> int:
    """Errors become ``prog: error: …`` lines and exit codes; tracebacks only with WASIP2LD_BACKTRACE=1."""
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 20000))  # errors.RECURSION_LIMIT, not imported here
    try:
        return run()
    except KeyboardInterrupt:
        print(f"{prog}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1
    except Exception as exc:
        from ..errors import EXIT_USAGE, Wasip2ldError, from_resource_error

        if os.environ.get("WASIP2LD_BACKTRACE"):
            raise
        if not isinstance(exc, Wasip2ldError):
            exc = from_resource_error(exc) or exc
        if isinstance(exc, Wasip2ldError):
            render(exc, prog)
            return exc.exit_code
        import traceback

        print(f"{prog}: internal error (this is a bug in wasip2ld; please report it):", file=sys.stderr)
        print("".join(traceback.format_exc().splitlines(keepends=True)[-3:]).rstrip(), file=sys.stderr)
        print(f"{prog}: rerun with WASIP2LD_BACKTRACE=1 for the full trace", file=sys.stderr)
        return EXIT_USAGE


def render(err, prog: str) -> None:  # err: Wasip2ldError
    from ..oneline import one_line

    print(f"{prog}: error: {one_line(err.message)}", file=sys.stderr)
    for line in _diagnostic_lines(err):
        print(line, file=sys.stderr)
    if err.hint:
        print(f"{prog}: hint: {one_line(err.hint)}", file=sys.stderr)
    sys.stderr.flush()


def _diagnostic_lines(err) -> list[str]:  # err: Wasip2ldError
    """The validator's diagnostics, already rendered as compiler-style lines."""
    return [d for d in getattr(err, "diagnostics", None) or [] if isinstance(d, str)]
