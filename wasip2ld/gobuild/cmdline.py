"""`wasip2ld go build` without click (``wasip2ld.main`` sends it here): the warm path (``warm``) when the
previous identical build left a record, else the full build (``build``), which the click command
(``wasip2ld.commands.go``) also runs when wasip2ld's own options come first. Errors are raised for the
caller to render.

Fast-path module until the full build starts: imports only ``os``/``sys`` and the other fast-path modules.
"""

from __future__ import annotations

import sys

from . import buildrecord, warm

TYPE_CHECKING = False
if TYPE_CHECKING:
    from ..config import Settings

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


def main(build_args: list[str]) -> int:
    """`wasip2ld go build BUILD_ARGS`: 0, or an error raised."""
    code = warm.build(build_args)
    if code is not None:
        return code
    from ..config import load_settings

    run_build(build_args, load_settings(), buildrecord.key(build_args))
    return 0


def run_build(build_args: list[str], settings: Settings, record_key: bytes | None) -> None:
    """The full build, its warnings and its Go-positioned errors on stderr; with ``record_key`` a
    successful build leaves a record under it."""
    from ..proc import Runner
    from ..toolchain.discover import discover
    from .args import parse_build_args
    from .build import GoValidationFailed, go_build

    toolchain = discover(settings)
    parsed = parse_build_args(build_args)
    if parsed.help:
        print(BUILD_HELP)
        return
    runner = Runner(verbose=parsed.verbose, dry_run=parsed.dry_run)
    try:
        result = go_build(parsed, settings, toolchain, runner, record_key)
    except GoValidationFailed as err:
        for diagnostic in err.diagnostics:
            print(diagnostic.render(), file=sys.stderr)
        raise
    for warning in result.warnings:
        print(warning.render(), file=sys.stderr)
