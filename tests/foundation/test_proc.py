"""Sub-tools die with the driver, failures carry the tool's words and exit code, and outputs are atomic."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from wasip2ld.atomic import atomic_output, write_bytes_atomic
from wasip2ld.errors import ToolchainError, ToolFailed, UsageError
from wasip2ld.proc import Runner

DRIVER = textwrap.dedent(
    """
    import sys
    from wasip2ld.proc import Runner
    Runner().run(["sleep", "60"], tool="sleep")
    """
)


def _spawn_driver(tmp_path: Path) -> tuple[subprocess.Popen, int]:
    driver = subprocess.Popen([sys.executable, "-c", DRIVER], start_new_session=True)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        children = subprocess.run(["pgrep", "-P", str(driver.pid), "sleep"], capture_output=True, text=True).stdout
        if children.strip():
            return driver, int(children.split()[0])
        time.sleep(0.05)
    driver.kill()
    pytest.fail("driver never started its child")


def _gone(pid: int, timeout: float = 5.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        stat = Path(f"/proc/{pid}/stat")
        if stat.exists() and stat.read_text().split()[2] == "Z":
            return True
        time.sleep(0.05)
    return False


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT, signal.SIGKILL])
def test_child_dies_with_driver(tmp_path, sig):
    driver, child = _spawn_driver(tmp_path)
    os.kill(driver.pid, sig)
    driver.wait(timeout=10)
    assert _gone(child), f"child {child} survived {sig.name} of the driver"
    if sig == signal.SIGTERM:
        assert driver.returncode == 128 + signal.SIGTERM


def test_failure_carries_stderr_and_exit_code():
    with pytest.raises(ToolFailed) as err:
        Runner().run([sys.executable, "-c", "import sys; sys.stderr.write('bad thing\\n'); sys.exit(7)"],
                     tool="fake-tool", capture=True)
    assert err.value.exit_code == 7
    assert err.value.message == "fake-tool failed (exit code 7): bad thing"


def test_killed_tool_is_named():
    with pytest.raises(ToolFailed, match="fake-tool was killed by SIGKILL"):
        Runner().run([sys.executable, "-c", "import os, signal; os.kill(os.getpid(), signal.SIGKILL)"],
                     tool="fake-tool", capture=True)


def test_missing_program_is_a_toolchain_error():
    with pytest.raises(ToolchainError, match="wasm-ld: cannot run /nonexistent/wasm-ld: no such file"):
        Runner().run(["/nonexistent/wasm-ld"], tool="wasm-ld")


def test_verbose_and_dry_run_echo(capsys):
    Runner(dry_run=True).run(["wasm-tools", "component", "new", "a b.wasm"])
    assert capsys.readouterr().err.strip() == "wasm-tools component new 'a b.wasm'"


def test_atomic_output_success_and_failure(tmp_path):
    target = tmp_path / "out.wasm"
    target.write_bytes(b"old")
    with pytest.raises(RuntimeError):
        with atomic_output(target) as tmp:
            tmp.write_bytes(b"partial")
            raise RuntimeError("link failed")
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.wasm"]
    write_bytes_atomic(target, b"\0asm new")
    assert target.read_bytes() == b"\0asm new"
    assert oct(target.stat().st_mode & 0o777) == oct(0o666 & ~_umask())


def test_atomic_output_missing_dir(tmp_path):
    with pytest.raises(UsageError, match="directory .* does not exist"):
        write_bytes_atomic(tmp_path / "no" / "x.wasm", b"x")


def test_atomic_output_read_only_dir(tmp_path):
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o555)
    try:
        if os.geteuid() == 0:
            # root ignores directory permissions; a read-only bind is not available here, so use a file as parent
            with pytest.raises(UsageError):
                write_bytes_atomic(tmp_path / "file-not-dir" / "x.wasm", b"x")
        else:
            with pytest.raises(UsageError, match="not writable"):
                write_bytes_atomic(ro / "x.wasm", b"x")
    finally:
        ro.chmod(0o755)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
