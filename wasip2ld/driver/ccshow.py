"""The compiler-driver cases that keep Python between the user and clang:

* ``--dry-run``: clang's plan (``-###``) plus wasip2ld's linker plan, printed, nothing run;
* ``-###`` on a link: clang's own output, then the linker's sub-commands in the same quoted style;
* own flags that were inside ``@file``s: the expanded command line (through a fresh response file when long).
"""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

from ..leftovers import scratch_dir
from ..proc import Runner
from . import rspfile
from .cc import ClangInvocation


class ClangStyleRunner(Runner):
    """Echoes commands the way ``clang -###`` does: every argument double-quoted on one indented line."""

    def show(self, argv, env=None) -> None:
        words = " ".join('"' + str(a).replace("\\", "\\\\").replace('"', '\\"') + '"' for a in argv)
        print(" " + words, file=self.echo_to or sys.stderr, flush=True)


def run_in_python(invocation: ClangInvocation) -> int:
    if invocation.line.own.get("dry-run"):
        return _plan(invocation, clang_style=False)
    if invocation.line.print_only:
        return _plan(invocation, clang_style=True)
    return _run_expanded(invocation)


def _plan(invocation: ClangInvocation, *, clang_style: bool) -> int:
    argv = invocation.argv if "-###" in invocation.argv else [*invocation.argv, "-###"]
    result = Runner().run(argv, tool="clang", capture=True, check=False, env=invocation.env)
    text = (result.stderr or b"").decode("utf-8", "replace")
    commands = [rspfile.tokenize(line) for line in text.splitlines() if line.startswith(' "')]
    if clang_style:
        sys.stderr.write(text)
    else:
        for line in text.splitlines():
            if not line.startswith(' "') and not _is_banner(line):
                print(line, file=sys.stderr)  # clang's errors and warnings
        for command in commands:
            if command and command[0] != invocation.our_ld:
                Runner(dry_run=True).show(command)
    sys.stderr.flush()
    if result.returncode != 0:
        return result.returncode
    for command in commands:
        if command and command[0] == invocation.our_ld:
            from .ld import main as ld_main

            if not clang_style:
                print(f"# {shlex.join(command)}", file=sys.stderr)
            runner = ClangStyleRunner(dry_run=True) if clang_style else Runner(dry_run=True)
            return ld_main([*command[1:], "--dry-run"], runner=runner)
    return 0


def _is_banner(line: str) -> bool:
    return line.startswith(
        (
            "clang version",
            "Debian clang",
            "Ubuntu clang",
            "Target:",
            "Thread model:",
            "InstalledDir:",
            "Build config:",
            "Configuration file:",
            "Selected ",
            "Candidate ",
        )
    )


def _run_expanded(invocation: ClangInvocation) -> int:
    """Own flags came out of response files, so clang gets the expanded line (via a new @file if long)."""
    argv = invocation.argv
    with scratch_dir("cc") as work:
        if rspfile.command_line_length(argv) > rspfile.LONG_COMMAND_LINE:
            rsp = Path(work) / "clang.rsp"
            rsp.write_text(
                rspfile.render(argv[invocation.prefix_len :]), encoding="utf-8", errors="surrogateescape"
            )
            argv = [*argv[: invocation.prefix_len], f"@{rsp}"]
        verbose = invocation.line.verbose
        result = Runner(verbose=verbose).run(argv, tool="clang", check=False, env=invocation.env)
    code = result.returncode
    return 128 - code if code < 0 else code
