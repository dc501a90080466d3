"""``wasip2ld ld``: the wasm-component-ld-compatible linker. Its arguments are wasm-ld's plus its own, so
they are taken raw (see ``wasip2ld ld --help``)."""
from __future__ import annotations

import click

from ..driver.rawcommand import RawCommand, group_overrides


@click.command(cls=RawCommand, name="ld")
@click.pass_context
def ld(ctx: click.Context, args: tuple[str, ...]) -> None:
    """Link like wasm-component-ld: wasm-ld, then a component (or --module: a core module with its world).
    `wasip2ld ld --help` lists the options. See docs/driver.md."""
    from ..driver.ld import main

    ctx.exit(main(list(args), overrides=group_overrides(ctx)))
