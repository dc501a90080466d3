"""The text buffers of one generated header/source pair, in the order they are assembled."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Sources:
    h_defs: list[str] = field(default_factory=list)  # type definitions
    h_fns: list[str] = field(default_factory=list)  # function prototypes
    h_helpers: list[str] = field(default_factory=list)  # _free, string and resource helpers
    c_defs: list[str] = field(default_factory=list)  # bitcast unions
    c_fns: list[str] = field(default_factory=list)  # raw core imports, realloc, post-returns
    c_helpers: list[str] = field(default_factory=list)
    c_adapters: list[str] = field(default_factory=list)  # import wrappers and export adapters


def block(lines: list[str], indent: str = "  ") -> str:
    """C statements with braces indented (the generated code is read by people debugging it)."""
    out, depth = [], 0
    for raw in "\n".join(lines).split("\n"):
        line = raw.strip()
        if not line:
            continue
        if line.startswith("}"):
            depth -= 1
        out.append(indent * max(depth, 0) + line)
        if line.endswith("{"):
            depth += 1
    return "\n".join(out) + "\n"
