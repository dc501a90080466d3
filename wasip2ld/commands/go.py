"""`wasip2ld go build [flags] [packages]`: Go to a WASI 0.2 component or a core module build target.
`wasip2ld go <any other command>` runs go with GOOS=wasip1 GOARCH=wasm set. A `wasip2ld go build` without
wasip2ld's own options before it does not come here (``wasip2ld.gobuild.cmdline``)."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import click

from ..cli import settings_from
from ..gobuild.cmdline import BUILD_HELP, run_build

if TYPE_CHECKING:
    from ..toolchain.discover import Toolchain


@click.command(
    context_settings={"ignore_unknown_options": True, "allow_extra_args": True, "help_option_names": []},
    add_help_option=False,
)
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
@click.pass_context
def go(ctx: click.Context, args: tuple[str, ...]) -> None:
    """Build Go for wasm32-wasip2: `wasip2ld go build …` (other go commands run with GOOS=wasip1 GOARCH=wasm).

    \b
    Examples:
      wasip2ld go build -o hello.wasm .
      wasip2ld go build --wit wit --world plugin -o plugin.wasm .
      wasip2ld go vet ./...
    """
    if not args or args[0] in ("-h", "--help", "help"):
        click.echo(
            BUILD_HELP
            + "\nAny other `wasip2ld go COMMAND …` runs `go COMMAND …` with GOOS=wasip1 GOARCH=wasm."
        )
        return
    settings = settings_from(ctx)
    if args[0] == "build":
        run_build(list(args[1:]), settings, _record_key(ctx, list(args[1:])))
        return
    from ..toolchain.discover import discover

    sys.exit(_pass_through(discover(settings), list(args)))


def _record_key(ctx: click.Context, build_args: list[str]) -> bytes | None:
    """The key of the record the build leaves for the next identical `wasip2ld go build`; None when
    wasip2ld's own options (--toolchain, --tool, …) were given, which the warm path does not look at."""
    from ..gobuild.buildrecord import key

    obj = ctx.find_root().obj or {}
    own_options = any(obj.get(name) for name in ("toolchain", "roots", "tools"))
    return None if own_options else key(build_args)


def _pass_through(toolchain: Toolchain, args: list[str]) -> int:
    from ..gobuild import WASM_ENV
    from ..proc import Runner

    go = toolchain.require("go", f"to run `go {args[0]}`").argv
    return Runner().run([*go, *args], tool="go", env=WASM_ENV, check=False).returncode
