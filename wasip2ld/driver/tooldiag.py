"""Turning wasm-tools' layered error output ("error: …" + "Caused by: 0: … 1: …") into one line that
names the file and the actual problem, plus a hint saying what to do."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Context layers that say where wit-component was, not what went wrong.
_WRAPPERS = {
    "failed to encode a component from module",
    "failed to decode world from module",
    "module was not valid",
    "failed to encode component",
    "failed to parse core wasm for componentization",
}
_HINTS: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(r"module requires an import interface named `([^`]+)`"),
        (
            "the module imports from `{0}`, which is not an interface of its world: define the symbol in a "
            "linked object, or declare the interface in the WIT world (--wit/--world)"
        ),
    ),
    (
        re.compile(r"failed to find world item corresponding to interface `([^`]+)`"),
        "no world item matches `{0}`: check the interface name and its version in the import module name",
    ),
    (
        re.compile(r"no top-level imported function `([^`]+)`"),
        "the world has no top-level import `{0}`: add it to the world or stop importing it",
    ),
    (
        re.compile(r"is missing function `([^`]+)`|unknown function `([^`]+)`"),
        "the module imports a function the world does not declare: fix the import name or the WIT",
    ),
    (
        re.compile(r"failed to find export of (?:interface `[^`]+` )?function `([^`]+)`"),
        (
            "the world exports `{0}` but nothing defines it: export it from C "
            "(__attribute__((export_name(…)))) or remove it from the world"
        ),
    ),
    (
        re.compile(r"type mismatch for function `([^`]+)`"),
        (
            "the C signature of `{0}` does not match the world: regenerate the prototypes with "
            "`wasip2ld sig --format c`"
        ),
    ),
    (
        re.compile(r"module does not export a function named `cabi_realloc`"),
        (
            "the world passes strings or lists into the module, which needs `cabi_realloc`: define it "
            "(`wasip2ld sig --format c` prints its prototype; `wasip2ld bindgen c` code defines it), or pull "
            "wasi-libc's in with -Wl,-u,cabi_realloc"
        ),
    ),
    (
        re.compile(r"module does not export a memory named `memory`"),
        "the world passes strings or lists, which need the module's memory exported as `memory`",
    ),
    (
        re.compile(r"module is only allowed to import functions"),
        "a component's core module may import only functions: drop --import-memory / --import-table",
    ),
    (
        re.compile(r"unknown or invalid component model import syntax"),
        (
            "an import name follows neither naming scheme; with --reject-legacy-names only `cm32p2…` names "
            "are accepted"
        ),
    ),
    (
        re.compile(r"failed to parse WIT|expected .*, found|no package found|package not found"),
        "fix the WIT source named above; `wasm-tools component wit FILE` shows the same error",
    ),
    (
        re.compile(r"no `package` header"),
        "a WIT file starts with `package ns:name;` (is the --wit file empty, or the wrong one?)",
    ),
    (
        re.compile(r"not valid utf-8"),
        "WIT is UTF-8 text: is --wit the right file?",
    ),
    (
        re.compile(r"multiple worlds in `([^`]+)`"),
        "choose one with --world NAME (or ns:pkg/NAME)",
    ),
    (
        re.compile(r"[Ww]orld `([^`]+)` not found|no world named `([^`]+)`"),
        "name a world the WIT package defines (--world NAME or ns:pkg/NAME)",
    ),
)


@dataclass(frozen=True)
class ToolDiagnosis:
    chain: tuple[str, ...]  # every layer, outermost first
    problem: str  # the layers that carry information, joined into one line
    hint: str | None


_MALFORMED = re.compile(r"malformed|magic header|unexpected end|decoding item|unknown binary version")


def diagnose(stderr: bytes | str | None, inputs: tuple[str, ...] = ()) -> ToolDiagnosis:
    """``inputs``: the wasm files the tool read, named in the hint when one of them is malformed."""
    text = stderr.decode("utf-8", "replace") if isinstance(stderr, bytes) else (stderr or "")
    chain = _chain(text)
    specific = [layer for layer in chain if layer not in _WRAPPERS] or chain
    problem = ": ".join(specific) if specific else "failed without a message"
    hint = _hint(problem)
    if hint is None and inputs and _MALFORMED.search(problem):
        hint = f"one of its inputs is not a valid WebAssembly module: {', '.join(inputs)}"
    return ToolDiagnosis(tuple(chain), problem, hint)


def _chain(text: str) -> list[str]:
    layers: list[str] = []
    listing = False  # inside an indented list under a layer ending in ':' (e.g. the worlds to choose from)
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line == "Caused by:":
            continue
        numbered = re.match(r"\d+:\s", line) is not None
        line = re.sub(r"^(?:error:\s*|\d+:\s*)", "", line)
        if raw.startswith((" " * 7, "\t\t")) and layers and not listing:  # continuation of a multi-line layer
            layers[-1] += " " + line
        elif raw.startswith(" ") and not numbered and layers and (listing or layers[-1].endswith(":")):
            layers[-1] += (", " if listing else " ") + line
            listing = True
        else:
            layers.append(line)
            listing = False
    return layers


def _hint(problem: str) -> str | None:
    for pattern, template in _HINTS:
        match = pattern.search(problem)
        if match:
            groups = [g for g in match.groups() if g]
            return template.format(*groups) if groups else template
    return None
