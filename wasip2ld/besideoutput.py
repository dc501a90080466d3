"""``atomic_output``'s protocol for the lean fast paths (``driver.fastlink``, ``driver.fastld``,
``gobuild.warm``): a result is made under a temporary name beside its output and renamed over it when it
is complete; the temporary name carries the process id, so ``leftovers`` can sweep what a killed run left.
Which outputs the fast paths write that way (``plain_output``), and the sweep, are here too. Fast-path module: imports only
``os``."""

from __future__ import annotations

import os

TYPE_CHECKING = False
if TYPE_CHECKING:  # not `collections.abc` at run time: its import costs more than a link's own Python work
    from collections.abc import Callable


def into_output(output: str, build: Callable[[str], bool]) -> bool:
    """``build(tmp)`` into a temporary file beside ``output``, renamed over it when it returns True and the
    file is not empty; False (``output`` untouched) otherwise, or when the temporary file cannot be made."""
    directory = os.path.dirname(output) or "."
    tmp = os.path.join(directory, f".{os.path.basename(output)}.wasip2ld-{os.getpid()}-{os.urandom(4).hex()}.tmp")
    try:
        os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o777))  # a program's mode, as natively
    except OSError:
        return False
    try:
        if not build(tmp) or os.path.getsize(tmp) == 0:
            return False
        os.replace(tmp, output)
        return True
    finally:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass


def plain_output(output: str) -> bool:
    """A regular file (or none yet) in an existing, writable directory. Anything else (``-``: standard
    output, a device, a directory, a missing or read-only directory) is left to the full command, which
    writes it its own way or reports the problem."""
    if not output or output == "-" or output.endswith("/"):
        return False
    directory = os.path.dirname(output) or "."
    try:
        if not os.path.isdir(directory) or not os.access(directory, os.W_OK | os.X_OK):
            return False
        mode = os.stat(output).st_mode
    except FileNotFoundError:
        return True
    except OSError:
        return False
    return mode & 0o170000 == 0o100000


def sweep_beside(output: str) -> None:
    """The temporary files killed runs left beside ``output`` (``wasip2ld.leftovers``); the sweeping module is
    imported only when there is a candidate."""
    directory = os.path.dirname(output) or "."
    prefix = f".{os.path.basename(output)}.wasip2ld-"
    try:
        found = any(name.startswith(prefix) for name in os.listdir(directory))
    except OSError:
        return
    if found:
        from .leftovers import sweep

        sweep(directory, prefix)
