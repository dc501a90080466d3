"""wasip2ld-wasm-component-ld's lean path (driver/fastld.py): the links clang itself starts give the bytes
the full linker gives, every other case is left to that linker, and a failing wasm-ld reads exactly as it
does there.

`WASIP2LD_DELEGATE=0` (delegation off, which is the default) always takes the full linker: the reference."""

from __future__ import annotations

import subprocess
import sys

import pytest

from wasip2ld.driver import fastld

from .conftest import HELLO_C
from .test_ld_compat import link_line

FULL = {"WASIP2LD_DELEGATE": "0"}
IMPORTTIME = [sys.executable, "-X", "importtime"]  # which path ran: the full linker imports wasip2ld.driver.ld
BROKEN_C = "int missing_function(void);\nint main(void) { return missing_function(); }\n"


def imports_full_linker(result) -> bool:
    return any(line.endswith("| wasip2ld.driver.ld") for line in result.stderr.splitlines())


@pytest.fixture
def objects(sh, clang_cmd, toolchain) -> list[str]:
    return link_line(sh, clang_cmd, toolchain, toolchain.path("sysroot-wasip2"))


@pytest.mark.parametrize(
    "extra, lean",
    [
        ([], True),
        (["--component", "--wasm-ld-path", "{wasm_ld}"], True),
        # crt1 and libc both carry a world: wasm-ld runs here, the linker's `finish` picks the named one
        (["--module"], False),
    ],
)
def test_lean_link_writes_what_the_linker_writes(extra, lean, sh, ld_entry, objects, toolchain, tmp_path):
    extra = [a.format(wasm_ld=toolchain.path("wasm-ld")) for a in extra]
    assert imports_full_linker(sh([*IMPORTTIME, ld_entry, *objects, *extra, "-o", "full.wasm"], env=FULL))
    (tmp_path / "lean").mkdir()
    ran = sh([*IMPORTTIME, ld_entry, *objects, *extra, "-o", "lean/full.wasm"])
    assert imports_full_linker(ran) != lean
    assert (tmp_path / "lean" / "full.wasm").read_bytes() == (tmp_path / "full.wasm").read_bytes()


def test_clang_with_the_linker_as_fuse_ld(sh, toolchain, ld_entry, libcxx, tmp_path):
    """`clang --target=wasm32-wasip2 -fuse-ld=…wasm-component-ld`: how clang runs wasm-component-ld."""
    from wasip2ld.driver.fastcache import resolve

    resolved = resolve()
    clang = [str(toolchain.path("clang")), "--target=wasm32-wasip2", f"--sysroot={resolved.sysroot_wasip2}"]
    (tmp_path / "full").mkdir()
    for out, env in (("full/app.wasm", FULL), ("app.wasm", None)):
        sh([*clang, f"-fuse-ld={ld_entry}", HELLO_C, "-o", out], env=env)
    assert (tmp_path / "app.wasm").read_bytes() == (tmp_path / "full" / "app.wasm").read_bytes()


def test_world_embedded_by_the_lean_link(sh, clang_cmd, ld_entry, toolchain, tmp_path):
    (tmp_path / "lib.c").write_text('__attribute__((export_name("answer"))) int answer(void) { return 42; }\n')
    (tmp_path / "w.wit").write_text("package demo:t;\nworld lib {\n  export answer: func() -> u32;\n}\n")
    sh([*clang_cmd, "-c", "lib.c", "-o", "lib.o"])
    line = ["-m", "wasm32", "--no-entry", "lib.o"]
    for out, env in (("full.wasm", FULL), ("lean.wasm", None)):
        ran = sh([*IMPORTTIME, ld_entry, *line, "--module", "--wit", "w.wit", "-o", out], env=env)
        assert imports_full_linker(ran) == (env is FULL)
    assert (tmp_path / "lean.wasm").read_bytes().replace(b"lean.wasm", b"full.wasm") == (
        tmp_path / "full.wasm"
    ).read_bytes()


def test_failing_wasm_ld_reads_as_the_linkers(sh, clang_cmd, ld_entry, objects, tmp_path):
    (tmp_path / "broken.c").write_text(BROKEN_C)
    sh([*clang_cmd, "-c", "broken.c", "-o", "broken.o"])
    line = [a if a != "hello.o" else "broken.o" for a in objects]
    full = sh([ld_entry, *line, "-o", "app.wasm"], env=FULL, ok=False)
    lean = sh([ld_entry, *line, "-o", "app.wasm"], ok=False)
    assert full.returncode != 0
    assert (lean.returncode, lean.stderr) == (full.returncode, full.stderr)
    assert lean.stderr.count("undefined symbol: missing_function") == 1


@pytest.mark.parametrize(
    "args, lean",
    [
        (["a.o", "-o", "x.wasm"], True),
        (["a.o", "--export", "--module", "-o", "x.wasm"], True),  # --export's value, not our --module
        (["a.o", "--final-output=x.wasm", "-o", "x.wasm.pending", "--wit", "w.wit"], True),
        (["a.o", "-v", "-o", "x.wasm"], False),
        (["a.o", "--adapt", "a=b.wasm", "-o", "x.wasm"], False),
        (["a.o", "-shared", "-o", "x.wasm"], False),
        (["@args.rsp", "-o", "x.wasm"], False),
        (["-flavor", "wasm", "a.o", "-o", "x.wasm"], False),
        (["a.o", "--start-group", "-lc", "--end-group", "-o", "x.wasm"], False),
        (["a.o", "--mangling", "legacy", "-o", "x.wasm"], False),
        (["a.o", "--skip-wit-component", "-o", "x.wasm"], False),
        (["a.o", "--string-encoding", "latin1", "-o", "x.wasm"], False),
        (["a.o", "--features", "simd128", "-o", "x.wasm"], False),  # joined by the linker
        (["a.o", "-ox.wasm"], False),
    ],
)
def test_cases_left_to_the_linker(args, lean):
    assert (fastld._parse(args) is not None) == lean


def test_standard_output_is_left_to_the_linker(sh, ld_entry, objects):
    proc = subprocess.run([*IMPORTTIME, ld_entry, *objects, "-o", "-"], cwd=sh.cwd, env=sh.env,
                          capture_output=True, check=True)  # fmt: skip
    assert proc.stdout.startswith(b"\0asm\x0d\x00\x01\x00")
    assert b"| wasip2ld.driver.ld\n" in proc.stderr
