"""Parallel links (make -j): several links into one output, and into neighbouring outputs, all succeed; every
output is a complete component, and no temporary file or scratch directory is left."""

from __future__ import annotations

import subprocess

from .conftest import BIN, HELLO_C

JOBS = 4


def _start(argv, cwd, env):
    return subprocess.Popen([str(a) for a in argv], cwd=cwd, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)


def test_parallel_links(sh, wasm_tools, tmp_path):
    tmpdir = tmp_path / "tmp"
    tmpdir.mkdir()
    env = {**sh.env, "TMPDIR": str(tmpdir)}
    sh([BIN / "wasip2-clang", "-c", HELLO_C, "-o", "hello.o"])
    same = [_start([BIN / "wasip2-clang", "hello.o", "-o", "same.wasm"], tmp_path, env) for _ in range(JOBS)]
    apart = [_start([BIN / "wasip2-clang", "hello.o", "-o", f"out{i}.wasm"], tmp_path, env) for i in range(JOBS)]
    for proc in same + apart:
        _, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
    for name in ["same.wasm", *(f"out{i}.wasm" for i in range(JOBS))]:
        assert (tmp_path / name).read_bytes()[:8] == b"\0asm\x0d\x00\x01\x00"
        sh([wasm_tools, "validate", name])  # complete: one whole component, never a mix
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["hello.o", "same.wasm", "tmp", *(f"out{i}.wasm" for i in range(JOBS))]
    )
    assert list(tmpdir.iterdir()) == []
