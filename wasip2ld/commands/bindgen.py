"""`wasip2ld bindgen c`: typed C bindings for a WIT world (wit-bindgen's C conventions)."""

from __future__ import annotations

from pathlib import Path

import click

from ..abi.mangling import MANGLINGS
from ..cli import settings_from


@click.group()
def bindgen() -> None:
    """Generate guest bindings for a WIT world."""


@bindgen.command("c")
@click.option(
    "--wit",
    "wit",
    metavar="PATH",
    type=click.Path(path_type=Path),
    help="WIT file, or a package directory (dependencies in its deps/). Default: [build] wit.",
)
@click.option("--world", metavar="NAME", help="`name` or `ns:pkg/name[@version]` (default: [build] world).")
@click.option(
    "--out-dir",
    metavar="DIR",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    show_default=True,
    help="Where <world>.h and <world>.c are written (created if missing).",
)
@click.option(
    "--rename",
    "renames",
    metavar="IFACE=NAME",
    multiple=True,
    help="Use NAME as the C prefix of interface IFACE (as the world names it, e.g. wasi:cli/stdin@0.2.0). "
    "Repeatable.",
)
@click.option(
    "--string-encoding",
    type=click.Choice(["utf8", "utf16", "compact-utf16"]),
    default="utf8",
    show_default=True,
    help="Encoding of `<world>_string_t`; link with the same --string-encoding.",
)
@click.option(
    "--mangling",
    type=click.Choice(MANGLINGS),
    help="Core names: legacy (wit-bindgen/wasi-libc, the default) or standard32 (cm32p2|…).",
)
@click.option("--features", metavar="A,B", help="Enable these @unstable WIT features.")
@click.option("--all-features", is_flag=True, default=None, help="Enable every @unstable WIT feature.")
@click.option("-v", "--verbose", is_flag=True, help="Print the wasm-tools commands run.")
@click.pass_context
def c(
    ctx: click.Context,
    wit: Path | None,
    world: str | None,
    out_dir: Path,
    renames: tuple[str, ...],
    string_encoding: str,
    mangling: str | None,
    features: str | None,
    all_features: bool | None,
    verbose: bool,
) -> None:
    """Write <world>.h and <world>.c: C types and functions for every import and export of a WIT world,
    with wit-bindgen's names and ownership rules. Compile <world>.c with your code and link with the same
    --wit/--world; the linker embeds the world (no component-type object is needed).

    \b
    Examples:
      wasip2ld bindgen c --wit wit/ --world shapes --out-dir gen
      wasip2-clang -mexec-model=reactor --wit wit/ --world shapes -Igen impl.c gen/shapes.c -o shapes.wasm
    """
    from ..bindgen.write import write_bindings
    from ..proc import Runner
    from ..toolchain.discover import discover

    settings = settings_from(ctx)
    toolchain = discover(settings)
    write_bindings(
        settings.build,
        wit=wit,
        world=world,
        out_dir=out_dir,
        renames=renames,
        string_encoding=string_encoding,
        mangling=mangling,
        features=features,
        all_features=all_features,
        toolchain=toolchain,
        runner=Runner(verbose=verbose),
    )
