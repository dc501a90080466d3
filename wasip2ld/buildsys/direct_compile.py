"""Compiles without wasip2-clang: the clang command wasip2-clang would exec for a compile, so a build system
can run clang itself and start no Python per object (a configure's probes, a build's compiles). Links still
go through wasip2-clang. The arguments come from the driver's own planning (``driver.cc.plan``) on a
stand-in compile line, so they are exactly what wasip2-clang adds: the objects are byte-identical.

What wasip2-clang adds depends on the project's own flags in a few cases (wasip2ld's own flags such as
``--emulate``, ``-mexec-model=``, exception and setjmp options, its own ``--target``/``--sysroot``,
response files); ``uses_driver`` tells when flags known at configure time need wasip2-clang after all."""
from __future__ import annotations

import os
import re
import shlex
from dataclasses import dataclass

from ..driver import ccargs
from ..driver.cc import plan
from ..driver.resolve import resolve_cc_toolchain
from ..errors import Wasip2ldError

_STAND_IN = {False: ["-c", "wasip2ld-stand-in.c"], True: ["-c", "wasip2ld-stand-in.cpp"]}
# What a build-system rule can hold without quoting (CMake rule variables reach a shell).
_PLAIN_WORD = re.compile(r"[A-Za-z0-9_./=+,:@%-]+")


@dataclass(frozen=True)
class DirectCompile:
    """``prefix`` + the command line's own arguments + ``suffix`` is the clang command wasip2-clang execs."""

    prefix: tuple[str, ...]  # clang and what wasip2-clang puts before the command line's arguments
    suffix: tuple[str, ...]  # what it puts after them (--emulate / WASIP2LD_EMULATE's -D)

    def plain(self) -> bool:
        return all(_PLAIN_WORD.fullmatch(word) for word in (*self.prefix, *self.suffix))


@dataclass(frozen=True)
class DirectCompiles:
    c: DirectCompile
    cxx: DirectCompile
    stamps: tuple[str, ...]  # existing paths whose change can change the commands (the driver's cache stamps)


def direct_compiles() -> DirectCompiles:
    resolved, stamps = resolve_cc_toolchain()
    commands = {}
    for cxx, stand_in in _STAND_IN.items():
        invocation = plan(ccargs.scan(stand_in), resolved, cxx=cxx, default_target=ccargs.TARGET_P2)
        argv = invocation.argv
        at = len(argv) - len(stand_in)
        while at >= 0 and argv[at:at + len(stand_in)] != stand_in:
            at -= 1
        assert at >= 0, "the driver dropped the stand-in compile line"
        commands[cxx] = DirectCompile(_joined(argv[:at]), tuple(argv[at + len(stand_in):]))
    existing = sorted({s for s in stamps if os.path.exists(s)})
    return DirectCompiles(commands[False], commands[True], tuple(existing))


def _joined(args: list[str]) -> tuple[str, ...]:
    """``-cxx-isystem DIR`` as the one word ``-cxx-isystemDIR`` (clang reads both alike): sccache does not
    know the option and would take DIR for a second input file, refusing to cache the compile."""
    words: list[str] = []
    for arg in args:
        if words and words[-1] == "-cxx-isystem":
            words[-1] += arg
        else:
            words.append(arg)
    return tuple(words)


def uses_driver(flags: str) -> bool:
    """Whether compile flags known at configure time (CMAKE_C_FLAGS, CFLAGS) change what wasip2-clang adds
    to a compile, so that compiles must go through it."""
    try:
        line = ccargs.scan(args := shlex.split(flags))
    except (ValueError, Wasip2ldError):  # unbalanced quotes; an own flag without its value
        return True
    return bool(
        line.own
        or line.rewritten
        or any(arg.startswith(("@", "-mexec-model=")) for arg in args)
        or line.target
        or line.has_sysroot
        or line.sets_exceptions
        or line.sets_wasm_eh
    )


def cmake_rule(command: DirectCompile) -> str:
    """CMake's default compile rule with the compiler replaced by ``command``."""
    return " ".join([*command.prefix, "<DEFINES> <INCLUDES> <FLAGS> -o <OBJECT> -c <SOURCE>", *command.suffix])


def cmake_values(compiles: DirectCompiles, c_flags: str = "", cxx_flags: str = "") -> dict[str, str]:
    """The variables integration/cmake/wasip2.cmake reads: the compile rules per language (empty: compile
    with wasip2-clang) and the files whose change must re-run the configure."""
    values = {}
    for lang, command, flags in (("C", compiles.c, c_flags), ("CXX", compiles.cxx, cxx_flags)):
        rule = cmake_rule(command) if command.plain() and not uses_driver(flags) else ""
        values[f"WASIP2LD_{lang}_COMPILE_OBJECT"] = rule
    values["WASIP2LD_COMPILE_DEPENDS"] = ";".join(s for s in compiles.stamps if _PLAIN_WORD.fullmatch(s))
    return values


def cmake_script(compiles: DirectCompiles, c_flags: str, cxx_flags: str) -> str:
    """``cmake_values`` as `set()` commands."""
    return "".join(f'set({name} "{value}")\n' for name, value in cmake_values(compiles, c_flags, cxx_flags).items())
