"""Outputs: regular files are replaced atomically; devices, FIFOs and `-` are written into, never replaced;
impossible output names fail before any work. Every wasip2ld writer goes through wasip2ld.atomic, so the
compiler driver (whose linker writes the component) and `sig -o` stand for all of them."""

from __future__ import annotations

import os
import threading

import pytest

from .conftest import HELLO_C, is_char_device

WIT = "package demo:out;\nworld w {\n  export f: func(x: u32) -> u32;\n}\n"


def _writers(clang_cmd, wasip2ld_cmd, tmp_path):
    (tmp_path / "w.wit").write_text(WIT)
    return {
        "link": lambda out: [*clang_cmd, HELLO_C, "-o", out],
        "sig": lambda out: [*wasip2ld_cmd, "sig", "--wit", "w.wit", "-o", out],
    }


@pytest.mark.parametrize("writer", ["link", "sig"])
def test_dev_null_stays_a_device(sh, clang_cmd, wasip2ld_cmd, tmp_path, device, writer):
    null = device("null")
    sh(_writers(clang_cmd, wasip2ld_cmd, tmp_path)[writer](null))
    assert is_char_device(null)
    assert [p.name for p in null.parent.iterdir() if ".wasip2ld-" in p.name] == []


@pytest.mark.parametrize("writer", ["link", "sig"])
def test_dev_full_fails_with_enospc(sh, clang_cmd, wasip2ld_cmd, tmp_path, device, writer):
    full = device("full")
    result = sh(_writers(clang_cmd, wasip2ld_cmd, tmp_path)[writer](full), ok=False)
    assert result.returncode == 2
    assert f"error: {full}: cannot write output: No space left on device" in result.stderr
    assert "Traceback" not in result.stderr
    assert is_char_device(full)


@pytest.mark.parametrize("writer", ["link", "sig"])
def test_fifo_output_is_written_into(sh, clang_cmd, wasip2ld_cmd, tmp_path, writer):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    sh(_writers(clang_cmd, wasip2ld_cmd, tmp_path)[writer](fifo))
    reader.join(timeout=60)
    assert received and received[0][:4] in (b"\0asm", b";; C")
    assert fifo.is_fifo()


def test_stdout_output(sh, clang_cmd, tmp_path):
    import subprocess

    proc = subprocess.run(
        [*clang_cmd, str(HELLO_C), "-o", "-"], cwd=tmp_path, env=sh.env, capture_output=True, check=False
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout[:8] == b"\0asm\x0d\x00\x01\x00"
    assert sorted(p.name for p in tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    "name, message",
    [
        ("newdir/", "newdir/: is a directory"),
        ("", "the output file name is empty"),
        ("no/such/dir/x.wasm", "no/such/dir/x.wasm: cannot write output: directory no/such/dir does not exist"),
    ],
)
@pytest.mark.parametrize("writer", ["link", "sig"])
def test_impossible_output_names(sh, clang_cmd, wasip2ld_cmd, tmp_path, name, message, writer):
    result = sh(_writers(clang_cmd, wasip2ld_cmd, tmp_path)[writer](name), ok=False)
    assert result.returncode == 2
    assert f"error: {message}" in result.stderr
    assert "Traceback" not in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["w.wit"]


def test_symlink_to_a_device_writes_the_device(sh, clang_cmd, wasip2ld_cmd, tmp_path, device):
    null = device("null")
    link = tmp_path / "out.txt"
    link.symlink_to(null)
    sh(_writers(clang_cmd, wasip2ld_cmd, tmp_path)["sig"](link))
    assert link.is_symlink() and is_char_device(null)


def test_depfile_target_is_the_output(sh, clang_cmd, tmp_path):
    """make compares the depfile's target with what it builds: it must be the -o name, quoted for make."""
    (tmp_path / "out").mkdir()
    (tmp_path / "h.h").write_text("#define N 1\n")
    (tmp_path / "m.c").write_text('#include "h.h"\nint main(void) { return N - 1; }\n')
    sh([*clang_cmd, "-MD", "m.c", "-o", "out/m$1.wasm"])
    first = (tmp_path / "out" / "m$1.d").read_text().splitlines()[0]
    assert first.startswith("out/m$$1.wasm: m.c")
    sh([*clang_cmd, "-MMD", "-MT", "custom", "m.c", "-o", "out/m.wasm"])
    assert (tmp_path / "out" / "m.d").read_text().startswith("custom: m.c")


def test_depfile_drives_make_rebuilds(sh, clang_cmd, tmp_path):
    import shutil
    import time

    make = shutil.which("make")
    assert make, "make is needed (apt-get install make)"
    (tmp_path / "h.h").write_text("#define N 0\n")
    (tmp_path / "m.c").write_text('#include "h.h"\nint main(void) { return N; }\n')
    (tmp_path / "Makefile").write_text(
        f"m.wasm: m.c\n\t{clang_cmd[0]} -MD m.c -o m.wasm\n-include m.d\n"
    )
    sh([make, "-s"])
    before = (tmp_path / "m.wasm").stat().st_mtime_ns
    time.sleep(0.05)
    (tmp_path / "h.h").write_text("#define N 1\n")
    os.utime(tmp_path / "h.h", ns=(before + 10**9, before + 10**9))
    assert "up to date" not in sh([make]).stdout
    assert (tmp_path / "m.wasm").stat().st_mtime_ns != before

