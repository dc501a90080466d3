"""A p1-free wasi-libc: C programs become components without the WASI p1 adapter, and whole programs (stdio,
files, args, env, clocks, random, exit) become module build targets that carry `wasi:cli/command`, which
`check` accepts without being told the target and `run` runs like a native build."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from wasip2ld.wasm import read_module_file

from .conftest import SHAPES, imports_of, layer

FILES_C = r"""
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv) {
    const char *dir = argc > 1 ? argv[1] : ".";
    printf("args:");
    for (int i = 2; i < argc; i++) printf(" %s", argv[i]);
    const char *greeting = getenv("GREETING");
    printf("\nenv: %s\n", greeting ? greeting : "(unset)");
    char path[512];
    snprintf(path, sizeof path, "%s/out.txt", dir);
    FILE *f = fopen(path, "w");
    if (!f) { perror(path); return 2; }
    fprintf(f, "written %d\n", 6 * 7);
    fclose(f);
    char line[64] = "";
    f = fopen(path, "r");
    if (!f || !fgets(line, sizeof line, f)) { perror(path); return 3; }
    fclose(f);
    printf("read: %s", line);
    struct timespec ts;
    printf("clock: %s\n", clock_gettime(CLOCK_MONOTONIC, &ts) == 0 ? "ok" : "failed");
    unsigned char random[8];
    printf("random: %s\n", getentropy(random, sizeof random) == 0 ? "ok" : "failed");
    fflush(stdout);
    exit(0);
}
"""
ARGS = ("one", "two words")


@pytest.fixture
def files_c(tmp_path) -> Path:
    source = tmp_path / "files.c"
    source.write_text(FILES_C)
    return source


@pytest.fixture
def native_output(sh, files_c, tmp_path) -> str:
    (tmp_path / "native-dir").mkdir()
    sh(["cc", "-O1", files_c, "-o", "files.native"])
    out = sh([tmp_path / "files.native", tmp_path / "native-dir", *ARGS], env={"GREETING": "hello"}).stdout
    assert (tmp_path / "native-dir/out.txt").read_text() == "written 42\n"
    return out


def run_like_native(sh, wasip2ld_cmd, wasm: Path, tmp_path: Path) -> str:
    guest_dir = tmp_path / f"{wasm.stem}-dir"
    guest_dir.mkdir()
    result = sh([*wasip2ld_cmd, "run", "--dir", f"{guest_dir}::/data", "--env", "GREETING=hello", wasm, "/data",
                 *ARGS])
    assert (guest_dir / "out.txt").read_text() == "written 42\n"
    return result.stdout


def core_modules_and_memories(wasm_tools: str, component: Path) -> tuple[list[str], int]:
    """The component's core modules other than wit-component's glue (shim, fixup), and how many memories
    they define."""
    text = subprocess.run([wasm_tools, "print", component], capture_output=True, text=True, check=True).stdout
    modules = [m for m in re.findall(r"\(core module \$(\S+)", text) if not m.startswith("wit-component-")]
    return modules, len(re.findall(r"^\s*\(memory \(;\d+;\) \d", text, re.MULTILINE))


def test_component_needs_no_adapter(sh, clang_cmd, wasip2ld_cmd, wasm_tools, p1_free_sysroot, files_c,
                                    native_output, tmp_path):
    sh([*clang_cmd, files_c, "-o", "files.wasm"])
    component = tmp_path / "files.wasm"
    assert layer(component) == "component"
    assert b"wasi_snapshot_preview1" not in component.read_bytes()
    assert core_modules_and_memories(wasm_tools, component) == (["main"], 1)
    assert run_like_native(sh, wasip2ld_cmd, component, tmp_path) == native_output


def test_whole_program_as_a_module_target(sh, clang_cmd, wasip2ld_cmd, p1_free_sysroot, files_c, native_output,
                                          tmp_path):
    sh([*clang_cmd, "--module", files_c, "-o", "files.core.wasm"])
    module = tmp_path / "files.core.wasm"
    assert layer(module) == "module"
    assert {name.split("/")[0] for name, _ in imports_of(module)} <= {
        "wasi:cli", "wasi:io", "wasi:filesystem", "wasi:clocks", "wasi:random", "wasi:sockets"}
    assert all(name.endswith("@0.2.0") for name, _ in imports_of(module))
    assert len(read_module_file(module).custom_sections("component-type")) == 1
    check = sh([*wasip2ld_cmd, "check", module])
    assert check.stdout == f"{module}: ok: matches world `wasi:cli/command@0.2.0`, legacy names, target module\n"
    assert run_like_native(sh, wasip2ld_cmd, module, tmp_path) == native_output


def test_a_module_target_that_imports_nothing_runs_as_a_command(sh, clang_cmd, wasip2ld_cmd, p1_free_sysroot,
                                                               tmp_path):
    """`int main(void) { return N; }` needs no WASI at all: its module target imports nothing and exports only
    `wasi:cli/run`. (Meson's sanity check builds and runs exactly this, so `--module` link flags hit it first.)"""
    for code in (0, 1):
        (tmp_path / f"exit{code}.c").write_text(f"int main(void) {{ return {code}; }}\n")
        sh([*clang_cmd, "--module", f"exit{code}.c", "-o", f"exit{code}.exe"])
        module = tmp_path / f"exit{code}.exe"
        assert layer(module) == "module" and imports_of(module) == []
        for engine in ("component", "core"):
            run = sh([*wasip2ld_cmd, "run", "--engine", engine, module], ok=False)
            assert (run.returncode, run.stderr) == (code, ""), (engine, run.stderr)


def test_program_with_its_own_world_as_a_module_target(sh, clang_cmd, wasip2ld_cmd, p1_free_sysroot, tmp_path):
    (tmp_path / "app.wit").write_text(
        "package demo:app;\ninterface host { log: func(msg: string); }\nworld app { import host; }\n"
    )
    (tmp_path / "app.c").write_text(
        '#include <stdio.h>\n#include <string.h>\n'
        '__attribute__((import_module("demo:app/host"), import_name("log")))\n'
        "void host_log(const char *msg, size_t len);\n"
        'int main(void) { puts("calling the host"); host_log("hi", 2); return 0; }\n'
    )
    sh([*clang_cmd, "--module", "--wit", "app.wit", "--world", "app", "app.c", "-o", "app.core.wasm"])
    module = tmp_path / "app.core.wasm"
    modules = {name for name, _ in imports_of(module)}
    assert "demo:app/host" in modules and "wasi:cli/stdout@0.2.0" in modules
    assert sh([*wasip2ld_cmd, "check", module]).stdout.rstrip().endswith("target module")


def test_old_libc_in_module_mode_names_the_p1_imports(sh, clang_cmd, old_sysroot, files_c, tmp_path):
    result = sh([*clang_cmd, "--module", files_c, "-o", "files.core.wasm"], ok=False,
                env={"WASIP2LD_SYSROOT_WASIP2": str(old_sysroot)})
    assert result.returncode == 1
    lines = [line for line in result.stderr.splitlines() if line.startswith("wasip2ld ld: error:")]
    assert len(lines) == 1 and "a module build target cannot import wasi_snapshot_preview1" in lines[0]
    assert "wasip2ld toolchain install" in result.stderr
    assert not (tmp_path / "files.core.wasm").exists()


@pytest.mark.parametrize("mode", ["component", "module"])
def test_a_main_less_program_for_a_world_without_run_links_as_a_reactor(sh, clang_cmd, wasip2ld_cmd, mode,
                                                                       tmp_path):
    sh([*wasip2ld_cmd, "sig", "--wit", SHAPES / "shapes.wit", "--format", "c", "-o", "shapes-abi.h"])
    flags = ["-O1", "-I", tmp_path, "--wit", SHAPES / "shapes.wit", *(["--module"] if mode == "module" else [])]
    outputs = {}
    for exec_model in ("default", "reactor"):
        (tmp_path / exec_model).mkdir()
        extra = ["-mexec-model=reactor"] if exec_model == "reactor" else ["-v"]
        result = sh([*clang_cmd, *flags, *extra, SHAPES / "shapes.c", "-o", "shapes.wasm"], cwd=tmp_path / exec_model)
        outputs[exec_model] = (tmp_path / exec_model / "shapes.wasm").read_bytes()
        if exec_model == "default":
            assert "# no main, and the world exports no wasi:cli/run: linking as a reactor" in result.stderr
    assert outputs["default"] == outputs["reactor"]


def test_a_p1_library_in_module_mode_is_named(sh, clang_cmd, p1_free_sysroot, tmp_path):
    (tmp_path / "p1lib.c").write_text(
        '__attribute__((import_module("wasi_snapshot_preview1"), import_name("sched_yield")))\n'
        "int p1_sched_yield(void);\nint lib_yield(void) { return p1_sched_yield(); }\n")
    (tmp_path / "main.c").write_text("int lib_yield(void);\nint main(void) { return lib_yield(); }\n")
    sh([*clang_cmd, "-c", "p1lib.c", "-o", "p1lib.o"])
    result = sh([*clang_cmd, "--module", "main.c", "p1lib.o", "-o", "app.wasm"], ok=False)
    assert result.returncode == 1
    error = next(line for line in result.stderr.splitlines() if " error: " in line)
    assert error.endswith("app.wasm: a module build target cannot import wasi_snapshot_preview1 (sched_yield)")
    assert "a library built for WASI p1" in result.stderr and not (tmp_path / "app.wasm").exists()
