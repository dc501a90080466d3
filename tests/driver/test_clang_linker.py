"""wasip2ld's linker under a plain clang (`-fuse-ld=`), and a multi-file program with a static library made
by llvm-ar."""

from __future__ import annotations

from .conftest import layer, run_command_component

LIB_A = "int twice(int x) { return 2 * x; }\n"
LIB_B = 'const char *label(void) { return "answer"; }\n'
MAIN = """#include <stdio.h>
int twice(int);
const char *label(void);
int main(void) { printf("%s=%d\\n", label(), twice(21)); return 0; }
"""


def test_plain_clang_links_a_component_with_fuse_ld(sh, toolchain, ld_entry, tmp_path):
    """What a user of Debian's clang (no wasm-component-ld) does: clang-22 --target=wasm32-wasip2
    -fuse-ld=<wasip2ld's linker>; clang passes --wasm-ld-path because the name ends in wasm-component-ld."""
    (tmp_path / "main.c").write_text(MAIN)
    (tmp_path / "lib.c").write_text(LIB_A + LIB_B)
    clang = [
        *toolchain.require("clang").argv,
        "--target=wasm32-wasip2",
        f"--sysroot={toolchain.path('sysroot-wasip2')}",
    ]
    result = sh([*clang, f"-fuse-ld={ld_entry}", "-v", "main.c", "lib.c", "-o", "app.wasm"])
    link_line = next(line for line in result.stderr.splitlines() if line.startswith(f' "{ld_entry}"'))
    assert " --wasm-ld-path " in link_line
    assert layer(tmp_path / "app.wasm") == "component"
    assert run_command_component(tmp_path / "app.wasm", tmp_path) == (True, "answer=42\n")


def test_plain_clang_finds_it_as_wasm_component_ld_on_path(sh, toolchain, ld_entry, tmp_path):
    """docs/howto-clang.md, option 3: a symlink named wasm-component-ld on PATH."""
    import os

    (tmp_path / "bin").mkdir()
    os.symlink(ld_entry, tmp_path / "bin" / "wasm-component-ld")
    (tmp_path / "main.c").write_text(MAIN)
    (tmp_path / "lib.c").write_text(LIB_A + LIB_B)
    clang = [
        *toolchain.require("clang").argv,
        "--target=wasm32-wasip2",
        f"--sysroot={toolchain.path('sysroot-wasip2')}",
    ]
    path = f"{tmp_path / 'bin'}{os.pathsep}{sh.env['PATH']}"
    sh([*clang, "main.c", "lib.c", "-o", "app.wasm"], env={"PATH": path})
    assert run_command_component(tmp_path / "app.wasm", tmp_path) == (True, "answer=42\n")


def test_static_library_built_with_llvm_ar(sh, clang_cmd, need, tmp_path):
    llvm_ar = need("llvm-ar")
    for name, text in (("a.c", LIB_A), ("b.c", LIB_B), ("main.c", MAIN)):
        (tmp_path / name).write_text(text)
    sh([*clang_cmd, "-O2", "-c", "a.c", "-o", "a.o"])
    sh([*clang_cmd, "-O2", "-c", "b.c", "-o", "b.o"])
    sh([llvm_ar, "rcs", "libanswer.a", "a.o", "b.o"])
    sh([*clang_cmd, "-O2", "main.c", "-L.", "-lanswer", "-o", "app.wasm"])
    assert run_command_component(tmp_path / "app.wasm", tmp_path) == (True, "answer=42\n")
    # order of -Wl/-Xlinker arguments is kept: --whole-archive must precede the archive it applies to
    sh(
        [
            *clang_cmd,
            "main.c",
            "-Wl,--whole-archive",
            "libanswer.a",
            "-Xlinker",
            "--no-whole-archive",
            "-o",
            "whole.wasm",
        ]
    )
    assert run_command_component(tmp_path / "whole.wasm", tmp_path) == (True, "answer=42\n")


def test_linker_response_file_through_wl(sh, clang_cmd, tmp_path):
    (tmp_path / "main.c").write_text(MAIN)
    (tmp_path / "lib.c").write_text(LIB_A + LIB_B)
    sh([*clang_cmd, "-c", "lib.c", "-o", "lib.o"])
    (tmp_path / "link.rsp").write_text("lib.o\n--export=twice\n")
    sh([*clang_cmd, "main.c", "-Wl,@link.rsp", "-o", "app.wasm"])
    assert run_command_component(tmp_path / "app.wasm", tmp_path) == (True, "answer=42\n")


def test_own_flags_inside_a_compiler_response_file(sh, clang_cmd, tmp_path):
    """`--module`/`--wit` hidden in an @file still reach wasip2ld (the line is expanded and re-run)."""
    (tmp_path / "w.wit").write_text("package demo:r;\nworld r {\n  export answer: func() -> u32;\n}\n")
    (tmp_path / "lib.c").write_text(
        '__attribute__((export_name("answer"))) int answer(void) { return 42; }\n'
    )
    (tmp_path / "flags.rsp").write_text("-mexec-model=reactor --module --wit w.wit\n")
    sh([*clang_cmd, "@flags.rsp", "lib.c", "-o", "lib.wasm"])
    assert layer(tmp_path / "lib.wasm") == "module"
