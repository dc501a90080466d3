"""Faults: a failing wasm-ld, a failing `component new`, a killed link, a read-only output directory, missing
tools. Each must leave no partial output, keep an existing output intact, and exit with the right code and
a message that says what to do. (The only test doubles here inject faults: a slow wasm-ld, a broken
adapter.)"""

from __future__ import annotations

import ctypes
import os
import signal
import subprocess
import time

import pytest

from .conftest import HELLO_C, leftovers

OLD = b"old output, must survive\n"


@pytest.fixture
def old_output(tmp_path):
    out = tmp_path / "out" / "app.wasm"
    out.parent.mkdir()
    out.write_bytes(OLD)
    return out


def test_failing_wasm_ld(sh, clang_cmd, tmp_path, old_output):
    (tmp_path / "undef.c").write_text("int missing(void);\nint main(void) { return missing(); }\n")
    result = sh([*clang_cmd, "undef.c", "-o", old_output], ok=False)
    assert result.returncode == 1
    assert "undefined symbol: missing" in result.stderr  # wasm-ld's own diagnostic reaches the user
    assert "linker command failed with exit code 1" in result.stderr  # clang's, whoever ran wasm-ld
    assert old_output.read_bytes() == OLD
    assert leftovers(old_output.parent, {"app.wasm"}) == []


def test_failing_component_new(sh, clang_cmd, tmp_path, old_output):
    (tmp_path / "broken.wasm").write_bytes(b"\0asm\1\0\0\0\xff\xff")
    result = sh([*clang_cmd, HELLO_C, "-Wl,--adapt,extra=broken.wasm", "-o", old_output], ok=False)
    assert result.returncode == 1
    first = result.stderr.splitlines()[0]
    assert first.startswith(f"wasip2ld ld: error: {old_output}: cannot make a component: ")
    assert "malformed" in first
    assert "--adapt extra=broken.wasm" in result.stderr.splitlines()[1]  # the hint names the suspect
    assert old_output.read_bytes() == OLD
    assert leftovers(old_output.parent, {"app.wasm"}) == []


@pytest.mark.parametrize("mode", ["--component", "--module"])
def test_wit_mistakes_at_link_time_are_one_line_with_a_hint(sh, clang_cmd, tmp_path, old_output, mode):
    (tmp_path / "lib.c").write_text('__attribute__((export_name("f"))) int f(void) { return 1; }\n')
    (tmp_path / "bad.wit").write_text("package demo:b;\nworld w {\n  export f: func(x: u32 -> u32;\n}\n")
    (tmp_path / "good.wit").write_text("package demo:g;\nworld w {\n  export f: func() -> u32;\n}\n")
    link = [*clang_cmd, "-mexec-model=reactor", mode, "lib.c", "-o", old_output]
    syntax = sh([*link, "--wit", "bad.wit"], ok=False)
    assert syntax.returncode == 1
    # where the mistake is and the offending line, as `wasip2ld sig` says it (not wasm-tools' ascii art)
    assert syntax.stderr.splitlines()[:2] == [
        "wasip2ld ld: error: bad.wit:3:25: expected ')', found `->`",
        "wasip2ld ld: hint: at: export f: func(x: u32 -> u32;",
    ]
    typo = sh([*link, "--wit", "good.wit", "--world", "ww"], ok=False)
    assert typo.returncode == 1
    assert typo.stderr.splitlines()[:2] == [
        "wasip2ld ld: error: good.wit: cannot embed the WIT world: World `ww` not found in package `demo:g`",
        "wasip2ld ld: hint: name a world the WIT package defines (--world NAME or ns:pkg/NAME)",
    ]
    (tmp_path / "two.wit").write_text("package demo:t;\nworld a {}\nworld b {}\n")
    several = sh([*link, "--wit", "two.wit"], ok=False)
    assert several.returncode == 1
    assert several.stderr.splitlines()[:2] == [
        "wasip2ld ld: error: two.wit: cannot embed the WIT world: There are multiple worlds in `demo:t`; one must "
        "be explicitly chosen: demo:t/a, demo:t/b",
        "wasip2ld ld: hint: choose one with --world NAME (or ns:pkg/NAME)",
    ]
    (tmp_path / "empty.wit").write_text("")
    (tmp_path / "binary.wit").write_bytes(b"\xff\xfe p\0a\0")  # UTF-16 text, not UTF-8
    for wit, hint in (("empty.wit", "starts with `package ns:name;`"), ("binary.wit", "WIT is UTF-8 text")):
        wrong = sh([*link, "--wit", wit], ok=False)
        assert wrong.returncode == 1 and wrong.stderr.startswith(f"wasip2ld ld: error: {wit}: cannot embed")
        assert hint in wrong.stderr.splitlines()[1], wrong.stderr
    assert "Traceback" not in syntax.stderr + typo.stderr + several.stderr
    assert old_output.read_bytes() == OLD
    assert leftovers(old_output.parent, {"app.wasm"}) == []


@pytest.mark.parametrize("mode", ["--component", "--module"])
def test_a_missing_realloc_hint_gives_fixes_that_work(sh, clang_cmd, tmp_path, mode):
    """Exports written by hand from `wasip2ld sig --format c` and a world that passes a string in: the
    module needs `cabi_realloc`, which wasi-libc has but does not link unless asked."""
    (tmp_path / "w.wit").write_text("package demo:r;\nworld w {\n  export len: func(s: string) -> u32;\n}\n")
    (tmp_path / "lib.c").write_text(
        '__attribute__((export_name("len"))) unsigned len(char *s, unsigned n) { (void)s; return n; }\n'
    )
    link = [*clang_cmd, "-mexec-model=reactor", mode, "--wit", "w.wit", "lib.c", "-o", "lib.wasm"]
    failed = sh(link, ok=False)
    assert failed.returncode == 1
    hint = next(line for line in failed.stderr.splitlines() if ": hint: " in line)
    assert "`wasip2ld sig --format c` prints its prototype" in hint and "-Wl,-u,cabi_realloc" in hint
    sh([*link, "-Wl,-u,cabi_realloc"])  # the hint's second remedy links
    assert (tmp_path / "lib.wasm").is_file()


def test_world_mismatch_is_reported_by_the_validator(sh, clang_cmd, tmp_path, old_output):
    (tmp_path / "w.wit").write_text(
        "package demo:m;\nworld w {\n  export answer: func() -> u32;\n  export other: func(s: string);\n}\n"
    )
    (tmp_path / "lib.c").write_text(
        '__attribute__((export_name("answer"))) int answer(void) { return 42; }\n'
    )
    result = sh(
        [*clang_cmd, "-mexec-model=reactor", "lib.c", "--module", "--wit", "w.wit", "-o", old_output],
        ok=False,
    )
    assert result.returncode == 1
    assert f"{old_output}: does not match its world `demo:m/w`" in result.stderr
    assert "`other`" in result.stderr  # the missing export is named, with what to do about it
    assert "hint:" in result.stderr
    assert old_output.read_bytes() == OLD
    assert leftovers(old_output.parent, {"app.wasm"}) == []


SLOW_WASM_LD = """#!/bin/sh
# Fault injection: record our pid and wasm-ld's -o, then hang before linking.
prev=""
for arg in "$@"; do
  if [ "$prev" = "-o" ]; then echo "$arg" > "$MARKER.out"; fi
  prev="$arg"
done
echo $$ > "$MARKER.tmp" && mv "$MARKER.tmp" "$MARKER"
sleep 60
exec "$REAL_WASM_LD" "$@"
"""


@pytest.fixture
def slow_link(sh, clang_cmd, ld_entry, toolchain, tmp_path, old_output):
    """Start the linker on a wasm-ld that hangs; returns (process, marker path, wrapper's pid)."""
    sh([*clang_cmd, "-c", HELLO_C, "-o", "hello.o"])
    slow = tmp_path / "slow-wasm-ld"
    slow.write_text(SLOW_WASM_LD)
    slow.chmod(0o755)
    marker = tmp_path / "marker"
    lib = toolchain.path("sysroot-wasip2") / "lib" / "wasm32-wasip2"
    argv = [
        str(ld_entry),
        "--wasm-ld-path",
        str(slow),
        "-m",
        "wasm32",
        f"-L{lib}",
        str(lib / "crt1-command.o"),
        "hello.o",
        "-lc",
        str(toolchain.path("compiler-rt")),
        "-o",
        str(old_output),
    ]
    env = {**sh.env, "MARKER": str(marker), "REAL_WASM_LD": str(toolchain.path("wasm-ld"))}
    proc = subprocess.Popen(argv, cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while not marker.exists():
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            pytest.fail(f"the slow wasm-ld never started: {proc.communicate()}", pytrace=False)
        time.sleep(0.05)
    yield proc, marker, int(marker.read_text())
    if proc.poll() is None:
        proc.kill()
        proc.wait()


def _gone(pid: int, timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.05)
    return False


@pytest.mark.parametrize("sig, code", [(signal.SIGTERM, 128 + signal.SIGTERM), (signal.SIGINT, 130)])
def test_stopped_link_stops_its_children_and_leaves_nothing(slow_link, old_output, sig, code):
    proc, marker, child = slow_link
    proc.send_signal(sig)
    proc.wait(timeout=30)
    assert proc.returncode == code
    assert _gone(child), "wasm-ld kept running after the driver was stopped"
    assert old_output.read_bytes() == OLD
    assert leftovers(old_output.parent, {"app.wasm"}) == []
    scratch = os.path.dirname((marker.parent / "marker.out").read_text().strip())
    assert not os.path.exists(scratch), "the scratch directory was not removed"


def test_killed_link_keeps_the_old_output(slow_link, old_output):
    proc, _, child = slow_link
    proc.kill()
    proc.wait(timeout=30)
    assert _gone(child), "wasm-ld outlived a SIGKILLed driver"
    assert old_output.read_bytes() == OLD
    assert leftovers(old_output.parent, {"app.wasm"}) == []


def test_terminating_clang_stops_wasip2lds_linker(sh, clang_cmd, toolchain, tmp_path, old_output):
    """wasip2-clang execs clang; killing clang (SIGTERM) must not leave the linker and wasm-ld running."""
    slow = tmp_path / "slow-wasm-ld"
    slow.write_text(SLOW_WASM_LD)
    slow.chmod(0o755)
    marker = tmp_path / "marker"
    env = {**sh.env, "MARKER": str(marker), "REAL_WASM_LD": str(toolchain.path("wasm-ld"))}
    argv = [*clang_cmd, str(HELLO_C), f"-Wl,--wasm-ld-path={slow}", "-o", str(old_output)]
    proc = subprocess.Popen(argv, cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while not marker.exists():
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            pytest.fail(f"the slow wasm-ld never started: {proc.communicate()}", pytrace=False)
        time.sleep(0.05)
    proc.terminate()
    proc.wait(timeout=30)
    assert _gone(int(marker.read_text())), "wasm-ld kept running after clang was terminated"
    scratch = os.path.dirname((tmp_path / "marker.out").read_text().strip())
    deadline = time.monotonic() + 10
    while os.path.exists(scratch) and time.monotonic() < deadline:  # the linker cleans up as it exits
        time.sleep(0.05)
    assert not os.path.exists(scratch)
    assert old_output.read_bytes() == OLD
    assert leftovers(old_output.parent, {"app.wasm"}) == []


def _without_dac_override() -> None:
    """For root: drop CAP_DAC_OVERRIDE/CAP_DAC_READ_SEARCH from the bounding set before exec, so file
    permissions apply to the child as they do to everyone else."""
    if os.geteuid() != 0:
        return
    libc = ctypes.CDLL(None, use_errno=True)
    pr_capbset_drop, cap_dac_override, cap_dac_read_search = 24, 1, 2
    for cap in (cap_dac_override, cap_dac_read_search):
        if libc.prctl(pr_capbset_drop, cap, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


def test_read_only_output_directory(sh, clang_cmd, ld_entry, toolchain, tmp_path, old_output):
    sh([*clang_cmd, "-c", HELLO_C, "-o", "hello.o"])
    lib = toolchain.path("sysroot-wasip2") / "lib" / "wasm32-wasip2"
    link = [
        f"-L{lib}",
        lib / "crt1-command.o",
        "hello.o",
        "-lc",
        toolchain.path("compiler-rt"),
        "-o",
        old_output,
    ]
    expected = f"{old_output}: cannot write output: directory {old_output.parent} is not writable"
    old_output.parent.chmod(0o555)
    try:
        via_clang = sh([*clang_cmd, "hello.o", "-o", old_output], ok=False, preexec_fn=_without_dac_override)
        direct = sh([ld_entry, *link], ok=False, preexec_fn=_without_dac_override)
    finally:
        old_output.parent.chmod(0o755)
    assert via_clang.returncode == direct.returncode == 2  # bad usage; clang passes its linker's code on
    for result in (via_clang, direct):
        assert expected in result.stderr and "hint:" in result.stderr
    assert old_output.read_bytes() == OLD
    assert leftovers(old_output.parent, {"app.wasm"}) == []


def test_missing_sysroot_names_the_part_and_the_install_step(sh, clang_cmd, tmp_path):
    result = sh(
        [*clang_cmd, "-c", HELLO_C, "-o", "x.o"], ok=False, env={"WASIP2LD_DATA_DIR": str(tmp_path / "empty")}
    )
    assert result.returncode == 2
    assert "sysroot-wasip2 not found (needed to compile for wasm32-wasip2)" in result.stderr
    assert "wasip2ld toolchain install" in result.stderr and "wasip2ld doctor" in result.stderr


def test_missing_adapter_names_the_part_and_the_install_step(sh, clang_cmd, ld_entry, toolchain, old_sysroot,
                                                             tmp_path):
    sh([*clang_cmd, "-c", HELLO_C, "-o", "hello.o"])
    lib = old_sysroot / "lib" / "wasm32-wasip2"  # its libc imports WASI p1: the adapter is needed
    argv = [
        ld_entry,
        f"-L{lib}",
        lib / "crt1-command.o",
        "hello.o",
        "-lc",
        toolchain.path("compiler-rt"),
        "-o",
        "x.wasm",
    ]
    result = sh(argv, ok=False, env={"WASIP2LD_DATA_DIR": str(tmp_path / "empty")})
    assert result.returncode == 2
    assert "adapter-command not found (needed to adapt wasi_snapshot_preview1 imports)" in result.stderr
    assert "wasip2ld toolchain install" in result.stderr
    assert not (tmp_path / "x.wasm").exists()


def test_missing_wasm_tools_names_the_override(sh, clang_cmd, tmp_path):
    result = sh(
        [*clang_cmd, HELLO_C, "-o", "x.wasm"],
        ok=False,
        env={"WASIP2LD_WASM_TOOLS": "/nonexistent/wasm-tools"},
    )
    assert "wasm-tools: /nonexistent/wasm-tools (env WASIP2LD_WASM_TOOLS) does not exist" in result.stderr
    assert not (tmp_path / "x.wasm").exists()
