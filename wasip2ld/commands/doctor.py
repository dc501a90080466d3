"""`wasip2ld doctor`: what was found, where it came from, and what is missing."""
from __future__ import annotations

import json
import os
import sys

import click

from ..cli import settings_from
from ..errors import ConfigError, ToolchainError, Wasip2ldError
from ..toolchain.discover import discover
from ..toolchain.report import as_json, as_text, pipeline_ok, report
from .binfmt import status_line as binfmt_status_line


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
    if as_json_flag:
        click.echo(_with_binfmt(as_json(tc, rows)))
    else:
        click.echo(as_text(tc, rows))
        click.echo(binfmt_status_line(os.environ.get("WASIP2LD_BINFMT_NAME", "wasip2ld")))
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


def _with_binfmt(text: str) -> str:
    """The report plus `binfmt`: whether wasm programs run directly as ./prog (informational, never an error)."""
    from ..runner import binfmt as reg

    doc = json.loads(text)
    name = os.environ.get("WASIP2LD_BINFMT_NAME", "wasip2ld")
    own = reg.entry(name) if reg.mounted() else None
    doc["binfmt"] = {"name": name, "active": reg.active(name), "interpreter": own.interpreter if own else None}
    return json.dumps(doc, indent=2)
