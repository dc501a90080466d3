"""`wasip2ld binfmt install|uninstall|status`: run built wasm programs as `./prog`, like native ones."""
from __future__ import annotations

import json
import sys
from dataclasses import asdict

import click

_NAME = click.option("--name", envvar="WASIP2LD_BINFMT_NAME", default="wasip2ld", show_default=True, metavar="NAME",
                     help="The binfmt_misc entry name (env WASIP2LD_BINFMT_NAME); a private name leaves the "
                          "`wasip2ld` entry, which the build-system integrations look at, untouched.")


@click.group()
def binfmt() -> None:
    """Let the kernel run wasm programs as `./prog` through `wasip2ld run` (binfmt_misc, needs root).

    Once installed, a component or WASI module built by wasip2ld runs when executed directly: from a shell,
    from ctest tests registered by path, from scripts behind `make check` or Meson tests. The program sees
    the working directory and absolute paths as a native one (`wasip2ld run --host-fs`), the whole
    environment and its own argv[0]. With it, the CMake and Make integrations drop the `.wasm` suffix.

    \b
    Examples:
      sudo wasip2ld binfmt install && ./hello
      wasip2ld binfmt status
      sudo wasip2ld binfmt uninstall
    """


@binfmt.command()
@_NAME
def install(name: str) -> None:
    """Register wasip2ld-exec for files starting with the wasm magic (mounts binfmt_misc if needed)."""
    from ..buildsys.tools import console_script
    from ..runner import binfmt as reg

    entry = reg.install(console_script("wasip2ld-exec"), name)
    click.echo(f"registered {reg.BINFMT_DIR / entry.name}: wasm programs run through {entry.interpreter}")


@binfmt.command()
@_NAME
def uninstall(name: str) -> None:
    """Remove the registration (nothing to do when there is none)."""
    from ..runner import binfmt as reg

    removed = reg.uninstall(name)
    click.echo(f"removed {reg.BINFMT_DIR / name}" if removed else f"{reg.BINFMT_DIR / name} was not registered")


@binfmt.command()
@_NAME
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def status(name: str, as_json: bool) -> None:
    """Show whether entry NAME runs wasm programs directly; exits 1 when it does not. The CMake and Make
    integrations ask this when they choose the executable suffix (none with binfmt, `.wasm` without)."""
    from ..runner import binfmt as reg

    if as_json:
        own = reg.entry(name) if reg.mounted() else None
        click.echo(json.dumps({"mounted": reg.mounted(), "entry": asdict(own) if own else None,
                               "wasm_entries": [asdict(e) for e in reg.wasm_entries()]}, indent=2))
    else:
        click.echo(status_line(name))
    sys.exit(0 if reg.active(name) else 1)


def status_line(name: str) -> str:
    """One line for `binfmt status` and `doctor`."""
    from ..runner import binfmt as reg

    hint = "wasm programs need `wasip2ld run` (to run them as ./prog: sudo wasip2ld binfmt install)"
    if not reg.mounted():
        return f"binfmt: not mounted at {reg.BINFMT_DIR}: {hint}"
    if reg.active(name):
        own = reg.entry(name)
        assert own is not None
        return f"binfmt: ok, wasm programs run directly ({own.name} -> {own.interpreter})"
    others = ", ".join(f"{e.name} -> {e.interpreter}" for e in reg.wasm_entries())
    return f"binfmt: no `{name}` entry{f' (other wasm entries: {others})' if others else ''}: {hint}"
