"""`wasip2ld toolchain …`: provision, list and locate toolchain parts."""
from __future__ import annotations

import click

from ..cli import settings_from


@click.group()
def toolchain() -> None:
    """Install, list and locate the parts of the wasip2 toolchain."""


@toolchain.command()
@click.option("--system", is_flag=True,
              help="Also apt-get install clang-N, lld-N, libclang-rt-N-dev-wasm32 and llvm-N (newest N; needs root).")
@click.option("--dry-run", is_flag=True, help="Print the commands without running them.")
@click.option("-v", "--verbose", is_flag=True, help="Print every command run.")
@click.option("--suite", default=None, metavar="SUITE",
              help="Install the wasi-libc of this Debian suite beside the default one, in wasi-libc-SUITE "
                   "(default: the newest wasi-libc whose wasm32-wasip2 libc imports no WASI p1).")
@click.option("--jco-version", default=None, metavar="VERSION", help="npm @bytecodealliance/jco version for the adapters.")
@click.pass_context
def install(ctx: click.Context, system: bool, dry_run: bool, verbose: bool, suite: str | None,
            jco_version: str | None) -> None:
    """Provision a working wasip2 toolchain on a Debian/Ubuntu machine.

    Without root it installs, into the wasip2ld data directory, the wasm32-wasip1/-wasip2 sysroots from
    Debian's wasi-libc package (the newest one free of WASI p1 imports; an older install is upgraded) and the WASI preview 1 adapters (and WASI WIT) from npm's
    @bytecodealliance/jco. With --system it also installs clang, wasm-ld and compiler-rt with apt-get.
    Running it again does nothing when everything is there. Either way it leaves the toolchain's
    resolution in the cache directory, for the next compile or check.
    """
    from ..proc import Runner
    from ..toolchain.provision import JCO_VERSION, Provisioner

    settings = settings_from(ctx)
    runner = Runner(verbose=verbose, dry_run=dry_run)
    prov = Provisioner(settings.data_dir, runner, lambda line: click.echo(line, err=True),
                       suite=suite, jco_version=jco_version or JCO_VERSION)
    prov.install(system)
    if not dry_run:
        _remember_resolution()


def _remember_resolution() -> None:
    """Resolve the installed toolchain into the compiler driver's cache (``driver/fastcache.py``), so that the
    first compile or `wasip2ld check` after an install does not discover it. Best effort: without clang
    there is nothing to cache, and the install itself is still complete."""
    from ..driver.fastcache import resolve
    from ..errors import Wasip2ldError

    try:
        resolve()
    except Wasip2ldError:
        pass


@toolchain.command("list")
def list_() -> None:
    """List the toolchain families wasip2ld knows (toolchains/*.toml)."""
    from ..toolchain.descriptors import load_all

    for desc in load_all():
        click.echo(f"{desc.name:18} {desc.kind:10} {desc.summary}")


@toolchain.command()
@click.argument("part")
@click.option("--suite", default=None, metavar="SUITE",
              help="For sysroot-wasip1/-wasip2: the sysroot installed beside the default one with "
                   "`toolchain install --suite SUITE`.")
@click.pass_context
def path(ctx: click.Context, part: str, suite: str | None) -> None:
    """Print the path of PART (clang, wasm-ld, llvm-ar, sysroot-wasip2, adapter-command, …)."""
    from ..errors import ToolchainError, UsageError
    from ..toolchain.descriptors import PARTS
    from ..toolchain.discover import discover

    if part not in PARTS:
        raise UsageError(f"unknown part `{part}` (known: {', '.join(PARTS)})")
    settings = settings_from(ctx)
    if suite is None:
        click.echo(discover(settings).path(part))
        return
    if not part.startswith("sysroot-"):
        raise UsageError(f"--suite applies to sysroot-wasip1 and sysroot-wasip2, not to {part}")
    usr = settings.data_dir / f"wasi-libc-{suite}" / "usr"
    if not (usr / "lib" / f"wasm32-{part.removeprefix('sysroot-')}" / "libc.a").exists():
        raise ToolchainError(f"no {part} from Debian {suite} in {settings.data_dir}",
                             hint=f"install it: wasip2ld toolchain install --suite {suite}")
    click.echo(usr)


@toolchain.command("compile-flags")
@click.option("--c++", "cxx", is_flag=True, help="For C++ (what wasip2-clang++ runs).")
@click.option("--cmake", is_flag=True,
              help="Print the CMake compile rules instead (read by integration/cmake/wasip2.cmake).")
@click.option("--c-flags", default="", metavar="FLAGS", help="With --cmake: the C flags known when configuring.")
@click.option("--cxx-flags", default="", metavar="FLAGS",
              help="With --cmake: the C++ flags known when configuring.")
def compile_flags(cxx: bool, cmake: bool, c_flags: str, cxx_flags: str) -> None:
    """Print the clang command wasip2-clang runs to compile: clang, --target, --sysroot and the defaults it
    adds (setjmp/longjmp, libc++). Append your own arguments, and the object is the one wasip2-clang makes.

    \b
    Examples:
      $(wasip2ld toolchain compile-flags) -O2 -c prog.c -o prog.o
      wasip2ld toolchain compile-flags --c++
    """
    import shlex

    from ..buildsys.direct_compile import cmake_script, direct_compiles

    compiles = direct_compiles()
    if cmake:
        click.echo(cmake_script(compiles, c_flags, cxx_flags), nl=False)
        return
    command = compiles.cxx if cxx else compiles.c
    click.echo(shlex.join([*command.prefix, *command.suffix]))
