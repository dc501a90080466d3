"""``wasip2-clang --help``: wasip2ld's own flags first, then where clang's 1,700 lines are
(``--help-clang``). Imported only when help is asked for."""

from __future__ import annotations

import os

# (flag as written in help, what it does); every flag in ccargs.OWN_SWITCHES/OWN_VALUE_FLAGS is listed.
OWN_FLAGS: tuple[tuple[str, str], ...] = (
    ("--wasip2", "target wasm32-wasip2 (the default)"),
    ("--wasip1", "target wasm32-wasip1: a WASI p1 core module, linked by clang's own wasm-ld"),
    ("--component", "link a WASI 0.2 component (the default; overrides mode = \"module\" in wasip2ld.toml)"),
    ("--module", ("link a core module build target: Canonical ABI imports/exports of a WIT world, the world "
                  "carried in a component-type section (libraries: add -mexec-model=reactor)")),
    ("--wit FILE_OR_DIR", ("the WIT to embed: a .wit file or a package directory with deps/ "
                           "(default: ./wit when --world is given)")),
    ("--world NAME", "the world in it (name or ns:pkg/name[@version])"),
    ("--mangling auto|legacy|standard32", "the import/export name scheme the validator expects"),
    ("--wasi-adapter command|reactor|proxy|none|FILE",
     "the WASI p1 adapter (default: command if _start is exported, else reactor)"),
    ("--string-encoding utf8|utf16|compact-utf16", "string encoding of the embedded world (default utf8)"),
    ("--wit-features A,B", "enable these @unstable WIT features"),
    ("--wit-all-features", "enable every @unstable WIT feature"),
    ("--emulate clocks,signal,getpid,mman|all",
     ("wasi-libc's POSIX emulations: the -D_WASI_EMULATED_* macros when compiling and the "
      "-lwasi-emulated-* libraries when linking (also: WASIP2LD_EMULATE=LIST in the environment)")),
    ("--bindgen", ("generate C bindings of --wit/--world into the build tree (`wasip2ld bindgen c`): -I for "
                   "compiles, <world>.c compiled into links")),
    ("--bindgen-dir DIR", "where --bindgen writes <world>.h/.c (default: bindgen/ beside the -o output)"),
    ("--dry-run", "print every sub-command (clang's jobs, wasm-ld, wasm-tools) without running anything"),
)

_HELP = """\
usage: {prog} [WASIP2LD OPTIONS] [CLANG OPTIONS] FILE…

clang for wasm32-wasip2: compiles and links C/C++ into a WASI 0.2 component (default) or a core module that
carries its WIT world (--module), checked against the world. wasip2ld adds --target=wasm32-wasip2, the
discovered wasi-libc --sysroot and, for links, its own linker (-fuse-ld=); every option not listed here is
clang's and reaches clang unchanged and in order.

wasip2ld options (value options take --flag=VALUE or --flag VALUE):
{own}

  -v                   also print the linker's sub-commands (wasm-ld, wasm-tools)
  --help-clang         clang's own --help (all of clang's options)
  -Wl,--help           the linker's options (wasip2ld ld --help)

Examples:
  {prog} hello.c -o hello.wasm
  {prog} -mexec-model=reactor --module --wit wit/ --world lib lib.c -o lib.wasm
  {prog} --wasip1 hello.c -o hello.wasm
  wasip2ld sig --wit wit/ --world lib --format c      (the C prototypes a world demands)

Defaults: the [build] table of wasip2ld.toml. Toolchain: `wasip2ld doctor`. Exit status: clang's; for a link
1 when the module does not match its world, 2 for bad usage or a missing tool. See docs/driver.md.
"""

_WIDTH = 100


def render(prog: str) -> str:
    return _HELP.format(prog=prog, own="\n".join(_entry(flag, text) for flag, text in OWN_FLAGS))


def _entry(flag: str, text: str) -> str:
    indent = " " * 23
    first = f"  {flag:<20} " if len(flag) <= 20 else f"  {flag}\n{indent}"
    lines: list[str] = []
    current = ""
    for word in text.split():
        if current and len(indent) + len(current) + 1 + len(word) > _WIDTH:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    lines.append(current)
    return first + f"\n{indent}".join(lines)


def program_name(prog: str) -> str:
    """How the user called the driver: `wasip2ld cc` stays two words, a path becomes its file name."""
    return prog if prog.startswith("wasip2ld") else os.path.basename(prog) or "wasip2-clang"
