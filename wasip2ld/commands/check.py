"""`wasip2ld check`: validate a core module against its WIT world."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..check.context import MANGLING_CHOICES, TARGETS
from ..cli import settings_from


@click.command()
@click.argument("module", metavar="MODULE", type=click.Path(path_type=Path))
@click.option(
    "--wit",
    "wit",
    metavar="PATH",
    type=click.Path(path_type=Path),
    help="Check against a world from this WIT file or package directory instead of the one the module carries.",
)
@click.option(
    "--world",
    metavar="NAME",
    help="With --wit: `name` or `ns:pkg/name[@version]`, if the package has several worlds.",
)
@click.option(
    "--mangling",
    type=click.Choice(MANGLING_CHOICES),
    default="auto",
    show_default=True,
    help="Which core names to accept: auto = legacy and standard32 (cm32p2…), per name, like `component new`.",
)
@click.option(
    "--strict",
    is_flag=True,
    help="Also apply the BuildTargets.md rules (unknown cm32p2… exports, orphan post-returns are errors).",
)
@click.option(
    "--target",
    type=click.Choice(TARGETS),
    default="auto",
    show_default=True,
    help="component: WASI p1 imports are provided by the adapter; module: a core module build target, where "
    "they are errors; auto: component if the module imports WASI p1 functions, else module.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(("text", "json")),
    default="text",
    show_default=True,
    help="text: compiler-style diagnostics; json: one document for tools (docs/check.md).",
)
@click.option("--features", metavar="A,B", help="With --wit: enable these @unstable WIT features.")
@click.option("--all-features", is_flag=True, help="With --wit: enable every @unstable WIT feature.")
@click.pass_context
def check(
    ctx: click.Context,
    module: Path,
    wit: Path | None,
    world: str | None,
    mangling: str,
    strict: bool,
    target: str,
    fmt: str,
    features: str | None,
    all_features: bool,
) -> None:
    """Check that core module MODULE implements its WIT world: every import resolves to an item of the world
    with the right core type, every world export is exported with the right type, and memory and realloc
    are there when needed. Every problem is reported, with the expected and found signatures.

    Exit status: 0 valid (warnings allowed), 1 mismatches, 2 the input cannot be checked.

    \b
    Examples:
      wasip2ld check lib.wasm                              against the world the module carries
      wasip2ld check lib.wasm --wit wit/ --world plugin    against a world from WIT sources
      wasip2ld check lib.wasm --target module --strict     strictly, as a core module build target
      wasip2ld check lib.wasm --format json                for tools
    """
    from ..check.cmdline import run_check
    from ..errors import UsageError
    from ..toolchain.discover import discover

    if wit is None and (world or features or all_features):
        flag = "--world" if world else "--features" if features else "--all-features"
        raise UsageError(f"check: {flag} needs --wit",
                         hint="without --wit the module is checked against the world it carries")  # fmt: skip
    toolchain = discover(settings_from(ctx))
    chosen = None
    if wit is not None:
        from ..wit import load_world

        feature_list = tuple(f.strip() for f in (features or "").split(",") if f.strip())
        chosen = load_world(wit, world, feature_list, all_features, toolchain=toolchain)
    code = run_check(module, mangling=mangling, strict=strict, target=target, fmt=fmt, world=chosen, toolchain=toolchain)
    if code:
        # sys.exit, not ctx.exit: the code must reach the process even when click runs in non-standalone mode.
        sys.exit(code)
