"""`wasip2ld sig`: the core imports and exports a module needs to implement a WIT world."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..abi.expected import ASYNC_ABIS
from ..abi.formats import FORMATS
from ..abi.mangling import MANGLINGS
from ..cli import settings_from


@click.command()
@click.option(
    "--wit",
    "wit",
    metavar="PATH",
    type=click.Path(path_type=Path),
    help="WIT file, or a package directory (dependencies in its deps/). Default: [build] wit.",
)
@click.option(
    "--world",
    metavar="NAME",
    help="`name` or `ns:pkg/name[@version]`; needed when the package has several worlds.",
)
@click.option(
    "--mangling",
    type=click.Choice(MANGLINGS),
    help="Core name scheme: legacy (wit-bindgen/wasi-libc today, the default) or standard32 (cm32p2|…).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(sorted(FORMATS)),
    default="wat",
    show_default=True,
    help="wat: a module skeleton; json: data for tools (docs/sig.md); c: a header of prototypes; "
    "go: //go:wasmimport/wasmexport declarations (docs/go.md).",
)
@click.option(
    "--async-abi",
    type=click.Choice(ASYNC_ABIS),
    default="sync",
    show_default=True,
    help="How async WIT functions are lowered and lifted (async-* need --mangling legacy).",
)
@click.option("--features", metavar="A,B", help="Enable these @unstable WIT features.")
@click.option("--all-features", is_flag=True, default=None, help="Enable every @unstable WIT feature.")
@click.option("-v", "--verbose", is_flag=True, help="Print the wasm-tools commands run.")
@click.option(
    "-o",
    "--output",
    metavar="FILE",
    help="Write here instead of standard output (a regular file is replaced only when complete).",
)
@click.pass_context
def sig(
    ctx: click.Context,
    wit: Path | None,
    world: str | None,
    mangling: str | None,
    fmt: str,
    async_abi: str,
    features: str | None,
    all_features: bool | None,
    verbose: bool,
    output: str | None,
) -> None:
    """Print the core wasm signature of a WIT world: every import a module may use and every export it
    must (or may) provide, with their core types, under the chosen name mangling.

    \b
    Examples:
      wasip2ld sig --wit wit/ --world my:app/plugin              WAT skeleton
      wasip2ld sig --wit wit/ --format c -o plugin-abi.h         C prototypes to implement
      wasip2ld sig --wit wit/ --format go -o plugin_abi.go       Go declarations to start from
      wasip2ld sig --wit wit/ --mangling standard32 --format json
    """
    from ..abi import expected_interface
    from ..abi.formats import render
    from ..errors import UsageError
    from ..toolchain.discover import discover
    from ..wit import load_world

    settings = settings_from(ctx)
    build = settings.build
    wit = wit or (Path(str(build["wit"])) if "wit" in build else None)
    if wit is None:
        raise UsageError(
            "sig: no WIT given",
            hint="pass --wit PATH (a .wit file or a WIT package directory), "
            "or set `wit` under [build] in wasip2ld.toml",
        )
    world = world if world is not None else _str_or_none(build.get("world"))
    mangling = mangling or _str_or_none(build.get("mangling")) or "legacy"
    feature_list = _features(features if features is not None else build.get("features"))
    everything = bool(build.get("all-features", False)) if all_features is None else all_features
    toolchain = discover(settings)
    from ..proc import Runner

    runner = Runner(verbose=verbose)
    chosen = load_world(wit, world, feature_list, everything, toolchain=toolchain, runner=runner)
    text = render(expected_interface(chosen, mangling, async_abi), fmt)
    if output is None:
        sys.stdout.write(text)
        return
    from ..atomic import atomic_output

    with atomic_output(output) as tmp:
        tmp.write_text(text)


def _str_or_none(value: object) -> str | None:
    return None if value is None else str(value)


def _features(value: object) -> tuple[str, ...]:
    if value is None:
        return ()
    items = value if isinstance(value, list) else str(value).split(",")
    return tuple(str(item).strip() for item in items if str(item).strip())
