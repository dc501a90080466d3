"""Response files (``@file``): reading them the way clang and LLD do on POSIX hosts, and writing one when a
command line gets long.

Import-light on purpose (only ``os``): the compile fast path expands response files to classify arguments.
"""

from __future__ import annotations

import os

MAX_DEPTH = 32
# Linux caps one argument at 128 KiB and the whole argv+env at ~2 MiB; stay far below both.
LONG_COMMAND_LINE = 96 * 1024
_SPACE = " \t\r\n\v\f"


def tokenize(text: str) -> list[str]:
    """Split response-file text with LLVM's GNU rules: whitespace separates, ``\\`` escapes the next character
    (also inside quotes), single and double quotes group, and empty tokens are dropped."""
    tokens: list[str] = []
    token: list[str] = []
    i, end = 0, len(text)
    while i < end:
        ch = text[i]
        if ch == "\\" and i + 1 < end:
            token.append(text[i + 1])
            i += 2
        elif ch in "'\"":
            close = i + 1
            while close < end and text[close] != ch:
                if text[close] == "\\" and close + 1 < end:
                    close += 1
                token.append(text[close])
                close += 1
            i = close + 1
        elif ch in _SPACE:
            if token:
                tokens.append("".join(token))
                token = []
            i += 1
        else:
            token.append(ch)
            i += 1
    if token:
        tokens.append("".join(token))
    return tokens


def expand(args: list[str], *, depth: int = 0) -> list[str]:
    """Replace every ``@file`` (recursively) by the arguments it holds. A name that is not a readable file
    stays a literal argument, as in clang and LLD. (``-Wl,@file`` reaches the linker as ``@file``, where the
    linker's own expansion reads it.)"""
    if depth > MAX_DEPTH:
        from ..errors import UsageError

        raise UsageError(f"response files nested more than {MAX_DEPTH} deep (a file that includes itself?)")
    out: list[str] = []
    for arg in args:
        contents = _read(arg[1:]) if arg.startswith("@") and len(arg) > 1 else None
        if contents is None:
            out.append(arg)
        else:
            out.extend(expand(tokenize(contents), depth=depth + 1))
    return out


def has_response_files(args: list[str]) -> bool:
    return any(arg.startswith("@") for arg in args)


def _read(name: str) -> str | None:
    """A response file's text; None when there is no such file (the argument is then kept as written, as
    clang does). A FIFO, a device or a huge file is an error instead of a hang."""
    from ..inputs import read_input

    if not os.path.exists(name):
        return None
    return read_input(name, what="a response file").decode("utf-8-sig", "surrogateescape")


def quote(arg: str) -> str:
    """One (non-empty) argument in a form ``tokenize`` (and LLVM's GNU tokenizer) reads back unchanged."""
    if arg and not any(ch in arg for ch in _SPACE + "\\'\"#"):
        return arg
    return '"' + arg.replace("\\", "\\\\").replace('"', '\\"') + '"'


def render(args: list[str]) -> str:
    return "\n".join(quote(arg) for arg in args) + "\n"


def command_line_length(argv: list[str]) -> int:
    return sum(len(os.fsencode(arg)) + 1 for arg in argv)
