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
# The names clang gives compiler-rt on a wasm32 link line (the linker substitutes a missing one).
COMPILER_RT_NAMES = ("libclang_rt.builtins-wasm32.a", "libclang_rt.builtins.a")
# wasm-ld flags that make the output a library: it is the result, never componentized.
LIBRARY_OUTPUT = frozenset({"-shared", "--shared", "-r", "--relocatable", "-relocatable"})
# wasm-ld (LLD 22) flags that take their value as the next argument too (`--export foo`), besides the
# single-letter ones, so that value is never mistaken for one of the linker's own options. Found by running
# `wasm-ld --FLAG VALUE` for every `--FLAG=<value>` in its --help.
_LLD_SEPARATE_LONG = {
    "entry",
    "error-limit",
    "export",
    "export-if-defined",
    "keep-section",
    "Map",
    "mllvm",
    "reproduce",
    "rpath",
    "soname",
    "threads",
    "trace-symbol",
    "undefined",
    "unresolved-symbols",
    "wrap",
}
LLD_SEPARATE = {"-L", "-l", "-m", "-O", "-y", "-z", "-u", "-e"} | {
    prefix + name for name in _LLD_SEPARATE_LONG for prefix in ("-", "--")
}
# Flags wasm-ld accepts only as `--FLAG=VALUE` ("unknown argument" otherwise). wasm-component-ld accepts
# `--FLAG VALUE` for them, so that spelling is joined here; every other argument is left as written.
LLD_JOINED_ONLY = {
    "allow-undefined-file",
    "extra-features",
    "features",
    "global-base",
    "initial-heap",
    "initial-memory",
    "lto-partitions",
    "max-memory",
    "page-size",
    "table-base",
    "thinlto-cache-dir",
    "thinlto-jobs",
    "why-extract",
}
# GNU ld options wasip2ld's linker drops because wasm-ld rejects them. Archive groups: wasm-ld (like every
# LLD) resolves symbols across archives in any order; build systems that take it for a GNU-style linker
# (Meson) wrap libraries in them. Shared-library switches: Meson adds them (b_asneeded, b_lundef) once it
# takes wasm-ld for ELF ld.lld; there are no shared libraries here, and undefined symbols are errors anyway.
GNU_ONLY = frozenset({
    "--start-group", "--end-group", "-start-group", "-end-group", "-(", "-)",
    "--as-needed", "--no-as-needed", "--no-undefined", "--allow-shlib-undefined", "--no-allow-shlib-undefined",
})


def is_linker_option(arg: str) -> bool:
    """Whether wasip2ld's linker (rather than wasm-ld) acts on ``arg``: one of its options, ``-o``, a
    response file, a library-output flag, a GNU-only option it drops or ``-flavor``."""
    if arg in SHORT or arg in LIBRARY_OUTPUT or arg in GNU_ONLY or arg.startswith(("@", "-o", "-flavor")):
        return True
    name = arg[2:].partition("=")[0] if arg.startswith("--") else ""
    return name in VALUE_FLAGS or name in BOOL_FLAGS or name in SWITCHES


# wasm-ld's own default stack is 64 KiB; native programs assume megabytes (Linux: 8 MiB) and trap with an
# out-of-bounds access in wasm when their frames do not fit. `-Wl,-z,stack-size=N` overrides it.
DEFAULT_STACK_SIZE = 8 * 1024 * 1024


def sets_stack_size(args: list[str]) -> bool:
    """A stack size on a wasm-ld command line (`-z stack-size=N`, `-zstack-size=N`, `--stack-size`), or on a
    clang one (`-Wl,-z,stack-size=N`, `-Xlinker stack-size=N`)."""
    return any("stack-size=" in arg or arg.startswith("--stack-size") for arg in args)
