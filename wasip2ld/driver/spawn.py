"""Child processes for ``wasip2-clang``'s in-process link (``fastlink``).

The same rules as ``wasip2ld.proc`` (argv lists only, children die with the driver: PR_SET_PDEATHSIG, and a
SIGTERM/SIGHUP/Ctrl-C stops the child and its own children before the driver exits), without importing
``subprocess``, ``signal`` or ``dataclasses``: on this fast path those imports would cost more than
everything else Python does for a small link. ``_signal`` is the C module that ``signal`` re-exports
(``signal`` itself imports ``enum``).
"""

from __future__ import annotations

import os
import sys

import _signal

_PR_SET_PDEATHSIG = 1
_STOP_GRACE_SECONDS = 5.0


def stop_on_termination() -> None:
    """SIGTERM/SIGHUP become SystemExit(128 + signal), so a running child is stopped and scratch files are
    removed by the ``finally`` blocks on the way out."""

    def stop(signum: int, frame: object) -> None:
        raise SystemExit(128 + signum)

    for sig in (_signal.SIGTERM, _signal.SIGHUP):
        _signal.signal(sig, stop)


class TimedOut(Exception):
    """The child ran longer than its ``timeout`` and was stopped."""


def run(
    argv: list[str],
    *,
    env: dict[str, str] | None = None,
    capture_stderr: bool = False,
    timeout: float | None = None,
    memory: int | None = None,
) -> tuple[int, bytes]:
    """Run ``argv`` to completion: (return code as ``subprocess`` reports it, -N for signal N; the captured
    standard error, or b""). Raises OSError when the program cannot be started, TimedOut (after stopping
    it) when it runs longer than ``timeout`` seconds."""
    prctl = _libc_prctl()
    sys.stdout.flush()
    sys.stderr.flush()
    exec_r, exec_w = os.pipe()  # close-on-exec: stays empty when the exec succeeds
    err_r, err_w = os.pipe() if capture_stderr else (-1, -1)
    parent = os.getpid()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        _exec_child(argv, env, parent, prctl, exec_w, err_w, memory)
    os.close(exec_w)
    if capture_stderr:
        os.close(err_w)
    try:
        with _alarm(timeout):
            failure = _read_all(exec_r)
            stderr = _read_all(err_r) if capture_stderr else b""
            status = os.waitpid(pid, 0)[1]
    except BaseException:  # Ctrl-C, SIGTERM/SIGHUP through stop_on_termination, or the time limit
        _stop(pid)
        raise
    finally:
        os.close(exec_r)
        if capture_stderr:
            os.close(err_r)
    if failure:
        errno = int(failure)
        raise OSError(errno, os.strerror(errno), argv[0])
    return os.waitstatus_to_exitcode(status), stderr


def _libc_prctl():
    """libc's ``prctl``, called through ``_ctypes`` (the C module under ``ctypes``): importing ``ctypes``
    itself costs more than a millisecond per link, for one function pointer."""
    try:
        import _ctypes

        class _CInt(_ctypes._SimpleCData):
            _type_ = "i"

        class _Function(_ctypes.CFuncPtr):
            _flags_ = _ctypes.FUNCFLAG_CDECL | _ctypes.FUNCFLAG_USE_ERRNO
            _restype_ = _CInt

        class _Libc:
            _handle = _ctypes.dlopen(None, os.RTLD_NOW)

        return _Function(("prctl", _Libc))
    except (ImportError, AttributeError, TypeError, OSError):  # another Python: the documented way
        import ctypes

        return ctypes.CDLL(None, use_errno=True).prctl


class _alarm:
    """SIGALRM after ``seconds`` raises TimedOut in the waiting driver (None: no limit)."""

    def __init__(self, seconds: float | None) -> None:
        self.seconds = seconds

    def __enter__(self) -> None:
        if self.seconds:

            def expired(signum: int, frame: object) -> None:
                raise TimedOut

            self.saved = _signal.signal(_signal.SIGALRM, expired)
            _signal.setitimer(_signal.ITIMER_REAL, self.seconds)

    def __exit__(self, *exc: object) -> None:
        if self.seconds:
            _signal.setitimer(_signal.ITIMER_REAL, 0)
            _signal.signal(_signal.SIGALRM, self.saved)


def _exec_child(
    argv: list[str], env: dict[str, str] | None, parent: int, prctl, exec_w: int, err_w: int, memory: int | None
) -> None:
    try:
        prctl(_PR_SET_PDEATHSIG, _signal.SIGTERM)
        if os.getppid() != parent:  # the driver died before the request took effect
            os._exit(128 + _signal.SIGTERM)
        for sig in (_signal.SIGPIPE, _signal.SIGXFSZ):  # Python ignores these; programs expect defaults
            _signal.signal(sig, _signal.SIG_DFL)
        if err_w >= 0:
            os.dup2(err_w, 2)
        if memory is not None:
            from ..subtools import apply_memory_limit

            apply_memory_limit(memory)
        os.execvpe(argv[0], argv, os.environ if env is None else env)
    except OSError as exc:
        os.write(exec_w, str(exc.errno or 0).encode())
    finally:
        os._exit(127)


def _read_all(fd: int) -> bytes:
    chunks = []
    while chunk := os.read(fd, 65536):
        chunks.append(chunk)
    return b"".join(chunks)


def _stop(pid: int) -> None:
    """SIGTERM to the child and everything it started (clang does not stop its wasm-ld), then SIGKILL
    after a grace period; the child is always reaped."""
    import time

    for descendant in _descendants(pid):
        try:
            os.kill(descendant, _signal.SIGTERM)
        except OSError:
            pass
    try:
        os.kill(pid, _signal.SIGTERM)
        deadline = time.monotonic() + _STOP_GRACE_SECONDS
        while os.waitpid(pid, os.WNOHANG) == (0, 0):
            if time.monotonic() > deadline:
                os.kill(pid, _signal.SIGKILL)
                os.waitpid(pid, 0)
                return
            time.sleep(0.01)
    except (ProcessLookupError, ChildProcessError):  # already reaped
        return


def _descendants(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", "rb") as f:
                    parent = int(f.read().rsplit(b")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            children.setdefault(parent, []).append(int(entry))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), ()):
            found.append(child)
            todo.append(child)
    return found
