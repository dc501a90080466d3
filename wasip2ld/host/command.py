"""Run a `wasi:cli/command` module target: instantiate it with WASI 0.2 and call `wasi:cli/run` `run`."""

from __future__ import annotations

import os
from typing import Any

from .errors import LinkError
from .instance import instantiate
from .values import Ok
from .wasi import Exit, Wasi


def run_command(module: str | os.PathLike | bytes, wasi: Wasi, *, wit: str | os.PathLike | None = None,
                world: str | None = None, store: Any | None = None) -> int:
    """The guest's exit code: 0/1 for `run`'s ok/err, the code given to `exit`. A trap raises ``Trap``.
    ``wit``/``world`` as for ``instantiate`` (default: the world in the module)."""
    try:
        inst = instantiate(module, wasi=wasi, wit=wit, world=world, store=store)
    except Exit as done:  # a start function that exits
        return done.code
    run = next((funcs.get("run") for key, funcs in inst.exports.items()
                if key.startswith("wasi:cli/run@0.2.") and isinstance(funcs, dict)), None)
    where = module if isinstance(module, (str, os.PathLike)) else "module"
    if run is None:
        raise LinkError(f"{where}: the module does not export `wasi:cli/run`: it is not a command",
                        hint="build the program with a `main` (a command), not as a library or reactor")
    try:
        return 0 if isinstance(run(), Ok) else 1
    except Exit as done:
        return done.code
