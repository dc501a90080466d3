"""`wasip2ld cmake`, `wasip2ld make` and `wasip2ld meson-cross`: run a project's own build system with
wasip2ld as its compiler, like emcmake/emmake do for Emscripten."""
from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import click

from ..cli import settings_from

_PASSTHROUGH = {"context_settings": {"ignore_unknown_options": True, "allow_interspersed_args": False}}
# `cmake --build`, `--install`, `-E`, `-P`, … run an already configured tree: no toolchain file then.
_CMAKE_NOT_CONFIGURING = ("--build", "--install", "--open", "-E", "-P", "--help", "--version", "--workflow")


def _mode_options(func):
    func = click.option("--world", metavar="NAME", help="World in --wit that executables target.")(func)
    func = click.option("--wit", metavar="PATH", help="WIT file or directory of the world executables target.")(func)
    func = click.option("--module", is_flag=True,
                        help="Executables are core-module build targets carrying their WIT world, not components.")(func)
    return func


def _verbosity(func):
    func = click.option("--dry-run", is_flag=True, help="Print the command instead of running it.")(func)
    func = click.option("--verbose", is_flag=True, help="Print the command before running it.")(func)
    return func


def _refuse_own_typo(ctx: click.Context, passed_on: tuple[str, ...]) -> None:
    """A near-miss of this command's own options (`--modul`) would reach cmake/make as theirs, which answer
    with their whole usage text: name the option meant instead."""
    if not passed_on or not passed_on[0].startswith("--"):
        return
    from ..driver.ccargs import flag_meant

    name = passed_on[0].partition("=")[0]
    own = {opt for param in ctx.command.params for opt in param.opts if opt.startswith("--")}
    meant = flag_meant(name, own)
    if meant is not None:
        raise click.UsageError(f"{name}: unknown option; did you mean {meant}? (the options of "
                               f"`{ctx.command_path}` come first, then {ctx.command.name}'s)", ctx=ctx)


def _tools(ctx: click.Context):
    from ..buildsys import find_build_tools
    from ..toolchain.discover import discover

    return find_build_tools(discover(settings_from(ctx)))


def _binfmt_active() -> bool:
    """Whether the kernel runs wasm programs directly (the executable-suffix choice of the integrations)."""
    from ..runner import binfmt as registration

    return registration.active(os.environ.get("WASIP2LD_BINFMT_NAME", registration.DEFAULT_NAME))


def _program(name: str, package: str) -> str:
    found = shutil.which(name)
    if found is None:
        from ..errors import ToolchainError

        raise ToolchainError(f"{name} not found on PATH", hint=f"install it (Debian: `apt-get install {package}`)")
    return found


@click.command(**_PASSTHROUGH)
@_mode_options
@_verbosity
@click.argument("cmake_args", nargs=-1, type=click.UNPROCESSED)
@click.pass_context
def cmake(ctx: click.Context, module: bool, wit: str | None, world: str | None, verbose: bool, dry_run: bool,
          cmake_args: tuple[str, ...]) -> None:
    """Run cmake CMAKE_ARGS with wasip2ld's toolchain file (integration/cmake/wasip2.cmake).

    Options of this command come first; everything after them goes to cmake unchanged. When configuring,
    the toolchain file and the absolute paths of wasip2-clang, llvm-ar, llvm-ranlib and the sysroot are
    added; `cmake --build`/`--install` are passed through as they are.

    \b
    Examples:
      wasip2ld cmake -S . -B build -G Ninja
      wasip2ld cmake --module --wit wit/ -S . -B build-module
      cmake --build build -j4 && ctest --test-dir build     (tests run under `wasip2ld run`)
    """
    from ..buildsys import LinkMode, integration_file
    from ..proc import Runner

    _refuse_own_typo(ctx, cmake_args)
    argv = [_program("cmake", "cmake"), *cmake_args]
    if cmake_args and cmake_args[0] not in _CMAKE_NOT_CONFIGURING:
        tools = _tools(ctx)
        mode = LinkMode.checked(module, wit, world)
        argv[1:1] = [
            f"-DCMAKE_TOOLCHAIN_FILE={integration_file('cmake/wasip2.cmake')}",
            f"-DWASIP2LD_EXECUTABLE={';'.join(tools.wasip2ld)}",
            f"-DWASIP2LD_CC={tools.cc}",
            f"-DWASIP2LD_CXX={tools.cxx}",
            f"-DWASIP2LD_AR={tools.ar}",
            f"-DWASIP2LD_RANLIB={tools.ranlib}",
            f"-DWASIP2LD_SYSROOT={tools.sysroot}",
            f"-DWASIP2LD_MODE={'module' if mode.module else 'component'}",
            f"-DWASIP2LD_WIT={mode.wit or ''}",
            f"-DWASIP2LD_WORLD={mode.world or ''}",
            f"-DWASIP2LD_EXECUTABLE_SUFFIX={'' if _binfmt_active() else '.wasm'}",  # saves a `binfmt status`
            *_compile_rules(),
        ]
    Runner(verbose=verbose, dry_run=dry_run).run(argv, tool="cmake")


def _compile_rules() -> list[str]:
    """The compile rules `toolchain compile-flags --cmake` would give the toolchain file, for this configure
    only (saves it starting wasip2ld once more; it asks itself when the flags it sees are not empty)."""
    from ..buildsys.direct_compile import cmake_values, direct_compiles
    from ..errors import Wasip2ldError

    try:
        values = cmake_values(direct_compiles())
    except Wasip2ldError:
        return []  # the toolchain file asks, and compiles through wasip2-clang if that fails too
    return [f"-D{name.replace('WASIP2LD_', 'WASIP2LD_GIVEN_', 1)}={value}" for name, value in values.items()]


@click.command(**_PASSTHROUGH)
@_mode_options
@_verbosity
@click.option("--print-env", is_flag=True,
              help="Print the environment as `export` lines (for `eval`, e.g. before ./configure) and exit.")
@click.argument("make_args", nargs=-1, type=click.UNPROCESSED)
@click.pass_context
def make(ctx: click.Context, module: bool, wit: str | None, world: str | None, verbose: bool, dry_run: bool,
         print_env: bool, make_args: tuple[str, ...]) -> None:
    """Run make MAKE_ARGS with CC, CXX, LD, AR and RANLIB set for wasm32-wasip2 (like emmake).

    The variables go into make's environment, so they apply where the Makefile uses make's defaults, `?=`
    or `include $(WASIP2_MK)` (integration/make/wasip2.mk). A Makefile that assigns `CC = gcc` itself
    needs `make CC=…` on the command line instead: see docs/integration-make.md.

    \b
    Examples:
      wasip2ld make -j4
      wasip2ld make --module -j4 all
      eval "$(wasip2ld make --print-env)"; ./configure --host=wasm32-unknown-wasip2
    """
    from ..buildsys import LinkMode
    from ..buildsys.make_env import as_shell, make_environment
    from ..proc import Runner

    _refuse_own_typo(ctx, make_args)
    env = make_environment(_tools(ctx), LinkMode.checked(module, wit, world), binfmt=_binfmt_active())
    if print_env:
        click.echo(as_shell(env), nl=False)
        return
    Runner(verbose=verbose, dry_run=dry_run).run([_program("make", "make"), *make_args], tool="make", env=env,
                                                 show_env=env)


@click.command("meson-cross")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
              help="Write the cross file here (default: standard output).")
@click.pass_context
def meson_cross(ctx: click.Context, output: Path | None) -> None:
    """Write a Meson cross file for wasm32-wasip2 with absolute paths to wasip2-clang, llvm-ar and the
    `wasip2ld run` exe_wrapper (so `meson test` runs tests under wasmtime).

    \b
    Example:
      wasip2ld meson-cross -o wasip2.ini
      meson setup build --cross-file wasip2.ini && meson compile -C build && meson test -C build

    Executables are components. For a core-module build target, give that target
    `link_args : ['--module', '--wit=…']` in meson.build (see docs/integration-meson.md).
    """
    from ..atomic import write_bytes_atomic
    from ..buildsys.meson_cross import CrossBinaries, render

    header = "Meson cross file for wasm32-wasip2, written by `wasip2ld meson-cross`.\n" \
             "Use: meson setup BUILDDIR --cross-file THIS_FILE. See docs/integration-meson.md."
    text = render(CrossBinaries.from_tools(_tools(ctx)), header)
    if output is None:
        sys.stdout.write(text)
    else:
        write_bytes_atomic(output, text.encode("utf-8"))
