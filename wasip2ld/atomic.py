"""Outputs: a regular file appears under its final name only when it is complete; anything else is written
the way clang and wasm-ld write it.

For a regular file (or a name that does not exist yet) a temporary file is made beside the target (same
directory, hence same filesystem) and renamed over it on success; on any failure it is removed and an
existing output stays as it was. A device (``/dev/null``, ``/dev/full``), a FIFO, a socket or ``-``
(standard output) is never replaced: the result is produced in scratch space and then written into it, so
``/dev/full`` fails with "No space left on device" and ``/dev/null`` stays a device.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
import sys
import tempfile
from pathlib import Path
from typing import Iterator

from .errors import UsageError
from .leftovers import scratch_dir, sweep, tagged

STDOUT = "-"
_TMP_SUFFIX = ".tmp"


def is_stream(target: str | os.PathLike) -> bool:
    """``-``, or an existing file that is not a regular file or a directory (device, FIFO, socket)."""
    if os.fspath(target) == STDOUT:
        return True
    try:
        mode = os.stat(target).st_mode
    except OSError:
        return False
    return not (stat.S_ISREG(mode) or stat.S_ISDIR(mode))


def check_output(target: str | os.PathLike) -> None:
    """Fail before any work when ``target`` cannot be written (see ``atomic_output``)."""
    text = os.fspath(target)
    if text == "":
        raise UsageError("the output file name is empty", hint="pass -o FILE")
    if text.endswith(os.sep) or os.path.isdir(text):
        raise UsageError(f"{text}: is a directory", hint="name an output file, not a directory")
    if is_stream(text):
        return
    directory = _directory(Path(text))
    if not os.path.isdir(directory):  # checked as written: mkstemp would normalize `missing/..` away
        raise UsageError(f"{text}: cannot write output: directory {directory} does not exist")
    try:
        fd, probe = tempfile.mkstemp(prefix=tagged(f".{Path(text).name}.wasip2ld-"), suffix=".probe", dir=directory)
    except OSError as exc:
        raise UsageError(
            f"{text}: cannot write output: directory {directory} is not writable ({exc.strerror})",
            hint="choose another output name, or fix the directory's permissions",
        ) from None
    os.close(fd)
    os.unlink(probe)


@contextlib.contextmanager
def atomic_output(target: str | os.PathLike, *, executable: bool = False) -> Iterator[Path]:
    """Yield a temporary path; when the block succeeds, its content becomes ``target``. An ``executable``
    output gets the mode a native linker gives programs (0777 less the umask)."""
    check_output(target)
    if is_stream(target):
        with _through_scratch(os.fspath(target)) as tmp:
            yield tmp
        return
    target = Path(target)
    directory = _directory(target)
    prefix = f".{target.name}.wasip2ld-"
    sweep(directory, prefix)  # temporary outputs and early-check probes
    try:
        fd, tmp = tempfile.mkstemp(prefix=tagged(prefix), suffix=_TMP_SUFFIX, dir=directory)
    except OSError as err:
        raise UsageError(f"{target}: cannot write output: {err.strerror} (in {directory})") from None
    os.close(fd)
    tmp_path = Path(tmp)
    os.chmod(tmp_path, (0o777 if executable else 0o666) & ~_umask())  # mkstemp makes 0600
    try:
        yield tmp_path
        _require_content(tmp_path, target)
        try:
            os.replace(tmp_path, target)
        except OSError as err:
            raise UsageError(f"{target}: cannot write output: {err.strerror}") from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp_path.unlink()


@contextlib.contextmanager
def _through_scratch(target: str) -> Iterator[Path]:
    with scratch_dir("out") as work:
        tmp = Path(work) / "output"
        yield tmp
        _require_content(tmp, target)
        try:
            if target == STDOUT:
                sys.stdout.flush()
                with open(tmp, "rb") as source, open(sys.stdout.fileno(), "wb", closefd=False) as sink:
                    shutil.copyfileobj(source, sink)
            else:
                with open(tmp, "rb") as source, open(target, "wb") as sink:
                    shutil.copyfileobj(source, sink)
        except BrokenPipeError:
            raise
        except OSError as err:
            where = "standard output" if target == STDOUT else target
            raise UsageError(f"{where}: cannot write output: {err.strerror}") from None


def _require_content(tmp: Path, target: str | os.PathLike) -> None:
    if not tmp.exists() or tmp.stat().st_size == 0:
        raise UsageError(f"{os.fspath(target)}: no output was produced")


def _directory(target: Path) -> Path:
    return target.parent if str(target.parent) else Path(".")


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_bytes_atomic(target: str | os.PathLike, data: bytes) -> None:
    with atomic_output(target) as tmp:
        tmp.write_bytes(data)
