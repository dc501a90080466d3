"""Signals: Ctrl-C stops a guest under `wasip2ld run` (a loop, a long sleep in a host call) with exit 130; a
trap exits 134 with one line."""

from __future__ import annotations

import signal
import subprocess
import time

import pytest

from .conftest import BIN

GUESTS = {
    "loop.c": '#include <stdio.h>\nint main(void) { volatile unsigned long x = 0; puts("started");\n'
    "  fflush(stdout); for (;;) x++; }\n",
    "sleep.c": '#include <stdio.h>\n#include <unistd.h>\nint main(void) { puts("started"); fflush(stdout);\n'
    "  sleep(600); return 0; }\n",
    "trap.c": "int main(void) { __builtin_trap(); }\n",
}


@pytest.fixture(scope="module")
def guests(tmp_path_factory, driver_env) -> dict[str, str]:
    """name -> .wasm path: each guest as a component and as a WASI p1 module (``name.p1``)."""
    root = tmp_path_factory.mktemp("guests")
    built = {}
    for source, text in GUESTS.items():
        (root / source).write_text(text)
        stem = source[:-2]
        for name, flags in ((stem, []), (f"{stem}.p1", ["--wasip1"])):
            out = root / f"{name}.wasm"
            subprocess.run([BIN / "wasip2-clang", *flags, source, "-o", out], cwd=root, env=driver_env,
                           check=True, capture_output=True)
            built[name] = str(out)
    return built


@pytest.mark.parametrize("guest", ["loop", "loop.p1", "sleep", "sleep.p1"])
def test_ctrl_c_stops_the_guest(guests, driver_env, guest):
    proc = subprocess.Popen([BIN / "wasip2ld", "run", guests[guest]], env=driver_env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    try:
        assert proc.stdout.readline() == b"started\n"
        proc.send_signal(signal.SIGINT)
        start = time.monotonic()
        _, err = proc.communicate(timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 130
    assert time.monotonic() - start < 10
    assert err.decode().strip().splitlines() == ["wasip2ld: interrupted"]


@pytest.mark.parametrize("guest", ["trap", "trap.p1"])
def test_trap_exits_134_with_one_line(guests, driver_env, guest):
    result = subprocess.run([BIN / "wasip2ld", "run", guests[guest]], env=driver_env, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 134
    lines = result.stderr.splitlines()
    assert lines[0].startswith(f"wasip2ld: error: {guests[guest]}: the program trapped: ")
    assert "unreachable" in lines[0] and "Traceback" not in result.stderr
