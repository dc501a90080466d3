"""wasip2-clang / wasip2-clang++ / wasip2ld cc / the bare form: real builds run under wasmtime."""

from __future__ import annotations

import os
import re
import shutil

import pytest

from .conftest import HELLO_C, imports_of, layer, run_command_component, run_p1_module

GREETING = re.search(r'printf\("(.*?)\\n"\)', HELLO_C.read_text()).group(1) + "\n"

CXX_SOURCE = r"""
#include <algorithm>
#include <iostream>
#include <string>
#include <vector>
int main() {
    std::vector<std::string> words{"components", "from", "C++"};
    std::sort(words.begin(), words.end());
    for (const auto &w : words) std::cout << w << ' ';
    std::cout << std::endl;
    return 0;
}
"""


def test_wasip2_clang_builds_a_component_that_prints_its_greeting(sh, clang_cmd, tmp_path):
    sh([*clang_cmd, HELLO_C, "-o", "hello.wasm"])
    out = tmp_path / "hello.wasm"
    assert layer(out) == "component"
    assert run_command_component(out, tmp_path) == (True, GREETING)


def test_every_spelling_of_the_driver_gives_byte_identical_components(sh, clang_cmd, wasip2ld_cmd, tmp_path):
    spellings = {
        "wasip2-clang": [*clang_cmd],
        "wasip2ld-cc": [*wasip2ld_cmd, "cc"],
        "bare": [*wasip2ld_cmd],
        "bare-wasip2": [*wasip2ld_cmd, "--wasip2"],
    }
    outputs = {}
    for name, argv in spellings.items():
        directory = tmp_path / name
        directory.mkdir()
        sh([*argv, HELLO_C, "-o", "hello.wasm"], cwd=directory)  # same output name: wasm-ld records it
        outputs[name] = (directory / "hello.wasm").read_bytes()
    assert len(set(outputs.values())) == 1, "the same inputs must give the same bytes"
    assert run_command_component(tmp_path / "bare" / "hello.wasm", tmp_path) == (True, GREETING)


def test_wasip2ld_group_flags_reach_the_linker(sh, wasip2ld_cmd, toolchain, old_sysroot, tmp_path):
    adapter = tmp_path / "my-adapter.wasm"
    adapter.write_bytes(toolchain.path("adapter-command").read_bytes())
    tools = ["--tool", f"adapter-command={adapter}", "--tool", f"sysroot-wasip2={old_sysroot}"]
    result = sh([*wasip2ld_cmd, *tools, "cc", "-v", HELLO_C, "-o", "hello.wasm"])
    assert f"--adapt wasi_snapshot_preview1={adapter}" in result.stderr  # the old libc still imports WASI p1
    assert run_command_component(tmp_path / "hello.wasm", tmp_path) == (True, GREETING)


def test_cxx_component_runs(sh, clangxx_cmd, wasip2ld_cmd, libcxx, tmp_path):
    (tmp_path / "words.cpp").write_text(CXX_SOURCE)
    sh([*clangxx_cmd, "-O1", "words.cpp", "-o", "words.wasm"])
    assert run_command_component(tmp_path / "words.wasm", tmp_path) == (True, "C++ components from \n")
    (tmp_path / "bare").mkdir()
    sh([*wasip2ld_cmd, "-O1", "../words.cpp", "-o", "words.wasm"], cwd=tmp_path / "bare")  # C++ by suffix
    assert (tmp_path / "bare" / "words.wasm").read_bytes() == (tmp_path / "words.wasm").read_bytes()


def test_cxx_for_wasip1_too(sh, clangxx_cmd, libcxx, tmp_path):
    (tmp_path / "words.cpp").write_text(CXX_SOURCE)
    sh([*clangxx_cmd, "--wasip1", "words.cpp", "-o", "words.wasm"])
    assert layer(tmp_path / "words.wasm") == "module"
    assert run_p1_module(tmp_path / "words.wasm", tmp_path) == "C++ components from \n"


def test_wasip1_gives_a_p1_core_module(sh, clang_cmd, tmp_path):
    sh([*clang_cmd, "--wasip1", HELLO_C, "-o", "hello.wasm"])
    out = tmp_path / "hello.wasm"
    assert layer(out) == "module"
    assert {module for module, _ in imports_of(out)} == {"wasi_snapshot_preview1"}
    assert run_p1_module(out, tmp_path) == GREETING


def test_argv0_masquerading_picks_language_and_target(sh, clang_cmd, libcxx, tmp_path):
    links = tmp_path / "bin"
    links.mkdir()
    for name in ("clang", "wasm32-wasip1-clang", "c++"):
        os.symlink(clang_cmd[0], links / name)
    sh([links / "clang", HELLO_C, "-o", "p2.wasm"])
    assert layer(tmp_path / "p2.wasm") == "component"
    sh([links / "wasm32-wasip1-clang", HELLO_C, "-o", "p1.wasm"])
    assert layer(tmp_path / "p1.wasm") == "module"
    (tmp_path / "w.cpp").write_text(CXX_SOURCE)
    sh([links / "c++", "w.cpp", "-o", "w.wasm"])  # clang++ semantics: libc++ is linked
    assert run_command_component(tmp_path / "w.wasm", tmp_path)[0]


def test_cc_pointing_back_at_the_wrapper_is_refused_not_looped(sh, clang_cmd, tmp_path):
    looped = sh([*clang_cmd, "-c", HELLO_C, "-o", "x.o"], ok=False, env={"WASIP2LD_CLANG": clang_cmd[0]})
    assert looped.returncode == 2
    assert "wasip2ld's own driver" in looped.stderr and "hint:" in looped.stderr
    nested = sh([*clang_cmd, "-c", HELLO_C, "-o", "x.o"], ok=False, env={"WASIP2LD_CC_ACTIVE": "1"})
    assert nested.returncode == 2 and "CC loop" in nested.stderr
    assert not (tmp_path / "x.o").exists()


def test_cc_variable_with_the_wrapper_drives_a_makefile(sh, clang_cmd, tmp_path):
    make = shutil.which("make")
    if make is None:
        pytest.fail("`make` is not installed", pytrace=False)
    (tmp_path / "Makefile").write_text(
        "hello.wasm: hello.o\n\t$(CC) $(LDFLAGS) hello.o -o $@\n"
        "hello.o: " + str(HELLO_C) + "\n\t$(CC) $(CFLAGS) -c $< -o $@\n"
    )
    sh([make, "CC=wasip2-clang", "CFLAGS=-O2 -Wall -Werror"])
    assert run_command_component(tmp_path / "hello.wasm", tmp_path) == (True, GREETING)


def test_linked_programs_are_executable_like_native_links_and_objects_are_not(sh, clang_cmd, tmp_path):
    umask = os.umask(0o022)
    os.umask(umask)
    sh([*clang_cmd, "-c", HELLO_C, "-o", "hello.o"])
    sh([*clang_cmd, "hello.o", "-o", "hello"])
    sh([*clang_cmd, "-nostdlib", "-r", "hello.o", "-o", "merged.o"])
    modes = {name: (tmp_path / name).stat().st_mode & 0o777 for name in ("hello.o", "hello", "merged.o")}
    assert modes == {"hello.o": 0o666 & ~umask, "hello": 0o777 & ~umask, "merged.o": 0o666 & ~umask}


EMULATED = r"""
#include <signal.h>
#include <stdio.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
static volatile int got;
static void on_signal(int sig) { got = sig; }
int main(void) {
    signal(SIGUSR1, on_signal);
    raise(SIGUSR1);
    char *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    p[0] = 'x';
    printf("signal=%d pid=%d clock=%d mmap=%c\n", got == SIGUSR1, getpid() > 0, clock() >= 0, p[0]);
    return munmap(p, 4096);
}
"""


def test_emulate_turns_on_wasi_libc_emulations_for_compile_and_link(sh, clang_cmd, tmp_path):
    (tmp_path / "emulated.c").write_text(EMULATED)
    refused = sh([*clang_cmd, "emulated.c", "-o", "plain"], ok=False)
    assert refused.returncode != 0 and "-D_WASI_EMULATED_SIGNAL" in refused.stderr
    sh([*clang_cmd, "--emulate=all", "-Werror", "emulated.c", "-o", "one-step"])
    # Separate steps through the environment, as a build system would; -c gets no unused -l warnings.
    sh([*clang_cmd, "-Werror", "-c", "emulated.c", "-o", "emulated.o"],
       env={"WASIP2LD_EMULATE": "signal,clocks,getpid,mman"})
    sh([*clang_cmd, "-Werror", "emulated.o", "-o", "two-step"], env={"WASIP2LD_EMULATE": "all"})
    for name in ("one-step", "two-step"):
        assert run_command_component(tmp_path / name, tmp_path) == (True, "signal=1 pid=1 clock=1 mmap=x\n")
    bad = sh([*clang_cmd, "--emulate=clock", "emulated.c"], ok=False)
    assert bad.returncode == 2 and bad.stderr.startswith("wasip2-clang: error: --emulate=clock: unknown emulation")


def test_zig_family_builds_a_p1_module_that_runs(sh, wasip2ld_cmd, tmp_path):
    """PyPI's ziglang: `zig cc` spells the p1 target `wasm32-wasi`; doctor shows its clang's real version."""
    report = sh([*wasip2ld_cmd, "--toolchain", "zig", "doctor"], ok=False).stdout
    clang_row = next(line for line in report.splitlines() if line.split()[1:2] == ["clang"])
    assert clang_row.startswith("ok ") and "[clang version " in clang_row
    sh([*wasip2ld_cmd, "--toolchain", "zig", "cc", "--wasip1", HELLO_C, "-o", "hello.wasm"])
    assert layer(tmp_path / "hello.wasm") == "module"
    assert run_p1_module(tmp_path / "hello.wasm", tmp_path) == GREETING
    refused = sh([*wasip2ld_cmd, "--toolchain", "zig", "cc", HELLO_C, "-o", "hello2.wasm"], ok=False)
    assert refused.returncode == 2
    assert "toolchain zig cannot build for wasm32-wasip2 (it supports wasm32-wasip1)" in refused.stderr


def test_a_typo_of_a_wasip2ld_flag_is_named_with_the_flag_meant(sh, clang_cmd, clangxx_cmd, wasip2ld_cmd, tmp_path):
    (tmp_path / "lib.c").write_text("int f(void) { return 1; }\n")
    for cmd, typo, meant in ((clang_cmd, "--modul", "--module"), (clangxx_cmd, "--wolrd=shapes", "--world"),
                             ([*wasip2ld_cmd, "cc"], "--componet", "--component")):
        result = sh([*cmd, typo, "lib.c", "-o", "lib.wasm"], ok=False)
        assert result.returncode == 2
        lines = result.stderr.splitlines()
        assert len(lines) == 2 and lines[0].endswith(f": error: {typo.split('=')[0]}: unknown option"), lines
        assert f"did you mean {meant}?" in lines[1]
    assert not (tmp_path / "lib.wasm").exists()
    # clang's own long options are not taken for typos of ours
    sh([*clang_cmd, "--target=wasm32-wasip2", "--verbose", "-c", "lib.c", "-o", "lib.o"])


def test_exec_model_in_cflags_is_accepted_by_compile_only_steps(sh, clang_cmd, tmp_path):
    """clang refuses `-mexec-model=` unless it links; CMAKE_C_FLAGS/CFLAGS reach every compile too."""
    (tmp_path / "lib.c").write_text('__attribute__((export_name("f"))) int f(void) { return 7; }\n')
    for step in (["-c", "lib.c", "-o", "lib.o"], ["-E", "lib.c", "-o", "lib.i"], ["-fsyntax-only", "lib.c"]):
        sh([*clang_cmd, "-mexec-model=reactor", *step])
    sh([*clang_cmd, "-mexec-model=reactor", "lib.o", "-o", "lib.wasm"])
    assert layer(tmp_path / "lib.wasm") == "component"
    assert "return 7;" in (tmp_path / "lib.i").read_text()
