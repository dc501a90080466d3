"""`wasip2ld run` reads its options without click when it can (wasip2ld/runner/cmdline.py): for every command
line it accepts, it must read what the click command reads; everything else is left to click."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from wasip2ld.commands.run import run as click_run
from wasip2ld.runner import cmdline

ACCEPTED = [
    ["hello.wasm"],
    ["hello.wasm", "--name", "-v", "x"],  # options after FILE belong to the guest
    ["--host-fs", "--inherit-env", "--", "prog", "a"],  # CMake's emulator line
    ["--dir", "/tmp", "--dir=/tmp::/t", "--env", "A=1", "--env=B", "hello.wasm"],
    ["-v", "--argv0", "name", "--engine", "core", "lib.wasm"],
    ["--verbose", "--argv0=x", "--engine=component", "--", "-dash.wasm", "--"],
]
LEFT_TO_CLICK = [
    [],
    ["--help"],
    ["--unknown", "hello.wasm"],
    ["--dir"],
    ["--engine", "jit", "hello.wasm"],
    ["--host-fs=yes", "hello.wasm"],
    ["--inherit-env"],
    ["."],  # a directory: click says so
]


@pytest.mark.parametrize("args", ACCEPTED, ids=" ".join)
def test_options_are_read_as_click_reads_them(args):
    ours = cmdline.parse(args)
    assert ours is not None
    theirs = click_run.make_context("run", list(args)).params
    assert {**theirs, "file": os.fspath(theirs["file"])} == ours


@pytest.mark.parametrize("args", LEFT_TO_CLICK, ids=" ".join)
def test_anything_else_goes_to_click(args):
    assert cmdline.parse(args) is None


def test_both_paths_report_alike(tmp_path):
    missing = tmp_path / "missing.wasm"
    wasip2ld = [sys.executable, "-m", "wasip2ld"]
    fast = subprocess.run([*wasip2ld, "run", str(missing)], capture_output=True, text=True)
    # a group option before `run`: the click CLI parses the line
    slow = subprocess.run([*wasip2ld, "--wasi-sdk", str(tmp_path), "run", str(missing)], capture_output=True,
                          text=True)  # fmt: skip
    assert fast.returncode == slow.returncode == 2
    assert fast.stderr == slow.stderr and fast.stderr.startswith(f"wasip2ld: error: {missing}")
