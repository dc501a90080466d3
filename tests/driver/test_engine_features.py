"""Code that uses a proposal engines do not run by default (here: legacy exception instructions from
setjmp/longjmp) is refused at link time with the cause and the flag that fixes it, instead of becoming a
"valid" component that `wasm-tools validate` and wasmtime reject."""

from __future__ import annotations

import pytest

from .conftest import HELLO_C, leftovers, run_command_component

SJLJ = r"""
#include <setjmp.h>
#include <stdio.h>
static jmp_buf jb;
static void jump(int x) { if (x) longjmp(jb, 7); }
__attribute__((export_name("jumps"))) int jumps(int x) {
    int r = setjmp(jb);
    if (r == 0) jump(x);
    return r;
}
#ifndef REACTOR
int main(int argc, char **argv) { printf("r=%d\n", jumps(argc + 1)); return 0; }
#endif
"""


def _object(sh, toolchain, tmp_path, legacy: bool, reactor: bool = False):
    """Compiled with clang itself, so the exception encoding is the one asked for whatever the driver adds."""
    (tmp_path / "sj.c").write_text(SJLJ)
    sysroot = toolchain.path("sysroot-wasip2")
    sh([*toolchain.require("clang").argv, "--target=wasm32-wasip2", f"--sysroot={sysroot}", "-c", "-O1",
        "-mllvm", "-wasm-enable-sjlj", "-mllvm", f"-wasm-use-legacy-eh={'true' if legacy else 'false'}",
        *(["-DREACTOR"] if reactor else []), "sj.c", "-o", "sj.o"])


@pytest.mark.parametrize("mode", [[], ["--module", "-mexec-model=reactor"]], ids=["component", "module"])
def test_legacy_exceptions_are_refused_with_the_fix(sh, clang_cmd, toolchain, tmp_path, mode):
    _object(sh, toolchain, tmp_path, legacy=True, reactor=bool(mode))
    wit = tmp_path / "w.wit"
    wit.write_text("package t:sj;\nworld w { export jumps: func(x: s32) -> s32; }\n")
    world = ["--wit", str(wit), "--world", "w"] if mode else []
    result = sh([*clang_cmd, *mode, *world, "sj.o", "-lsetjmp", "-o", "sj.wasm"], ok=False)
    assert result.returncode != 0
    error = next(line for line in result.stderr.splitlines() if "error:" in line)
    assert error.startswith("wasip2ld ld: error: sj.wasm: the linked code is not valid WebAssembly for wasmtime: ")
    assert "legacy_exceptions feature required for try instruction" in error
    assert "hint: " in result.stderr and "-mllvm -wasm-use-legacy-eh=false" in result.stderr
    assert "Traceback" not in result.stderr
    assert leftovers(tmp_path, {"sj.c", "sj.o", "w.wit"}) == []


def test_standard_exceptions_link_and_run(sh, clang_cmd, toolchain, tmp_path):
    _object(sh, toolchain, tmp_path, legacy=False)
    sh([*clang_cmd, "sj.o", "-lsetjmp", "-o", "sj.wasm"])
    assert run_command_component(tmp_path / "sj.wasm", tmp_path) == (True, "r=7\n")


@pytest.mark.parametrize("mode", [[], ["--module"]], ids=["component", "module"])
def test_setjmp_longjmp_need_no_flags(sh, clang_cmd, wasip2ld_cmd, tmp_path, mode):
    (tmp_path / "sj.c").write_text(SJLJ)
    sh([*clang_cmd, *mode, "-O1", "sj.c", "-o", "sj.wasm"])
    assert sh([*wasip2ld_cmd, "run", "sj.wasm"]).stdout == "r=7\n"


def test_code_without_setjmp_has_no_exception_handling(sh, clang_cmd, tmp_path):
    from wasip2ld.wasm import read_module_file

    sh([*clang_cmd, "-O1", HELLO_C, "-Wl,--skip-wit-component", "-o", "hello.core.wasm"])
    module = read_module_file(tmp_path / "hello.core.wasm")
    assert module.tags == () and not [i for i in module.imports if i.kind == "tag"]
    assert b"__wasm_setjmp" not in module.custom_sections("name")[0].data  # libsetjmp.a added nothing
