"""Running sub-tools: argv lists only (never a shell), echo for ``-v``, ``--dry-run``, and children that die
with the driver (Ctrl-C, SIGTERM, or the driver being killed outright)."""
from __future__ import annotations

import contextlib
import ctypes
import os
import shlex
import signal
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator, Mapping, Sequence

from .errors import ToolchainError, ToolFailed
from .subtools import apply_memory_limit, memory_limit, out_of_memory, path_arg, time_limit, timed_out

_PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:  # runs in the child between fork and exec
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):
        pass


def _limited_child(memory: int) -> None:  # runs in the child between fork and exec
    _die_with_parent()
    apply_memory_limit(memory)


def start(argv: Sequence[str], *, tool: str, stdout: object = None, stderr: object = None) -> subprocess.Popen:
    """Start ``argv`` without waiting for it (for callers that run several children at once and stop them
    themselves): the child dies with the driver; a program that cannot be run is a ``ToolchainError``."""
    try:
        return subprocess.Popen(list(argv), stdin=subprocess.DEVNULL, stdout=stdout, stderr=stderr,
                                preexec_fn=_die_with_parent)  # fmt: skip
    except FileNotFoundError:
        raise ToolchainError(f"{tool}: cannot run {argv[0]}: no such file") from None
    except PermissionError:
        raise ToolchainError(f"{tool}: cannot run {argv[0]}: permission denied") from None
    except OSError as exc:  # ENOEXEC (a script without #!), ENOTDIR, ELOOP, E2BIG, …
        raise ToolchainError(f"{tool}: cannot run {argv[0]}: {exc.strerror}") from None


def stop(proc: subprocess.Popen) -> None:
    """Terminate a child ``start`` gave (kill it if it does not go within 5 s) and reap it."""
    _stop(proc)


@dataclass
class Runner:
    """How sub-commands are run for one wasip2ld invocation."""

    verbose: bool = False
    dry_run: bool = False
    echo_to: object = field(default=None)  # a text stream; stderr by default

    def show(self, argv: Sequence[str], env: Mapping[str, str] | None = None) -> None:
        prefix = ""
        if env:
            prefix = " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items()) + " "
        print(prefix + shlex.join(str(a) for a in argv), file=self.echo_to or sys.stderr, flush=True)

    def run(
        self,
        argv: Sequence[str | os.PathLike],
        *,
        tool: str | None = None,
        capture: bool = False,
        env: Mapping[str, str] | None = None,
        cwd: str | os.PathLike | None = None,
        input: bytes | None = None,
        check: bool = True,
        show_env: Mapping[str, str] | None = None,
    ) -> subprocess.CompletedProcess:
        """Run ``argv``; raise ToolFailed (with the tool's stderr when captured) if it fails and ``check``."""
        argv = [path_arg(a) if isinstance(a, os.PathLike) else a for a in argv]
        name = tool or Path(argv[0]).name
        if self.verbose or self.dry_run:
            self.show(argv, show_env)
        if self.dry_run:
            return subprocess.CompletedProcess(argv, 0, b"", b"")
        return run_checked(argv, tool=name, capture=capture, env=env, cwd=cwd, input=input, check=check,
                           timeout=time_limit(name), memory=memory_limit(name))


def run_checked(
    argv: Sequence[str],
    *,
    tool: str,
    capture: bool = False,
    env: Mapping[str, str] | None = None,
    cwd: str | os.PathLike | None = None,
    input: bytes | None = None,
    check: bool = True,
    timeout: float | None = None,
    memory: int | None = None,
) -> subprocess.CompletedProcess:
    full_env = None
    if env is not None:
        full_env = dict(os.environ)
        full_env.update(env)
    try:
        proc = subprocess.Popen(
            list(argv),
            stdin=subprocess.PIPE if input is not None else None,
            stdout=subprocess.PIPE if capture else None,
            stderr=subprocess.PIPE if capture else None,
            env=full_env,
            cwd=cwd,
            preexec_fn=_die_with_parent if memory is None else lambda: _limited_child(memory),
        )
    except FileNotFoundError:
        raise ToolchainError(
            f"{tool}: cannot run {argv[0]}: no such file",
            hint="run `wasip2ld doctor` to see which part is missing and how to install it",
        ) from None
    except PermissionError:
        raise ToolchainError(f"{tool}: cannot run {argv[0]}: permission denied") from None
    except OSError as exc:  # ENOEXEC (a script without #!), ENOTDIR, ELOOP, E2BIG, …
        raise ToolchainError(
            f"{tool}: cannot run {argv[0]}: {exc.strerror}",
            hint="run `wasip2ld doctor` to check the part, or point wasip2ld at a working one",
        ) from None
    try:
        with _forward_termination():
            out, err = proc.communicate(input, timeout=timeout)
    except subprocess.TimeoutExpired:
        _stop(proc)
        assert timeout is not None
        raise timed_out(tool, timeout, list(argv)) from None
    except BaseException:  # Ctrl-C, SIGTERM/SIGHUP (SystemExit), anything else: the child goes first
        _stop(proc)
        raise
    starved = out_of_memory(tool, proc.returncode, err) if memory is not None else None
    if starved is not None:
        raise starved
    result = subprocess.CompletedProcess(list(argv), proc.returncode, out, err)
    if check and proc.returncode != 0:
        raise tool_failure(tool, proc.returncode, err)
    return result


def tool_failure(tool: str, returncode: int, stderr: bytes | None) -> ToolFailed:
    """The error for ``tool`` exiting with ``returncode`` (as ``subprocess`` reports it)."""
    return ToolFailed(tool, _exit_status(returncode), _failure_text(tool, returncode, stderr))


def _exit_status(returncode: int) -> int:
    return 128 - returncode if returncode < 0 else returncode


def _failure_text(tool: str, returncode: int, stderr: bytes | None) -> str:
    if returncode < 0:
        try:
            signame = signal.Signals(-returncode).name
        except ValueError:
            signame = f"signal {-returncode}"
        return f"{tool} was killed by {signame}"
    text = (stderr or b"").decode("utf-8", "replace").strip()
    if text:
        lines = [line for line in text.splitlines() if line.strip()]
        return f"{tool} failed (exit code {returncode}): " + "\n".join(lines)
    return f"{tool} failed with exit code {returncode}"


def _stop(proc: subprocess.Popen) -> None:
    """Terminate the child (kill it if it lingers) and reap it. SIGTERM/SIGHUP/SIGINT are held back
    meanwhile, so a second signal cannot cut this short."""
    with _deferred_signals():
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        for stream in (proc.stdin, proc.stdout, proc.stderr):
            if stream is not None:
                with contextlib.suppress(OSError):
                    stream.close()


@contextlib.contextmanager
def _deferred_signals() -> Iterator[None]:
    signals = {signal.SIGTERM, signal.SIGHUP, signal.SIGINT}
    try:
        old = signal.pthread_sigmask(signal.SIG_BLOCK, signals)
    except (ValueError, OSError):
        yield
        return
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


class _forward_termination:
    """While a child runs, SIGTERM/SIGHUP (SystemExit(128 + signal)) and SIGINT (KeyboardInterrupt) end the
    wait; the caller then stops the child. Raising, rather than only signalling the child, matters when the
    child's own children keep its output pipes open: waiting for end-of-file would never end. After the
    first signal the others are ignored, so a second Ctrl-C or SIGTERM cannot cut the cleanup short."""

    SIGNALS = (signal.SIGTERM, signal.SIGHUP, signal.SIGINT)

    def __init__(self) -> None:
        self.saved: dict[int, object] = {}
        self.received = False

    def __enter__(self) -> None:
        def handler(signum: int, frame: object) -> None:
            self.received = True
            for sig in self.saved:
                signal.signal(sig, signal.SIG_IGN)
            if signum == signal.SIGINT:
                raise KeyboardInterrupt
            raise SystemExit(128 + signum)

        for sig in self.SIGNALS:
            try:
                if signal.getsignal(sig) is not signal.SIG_IGN:  # `nohup`, background jobs: left as they are
                    self.saved[sig] = signal.signal(sig, handler)
            except (ValueError, OSError):  # not the main thread
                pass

    def __exit__(self, *exc: object) -> None:
        if self.received:  # the process is on its way out: it stays deaf to further signals
            return
        for sig, old in self.saved.items():
            signal.signal(sig, old)
