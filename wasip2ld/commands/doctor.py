"""`wasip2ld doctor`: what was found, where it came from, and what is missing."""
from __future__ import annotations

import sys

import click

from ..cli import settings_from
from ..errors import ConfigError, ToolchainError, Wasip2ldError
from ..toolchain.discover import discover
from ..toolchain.report import as_json, as_text, pipeline_ok, report


@click.command()
@click.option("--json", "as_json_flag", is_flag=True, help="Machine-readable output (stable keys, see docs/doctor.md).")
@click.pass_context
def doctor(ctx: click.Context, as_json_flag: bool) -> None:
    """Report every toolchain part (clang, wasm-ld, compiler-rt, sysroots, wasm-tools, adapters, go,
    wasmtime): path, version and where it came from.

    Exits 1, naming the missing parts and the commands that install them, when the default wasip2 C pipeline
    cannot run, or when a wasip2ld.toml is broken (the report then shows what would be found without it).
    """
    config_problem: Wasip2ldError | None = None
    try:
        tc = discover(settings_from(ctx))
    except (ConfigError, ToolchainError) as err:
        tc = discover(settings_from(ctx, read_files=False))  # a flag or variable at fault fails again: exit 2
        config_problem = err
    rows = report(tc)
    click.echo(as_json(tc, rows) if as_json_flag else as_text(tc, rows))
    if config_problem is not None:
        click.echo(f"wasip2ld: error: config: {config_problem.message}", err=True)
        click.echo(f"wasip2ld: hint: {config_problem.hint or 'fix the file or remove it'}; the report above "
                   "ignores config files", err=True)
    if not pipeline_ok(rows):
        if not as_json_flag:
            missing = [r for r in rows if r.required and not r.found]
            for r in missing:
                click.echo(f"wasip2ld: error: {r.name} is missing; to fix: {r.install}", err=True)
        sys.exit(1)
    if config_problem is not None:
        sys.exit(1)
