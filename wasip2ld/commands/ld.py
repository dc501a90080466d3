"""``wasip2ld ld``: the wasm-component-ld-compatible linker. Its arguments are wasm-ld's plus its own, so
they are taken raw (see ``wasip2ld ld --help``)."""

from __future__ import annotations

import sys

import click

from ..driver.rawcommand import RawCommand, group_overrides


@click.command(cls=RawCommand, name="ld")
@click.pass_context
def ld(ctx: click.Context, args: tuple[str, ...]) -> None:
    """Link like wasm-component-ld: wasm-ld, then a component (or --module: a core module with its world).
    `wasip2ld ld --help` lists the options. See docs/driver.md."""
    from ..driver.entry import ld_main

    # sys.exit, not ctx.exit: click in non-standalone mode would swallow the code.
    sys.exit(ld_main(list(args), overrides=group_overrides(ctx)))
