"""The ``wasip2ld`` command: a click group that dispatches to ``wasip2ld.commands.*`` (imported lazily) and the
one place where errors become messages and exit codes."""
from __future__ import annotations

import os
import sys

import click

from . import __version__
from .errors import EXIT_USAGE, RECURSION_LIMIT, Wasip2ldError, from_resource_error

# name -> "module:attribute"; modules are imported only when their command runs.
COMMANDS = {
    "doctor": "wasip2ld.commands.doctor:doctor",
    "toolchain": "wasip2ld.commands.toolchain:toolchain",
    "sig": "wasip2ld.commands.sig:sig",
    "bindgen": "wasip2ld.commands.bindgen:bindgen",
    "check": "wasip2ld.commands.check:check",
    "conformance": "wasip2ld.commands.conformance:conformance",
    "cc": "wasip2ld.commands.cc:cc",
    "c++": "wasip2ld.commands.cc:cxx",
    "ld": "wasip2ld.commands.ld:ld",
    "go": "wasip2ld.commands.go:go",
    "run": "wasip2ld.commands.run:run",
    "binfmt": "wasip2ld.commands.binfmt:binfmt",
    "cmake": "wasip2ld.commands.buildsys:cmake",
    "make": "wasip2ld.commands.buildsys:make",
    "meson-cross": "wasip2ld.commands.buildsys:meson_cross",
}


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(name for name in COMMANDS if _importable(COMMANDS[name]))

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        target = COMMANDS.get(name)
        if target is None:
            return None
        module_name, attr = target.split(":")
        import importlib

        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name == module_name:
                return None
            raise
        return getattr(module, attr)


def _importable(target: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(target.split(":")[0]) is not None


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="wasip2ld")
@click.option("--toolchain", "toolchain", metavar="NAME", help="Use this C toolchain family (see `wasip2ld doctor`).")
@click.option("--wasi-sdk", "wasi_sdk", metavar="DIR", type=click.Path(file_okay=False), help="Root of a wasi-sdk install.")
@click.option(
    "--tool",
    "tools",
    metavar="PART=PATH",
    multiple=True,
    help="Use PATH for one part (clang, wasm-ld, wasm-tools, sysroot-wasip2, adapter-command, …). Repeatable.",
)
@click.option("--traceback", is_flag=True,
              help="On an internal error, show the full Python traceback (also WASIP2LD_BACKTRACE=1).")
@click.pass_context
def cli(ctx: click.Context, toolchain: str | None, wasi_sdk: str | None, tools: tuple[str, ...], traceback: bool) -> None:
    """wasip2ld: build C/C++ and Go for wasm32-wasip2, as a component (default) or as a core module that
    carries its WIT world (--module), and check the result against the world.

    \b
    Everyday entry points:
      wasip2-clang hello.c -o hello.wasm        a WASI 0.2 component
      wasip2-clang --module … -o lib.wasm       a core module build target
      wasip2ld check lib.wasm                   validate a module against its world
      wasip2ld doctor                           what was found, and what is missing
    """
    overrides = {}
    for item in tools:
        part, sep, path = item.partition("=")
        if not sep or not part or not path:
            raise click.BadParameter(f"expected PART=PATH, got `{item}`", param_hint="--tool")
        overrides[part] = path
    ctx.obj = {"toolchain": toolchain, "roots": {"wasi-sdk": wasi_sdk} if wasi_sdk else {}, "tools": overrides}


def settings_from(ctx: click.Context, *, read_files: bool = True):
    """The Settings for this invocation (flags from the group plus environment and config files)."""
    from .config import load_settings

    obj = ctx.find_root().obj or {}
    return load_settings(toolchain=obj.get("toolchain"), roots=obj.get("roots"), tools=obj.get("tools"),
                         read_files=read_files)


def render_error(err: Wasip2ldError, prog: str = "wasip2ld") -> None:
    from .oneline import one_line

    click.echo(f"{prog}: error: {one_line(err.message)}", err=True)
    if err.hint:
        click.echo(f"{prog}: hint: {one_line(err.hint)}", err=True)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    show_traceback = "--traceback" in argv or bool(os.environ.get("WASIP2LD_BACKTRACE"))
    sys.setrecursionlimit(max(sys.getrecursionlimit(), RECURSION_LIMIT))
    if _is_bare_compiler_invocation(argv):
        from .driver.entry import bare_main

        return bare_main(argv)
    try:
        cli.main(args=argv, prog_name="wasip2ld", standalone_mode=False)
        return 0
    except Wasip2ldError as err:
        if show_traceback:
            raise
        render_error(err)
        return err.exit_code
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.UsageError as exc:
        command = exc.ctx.command_path if exc.ctx else "wasip2ld"
        message = exc.format_message().rstrip(".")
        click.echo(f"wasip2ld: error: {message[0].lower()}{message[1:]} (see `{command} --help`)", err=True)
        return EXIT_USAGE
    except click.ClickException as exc:
        click.echo(f"wasip2ld: error: {exc.format_message()}", err=True)
        return exc.exit_code
    except click.exceptions.Abort:
        click.echo("wasip2ld: interrupted", err=True)
        return 130
    except KeyboardInterrupt:
        click.echo("wasip2ld: interrupted", err=True)
        return 130
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1
    except Exception as exc:
        if show_traceback:
            raise
        resource = from_resource_error(exc)
        if resource is not None:
            render_error(resource)
            return resource.exit_code
        import traceback

        click.echo("wasip2ld: internal error (this is a bug in wasip2ld; please report it):", err=True)
        click.echo("".join(traceback.format_exc().splitlines(keepends=True)[-3:]).rstrip(), err=True)
        click.echo("wasip2ld: rerun with --traceback or WASIP2LD_BACKTRACE=1 for the full trace", err=True)
        return EXIT_USAGE


def _is_bare_compiler_invocation(argv: list[str]) -> bool:
    """`wasip2ld [--wasip2] [--module] foo.c -o foo.wasm`: no subcommand, compiler-style arguments."""
    if not argv:
        return False
    first = argv[0]
    if first in COMMANDS or first in ("-h", "--help", "-V", "--version"):
        return False
    if first in ("--toolchain", "--wasi-sdk", "--tool", "--traceback") or first.startswith(("--toolchain=", "--wasi-sdk=", "--tool=")):
        return False
    return first.startswith("-") or os.path.splitext(first)[1] in _SOURCE_SUFFIXES or first.startswith("@")


_SOURCE_SUFFIXES = {".c", ".cc", ".cpp", ".cxx", ".c++", ".C", ".o", ".a", ".s", ".S", ".i", ".ii", ".m", ".wasm", ".obj"}


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
