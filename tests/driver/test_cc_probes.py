"""Build-system probes get clang's own answers (for wasm32-wasip2), with no warnings even under -Werror;
compile-only invocations produce exactly clang's output; -### and --dry-run show the whole plan."""

from __future__ import annotations

import shlex

import pytest

from wasip2ld.driver.cc import SJLJ_FLAGS

from .conftest import HELLO_C


@pytest.fixture(scope="module")
def reference(toolchain) -> list[str]:
    """What wasip2-clang should be equivalent to (when it compiles something, plus the setjmp/longjmp
    lowering flags: `compiling`)."""
    return [
        *toolchain.require("clang").argv,
        "--target=wasm32-wasip2",
        f"--sysroot={toolchain.path('sysroot-wasip2')}",
    ]


def compiling(reference: list[str]) -> list[str]:
    return [*reference, *SJLJ_FLAGS]


PROBES = [
    ["--version"],
    ["-dumpmachine"],
    ["-print-file-name=libc.a"],
    ["-print-search-dirs"],
    ["-print-libgcc-file-name"],
    ["-print-resource-dir"],
    ["-E", "-dM", "-x", "c", "/dev/null"],  # __wasm_exception_handling__: setjmp.h works with no flags
    ["-E", str(HELLO_C)],
    ["-M", str(HELLO_C)],
    ["-MM", "-MT", "hello.o", str(HELLO_C)],
    ["-fsyntax-only", "-Wall", str(HELLO_C)],
]


@pytest.mark.parametrize("probe", PROBES, ids=lambda p: " ".join(p)[:40])
def test_probe_answers_like_clang_for_the_target(sh, clang_cmd, reference, probe):
    ours = sh([*clang_cmd, "-Werror", *probe])
    compiles = str(HELLO_C) in probe or "/dev/null" in probe
    theirs = sh([*(compiling(reference) if compiles else reference), "-Werror", *probe])
    assert ours.stdout == theirs.stdout
    assert ours.stderr == theirs.stderr == ""


def test_preprocessing_stdin(sh, clang_cmd, reference):
    source = "#ifdef __wasm32__\nwasm __wasi__ __STDC_VERSION__\n#endif\n"
    ours = sh([*clang_cmd, "-E", "-P", "-x", "c", "-"], stdin=source)
    assert ours.stdout == sh([*compiling(reference), "-E", "-P", "-x", "c", "-"], stdin=source).stdout
    assert "wasm 1" in ours.stdout


def test_verbose_without_inputs_prints_clangs_banner_and_succeeds(sh, clang_cmd, reference):
    result = sh([*clang_cmd, "-v"])
    assert "Target: wasm32-unknown-wasip2" in result.stderr
    assert result.stderr == sh([*reference, "-v"]).stderr


def test_compile_only_output_is_clangs_own(sh, clang_cmd, reference, tmp_path):
    for flag, name in (("-c", "x.o"), ("-S", "x.s")):
        sh([*clang_cmd, flag, "-O2", HELLO_C, "-o", f"ours-{name}"])
        sh([*compiling(reference), flag, "-O2", HELLO_C, "-o", f"ref-{name}"])
        assert (tmp_path / f"ours-{name}").read_bytes() == (tmp_path / f"ref-{name}").read_bytes()


def test_compile_and_link_in_one_step_names_auxiliary_files_like_clang(sh, clang_cmd, reference, tmp_path):
    """wasip2-clang hands clang a placeholder -o (see docs/driver.md, Outputs): .d files keep clang's names."""
    for name, argv in (("ours", clang_cmd), ("ref", [*reference, "-fuse-ld=lld"])):
        (tmp_path / name).mkdir()
        sh([*argv, "-MD", HELLO_C, "-o", "app.wasm", "-Werror"], cwd=tmp_path / name)
    assert sorted(p.name for p in (tmp_path / "ours").iterdir()) == ["app.d", "app.wasm"]
    assert sorted(p.name for p in (tmp_path / "ref").iterdir()) == ["app.d", "app.wasm"]
    assert str(HELLO_C) in (tmp_path / "ours" / "app.d").read_text()


@pytest.mark.parametrize("libc", ["p1-free", "old"])
def test_hash3_prints_clang_jobs_then_the_linker_plan_and_runs_nothing(sh, clang_cmd, ld_entry, tmp_path, libc,
                                                                       request):
    env = {"WASIP2LD_SYSROOT_WASIP2": str(request.getfixturevalue("old_sysroot"))} if libc == "old" else {}
    result = sh([*clang_cmd, "-###", HELLO_C, "-o", "hello.wasm"], env=env)
    jobs = [shlex.split(line) for line in result.stderr.splitlines() if line.startswith(' "')]
    tools = [job[0].rsplit("/", 1)[-1] for job in jobs]
    assert tools[0].startswith("clang") and jobs[0][1] == "-cc1"
    assert jobs[1][0] == str(ld_entry)  # clang links through wasip2ld's linker
    assert tools[2] == "wasm-ld" and tools[3] == "wasm-tools" and jobs[3][1:3] == ["component", "new"]
    # the adapter is planned only for a libc that still imports WASI p1
    assert ("wasi_snapshot_preview1.command.wasm" in " ".join(jobs[3])) == (libc == "old")
    assert not (tmp_path / "hello.wasm").exists()


def test_dry_run_prints_every_sub_command_and_writes_nothing(sh, clang_cmd, tmp_path):
    result = sh([*clang_cmd, "--dry-run", "--module", "--wit", "w.wit", HELLO_C, "-o", "lib.wasm"])
    lines = result.stderr.splitlines()
    assert any(" -cc1 " in line for line in lines)
    assert any(line.split()[0].endswith("wasm-ld") for line in lines if line and not line.startswith("#"))
    assert any("component embed w.wit" in line for line in lines)
    assert list(tmp_path.iterdir()) == []


def test_verbose_link_shows_the_linkers_sub_commands(sh, clang_cmd, tmp_path):
    result = sh([*clang_cmd, "-v", HELLO_C, "-o", "hello.wasm"])
    commands = [line for line in result.stderr.splitlines() if line.startswith("/")]
    assert any("/wasm-ld " in line for line in commands)
    assert any(" component new " in line for line in commands)
    assert (tmp_path / "hello.wasm").exists()
