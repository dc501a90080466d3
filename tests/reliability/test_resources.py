"""Bounded cost: a module with a million custom sections, an input above 1 GiB, a wasm-tools run that
wants more memory than its limit and a limit that is not a number are each one line with exit 2, quickly."""

from __future__ import annotations

import subprocess
import time

import pytest

from .conftest import BIN, HELLO_C


def test_a_million_sections_is_refused_quickly(sh, wasip2ld_cmd, wasm_tools, tmp_path):
    (tmp_path / "m.wat").write_text("(module)")
    sh([wasm_tools, "parse", "m.wat", "-o", "m.wasm"])
    module = (tmp_path / "m.wasm").read_bytes() + b"\x00\x01\x00" * 1_000_000  # empty custom sections
    (tmp_path / "many.wasm").write_bytes(module)
    start = time.monotonic()
    result = sh([*wasip2ld_cmd, "check", "many.wasm"], ok=False, timeout=120)
    assert time.monotonic() - start < 30
    assert result.returncode == 2
    assert "too many sections: more than 100000" in result.stderr.splitlines()[0]


def test_an_input_above_the_size_limit_is_refused(sh, wasip2ld_cmd, tmp_path):
    huge = tmp_path / "huge.wasm"
    with open(huge, "wb") as handle:  # sparse: no disk space is used
        handle.truncate((1 << 30) + 1)
    result = sh([*wasip2ld_cmd, "check", "huge.wasm"], ok=False, timeout=120)
    assert result.returncode == 2
    assert result.stderr.splitlines()[0] == (
        f"wasip2ld: error: huge.wasm: too large ({(1 << 30) + 1} bytes; wasip2ld reads inputs up to {1 << 30})"
    )


@pytest.mark.parametrize("extra", [[], ["-Wl,--validate-component"]])  # in-process link, wasip2ld's linker
def test_wasm_tools_memory_limit(sh, tmp_path, extra):
    result = subprocess.run([BIN / "wasip2-clang", HELLO_C, *extra, "-o", "out.wasm"], cwd=tmp_path,
                            env={**sh.env, "WASIP2LD_TOOL_MEMORY": "1"}, capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 2, result.stderr
    ours = [line for line in result.stderr.splitlines() if "error: " in line and not line.startswith("clang:")]
    assert ours[0].endswith("error: wasm-tools ran out of memory (its limit is 1 MiB) and was stopped")
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out.wasm").exists()


@pytest.mark.parametrize("setting, message", [
    ("WASIP2LD_TOOL_MEMORY=1.5", "not a whole number of MiB"),
    ("WASIP2LD_TOOL_TIMEOUT=soon", "not a number of seconds"),
])  # fmt: skip
@pytest.mark.parametrize("extra", [[], ["-Wl,--validate-component"]])
def test_a_limit_that_is_not_a_number_stops_the_link(sh, tmp_path, setting, message, extra):
    name, value = setting.split("=")
    result = subprocess.run([BIN / "wasip2-clang", HELLO_C, *extra, "-o", "out.wasm"], cwd=tmp_path,
                            env={**sh.env, name: value}, capture_output=True, text=True, timeout=300)
    assert result.returncode == 2, result.stderr
    assert result.stderr.splitlines()[0].endswith(f" error: {setting}: {message}"), result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out.wasm").exists()
