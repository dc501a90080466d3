"""Running sub-tools: argv lists only (never a shell), echo for ``-v``, ``--dry-run``, and children that die
with the driver (Ctrl-C, SIGTERM, or the driver being killed outright)."""
from __future__ import annotations

import ctypes
import os
import shlex
import signal
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping, Sequence

from .errors import ToolchainError, ToolFailed

_PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:  # runs in the child between fork and exec
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):
        pass


def path_arg(path: str | os.PathLike) -> str:
    """``path`` as an argument no sub-tool can take for an option (``-x``) or a response file (``@x``).

    ``Runner.run`` applies it to every ``os.PathLike`` argument, so paths are passed as ``Path`` objects,
    never as ``str(path)`` (``Path("./-o")`` is ``-o`` again once turned into a string)."""
    text = os.fspath(path)
    return f"./{text}" if text.startswith(("-", "@")) else text


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
        return run_checked(argv, tool=name, capture=capture, env=env, cwd=cwd, input=input, check=check)


def run_checked(
    argv: Sequence[str],
    *,
    tool: str,
    capture: bool = False,
    env: Mapping[str, str] | None = None,
    cwd: str | os.PathLike | None = None,
    input: bytes | None = None,
    check: bool = True,
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
            preexec_fn=_die_with_parent,
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
    with _forward_termination(proc):
        try:
            out, err = proc.communicate(input)
        except KeyboardInterrupt:
            _stop(proc)
            raise
    result = subprocess.CompletedProcess(list(argv), proc.returncode, out, err)
    if check and proc.returncode != 0:
        raise ToolFailed(tool, _exit_status(proc.returncode), _failure_text(tool, proc.returncode, err))
    return result


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
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


class _forward_termination:
    """While a child runs, SIGTERM/SIGHUP to the driver stop the child; once it is gone the driver exits too.

    The handler must not wait for the child itself: it runs inside ``Popen.wait``, which holds the lock a
    nested wait would need.
    """

    def __init__(self, proc: subprocess.Popen) -> None:
        self.proc = proc
        self.saved: dict[int, object] = {}
        self.received: int | None = None

    def __enter__(self) -> None:
        def handler(signum, frame):  # noqa: ARG001
            self.received = signum
            if self.proc.poll() is None:
                self.proc.terminate()

        for sig in (signal.SIGTERM, signal.SIGHUP):
            try:
                self.saved[sig] = signal.signal(sig, handler)
            except (ValueError, OSError):  # not the main thread
                pass

    def __exit__(self, *exc) -> None:
        for sig, old in self.saved.items():
            signal.signal(sig, old)
        if self.received is not None:
            raise SystemExit(128 + self.received)
