"""The default stack fits programs that keep large arrays on it (native programs assume megabytes; wasm-ld's
own default is 64 KiB), `-Wl,-z,stack-size=` still overrides it, and `wasip2ld run` says when a trap came
from the stack running out and names the flag."""

from __future__ import annotations

import pytest

from wasip2ld.driver.ld import DEFAULT_STACK_SIZE

BIG_FRAME_C = r"""
#include <stdio.h>
#include <string.h>
static int use(char *p, int n) { memset(p, 1, n); int s = 0; for (int i = 0; i < n; i += 4096) s += p[i]; return s; }
int main(void) { char buf[1 << 20]; printf("sum=%d\n", use(buf, sizeof buf)); return 0; }
"""


@pytest.fixture
def big_frame(tmp_path):
    (tmp_path / "big.c").write_text(BIG_FRAME_C)
    return tmp_path / "big.c"


@pytest.mark.parametrize("mode", [[], ["--module"]], ids=["component", "module"])
def test_a_megabyte_frame_fits_the_default_stack(sh, clang_cmd, wasip2ld_cmd, big_frame, mode):
    assert DEFAULT_STACK_SIZE == 8 * 1024 * 1024
    sh([*clang_cmd, *mode, "-O1", big_frame, "-o", "big.wasm"])
    assert sh([*wasip2ld_cmd, "run", "big.wasm"]).stdout == "sum=256\n"


@pytest.mark.parametrize("strip", [[], ["-s"]], ids=["names", "stripped"])
@pytest.mark.parametrize("mode", [[], ["--module"]], ids=["component", "module"])
def test_a_stack_overflow_is_named_with_the_flag(sh, clang_cmd, wasip2ld_cmd, big_frame, mode, strip):
    sh([*clang_cmd, *mode, *strip, "-O1", big_frame, "-Wl,-z,stack-size=65536", "-o", "big.wasm"])
    result = sh([*wasip2ld_cmd, "run", "big.wasm"], ok=False)
    assert result.returncode == 134
    error, hint = result.stderr.splitlines()
    assert error.startswith("wasip2ld: error: big.wasm: the program trapped: it ran out of stack (its frames "
                            "need 1048592 bytes, the stack is 65536 bytes; out of bounds memory access)")
    assert hint == ("wasip2ld: hint: link it with a bigger stack: -Wl,-z,stack-size=BYTES (wasip2ld's default is "
                    "8 MiB)")


def test_other_out_of_bounds_traps_are_not_blamed_on_the_stack(sh, clang_cmd, wasip2ld_cmd, tmp_path):
    (tmp_path / "oob.c").write_text(
        "#include <stdint.h>\nint main(void) { volatile int *p = (int *)(uintptr_t)0xfffffff0u; return *p; }\n")
    sh([*clang_cmd, "-O1", "oob.c", "-o", "oob.wasm"])
    result = sh([*wasip2ld_cmd, "run", "oob.wasm"], ok=False)
    assert result.returncode == 134
    assert "the program trapped: out of bounds memory access" in result.stderr
    assert "stack" not in result.stderr


def test_runaway_recursion_is_not_blamed_on_the_stack_flag(sh, clang_cmd, wasip2ld_cmd, tmp_path):
    (tmp_path / "rec.c").write_text(
        "static int depth(int n) { volatile int x = n; return x == 0 ? 0 : 1 + depth(n - 1); }\n"
        "int main(int argc, char **argv) { return depth(argc * 100000000); }\n")
    sh([*clang_cmd, "-O0", "rec.c", "-o", "rec.wasm"])
    result = sh([*wasip2ld_cmd, "run", "rec.wasm"], ok=False)
    assert result.returncode == 134
    error, hint = result.stderr.splitlines()
    assert error.startswith("wasip2ld: error: rec.wasm: the program trapped: call stack exhausted (in depth <- ")
    assert hint.startswith("wasip2ld: hint: the calls nested deeper than the engine's own call stack allows")
