"""The option names of wasip2ld's linker (wasm-component-ld 0.5.27's, then wasip2ld's own): the table
``ldargs`` parses with, and what ``fastlink`` looks for in ``-Wl,``/``-Xlinker`` arguments before it links
without that linker. Fast-path module: no imports."""

from __future__ import annotations

# Both `--flag=value` and `--flag value` work.
VALUE_FLAGS = frozenset(
    {
        "wasi-adapter",
        "wasm-ld-path",
        "rsp-quoting",
        "output",
        "adapt",
        "component-type",
        "string-encoding",
        "append-lld-flag",
        "wit",
        "world",
        "mangling",
        "wit-features",
        "final-output",
    }
)
BOOL_FLAGS = frozenset({"validate-component", "merge-imports-based-on-semver", "delegate"})  # --x[=BOOL]
SWITCHES = frozenset(
    {
        "reject-legacy-names",
        "realloc-via-memory-grow",
        "skip-wit-component",
        "verbose",
        "version",
        "help",
        "module",
        "component",
        "wit-all-features",
        "dry-run",
    }
)
SHORT = {"-v": "verbose", "-V": "version", "-h": "help"}
# wasm-ld flags that make the output a library: it is the result, never componentized.
LIBRARY_OUTPUT = frozenset({"-shared", "--shared", "-r", "--relocatable", "-relocatable"})


def is_linker_option(arg: str) -> bool:
    """Whether wasip2ld's linker (rather than wasm-ld) acts on ``arg``: one of its options, ``-o``, a
    response file, a library-output flag or ``-flavor``."""
    if arg in SHORT or arg in LIBRARY_OUTPUT or arg.startswith(("@", "-o", "-flavor")):
        return True
    name = arg[2:].partition("=")[0] if arg.startswith("--") else ""
    return name in VALUE_FLAGS or name in BOOL_FLAGS or name in SWITCHES
