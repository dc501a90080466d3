"""A sub-tool that hangs: wasm-tools is time-limited (WASIP2LD_TOOL_TIMEOUT), Ctrl-C and SIGTERM stop
wasip2ld at once even when the hung tool's own child keeps the output pipes open. The hung tool is a test
double (a script that answers --version like the real wasm-tools and otherwise waits)."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from .conftest import BIN, HELLO_C

HANG = """#!/bin/sh
case "$1" in --version) exec "$REAL_WASM_TOOLS" "$@";; esac
sleep 600 &
echo $! > "$MARKER.child"
echo $$ > "$MARKER"
wait
"""


@pytest.fixture
def hung(tmp_path, toolchain, sh):
    """The environment that makes wasm-tools hang; yields (env, marker path)."""
    script = tmp_path / "hung-wasm-tools"
    script.write_text(HANG)
    script.chmod(0o755)
    marker = tmp_path / "marker"
    env = {**sh.env, "WASIP2LD_WASM_TOOLS": str(script), "MARKER": str(marker),
           "REAL_WASM_TOOLS": str(toolchain.path("wasm-tools"))}
    (tmp_path / "w.wit").write_text("package a:b;\nworld w {}\n")
    yield env, marker
    for pid_file in (marker, Path(f"{marker}.child")):
        if pid_file.exists():
            try:
                os.kill(int(pid_file.read_text()), signal.SIGKILL)
            except (ProcessLookupError, ValueError):
                pass


COMMANDS = {
    "sig": lambda: [BIN / "wasip2ld", "sig", "--wit", "w.wit"],
    "check": lambda: [BIN / "wasip2ld", "check", "--wit", "w.wit", "core.wasm"],
    "link": lambda: [BIN / "wasip2-clang", HELLO_C, "-o", "out.wasm"],
}


def _prepare(command: str, sh, tmp_path) -> None:
    if command == "check":
        sh([BIN / "wasip2-clang", HELLO_C, "-Wl,--skip-wit-component", "-o", "core.wasm"])


@pytest.mark.parametrize("command", COMMANDS)
def test_hung_wasm_tools_is_stopped_by_the_time_limit(hung, sh, tmp_path, command):
    env, _ = hung
    _prepare(command, sh, tmp_path)
    start = time.monotonic()
    result = subprocess.run(COMMANDS[command](), cwd=tmp_path, env={**env, "WASIP2LD_TOOL_TIMEOUT": "2"},
                            capture_output=True, text=True, timeout=120)
    assert time.monotonic() - start < 60
    assert result.returncode == 2, result.stderr
    assert "wasm-tools did not finish within 2 s and was stopped" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out.wasm").exists()
    assert [p.name for p in tmp_path.iterdir() if ".wasip2ld-" in p.name] == []


@pytest.mark.parametrize("sig, code", [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
@pytest.mark.parametrize("command", COMMANDS)
def test_signals_stop_wasip2ld_while_wasm_tools_hangs(hung, sh, tmp_path, command, sig, code):
    """The hung tool's child (`sleep`) keeps stdout/stderr open: wasip2ld must not wait for it."""
    env, marker = hung
    _prepare(command, sh, tmp_path)
    proc = subprocess.Popen(COMMANDS[command](), cwd=tmp_path, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while not marker.exists() or not marker.read_text().strip():
        assert proc.poll() is None and time.monotonic() < deadline, proc.communicate()
        time.sleep(0.05)
    target = proc.pid
    if command == "link":  # wasip2-clang execs clang; the linker (clang's child) is what waits
        target = _parent_of(int(marker.read_text()))
    os.kill(target, sig)
    start = time.monotonic()
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        pytest.fail("wasip2ld did not stop after the signal", pytrace=False)
    assert time.monotonic() - start < 15
    if command != "link":
        assert proc.returncode == code
    assert _gone(int(marker.read_text())), "the hung wasm-tools outlived wasip2ld"
    assert not (tmp_path / "out.wasm").exists()
    assert [p.name for p in tmp_path.iterdir() if ".wasip2ld-" in p.name] == []


def _parent_of(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("PPid:"):
            return int(line.split()[1])
    raise AssertionError(f"no parent for {pid}")


def _gone(pid: int, timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.05)
    return False


@pytest.mark.parametrize("command", COMMANDS)
def test_a_second_sigterm_does_not_cut_cleanup_short(hung, sh, tmp_path, command):
    env, marker = hung
    _prepare(command, sh, tmp_path)
    tmpdir = tmp_path / "tmp"
    tmpdir.mkdir()
    proc = subprocess.Popen(COMMANDS[command](), cwd=tmp_path, env={**env, "TMPDIR": str(tmpdir)},
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while not marker.exists() or not marker.read_text().strip():
        assert proc.poll() is None and time.monotonic() < deadline, proc.communicate()
        time.sleep(0.05)
    target = _parent_of(int(marker.read_text()))
    for _ in range(3):
        os.kill(target, signal.SIGTERM)
    proc.wait(timeout=30)
    assert _gone(int(marker.read_text()))
    assert list(tmpdir.iterdir()) == []
    assert [p.name for p in tmp_path.iterdir() if ".wasip2ld-" in p.name] == []
    if command != "link":
        assert proc.returncode == 143
        assert "Traceback" not in proc.stderr.read().decode()
