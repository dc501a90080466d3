"""WASI 0.2 for module targets on ``wasip2ld.host``: what `wasi:cli/command` programs import.

``Wasi(args, env, dirs, stdin, stdout, stderr)`` is an import provider: pass it as
``instantiate(…, wasi=Wasi(…))``. Resource methods dispatch to the Python classes in ``io``, ``filesystem``
and ``cli``; ``run_command`` calls `wasi:cli/run` and turns the outcome into an exit code.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable, Mapping
from typing import Any, BinaryIO

from .cli import SOCKETS_FUNCTIONS, Exit, TerminalInput, TerminalOutput, _terminal, clocks_and_random, exit_, \
    exit_with_code, not_supported, Network
from .filesystem import FS_RESOURCES, Preopens, filesystem_error_code
from .io import IO_FUNCTIONS, IO_RESOURCES, InputStream, OutputStream

__all__ = ["Exit", "Wasi"]

_RESOURCES: dict[str, type] = {**IO_RESOURCES, **FS_RESOURCES, "terminal-input": TerminalInput,
                               "terminal-output": TerminalOutput, "network": Network}


class Wasi:
    """The capabilities a guest gets: ``args`` (argv, argv[0] included), ``env`` (pairs or a mapping),
    ``dirs`` (``(host path, guest path)`` preopens; nothing else on the host is reachable), and binary
    file objects for ``stdin``/``stdout``/``stderr`` (default: this process's)."""

    def __init__(self, args: Iterable[str] = (), env: Mapping[str, str] | Iterable[tuple[str, str]] = (),
                 dirs: Iterable[tuple[str | os.PathLike, str]] = (), stdin: BinaryIO | None = None,
                 stdout: BinaryIO | None = None, stderr: BinaryIO | None = None) -> None:
        self.args = list(args)
        self.env = list(env.items()) if isinstance(env, Mapping) else list(env)
        self.preopens = Preopens([(os.fspath(host), guest) for host, guest in dirs])
        self.stdin = stdin if stdin is not None else sys.stdin.buffer
        self.stdout = stdout if stdout is not None else sys.stdout.buffer
        self.stderr = stderr if stderr is not None else sys.stderr.buffer
        self.functions = self._functions()

    def _functions(self) -> dict[str, dict[str, Callable[..., Any]]]:
        return {
            **IO_FUNCTIONS,
            "wasi:cli/environment": {
                "get-environment": lambda: self.env, "get-arguments": lambda: self.args,
                "initial-cwd": lambda: None,
            },
            "wasi:cli/exit": {"exit": exit_, "exit-with-code": exit_with_code},
            "wasi:cli/stdin": {"get-stdin": lambda: InputStream(self.stdin)},
            "wasi:cli/stdout": {"get-stdout": lambda: OutputStream(self.stdout)},
            "wasi:cli/stderr": {"get-stderr": lambda: OutputStream(self.stderr)},
            "wasi:cli/terminal-input": {}, "wasi:cli/terminal-output": {},
            "wasi:cli/terminal-stdin": {"get-terminal-stdin": lambda: _terminal(TerminalInput, self.stdin)},
            "wasi:cli/terminal-stdout": {"get-terminal-stdout": lambda: _terminal(TerminalOutput, self.stdout)},
            "wasi:cli/terminal-stderr": {"get-terminal-stderr": lambda: _terminal(TerminalOutput, self.stderr)},
            **clocks_and_random(),
            "wasi:filesystem/types": {"filesystem-error-code": filesystem_error_code},
            "wasi:filesystem/preopens": {"get-directories": self.preopens.get_directories},
            **SOCKETS_FUNCTIONS,
        }  # fmt: skip

    def lookup(self, interface: str, name: str) -> Callable[..., Any] | None:
        """The implementation of ``name`` in ``interface`` (``wasi:pkg/iface@0.2.x``), or None."""
        base, _, version = interface.partition("@")
        if not version.startswith("0.2."):
            return None
        table = self.functions.get(base)
        if table is not None and name in table:
            return table[name]
        if name.startswith("[resource-drop]"):
            return _drop if name[len("[resource-drop]"):] in _RESOURCES else None
        if name.startswith("[method]"):
            resource, _, method = name[len("[method]"):].partition(".")
            cls = _RESOURCES.get(resource)
            attr = method.replace("-", "_")
            if cls is not None and hasattr(cls, attr):
                return _method(attr)
        if base.startswith("wasi:sockets/"):
            return not_supported
        return None


def _drop(obj: Any) -> None:
    drop = getattr(obj, "drop", None)
    if drop is not None:
        drop()


def _method(attr: str) -> Callable[..., Any]:
    def call(self: Any, *args: Any) -> Any:
        return getattr(self, attr)(*args)

    call.__name__ = attr
    return call
