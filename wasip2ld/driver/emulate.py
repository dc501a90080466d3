"""``--emulate=LIST`` (or WASIP2LD_EMULATE): wasi-libc's POSIX emulations, each needing a ``-D`` when
compiling and a ``-l`` when linking, turned on together by one name. Fast-path module: no imports."""

from __future__ import annotations

# name -> (the macro wasi-libc's headers want, the library that implements it)
EMULATIONS = {
    "clocks": ("_WASI_EMULATED_PROCESS_CLOCKS", "wasi-emulated-process-clocks"),  # clock(), times(), getrusage()
    "signal": ("_WASI_EMULATED_SIGNAL", "wasi-emulated-signal"),  # signal(), raise()
    "getpid": ("_WASI_EMULATED_GETPID", "wasi-emulated-getpid"),  # getpid()
    "mman": ("_WASI_EMULATED_MMAN", "wasi-emulated-mman"),  # mmap(), munmap(), mprotect() on memory
}
ENV = "WASIP2LD_EMULATE"


def parse(text: str, origin: str = "--emulate") -> list[str]:
    """``clocks,signal`` / ``all`` -> the names, in EMULATIONS order; a UsageError for unknown names."""
    names = {name.strip() for name in text.split(",") if name.strip()}
    if "all" in names:
        return list(EMULATIONS)
    unknown = sorted(names - set(EMULATIONS))
    if unknown:
        from ..errors import UsageError

        raise UsageError(f"{origin}={text}: unknown emulation {', '.join(unknown)}",
                         hint=f"use a comma-separated list of {', '.join(EMULATIONS)}, or all")
    return [name for name in EMULATIONS if name in names]


def clang_args(names: list[str], links: bool) -> list[str]:
    """The ``-D`` flags, and the ``-l`` flags when clang links (elsewhere clang would warn they are unused)."""
    defines = [f"-D{EMULATIONS[name][0]}" for name in names]
    return defines + ([f"-l{EMULATIONS[name][1]}" for name in names] if links else [])
