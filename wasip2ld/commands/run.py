"""`wasip2ld run FILE [ARGS…]`: run a component or a WASI module, the guest's exit code becoming ours."""
from __future__ import annotations

import sys
from pathlib import Path

import click


@click.command(context_settings={"ignore_unknown_options": True, "allow_interspersed_args": False})
@click.option("--dir", "dirs", multiple=True, metavar="HOST[::GUEST]",
              help="Preopen directory HOST for the guest, under GUEST (default: the same path). Repeatable.")
@click.option("--host-fs", is_flag=True,
              help="See the file system as a native program does: the working directory for relative paths and "
                   "every top-level directory under its own absolute path (ctest, Meson and binfmt use it).")
@click.option("--env", "envs", multiple=True, metavar="NAME[=VALUE]",
              help="Set NAME in the guest's environment; a bare NAME passes the host's value. Repeatable.")
@click.option("--inherit-env", is_flag=True,
              help="Give the guest the whole host environment (--env entries still override). ctest uses it.")
@click.option("--argv0", metavar="NAME", help="The guest's argv[0] (default: FILE as given).")
@click.option("-v", "--verbose", is_flag=True, help="Print the commands run to prepare FILE (componentizing).")
@click.option("--engine", type=click.Choice(["component", "core"]), default="component", show_default=True,
              help="component: wasmtime's component host. core: a module build target on wasip2ld's "
                   "Canonical ABI host over wasmtime's core API (docs/core-engines.md).")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def run(dirs: tuple[str, ...], host_fs: bool, envs: tuple[str, ...], inherit_env: bool, argv0: str | None, verbose: bool,
        engine: str, file: Path, args: tuple[str, ...]) -> None:
    """Run FILE under wasmtime with ARGS; exit with the guest's exit code.

    FILE is a WASI 0.2 component (it must export wasi:cli/run), a WASI preview 1 module (_start), or a core
    module build target (`--module`), which is componentized first (with the WASI p1 adapter only if it
    imports WASI p1). The guest gets the terminal's stdin/stdout/stderr, only the directories given with
    --dir and only the variables given with --env. Options after FILE go to the guest. A trap exits with 134.
    With --engine core a module build target runs on wasip2ld's own Canonical ABI host (no component model),
    with the same grants.

    \b
    Examples:
      wasip2ld run hello.wasm --name world
      wasip2ld run --dir . --dir /data::/in --env HOME --env LANG=C tool.wasm in/x.txt
      wasip2ld run --host-fs --inherit-env ./prog data/in.txt /tmp/out.txt
      wasip2ld run --engine core tool.module.wasm in/x.txt
    """
    from ..runner.cmdline import run_command

    # sys.exit, not ctx.exit: the code must reach the process even when click runs in non-standalone mode.
    sys.exit(run_command(dirs, host_fs, envs, inherit_env, argv0, verbose, engine, file, args))
