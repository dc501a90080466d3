"""What a SIGKILLed run leaves (a temporary output beside the target, a scratch directory in TMPDIR) is removed
by the next run; what a live run is writing is not."""

from __future__ import annotations

import os
import subprocess
import time

from .conftest import HELLO_C


def _dead_pid() -> int:
    proc = subprocess.Popen(["true"])
    proc.wait()
    return proc.pid


def _age(path, seconds: float = 3600) -> None:
    old = time.time() - seconds
    os.utime(path, (old, old), follow_symlinks=False)


def test_next_link_removes_what_a_killed_link_left(sh, clang_cmd, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    tmpdir = tmp_path / "tmpdir"
    tmpdir.mkdir()
    dead, alive = _dead_pid(), os.getpid()
    stale_file = out / f".app.wasm.wasip2ld-{dead}-abcdefgh.tmp"
    live_file = out / f".app.wasm.wasip2ld-{alive}-abcdefgh.tmp"
    fresh_file = out / f".app.wasm.wasip2ld-{dead}-ijklmnop.tmp"  # too recent to be judged
    stale_dir = tmpdir / f"wasip2ld-ld-{dead}-abcdefgh"
    stale_dir.mkdir()
    (stale_dir / "app.wasm").write_bytes(b"\0asm")
    for path in (stale_file, live_file, fresh_file):
        path.write_bytes(b"partial")
    for path in (stale_file, live_file, stale_dir / "app.wasm", stale_dir):
        _age(path)
    sh([*clang_cmd, HELLO_C, "-o", out / "app.wasm"], env={"TMPDIR": str(tmpdir)})
    assert sorted(p.name for p in out.iterdir()) == sorted(["app.wasm", live_file.name, fresh_file.name])
    assert sorted(p.name for p in tmpdir.iterdir()) == []
