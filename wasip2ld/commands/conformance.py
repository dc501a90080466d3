"""`wasip2ld conformance export|run`: the WIT → core module conformance suite (docs/conformance.md)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..cli import settings_from
from ..errors import EXIT_INVALID


@click.group()
def conformance() -> None:
    """The WIT → core module conformance suite: modules with the verdict `wasm-tools component new` gives
    them, for WASI 0.2/0.3 worlds and generated ones; score any checker against it.

    \b
    Examples:
      wasip2ld conformance export suite/
      wasip2ld conformance run suite/ --checker 'wasm-tools component new {module} -o /dev/null'
      wasip2ld conformance run suite/ --checker 'mychecker --wit {wit} --world {world} {module}' --json
    """


@conformance.command("export")
@click.argument("directory", metavar="DIR", type=click.Path(path_type=Path, file_okay=False))
@click.pass_context
def export(ctx: click.Context, directory: Path) -> None:
    """Write the suite to DIR (created, or replaced if an earlier export wrote it): WIT packages, expected
    interfaces, accept/ and reject/ modules, index.json and a README that says how to score a checker.
    The same wasip2ld, wasm-tools and WASI WIT give the same bytes."""
    from ..conformance.export import export_suite
    from ..toolchain.discover import discover

    worlds, modules = export_suite(directory, discover(settings_from(ctx)))
    click.echo(f"{directory}: {modules} modules for {worlds} worlds")


@conformance.command("run")
@click.argument("directory", metavar="DIR", type=click.Path(path_type=Path, file_okay=False))
@click.option("--checker", "template", required=True, metavar="'CMD {module} {wit} {world}'",
              help="The command to judge each module (exit 0: accept). Split into words like a shell would "
              "(no shell runs it); {module}, {wit} (the WIT package directory) and {world} (the world id) "
              "are replaced in every word.")  # fmt: skip
@click.option("--json", "as_json", is_flag=True, help="One JSON document instead of the table.")
@click.option("--jobs", "-j", type=click.IntRange(1, 64), default=2, show_default=True,
              help="Checkers run at once.")  # fmt: skip
@click.option("--timeout", type=click.FloatRange(0.1, 3600), default=60.0, show_default=True,
              help="Seconds per module; a checker that takes longer rejects it.")  # fmt: skip
@click.option("--sample", type=click.IntRange(1), metavar="N",
              help="Run N cases spread evenly over the suite (every category keeps its share).")  # fmt: skip
@click.option("--category", metavar="PREFIX",
              help="Only cases whose category (or verdict/category) starts with PREFIX, e.g. `mutant/`.")  # fmt: skip
@click.option("--first", type=click.IntRange(0), default=10, show_default=True,
              help="How many disagreements to list.")  # fmt: skip
def run(directory: Path, template: str, as_json: bool, jobs: int, timeout: float, sample: int | None,
        category: str | None, first: int) -> None:  # fmt: skip
    """Run a checker over the suite in DIR and print the agreement per category, the first disagreements,
    and last `N/M agree (P %)`.

    Exit status: 0 every case agrees, 1 some disagree, 2 bad input (no suite, a checker that cannot run)."""
    from ..conformance.run import command_checker, render_json, render_text, run_suite

    report = run_suite(directory, command_checker(template), jobs=jobs, timeout=timeout, sample=sample,
                       category=category)  # fmt: skip
    sys.stdout.write(render_json(report, first) if as_json else render_text(report, first))
    if report.disagreements():
        sys.exit(EXIT_INVALID)
