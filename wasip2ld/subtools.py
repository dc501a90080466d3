"""Rules every sub-tool run follows, shared by ``wasip2ld.proc`` (subprocess) and ``wasip2ld.driver.spawn``
(the compiler driver's lean fast path): how a path is passed, and how long a tool may run.

Fast-path module: imports only ``os``.
"""

from __future__ import annotations

import os

TIMEOUT_ENV = "WASIP2LD_TOOL_TIMEOUT"
DEFAULT_TIME_LIMIT = 600.0
_LIMITED_TOOLS = ("wasm-tools",)  # quick by nature: minutes mean a hang. Compilers and linkers are not limited.


def path_arg(path: str | os.PathLike) -> str:
    """``path`` as an argument no sub-tool can take for an option (``-x``) or a response file (``@x``).

    ``Runner.run`` applies it to every ``os.PathLike`` argument, so paths are passed as ``Path`` objects,
    never as ``str(path)`` (``Path("./-o")`` is ``-o`` again once turned into a string)."""
    text = os.fspath(path)
    return f"./{text}" if text.startswith(("-", "@")) else text


def time_limit(tool: str) -> float | None:
    """Seconds ``tool`` may run (``WASIP2LD_TOOL_TIMEOUT``, default 600), or None for unlimited tools."""
    if not tool.startswith(_LIMITED_TOOLS):
        return None
    text = os.environ.get(TIMEOUT_ENV, "")
    try:
        value = float(text) if text else DEFAULT_TIME_LIMIT
    except ValueError:
        from .errors import ToolchainError

        raise ToolchainError(f"{TIMEOUT_ENV}={text}: not a number of seconds") from None
    return value if value > 0 else None


def timed_out(tool: str, seconds: float, argv: list[str]):  # -> ToolchainError
    """The error for a tool stopped by its time limit."""
    from .errors import ToolchainError

    return ToolchainError(
        f"{tool} did not finish within {seconds:g} s and was stopped: {' '.join(argv)}",
        hint=f"a hung or very slow {tool}: check it with `wasip2ld doctor`; {TIMEOUT_ENV}=SECONDS "
        "changes the limit (0: none)",
    )
