"""``wasip2ld cc`` / ``wasip2ld c++``: the compiler driver under the wasip2ld command.

Compiler arguments are not click options, so these commands take their argument list raw (no click
parsing at all: ``--help`` is the driver's own, which lists wasip2ld's flags and points at clang's)."""

from __future__ import annotations

import sys

import click

from ..driver.rawcommand import RawCommand, group_overrides


def _cc(ctx: click.Context, args: tuple[str, ...], cxx: bool) -> None:
    from ..driver.entry import cc_main

    # sys.exit, not ctx.exit: click in non-standalone mode would swallow the code.
    sys.exit(
        cc_main(f"wasip2ld {'c++' if cxx else 'cc'}", list(args), cxx=cxx, overrides=group_overrides(ctx))
    )


@click.command(cls=RawCommand, name="cc")
@click.pass_context
def cc(ctx: click.Context, args: tuple[str, ...]) -> None:
    """Compile and link C like clang, for wasm32-wasip2 (a component) by default.

    \b
    wasip2ld cc hello.c -o hello.wasm              a WASI 0.2 component
    wasip2ld cc --module lib.c --wit wit -o lib.wasm
                                                   a core module carrying its world
    wasip2ld cc --wasip1 hello.c -o hello.wasm     a WASI p1 core module
    Every other argument is clang's. See docs/driver.md."""
    _cc(ctx, args, cxx=False)


@click.command(cls=RawCommand, name="c++")
@click.pass_context
def cxx(ctx: click.Context, args: tuple[str, ...]) -> None:
    """Compile and link C++ like clang++, for wasm32-wasip2 by default. Same flags as `wasip2ld cc`."""
    _cc(ctx, args, cxx=True)
