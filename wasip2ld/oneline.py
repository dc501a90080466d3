"""Messages are one line each: control characters inside names (a file, export or import name with a
newline) are shown escaped, so a crafted name cannot forge or split a verdict line.

Fast-path module: no imports.
"""

from __future__ import annotations

_ESCAPES = {0x09: "\\t", 0x0A: "\\n", 0x0D: "\\r"}
_TABLE = {
    code: _ESCAPES.get(code, f"\\x{code:02x}")
    for code in (*range(0x20), 0x7F, *range(0x80, 0xA0))
}
_TABLE.update({0x2028: "\\u2028", 0x2029: "\\u2029", 0x85: "\\x85"})


def one_line(text: str) -> str:
    """``text`` with every character that would break or hide a line written as an escape."""
    return text.translate(_TABLE)
