"""`wasip2ld go build [flags] [packages]`: Go to a WASI 0.2 component or a core module build target.
`wasip2ld go <any other command>` runs go with GOOS=wasip1 GOARCH=wasm set."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import click

from ..cli import settings_from

if TYPE_CHECKING:
    from ..config import Settings
    from ..gobuild.args import GoBuildArgs
    from ..toolchain.discover import Toolchain

BUILD_HELP = """\
Usage: wasip2ld go build [wasip2ld options] [go build flags] [packages]

  Build a Go main package with GOOS=wasip1 GOARCH=wasm and turn it into a WASI 0.2 component (default) or
  a core module build target (--module), checked against the WIT world. Go's own flags (-tags, -ldflags,
  -trimpath, …) pass through unchanged; GOCACHE, GOFLAGS and the rest of Go's environment are respected.

  The world decides the shape: no world, or a world without exports, gives a command (its main runs as
  wasi:cli/run); a world that exports wasi:cli/run gives a command whose run export wasip2ld adds; a world
  exporting other functions gives a reactor (-buildmode=c-shared) whose //go:wasmexport functions
  implement them. A mismatch between a //go:wasmimport or //go:wasmexport and the world is reported at the
  directive's file:line with the declaration the world expects; exit 1, nothing written.

Options:
  -o, --output FILE        The result (default: the package's name + .wasm, like go build).
  --wit PATH               WIT file or package directory (deps/ beside it). Default: [build] wit.
  --world NAME             `name` or `ns:pkg/name[@version]` within --wit.
  --module                 A core module carrying its world instead of a component (Go's runtime imports
                           wasi_snapshot_preview1, so this always reports those imports).
  --component              A component (the default).
  --mangling MODE          auto (default), legacy or standard32 core names.
  --wasi-adapter KIND      command, reactor, none or an adapter .wasm (default: from the shape).
  --wit-features A,B       Enable @unstable WIT features; --wit-all-features enables all.
  -v, --verbose            Print every command (go's -v is passed on too).
  --dry-run                Print the commands without running them.
  -h, --help               Show this message.

Examples:
  wasip2ld go build -o hello.wasm .
  wasip2ld go build --wit wit --world plugin -o plugin.wasm ./cmd/plugin
  wasip2ld sig --format go --wit wit --world plugin    (the declarations to start from)
"""


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
    from ..toolchain.discover import discover

    settings = settings_from(ctx)
    toolchain = discover(settings)
    if args[0] != "build":
        sys.exit(_pass_through(toolchain, list(args)))
    from ..gobuild.args import parse_build_args

    parsed = parse_build_args(list(args[1:]))
    if parsed.help:
        click.echo(BUILD_HELP)
        return
    _build(parsed, settings, toolchain, _record_key(ctx, list(args[1:])))


def _record_key(ctx: click.Context, build_args: list[str]) -> bytes | None:
    """The key of the record the build leaves for the next identical `wasip2ld go build` (``main`` runs it
    through ``gobuild.warm``); None when wasip2ld's own options (--toolchain, --tool, …) were given, which
    that path does not look at."""
    from ..gobuild.buildrecord import key

    obj = ctx.find_root().obj or {}
    return None if any(obj.get(name) for name in ("toolchain", "roots", "tools")) else key(build_args)


def _build(parsed: GoBuildArgs, settings: Settings, toolchain: Toolchain, record_key: bytes | None) -> None:
    from ..gobuild.build import GoValidationFailed, go_build
    from ..proc import Runner

    runner = Runner(verbose=parsed.verbose, dry_run=parsed.dry_run)
    try:
        result = go_build(parsed, settings, toolchain, runner, record_key)
    except GoValidationFailed as err:
        for diagnostic in err.diagnostics:
            click.echo(diagnostic.render(), err=True)
        raise
    for warning in result.warnings:
        click.echo(warning.render(), err=True)


def _pass_through(toolchain: Toolchain, args: list[str]) -> int:
    from ..gobuild.golist import WASM_ENV
    from ..proc import Runner

    go = toolchain.require("go", f"to run `go {args[0]}`").argv
    return Runner().run([*go, *args], tool="go", env=WASM_ENV, check=False).returncode
