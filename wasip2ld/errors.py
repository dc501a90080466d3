"""The one exception tree of wasip2ld.

Library code raises these; only ``wasip2ld.cli`` (and the driver entry points) render them and choose the exit
code. Every message is one line that names the file, flag or tool concerned; ``hint`` says what to do.
"""
from __future__ import annotations

# Exit codes, in one place (see docs/cli.md).
EXIT_OK = 0
EXIT_INVALID = 1  # the input was read fine but does not conform (validation mismatches)
EXIT_USAGE = 2  # bad input or usage: unknown flag, malformed wasm/WIT/config, missing tool


class Wasip2ldError(Exception):
    """Root of every error wasip2ld reports to a user."""

    exit_code = EXIT_USAGE

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message


RECURSION_LIMIT = 20000  # nested WIT types a few thousand levels deep (wasm-tools accepts them)


def from_resource_error(exc: BaseException) -> Wasip2ldError | None:
    """The one-line error for an exhausted resource (deep nesting, memory, a file the OS refused), which no
    library code should turn into a traceback; None for anything else (a bug)."""
    if isinstance(exc, RecursionError):
        return Wasip2ldError(
            "the input is nested too deeply for wasip2ld (types nested thousands of levels deep)",
            hint="flatten the nesting of the WIT types",
        )
    if isinstance(exc, MemoryError):
        return Wasip2ldError("out of memory while processing the input", hint="is the input far larger than usual?")
    if isinstance(exc, OSError) and exc.strerror:
        where = f"{exc.filename}: " if exc.filename else ""
        return Wasip2ldError(f"{where}{exc.strerror}")
    return None


class UsageError(Wasip2ldError):
    """A flag, argument or combination of them that wasip2ld cannot act on."""


class ConfigError(Wasip2ldError):
    """A malformed or inconsistent configuration file or toolchain descriptor: ``file:line: message``."""

    def __init__(self, path: str, message: str, *, line: int | None = None, hint: str | None = None) -> None:
        where = f"{path}:{line}" if line else str(path)
        super().__init__(f"{where}: {message}", hint=hint)
        self.path = path
        self.line = line


class ToolchainError(Wasip2ldError):
    """A part of the toolchain is missing or unusable; the hint names the command that fixes it."""


class ToolFailed(Wasip2ldError):
    """A sub-tool (clang, wasm-ld, wasm-tools, go) ran and failed. Its exit code becomes ours."""

    def __init__(self, tool: str, returncode: int, message: str | None = None, *, hint: str | None = None) -> None:
        super().__init__(message or f"{tool} failed with exit code {returncode}", hint=hint)
        self.tool = tool
        self.returncode = returncode
        self.exit_code = returncode if 0 < returncode < 256 else EXIT_INVALID


class WasmParseError(Wasip2ldError):
    """Malformed WebAssembly binary. ``offset`` is absolute within the file."""

    def __init__(self, message: str, offset: int, *, path: str | None = None, hint: str | None = None) -> None:
        text = f"{message} (at offset 0x{offset:x})"
        if path:
            text = f"{path}: {text}"
        super().__init__(text, hint=hint)
        self.reason = message
        self.offset = offset
        self.path = path


class WitError(Wasip2ldError):
    """WIT that does not parse or resolve, or a world that cannot be selected."""


class ValidationFailed(Wasip2ldError):
    """A module or component does not conform to its WIT world. ``diagnostics`` lists every problem."""

    exit_code = EXIT_INVALID

    def __init__(self, message: str, diagnostics: list | None = None, *, hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.diagnostics = diagnostics or []
