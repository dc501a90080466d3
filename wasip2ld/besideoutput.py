"""``atomic_output``'s protocol for the lean fast paths (``driver.fastlink``, ``gobuild.warm``): a result is
made under a temporary name beside its output and renamed over it when it is complete; the temporary name
carries the process id, so ``leftovers`` can sweep what a killed run left. Fast-path module: imports only
``os``."""

from __future__ import annotations

import os
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
