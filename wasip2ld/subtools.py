"""Rules every sub-tool run follows, shared by ``wasip2ld.proc`` (subprocess) and ``wasip2ld.driver.spawn``
(the compiler driver's lean fast path): how a path is passed, and how long a tool may run.

Fast-path module: imports only ``os``.
"""

from __future__ import annotations

import os

TYPE_CHECKING = False  # not `typing`: a fast-path module
if TYPE_CHECKING:
    from typing import Callable, TypeVar

    N = TypeVar("N", int, float)

TIMEOUT_ENV = "WASIP2LD_TOOL_TIMEOUT"
DEFAULT_TIME_LIMIT = 600.0
MEMORY_ENV = "WASIP2LD_TOOL_MEMORY"
DEFAULT_MEMORY_MIB = 3072  # a hostile 14-byte section can make wasm-tools allocate gigabytes
_LIMITED_TOOLS = ("wasm-tools",)  # quick by nature: minutes mean a hang. Compilers and linkers are not limited.


def path_arg(path: str | os.PathLike) -> str:
    """``path`` as an argument no sub-tool can take for an option (``-x``) or a response file (``@x``).

    ``Runner.run`` applies it to every ``os.PathLike`` argument, so paths are passed as ``Path`` objects,
    never as ``str(path)`` (``Path("./-o")`` is ``-o`` again once turned into a string)."""
    text = os.fspath(path)
    return f"./{text}" if text.startswith(("-", "@")) else text


def time_limit(tool: str) -> float | None:
    """Seconds ``tool`` may run (``WASIP2LD_TOOL_TIMEOUT``, default 600), or None for unlimited tools."""
    return _limit(tool, TIMEOUT_ENV, float, DEFAULT_TIME_LIMIT, "not a number of seconds")


def memory_limit(tool: str) -> int | None:
    """Bytes of data ``tool`` may allocate (``WASIP2LD_TOOL_MEMORY`` in MiB, default 3072), or None."""
    mib = _limit(tool, MEMORY_ENV, int, DEFAULT_MEMORY_MIB, "not a whole number of MiB")
    return None if mib is None else mib << 20


def _limit(tool: str, env: str, parse: Callable[[str], N], default: N, expected: str) -> N | None:
    """``env`` read by ``parse`` (``default`` when unset or empty); None for a tool that is not limited or
    a value of 0 or less (no limit)."""
    if not tool.startswith(_LIMITED_TOOLS):
        return None
    text = os.environ.get(env, "")
    try:
        value = parse(text) if text else default
    except ValueError:
        from .errors import ToolchainError

        raise ToolchainError(f"{env}={text}: {expected}") from None
    return value if value > 0 else None


def apply_memory_limit(limit: int) -> None:
    """In the child, before exec: RLIMIT_DATA (heap and private writable mappings), as ``prlimit --data``."""
    import resource

    _, hard = resource.getrlimit(resource.RLIMIT_DATA)
    resource.setrlimit(resource.RLIMIT_DATA, (limit if hard < 0 else min(limit, hard), hard))


def out_of_memory(tool: str, returncode: int, stderr: bytes | None):  # -> ToolchainError | None
    """The error for a tool that hit its memory limit (Rust aborts with "memory allocation of N bytes
    failed", or reports "out of memory" when a read buffer cannot grow), or None."""
    text = stderr or b""
    if returncode == 0 or not (b"memory allocation of" in text or b": out of memory" in text):
        return None
    from .errors import ToolchainError

    limit = memory_limit(tool)
    return ToolchainError(
        f"{tool} ran out of memory (its limit is {(limit or 0) >> 20} MiB) and was stopped",
        hint=f"an input that asks for absurd amounts of memory (a hostile or corrupt module?); "
        f"{MEMORY_ENV}=MiB changes the limit (0: none)",
    )


def timed_out(tool: str, seconds: float, argv: list[str]):  # -> ToolchainError
    """The error for a tool stopped by its time limit."""
    from .errors import ToolchainError

    return ToolchainError(
        f"{tool} did not finish within {seconds:g} s and was stopped: {' '.join(argv)}",
        hint=f"a hung or very slow {tool}: check it with `wasip2ld doctor`; {TIMEOUT_ENV}=SECONDS "
        "changes the limit (0: none)",
    )
