"""Reading TOML with ``file:line: message`` errors."""
from __future__ import annotations

import re
import sys
from pathlib import Path

from ..errors import ConfigError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

_AT_LINE = re.compile(r"\s*\(at line (\d+), column \d+\)$")


def read(path: Path) -> tuple[dict, str]:
    from ..errors import UsageError
    from ..inputs import read_input

    try:
        text = read_input(path, what="a TOML file").decode("utf-8")
    except UsageError as exc:
        raise ConfigError(str(path), exc.message.removeprefix(f"{path}: ")) from None
    except UnicodeDecodeError:
        raise ConfigError(str(path), "not UTF-8 text") from None
    try:
        return tomllib.loads(text), text
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        match = _AT_LINE.search(message)
        line = int(match.group(1)) if match else None
        if match:
            message = message[: match.start()]
        raise ConfigError(str(path), f"invalid TOML: {message}", line=line) from None


def line_of(text: str, key: str | None) -> int | None:
    """The first line that defines ``key`` (as a bare or quoted key or a table header), for error messages."""
    if not key:
        return None
    pattern = re.compile(r'^\s*(\[+\s*)?([\w.-]*\.)?"?' + re.escape(key) + r'"?\s*(=|\])')
    for number, line in enumerate(text.splitlines(), 1):
        if pattern.search(line):
            return number
    return None
