"""``wasip2ld run``'s command line without click: click's import costs more than a hello component takes to
start, and ``run`` starts once per test under ctest or Meson. ``parse`` reads the options of the click
command (``wasip2ld.commands.run``) and answers None for anything else (``--help``, an unknown or
malformed option, a missing FILE, a directory), which then goes to click for its usual messages;
tests/integration/test_run_cmdline.py checks the two parse alike. ``run_command`` is the command itself,
for both."""

from __future__ import annotations

import os
import sys

# option -> (parameter, takes a value, repeatable)
OPTIONS = {
    "--dir": ("dirs", True, True),
    "--host-fs": ("host_fs", False, False),
    "--env": ("envs", True, True),
    "--inherit-env": ("inherit_env", False, False),
    "--argv0": ("argv0", True, False),
    "-v": ("verbose", False, False),
    "--verbose": ("verbose", False, False),
    "--engine": ("engine", True, False),
}
ENGINES = ("component", "core")


def parse(args: list[str]) -> dict[str, object] | None:
    """The parameters of ``run_command`` for ``wasip2ld run ARGS``, or None (let click parse it)."""
    params: dict[str, object] = {"dirs": (), "host_fs": False, "envs": (), "inherit_env": False,
                                 "argv0": None, "verbose": False, "engine": "component"}  # fmt: skip
    i = 0
    while i < len(args) and args[i].startswith("-") and args[i] != "-":
        arg = args[i]
        if arg == "--":
            i += 1
            break
        name, eq, value = arg.partition("=") if arg.startswith("--") else (arg, "", "")
        if name not in OPTIONS:
            return None
        param, takes_value, repeatable = OPTIONS[name]
        if not takes_value:
            if eq:
                return None
            params[param] = True
        else:
            if not eq:
                if i + 1 >= len(args):
                    return None
                i += 1
                value = args[i]
            if param == "engine" and value not in ENGINES:
                return None
            params[param] = (*params[param], value) if repeatable else value  # type: ignore[misc]
        i += 1
    if i >= len(args) or os.path.isdir(args[i]):
        return None
    params["file"] = args[i]
    params["args"] = tuple(args[i + 1 :])
    return params


def run_command(dirs: tuple[str, ...], host_fs: bool, envs: tuple[str, ...], inherit_env: bool,
                argv0: str | None, verbose: bool, engine: str, file: str | os.PathLike,
                args: tuple[str, ...]) -> int:  # fmt: skip
    """Run ``file``; the guest's exit code."""
    from pathlib import Path

    from . import RunSpec, host_args, host_view, parse_dir, parse_env, run_wasm

    env = dict(os.environ) if inherit_env else {}
    env.update(pair for pair in (parse_env(item) for item in envs) if pair is not None)
    preopens = (*(host_view() if host_fs else ()), *(parse_dir(d) for d in dirs))
    guest_args = host_args(args) if host_fs else tuple(args)
    spec = RunSpec(Path(file), guest_args, argv0, preopens, tuple(env.items()))
    if engine == "core":
        from .core import run_core

        return run_core(spec)
    runner = None
    if verbose:
        from ..proc import Runner

        runner = Runner(verbose=True)
    return run_wasm(spec, runner=runner)


def main(args: list[str]) -> int | None:
    """``wasip2ld run ARGS`` when ``parse`` reads them, else None."""
    params = parse(args)
    if params is None:
        return None
    from ..driver.entry import guarded

    sys.stdout.flush()
    return guarded(lambda: run_command(**params), "wasip2ld")  # type: ignore[arg-type]
